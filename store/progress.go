package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// PackRef names the exact pack content an event happened in.
type PackRef struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Hash    string `json:"hash"`
}

func (s *Store) recordIn(ctx context.Context, pack PackRef, kind, learnerID, itemID string, payload any) (Event, error) {
	ev, err := s.NewEvent(kind, learnerID, payload)
	if err != nil {
		return Event{}, err
	}
	ev.PackID, ev.PackVersion, ev.PackHash, ev.ItemID = pack.ID, pack.Version, pack.Hash, itemID
	return ev, s.Record(ctx, ev)
}

// LessonState is a learner's progress in one lesson.
type LessonState struct {
	LessonID    string     `json:"lesson_id"`
	ModuleID    string     `json:"module_id"`
	OpenedAt    time.Time  `json:"opened_at"`
	CompletedAt *time.Time `json:"completed_at,omitempty"`
}

// OpenLesson records that a learner opened a lesson, the first time only.
func (s *Store) OpenLesson(ctx context.Context, learnerID string, pack PackRef, moduleID, lessonID string) error {
	var n int
	if err := s.prepared().QueryRowContext(ctx, `SELECT count(*) FROM lesson_progress WHERE learner_id = ? AND pack_id = ? AND lesson_id = ?`,
		learnerID, pack.ID, lessonID).Scan(&n); err != nil {
		return fmt.Errorf("read lesson progress: %w", err)
	}
	if n > 0 {
		return nil
	}
	_, err := s.recordIn(ctx, pack, KindLessonOpened, learnerID, lessonID, LessonPayload{ModuleID: moduleID})
	return err
}

// CompleteLesson records that a learner read a lesson to its end, the first time only.
func (s *Store) CompleteLesson(ctx context.Context, learnerID string, pack PackRef, moduleID, lessonID string) error {
	var n int
	if err := s.prepared().QueryRowContext(ctx, `SELECT count(*) FROM lesson_progress WHERE learner_id = ? AND pack_id = ?
		AND lesson_id = ? AND completed_at IS NOT NULL`, learnerID, pack.ID, lessonID).Scan(&n); err != nil {
		return fmt.Errorf("read lesson progress: %w", err)
	}
	if n > 0 {
		return nil
	}
	_, err := s.recordIn(ctx, pack, KindLessonCompleted, learnerID, lessonID, LessonPayload{ModuleID: moduleID})
	return err
}

const lessonsQuery = `SELECT lesson_id, module_id, opened_at, completed_at FROM lesson_progress
	WHERE learner_id = ? AND pack_id = ?`

// Lessons returns a learner's progress in every lesson of a pack they opened, by lesson id.
func (s *Store) Lessons(ctx context.Context, learnerID, packID string) (map[string]LessonState, error) {
	rows, err := s.prepared().QueryContext(ctx, lessonsQuery, learnerID, packID)
	if err != nil {
		return nil, fmt.Errorf("read lesson progress: %w", err)
	}
	defer rows.Close()
	out := map[string]LessonState{}
	for rows.Next() {
		var st LessonState
		var opened string
		var completed sql.NullString
		if err := rows.Scan(&st.LessonID, &st.ModuleID, &opened, &completed); err != nil {
			return nil, fmt.Errorf("read lesson progress: %w", err)
		}
		st.OpenedAt = parseTime(opened)
		if completed.Valid {
			t := parseTime(completed.String)
			st.CompletedAt = &t
		}
		out[st.LessonID] = st
	}
	return out, rows.Err()
}

// Attempt is one try at a quiz, open until submitted.
type Attempt struct {
	ID          string     `json:"id"`
	LearnerID   string     `json:"learner_id"`
	PackID      string     `json:"pack_id"`
	PackVersion string     `json:"pack_version"`
	ModuleID    string     `json:"module_id"`
	QuizID      string     `json:"quiz_id"`
	Seed        int64      `json:"seed"`
	QuestionIDs []string   `json:"question_ids"`
	PassMark    float64    `json:"pass_mark"`
	StartedAt   time.Time  `json:"started_at"`
	SubmittedAt *time.Time `json:"submitted_at,omitempty"`
	Score       float64    `json:"score"`
	MaxScore    float64    `json:"max_score"`
	Passed      bool       `json:"passed"`
}

// Answer is the latest answer given to one question of an attempt.
type Answer struct {
	QuestionID   string          `json:"question_id"`
	QuestionHash string          `json:"question_hash"`
	Answer       json.RawMessage `json:"answer"`
	Score        float64         `json:"score"`
	MaxScore     float64         `json:"max_score"`
	AnsweredAt   time.Time       `json:"answered_at"`
}

// StartAttempt opens a new attempt with its question order fixed by the caller.
func (s *Store) StartAttempt(ctx context.Context, learnerID string, pack PackRef, moduleID, quizID string,
	seed int64, questionIDs []string, passMark float64) (Attempt, error) {
	id := uuid.Must(uuid.NewV7()).String()
	_, err := s.recordIn(ctx, pack, KindQuizStarted, learnerID, quizID, QuizStartedPayload{
		AttemptID: id, ModuleID: moduleID, Seed: seed, QuestionIDs: questionIDs, PassMark: passMark,
	})
	if err != nil {
		return Attempt{}, err
	}
	return s.Attempt(ctx, id)
}

// RecordAnswer commits one graded answer of an open attempt.
func (s *Store) RecordAnswer(ctx context.Context, a Attempt, pack PackRef, questionID string, p AnsweredPayload) error {
	p.AttemptID = a.ID
	_, err := s.recordIn(ctx, pack, KindQuizAnswered, a.LearnerID, questionID, p)
	return err
}

// SubmitAttempt closes an attempt; it never changes after. maxScore is the
// points of all its questions, answered or not. The score and the verdict are
// computed from the stored answers in the transaction that submits, whatever
// the caller believes was answered.
func (s *Store) SubmitAttempt(ctx context.Context, a Attempt, pack PackRef, maxScore float64) (Attempt, error) {
	_, err := s.recordIn(ctx, pack, KindQuizSubmitted, a.LearnerID, a.QuizID, SubmittedPayload{
		AttemptID: a.ID, MaxScore: maxScore,
	})
	if err != nil {
		return Attempt{}, err
	}
	return s.Attempt(ctx, a.ID)
}

const attemptColumns = `id, learner_id, pack_id, pack_version, module_id, quiz_id, seed, question_ids, pass_mark,
	started_at, submitted_at, coalesce(score, 0), coalesce(max_score, 0), coalesce(passed, 0)`

// Attempt returns one attempt.
func (s *Store) Attempt(ctx context.Context, id string) (Attempt, error) {
	as, err := s.queryAttempts(ctx, `WHERE id = ?`, id)
	if err != nil {
		return Attempt{}, err
	}
	if len(as) == 0 {
		return Attempt{}, fmt.Errorf("attempt %s: %w", id, ErrNoAttempt)
	}
	return as[0], nil
}

// Attempts returns a learner's attempts at a quiz, oldest first; all the
// learner's attempts in the pack when quizID is "".
func (s *Store) Attempts(ctx context.Context, learnerID, packID, quizID string) ([]Attempt, error) {
	return s.queryAttempts(ctx, `WHERE learner_id = ? AND pack_id = ? AND (? = '' OR quiz_id = ?) ORDER BY started_at, id`,
		learnerID, packID, quizID, quizID)
}

// openAttemptWhere finds the open attempt through the index attempts_open.
const openAttemptWhere = `WHERE learner_id = ? AND pack_id = ? AND quiz_id = ? AND submitted_at IS NULL
	ORDER BY started_at DESC, id DESC LIMIT 1`

// OpenAttempt returns the learner's unsubmitted attempt at a quiz, if any.
func (s *Store) OpenAttempt(ctx context.Context, learnerID, packID, quizID string) (*Attempt, error) {
	as, err := s.queryAttempts(ctx, openAttemptWhere, learnerID, packID, quizID)
	if err != nil || len(as) == 0 {
		return nil, err
	}
	return &as[0], nil
}

func (s *Store) queryAttempts(ctx context.Context, where string, args ...any) ([]Attempt, error) {
	rows, err := s.prepared().QueryContext(ctx, `SELECT `+attemptColumns+` FROM attempts `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read attempts: %w", err)
	}
	defer rows.Close()
	var out []Attempt
	for rows.Next() {
		a, err := scanAttempt(rows, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Answers returns the answers of an attempt by question id.
func (s *Store) Answers(ctx context.Context, attemptID string) (map[string]Answer, error) {
	rows, err := s.prepared().QueryContext(ctx, `SELECT question_id, question_hash, answer, score, max_score, answered_at
		FROM answers WHERE attempt_id = ?`, attemptID)
	if err != nil {
		return nil, fmt.Errorf("read answers: %w", err)
	}
	defer rows.Close()
	out := map[string]Answer{}
	for rows.Next() {
		var a Answer
		var raw, at string
		if err := rows.Scan(&a.QuestionID, &a.QuestionHash, &raw, &a.Score, &a.MaxScore, &at); err != nil {
			return nil, fmt.Errorf("read answers: %w", err)
		}
		a.Answer, a.AnsweredAt = json.RawMessage(raw), parseTime(at)
		out[a.QuestionID] = a
	}
	return out, rows.Err()
}
