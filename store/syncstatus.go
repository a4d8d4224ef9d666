package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Meta keys of the sync cursor: the last event sequence number a receipt
// acknowledged, when progress last reached an office, and how many events
// wait, so that the dashboard never counts the log. On SQLite, seq has no
// gaps (events are never deleted, and without AUTOINCREMENT a new row takes
// the highest seq plus one), so the number waiting is the log's end minus a
// base stored when it was last counted or acknowledged: recording an event
// writes nothing for it. PostgreSQL's seq comes from a sequence, which a
// conflict or a rollback leaves a gap in, so there it is a counter that each
// stored event adds to.
const (
	metaAckedSeq    = "sync_acked_seq"
	metaLastSent    = "sync_last_sent"
	metaPending     = "sync_pending"      // PostgreSQL: the count
	metaPendingBase = "sync_pending_base" // SQLite: the log's end minus the count
	metaDestination = "sync_destination:" // + name: a DestinationStatus as JSON
)

// SyncStatus is what the dashboard and `hocso sync status` say about progress
// leaving this PC.
type SyncStatus struct {
	// Pending is how many records are waiting to be sent.
	Pending int `json:"pending"`
	// LastSent is when a receipt last confirmed that progress arrived; zero when never.
	LastSent time.Time `json:"last_sent"`
	// AckedSeq is the cursor: every event up to it has been acknowledged.
	AckedSeq int64 `json:"acked_seq"`
	// Destinations are the places progress was sent to, by name.
	Destinations []DestinationStatus `json:"destinations,omitempty"`
}

// DestinationStatus is what happened with one destination (an office key, a hub).
type DestinationStatus struct {
	Name            string    `json:"name"`
	LastExport      time.Time `json:"last_export"`
	LastExportCount int       `json:"last_export_count"`
	LastAck         time.Time `json:"last_ack"`
	LastAckCount    int       `json:"last_ack_count"`
}

// SyncStatus reads the sync state. It costs the same whatever the size of the
// log: the pending count is a stored counter.
func (s *Store) SyncStatus(ctx context.Context) (SyncStatus, error) {
	var st SyncStatus
	var err error
	if st.Pending, err = s.pending(ctx); err != nil {
		return st, err
	}
	if st.AckedSeq, err = ackedSeq(ctx, s.prepared()); err != nil {
		return st, err
	}
	if sent, err := s.Meta(ctx, metaLastSent); err == nil && sent != "" {
		st.LastSent = parseTime(sent)
	}
	st.Destinations, err = s.destinations(ctx)
	return st, err
}

// pending reads the count, counting once for a database made before it was kept.
func (s *Store) pending(ctx context.Context) (int, error) {
	if n, ok, err := s.storedPending(ctx, s.prepared()); err != nil || ok {
		if err != nil {
			return 0, fmt.Errorf("count pending records: %w", err)
		}
		return n, nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("count pending records: %w", err)
	}
	defer tx.Rollback()
	n, err := s.pendingTx(ctx, tx)
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		return 0, fmt.Errorf("count pending records: %w", err)
	}
	return n, nil
}

// storedPending reads the stored count (PostgreSQL) or base (SQLite); ok is
// false when there is none yet.
func (s *Store) storedPending(ctx context.Context, q dbtx) (n int, ok bool, err error) {
	var v sql.NullInt64
	if s.dialect == dialectPostgres {
		err = q.QueryRowContext(ctx, `SELECT CAST(value AS BIGINT) FROM meta WHERE key = ?`, metaPending).Scan(&v)
	} else {
		err = q.QueryRowContext(ctx, `SELECT (SELECT coalesce(max(seq), 0) FROM events) - CAST(value AS INTEGER)
			FROM meta WHERE key = ?`, metaPendingBase).Scan(&v)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return int(v.Int64), err == nil && v.Valid, err
}

// pendingTx reads the count inside a write transaction, counting the log
// and storing the count when there is none.
func (s *Store) pendingTx(ctx context.Context, tx dbtx) (int, error) {
	if n, ok, err := s.storedPending(ctx, tx); err != nil || ok {
		return n, err
	}
	acked, err := ackedSeq(ctx, tx)
	if err != nil {
		return 0, err
	}
	var n int
	var end int64
	if err := tx.QueryRowContext(ctx, `SELECT count(*), (SELECT coalesce(max(seq), 0) FROM events)
		FROM events WHERE seq > ?`, acked).Scan(&n, &end); err != nil {
		return 0, err
	}
	return n, s.setPendingTx(ctx, tx, n, end)
}

// setPendingTx stores that n events wait when the log ends at end.
func (s *Store) setPendingTx(ctx context.Context, tx dbtx, n int, end int64) error {
	if s.dialect == dialectPostgres {
		return setMetaTx(ctx, tx, metaPending, strconv.Itoa(n))
	}
	return setMetaTx(ctx, tx, metaPendingBase, strconv.FormatInt(end-int64(n), 10))
}

// addPending adds n newly stored events to PostgreSQL's counter (SQLite's
// count follows the log's end by itself). A database whose counter does not
// exist yet is counted in full when it is first read.
func (s *Store) addPending(ctx context.Context, tx dbtx, n int) error {
	if n == 0 || s.dialect != dialectPostgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key = ?`, n, metaPending)
	return err
}

func ackedSeq(ctx context.Context, q dbtx) (int64, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaAckedSeq).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read sync cursor: %w", err)
	}
	n, _ := strconv.ParseInt(v, 10, 64)
	return n, nil
}

func setMetaTx(ctx context.Context, tx dbtx, key, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// Ack is what a receipt (or a hub's reply) says was stored: the events of
// DeviceID with seq in (FromSeq, ToSeq], Count of them.
type Ack struct {
	Destination string `json:"destination"`
	DeviceID    string `json:"device_id"`
	FromSeq     int64  `json:"from_seq"`
	ToSeq       int64  `json:"to_seq"`
	Count       int    `json:"count"`
}

// AckResult is what Acknowledge changed.
type AckResult struct {
	Acknowledged int  `json:"acknowledged"` // events newly acknowledged
	Already      bool `json:"already"`      // the receipt had been applied before
	Pending      int  `json:"pending"`      // events still waiting
}

// Acknowledge moves the cursor past the events a receipt confirms. A receipt
// for another device, one whose range does not hold Count events here, or one
// that would skip unacknowledged events is refused and changes nothing.
// Applying the same receipt twice changes nothing the second time.
func (s *Store) Acknowledge(ctx context.Context, a Ack) (AckResult, error) {
	var res AckResult
	if a.DeviceID != s.deviceID {
		return res, fmt.Errorf("%w (receipt: %s, this device: %s)", ErrAckOtherDevice, a.DeviceID, s.deviceID)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("acknowledge: %w", err)
	}
	defer tx.Rollback()
	var inRange int
	var maxSeq int64
	if err := tx.QueryRowContext(ctx, `SELECT count(*), (SELECT coalesce(max(seq), 0) FROM events)
		FROM events WHERE seq > ? AND seq <= ?`, a.FromSeq, a.ToSeq).Scan(&inRange, &maxSeq); err != nil {
		return res, fmt.Errorf("acknowledge: %w", err)
	}
	if a.FromSeq < 0 || a.ToSeq < a.FromSeq || a.ToSeq > maxSeq || inRange != a.Count {
		return res, fmt.Errorf("%w (%d records in %d–%d here, receipt says %d)", ErrAckMismatch, inRange, a.FromSeq, a.ToSeq, a.Count)
	}
	acked, err := ackedSeq(ctx, tx)
	if err != nil {
		return res, err
	}
	if a.FromSeq > acked {
		return res, fmt.Errorf("%w (acknowledged up to %d, receipt starts at %d)", ErrAckGap, acked, a.FromSeq)
	}
	pending, err := s.pendingTx(ctx, tx)
	if err != nil {
		return res, err
	}
	if a.ToSeq <= acked {
		res.Already, res.Pending = true, pending
	} else {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE seq > ? AND seq <= ?`,
			acked, a.ToSeq).Scan(&res.Acknowledged); err != nil {
			return res, fmt.Errorf("acknowledge: %w", err)
		}
		res.Pending = max(0, pending-res.Acknowledged)
	}
	now := formatTime(s.now())
	for _, kv := range [][2]string{
		{metaAckedSeq, strconv.FormatInt(max(acked, a.ToSeq), 10)},
		{metaLastSent, now},
	} {
		if err := setMetaTx(ctx, tx, kv[0], kv[1]); err != nil {
			return res, fmt.Errorf("acknowledge: %w", err)
		}
	}
	if err := s.setPendingTx(ctx, tx, res.Pending, maxSeq); err != nil {
		return res, fmt.Errorf("acknowledge: %w", err)
	}
	if err := s.noteDestination(ctx, tx, a.Destination, func(d *DestinationStatus) {
		d.LastAck, d.LastAckCount = s.now(), a.Count
	}); err != nil {
		return res, fmt.Errorf("acknowledge: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("acknowledge: %w", err)
	}
	return res, nil
}

// NoteExport records that the events of r were written for a destination.
// It acknowledges nothing: only a receipt does.
func (s *Store) NoteExport(ctx context.Context, destination string, r ExportRange) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("note export: %w", err)
	}
	defer tx.Rollback()
	if err := s.noteDestination(ctx, tx, destination, func(d *DestinationStatus) {
		d.LastExport, d.LastExportCount = s.now(), r.Total()
	}); err != nil {
		return fmt.Errorf("note export: %w", err)
	}
	return tx.Commit()
}

func (s *Store) noteDestination(ctx context.Context, tx dbtx, name string, change func(*DestinationStatus)) error {
	if name == "" {
		return nil
	}
	d := DestinationStatus{Name: name}
	var v string
	err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaDestination+name).Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if v != "" {
		_ = json.Unmarshal([]byte(v), &d) // a damaged entry starts over
		d.Name = name
	}
	change(&d)
	b, _ := json.Marshal(d)
	return setMetaTx(ctx, tx, metaDestination+name, string(b))
}

func (s *Store) destinations(ctx context.Context) ([]DestinationStatus, error) {
	rows, err := s.prepared().QueryContext(ctx, `SELECT key, value FROM meta WHERE key >= ? AND key < ?`,
		metaDestination, metaDestination+"\U0010FFFF")
	if err != nil {
		return nil, fmt.Errorf("read sync destinations: %w", err)
	}
	defer rows.Close()
	var out []DestinationStatus
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("read sync destinations: %w", err)
		}
		d := DestinationStatus{}
		_ = json.Unmarshal([]byte(v), &d)
		d.Name = strings.TrimPrefix(k, metaDestination)
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, rows.Err()
}
