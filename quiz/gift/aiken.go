package gift

import (
	"fmt"
	"io"
	"strings"

	"hocso/quiz"
)

var (
	// aikenOption is an option line as Moodle reads it: a capital letter,
	// "." or ")", then the text, with or without a space between.
	aikenOption = lazyRegexp(`^([A-Z])[.)][ \t]*(\S.*)$`)
	// aikenSpacedOption is the same with the space. Outside a question only
	// this form is taken for a stray option: "A.I. trong công việc" there
	// starts a question.
	aikenSpacedOption = lazyRegexp(`^[A-Z][.)][ \t]+\S`)
	aikenAnswer       = lazyRegexp(`(?i)^ANSWER\s*:\s*(.*)$`)
	// aikenAnswerLetter is the letter of "ANSWER: B", "ANSWER: B)" or
	// "ANSWER: B. Hà Nội" (Moodle reads only the first character).
	aikenAnswerLetter = lazyRegexp(`^([A-Za-z])(?:$|[.)\s])`)
)

// ParseAiken reads a question bank in Moodle's Aiken format: a question, its
// options "A." or "A)", and a line "ANSWER: B", every question single choice.
// name is the file name used in messages; lang is the language the text is
// written in ("vi" if empty).
//
// A malformed question is reported and the rest of the file still parsed: the
// Result comes with an ErrorList naming every malformed question.
func ParseAiken(r io.Reader, name string, lang string) (*Result, error) {
	if lang == "" {
		lang = quiz.DefaultLang
	}
	rep := &report{file: name, res: &Result{}}
	lines, err := readSource(r, name, rep)
	if err != nil {
		return nil, err
	}
	p := &aikenParser{report: rep, lang: lang}
	for i, line := range lines {
		p.line(i+1, strings.TrimSpace(line))
	}
	if p.cur != nil {
		p.fail(p.cur.line, "GiftAikenNoAnswer", nil)
	}
	for i := range rep.res.Questions {
		rep.res.Questions[i].ID = fmt.Sprintf("q-%d", i+1)
	}
	if len(rep.res.Questions)+len(rep.errors) == 0 {
		rep.warn(1, "GiftAikenNoQuestions", nil)
	}
	return rep.done()
}

// aikenParser reads an Aiken file line by line.
type aikenParser struct {
	*report
	lang string
	cur  *aikenQuestion // the question being read, or nil between questions
}

type aikenQuestion struct {
	line    int
	text    []string
	letters []string
	options []quiz.Option
	broken  bool // an error was reported: read to its end, but do not import it
}

func (p *aikenParser) line(n int, text string) {
	switch {
	case text == "":
		return
	case aikenAnswer().MatchString(text) && p.cur != nil:
		p.answer(n, aikenAnswer().FindStringSubmatch(text)[1])
		p.cur = nil
		return
	case aikenAnswer().MatchString(text):
		p.fail(n, "GiftAikenAnswerFirst", nil)
		return
	}
	if m := aikenOption().FindStringSubmatch(text); m != nil && p.cur != nil {
		p.option(n, m[1], m[2])
		return
	}
	if p.cur == nil && aikenSpacedOption().MatchString(text) {
		p.fail(n, "GiftAikenNotStarted", nil)
		return
	}
	if p.cur != nil && len(p.cur.options) > 0 {
		p.fail(p.cur.line, "GiftAikenNoAnswer", nil)
		p.cur = nil
	}
	if p.cur == nil {
		p.cur = &aikenQuestion{line: n}
	}
	p.cur.text = append(p.cur.text, text)
}

func (p *aikenParser) option(n int, letter, text string) {
	q := p.cur
	if contains(q.letters, letter) {
		p.fail(n, "GiftAikenDuplicateLetter", map[string]any{"Letter": letter})
		q.broken = true
		return
	}
	q.letters = append(q.letters, letter)
	q.options = append(q.options, quiz.Option{
		ID:   strings.ToLower(letter),
		Text: quiz.Text{p.lang: cleanText(escapeText(text))},
	})
}

func (p *aikenParser) answer(n int, letter string) {
	q := p.cur
	letter = strings.TrimSpace(letter)
	if m := aikenAnswerLetter().FindStringSubmatch(letter); m != nil {
		letter = m[1]
	}
	letter = strings.ToUpper(letter)
	switch {
	case q.broken:
		return
	case len(q.options) < 2:
		p.fail(n, "GiftAikenTooFewOptions", map[string]any{"Question": q.line})
		return
	case letter == "":
		p.fail(n, "GiftAikenEmptyAnswer", nil)
		return
	case len(letter) > 1 || letter < "A" || letter > "Z":
		p.fail(n, "GiftAikenNotOneLetter", map[string]any{"Letter": letter})
		return
	case !contains(q.letters, letter):
		p.fail(n, "GiftAikenUnknownLetter", map[string]any{"Letter": letter, "Letters": strings.Join(q.letters, ", ")})
		return
	}
	if !distinct(p.report, p.lang, q.line, "GiftSameOptions", q.options, func(o quiz.Option) quiz.Text { return o.Text }) {
		return
	}
	for i := range q.options {
		q.options[i].Correct = q.options[i].ID == strings.ToLower(letter)
	}
	p.res.Questions = append(p.res.Questions, quiz.Question{
		Kind:    quiz.Single,
		Text:    quiz.Text{p.lang: cleanText(escapeText(strings.Join(q.text, "\n")))},
		Options: q.options,
	})
	p.res.Origins = append(p.res.Origins, Origin{Line: q.line})
}
