package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Salvage says what CopyOut saved from a damaged file.
type Salvage struct {
	Source   string `json:"source"`
	Copy     string `json:"copy"`
	Events   int    `json:"events"`
	Lost     int    `json:"events_unreadable"`
	Settings int    `json:"settings"`
	Learners int    `json:"learners"`
}

// CopyOut copies whatever can be read of the database at src into a new
// hocso database at dst, never writing to src: the event log row by row
// (skipping rows on damaged pages), the device's settings (its device id,
// sync cursor, PINs) and the trusted keys and installed packs; then the read
// model is rebuilt from the copied log. dst must not exist.
//
// The copy writes the log's rows as they were, with their sequence numbers,
// rather than through Record: these are not new facts, and the sync cursor
// kept in the settings counts by those numbers.
func CopyOut(ctx context.Context, src, dst string) (Salvage, error) {
	out := Salvage{Source: src, Copy: dst}
	if _, err := os.Stat(dst); !errors.Is(err, os.ErrNotExist) {
		return out, fmt.Errorf("%s: %w", dst, os.ErrExist)
	}
	scratch, err := scratchCopy(src)
	if err != nil {
		return out, err
	}
	defer os.RemoveAll(filepath.Dir(scratch))
	from, err := openReadOnly(scratch)
	if err != nil {
		return out, err
	}
	defer from.Close()
	to, err := Open(ctx, dst)
	if err != nil {
		return out, err
	}
	defer to.Close()
	if out.Settings, err = copyRows(ctx, from, to.db, `SELECT key, value FROM meta WHERE key <> 'format'`,
		`INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, 2); err != nil {
		return out, err
	}
	copyRows(ctx, from, to.db, `SELECT key_id, public_key, comment, added_at FROM trusted_keys`,
		`INSERT OR IGNORE INTO trusted_keys(key_id, public_key, comment, added_at) VALUES (?, ?, ?, ?)`, 4)
	copyRows(ctx, from, to.db, `SELECT id, version, directory, hash, signer_key_id, trusted, installed_at, active
		FROM installed_packs ORDER BY seq`, `INSERT INTO installed_packs(id, version, directory, hash, signer_key_id,
		trusted, installed_at, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, 8)
	if out.Events, out.Lost, err = copyEvents(ctx, from, to.db); err != nil {
		return out, err
	}
	if err := fitCursors(ctx, to.db); err != nil {
		return out, err
	}
	if err := to.Rebuild(ctx); err != nil {
		return out, err
	}
	to.db.QueryRowContext(ctx, `SELECT count(*) FROM learners`).Scan(&out.Learners)
	return out, nil
}

// fitCursors makes the copied settings agree with the copied log. The
// pending count is counted again when first read (events may be lost), and
// the sync cursor, when past the copy's last event, comes back to it: new events take the
// seq after the last one copied, and a cursor past it would never send them.
// Events sent before are sent again, which an office ignores.
func fitCursors(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `DELETE FROM meta WHERE key IN (?, ?)`, metaPending, metaPendingBase); err != nil {
		return fmt.Errorf("copy: %w", classify(err))
	}
	if _, err := db.ExecContext(ctx, `UPDATE meta SET value = CAST((SELECT coalesce(max(seq), 0) FROM events) AS TEXT)
		WHERE key = ? AND CAST(value AS INTEGER) > (SELECT coalesce(max(seq), 0) FROM events)`, metaAckedSeq); err != nil {
		return fmt.Errorf("copy: %w", classify(err))
	}
	return nil
}

// scratchCopy copies src and its WAL into a temporary folder, so that
// nothing SQLite does while reading a damaged file can touch the original.
// A copy cut short is padded with empty pages up to the size its header
// gives, so SQLite reads the pages that are left instead of refusing the
// whole file.
func scratchCopy(src string) (string, error) {
	dir, err := os.MkdirTemp("", "hocso-repair-*")
	if err != nil {
		return "", fmt.Errorf("repair: %w", classify(err))
	}
	dst := filepath.Join(dir, "source.db")
	for _, suffix := range []string{"", "-wal"} {
		if err := copyFile(src+suffix, dst+suffix); err != nil && !(suffix != "" && errors.Is(err, os.ErrNotExist)) {
			os.RemoveAll(dir)
			return "", fmt.Errorf("repair: copy %s: %w", src+suffix, classify(err))
		}
	}
	h, err := readHeader(dst)
	if errors.Is(err, ErrDamaged) {
		h, err = rawHeader(dst)
	}
	if err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	size := max(h.pages*h.pageSize, (h.fileSize+h.pageSize-1)/h.pageSize*h.pageSize)
	if size > h.fileSize {
		if err := os.Truncate(dst, size); err != nil {
			os.RemoveAll(dir)
			return "", fmt.Errorf("repair: %w", classify(err))
		}
	}
	return dst, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// copyRows copies what a query can read before an error; an unreadable
// table copies nothing and is not an error: the event log is what matters.
func copyRows(ctx context.Context, from, to *sql.DB, query, insert string, cols int) (int, error) {
	rows, err := from.QueryContext(ctx, query)
	if err != nil {
		return 0, nil
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		vals := make([]any, cols)
		ptrs := make([]any, cols)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if rows.Scan(ptrs...) != nil {
			break
		}
		if _, err := to.ExecContext(ctx, insert, vals...); err != nil {
			return n, fmt.Errorf("copy: %w", classify(err))
		}
		n++
	}
	return n, nil
}

const eventColumns = `seq, id, learner_id, device_id, kind, pack_id, pack_version, pack_hash, item_id, time, payload`

// copyEvents copies the event log in ranges of sequence numbers; a range that
// cannot be read whole is read one row at a time, so a damaged page loses
// only the rows on it. Past the highest seq lastSeq finds, ranges are read
// for as long as they still hold rows.
func copyEvents(ctx context.Context, from, to *sql.DB) (copied, lost int, err error) {
	last := lastSeq(ctx, from)
	tx, err := to.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, classify(err)
	}
	defer tx.Rollback()
	insert := func(vals []any) error {
		_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO events(`+eventColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?)`, vals...)
		return err
	}
	const chunk = 256
	for lo := int64(1); ; lo += chunk {
		got, ok := readEvents(ctx, from, `WHERE seq >= ? AND seq < ? ORDER BY seq`, lo, lo+chunk)
		if !ok {
			got = nil
			for seq := lo; seq < lo+chunk; seq++ {
				one, ok := readEvents(ctx, from, `WHERE seq = ?`, seq)
				if !ok && seq <= last {
					lost++
				}
				got = append(got, one...)
			}
		}
		if lo > last && len(got) == 0 {
			break
		}
		for _, vals := range got {
			if err := insert(vals); err != nil {
				return copied, lost, fmt.Errorf("copy event: %w", classify(err))
			}
			copied++
		}
	}
	if err := tx.Commit(); err != nil {
		return copied, lost, classify(err)
	}
	return copied, lost, nil
}

// lastSeq is the highest sequence number the log is known to have given:
// the largest of AUTOINCREMENT's own table (files before schema 11), the
// log's highest row, the highest seq read through the index of event ids
// before any damaged page, and the acknowledged cursor.
func lastSeq(ctx context.Context, db *sql.DB) int64 {
	var last int64
	for _, q := range []string{
		`SELECT seq FROM sqlite_sequence WHERE name = 'events'`,
		`SELECT max(seq) FROM events`,
		`SELECT CAST(value AS INTEGER) FROM meta WHERE key = '` + metaAckedSeq + `'`,
	} {
		var n sql.NullInt64
		if db.QueryRowContext(ctx, q).Scan(&n) == nil && n.Int64 > last {
			last = n.Int64
		}
	}
	rows, err := db.QueryContext(ctx, `SELECT seq FROM events WHERE id >= '' ORDER BY id`)
	if err != nil {
		return last
	}
	defer rows.Close()
	for rows.Next() {
		var n int64
		if rows.Scan(&n) != nil {
			break
		}
		last = max(last, n)
	}
	return last
}

// readEvents reads event rows; ok is false when any error came up.
func readEvents(ctx context.Context, db *sql.DB, where string, args ...any) (out [][]any, ok bool) {
	rows, err := db.QueryContext(ctx, `SELECT `+eventColumns+` FROM events `+where, args...)
	if err != nil {
		return nil, false
	}
	defer rows.Close()
	for rows.Next() {
		vals := make([]any, 11)
		ptrs := make([]any, 11)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if rows.Scan(ptrs...) != nil {
			return out, false
		}
		out = append(out, vals)
	}
	return out, rows.Err() == nil
}
