package common

import (
	"strings"

	"hocso/quiz"
	"hocso/store"
)

// QuizRules are a quiz's rules in words, one a line, as its start screen and
// accessible mode say them before an attempt: size, pass mark, time limit,
// attempts and grading, and when the answers are checked.
func QuizRules(c *Common, z *quiz.Quiz, st store.QuizStanding) []string {
	rules := []string{
		c.T("QuizRuleSize", map[string]any{"Questions": c.Loc.N("QuestionCount", z.Asked()), "PassMark": c.T("PassMark", map[string]any{"Percent": c.Loc.Percent(z.PassMark)})}),
	}
	if z.TimeLimitMinutes > 0 {
		rules = append(rules, c.T("QuizRuleTime", map[string]any{"Minutes": c.Loc.N("Minutes", z.TimeLimitMinutes)}))
	}
	if z.MaxAttempts > 0 {
		rules = append(rules, c.T("QuizRuleAttempts", map[string]any{"Left": st.AttemptsLeft, "Max": z.MaxAttempts}))
	} else {
		rules = append(rules, c.T("QuizRuleUnlimited"))
	}
	if z.Grading == quiz.GradeLast {
		rules = append(rules, c.T("QuizRuleGradeLast"))
	} else {
		rules = append(rules, c.T("QuizRuleGradeBest"))
	}
	if z.Feedback == quiz.FeedbackImmediate {
		rules = append(rules, c.T("QuizRuleFeedbackNow"))
	} else {
		rules = append(rules, c.T("QuizRuleFeedbackEnd"))
	}
	return append(rules, c.T("QuizRuleSaved"))
}

// AttemptLine is one submitted attempt in words: its number, when it was
// submitted, the score and the verdict with its mark.
func AttemptLine(c *Common, n int, a store.Attempt) string {
	when := a.StartedAt
	if a.SubmittedAt != nil {
		when = *a.SubmittedAt
	}
	verdict := c.Styles.Bad.Render("✗ " + c.T("ResultFailed"))
	if a.Passed {
		verdict = c.Styles.Good.Render("✓ " + c.T("ResultPassed"))
	}
	return c.T("QuizAttemptN", map[string]any{"N": n}) + " · " + c.Loc.DateTime(when.Local()) + " · " +
		c.Loc.Percent(quiz.Percent(a.Score, a.MaxScore)) + " · " + verdict
}

// Cited lists, comma-separated, the ids of the pack's sources that texts
// cite ("(Nguồn: S7)"), for the sources screen to show first.
func (c *Common) Cited(texts ...string) string {
	var ids []string
	for _, src := range c.Pack.Sources {
		for _, t := range texts {
			if citesID(t, src.ID) {
				ids = append(ids, src.ID)
				break
			}
		}
	}
	return strings.Join(ids, ",")
}

// citesID reports whether id occurs in t as a whole word.
func citesID(t, id string) bool {
	for i := strings.Index(t, id); i >= 0; {
		end := i + len(id)
		before := i == 0 || !isWordByte(t[i-1])
		after := end == len(t) || !isWordByte(t[end])
		if before && after {
			return true
		}
		next := strings.Index(t[i+1:], id)
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return false
}

func isWordByte(b byte) bool {
	return b == '_' || b == '-' || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')
}
