// Package gift imports Moodle question banks, written in the GIFT or Aiken
// format, into hocso's question model, so that trainers can reuse questions
// they already have. It only reads: writing a pack is another package's job.
//
// Text comes out as safe Markdown in the language the caller names: HTML is
// converted and never passed through. Questions hocso cannot ask (essays,
// descriptions) are reported as skipped, and anything lost on the way
// (partial credit hocso has no place for, per-answer feedback, images) is
// reported as a warning with its line.
package gift

import (
	"fmt"
	"io"
	"strings"

	"hocso/quiz"
)

// ParseGIFT reads a question bank in Moodle's GIFT format
// (https://docs.moodle.org/en/GIFT_format). name is the file name used in
// messages; lang is the language the text is written in ("vi" if empty).
//
// A file that cannot be read at all (not UTF-8, say) gives a nil Result and an
// *Error. Malformed questions give an ErrorList naming each one, together with
// the Result of everything else, so that all problems can be shown at once.
func ParseGIFT(r io.Reader, name string, lang string) (*Result, error) {
	if lang == "" {
		lang = quiz.DefaultLang
	}
	rep := &report{file: name, res: &Result{}}
	lines, err := readSource(r, name, rep)
	if err != nil {
		return nil, err
	}
	p := &giftParser{report: rep, lang: lang}
	for _, b := range splitBlocks(lines) {
		p.block(b)
	}
	p.assignIDs()
	p.warnCategories()
	if len(rep.res.Questions)+len(rep.res.Skipped)+len(rep.errors) == 0 {
		rep.warn(1, "GiftNoQuestions", nil)
	}
	return rep.done()
}

// giftParser turns GIFT blocks into questions.
type giftParser struct {
	*report
	lang     string
	category string
	idHints  []idHint // per imported question, what its id is made from
}

// idHint is what a question's id comes from, best first.
type idHint struct {
	moodleID string // Moodle's [id:…]
	title    string
}

// question is one GIFT question taken apart, before its answers are read.
type question struct {
	line    int
	title   string
	stem    string // text, with a format marker and blankMark if any
	answers chars  // between the braces, without general feedback
	general string // after ####
}

// block parses one question block, adding a question, a skip or an error.
func (p *giftParser) block(b block) {
	if b.category != "" {
		p.category = b.category
	}
	text := b.unescape().trim()
	if len(text) == 0 {
		return
	}
	raw, ok := p.split(text)
	if !ok {
		return
	}
	if raw.answers == nil {
		p.skip(raw, SkipDescription)
		return
	}
	if len(raw.answers) == 0 {
		p.skip(raw, SkipEssay)
		return
	}
	qf, _ := splitFormat(raw.stem, formatMoodle)
	q := quiz.Question{
		Tags:        b.tags,
		Text:        p.rich(raw.stem, formatMoodle, raw.line),
		Explanation: p.rich(raw.general, qf, raw.line),
	}
	if strings.Trim(q.Text[p.lang], `_\ `) == "" {
		p.fail(raw.line, "GiftNoText", nil)
		return
	}
	if !p.answers(&q, raw.answers, qf, raw.line) {
		return
	}
	applyHocsoSettings(&q, b.settings)
	p.res.Questions = append(p.res.Questions, q)
	p.res.Origins = append(p.res.Origins, Origin{Line: raw.line, Title: raw.title, Category: p.category, Tags: b.tags})
	p.idHints = append(p.idHints, idHint{moodleID: b.id, title: raw.title})
}

// split takes the title, the braces and the general feedback out of a
// question. answers is nil when there are no braces at all.
func (p *giftParser) split(text chars) (question, bool) {
	q := question{line: text.lineAt(0)}
	if text.hasPrefix("::") {
		end := text.indexSeq("::", 2)
		if end < 0 {
			p.fail(q.line, "GiftTitleNotClosed", nil)
			return q, false
		}
		q.title = strings.Join(strings.Fields(newlines(text[2:end].String(), " ")), " ")
		text = text[end+2:].trim()
	}
	open, close := text.index('{', 0), text.index('}', 0)
	switch {
	case open < 0 && close < 0:
		q.stem = text.String()
		return q, true
	case close >= 0 && (open < 0 || close < open):
		p.fail(text.lineAt(close), "GiftStrayClosingBrace", nil)
		return q, false
	case close < 0:
		p.fail(text.lineAt(open), "GiftAnswersNotClosed", nil)
		return q, false
	}
	if inner := text.index('{', open+1); inner >= 0 && inner < close {
		p.fail(text.lineAt(inner), "GiftBraceInAnswers", nil)
		return q, false
	}
	after := text[close+1:]
	if i := after.indexAny("{}"); i >= 0 {
		p.fail(after.lineAt(i), "GiftSecondAnswerBlock", nil)
		return q, false
	}
	q.stem = text[:open].String()
	if rest := after.trim(); len(rest) > 0 {
		// Text after the answers makes a missing-word question: the answers
		// leave a gap where they stood, with the spacing the author gave it.
		q.stem += string(blankMark) + after.String()
		if rest.lineAt(0) > text.lineAt(close) {
			p.warn(rest.lineAt(0), "GiftTextAfterAnswers", nil)
		}
	}
	answers := text[open+1 : close]
	if i := answers.lastIndexSeq("####"); i >= 0 {
		q.general = answers[i+4:].String()
		answers = answers[:i]
	}
	q.answers = answers.trim()
	if q.answers == nil {
		q.answers = chars{}
	}
	return q, true
}

func (p *giftParser) skip(q question, why SkipReason) {
	p.res.Skipped = append(p.res.Skipped, Skipped{File: p.file, Line: q.line, Title: q.title, Reason: why})
}

// rich converts GIFT text, with an optional format marker, to Markdown in the
// import language; nil if it is empty.
func (p *giftParser) rich(s string, def textFormat, line int) quiz.Text {
	f, body := splitFormat(s, def)
	md, notes := toMarkdown(body, f)
	for _, id := range notes {
		p.warn(line, id, nil)
	}
	return p.textOf(replaceBlank(md))
}

// plain converts GIFT text to the single line a learner would type.
func (p *giftParser) plain(s string, def textFormat) string {
	f, body := splitFormat(s, def)
	return cleanText(toPlain(body, f))
}

func (p *giftParser) textOf(md string) quiz.Text {
	md = strings.TrimSpace(cleanText(md))
	if md == "" {
		return nil
	}
	return quiz.Text{p.lang: md}
}

// blank is the gap of a missing-word question, as Moodle writes it.
const blank = "_____"

// replaceBlank puts the gap in. Alone on a line, underscores would be a
// Markdown rule, so there they are escaped.
func replaceBlank(md string) string {
	if !strings.ContainsRune(md, blankMark) {
		return md
	}
	lines := strings.Split(md, "\n")
	for i, line := range lines {
		gap := blank
		if strings.TrimSpace(line) == string(blankMark) {
			gap = `\_\_\_\_\_`
		}
		lines[i] = strings.ReplaceAll(line, string(blankMark), gap)
	}
	return strings.Join(lines, "\n")
}

// warnCategories names each $CATEGORY: the file uses, at the line it starts:
// a hocso quiz has no categories, so every question lands in the one quiz
// being written, and the trainer should know the grouping was not kept.
func (p *giftParser) warnCategories() {
	type group struct{ line, count int }
	var names []string
	groups := map[string]*group{}
	for _, o := range p.res.Origins {
		if o.Category == "" {
			continue
		}
		g := groups[o.Category]
		if g == nil {
			g = &group{line: o.Line}
			groups[o.Category] = g
			names = append(names, o.Category)
		}
		g.count++
	}
	for _, name := range names {
		p.warn(groups[name].line, "GiftCategory", map[string]any{"Category": name, "Count": groups[name].count})
	}
}

// assignIDs gives every question a unique id from its Moodle id, its title or
// its position, in that order of preference.
func (p *giftParser) assignIDs() {
	ids := newIDSet()
	untitled, firstUntitled := 0, 0
	for i := range p.res.Questions {
		h := p.idHints[i]
		base := slugify(h.moodleID)
		if base == "" {
			base = slugify(h.title)
		}
		named := base != ""
		if !named {
			base = fmt.Sprintf("q-%d", i+1)
			if untitled++; untitled == 1 {
				firstUntitled = p.res.Origins[i].Line
			}
		}
		id := ids.unique(base)
		if id != base && named {
			p.warn(p.res.Origins[i].Line, "GiftDuplicateID", map[string]any{"ID": base, "NewID": id})
		}
		p.res.Questions[i].ID = id
	}
	if untitled > 0 {
		p.warn(firstUntitled, "GiftUntitled", map[string]any{"Count": untitled})
	}
}
