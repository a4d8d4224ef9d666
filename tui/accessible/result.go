package accessible

import (
	"encoding/json"

	"hocso/lessons"
	"hocso/quiz"
	"hocso/tui/common"
)

// showResult says the score, pass or fail and the pass mark, then goes
// through every question: the learner's answer, the right one when it was
// missed, and the explanation.
func (t *attempt) showResult() error { return t.s.review(t.mod, t.sit.Attempt.ID) }

// review says a submitted attempt of mod's quiz, question by question.
func (s *session) review(mod *lessons.Module, attemptID string) error {
	c := s.c
	t := &attempt{s: s, mod: mod, z: mod.Quiz}
	lang := c.Lang()
	a, err := c.Store.Attempt(s.ctx, attemptID)
	if err != nil {
		s.fail(err)
		return s.stopped(nil)
	}
	answers, err := c.Store.Answers(s.ctx, a.ID)
	if err != nil {
		s.fail(err)
		return s.stopped(nil)
	}
	s.savePlace(common.Place{Screen: common.ScreenResult, ModuleID: t.mod.ID, AttemptID: a.ID})
	v := c.T("ResultFailed")
	if a.Passed {
		v = c.T("ResultPassed")
	}
	s.say("", c.T("ResultTitle", map[string]any{"Quiz": t.z.Title.In(lang)}))
	s.say(v + ". " + c.T("ResultScore", map[string]any{
		"Score":    c.Loc.Number(a.Score, 2),
		"Max":      c.Loc.Number(a.MaxScore, 2),
		"Percent":  c.Loc.Percent(quiz.Percent(a.Score, a.MaxScore)),
		"PassMark": c.Loc.Percent(a.PassMark),
	}) + ".")
	s.say("", c.T("AccessibleReviewTitle"))
	for i, id := range a.QuestionIDs {
		q := t.z.Question(id)
		if q == nil {
			continue
		}
		if i > 0 && i%reviewPage == 0 {
			if more, err := s.more(); err != nil || !more {
				return err
			}
		}
		ans := answers[id]
		var given quiz.Answer
		_ = json.Unmarshal(ans.Answer, &given)
		s.say("", c.T("QuizQuestionOf", map[string]any{"N": i + 1, "Total": len(a.QuestionIDs)})+". "+q.Text.In(lang))
		s.say(verdict(c, ans.Score, q.MaxPoints()))
		s.say(c.T("ReviewYourAnswer") + " " + common.DescribeAnswer(c, q, given))
		if ans.Score < q.MaxPoints()-1e-9 {
			s.say(c.T("ReviewRightAnswer") + " " + common.CorrectAnswer(c, q))
		}
		if ex := q.Explanation.In(lang); ex != "" {
			s.say(ex)
		}
		if ans.QuestionHash != "" && ans.QuestionHash != q.Hash() {
			s.say(c.T("ReviewChanged"))
		}
	}
	return nil
}

// reviewPage is how many questions the review says before it waits: a
// screen reader user then hears it in parts, not 188 lines at once.
const reviewPage = 3

// more asks to go on with a long text: Enter goes on, q stops.
func (s *session) more() (bool, error) {
	line, err := s.ask(s.c.T("AccessibleMore"))
	if err != nil {
		return false, err
	}
	return !isQuit(line), nil
}

// verdict is right, partly right (with the points) or wrong, in words only.
func verdict(c *common.Common, score, max float64) string {
	switch {
	case score >= max-1e-9:
		return c.T("ReviewCorrect") + "."
	case score > 0:
		return c.T("ReviewPartial") + " (" + c.T("AccessiblePoints", map[string]any{
			"Score": c.Loc.Number(score, 2), "Max": c.Loc.Number(max, 2)}) + ")."
	}
	return c.T("ReviewWrong") + "."
}
