package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
)

// Verdicts of Examine, stable for `hocso doctor --json`.
const (
	VerdictOK        = "ok"
	VerdictMissing   = "missing"
	VerdictNotSQLite = "not_sqlite"
	VerdictForeign   = "foreign"
	VerdictNewer     = "newer"
	VerdictDamaged   = "damaged"
)

// Health is what `hocso doctor` reports about a database file. Examine fills
// it without changing the file.
type Health struct {
	Path          string   `json:"path"`
	Verdict       string   `json:"verdict"`
	Problem       string   `json:"problem,omitempty"`
	SizeBytes     int64    `json:"size_bytes"`
	WALBytes      int64    `json:"wal_bytes"`
	JournalMode   string   `json:"journal_mode,omitempty"`
	ApplicationID uint32   `json:"application_id"`
	Schema        int      `json:"schema_version"`
	Supported     int      `json:"schema_supported"`
	Integrity     []string `json:"integrity"`
	Learners      int      `json:"learners"`
	Events        int      `json:"events"`
	Pending       int      `json:"pending_sync"`
	Conflicts     int      `json:"event_conflicts"` // versions kept apart, see conflicts.go
	FreeBytes     uint64   `json:"free_bytes"`
	// Err is the error behind Verdict, for errors.Is.
	Err error `json:"-"`
}

// Examine checks the database at path the way `hocso doctor` reports it:
// header, application id, schema version, full integrity check, counts and
// the free space beside it. It reads through a read-only connection and
// never changes the file.
func Examine(ctx context.Context, path string) Health {
	h := Health{Path: path, Verdict: VerdictOK, Supported: SchemaVersion(), Integrity: []string{}}
	h.FreeBytes, _ = freeBytes(existingDir(filepath.Dir(path)))
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		h.Verdict = VerdictMissing
		return h
	}
	if err == nil {
		h.SizeBytes = fi.Size()
	}
	if wal, err := os.Stat(path + "-wal"); err == nil {
		h.WALBytes = wal.Size()
	}
	hdr, err := readHeader(path)
	if err == nil {
		h.ApplicationID, h.Schema = hdr.appID, int(hdr.userVersion)
		h.JournalMode = "delete"
		if hdr.wal {
			h.JournalMode = "wal" // immutable=1 reads would say "delete"
		}
		err = recognise(ctx, path, hdr)
	}
	h.setErr(err)
	if h.Verdict == VerdictNotSQLite || h.Verdict == VerdictMissing {
		return h
	}
	db, err := openReadOnly(path)
	if err != nil {
		h.setErr(err)
		return h
	}
	defer db.Close()
	h.Integrity, err = integrity(ctx, db, "integrity_check")
	if err == nil && (len(h.Integrity) != 1 || h.Integrity[0] != "ok") {
		err = fmt.Errorf("%s: integrity check: %s: %w", path, h.Integrity[0], ErrDamaged)
	}
	if h.Err == nil {
		h.setErr(err)
	}
	var appID int64
	if db.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&appID) == nil {
		h.ApplicationID = uint32(appID)
	}
	var v int64
	if db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v) == nil {
		h.Schema = int(int32(v))
	}
	if h.Verdict != VerdictForeign {
		db.QueryRowContext(ctx, `SELECT count(*) FROM learners`).Scan(&h.Learners)
		db.QueryRowContext(ctx, `SELECT count(*) FROM events`).Scan(&h.Events)
		var acked string
		db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaAckedSeq).Scan(&acked)
		seq, _ := strconv.ParseInt(acked, 10, 64)
		db.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE seq > ?`, seq).Scan(&h.Pending)
		db.QueryRowContext(ctx, `SELECT count(*) FROM event_conflicts`).Scan(&h.Conflicts) // none before schema 8
	}
	return h
}

func (h *Health) setErr(err error) {
	if err == nil {
		return
	}
	h.Err, h.Problem = err, err.Error()
	switch {
	case errors.Is(err, ErrNotDatabase):
		h.Verdict = VerdictNotSQLite
	case errors.Is(err, ErrForeign):
		h.Verdict = VerdictForeign
	case errors.Is(err, ErrNewerSchema):
		h.Verdict = VerdictNewer
	default:
		h.Verdict = VerdictDamaged
	}
}

// existingDir is dir or its nearest existing parent, for free-space checks
// of a file not made yet.
func existingDir(dir string) string {
	for {
		if _, err := os.Stat(dir); err == nil || filepath.Dir(dir) == dir {
			return dir
		}
		dir = filepath.Dir(dir)
	}
}

// openReadOnly opens path for reading only, leaving no file beside it when
// it can. mode=ro reads under SQLite's locks and sees a WAL's committed
// pages, so it is used whenever another process may be writing: the file
// is in rollback-journal mode (where mode=ro makes no file), or a WAL file
// exists (a process has the database open, or crashed with it open). A
// WAL-mode file without a WAL is closed by everyone and whole in itself:
// immutable=1 reads it without making a -shm file. immutable=1 is also the
// fallback when mode=ro cannot open (a read-only folder without the -shm
// file it needs, or a full disk).
func openReadOnly(path string) (*sql.DB, error) {
	ro := url.Values{"mode": {"ro"}, "_pragma": {"busy_timeout(5000)", "query_only(1)"}}
	immutable := url.Values{"immutable": {"1"}, "_pragma": {"query_only(1)"}}
	tries := []url.Values{immutable}
	_, walErr := os.Stat(path + "-wal")
	if h, err := rawHeader(path); err != nil || !h.wal || walErr == nil {
		tries = []url.Values{ro, immutable}
	}
	var err error
	for _, q := range tries {
		var db *sql.DB
		if db, err = sql.Open("sqlite", dsn(path, q)); err != nil {
			return nil, err
		}
		var n int
		if err = db.QueryRow(`SELECT count(*) FROM sqlite_schema`).Scan(&n); err == nil {
			return db, nil
		}
		db.Close()
		// Only a file mode=ro cannot open is read immutable: a read-only
		// folder, or a full disk, where mode=ro cannot make its -shm file.
		var sc sqliteCoder
		if errors.As(err, &sc) {
			if code := sc.Code() & 0xff; code != sqliteReadOnly && code != sqliteCantOpen && code != sqliteIOErr {
				break
			}
		}
	}
	return nil, fmt.Errorf("read database %s: %w", path, classify(err))
}

// integrity runs PRAGMA integrity_check or quick_check and returns its lines
// ("ok" alone when the file is sound), at most 20 of them.
func integrity(ctx context.Context, db *sql.DB, pragma string) ([]string, error) {
	rows, err := db.QueryContext(ctx, `PRAGMA `+pragma+`(20)`)
	if err != nil {
		return []string{err.Error()}, fmt.Errorf("%s: %w", pragma, classify(err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return append(out, err.Error()), classify(err)
		}
		out = append(out, line)
	}
	if err := rows.Err(); err != nil {
		return append(out, err.Error()), fmt.Errorf("%s: %w", pragma, classify(err))
	}
	if len(out) == 0 {
		out = []string{"no result"}
	}
	return out, nil
}
