// Package store keeps a device's learning record in one SQLite file: an
// append-only log of events (the unit of sync) and a read model of progress
// derived from it. Every change goes through Record, which writes the event and
// updates the read model in one transaction.
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
	"sync"
	"time"

	"github.com/google/uuid"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Errors that Open returns for a file it will not use. Callers show them to a
// person, so they are sentinel values to match with errors.Is, not text.
var (
	ErrNotDatabase = errors.New("not a hocso database")
	ErrReadOnly    = errors.New("database is read-only")
	ErrNewerSchema = errors.New("database is from a newer hocso")
)

// SchemaError says which schema version a file has and which this build knows.
type SchemaError struct {
	Path      string
	Found     int
	Supported int
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("%s: schema version %d is newer than %d", e.Path, e.Found, e.Supported)
}

func (e *SchemaError) Unwrap() error { return ErrNewerSchema }

// Store is an open hocso database.
type Store struct {
	db       *sql.DB
	path     string
	dialect  dialect
	deviceID string
	// ingest queues Ingest batches on SQLite for group commit.
	ingestMu sync.Mutex
	ingest   ingestQueue
	// Now is the clock; tests replace it.
	Now func() time.Time
}

const sqliteMagic = "SQLite format 3\x00"

// Open opens the database at path, creating it and its directory when missing,
// and migrates it to the current schema. A file that is not SQLite, cannot be
// written, or comes from a newer schema is refused before anything in it changes.
// A path that is a PostgreSQL connection string (postgres://…) opens that
// database instead, with the same tables and the same behaviour.
func Open(ctx context.Context, path string) (*Store, error) {
	if IsPostgresDSN(path) {
		return openPostgresStore(ctx, path)
	}
	if err := checkFile(path); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create database folder: %w", err)
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + url.Values{
		"_pragma": {
			"busy_timeout(5000)",
			"journal_mode(WAL)",
			"synchronous(FULL)",
			"foreign_keys(1)",
		},
		"_txlock": {"immediate"},
	}.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return finishOpen(ctx, &Store{db: db, path: path, Now: time.Now})
}

func openPostgresStore(ctx context.Context, dsn string) (*Store, error) {
	db, err := openPostgres(ctx, dsn)
	if err != nil {
		return nil, err
	}
	return finishOpen(ctx, &Store{db: db, path: redactDSN(dsn), dialect: dialectPostgres, Now: time.Now})
}

func finishOpen(ctx context.Context, s *Store) (*Store, error) {
	var err error
	if s.dialect == dialectPostgres {
		err = s.migratePostgres(ctx)
	} else {
		err = s.migrate(ctx)
	}
	if err != nil {
		s.db.Close()
		return nil, err
	}
	if s.deviceID, err = s.ensureDeviceID(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

// checkFile refuses a file that is not SQLite, is read-only, or carries a newer
// user_version in its header, without opening it through SQLite (which would
// switch its journal mode, a change to the file).
func checkFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return checkDirWritable(filepath.Dir(path))
	}
	if errors.Is(err, os.ErrPermission) {
		return fmt.Errorf("%s: %w", path, ErrReadOnly)
	}
	if err != nil {
		return fmt.Errorf("open database %s: %w", path, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return fmt.Errorf("%s: %w", path, ErrNotDatabase)
	}
	header := make([]byte, 100)
	n, err := io.ReadFull(f, header)
	if n == 0 && (err == io.EOF) {
		return nil // an empty file: SQLite treats it as a new database
	}
	if err != nil || !bytes.Equal(header[:16], []byte(sqliteMagic)) {
		return fmt.Errorf("%s: %w", path, ErrNotDatabase)
	}
	if v := int(binary.BigEndian.Uint32(header[60:64])); v > len(migrations) {
		return &SchemaError{Path: path, Found: v, Supported: len(migrations)}
	}
	return checkDirWritable(filepath.Dir(path))
}

// checkDirWritable matters because WAL mode keeps two files beside the database.
func checkDirWritable(dir string) error {
	fi, err := os.Stat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil // created by Open
	}
	if err != nil {
		return fmt.Errorf("database folder %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s: %w", dir, ErrNotDatabase)
	}
	probe, err := os.CreateTemp(dir, ".hocso-write-check-*")
	if err != nil {
		return fmt.Errorf("%s: %w", dir, ErrReadOnly)
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Path is the database file's path, or for PostgreSQL its connection string
// without the password.
func (s *Store) Path() string { return s.path }

// Postgres reports whether the store runs on PostgreSQL.
func (s *Store) Postgres() bool { return s.dialect == dialectPostgres }

// DeviceID is this database's device id, made once when the file was created.
func (s *Store) DeviceID() string { return s.deviceID }

func (s *Store) ensureDeviceID(ctx context.Context) (string, error) {
	id, err := s.Meta(ctx, "device_id")
	if err != nil || id != "" {
		return id, err
	}
	id = uuid.Must(uuid.NewV7()).String()
	_, err = s.db.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES ('device_id', ?) ON CONFLICT(key) DO NOTHING`, id)
	if err != nil {
		return "", fmt.Errorf("save device id: %w", err)
	}
	return s.Meta(ctx, "device_id")
}

// Meta reads a value of the device's own settings; a missing key reads as "".
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, nil
}

// SetMeta writes a device setting (not an event: settings do not travel).
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("save setting %s: %w", key, err)
	}
	return nil
}

func (s *Store) now() time.Time { return s.Now().UTC() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }
