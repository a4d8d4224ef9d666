package accessible

import (
	"errors"

	"github.com/charmbracelet/x/ansi"
	"math"
	"strings"

	"hocso/lessons"
	"hocso/quiz"
	"hocso/store"
	"hocso/tui/common"
)

// errPause leaves a quiz with its attempt open; errRepeat asks a question
// again from its text (the learner pressed Enter on its own).
var (
	errPause  = errors.New("quiz paused")
	errRepeat = errors.New("question repeated")
)

// attempt is a quiz being taken: the same attempt, order and grading as the
// TUI's quiz screen, asked one question at a time.
type attempt struct {
	s   *session
	mod *lessons.Module
	z   *quiz.Quiz
	sit *store.Sitting
}

// quiz takes the module's quiz: it resumes the open attempt or starts one,
// asks each unanswered question, then offers to submit.
//
// A time limit is checked between questions: the answer to the question in
// hand is always recorded, and once time is up the attempt is submitted
// before the next question, as the TUI would have at the deadline.
func (s *session) quiz(mod *lessons.Module) error {
	c := s.c
	if start, err := s.quizStart(mod); err != nil || !start {
		return err
	}
	t, err := s.openAttempt(mod)
	if err != nil || t == nil {
		return err
	}
	s.savePlace(common.Place{Screen: common.ScreenQuiz, ModuleID: mod.ID, AttemptID: t.sit.Attempt.ID})
	s.say("", s.item(t.z.Title.In(c.Lang()), strings.Join(s.quizRules(t.z), ", "))+".")
	if t.z.TimeLimitMinutes > 0 {
		s.say(c.T("AccessibleQuizLimit", map[string]any{"Minutes": c.Loc.N("Minutes", t.z.TimeLimitMinutes)}))
	}
	s.say(c.T("AccessibleQuizIntro"))
	if t.sit.Resumed && len(t.sit.Answers) > 0 {
		s.say(c.T("AccessibleQuizResume", map[string]any{"Answered": len(t.sit.Answers), "Total": len(t.sit.Questions)}))
	}
	next := t.sit.FirstUnanswered()
	for {
		if t.timeUp() {
			s.say("", c.T("AccessibleTimeUp"))
			return t.submit()
		}
		if next == len(t.sit.Questions) {
			var done bool
			if next, done, err = t.confirmSubmit(); done || err != nil {
				return err
			}
		}
		err := t.ask(next)
		switch {
		case errors.Is(err, errPause):
			s.say("", c.T("AccessibleQuizPaused"))
			return nil
		case errors.Is(err, store.ErrAttemptClosed):
			s.fail(err)
			return t.showResult()
		case err != nil:
			return err
		}
		next = t.sit.FirstUnanswered()
	}
}

// quizStart is the quiz's start screen in words: the rules, the result that
// counts, and a choice to start, review the last attempt or go back. Nothing
// starts until the learner chooses; an open attempt is resumed at once.
func (s *session) quizStart(mod *lessons.Module) (start bool, err error) {
	c, z := s.c, mod.Quiz
	for {
		st, err := c.Store.QuizStanding(s.ctx, c.Learner.ID, c.Pack.ID, z)
		if err != nil {
			return false, s.stopped(err)
		}
		if st.Open != nil {
			return true, nil
		}
		s.say("", z.Title.In(c.Lang())+".", c.T("QuizRulesTitle")+":")
		s.say(common.QuizRules(c, z, st)...)
		best := c.T("QuizNotTaken")
		if st.HasFinal {
			best = ansi.Strip(common.AttemptLine(c, len(st.Submitted), st.Final))
			for i, a := range st.Submitted {
				if a.ID == st.Final.ID {
					best = ansi.Strip(common.AttemptLine(c, i+1, a))
				}
			}
		}
		s.say(c.T("QuizBest") + " " + best)
		var items []string
		startAt := -1
		if st.AttemptsLeft != 0 {
			startAt = len(items)
			label := c.T("QuizStart")
			if len(st.Submitted) > 0 {
				label = c.T("QuizStartAgain", map[string]any{"N": len(st.Submitted) + 1})
			}
			items = append(items, label)
		} else {
			s.say(c.T("QuizNoAttemptsLeft", map[string]any{"Max": z.MaxAttempts}))
		}
		reviewAt := len(items)
		for i := len(st.Submitted) - 1; i >= 0; i-- {
			label := ansi.Strip(common.AttemptLine(c, i+1, st.Submitted[i]))
			if i == len(st.Submitted)-1 {
				label = c.T("QuizReviewLast") + ": " + label
			}
			items = append(items, label)
		}
		items = append(items, c.T("AccessibleBackToModules"))
		i, err := s.choose("", items)
		switch {
		case err != nil:
			return false, err
		case i == startAt:
			return true, nil
		case i >= reviewAt && i < len(items)-1:
			if err := s.review(mod, st.Submitted[len(st.Submitted)-1-(i-reviewAt)].ID); err != nil {
				return false, err
			}
		default:
			return false, nil
		}
	}
}

// openAttempt resumes the learner's open attempt or starts one, as the TUI
// does (store.SitQuiz); it is nil when no attempts are left.
func (s *session) openAttempt(mod *lessons.Module) (*attempt, error) {
	c := s.c
	sit, err := c.Store.SitQuiz(s.ctx, c.Learner.ID, c.PackRef(), mod, c.Seed)
	if errors.Is(err, store.ErrNoAttemptsLeft) {
		s.say("", c.T("QuizNoAttemptsLeft", map[string]any{"Max": mod.Quiz.MaxAttempts}))
		return nil, nil
	}
	if err != nil {
		s.fail(err)
		return nil, s.stopped(nil)
	}
	return &attempt{s: s, mod: mod, z: mod.Quiz, sit: sit}, nil
}

func (t *attempt) timeUp() bool {
	deadline, ok := t.sit.Deadline()
	return ok && !t.s.c.Store.Now().Before(deadline)
}

// timeLeft is the time left in whole minutes, rounded up, in words.
func (t *attempt) timeLeft() string {
	deadline, _ := t.sit.Deadline()
	left := deadline.Sub(t.s.c.Store.Now())
	return t.s.c.T("QuizTimeLeft", map[string]any{"Time": t.s.c.Loc.N("Minutes", int(math.Ceil(max(0, left.Minutes()))))})
}

// ask asks question i until an answer is recorded, then gives the feedback
// the quiz asks for.
func (t *attempt) ask(i int) error {
	s, c, q := t.s, t.s.c, t.sit.Questions[i]
	for {
		t.showQuestion(i)
		a, err := t.read(q)
		if errors.Is(err, errRepeat) {
			continue
		}
		if err != nil {
			return err
		}
		score, err := t.sit.Answer(s.ctx, q, a)
		err = s.stopped(err)
		if errors.Is(err, store.ErrAttemptClosed) || errors.Is(err, errStop) {
			return err
		}
		if err != nil {
			s.say(c.T("AccessibleAnswerNotSaved", map[string]any{"Error": err.Error()}))
			continue
		}
		if t.z.Feedback != quiz.FeedbackImmediate {
			return nil
		}
		t.feedback(q, score)
		line, err := s.ask(c.T("FeedbackContinue"))
		if err == nil && isQuit(line) {
			err = errPause
		}
		return err
	}
}

// showQuestion says which question this is, what kind, the text and the
// choices.
func (t *attempt) showQuestion(i int) {
	s, c, q := t.s, t.s.c, t.sit.Questions[i]
	head := c.T("QuizQuestionOf", map[string]any{"N": i + 1, "Total": len(t.sit.Questions)}) + ". " + c.T("Kind_"+string(q.Kind)) + "."
	if t.z.TimeLimitMinutes > 0 {
		head += " " + t.timeLeft() + "."
	}
	s.say("", head, q.Text.In(c.Lang()))
	t.showChoices(q)
	if given, ok := t.sit.Given(q); ok {
		s.say(c.T("AccessibleCurrentAnswer", map[string]any{"Answer": common.DescribeAnswer(c, q, given)}))
	}
}

// feedback says right or wrong at once, with the right answer and why.
func (t *attempt) feedback(q *quiz.Question, score float64) {
	s, c := t.s, t.s.c
	s.say("", verdict(c, score, q.MaxPoints()))
	if score < q.MaxPoints()-1e-9 {
		s.say(c.T("ReviewRightAnswer") + " " + common.CorrectAnswer(c, q))
	}
	if ex := q.Explanation.In(c.Lang()); ex != "" {
		s.say(ex)
	}
}

// confirmSubmit offers to submit once every question is answered. It returns
// a question to answer again, or done when the quiz is left (submitted or not).
func (t *attempt) confirmSubmit() (next int, done bool, err error) {
	s, c := t.s, t.s.c
	s.say("", c.T("QuizAllAnswered", map[string]any{"Answered": len(t.sit.Answers), "Total": len(t.sit.Questions)}))
	hint := c.T("AccessibleSubmitHint", map[string]any{"Max": len(t.sit.Questions)})
	s.say(hint)
	for {
		line, err := s.ask(c.T("AccessibleSubmitAsk"))
		if err != nil {
			return 0, true, err
		}
		if yes, ok := yesNo(line); ok || isQuit(line) {
			if yes {
				return 0, true, t.submit()
			}
			s.say("", c.T("AccessibleNotSubmitted"))
			return 0, true, nil
		}
		if n, ok := number(line, len(t.sit.Questions)); ok {
			return n - 1, false, nil
		}
		s.say(hint)
	}
}

// submit closes the attempt and shows the result.
func (t *attempt) submit() error {
	if _, err := t.sit.Submit(t.s.ctx); err != nil {
		t.s.fail(err)
		return t.s.stopped(nil)
	}
	return t.showResult()
}
