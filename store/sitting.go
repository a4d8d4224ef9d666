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
}

// SitQuiz resumes the learner's open attempt at mod's quiz, or starts one
// whose question order and option arrangement come from newSeed(). It
// returns ErrNoAttemptsLeft when the quiz allows no more attempts.
func (s *Store) SitQuiz(ctx context.Context, learnerID string, pack PackRef, mod *lessons.Module, newSeed func() int64) (*Sitting, error) {
	z := mod.Quiz
	if z == nil {
		return nil, fmt.Errorf("module %s has no quiz", mod.ID)
	}
	sit := &Sitting{s: s, Pack: pack, Quiz: z}
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
		sit.Attempt, err = s.StartAttempt(ctx, learnerID, pack, mod.ID, z.ID, seed, z.Order(seed), z.PassMark)
		if errors.Is(err, ErrAttemptOpen) {
			// Another process started one between our read and our write: share it.
			open, err = s.OpenAttempt(ctx, learnerID, pack.ID, z.ID)
			if err == nil && open == nil {
				err = ErrNoAttempt
			}
			if err != nil {
				return nil, err
			}
			sit.Attempt, sit.Resumed = *open, true
		} else if err != nil {
			return nil, err
		}
	}
	for _, id := range sit.Attempt.QuestionIDs {
		if q := z.Question(id); q != nil {
			sit.Questions = append(sit.Questions, q)
		}
	}
	if sit.Answers, err = s.Answers(ctx, sit.Attempt.ID); err != nil {
		return nil, err
	}
	return sit, nil
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
	score := quiz.Grade(q, a)
	p := AnsweredPayload{QuestionHash: q.Hash(), Answer: raw, Score: score, MaxScore: q.MaxPoints()}
	if err := sit.s.RecordAnswer(ctx, sit.Attempt, sit.Pack, q.ID, p); err != nil {
		return 0, err
	}
	sit.Answers[q.ID] = Answer{QuestionID: q.ID, QuestionHash: p.QuestionHash, Answer: raw, Score: score, MaxScore: p.MaxScore}
	return score, nil
}

// Submit closes the attempt with the score of the answers stored for it;
// unanswered questions count as zero. An attempt already submitted (by
// another screen, or the deadline) is returned as it was submitted. Either
// way Answers is then read again, so that a result screen shows the answers
// the score was computed from, also those another process gave.
func (sit *Sitting) Submit(ctx context.Context) (Attempt, error) {
	var maxScore float64
	for _, q := range sit.Questions {
		maxScore += q.MaxPoints()
	}
	a, err := sit.s.SubmitAttempt(ctx, sit.Attempt, sit.Pack, maxScore)
	if errors.Is(err, ErrAttemptClosed) {
		a, err = sit.s.Attempt(ctx, sit.Attempt.ID)
	}
	if err != nil {
		return Attempt{}, err
	}
	answers, err := sit.s.Answers(ctx, a.ID)
	if err != nil {
		return Attempt{}, err
	}
	sit.Attempt, sit.Answers = a, answers
	return a, nil
}
