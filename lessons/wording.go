package lessons

import (
	"fmt"
	"strconv"
	"strings"

	"hocso/quiz"
)

// The wording of an item is its content as lines a trainer can compare: one
// line per field and language, named as in the pack's files ("text [vi]:",
// "option b ✓ [en]:"), so that a diff of two wordings shows exactly which
// sentence in which language changed.

type wording struct{ b strings.Builder }

func (w *wording) field(name, value string) {
	if value == "" {
		return
	}
	lines := strings.Split(strings.TrimRight(value, "\n"), "\n")
	fmt.Fprintf(&w.b, "%s: %s\n", name, lines[0])
	for _, l := range lines[1:] {
		w.b.WriteString("    " + l + "\n")
	}
}

func (w *wording) text(name string, t quiz.Text) {
	for _, lang := range sortedLangs(t) {
		w.field(name+" ["+lang+"]", t[lang])
	}
}

func (w *wording) String() string { return w.b.String() }

// QuestionWording is a question's wording: its type and settings, its text,
// options, answers and explanation in every language.
func QuestionWording(q *quiz.Question) string {
	var w wording
	w.field("type", string(q.Kind))
	w.field("kind", string(q.Skill))
	if q.Points != 0 {
		w.field("points", num(q.Points))
	}
	w.field("scoring", q.Scoring)
	w.field("sources", strings.Join(q.Sources, ", "))
	w.text("text", q.Text)
	if q.Correct != nil {
		w.field("correct", strconv.FormatBool(*q.Correct))
	}
	for _, o := range q.Options {
		name := "option " + o.ID
		if o.Correct {
			name += " ✓"
		}
		if o.Weight != nil {
			name += " (" + num(*o.Weight) + "%)"
		}
		w.text(name, o.Text)
		w.text(name+" feedback", o.Feedback)
	}
	for _, lang := range sortedLangs(q.Accept) {
		w.field("accept ["+lang+"]", strings.Join(q.Accept[lang], " | "))
	}
	if q.CaseSensitive {
		w.field("case_sensitive", "true")
	}
	if q.IgnoreDiacritics {
		w.field("ignore_diacritics", "true")
	}
	for _, f := range []struct {
		name string
		v    *float64
	}{{"value", q.Value}, {"min", q.Min}, {"max", q.Max}} {
		if f.v != nil {
			w.field(f.name, num(*f.v))
		}
	}
	if q.Tolerance != 0 {
		w.field("tolerance", num(q.Tolerance))
	}
	for _, p := range q.Pairs {
		w.text("pair "+p.ID+" left", p.Left)
		w.text("pair "+p.ID+" right", p.Right)
	}
	for i, it := range q.Items {
		w.text("item "+strconv.Itoa(i+1)+" ("+it.ID+")", it.Text)
	}
	w.text("explanation", q.Explanation)
	return w.String()
}

// LessonWording is a lesson's title, reading time, sources and text, language
// by language.
func LessonWording(l *Lesson) string {
	var w wording
	if l.Minutes != 0 {
		w.field("minutes", strconv.Itoa(l.Minutes))
	}
	w.field("sources", strings.Join(l.Sources, ", "))
	// Every line of the text carries its language, so that each part of a
	// diff says which file it is from.
	for _, lang := range sortedLangs(l.Body) {
		w.field("title ["+lang+"]", l.Title[lang])
		for _, line := range strings.Split(strings.TrimRight(l.Body[lang], "\n"), "\n") {
			w.b.WriteString(strings.TrimRight("["+lang+"] "+line, " ") + "\n")
		}
	}
	return w.String()
}

// QuizRulesWording is a quiz's title and rules, without its questions.
func QuizRulesWording(z *quiz.Quiz) string {
	var w wording
	w.text("title", z.Title)
	w.field("pass_mark", num(z.PassMark))
	if z.Draw != 0 {
		w.field("draw", strconv.Itoa(z.Draw))
	}
	w.field("shuffle_questions", strconv.FormatBool(z.ShuffleQuestions))
	w.field("shuffle_options", strconv.FormatBool(z.ShuffleOptions))
	if z.MaxAttempts != 0 {
		w.field("max_attempts", strconv.Itoa(z.MaxAttempts))
	}
	w.field("grading", z.Grading)
	w.field("feedback", z.Feedback)
	if z.TimeLimitMinutes != 0 {
		w.field("time_limit_minutes", strconv.Itoa(z.TimeLimitMinutes))
	}
	return w.String()
}

// ModuleWording is a module's own settings and texts, without its lessons and quiz.
func ModuleWording(m *Module) string {
	var w wording
	w.field("complete_when", m.CompleteWhen)
	w.text("title", m.Title)
	w.text("summary", m.Summary)
	return w.String()
}
