package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"hocso/lessons"
	"hocso/quiz"
)

// ErrNoAttemptsLeft is returned when a learner has used every attempt a quiz allows.
var ErrNoAttemptsLeft = errors.New("no attempts left")

// Sitting is a learner taking one attempt at a module's quiz: the attempt,
// its questions in the attempt's order and the answers given so far. Every
// interface (the TUI, accessible mode) takes quizzes through it, so they
// start, grade, record and submit attempts the same way.
type Sitting struct {
	s       *Store
	Pack    PackRef
	Quiz    *quiz.Quiz
	Attempt Attempt
	// Questions are in the attempt's order; questions the pack no longer has are left out.
	Questions []*quiz.Question
	Answers   map[string]Answer
	// Resumed is set when the attempt was already open.
	Resumed bool
	// pending is set while a new attempt is only planned: it is recorded
	// with the first answer (or the submission), so that opening a quiz and
	// leaving it again leaves no open attempt behind.
	pending   bool
	learnerID string
	moduleID  string
}

// QuizStanding is what a learner has done at a quiz, read without starting
// anything: what a quiz's start screen shows.
type QuizStanding struct {
	Open      *Attempt  // the unsubmitted attempt, if any
	Submitted []Attempt // oldest first
	// Final is the submitted attempt that counts under the quiz's grading
	// rule; HasFinal is false before the first submission.
	Final    Attempt
	HasFinal bool
	// AttemptsLeft is how many new attempts may still start; -1 when unlimited.
	AttemptsLeft int
}

// QuizStanding reads a learner's attempts at z; it writes nothing.
func (s *Store) QuizStanding(ctx context.Context, learnerID, packID string, z *quiz.Quiz) (QuizStanding, error) {
	all, err := s.Attempts(ctx, learnerID, packID, z.ID)
	if err != nil {
		return QuizStanding{}, err
	}
	st := QuizStanding{AttemptsLeft: -1}
	for i, a := range all {
		if a.SubmittedAt == nil {
			st.Open = &all[i]
			continue
		}
		st.Submitted = append(st.Submitted, a)
	}
	st.Final, st.HasFinal = FinalAttempt(z.Grading, st.Submitted)
	if z.MaxAttempts > 0 {
		st.AttemptsLeft = max(0, z.MaxAttempts-len(st.Submitted))
	}
	return st, nil
}

// SitQuiz resumes the learner's open attempt at mod's quiz, or plans a new
// one whose question order and option arrangement come from newSeed(). A
// planned attempt is recorded with its first answer, except a timed one,
// whose clock starts at once. It returns ErrNoAttemptsLeft when the quiz
// allows no more attempts.
func (s *Store) SitQuiz(ctx context.Context, learnerID string, pack PackRef, mod *lessons.Module, newSeed func() int64) (*Sitting, error) {
	z := mod.Quiz
	if z == nil {
		return nil, fmt.Errorf("module %s has no quiz", mod.ID)
	}
	sit := &Sitting{s: s, Pack: pack, Quiz: z, learnerID: learnerID, moduleID: mod.ID}
	open, err := s.OpenAttempt(ctx, learnerID, pack.ID, z.ID)
	if err != nil {
		return nil, err
	}
	if open != nil {
		sit.Attempt, sit.Resumed = *open, true
	} else {
		if z.MaxAttempts > 0 {
			done, err := s.Attempts(ctx, learnerID, pack.ID, z.ID)
			if err != nil {
				return nil, err
			}
			if len(done) >= z.MaxAttempts {
				return nil, ErrNoAttemptsLeft
			}
		}
		seed := newSeed()
		sit.Attempt = Attempt{LearnerID: learnerID, PackID: pack.ID, ModuleID: mod.ID, QuizID: z.ID,
			Seed: seed, QuestionIDs: z.Order(seed), PassMark: z.PassMark}
		sit.pending = true
		if z.TimeLimitMinutes > 0 {
			if err := sit.begin(ctx); err != nil {
				return nil, err
			}
		}
	}
	for _, id := range sit.Attempt.QuestionIDs {
		if q := z.Question(id); q != nil {
			sit.Questions = append(sit.Questions, q)
		}
	}
	sit.Answers = map[string]Answer{}
	if !sit.pending {
		if sit.Answers, err = s.Answers(ctx, sit.Attempt.ID); err != nil {
			return nil, err
		}
	}
	return sit, nil
}

// Started reports whether the attempt is recorded (false while it is only planned).
func (sit *Sitting) Started() bool { return !sit.pending }

// begin records a planned attempt.
func (sit *Sitting) begin(ctx context.Context) error {
	if !sit.pending {
		return nil
	}
	a := sit.Attempt
	started, err := sit.s.StartAttempt(ctx, sit.learnerID, sit.Pack, sit.moduleID, a.QuizID, a.Seed, a.QuestionIDs, a.PassMark)
	if err != nil {
		return err
	}
	sit.Attempt, sit.pending = started, false
	return nil
}

// Unanswered are the indexes of the questions without an answer.
func (sit *Sitting) Unanswered() []int {
	var out []int
	for i, q := range sit.Questions {
		if _, ok := sit.Answers[q.ID]; !ok {
			out = append(out, i)
		}
	}
	return out
}

// FirstUnanswered is the index of the first question without an answer, or
// len(Questions) when all are answered.
func (sit *Sitting) FirstUnanswered() int {
	for i, q := range sit.Questions {
		if _, ok := sit.Answers[q.ID]; !ok {
			return i
		}
	}
	return len(sit.Questions)
}

// Given is the answer recorded for q, if any.
func (sit *Sitting) Given(q *quiz.Question) (quiz.Answer, bool) {
	var a quiz.Answer
	rec, ok := sit.Answers[q.ID]
	if !ok || json.Unmarshal(rec.Answer, &a) != nil {
		return a, false
	}
	return a, true
}

// Deadline is when a timed quiz must be submitted; ok is false without a time limit.
func (sit *Sitting) Deadline() (deadline time.Time, ok bool) {
	if sit.Quiz.TimeLimitMinutes <= 0 {
		return time.Time{}, false
	}
	return sit.Attempt.StartedAt.Add(time.Duration(sit.Quiz.TimeLimitMinutes) * time.Minute), true
}

// Answer grades a and commits it before it returns the points it earned.
func (sit *Sitting) Answer(ctx context.Context, q *quiz.Question, a quiz.Answer) (float64, error) {
	raw, err := json.Marshal(a)
	if err != nil {
		return 0, fmt.Errorf("encode answer: %w", err)
	}
	if err := sit.begin(ctx); err != nil {
		return 0, err
	}
	score := quiz.Grade(q, a)
	p := AnsweredPayload{QuestionHash: q.Hash(), Answer: raw, Score: score, MaxScore: q.MaxPoints()}
	if err := sit.s.RecordAnswer(ctx, sit.Attempt, sit.Pack, q.ID, p); err != nil {
		return 0, err
	}
	sit.Answers[q.ID] = Answer{QuestionID: q.ID, QuestionHash: p.QuestionHash, Answer: raw, Score: score, MaxScore: p.MaxScore}
	return score, nil
}

// Submit closes the attempt with the score of the answers recorded in it;
// unanswered questions count as zero. An attempt already submitted (by
// another screen, or the deadline) is returned as it was submitted.
func (sit *Sitting) Submit(ctx context.Context) (Attempt, error) {
	if err := sit.begin(ctx); err != nil {
		return Attempt{}, err
	}
	var score, maxScore float64
	for _, q := range sit.Questions {
		maxScore += q.MaxPoints()
		if a, ok := sit.Answers[q.ID]; ok {
			score += a.Score
		}
	}
	a, err := sit.s.SubmitAttempt(ctx, sit.Attempt, sit.Pack, score, maxScore, sit.Quiz.Passed(score, maxScore))
	if errors.Is(err, ErrAttemptClosed) {
		a, err = sit.s.Attempt(ctx, sit.Attempt.ID)
	}
	if err != nil {
		return Attempt{}, err
	}
	sit.Attempt = a
	return a, nil
}
