package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// LearnerUnits lists, for every learner a batch of events is about, each unit
// path the learner has: the one stored here and those of the profile events
// in the batch. A hub checks them against the sender's unit before anything
// is written.
type LearnerUnits map[string][]string

// IngestResult says what a batch changed.
type IngestResult struct {
	// New are the ids of events this batch added; the others were here already.
	New []string `json:"new"`
	// Duplicates counts events that were here already.
	Duplicates int `json:"duplicates"`
	// Conflicts are the duplicates whose content differed from the stored
	// event's (see conflicts.go); they count as duplicates too.
	Conflicts []Conflict `json:"conflicts,omitempty"`
}

// ingestChunk keeps a multi-row INSERT well under both databases' limits on
// bound parameters.
const ingestChunk = 400

// Ingest stores a batch of events from elsewhere atomically: events already
// in the log are skipped, new ones are applied to the read model. allow, when
// not nil, sees the units of the batch's learners inside the transaction and
// refuses the whole batch by returning an error. Batches arriving together
// share one transaction (see ingest_group.go). Several processes may ingest
// into one PostgreSQL database at once: each transaction locks its learners,
// in a fixed order, until it commits.
func (s *Store) Ingest(ctx context.Context, evs []Event, allow func(LearnerUnits) error) (IngestResult, error) {
	for _, ev := range evs {
		if err := checkEvent(&ev); err != nil {
			return IngestResult{}, fmt.Errorf("store events: %w", err)
		}
	}
	return s.ingestGrouped(ctx, evs, allow)
}

func ingestResult(evs, fresh []Event) IngestResult {
	res := IngestResult{New: make([]string, 0, len(fresh))}
	for _, ev := range fresh {
		res.New = append(res.New, ev.ID)
	}
	res.Duplicates = len(evs) - len(res.New)
	return res
}

// ingestBatch checks a batch's learners with allow and appends its events,
// returning those that were new, once each.
func (s *Store) ingestBatch(ctx context.Context, tx dbtx, evs []Event, allow func(LearnerUnits) error) ([]Event, []Conflict, error) {
	if allow != nil {
		units, err := learnerUnits(ctx, tx, batchLearners(evs), evs)
		if err != nil {
			return nil, nil, fmt.Errorf("store events: %w", err)
		}
		if err := allow(units); err != nil {
			return nil, nil, err
		}
	}
	fresh := map[string]bool{}
	if s.dialect == dialectPostgres {
		if err := pgInsertEvents(ctx, tx, evs, fresh); err != nil {
			return nil, nil, fmt.Errorf("store events: %w", err)
		}
	} else {
		for start := 0; start < len(evs); start += ingestChunk {
			if err := insertEvents(ctx, tx, s.dialect, evs[start:min(start+ingestChunk, len(evs))], fresh); err != nil {
				return nil, nil, fmt.Errorf("store events: %w", err)
			}
		}
	}
	clash, err := findConflicts(ctx, tx, evs, fresh, formatTime(s.now()))
	if err != nil {
		return nil, nil, fmt.Errorf("store events: %w", err)
	}
	out := make([]Event, 0, len(fresh))
	for _, ev := range evs {
		if fresh[ev.ID] {
			out = append(out, ev)
			delete(fresh, ev.ID) // an id twice in one batch counts once
		}
	}
	return out, clash, nil
}

func batchLearners(evs []Event) []string {
	var ids []string
	for _, ev := range evs {
		ids = append(ids, ev.LearnerID)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// insertEvents adds a chunk of events with one statement and marks in fresh
// the ids that were not in the log before. The caller's transaction is the
// log's only writer (SQLite has one; a PostgreSQL import holds pgLockImport),
// so the rows the statement added are the last ones of the log by seq: when
// it added them all (the usual case, new events) they are all fresh and
// nothing is read back; otherwise those last rows name the fresh ones. (A
// savepoint to undo and redo the insert with RETURNING cost an import a
// copy of every page it touched in the statement journal, and RETURNING
// alone a tenth of a hub's writer.)
func insertEvents(ctx context.Context, tx dbtx, d dialect, evs []Event, fresh map[string]bool) error {
	var q strings.Builder
	q.WriteString(d.insertWhole() + ` INTO events (id, learner_id, device_id, kind, pack_id, pack_version, pack_hash, item_id, time, payload) VALUES `)
	args := make([]any, 0, len(evs)*10)
	for i, ev := range evs {
		if i > 0 {
			q.WriteString(",")
		}
		q.WriteString("(?,?,?,?,?,?,?,?,?,?)")
		payload := string(payloadOrEmpty(ev.Payload))
		args = append(args, ev.ID, ev.LearnerID, ev.DeviceID, ev.Kind, ev.PackID, ev.PackVersion, ev.PackHash,
			ev.ItemID, formatTime(ev.Time), payload)
	}
	q.WriteString(` ON CONFLICT(id) DO NOTHING`)
	res, err := tx.ExecContext(ctx, q.String(), args...)
	if err != nil {
		return err // the caller's transaction is rolled back whole
	}
	n, err := res.RowsAffected()
	switch {
	case err != nil:
		return err
	case n == int64(len(evs)):
		for _, ev := range evs {
			fresh[ev.ID] = true
		}
		return nil
	case n == 0:
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM events ORDER BY seq DESC LIMIT ?`, n)
	return markFresh(rows, err, fresh)
}

// pgInsertEvents adds a batch with one statement, its columns as arrays,
// marks in fresh the ids that were not in the log before, copies their rows
// to the transaction's ingest_new table (see pgIngested).
func pgInsertEvents(ctx context.Context, tx dbtx, evs []Event, fresh map[string]bool) error {
	cols := make([][]string, 10)
	for i := range cols {
		cols[i] = make([]string, len(evs))
	}
	for i, ev := range evs {
		payload := string(payloadOrEmpty(ev.Payload))
		for c, v := range [...]string{ev.ID, ev.LearnerID, ev.DeviceID, ev.Kind, ev.PackID, ev.PackVersion,
			ev.PackHash, ev.ItemID, formatTime(ev.Time), payload} {
			cols[c][i] = v
		}
	}
	args := make([]any, len(cols))
	for i := range cols {
		args[i] = cols[i]
	}
	rows, err := tx.QueryContext(ctx, `WITH ins AS (INSERT INTO events
			(id, learner_id, device_id, kind, pack_id, pack_version, pack_hash, item_id, time, payload)
			SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
				?::text[], ?::text[], ?::text[])
			ON CONFLICT(id) DO NOTHING RETURNING *),
		kept AS (INSERT INTO pg_temp.ingest_new SELECT * FROM ins)
		SELECT id FROM ins`, args...)
	return markFresh(rows, err, fresh)
}

// markFresh marks in fresh the ids an INSERT … RETURNING id gave back: the
// events that were not in the log before.
func markFresh(rows *sql.Rows, err error, fresh map[string]bool) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		fresh[id] = true
	}
	return rows.Err()
}

// learnerUnits reads the stored unit of each learner and adds the units the
// batch's own profile events give them.
func learnerUnits(ctx context.Context, tx dbtx, learners []string, evs []Event) (LearnerUnits, error) {
	units := LearnerUnits{}
	for start := 0; start < len(learners); start += ingestChunk {
		part := learners[start:min(start+ingestChunk, len(learners))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, unit_path FROM learners WHERE id IN (?`+
			strings.Repeat(",?", len(part)-1)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, unit string
			if err := rows.Scan(&id, &unit); err != nil {
				rows.Close()
				return nil, err
			}
			units[id] = append(units[id], unit)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for _, ev := range evs {
		if ev.Kind != KindProfile {
			continue
		}
		var p ProfilePayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return nil, fmt.Errorf("profile %s: %w", ev.ID, err)
		}
		units[ev.LearnerID] = append(units[ev.LearnerID], p.UnitPath)
	}
	return units, nil
}
