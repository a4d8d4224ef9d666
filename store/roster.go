package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/google/uuid"
)

// RosterEntry is one person an office expects to train, as its roster lists them.
type RosterEntry struct {
	ID        string `json:"id"`
	StaffCode string `json:"staff_code"`
	FullName  string `json:"full_name"`
	Position  string `json:"position"`
	UnitPath  string `json:"unit_path"`
}

// Import outcomes of one roster row.
const (
	RosterCreated   = "created"
	RosterUpdated   = "updated"
	RosterUnchanged = "unchanged"
)

// ErrNoRosterEntry is returned when a staff code or roster id names nobody.
var ErrNoRosterEntry = errors.New("no such roster entry")

// ImportRoster creates or updates the roster rows in one transaction and links
// learners that match them. A row is found again by its staff code, or by name
// within the unit when it has none, so importing the same rows twice changes
// nothing. It returns each row's outcome, in order.
func (s *Store) ImportRoster(ctx context.Context, rows []RosterEntry) ([]string, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("import roster: %w", err)
	}
	defer tx.Rollback()
	now := formatTime(s.now())
	out := make([]string, len(rows))
	for i, r := range rows {
		if out[i], err = upsertRoster(ctx, tx, r, now); err != nil {
			return nil, fmt.Errorf("import roster row %d: %w", i+1, err)
		}
	}
	if err := linkRoster(ctx, tx, now); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("import roster: %w", err)
	}
	return out, nil
}

// The roster entry of an imported row: by staff code, else by name in the
// unit. Each condition implies the WHERE of a partial index (roster_staff_code,
// roster_name_unit), so SQLite searches it; "staff_code = ?" alone does not
// imply "staff_code <> ”", and every row read the whole roster (an import of
// 16,079 rows took 33 s, one of 80,586 more than 18 minutes).
const (
	rosterByStaffCode = `SELECT id, staff_code, full_name, position, unit_path FROM roster
		WHERE staff_code = ? AND staff_code <> ''`
	rosterByNameUnit = `SELECT id, staff_code, full_name, position, unit_path FROM roster
		WHERE staff_code = '' AND full_name = ? AND unit_path = ?`
)

func upsertRoster(ctx context.Context, tx *sql.Tx, r RosterEntry, now string) (string, error) {
	var old RosterEntry
	var row *sql.Row
	if r.StaffCode != "" {
		row = tx.QueryRowContext(ctx, rosterByStaffCode, r.StaffCode)
	} else {
		row = tx.QueryRowContext(ctx, rosterByNameUnit, r.FullName, r.UnitPath)
	}
	err := row.Scan(&old.ID, &old.StaffCode, &old.FullName, &old.Position, &old.UnitPath)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.ExecContext(ctx, `INSERT INTO roster(id, staff_code, full_name, position, unit_path, imported_at)
			VALUES (?, ?, ?, ?, ?, ?)`, uuid.Must(uuid.NewV7()).String(), r.StaffCode, r.FullName, r.Position, r.UnitPath, now)
		return RosterCreated, err
	case err != nil:
		return "", err
	}
	r.ID = old.ID
	if r == old {
		return RosterUnchanged, nil
	}
	_, err = tx.ExecContext(ctx, `UPDATE roster SET full_name = ?, position = ?, unit_path = ?, imported_at = ?
		WHERE id = ?`, r.FullName, r.Position, r.UnitPath, now, old.ID)
	return RosterUpdated, err
}

// linkByStaffCode links learners by staff code. It asks for a roster staff
// code that is not empty although the join implies it, so that SQLite finds
// the entry in the partial index roster_staff_code instead of building an
// index of the whole roster every time (every report links first: with
// 80,586 entries that was 0.65–0.84 s of CPU, now 0.14–0.21 s).
const linkByStaffCode = `INSERT INTO roster_links(learner_id, roster_id, how, linked_at)
	SELECT l.id, r.id, 'staff_code', ? FROM learners l JOIN roster r ON r.staff_code = l.staff_code AND r.staff_code <> ''
	WHERE l.staff_code <> '' AND NOT EXISTS (SELECT 1 FROM roster_links k WHERE k.learner_id = l.id)`

// linkRoster links every learner not yet linked to the one roster entry that
// is the same person: the same staff code, else the same name in the same unit
// where the staff codes do not contradict. A learner matching several entries
// stays unlinked (see Ambiguous) — a person decides, hocso never guesses.
func linkRoster(ctx context.Context, tx *sql.Tx, now string) error {
	_, err := tx.ExecContext(ctx, linkByStaffCode, now)
	if err != nil {
		return fmt.Errorf("link roster by staff code: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO roster_links(learner_id, roster_id, how, linked_at)
		SELECT l.id, min(r.id), 'name_unit', ? FROM learners l JOIN roster r
			ON r.full_name = l.full_name AND r.unit_path = l.unit_path AND (r.staff_code = '' OR l.staff_code = '')
		WHERE NOT EXISTS (SELECT 1 FROM roster_links k WHERE k.learner_id = l.id)
		GROUP BY l.id HAVING count(*) = 1`, now)
	if err != nil {
		return fmt.Errorf("link roster by name: %w", err)
	}
	return nil
}

// LinkRoster links learners who arrived since the last import (by sync) to
// their roster entries, by the same rules as ImportRoster.
func (s *Store) LinkRoster(ctx context.Context) error {
	// Without a roster there is nothing to link, and no reason to take the
	// write lock, which a report would otherwise do each time.
	var any bool
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM roster)`).Scan(&any); err != nil {
		return fmt.Errorf("link roster: %w", err)
	} else if !any {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("link roster: %w", err)
	}
	defer tx.Rollback()
	if err := linkRoster(ctx, tx, formatTime(s.now())); err != nil {
		return err
	}
	return tx.Commit()
}

// AmbiguousLink is a learner who matches more than one roster entry.
type AmbiguousLink struct {
	Learner    Learner       `json:"learner"`
	Candidates []RosterEntry `json:"candidates"`
}

// Ambiguous lists the unlinked learners who match several roster entries by
// name within the unit, with the entries they match.
func (s *Store) Ambiguous(ctx context.Context) ([]AmbiguousLink, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT l.id, l.full_name, l.staff_code, l.unit_path,
			r.id, r.staff_code, r.full_name, r.position, r.unit_path
		FROM learners l JOIN roster r
			ON r.full_name = l.full_name AND r.unit_path = l.unit_path AND (r.staff_code = '' OR l.staff_code = '')
		WHERE NOT EXISTS (SELECT 1 FROM roster_links k WHERE k.learner_id = l.id)
			AND (SELECT count(*) FROM roster r2 WHERE r2.full_name = l.full_name AND r2.unit_path = l.unit_path
				AND (r2.staff_code = '' OR l.staff_code = '')) > 1
		ORDER BY l.full_name, l.id, r.staff_code, r.id`)
	if err != nil {
		return nil, fmt.Errorf("find ambiguous roster matches: %w", err)
	}
	defer rows.Close()
	var out []AmbiguousLink
	for rows.Next() {
		var l Learner
		var r RosterEntry
		if err := rows.Scan(&l.ID, &l.FullName, &l.StaffCode, &l.UnitPath,
			&r.ID, &r.StaffCode, &r.FullName, &r.Position, &r.UnitPath); err != nil {
			return nil, fmt.Errorf("find ambiguous roster matches: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].Learner.ID != l.ID {
			out = append(out, AmbiguousLink{Learner: l})
		}
		last := &out[len(out)-1]
		last.Candidates = append(last.Candidates, r)
	}
	return out, rows.Err()
}

// RosterEntryFor finds a roster entry by staff code or by id.
func (s *Store) RosterEntryFor(ctx context.Context, codeOrID string) (RosterEntry, error) {
	var r RosterEntry
	err := s.db.QueryRowContext(ctx, `SELECT id, staff_code, full_name, position, unit_path FROM roster
		WHERE (staff_code = ? AND staff_code <> '') OR id = ? ORDER BY staff_code DESC LIMIT 1`, codeOrID, codeOrID).
		Scan(&r.ID, &r.StaffCode, &r.FullName, &r.Position, &r.UnitPath)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("roster %s: %w", codeOrID, ErrNoRosterEntry)
	}
	if err != nil {
		return r, fmt.Errorf("read roster: %w", err)
	}
	return r, nil
}

// RosterEntryOf returns the roster entry a learner is linked to, if any.
func (s *Store) RosterEntryOf(ctx context.Context, learnerID string) (*RosterEntry, error) {
	var r RosterEntry
	err := s.db.QueryRowContext(ctx, `SELECT r.id, r.staff_code, r.full_name, r.position, r.unit_path
		FROM roster r JOIN roster_links k ON k.roster_id = r.id WHERE k.learner_id = ?`, learnerID).
		Scan(&r.ID, &r.StaffCode, &r.FullName, &r.Position, &r.UnitPath)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read roster link: %w", err)
	}
	return &r, nil
}

// Link records, by a person's decision, that a learner is a roster entry,
// replacing any link made before.
func (s *Store) Link(ctx context.Context, learnerID, rosterID string) error {
	if _, err := s.Learner(ctx, learnerID); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO roster_links(learner_id, roster_id, how, linked_at)
		VALUES (?, ?, 'manual', ?) ON CONFLICT(learner_id) DO UPDATE SET
		roster_id = excluded.roster_id, how = excluded.how, linked_at = excluded.linked_at`,
		learnerID, rosterID, formatTime(s.now()))
	if err != nil {
		return fmt.Errorf("link learner %s: %w", learnerID, err)
	}
	return nil
}
