package gift

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"hocso/quiz"
)

// corpusDir holds GIFT files with their expected parse by the PEG.js grammar of
// fuhrmanator/GIFT-grammar-PEG.js (MIT). It lives outside the repository and
// is never copied into it.
const corpusDir = "../../../shared/testdata/gift/pegjs"

// corpusFull lists the files whose expected parse our model holds entirely:
// the test fails on any difference in them.
var corpusFull = []string{
	"category1.gift", "categorySpecialCharacter.gift",
	"description1.gift", "descriptionTitleEscapedColon.gift", "descriptionWithID.gift",
	"escapeAll.gift", "escapeColon.gift", "escapeEquals.gift", "essay1.gift",
	"markdown.gift", "matching1.gift", "mc1.gift", "mc2.gift", "mc4.gift", "mc5.gift",
	"multipleAnswersFloat.gift", "newlineAndLaTeX.gift",
	"shortAnswer1.gift", "shortAnswer2.gift", "shortAnswerNotMatching.gift",
	"shortFirstEmbedded.gift", "shortFirstEmbeddedUnderline.gift", "shortFirstEmbeddedUnderlineHTML.gift",
	"symbolsAll.gift", "tag_id.gift", "tag_id_and_two_tags.gift", "tag_two_tags.gift",
	"tf1.gift", "tf1_markdown.gift", "tf2.gift",
	"totara_moodle_backslash.gift", "totara_moodle_essay.gift", "totara_moodle_pre_content.gift",
	"totara_moodle_multichoice.gift", "totara_moodle_multichoice_multi.gift", // [html] on text without markup
	"totara_moodle_truefalse_true_answer1.gift", "totara_moodle_truefalse_true_answer2.gift",
	"type_inferred_multiline_markdown.gift",
}

// corpusPartial lists, with the reason, the files our model cannot hold
// entirely. Their differences must be of the kinds given here, never a
// mismatch in what the model does hold.
var corpusPartial = map[string]string{
	// A true/false question has one explanation; the second #feedback goes
	// when both are given.
	"TFTwoFeedback.gift": "loss: second true/false feedback",
	// HTML stem, options and feedback become Markdown (visible text equal).
	"formatExamples.gift": "design: HTML converted to Markdown",
	// A single-choice question has no partial credit (~%50%); short answers
	// are right or wrong (=%75%); one numeric answer is kept (=%50%1822:2).
	"giftFormatPhpExamples.gift": "loss: partial credit in single choice, short and numeric answers",
	// HTML general feedback (spans, a link, a comment) becomes Markdown.
	"mcHTMLComment.gift": "design: HTML converted to Markdown",
	// HTML with styles and an image: the image cannot be shown in a terminal.
	"multiLineFeedback1.gift": "design: HTML converted to Markdown",
	// Only the first full-credit numeric answer is kept; the 0% ones carry feedback.
	"numerical1.gift": "loss: extra numeric answers; design: HTML converted to Markdown",
	// Partial credit in a single-choice question and in a short answer; the
	// second feedback of a short answer that repeats the first is not a loss.
	"options1.gift": "loss: partial credit in single choice and short answers",
	// HTML true/false stem becomes Markdown.
	"tf1_html.gift": "design: HTML converted to Markdown",
	// "= -> Chat" is an extra right-hand choice; our matching has none.
	"totara_moodle_match.gift": "loss: matching distractor; design: HTML converted to Markdown",
	// "~#Completely wrong" is feedback for any wrong number; we have no place for it.
	"totara_moodle_numerical.gift": "loss: wrong-answer feedback",
	// "=%50%Cat" and the "=%0%*" catch-all are not right-or-wrong answers.
	"totara_moodle_shortanswer.gift": "loss: partial credit in short answers",
	// Same, with general feedback (marked [html], but plain text).
	"totara_moodle_shortanswer_general_feedback.gift": "loss: partial credit in short answers",
	// A true/false question has one explanation; the right-answer feedback goes.
	"totara_moodle_truefalse.gift": "loss: second true/false feedback",
}

func TestPEGCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.gift"))
	if len(files) == 0 {
		t.Skipf("no GIFT corpus in %s: it is kept outside the repository (../shared/testdata/gift/pegjs)", corpusDir)
	}
	full, partial, questions, questionsChanged := 0, 0, 0, 0
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(strings.TrimSuffix(name, ".gift"), func(t *testing.T) {
			d := compareCorpusFile(t, path)
			assertCorpusFile(t, name, d)
			for _, m := range append(d.losses, d.design...) {
				t.Log(m)
			}
			questions += d.questions
			questionsChanged += len(d.changed)
			if len(d.mismatches)+len(d.losses)+len(d.design) == 0 {
				full++
			} else if len(d.mismatches) == 0 {
				partial++
			}
		})
	}
	t.Logf("PEG.js corpus: %d files; %d match fully, %d match except for what our model does not hold, %d differ",
		len(files), full, partial, len(files)-full-partial)
	t.Logf("PEG.js corpus: %d questions (skipped essays and descriptions not counted); %d import fully, %d with a loss or HTML made Markdown",
		questions, questions-questionsChanged, questionsChanged)
}

func assertCorpusFile(t *testing.T, name string, d corpusDiffs) {
	for _, m := range d.mismatches {
		t.Errorf("mismatch: %s", m)
	}
	reason, isPartial := corpusPartial[name]
	switch {
	case slices.Contains(corpusFull, name):
		for _, m := range append(d.losses, d.design...) {
			t.Errorf("listed as matching fully, but: %s", m)
		}
	case !isPartial:
		t.Errorf("%s is in neither corpusFull nor corpusPartial: decide which and say why", name)
	case len(d.losses)+len(d.design) == 0:
		t.Errorf("listed as partial (%s) but matches fully: move it to corpusFull", reason)
	default:
		if len(d.losses) > 0 && !strings.Contains(reason, "loss") {
			t.Errorf("loses content, which its reason %q does not say: %v", reason, d.losses)
		}
		if len(d.design) > 0 && !strings.Contains(reason, "design") {
			t.Errorf("differs by design, which its reason %q does not say: %v", reason, d.design)
		}
	}
}

// The PEG.js grammar's parse, as its .json files spell it.
type (
	pegText struct {
		Format string `json:"format"`
		Text   string `json:"text"`
	}
	pegNumber struct {
		Type       string  `json:"type"`
		Number     float64 `json:"number"`
		Range      float64 `json:"range"`
		NumberHigh float64 `json:"numberHigh"`
		NumberLow  float64 `json:"numberLow"`
	}
	pegChoice struct {
		IsCorrect bool            `json:"isCorrect"`
		Weight    *float64        `json:"weight"`
		Text      json.RawMessage `json:"text"` // pegText, or pegNumber in numeric questions
		Feedback  *pegText        `json:"feedback"`
	}
	pegPair struct {
		Subquestion pegText `json:"subquestion"`
		Subanswer   string  `json:"subanswer"`
	}
	pegQuestion struct {
		Type           string          `json:"type"`
		ID             *string         `json:"id"`
		Title          *string         `json:"title"`
		Stem           pegText         `json:"stem"`
		GlobalFeedback *pegText        `json:"globalFeedback"`
		Choices        json.RawMessage `json:"choices"` // []pegChoice, or pegNumber in numeric questions
		IsTrue         bool            `json:"isTrue"`
		TrueFeedback   *pegText        `json:"trueFeedback"`
		FalseFeedback  *pegText        `json:"falseFeedback"`
		MatchPairs     []pegPair       `json:"matchPairs"`
	}
)

// corpusDiffs are the differences between our result and the expected parse.
type corpusDiffs struct {
	mismatches []string        // our model holds it, differently: a bug
	losses     []string        // our model has no place for it
	design     []string        // held differently on purpose (HTML as Markdown)
	questions  int             // questions the file holds, skips left out
	changed    map[string]bool // the questions with a loss or a design change
}

// corpusCompare compares one expected question with ours, in our terms.
type corpusCompare struct {
	t     *testing.T
	d     *corpusDiffs
	where string
}

func (c *corpusCompare) mismatch(format string, args ...any) {
	c.d.mismatches = append(c.d.mismatches, c.where+": "+fmt.Sprintf(format, args...))
}

func (c *corpusCompare) loss(format string, args ...any) {
	c.d.losses = append(c.d.losses, c.where+": loss: "+fmt.Sprintf(format, args...))
	c.d.changed[c.where] = true
}

// want is the visible text of an expected piece of text; a note is made when
// its HTML had to become Markdown.
func (c *corpusCompare) want(p *pegText) string {
	switch {
	case p == nil:
		return ""
	case p.Format == "html":
		if strings.ContainsAny(p.Text, "<&") && !slices.Contains(c.d.design, c.where+": design: HTML converted to Markdown") {
			c.d.design = append(c.d.design, c.where+": design: HTML converted to Markdown")
			c.d.changed[c.where] = true
		}
		return visibleHTML(p.Text)
	case p.Format == "markdown":
		return visibleMarkdown(c.t, p.Text)
	}
	return normalise(p.Text)
}

func (c *corpusCompare) text(field string, got quiz.Text, want *pegText) {
	if g, w := visibleMarkdown(c.t, got["vi"]), c.want(want); g != w {
		c.mismatch("%s = %q (shows %q), want %q", field, got["vi"], g, w)
	}
}

func compareCorpusFile(t *testing.T, path string) corpusDiffs {
	d := corpusDiffs{changed: map[string]bool{}}
	raw, err := os.ReadFile(strings.TrimSuffix(path, ".gift") + ".json")
	if err != nil {
		t.Fatalf("expected parse: %v", err)
	}
	var expected []pegQuestion
	if err := json.Unmarshal(raw, &expected); err != nil {
		t.Fatalf("expected parse %s: %v", path, err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := ParseGIFT(f, filepath.Base(path), "vi")
	if err != nil {
		d.mismatches = append(d.mismatches, fmt.Sprintf("parse error: %v", err))
		return d
	}
	assertSafe(t, res)

	var wantQs []pegQuestion
	var wantCats []string
	var wantSkips []Skipped
	category := ""
	for _, e := range expected {
		switch e.Type {
		case "Category":
			category = deref(e.Title)
		case "Description", "Essay":
			reason := SkipEssay
			if e.Type == "Description" {
				reason = SkipDescription
			}
			wantSkips = append(wantSkips, Skipped{Title: deref(e.Title), Reason: reason})
		default:
			wantQs = append(wantQs, e)
			wantCats = append(wantCats, category)
		}
	}
	if len(res.Skipped) != len(wantSkips) {
		d.mismatches = append(d.mismatches, fmt.Sprintf("skipped %d questions, want %d", len(res.Skipped), len(wantSkips)))
	} else {
		for i, s := range res.Skipped {
			if s.Title != wantSkips[i].Title || s.Reason != wantSkips[i].Reason {
				d.mismatches = append(d.mismatches, fmt.Sprintf("skipped %s %q, want %s %q", s.Reason, s.Title, wantSkips[i].Reason, wantSkips[i].Title))
			}
		}
	}
	if len(res.Questions) != len(wantQs) {
		d.mismatches = append(d.mismatches, fmt.Sprintf("%d questions, want %d", len(res.Questions), len(wantQs)))
		return d
	}
	d.questions = len(wantQs)
	ids := newIDSet()
	for i, w := range wantQs {
		got := res.Questions[i]
		c := &corpusCompare{t: t, d: &d, where: fmt.Sprintf("question %d (line %d)", i+1, res.Origins[i].Line)}
		base := slugify(deref(w.ID))
		if base == "" {
			base = slugify(deref(w.Title))
		}
		if base == "" {
			base = fmt.Sprintf("q-%d", i+1)
		}
		if id := ids.unique(base); got.ID != id {
			c.mismatch("id %q, want %q", got.ID, id)
		}
		if o := res.Origins[i]; o.Title != deref(w.Title) || o.Category != wantCats[i] {
			c.mismatch("origin title %q category %q, want %q and %q", o.Title, o.Category, deref(w.Title), wantCats[i])
		}
		c.text("text", got.Text, &w.Stem)
		switch w.Type {
		case "MC":
			c.choice(got, w)
		case "TF":
			c.trueFalse(got, w)
		case "Short":
			c.short(got, w)
		case "Numerical":
			c.numeric(got, w)
		case "Matching":
			c.matching(got, w)
		default:
			c.mismatch("unknown expected type %q", w.Type)
		}
	}
	return d
}

func (c *corpusCompare) choices(w pegQuestion) []pegChoice {
	var cs []pegChoice
	if err := json.Unmarshal(w.Choices, &cs); err != nil {
		c.t.Fatalf("%s: choices: %v", c.where, err)
	}
	return cs
}

func pegCredit(ch pegChoice) float64 {
	switch {
	case ch.Weight != nil:
		return *ch.Weight
	case ch.IsCorrect:
		return 100
	}
	return 0
}

// choice maps a PEG multiple-choice question to ours: one right option and no
// weights is single choice; several right options is multiple choice, all or
// nothing; weights make it multiple choice with partial scoring, unless one
// option is marked = with full credit (Moodle's single choice with partial
// credit, which our single choice does not have).
func (c *corpusCompare) choice(got quiz.Question, w pegQuestion) {
	cs := c.choices(w)
	partial, full, equals := false, 0, false
	for _, ch := range cs {
		cr := pegCredit(ch)
		partial = partial || (cr != 0 && cr != 100)
		equals = equals || ch.IsCorrect
		if cr == 100 {
			full++
		}
	}
	kind, scoring := quiz.Single, ""
	switch {
	case !partial && full > 1:
		kind, scoring = quiz.Multiple, quiz.AllOrNothing
	case partial && !(equals && full == 1):
		kind, scoring = quiz.Multiple, quiz.Partial
	}
	if got.Kind != kind || got.Scoring != scoring {
		c.mismatch("kind %s/%s, want %s/%s", got.Kind, got.Scoring, kind, scoring)
		return
	}
	if len(got.Options) != len(cs) {
		c.mismatch("%d options, want %d", len(got.Options), len(cs))
		return
	}
	for i, ch := range cs {
		o := got.Options[i]
		var text pegText
		_ = json.Unmarshal(ch.Text, &text)
		c.text(fmt.Sprintf("option %d", i+1), o.Text, &text)
		c.text(fmt.Sprintf("option %d feedback", i+1), o.Feedback, ch.Feedback)
		cr := pegCredit(ch)
		if scoring == quiz.Partial {
			if o.Weight == nil || *o.Weight != cr || o.Correct != (cr > 0) {
				c.mismatch("option %d correct %v weight %v, want %v and %g", i+1, o.Correct, deref(o.Weight), cr > 0, cr)
			}
			continue
		}
		if o.Correct != (cr == 100) || o.Weight != nil {
			c.mismatch("option %d correct %v weight %v, want %v and none", i+1, o.Correct, o.Weight, cr == 100)
		}
		if cr != 0 && cr != 100 {
			c.loss("option %d is worth %g%%; single choice has no partial credit", i+1, cr)
		}
	}
	c.text("explanation", got.Explanation, w.GlobalFeedback)
}

// trueFalse: our one explanation is the general feedback, else the first
// #feedback, else the second.
func (c *corpusCompare) trueFalse(got quiz.Question, w pegQuestion) {
	if got.Kind != quiz.TrueFalse || got.Correct == nil || *got.Correct != w.IsTrue {
		c.mismatch("kind %s correct %v, want truefalse %v", got.Kind, got.Correct, w.IsTrue)
		return
	}
	c.explanation(got, w.GlobalFeedback, w.TrueFeedback, w.FalseFeedback)
}

// explanation checks that ours is the first non-empty of feedbacks, and
// records the others as lost.
func (c *corpusCompare) explanation(got quiz.Question, feedbacks ...*pegText) {
	var kept *pegText
	for _, fb := range feedbacks {
		switch {
		case fb == nil || strings.TrimSpace(fb.Text) == "":
		case kept == nil:
			kept = fb
		case c.want(fb) != c.want(kept):
			c.loss("feedback %q has no place in our model", fb.Text)
		}
	}
	c.text("explanation", got.Explanation, kept)
}

// short: answers with full credit are accepted; the others are lost.
func (c *corpusCompare) short(got quiz.Question, w pegQuestion) {
	if got.Kind != quiz.Short {
		c.mismatch("kind %s, want short", got.Kind)
		return
	}
	var accept []string
	feedbacks := []*pegText{w.GlobalFeedback}
	for _, ch := range c.choices(w) {
		var text pegText
		_ = json.Unmarshal(ch.Text, &text)
		if cr := pegCredit(ch); cr != 100 {
			c.loss("answer %q is worth %g%%; short answers are right or wrong", text.Text, cr)
			continue
		}
		accept = append(accept, c.want(&text))
		feedbacks = append(feedbacks, ch.Feedback)
	}
	if g := got.Accept["vi"]; !slices.Equal(normaliseAll(g), accept) {
		c.mismatch("accept %q, want %q", g, accept)
	}
	c.explanation(got, feedbacks...)
}

// numeric: the first answer with full credit is kept; a single answer is the
// whole of the choices.
func (c *corpusCompare) numeric(got quiz.Question, w pegQuestion) {
	if got.Kind != quiz.Numeric {
		c.mismatch("kind %s, want numeric", got.Kind)
		return
	}
	var single pegNumber
	if json.Unmarshal(w.Choices, &single) == nil {
		c.number(got, single)
		c.text("explanation", got.Explanation, w.GlobalFeedback)
		return
	}
	var kept *pegChoice
	cs := c.choices(w)
	for i := range cs {
		ch := &cs[i]
		var n pegNumber
		_ = json.Unmarshal(ch.Text, &n)
		switch {
		case n.Type == "":
			c.loss("feedback for other answers %q", deref(ch.Feedback).Text)
		case kept == nil && pegCredit(*ch) == 100:
			kept = ch
			c.number(got, n)
		default:
			c.loss("numeric answer %+v worth %g%%; one answer is kept", n, pegCredit(*ch))
		}
	}
	if kept == nil {
		c.mismatch("no full-credit answer expected")
		return
	}
	c.explanation(got, w.GlobalFeedback, kept.Feedback)
}

func (c *corpusCompare) number(got quiz.Question, n pegNumber) {
	var ok bool
	switch n.Type {
	case "simple":
		ok = got.Value != nil && *got.Value == n.Number && got.Tolerance == 0 && got.Min == nil
	case "range":
		ok = got.Value != nil && *got.Value == n.Number && got.Tolerance == n.Range && got.Min == nil
	case "high-low":
		ok = got.Value == nil && got.Min != nil && got.Max != nil && *got.Min == n.NumberLow && *got.Max == n.NumberHigh
	}
	if !ok {
		c.mismatch("value %v ± %g, range %v..%v; want %+v", deref(got.Value), got.Tolerance, deref(got.Min), deref(got.Max), n)
	}
}

// matching: pairs without a left-hand item are Moodle's extra choices, lost.
func (c *corpusCompare) matching(got quiz.Question, w pegQuestion) {
	if got.Kind != quiz.Matching {
		c.mismatch("kind %s, want matching", got.Kind)
		return
	}
	var pairs []pegPair
	for _, p := range w.MatchPairs {
		if c.want(&p.Subquestion) == "" {
			c.loss("extra choice %q", p.Subanswer)
			continue
		}
		pairs = append(pairs, p)
	}
	if len(got.Pairs) != len(pairs) {
		c.mismatch("%d pairs, want %d", len(got.Pairs), len(pairs))
		return
	}
	for i, p := range pairs {
		c.text(fmt.Sprintf("pair %d left", i+1), got.Pairs[i].Left, &p.Subquestion)
		c.text(fmt.Sprintf("pair %d right", i+1), got.Pairs[i].Right, &pegText{Text: p.Subanswer})
	}
	c.text("explanation", got.Explanation, w.GlobalFeedback)
}

func normaliseAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = normalise(s)
	}
	return out
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// TestPEGCorpusListsAreSane keeps the two lists honest as files come and go.
func TestPEGCorpusListsAreSane(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range corpusFull {
		if seen[f] {
			t.Errorf("%s listed twice", f)
		}
		seen[f] = true
		if _, ok := corpusPartial[f]; ok {
			t.Errorf("%s is in both lists", f)
		}
	}
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.gift"))
	if len(files) == 0 {
		return
	}
	var missing []string
	for f := range corpusPartial {
		seen[f] = true
	}
	for name := range seen {
		if _, err := os.Stat(filepath.Join(corpusDir, name)); err != nil {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("listed but not in the corpus: %v", missing)
	}
}
