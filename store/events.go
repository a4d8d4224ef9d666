package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Event kinds.
const (
	KindProfile         = "learner.profile"
	KindLessonOpened    = "lesson.opened"
	KindLessonCompleted = "lesson.completed"
	KindQuizStarted     = "quiz.started"
	KindQuizAnswered    = "quiz.answered"
	KindQuizSubmitted   = "quiz.submitted"
)

// ErrAttemptClosed is returned when an answer or a submission names an attempt
// that was already submitted: a submitted attempt never changes.
var ErrAttemptClosed = errors.New("attempt already submitted")

// ErrAttemptOpen is returned when a new attempt is started while the learner
// still has one open at the same quiz (started by another process, say).
var ErrAttemptOpen = errors.New("an attempt at this quiz is already open")

// ErrNoAttempt is returned for an answer to an attempt this device does not know.
var ErrNoAttempt = errors.New("no such attempt")

// Event is one immutable fact. ID is a UUIDv7 made on the device that saw it
// happen; merging two logs is a set union by ID.
type Event struct {
	ID          string          `json:"id"`
	LearnerID   string          `json:"learner_id"`
	DeviceID    string          `json:"device_id"`
	Kind        string          `json:"kind"`
	PackID      string          `json:"pack_id,omitempty"`
	PackVersion string          `json:"pack_version,omitempty"`
	PackHash    string          `json:"pack_hash,omitempty"`
	ItemID      string          `json:"item_id,omitempty"`
	Time        time.Time       `json:"time"`
	Payload     json.RawMessage `json:"payload"`
}

// Payloads of the event kinds.
type (
	// ProfilePayload is a learner's profile as of the event; the newest wins.
	ProfilePayload struct {
		FullName  string `json:"full_name"`
		StaffCode string `json:"staff_code"`
		UnitPath  string `json:"unit_path"`
	}
	// LessonPayload goes with lesson.opened and lesson.completed.
	LessonPayload struct {
		ModuleID string `json:"module_id"`
	}
	// QuizStartedPayload fixes everything needed to show the attempt again the same way.
	QuizStartedPayload struct {
		AttemptID   string   `json:"attempt_id"`
		ModuleID    string   `json:"module_id"`
		Seed        int64    `json:"seed"`
		QuestionIDs []string `json:"question_ids"`
		PassMark    float64  `json:"pass_mark"`
	}
	// AnsweredPayload is one answer as given and graded.
	AnsweredPayload struct {
		AttemptID    string          `json:"attempt_id"`
		QuestionHash string          `json:"question_hash"`
		Answer       json.RawMessage `json:"answer"`
		Score        float64         `json:"score"`
		MaxScore     float64         `json:"max_score"`
	}
	// SubmittedPayload closes an attempt.
	SubmittedPayload struct {
		AttemptID string  `json:"attempt_id"`
		Score     float64 `json:"score"`
		MaxScore  float64 `json:"max_score"`
		Passed    bool    `json:"passed"`
	}
)

// NewEvent makes an event of this device with a fresh id and the current time.
func (s *Store) NewEvent(kind, learnerID string, payload any) (Event, error) {
	b, err := json.Marshal(payload)
	if err != nil {
		return Event{}, fmt.Errorf("encode %s: %w", kind, err)
	}
	return Event{
		ID:        uuid.Must(uuid.NewV7()).String(),
		LearnerID: learnerID,
		DeviceID:  s.deviceID,
		Kind:      kind,
		Time:      s.now(),
		Payload:   b,
	}, nil
}

// Record appends ev to the log and applies it to the read model in one
// transaction, committed durably before it returns. Recording an event whose
// id is already in the log changes nothing. A quiz.submitted event gets its
// score and verdict from the answers stored when it commits; a quiz.started
// event is refused with ErrAttemptOpen while the learner has an open attempt
// at that quiz, so two screens on one database share one attempt.
func (s *Store) Record(ctx context.Context, ev Event) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record %s: %w", ev.Kind, classify(err))
	}
	defer tx.Rollback()
	if err := s.lockLogShared(ctx, tx); err != nil {
		return fmt.Errorf("record %s: %w", ev.Kind, classify(err))
	}
	// The transaction holds the write lock from BEGIN (_txlock=immediate), so
	// a time taken now orders this device's events as they were committed:
	// when two processes share the file, the answer saved last is the one
	// the read model keeps.
	if now := s.now(); now.After(ev.Time) {
		ev.Time = now
	}
	inserted, err := recordTx(ctx, s.inTx(tx), ev, true)
	if err != nil {
		return fmt.Errorf("record %s: %w", ev.Kind, classify(err))
	}
	if inserted {
		if err := addPending(ctx, s.inTx(tx), 1); err != nil {
			return fmt.Errorf("record %s: %w", ev.Kind, classify(err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record %s: %w", ev.Kind, classify(err))
	}
	return nil
}

// recordTx inserts and applies one event. strict refuses events that would
// change a submitted attempt; events arriving by sync are applied leniently,
// since the log must accept every fact even when the read model ignores it.
func recordTx(ctx context.Context, tx dbtx, ev Event, strict bool) (bool, error) {
	if err := checkEvent(&ev); err != nil {
		return false, err
	}
	if strict {
		if err := checkAttemptOpen(ctx, tx, ev); err != nil {
			return false, err
		}
		if ev.Kind == KindQuizSubmitted {
			if err := sealSubmission(ctx, tx, &ev); err != nil {
				return false, err
			}
		}
	}
	inserted, err := insertEvent(ctx, tx, ev)
	if err != nil || !inserted {
		return false, err
	}
	return true, apply(ctx, tx, ev)
}

// checkEvent refuses an event the log cannot hold and gives an empty payload
// its JSON form.
func checkEvent(ev *Event) error {
	if ev.ID == "" || ev.Kind == "" || ev.LearnerID == "" {
		return fmt.Errorf("event %q needs an id, a kind and a learner", ev.ID)
	}
	if err := ev.CheckText(); err != nil {
		return err
	}
	if len(ev.Payload) == 0 {
		ev.Payload = json.RawMessage("{}")
	}
	return nil
}

// insertEvent appends ev to the log unless its id is there; inserted says which.
func insertEvent(ctx context.Context, tx dbtx, ev Event) (bool, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO events
		(id, learner_id, device_id, kind, pack_id, pack_version, pack_hash, item_id, time, payload)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
		ev.ID, ev.LearnerID, ev.DeviceID, ev.Kind, ev.PackID, ev.PackVersion, ev.PackHash,
		ev.ItemID, formatTime(ev.Time), string(ev.Payload))
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

func checkAttemptOpen(ctx context.Context, tx dbtx, ev Event) error {
	if ev.Kind == KindQuizStarted {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM attempts WHERE learner_id = ? AND pack_id = ?
			AND quiz_id = ? AND submitted_at IS NULL`, ev.LearnerID, ev.PackID, ev.ItemID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrAttemptOpen
		}
		return nil
	}
	if ev.Kind != KindQuizAnswered && ev.Kind != KindQuizSubmitted {
		return nil
	}
	var p struct {
		AttemptID string `json:"attempt_id"`
	}
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		return fmt.Errorf("payload: %w", err)
	}
	var submitted sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT submitted_at FROM attempts WHERE id = ?`, p.AttemptID).Scan(&submitted)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNoAttempt
	}
	if err != nil {
		return err
	}
	if submitted.Valid {
		return ErrAttemptClosed
	}
	return nil
}

// apply updates the read model for one event. It must be deterministic and
// order-free for events of different attempts, so that Rebuild and sync agree.
func apply(ctx context.Context, tx dbtx, ev Event) error {
	at := formatTime(ev.Time)
	switch ev.Kind {
	case KindProfile:
		var p ProfilePayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return fmt.Errorf("profile payload: %w", err)
		}
		_, err := tx.ExecContext(ctx, upsertProfile,
			ev.LearnerID, p.FullName, p.StaffCode, p.UnitPath, at, at, ev.ID)
		return err
	case KindLessonOpened, KindLessonCompleted:
		var p LessonPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return fmt.Errorf("lesson payload: %w", err)
		}
		var completed any
		if ev.Kind == KindLessonCompleted {
			completed = at
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO lesson_progress
			(learner_id, pack_id, module_id, lesson_id, opened_at, completed_at) VALUES (?, ?, ?, ?, ?, ?)`+upsertLessonSet,
			ev.LearnerID, ev.PackID, p.ModuleID, ev.ItemID, at, completed)
		return err
	case KindQuizStarted:
		var p QuizStartedPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return fmt.Errorf("quiz payload: %w", err)
		}
		ids, _ := json.Marshal(p.QuestionIDs)
		res, err := tx.ExecContext(ctx, `INSERT INTO attempts
			(id, learner_id, pack_id, pack_version, module_id, quiz_id, seed, question_ids, pass_mark, started_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
			p.AttemptID, ev.LearnerID, ev.PackID, ev.PackVersion, p.ModuleID, ev.ItemID, p.Seed, string(ids), p.PassMark, at)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return adoptOrphans(ctx, tx, p.AttemptID)
	case KindQuizAnswered:
		var p AnsweredPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return fmt.Errorf("answer payload: %w", err)
		}
		// A later answer to the same question replaces an earlier one, but never
		// once the attempt is submitted.
		res, err := tx.ExecContext(ctx, `INSERT INTO answers
			(attempt_id, question_id, question_hash, answer, score, max_score, answered_at, event_id)
			SELECT ?, ?, ?, ?, ?, ?, ?, ?
			WHERE EXISTS (SELECT 1 FROM attempts WHERE id = ? AND (submitted_at IS NULL OR submitted_at >= ?))`+
			upsertAnswerSet,
			p.AttemptID, ev.ItemID, p.QuestionHash, string(p.Answer), p.Score, p.MaxScore, at, ev.ID, p.AttemptID, at)
		if err != nil {
			return err
		}
		return keepIfOrphan(ctx, tx, res, p.AttemptID, ev.ID)
	case KindQuizSubmitted:
		var p SubmittedPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return fmt.Errorf("submit payload: %w", err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE attempts SET submitted_at = ?, score = ?, max_score = ?, passed = ?
			WHERE id = ? AND submitted_at IS NULL`, at, p.Score, p.MaxScore, p.Passed, p.AttemptID)
		if err != nil {
			return err
		}
		return keepIfOrphan(ctx, tx, res, p.AttemptID, ev.ID)
	}
	return nil // unknown kinds are kept in the log for newer versions
}

// upsertProfile applies a profile event: the newest profile wins (ties go to
// the larger id), and the first profile gives created_at, whatever order the
// events arrive in.
var upsertProfile = `INSERT INTO learners
	(id, full_name, staff_code, unit_path, created_at, updated_at, profile_event)
	VALUES (?, ?, ?, ?, ?, ?, ?)` + upsertProfileSet

// upsertProfileSet is the conflict clause of upsertProfile, shared with the
// bulk projection.
var upsertProfileSet = strings.ReplaceAll(`
	ON CONFLICT(id) DO UPDATE SET
		full_name = iif(NEWER, excluded.full_name, learners.full_name),
		staff_code = iif(NEWER, excluded.staff_code, learners.staff_code),
		unit_path = iif(NEWER, excluded.unit_path, learners.unit_path),
		updated_at = iif(NEWER, excluded.updated_at, learners.updated_at),
		profile_event = iif(NEWER, excluded.profile_event, learners.profile_event),
		created_at = min(learners.created_at, excluded.created_at)`,
	"NEWER", "(excluded.updated_at, excluded.profile_event) > (learners.updated_at, learners.profile_event)")

// upsertLessonSet merges a lesson's progress: opened and completed at the
// earliest time any event says, whatever order they arrive in.
const upsertLessonSet = `
	ON CONFLICT(learner_id, pack_id, lesson_id) DO UPDATE SET
		opened_at = min(lesson_progress.opened_at, excluded.opened_at),
		completed_at = CASE
			WHEN lesson_progress.completed_at IS NULL THEN excluded.completed_at
			WHEN excluded.completed_at IS NULL THEN lesson_progress.completed_at
			ELSE min(lesson_progress.completed_at, excluded.completed_at) END`

// Rebuild recomputes the whole read model from the event log.
func (s *Store) Rebuild(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("rebuild: %w", err)
	}
	defer tx.Rollback()
	for _, t := range []string{"answers", "attempts", "lesson_progress", "learners", "sync_orphans"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return fmt.Errorf("rebuild: %w", err)
		}
	}
	// Starts before answers before submissions, so a log merged from several
	// devices projects the same whatever order its events arrived in.
	rows, err := tx.QueryContext(ctx, `SELECT id, learner_id, device_id, kind, pack_id, pack_version, pack_hash,
		item_id, time, payload FROM events ORDER BY
		CASE kind WHEN 'quiz.started' THEN 0 WHEN 'quiz.submitted' THEN 2 ELSE 1 END, time, id`)
	if err != nil {
		return fmt.Errorf("rebuild: %w", err)
	}
	evs, err := scanEvents(rows)
	if err != nil {
		return fmt.Errorf("rebuild: %w", err)
	}
	for _, ev := range evs {
		if err := apply(ctx, tx, ev); err != nil {
			return fmt.Errorf("rebuild %s: %w", ev.ID, err)
		}
	}
	return tx.Commit()
}

// Events returns the learner's events in the order they were recorded here
// (all learners' when learnerID is empty).
func (s *Store) Events(ctx context.Context, learnerID string) ([]Event, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, learner_id, device_id, kind, pack_id, pack_version, pack_hash,
		item_id, time, payload FROM events WHERE ? = '' OR learner_id = ? ORDER BY seq`, learnerID, learnerID)
	if err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	return scanEvents(rows)
}

func scanEvents(rows *sql.Rows) ([]Event, error) {
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var ev Event
		var at, payload string
		if err := rows.Scan(&ev.ID, &ev.LearnerID, &ev.DeviceID, &ev.Kind, &ev.PackID, &ev.PackVersion,
			&ev.PackHash, &ev.ItemID, &at, &payload); err != nil {
			return nil, err
		}
		ev.Time = parseTime(at)
		ev.Payload = json.RawMessage(payload)
		out = append(out, ev)
	}
	return out, rows.Err()
}

// Times are stored as fixed-width UTC text so that they sort as strings.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeLayout, s)
	return t
}
