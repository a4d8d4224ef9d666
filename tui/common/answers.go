package common

import (
	"fmt"
	"strings"

	"hocso/quiz"
)

// DescribeAnswer writes an answer to q in words, in the UI language.
func DescribeAnswer(c *Common, q *quiz.Question, a quiz.Answer) string {
	lang := c.Lang()
	if a.Empty() {
		return c.T("ReviewNoAnswer")
	}
	switch q.Kind {
	case quiz.TrueFalse:
		if a.Bool == nil {
			return c.T("ReviewNoAnswer")
		}
		return TrueFalse(c, *a.Bool)
	case quiz.Short, quiz.Numeric:
		return a.Text
	case quiz.Matching:
		right := map[string]string{}
		for _, p := range q.Pairs {
			right[p.ID] = p.Right.In(lang)
		}
		var parts []string
		for _, p := range q.Pairs {
			got, ok := right[a.Pairs[p.ID]]
			if !ok {
				got = "?"
			}
			parts = append(parts, p.Left.In(lang)+" → "+got)
		}
		return strings.Join(parts, "; ")
	case quiz.Ordering:
		text := map[string]string{}
		for _, it := range q.Items {
			text[it.ID] = it.Text.In(lang)
		}
		var parts []string
		for _, id := range a.Choices {
			parts = append(parts, text[id])
		}
		return strings.Join(parts, " → ")
	}
	text := map[string]string{}
	for _, o := range q.Options {
		text[o.ID] = o.Text.In(lang)
	}
	var parts []string
	for _, id := range a.Choices {
		parts = append(parts, text[id])
	}
	return strings.Join(parts, "; ")
}

// CorrectAnswer writes the right answer to q in words.
func CorrectAnswer(c *Common, q *quiz.Question) string {
	lang := c.Lang()
	switch q.Kind {
	case quiz.TrueFalse:
		return TrueFalse(c, q.Correct != nil && *q.Correct)
	case quiz.Short:
		acc := q.Accept[lang]
		if len(acc) == 0 {
			acc = q.Accept[quiz.DefaultLang]
		}
		return strings.Join(acc, " / ")
	case quiz.Numeric:
		if q.Min != nil && q.Max != nil {
			return c.T("ReviewRange", map[string]any{"Min": c.Loc.Number(*q.Min, 6), "Max": c.Loc.Number(*q.Max, 6)})
		}
		if q.Value == nil {
			return ""
		}
		s := c.Loc.Number(*q.Value, 6)
		if q.Tolerance > 0 {
			s += " ± " + c.Loc.Number(q.Tolerance, 6)
		}
		return s
	case quiz.Matching:
		var parts []string
		for _, p := range q.Pairs {
			parts = append(parts, p.Left.In(lang)+" → "+p.Right.In(lang))
		}
		return strings.Join(parts, "; ")
	case quiz.Ordering:
		var parts []string
		for _, it := range q.Items {
			parts = append(parts, it.Text.In(lang))
		}
		return strings.Join(parts, " → ")
	}
	var parts []string
	for i, w := range q.Weights() {
		o := q.Options[i]
		if o.Correct || (o.Weight != nil && w > 0) {
			parts = append(parts, o.Text.In(lang))
		}
	}
	return strings.Join(parts, "; ")
}

// TrueFalse is "Đúng" or "Sai" in the UI language.
func TrueFalse(c *Common, b bool) string {
	if b {
		return c.T("True")
	}
	return c.T("False")
}

// Verdict is ✓, ◐ or ✗ with a word (and the points when partly right), so it
// reads without colour.
func Verdict(c *Common, score, max float64) string {
	s := c.Styles
	switch {
	case score >= max-1e-9:
		return s.Good.Render("✓ " + c.T("ReviewCorrect"))
	case score > 0:
		return s.Warn.Render(fmt.Sprintf("◐ %s (%s/%s)", c.T("ReviewPartial"), c.Loc.Number(score, 2), c.Loc.Number(max, 2)))
	}
	return s.Bad.Render("✗ " + c.T("ReviewWrong"))
}

// RightAnswer is "Correct answer:" and the answer, wrapped to width; the
// pairs of a matching question and the items of an ordering one each get a
// line with a hanging indent, so nothing that decides the answer is cut.
func RightAnswer(c *Common, q *quiz.Question, width int) string {
	label := c.T("ReviewRightAnswer")
	lang := c.Lang()
	switch q.Kind {
	case quiz.Matching:
		lines := []string{label}
		for _, p := range q.Pairs {
			lines = append(lines, Hang("  • ", p.Left.In(lang)+" → "+p.Right.In(lang), width))
		}
		return strings.Join(lines, "\n")
	case quiz.Ordering:
		lines := []string{label}
		for i, it := range q.Items {
			lines = append(lines, Hang(fmt.Sprintf("  %d. ", i+1), it.Text.In(lang), width))
		}
		return strings.Join(lines, "\n")
	}
	return Hang(label+" ", CorrectAnswer(c, q), width)
}

// YourAnswer is "Your answer:" and the answer given, wrapped to width; in a
// matching or ordering answer each pair or place is marked right or wrong.
func YourAnswer(c *Common, q *quiz.Question, a quiz.Answer, width int) string {
	label := c.T("ReviewYourAnswer")
	lang := c.Lang()
	s := c.Styles
	mark := func(ok bool) string {
		if ok {
			return s.Good.Render("✓")
		}
		return s.Bad.Render("✗")
	}
	switch {
	case a.Empty():
	case q.Kind == quiz.Matching:
		right := map[string]string{}
		for _, p := range q.Pairs {
			right[p.ID] = p.Right.In(lang)
		}
		lines := []string{label}
		for _, p := range q.Pairs {
			got, ok := right[a.Pairs[p.ID]]
			if !ok {
				got = "?"
			}
			lines = append(lines, Hang("  "+mark(a.Pairs[p.ID] == p.ID)+" ", p.Left.In(lang)+" → "+got, width))
		}
		return strings.Join(lines, "\n")
	case q.Kind == quiz.Ordering:
		text := map[string]string{}
		for _, it := range q.Items {
			text[it.ID] = it.Text.In(lang)
		}
		lines := []string{label}
		for i, id := range a.Choices {
			ok := i < len(q.Items) && q.Items[i].ID == id
			lines = append(lines, Hang(fmt.Sprintf("  %s %d. ", mark(ok), i+1), text[id], width))
		}
		return strings.Join(lines, "\n")
	}
	return Hang(label+" ", DescribeAnswer(c, q, a), width)
}
