package store

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"hocso/lessons"
)

// Learner is a person who learns on this device (or whose events arrived here).
type Learner struct {
	ID        string    `json:"id"`
	FullName  string    `json:"full_name"`
	StaffCode string    `json:"staff_code"`
	UnitPath  string    `json:"unit_path"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ErrNoLearner is returned when a learner id is not known here.
var ErrNoLearner = errors.New("no such learner")

// CreateLearner records a new learner's first profile and returns it.
func (s *Store) CreateLearner(ctx context.Context, p ProfilePayload) (Learner, error) {
	id := uuid.Must(uuid.NewV7()).String()
	if err := s.SaveProfile(ctx, id, p); err != nil {
		return Learner{}, err
	}
	return s.Learner(ctx, id)
}

// SaveProfile records a learner's profile as it is now. Its text is stored
// cleaned and in NFC (lessons.CleanLine), whichever interface typed it.
func (s *Store) SaveProfile(ctx context.Context, learnerID string, p ProfilePayload) error {
	p.FullName, p.StaffCode, p.UnitPath = lessons.CleanLine(p.FullName), lessons.CleanLine(p.StaffCode), lessons.CleanLine(p.UnitPath)
	ev, err := s.NewEvent(KindProfile, learnerID, p)
	if err != nil {
		return err
	}
	return s.Record(ctx, ev)
}

// Learner returns one learner.
func (s *Store) Learner(ctx context.Context, id string) (Learner, error) {
	ls, err := s.queryLearners(ctx, `WHERE id = ?`, id)
	if err != nil {
		return Learner{}, err
	}
	if len(ls) == 0 {
		return Learner{}, fmt.Errorf("learner %s: %w", id, ErrNoLearner)
	}
	return ls[0], nil
}

// Learners returns every learner known here, by name in Vietnamese
// alphabetical order (see appendSortKey), then by id.
func (s *Store) Learners(ctx context.Context) ([]Learner, error) {
	ls, err := s.queryLearners(ctx, ``)
	if err != nil {
		return nil, err
	}
	type keyed struct {
		key []byte
		l   *Learner
	}
	ks := make([]keyed, len(ls))
	var arena []byte
	for i := range ls {
		start := len(arena)
		arena = appendSortKey(arena, ls[i].FullName)
		ks[i] = keyed{arena[start:len(arena):len(arena)], &ls[i]}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		return cmp.Or(bytes.Compare(a.key, b.key), cmp.Compare(a.l.ID, b.l.ID))
	})
	out := make([]Learner, len(ks))
	for i, k := range ks {
		out[i] = *k.l
	}
	return out, nil
}

func (s *Store) queryLearners(ctx context.Context, where string, args ...any) ([]Learner, error) {
	rows, err := s.prepared().QueryContext(ctx, `SELECT id, full_name, staff_code, unit_path, created_at, updated_at
		FROM learners `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read learners: %w", err)
	}
	defer rows.Close()
	var out []Learner
	for rows.Next() {
		var l Learner
		var created, updated string
		if err := rows.Scan(&l.ID, &l.FullName, &l.StaffCode, &l.UnitPath, &created, &updated); err != nil {
			return nil, fmt.Errorf("read learners: %w", err)
		}
		l.CreatedAt, l.UpdatedAt = parseTime(created), parseTime(updated)
		out = append(out, l)
	}
	return out, rows.Err()
}

// CurrentLearner is the learner who used this device last, or "" when none has.
func (s *Store) CurrentLearner(ctx context.Context) (string, error) {
	return s.Meta(ctx, "current_learner")
}

// SetCurrentLearner remembers who is using the device.
func (s *Store) SetCurrentLearner(ctx context.Context, id string) error {
	return s.SetMeta(ctx, "current_learner", id)
}

// SaveResumePoint remembers where a learner was (an opaque string the TUI
// writes and reads back), so that the next start returns there. The commit
// does not wait for the disk (lazyExec).
func (s *Store) SaveResumePoint(ctx context.Context, learnerID, place string) error {
	err := s.lazyExec(ctx, `INSERT INTO resume_points(learner_id, place) VALUES (?, ?)
		ON CONFLICT(learner_id) DO UPDATE SET place = excluded.place`, learnerID, place)
	if err != nil {
		return fmt.Errorf("save resume point: %w", err)
	}
	return nil
}

// ResumePoint returns what SaveResumePoint saved, or "".
func (s *Store) ResumePoint(ctx context.Context, learnerID string) (string, error) {
	var place string
	err := s.prepared().QueryRowContext(ctx, `SELECT place FROM resume_points WHERE learner_id = ?`, learnerID).Scan(&place)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read resume point: %w", err)
	}
	return place, nil
}

// SaveReadingPosition remembers the first visible line of a lesson. Like the
// resume point, the commit does not wait for the disk (lazyExec): the reader
// saves while the learner scrolls.
func (s *Store) SaveReadingPosition(ctx context.Context, learnerID, packID, lessonID string, line int) error {
	err := s.lazyExec(ctx, `INSERT INTO reading_positions(learner_id, pack_id, lesson_id, line)
		VALUES (?, ?, ?, ?) ON CONFLICT(learner_id, pack_id, lesson_id) DO UPDATE SET line = excluded.line`,
		learnerID, packID, lessonID, line)
	if err != nil {
		return fmt.Errorf("save reading position: %w", err)
	}
	return nil
}

// ReadingPosition returns the saved first visible line of a lesson, or 0.
func (s *Store) ReadingPosition(ctx context.Context, learnerID, packID, lessonID string) (int, error) {
	var line int
	err := s.prepared().QueryRowContext(ctx, `SELECT line FROM reading_positions WHERE learner_id = ? AND pack_id = ? AND lesson_id = ?`,
		learnerID, packID, lessonID).Scan(&line)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read reading position: %w", err)
	}
	return line, nil
}
