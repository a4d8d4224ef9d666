package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/google/uuid"
)

// ApplicationID is the value hocso writes to `PRAGMA application_id` (bytes
// 68–71 of an SQLite file's header): the ASCII letters "hocs". A file with
// any other non-zero application id belongs to another program. The `file`
// command's magic database and SQLite's own list of registered ids have no
// entry for it.
const ApplicationID = 0x686F6373

// formatMarker is the meta row that also marks a file as hocso's, for a copy
// whose header lost the application id (an `.dump` restored by hand, say).
const formatMarker = "hocso"

// Errors that Open returns for a file it will not use. Callers show them to a
// person, so they are sentinel values to match with errors.Is, not text.
var (
	// ErrNotDatabase: the file is not an SQLite database at all.
	ErrNotDatabase = errors.New("not a hocso database")
	// ErrForeign: an SQLite database of another program; it was not changed.
	ErrForeign = errors.New("an SQLite database of another program")
	// ErrDamaged: the file is hocso's (or could be) but cannot be read whole:
	// truncated, or failing SQLite's checks. `hocso doctor --repair` copies out
	// what can be read.
	ErrDamaged = errors.New("database is damaged")
	// ErrDiskFull: there is no space left to write the database.
	ErrDiskFull    = errors.New("disk is full")
	ErrReadOnly    = errors.New("database is read-only")
	ErrNewerSchema = errors.New("database is from a newer hocso")
)

// SchemaError says which schema version a file has and which this build
// knows. A negative version (no hocso writes one) unwraps to ErrDamaged.
type SchemaError struct {
	Path      string
	Found     int
	Supported int
}

func (e *SchemaError) Error() string {
	if e.Found < 0 {
		return fmt.Sprintf("%s: schema version %d is not one hocso writes", e.Path, e.Found)
	}
	return fmt.Sprintf("%s: schema version %d is newer than %d", e.Path, e.Found, e.Supported)
}

func (e *SchemaError) Unwrap() error {
	if e.Found < 0 {
		return ErrDamaged
	}
	return ErrNewerSchema
}

const sqliteMagic = "SQLite format 3\x00"

// header is what Open learns from a file's first 100 bytes without SQLite,
// which would switch a foreign file's journal mode on connecting.
type header struct {
	empty       bool // missing or 0 bytes: a new database
	appID       uint32
	userVersion int32 // signed, as SQLite reads it
	pageSize    int64
	pages       int64 // the in-header database size, 0 when not valid
	fileSize    int64
	wal         bool // file format 2: the file is in WAL mode
}

// readHeader reads path's SQLite header. A file that cannot be SQLite is
// ErrNotDatabase; one that starts like SQLite but is cut short is ErrDamaged.
func readHeader(path string) (header, error) { return parseHeader(path, false) }

// rawHeader reads the header's fields without checking the file's size
// against them, for salvaging a file cut short.
func rawHeader(path string) (header, error) { return parseHeader(path, true) }

func parseHeader(path string, raw bool) (header, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return header{empty: true}, nil
	}
	if err != nil {
		return header{}, fmt.Errorf("open database %s: %w", path, classify(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return header{}, fmt.Errorf("open database %s: %w", path, err)
	}
	if fi.IsDir() {
		return header{}, fmt.Errorf("%s: %w", path, ErrNotDatabase)
	}
	if fi.Size() == 0 {
		return header{empty: true}, nil
	}
	b := make([]byte, 100)
	n, err := io.ReadFull(f, b)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return header{}, fmt.Errorf("read database %s: %w", path, classify(err))
	}
	if n < 100 {
		if bytes.HasPrefix([]byte(sqliteMagic), b[:min(n, 16)]) || bytes.HasPrefix(b[:n], []byte(sqliteMagic)) {
			return header{}, fmt.Errorf("%s: only %d bytes: %w", path, n, ErrDamaged)
		}
		return header{}, fmt.Errorf("%s: %w", path, ErrNotDatabase)
	}
	if !bytes.Equal(b[:16], []byte(sqliteMagic)) {
		return header{}, fmt.Errorf("%s: %w", path, ErrNotDatabase)
	}
	h := header{
		appID:       binary.BigEndian.Uint32(b[68:72]),
		userVersion: int32(binary.BigEndian.Uint32(b[60:64])),
		pageSize:    int64(binary.BigEndian.Uint16(b[16:18])),
		fileSize:    fi.Size(),
		wal:         b[18] == 2 && b[19] == 2,
	}
	if h.pageSize == 1 {
		h.pageSize = 65536
	}
	if h.pageSize < 512 || h.pageSize&(h.pageSize-1) != 0 {
		return h, fmt.Errorf("%s: page size %d: %w", path, h.pageSize, ErrDamaged)
	}
	// The in-header size is valid when the change counter matches
	// "version-valid-for" (SQLite ≥ 3.7.0 keeps them equal).
	if binary.BigEndian.Uint32(b[24:28]) == binary.BigEndian.Uint32(b[92:96]) {
		h.pages = int64(binary.BigEndian.Uint32(b[28:32]))
	}
	if raw {
		return h, nil
	}
	// A WAL-mode file may be longer than its header says (pages not yet
	// counted), never shorter: shorter means it was cut. Unless a WAL is
	// beside it: another process may be checkpointing right now, writing
	// page 1 before it extends the file, and Open's quick_check (which runs
	// whenever a WAL is left) judges the file under SQLite's locks.
	if wal, err := os.Stat(path + "-wal"); err == nil && wal.Size() > 0 {
		return h, nil
	}
	if h.fileSize < h.pages*h.pageSize || h.fileSize%h.pageSize != 0 {
		return header{}, fmt.Errorf("%s: %d bytes, header says %d pages of %d: %w",
			path, h.fileSize, h.pages, h.pageSize, ErrDamaged)
	}
	return h, nil
}

// Open opens the database at path, creating it and its directory when missing,
// and migrates it to the current schema. A file that is not hocso's (by its
// application id, its marker or, for files of hocso before application ids,
// its tables), cannot be written, is damaged, or comes from a newer schema is
// refused before a byte of it changes.
//
// A path that is a PostgreSQL connection string (postgres://…) opens that
// database instead, with the same tables and the same behaviour.
func Open(ctx context.Context, path string) (*Store, error) {
	if IsPostgresDSN(path) {
		return openPostgresStore(ctx, path)
	}
	s, err := open(ctx, path)
	return s, diskFullHint(path, err)
}

// openPostgresStore opens a hub's PostgreSQL database: migrated under an
// advisory lock (see migratePostgres), with a device id of its own.
func openPostgresStore(ctx context.Context, dsn string) (*Store, error) {
	db, err := openPostgres(ctx, dsn)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, path: redactDSN(dsn), dialect: dialectPostgres, Now: time.Now}
	if err := s.migratePostgres(ctx); err != nil {
		db.Close()
		return nil, err
	}
	id := uuid.Must(uuid.NewV7()).String()
	if _, err := db.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES ('device_id', ?) ON CONFLICT(key) DO NOTHING`, id); err != nil {
		db.Close()
		return nil, fmt.Errorf("save device id: %w", err)
	}
	if s.deviceID, err = s.Meta(ctx, "device_id"); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// diskFullHint marks an I/O error met while the disk holding path has no
// room left as ErrDiskFull: SQLite reports a full disk as SQLITE_FULL when
// writing pages, but as an I/O error (SQLITE_IOERR_SHMSIZE, say) when it
// cannot make its -shm or -wal file.
func diskFullHint(path string, err error) error {
	var sc sqliteCoder
	if err == nil || errors.Is(err, ErrDiskFull) || !errors.As(err, &sc) || sc.Code()&0xff != sqliteIOErr {
		return err
	}
	if free, ferr := freeBytes(existingDir(filepath.Dir(path))); ferr == nil && free < 1<<20 {
		return fmt.Errorf("%w: %w", ErrDiskFull, err)
	}
	return err
}

func open(ctx context.Context, path string) (*Store, error) {
	h, err := readHeader(path)
	if err != nil {
		return nil, err
	}
	if err := recognise(ctx, path, h); err != nil {
		return nil, err
	}
	if err := checkWritable(path, h); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create database folder: %w", classify(err))
	}
	unclean := false
	if wal, err := os.Stat(path + "-wal"); err == nil && wal.Size() > 0 {
		unclean = true
	}
	db, err := sql.Open("sqlite", dsn(path, url.Values{
		"_pragma": {
			"busy_timeout(5000)",
			"journal_mode(WAL)",
			"synchronous(FULL)",
			"foreign_keys(1)",
		},
		"_txlock": {"immediate"},
	}))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	s := &Store{db: db, path: path, Now: time.Now}
	if !h.empty {
		if err := retryBusy(ctx, func() error { return s.checkAtOpen(ctx, unclean) }); err != nil {
			db.Close()
			return nil, err
		}
	}
	if err := retryBusy(ctx, func() error { return s.migrate(ctx) }); err != nil {
		db.Close()
		return nil, err
	}
	if s.deviceID, err = s.Meta(ctx, "device_id"); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, classify(err))
	}
	return s, nil
}

// checkInterval is how long a file that last closed cleanly goes between
// checks at open.
const checkInterval = 7 * 24 * time.Hour

// checkAtOpen runs PRAGMA quick_check when the last session did not end
// cleanly (a WAL is left: hocso's last connection checkpoints and removes it
// on close, so one left means a crash, a power cut, or another process
// running now), when the file was never checked, or a week after the last
// check. quick_check reads every page (about 37 ms for 12 MB here, where Open
// alone takes 4 ms; BenchmarkIntegrityAtOpen), too slow for every start of a
// big file on an old PC, but damage comes from cut power and crashes, which
// leave a WAL behind. A query that meets a damaged page between checks still
// fails with ErrDamaged.
func (s *Store) checkAtOpen(ctx context.Context, unclean bool) error {
	var version int
	if err := s.db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return fmt.Errorf("%s: %w", s.path, classify(err))
	}
	if version == 0 {
		return nil // being created, by another process: nothing to check yet
	}
	var last string
	s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'checked_at'`).Scan(&last)
	if !unclean && last != "" && s.now().Sub(parseTime(last)) < checkInterval {
		return nil
	}
	lines, err := integrity(ctx, s.db, "quick_check")
	if err != nil {
		return fmt.Errorf("%s: %w", s.path, err)
	}
	if lines[0] != "ok" {
		return fmt.Errorf("%s: quick_check: %s: %w", s.path, lines[0], ErrDamaged)
	}
	// Failing to note the time (a full disk) only means checking again next time.
	s.db.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES ('checked_at', ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, formatTime(s.now()))
	return nil
}

func dsn(path string, q url.Values) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// recognise refuses a file that is not hocso's. The header settles it when
// it carries an application id; a file without one is read through a
// read-only connection (which sees a WAL not yet checkpointed) and accepted
// only when it is empty, carries hocso's marker, or has hocso's tables at a
// schema version hocso wrote before it set application ids.
func recognise(ctx context.Context, path string, h header) error {
	switch {
	case h.empty:
		return nil
	case h.appID != 0 && h.appID != ApplicationID:
		return fmt.Errorf("%s: application id %#x: %w", path, h.appID, ErrForeign)
	case h.userVersion < 0:
		return &SchemaError{Path: path, Found: int(h.userVersion), Supported: SchemaVersion()}
	case int(h.userVersion) > SchemaVersion():
		return &SchemaError{Path: path, Found: int(h.userVersion), Supported: SchemaVersion()}
	case h.appID == ApplicationID:
		return nil
	}
	return peek(ctx, path)
}

// peek looks inside a file without hocso's application id, read-only.
func peek(ctx context.Context, path string) error {
	db, err := openReadOnly(path)
	if err != nil {
		return err
	}
	defer db.Close()
	// One read transaction, so that every answer comes from the same state of
	// a file another process may be creating right now.
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("read database %s: %w", path, classify(err))
	}
	defer tx.Rollback()
	var appID, version int64
	if err := tx.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&appID); err != nil {
		return fmt.Errorf("read database %s: %w", path, classify(err))
	}
	if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return fmt.Errorf("read database %s: %w", path, classify(err))
	}
	switch {
	case appID == ApplicationID:
		return nil
	case appID != 0:
		return fmt.Errorf("%s: application id %#x: %w", path, uint32(appID), ErrForeign)
	case version < 0 || version > int64(SchemaVersion()):
		return &SchemaError{Path: path, Found: int(int32(version)), Supported: SchemaVersion()}
	}
	tables, err := tableColumns(ctx, tx)
	if err != nil {
		return fmt.Errorf("read database %s: %w", path, classify(err))
	}
	if len(tables) == 0 && version == 0 {
		return nil // SQLite's header and nothing else: hocso was cut off while creating it
	}
	if version >= 1 && hasHocsoTables(tables) {
		return nil // made by hocso before application ids; migrate sets one
	}
	var marker string
	tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'format'`).Scan(&marker)
	if marker == formatMarker && version >= 1 {
		return nil // hocso's, its header's application id lost (a restored dump)
	}
	return fmt.Errorf("%s: %w", path, ErrForeign)
}

// legacyTables are the tables and columns schema 1 created: a file at
// schema 1 or 2 without an application id is hocso's only if it has all.
var legacyTables = map[string][]string{
	"meta":     {"key", "value"},
	"events":   {"seq", "id", "learner_id", "device_id", "kind", "pack_id", "pack_version", "pack_hash", "item_id", "time", "payload"},
	"learners": {"id", "full_name", "staff_code", "unit_path", "created_at", "updated_at", "profile_event"},
	"attempts": {"id", "learner_id", "pack_id", "quiz_id", "seed", "question_ids", "pass_mark", "submitted_at", "score"},
	"answers":  {"attempt_id", "question_id", "question_hash", "answer", "score", "max_score", "answered_at", "event_id"},
}

func hasHocsoTables(tables map[string]map[string]bool) bool {
	for name, cols := range legacyTables {
		have, ok := tables[name]
		if !ok {
			return false
		}
		for _, c := range cols {
			if !have[c] {
				return false
			}
		}
	}
	return true
}

// tableColumns lists every table of the main schema with its columns.
func tableColumns(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (map[string]map[string]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT m.name, p.name FROM sqlite_schema m, pragma_table_info(m.name) p
		WHERE m.type = 'table'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[string]bool{}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			return nil, err
		}
		if out[table] == nil {
			out[table] = map[string]bool{}
		}
		out[table][col] = true
	}
	return out, rows.Err()
}

// checkWritable refuses a file or folder hocso cannot write, before SQLite
// would fail halfway. WAL mode keeps two files beside the database, so the
// folder must be writable too.
func checkWritable(path string, h header) error {
	if !h.empty {
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			return fmt.Errorf("%s: %w", path, classify(err))
		}
		f.Close()
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil // created by Open
	}
	if err != nil {
		return fmt.Errorf("database folder %s: %w", dir, classify(err))
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s: %w", dir, ErrNotDatabase)
	}
	probe, err := os.CreateTemp(dir, ".hocso-write-check-*")
	if err != nil {
		return fmt.Errorf("%s: %w", dir, classify(err))
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

// retryBusy runs f again while it fails with SQLITE_BUSY, for up to ten
// seconds. busy_timeout covers ordinary lock waits, but not every case of
// several processes creating one file at once: SQLite returns BUSY at once
// to a connection that meets another switching the file to WAL or running
// WAL recovery, since waiting there could deadlock.
func retryBusy(ctx context.Context, f func() error) error {
	deadline := time.Now().Add(10 * time.Second)
	wait := 5 * time.Millisecond
	for {
		err := f()
		var sc sqliteCoder
		if err == nil || !errors.As(err, &sc) || sc.Code()&0xff != sqliteBusy || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 200*time.Millisecond)
	}
}

// sqliteCoder is the interface of modernc.org/sqlite's errors.
type sqliteCoder interface{ Code() int }

// SQLite's primary result codes that say something a person can act on.
const (
	sqliteBusy     = 5
	sqliteIOErr    = 10
	sqliteReadOnly = 8
	sqliteCorrupt  = 11
	sqliteFull     = 13
	sqliteCantOpen = 14
	sqliteNotADB   = 26
)

// classify wraps err with the sentinel that tells a person what happened,
// keeping err itself for the details.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var kind error
	var sc sqliteCoder
	switch {
	case isDiskFull(err):
		kind = ErrDiskFull
	case errors.Is(err, os.ErrPermission), errors.Is(err, syscall.EROFS):
		kind = ErrReadOnly
	case errors.As(err, &sc):
		switch sc.Code() & 0xff {
		case sqliteFull:
			kind = ErrDiskFull
		case sqliteReadOnly:
			kind = ErrReadOnly
		case sqliteCorrupt, sqliteNotADB:
			kind = ErrDamaged
		}
	}
	if kind == nil || errors.Is(err, kind) {
		return err
	}
	return fmt.Errorf("%w: %w", kind, err)
}

func isDiskFull(err error) bool {
	for _, e := range diskFullErrnos {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// OpenReadOnly opens an existing hocso database for reading only, for the
// commands that only read (progress, learner list, reports) when the file or
// its folder cannot be written. It changes nothing: not the journal mode,
// not the schema, and leaves no file beside the database unless a WAL is
// already there to be read. Writes through it fail with ErrReadOnly.
func OpenReadOnly(ctx context.Context, path string) (*Store, error) {
	h, err := readHeader(path)
	if err != nil {
		return nil, err
	}
	if h.empty {
		return nil, fmt.Errorf("%s: %w", path, os.ErrNotExist)
	}
	if err := recognise(ctx, path, h); err != nil {
		return nil, err
	}
	db, err := openReadOnly(path)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, path: path, Now: time.Now}
	var v int
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
		db.Close()
		return nil, fmt.Errorf("read database %s: %w", path, classify(err))
	}
	if v != SchemaVersion() {
		// Older: the tables this build reads may not be there yet, and
		// upgrading needs a write.
		db.Close()
		return nil, fmt.Errorf("%s: schema %d needs upgrading to %d: %w", path, v, SchemaVersion(), ErrReadOnly)
	}
	if s.deviceID, err = s.Meta(ctx, "device_id"); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}
