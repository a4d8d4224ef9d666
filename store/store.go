// Package store keeps a device's learning record in one SQLite file: an
// append-only log of events (the unit of sync) and a read model of progress
// derived from it. Every change goes through Record, which writes the event and
// updates the read model in one transaction.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Store is an open hocso database.
type Store struct {
	db       *sql.DB
	path     string
	dialect  dialect
	deviceID string
	// reads holds the screens' queries prepared once (see prepared).
	readsOnce sync.Once
	reads     *stmtCache
	// ingest queues Ingest batches on SQLite for group commit.
	ingestMu sync.Mutex
	ingest   ingestQueue
	// Now is the clock; tests replace it.
	Now func() time.Time
}

// Close closes the database.
func (s *Store) Close() error {
	if s.reads != nil {
		s.reads.Close()
	}
	return s.db.Close()
}

// prepared runs queries through statements prepared once for the life of
// the store. The dashboard and the first frame run the same twenty small
// queries on every draw; on SQLite, parsing and planning them again each time
// cost more than running them. PostgreSQL's driver caches its prepared
// statements itself. Only constant SQL texts go through here: the cache
// keeps every text it is given.
func (s *Store) prepared() dbtx {
	if s.dialect == dialectPostgres {
		return s.db
	}
	s.readsOnce.Do(func() { s.reads = newStmtCache(s.db) })
	return s.reads
}

// Path is the database file's path, or for PostgreSQL its connection string
// without the password.
func (s *Store) Path() string { return s.path }

// Postgres reports whether the store runs on PostgreSQL.
func (s *Store) Postgres() bool { return s.dialect == dialectPostgres }

// DeviceID is this database's device id, made once when the file was created.
func (s *Store) DeviceID() string { return s.deviceID }

// Meta reads a value of the device's own settings; a missing key reads as "".
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.prepared().QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
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
	_, err := s.prepared().ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("save setting %s: %w", key, classify(err))
	}
	return nil
}

func (s *Store) now() time.Time { return s.Now().UTC() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }
