package common

import (
	"hocso/quiz"
	"hocso/store"
)

// QuizRules are a quiz's rules in words, one a line, as its start screen and
// accessible mode say them before an attempt: size, pass mark, time limit,
// attempts and grading, and when the answers are checked.
func QuizRules(c *Common, z *quiz.Quiz, st store.QuizStanding) []string {
	rules := []string{
		c.Loc.N("QuestionCount", z.Asked()) + " · " + c.T("PassMark", map[string]any{"Percent": c.Loc.Percent(z.PassMark)}),
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
