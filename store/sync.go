package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"sort"
	"time"
)

// The sync API moves events between databases. A device exports the events
// an office has not acknowledged (ExportRange, ExportEvents); the office
// imports them (ImportEvents), which is a set union by event id; the office's
// receipt names the device and the range of the device's own sequence numbers
// it stored, and only that receipt moves the device's cursor (Acknowledge).

// Errors of Acknowledge, for a receipt the device must not accept.
var (
	// ErrAckOtherDevice: the receipt is for events of another device.
	ErrAckOtherDevice = errors.New("receipt is for another device")
	// ErrAckMismatch: the receipt's range does not hold what it says on this device.
	ErrAckMismatch = errors.New("receipt does not match this device's records")
	// ErrAckGap: the receipt starts after the acknowledged cursor, so events
	// between would be acknowledged without having been received.
	ErrAckGap = errors.New("receipt leaves unacknowledged records before it")
)

// ExportRange is what an export holds: the events of this database with seq
// in (FromSeq, ToSeq], plus Profiles earlier learner.profile events of the
// learners those events name, so that the receiver knows who they are.
type ExportRange struct {
	DeviceID string    `json:"device_id"`
	FromSeq  int64     `json:"from_seq"`
	ToSeq    int64     `json:"to_seq"`
	Events   int       `json:"events"`   // events in (FromSeq, ToSeq]
	Profiles int       `json:"profiles"` // earlier profile events sent along
	Learners int       `json:"learners"`
	First    time.Time `json:"first"` // earliest event time; zero when empty
	Last     time.Time `json:"last"`
}

// Total is how many events an export of r writes.
func (r ExportRange) Total() int { return r.Events + r.Profiles }

// PlanExport says what an export would hold now: the events no receipt has
// acknowledged, or every event when all is true. Events recorded after it
// returns are left for the next export.
func (s *Store) PlanExport(ctx context.Context, all bool) (ExportRange, error) {
	r := ExportRange{DeviceID: s.deviceID}
	if !all {
		var err error
		if r.FromSeq, err = ackedSeq(ctx, s.db); err != nil {
			return r, err
		}
	}
	end, err := s.logEnd(ctx)
	if err != nil {
		return r, fmt.Errorf("plan export: %w", err)
	}
	r.ToSeq = max(end, r.FromSeq)
	var first, last sql.NullString
	err = s.db.QueryRowContext(ctx, `SELECT count(*), min(time), max(time), count(DISTINCT learner_id)
		FROM events WHERE seq > ? AND seq <= ?`, r.FromSeq, r.ToSeq).
		Scan(&r.Events, &first, &last, &r.Learners)
	if err != nil {
		return r, fmt.Errorf("plan export: %w", err)
	}
	var pFirst, pLast sql.NullString
	err = s.db.QueryRowContext(ctx, `SELECT count(*), min(time), max(time) FROM events `+profilesAlong,
		r.FromSeq, r.FromSeq, r.ToSeq).Scan(&r.Profiles, &pFirst, &pLast)
	if err != nil {
		return r, fmt.Errorf("plan export: %w", err)
	}
	for _, t := range []sql.NullString{first, last, pFirst, pLast} {
		if !t.Valid {
			continue
		}
		at := parseTime(t.String)
		if r.First.IsZero() || at.Before(r.First) {
			r.First = at
		}
		if at.After(r.Last) {
			r.Last = at
		}
	}
	return r, nil
}

// logEnd is the highest seq in the log, settled: no transaction can still
// commit an event with a lower one. On PostgreSQL that means waiting, with the
// log's lock held exclusively for a moment, for the transactions appending
// events to finish (see pgLockImport); SQLite's one writer commits in seq order.
func (s *Store) logEnd(ctx context.Context) (int64, error) {
	var end int64
	if s.dialect == dialectSQLite {
		err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM events`).Scan(&end)
		return end, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, pgLockImport); err != nil {
		return 0, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM events`).Scan(&end); err != nil {
		return 0, err
	}
	return end, tx.Commit()
}

// profilesAlong selects the earlier profile events of the learners named in
// (from, to]; its parameters are from, from, to.
const profilesAlong = `WHERE kind = 'learner.profile' AND seq <= ? AND learner_id IN
	(SELECT learner_id FROM events WHERE seq > ? AND seq <= ?)`

// ExportEvents calls fn for every event of r in order: the profiles sent along
// first, then the range by seq. It streams from the database, so an export of
// any size uses the same memory; an error from fn stops it and is returned.
func (s *Store) ExportEvents(ctx context.Context, r ExportRange, fn func(seq int64, ev Event) error) error {
	if r.DeviceID != s.deviceID {
		return fmt.Errorf("export: range of device %s on device %s", r.DeviceID, s.deviceID)
	}
	const cols = `SELECT seq, id, learner_id, device_id, kind, pack_id, pack_version, pack_hash, item_id, time, payload FROM events `
	if err := s.eachEvent(ctx, fn, cols+profilesAlong+` ORDER BY seq`, r.FromSeq, r.FromSeq, r.ToSeq); err != nil {
		return err
	}
	return s.eachEvent(ctx, fn, cols+`WHERE seq > ? AND seq <= ? ORDER BY seq`, r.FromSeq, r.ToSeq)
}

func (s *Store) eachEvent(ctx context.Context, fn func(int64, Event) error, query string, args ...any) error {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var ev Event
		var at, payload string
		if err := rows.Scan(&seq, &ev.ID, &ev.LearnerID, &ev.DeviceID, &ev.Kind, &ev.PackID, &ev.PackVersion,
			&ev.PackHash, &ev.ItemID, &at, &payload); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		ev.Time, ev.Payload = parseTime(at), []byte(payload)
		if err := fn(seq, ev); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// LearnerCount is how many of one learner's events an import stored anew and
// how many the database already had.
type LearnerCount struct {
	LearnerID string `json:"learner_id"`
	FullName  string `json:"full_name"`
	StaffCode string `json:"staff_code"`
	UnitPath  string `json:"unit_path"`
	New       int    `json:"new"`
	Duplicate int    `json:"duplicate"`
}

// ImportResult is what ImportEvents did.
type ImportResult struct {
	New       int            `json:"new"`
	Duplicate int            `json:"duplicate"`
	Learners  []LearnerCount `json:"learners"` // by unit, then name
	// Conflicts are the duplicates whose content differed from the stored
	// event's, each kept in event_conflicts (see conflicts.go).
	Conflicts []Conflict `json:"conflicts,omitempty"`
}

// importCacheKiB is the page cache an import may use: the events' id index is
// written in random order, and a larger cache keeps its pages from being
// spilled and read back. It costs memory, never durability.
const importCacheKiB = 32 << 10

// importBatch is how many events one INSERT of an import carries: ten
// parameters each, well under SQLite's and PostgreSQL's limits.
var importBatch = 200

// projectEvery is how many new events an import appends before it applies
// them to the read model. Projecting as the stream goes reads each event back
// while its pages are still in the cache, and bounds the sorts the set-based
// statements make: projecting a million events at the end read the whole new
// log from disk once per statement, with sorts the size of the import.
var projectEvery = 5000

// ImportEvents stores a stream of events from elsewhere in one transaction:
// events whose id is already here are counted as duplicates and change
// nothing; new ones are appended in batches, one prepared statement each, and
// applied to the read model every projectEvery of them (projectSince), as
// several imports in a row would be (the read model is the same for any split
// of the events), leniently: the log
// accepts every fact even where the read model ignores it. If the stream yields an
// error, or the context ends, nothing of it is stored. The stream is read once
// and never held whole.
func (s *Store) ImportEvents(ctx context.Context, events iter.Seq2[Event, error]) (ImportResult, error) {
	var res ImportResult
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	defer conn.Close()
	if s.dialect == dialectSQLite {
		// Statement journals and sorts in memory: each statement of an import
		// is bounded (importBatch events, or projectEvery), and on disk they
		// cost a system call per page.
		for _, q := range []string{fmt.Sprintf(`PRAGMA cache_size = -%d`, importCacheKiB), `PRAGMA temp_store = MEMORY`} {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				return res, fmt.Errorf("import: %w", err)
			}
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT`)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	defer tx.Rollback()
	c := newStmtCache(tx)
	defer c.Close()
	if s.dialect == dialectPostgres {
		// Alone among writers, so that seq > since is exactly this import's rows.
		if _, err := tx.ExecContext(ctx, pgLockImport); err != nil {
			return res, fmt.Errorf("import: %w", err)
		}
	}
	var since int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM events`).Scan(&since); err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	counts := map[string]*LearnerCount{}
	// Events go in by batches of one multi-row INSERT each, the same text
	// every time and so prepared once: a statement per event would cost the
	// driver's overhead a million times.
	batch := make([]Event, 0, importBatch)
	fresh := map[string]bool{}
	now := formatTime(s.now())
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := insertEvents(ctx, c, s.dialect, batch, fresh); err != nil {
			return err
		}
		clash, err := findConflicts(ctx, c, batch, fresh, now)
		if err != nil {
			return err
		}
		res.Conflicts = append(res.Conflicts, clash...)
		for _, ev := range batch {
			lc := counts[ev.LearnerID]
			if lc == nil {
				lc = &LearnerCount{LearnerID: ev.LearnerID}
				counts[ev.LearnerID] = lc
			}
			// An event twice in one batch is new once.
			if fresh[ev.ID] {
				delete(fresh, ev.ID)
				lc.New++
				res.New++
			} else {
				lc.Duplicate++
				res.Duplicate++
			}
		}
		batch = batch[:0]
		return nil
	}
	// project applies the events appended since the last time.
	project := func() error {
		if err := s.projectNew(ctx, c, since); err != nil {
			return err
		}
		return c.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM events`).Scan(&since)
	}
	n, unprojected := 0, 0
	for ev, err := range events {
		if err != nil {
			return ImportResult{}, err
		}
		n++
		if err := checkEvent(&ev); err != nil {
			return ImportResult{}, fmt.Errorf("import event %d (%s): %w", n, ev.ID, err)
		}
		batch = append(batch, ev)
		if len(batch) == importBatch {
			before := res.New
			if err := flush(); err != nil {
				return ImportResult{}, fmt.Errorf("import events %d–%d: %w", n-importBatch+1, n, err)
			}
			if unprojected += res.New - before; unprojected >= projectEvery {
				if err := project(); err != nil {
					return ImportResult{}, fmt.Errorf("import events up to %d: %w", n, err)
				}
				unprojected = 0
			}
		}
	}
	if err := flush(); err != nil {
		return ImportResult{}, fmt.Errorf("import events up to %d: %w", n, err)
	}
	if err := ctx.Err(); err != nil {
		return ImportResult{}, err
	}
	// The read model follows in a few set-based statements: per-event
	// statements would cost as much again as the inserts.
	if err := project(); err != nil {
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	if err := s.addPending(ctx, tx, res.New); err != nil {
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	if err := describeLearners(ctx, c, counts); err != nil {
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	for _, lc := range counts {
		res.Learners = append(res.Learners, *lc)
	}
	sort.Slice(res.Learners, func(i, j int) bool {
		a, b := res.Learners[i], res.Learners[j]
		if a.UnitPath != b.UnitPath {
			return a.UnitPath < b.UnitPath
		}
		if a.FullName != b.FullName {
			return a.FullName < b.FullName
		}
		return a.LearnerID < b.LearnerID
	})
	return res, nil
}

// describeLearners fills in who each counted learner is, as the read model
// knows them after the import.
func describeLearners(ctx context.Context, tx dbtx, counts map[string]*LearnerCount) error {
	for id, lc := range counts {
		err := tx.QueryRowContext(ctx, `SELECT full_name, staff_code, unit_path FROM learners WHERE id = ?`, id).
			Scan(&lc.FullName, &lc.StaffCode, &lc.UnitPath)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	return nil
}
