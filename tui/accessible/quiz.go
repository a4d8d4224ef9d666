package accessible

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"time"

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
	s       *session
	mod     *lessons.Module
	z       *quiz.Quiz
	a       store.Attempt
	qs      []*quiz.Question // in the attempt's order; questions the pack no longer has are left out
	answers map[string]store.Answer
}

// quiz takes the module's quiz: it resumes the open attempt or starts one,
// asks each unanswered question, then offers to submit.
//
// A time limit is checked between questions: the answer to the question in
// hand is always recorded, and once time is up the attempt is submitted
// before the next question, as the TUI would have at the deadline.
func (s *session) quiz(mod *lessons.Module) error {
	c := s.c
	t, resumed, err := s.openAttempt(mod)
	if err != nil || t == nil {
		return err
	}
	s.savePlace(common.Place{Screen: common.ScreenQuiz, ModuleID: mod.ID, AttemptID: t.a.ID})
	s.say("", s.item(t.z.Title.In(c.Lang()), strings.Join(s.quizRules(t.z), ", "))+".")
	if t.z.TimeLimitMinutes > 0 {
		s.say(c.T("AccessibleQuizLimit", map[string]any{"Minutes": c.Loc.N("Minutes", t.z.TimeLimitMinutes)}))
	}
	s.say(c.T("AccessibleQuizIntro"))
	if resumed && len(t.answers) > 0 {
		s.say(c.T("AccessibleQuizResume", map[string]any{"Answered": len(t.answers), "Total": len(t.qs)}))
	}
	next := t.firstUnanswered()
	for {
		if t.timeUp() {
			s.say("", c.T("AccessibleTimeUp"))
			return t.submit()
		}
		if next == len(t.qs) {
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
		next = t.firstUnanswered()
	}
}

// openAttempt resumes the learner's open attempt or starts one exactly as
// the TUI does; it is nil when no attempts are left.
func (s *session) openAttempt(mod *lessons.Module) (t *attempt, resumed bool, err error) {
	c, z := s.c, mod.Quiz
	open, err := c.Store.OpenAttempt(s.ctx, c.Learner.ID, c.Pack.ID, z.ID)
	if err != nil {
		s.fail(err)
		return nil, false, s.stopped(nil)
	}
	t = &attempt{s: s, mod: mod, z: z}
	if open != nil {
		t.a, resumed = *open, true
	} else {
		if z.MaxAttempts > 0 {
			done, err := c.Store.Attempts(s.ctx, c.Learner.ID, c.Pack.ID, z.ID)
			if err != nil {
				s.fail(err)
				return nil, false, s.stopped(nil)
			}
			if len(done) >= z.MaxAttempts {
				s.say("", c.T("QuizNoAttemptsLeft", map[string]any{"Max": z.MaxAttempts}))
				return nil, false, nil
			}
		}
		seed := quiz.NewSeed()
		if c.NewSeed != nil {
			seed = c.NewSeed()
		}
		if t.a, err = c.Store.StartAttempt(s.ctx, c.Learner.ID, c.PackRef(), mod.ID, z.ID, seed, z.Order(seed), z.PassMark); err != nil {
			s.fail(err)
			return nil, false, s.stopped(nil)
		}
	}
	for _, id := range t.a.QuestionIDs {
		if q := z.Question(id); q != nil {
			t.qs = append(t.qs, q)
		}
	}
	if t.answers, err = c.Store.Answers(s.ctx, t.a.ID); err != nil {
		s.fail(err)
		return nil, false, s.stopped(nil)
	}
	return t, resumed, nil
}

func (t *attempt) firstUnanswered() int {
	for i, q := range t.qs {
		if _, ok := t.answers[q.ID]; !ok {
			return i
		}
	}
	return len(t.qs)
}

func (t *attempt) deadline() time.Time {
	return t.a.StartedAt.Add(time.Duration(t.z.TimeLimitMinutes) * time.Minute)
}

func (t *attempt) timeUp() bool {
	return t.z.TimeLimitMinutes > 0 && !t.s.c.Store.Now().Before(t.deadline())
}

// timeLeft is the time left in whole minutes, rounded up, in words.
func (t *attempt) timeLeft() string {
	left := t.deadline().Sub(t.s.c.Store.Now())
	return t.s.c.T("QuizTimeLeft", map[string]any{"Time": t.s.c.Loc.N("Minutes", int(math.Ceil(max(0, left.Minutes()))))})
}

// ask asks question i until an answer is recorded, then gives the feedback
// the quiz asks for.
func (t *attempt) ask(i int) error {
	s, c, q := t.s, t.s.c, t.qs[i]
	for {
		t.showQuestion(i)
		a, err := t.read(q)
		if errors.Is(err, errRepeat) {
			continue
		}
		if err != nil {
			return err
		}
		score, err := t.record(q, a)
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
	s, c, q := t.s, t.s.c, t.qs[i]
	head := c.T("QuizQuestionOf", map[string]any{"N": i + 1, "Total": len(t.qs)}) + ". " + c.T("Kind_"+string(q.Kind)) + "."
	if t.z.TimeLimitMinutes > 0 {
		head += " " + t.timeLeft() + "."
	}
	s.say("", head, q.Text.In(c.Lang()))
	t.showChoices(q)
	if prev, ok := t.answers[q.ID]; ok {
		var given quiz.Answer
		_ = json.Unmarshal(prev.Answer, &given)
		s.say(c.T("AccessibleCurrentAnswer", map[string]any{"Answer": common.DescribeAnswer(c, q, given)}))
	}
}

// record grades an answer and commits it at once, with the payload the
// TUI's quiz screen records.
func (t *attempt) record(q *quiz.Question, a quiz.Answer) (float64, error) {
	c := t.s.c
	raw, err := json.Marshal(a)
	if err != nil {
		return 0, err
	}
	score := quiz.Grade(q, a)
	p := store.AnsweredPayload{QuestionHash: q.Hash(), Answer: raw, Score: score, MaxScore: q.MaxPoints()}
	if err := c.Store.RecordAnswer(t.s.ctx, t.a, c.PackRef(), q.ID, p); err != nil {
		return 0, t.s.stopped(err)
	}
	t.answers[q.ID] = store.Answer{QuestionID: q.ID, QuestionHash: p.QuestionHash, Answer: raw, Score: score, MaxScore: p.MaxScore}
	return score, nil
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
	s.say("", c.T("QuizAllAnswered", map[string]any{"Answered": len(t.answers), "Total": len(t.qs)}))
	hint := c.T("AccessibleSubmitHint", map[string]any{"Max": len(t.qs)})
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
		if n, ok := number(line, len(t.qs)); ok {
			return n - 1, false, nil
		}
		s.say(hint)
	}
}

// submit closes the attempt with the score of the answers recorded in it
// (unanswered questions count as zero) and shows the result.
func (t *attempt) submit() error {
	c := t.s.c
	var score, maxScore float64
	for _, q := range t.qs {
		maxScore += q.MaxPoints()
		if a, ok := t.answers[q.ID]; ok {
			score += a.Score
		}
	}
	_, err := c.Store.SubmitAttempt(t.s.ctx, t.a, c.PackRef(), score, maxScore, t.z.Passed(score, maxScore))
	if err != nil && !errors.Is(err, store.ErrAttemptClosed) {
		t.s.fail(err)
		return t.s.stopped(nil)
	}
	return t.showResult()
}
