package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

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
	pending bool
	// plannedAfter is how many attempts the quiz had when this one was
	// planned: one more by the time it is recorded was taken on another
	// screen, and this sitting then shows that one rather than start anew.
	plannedAfter int
	learnerID    string
	moduleID     string
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
		done, err := s.Attempts(ctx, learnerID, pack.ID, z.ID)
		if err != nil {
			return nil, err
		}
		if z.MaxAttempts > 0 && len(done) >= z.MaxAttempts {
			return nil, ErrNoAttemptsLeft
		}
		sit.plannedAfter = len(done)
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
	if err := sit.load(ctx); err != nil {
		return nil, err
	}
	return sit, nil
}

// load takes the questions in the attempt's order and, once it is recorded,
// the answers stored for it.
func (sit *Sitting) load(ctx context.Context) error {
	sit.Questions = nil
	for _, id := range sit.Attempt.QuestionIDs {
		if q := sit.Quiz.Question(id); q != nil {
			sit.Questions = append(sit.Questions, q)
		}
	}
	sit.Answers = map[string]Answer{}
	if sit.pending {
		return nil
	}
	var err error
	sit.Answers, err = sit.s.Answers(ctx, sit.Attempt.ID)
	return err
}

// Started reports whether the attempt is recorded (false while it is only planned).
func (sit *Sitting) Started() bool { return !sit.pending }

// begin records a planned attempt. If another screen has started an attempt
// at the quiz since this one was planned, the sitting joins it while it is
// open, so both record into one attempt; if that attempt is already
// submitted, the sitting shows it and begin returns ErrAttemptClosed, as for
// any attempt submitted elsewhere.
func (sit *Sitting) begin(ctx context.Context) error {
	if !sit.pending {
		return nil
	}
	a := sit.Attempt
	started, err := sit.s.startAttemptAfter(ctx, sit.plannedAfter, sit.learnerID, sit.Pack, sit.moduleID, a)
	if errors.Is(err, errStartedElsewhere) {
		all, err := sit.s.Attempts(ctx, sit.learnerID, sit.Pack.ID, a.QuizID)
		if err != nil {
			return err
		}
		latest := all[len(all)-1]
		sit.Attempt, sit.pending, sit.Resumed = latest, false, true
		if err := sit.load(ctx); err != nil {
			return err
		}
		if latest.SubmittedAt != nil {
			return ErrAttemptClosed
		}
		return nil
	}
	if errors.Is(err, ErrAttemptOpen) {
		// Started elsewhere and still open: join it.
		open, err := sit.s.OpenAttempt(ctx, sit.learnerID, sit.Pack.ID, a.QuizID)
		if err == nil && open == nil {
			err = ErrNoAttempt
		}
		if err != nil {
			return err
		}
		sit.Attempt, sit.pending, sit.Resumed = *open, false, true
		return sit.load(ctx)
	}
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

// Submit closes the attempt with the score of the answers stored for it;
// unanswered questions count as zero. An attempt already submitted (by
// another screen, or the deadline) is returned as it was submitted. Either
// way Answers is then read again, so that a result screen shows the answers
// the score was computed from, also those another process gave.
func (sit *Sitting) Submit(ctx context.Context) (Attempt, error) {
	if err := sit.begin(ctx); err != nil && !errors.Is(err, ErrAttemptClosed) {
		return Attempt{}, err
	}
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

// errStartedElsewhere: the quiz has more attempts than when the sitting was planned.
var errStartedElsewhere = errors.New("an attempt was started on another screen")

// startAttemptAfter records the planned attempt a, unless the learner's
// attempts at the quiz are no longer the seen ones (errStartedElsewhere): the
// count and the start share one write transaction, so two screens planning
// at once never both start one.
func (s *Store) startAttemptAfter(ctx context.Context, seen int, learnerID string, pack PackRef, moduleID string, a Attempt) (Attempt, error) {
	id := uuid.Must(uuid.NewV7()).String()
	ev, err := s.NewEvent(KindQuizStarted, learnerID, QuizStartedPayload{
		AttemptID: id, ModuleID: moduleID, Seed: a.Seed, QuestionIDs: a.QuestionIDs, PassMark: a.PassMark,
	})
	if err != nil {
		return Attempt{}, err
	}
	ev.PackID, ev.PackVersion, ev.PackHash, ev.ItemID = pack.ID, pack.Version, pack.Hash, a.QuizID
	err = s.inWrite(ctx, func(tx dbtx) error {
		if err := s.lockLogShared(ctx, tx); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM attempts WHERE learner_id = ? AND pack_id = ? AND quiz_id = ?`,
			learnerID, pack.ID, a.QuizID).Scan(&n); err != nil {
			return err
		}
		if n > seen {
			return errStartedElsewhere
		}
		return s.appendTx(ctx, tx, ev)
	})
	if errors.Is(err, errStartedElsewhere) {
		return Attempt{}, err
	}
	if err != nil {
		return Attempt{}, fmt.Errorf("start attempt: %w", classify(err))
	}
	return s.Attempt(ctx, id)
}
