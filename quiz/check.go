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
	// needUnique reports an id used twice among the options, pairs or items.
	// Empty ids are left to the callers: pairs and items may leave them out.
	needUnique := func(name string, ids []string) {
		first := map[string]int{}
		for i, id := range ids {
			if id == "" {
				continue
			}
			if j, ok := first[id]; ok {
				add(fmt.Sprintf("%s[%d].id", name, i+1), "ProblemDuplicateID",
					map[string]any{"ID": id, "OtherFile": fmt.Sprintf("%s[%d]", name, j+1)})
				continue
			}
			first[id] = i
		}
	}
	// needDistinct reports a text that reads like an earlier one in the same
	// language: the learner could not tell the two apart, and grading by id
	// would then mark one of two identical-looking answers wrong.
	needDistinct := func(field string, texts []Text) {
		for _, l := range langs {
			seen := map[string]bool{}
			for i, t := range texts {
				key := normalizeShort(t[l], false, false)
				if key == "" {
					continue
				}
				if seen[key] {
					add(fmt.Sprintf(field, i+1)+"."+l, "ProblemDuplicateOption", map[string]any{"Text": t[l]})
				}
				seen[key] = true
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
	if q.Skill != "" && !slices.Contains(Skills, q.Skill) {
		add("kind", "ProblemOneOf", map[string]any{"Value": string(q.Skill), "Allowed": fmt.Sprint(Skills)})
	}
	if q.Points < 0 || !finite(q.Points) {
		add("points", "ProblemNegative", map[string]any{"Value": q.Points})
	}
	needText("text", q.Text)

	switch q.Kind {
	case Single, Multiple:
		if len(q.Options) < 2 {
			add("option", "ProblemTooFewOptions", map[string]any{"Count": len(q.Options)})
		}
		correct := 0
		ids, texts := make([]string, len(q.Options)), make([]Text, len(q.Options))
		for i, o := range q.Options {
			f := fmt.Sprintf("option[%d]", i+1)
			if o.ID == "" {
				add(f+".id", "ProblemMissingField", nil)
			}
			needText(f+".text", o.Text)
			if o.Correct || (o.Weight != nil && *o.Weight > 0) {
				correct++
			}
			ids[i], texts[i] = o.ID, o.Text
		}
		needUnique("option", ids)
		needDistinct("option[%d].text", texts)
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
			// An answer that normalises to nothing (blank, or only marks with
			// ignore_diacritics) can never be typed.
			typeable := slices.ContainsFunc(q.Accept[l], func(a string) bool {
				return normalizeShort(a, q.CaseSensitive, q.IgnoreDiacritics) != ""
			})
			if !typeable {
				add("accept."+l, "ProblemNoAccepted", map[string]any{"Lang": l})
			}
		}
	case Numeric:
		// TOML can spell nan and inf: a value no typed number can equal, or a
		// range holding no finite number, leaves the question unanswerable.
		hasRange := q.Min != nil && q.Max != nil
		switch {
		case q.Value == nil && !hasRange,
			q.Value != nil && !hasRange && !finite(*q.Value),
			hasRange && (math.IsNaN(*q.Min) || math.IsInf(*q.Min, 1) || math.IsNaN(*q.Max) || math.IsInf(*q.Max, -1)):
			add("value", "ProblemNumericAnswer", nil)
		case hasRange && *q.Min > *q.Max:
			add("min", "ProblemRange", map[string]any{"Min": *q.Min, "Max": *q.Max})
		case q.Tolerance < 0 || !finite(q.Tolerance):
			add("tolerance", "ProblemNegative", map[string]any{"Value": q.Tolerance})
		}
	case Matching:
		if len(q.Pairs) < 2 {
			add("pair", "ProblemTooFewOptions", map[string]any{"Count": len(q.Pairs)})
		}
		ids, lefts := make([]string, len(q.Pairs)), make([]Text, len(q.Pairs))
		for i, p := range q.Pairs {
			f := fmt.Sprintf("pair[%d]", i+1)
			needText(f+".left", p.Left)
			needText(f+".right", p.Right)
			ids[i], lefts[i] = p.ID, p.Left
		}
		needUnique("pair", ids)
		// Right sides may repeat: grading compares them by text.
		needDistinct("pair[%d].left", lefts)
	case Ordering:
		if len(q.Items) < 2 {
			add("item", "ProblemTooFewOptions", map[string]any{"Count": len(q.Items)})
		}
		ids, texts := make([]string, len(q.Items)), make([]Text, len(q.Items))
		for i, it := range q.Items {
			needText(fmt.Sprintf("item[%d].text", i+1), it.Text)
			ids[i], texts[i] = it.ID, it.Text
		}
		needUnique("item", ids)
		needDistinct("item[%d].text", texts)
	}
	return out
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

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
