package quiz

import (
	"fmt"
	"math"
	"slices"
)

// Issue is something wrong with a quiz as written. ID names a message in
// hocso's locales (so the person who wrote the quiz reads it in their own
// language); Data fills its template.
type Issue struct {
	Question string         // question id, "" for the quiz itself
	Field    string         // e.g. "option[2].text.en"
	ID       string         // message id
	Data     map[string]any // template data
}

func (i Issue) String() string {
	return fmt.Sprintf("%s %s: %s %v", i.Question, i.Field, i.ID, i.Data)
}

// Check reports everything wrong with a quiz for a pack in langs. It reports
// all issues, not only the first.
func (z *Quiz) Check(langs []string) []Issue {
	var out []Issue
	add := func(q, field, id string, data map[string]any) {
		out = append(out, Issue{Question: q, Field: field, ID: id, Data: data})
	}
	if z.PassMark < 0 || z.PassMark > 100 {
		add("", "pass_mark", "ProblemPassMark", map[string]any{"Value": z.PassMark})
	}
	if z.Draw < 0 || z.Draw > len(z.Questions) {
		add("", "draw", "ProblemDraw", map[string]any{"Value": z.Draw, "Count": len(z.Questions)})
	}
	if z.MaxAttempts < 0 {
		add("", "max_attempts", "ProblemNegative", map[string]any{"Value": z.MaxAttempts})
	}
	if z.TimeLimitMinutes < 0 {
		add("", "time_limit_minutes", "ProblemNegative", map[string]any{"Value": z.TimeLimitMinutes})
	}
	if z.Grading != "" && z.Grading != GradeHighest && z.Grading != GradeLast {
		add("", "grading", "ProblemOneOf", map[string]any{"Value": z.Grading, "Allowed": GradeHighest + ", " + GradeLast})
	}
	if z.Feedback != "" && z.Feedback != FeedbackEnd && z.Feedback != FeedbackImmediate {
		add("", "feedback", "ProblemOneOf", map[string]any{"Value": z.Feedback, "Allowed": FeedbackEnd + ", " + FeedbackImmediate})
	}
	if len(z.Questions) == 0 {
		add("", "question", "ProblemNoQuestions", nil)
	}
	for i := range z.Questions {
		q := &z.Questions[i]
		for _, is := range q.Check(langs) {
			is.Question = q.ID
			out = append(out, is)
		}
	}
	return out
}

// Check reports everything wrong with one question.
func (q *Question) Check(langs []string) []Issue {
	var out []Issue
	add := func(field, id string, data map[string]any) {
		out = append(out, Issue{Question: q.ID, Field: field, ID: id, Data: data})
	}
	needText := func(field string, t Text) {
		for _, l := range langs {
			if t[l] == "" {
				add(field+"."+l, "ProblemMissingText", map[string]any{"Lang": l})
			}
		}
	}
	if q.ID == "" {
		add("id", "ProblemMissingField", nil)
	}
	if !slices.Contains(Kinds, q.Kind) {
		add("type", "ProblemOneOf", map[string]any{"Value": string(q.Kind), "Allowed": fmt.Sprint(Kinds)})
		return out
	}
	if q.Points < 0 || math.IsNaN(q.Points) || math.IsInf(q.Points, 0) {
		add("points", "ProblemNegative", map[string]any{"Value": q.Points})
	}
	needText("text", q.Text)

	switch q.Kind {
	case Single, Multiple:
		if len(q.Options) < 2 {
			add("option", "ProblemTooFewOptions", map[string]any{"Count": len(q.Options)})
		}
		seen := map[string]bool{}
		correct := 0
		for i, o := range q.Options {
			f := fmt.Sprintf("option[%d]", i+1)
			if o.ID == "" {
				add(f+".id", "ProblemMissingField", nil)
			} else if seen[o.ID] {
				add(f+".id", "ProblemDuplicateID", map[string]any{"ID": o.ID})
			}
			seen[o.ID] = true
			needText(f+".text", o.Text)
			if o.Correct || (o.Weight != nil && *o.Weight > 0) {
				correct++
			}
		}
		if q.Kind == Single && correct != 1 && len(q.Options) > 0 {
			add("option", "ProblemSingleCorrect", map[string]any{"Count": correct})
		}
		if q.Kind == Multiple && correct == 0 && len(q.Options) > 0 {
			add("option", "ProblemNoCorrect", nil)
		}
		if q.Scoring != "" && q.Scoring != AllOrNothing && q.Scoring != Partial {
			add("scoring", "ProblemOneOf", map[string]any{"Value": q.Scoring, "Allowed": AllOrNothing + ", " + Partial})
		}
	case TrueFalse:
		if q.Correct == nil {
			add("correct", "ProblemMissingField", nil)
		}
	case Short:
		for _, l := range langs {
			if len(q.Accept[l]) == 0 {
				add("accept."+l, "ProblemNoAccepted", map[string]any{"Lang": l})
			}
		}
	case Numeric:
		switch {
		case q.Value == nil && (q.Min == nil || q.Max == nil):
			add("value", "ProblemNumericAnswer", nil)
		case q.Min != nil && q.Max != nil && *q.Min > *q.Max:
			add("min", "ProblemRange", map[string]any{"Min": *q.Min, "Max": *q.Max})
		case q.Tolerance < 0:
			add("tolerance", "ProblemNegative", map[string]any{"Value": q.Tolerance})
		}
	case Matching:
		if len(q.Pairs) < 2 {
			add("pair", "ProblemTooFewOptions", map[string]any{"Count": len(q.Pairs)})
		}
		for i, p := range q.Pairs {
			f := fmt.Sprintf("pair[%d]", i+1)
			needText(f+".left", p.Left)
			needText(f+".right", p.Right)
		}
	case Ordering:
		if len(q.Items) < 2 {
			add("item", "ProblemTooFewOptions", map[string]any{"Count": len(q.Items)})
		}
		for i, it := range q.Items {
			needText(fmt.Sprintf("item[%d].text", i+1), it.Text)
		}
	}
	return out
}

// Normalize fills what a trainer may leave out: ids of pairs and items.
func (q *Question) Normalize() {
	for i := range q.Pairs {
		if q.Pairs[i].ID == "" {
			q.Pairs[i].ID = fmt.Sprint(i + 1)
		}
	}
	for i := range q.Items {
		if q.Items[i].ID == "" {
			q.Items[i].ID = fmt.Sprint(i + 1)
		}
	}
}
