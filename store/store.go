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
	packs    string // the folder of installed packs; "" for PostgreSQL until SetPacksDir
	deviceID string
	// reads holds the screens' queries prepared once (see prepared).
	readsOnce sync.Once
	reads     *stmtCache
	// writer is the connection recording commits on (see inWrite).
	writer writer
	// lazy is the connection for writes that need not wait for the disk
	// (see lazyExec).
	lazyMu sync.Mutex
	lazy   *sql.Conn
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
	s.writer.close()
	s.lazyMu.Lock()
	if s.lazy != nil {
		s.lazy.Close()
		s.lazy = nil
	}
	s.lazyMu.Unlock()
	return s.db.Close()
}

// lazyExec runs a write whose commit does not wait for the disk: on SQLite a
// connection of its own with synchronous=NORMAL, so the commit is written to
// the log but not flushed; the next commit that waits (any answer), or the
// next checkpoint, makes it durable with everything before it. It is for
// state that is only a convenience, such as where a learner was: a power cut
// can lose the last of it, never damage the file, and navigation does not
// wait for a flush that an old office disk takes 10–20 ms to make.
func (s *Store) lazyExec(ctx context.Context, query string, args ...any) error {
	if s.dialect == dialectPostgres {
		_, err := s.db.ExecContext(ctx, query, args...)
		return err
	}
	s.lazyMu.Lock()
	defer s.lazyMu.Unlock()
	if s.lazy == nil {
		conn, err := s.ownConn(ctx, `PRAGMA synchronous = NORMAL`)
		if err != nil {
			return err
		}
		s.lazy = conn
	}
	_, err := s.lazy.ExecContext(ctx, query, args...)
	return err
}

// ownConn takes a connection out of the pool for one kind of write, set up
// by pragma, until Close.
func (s *Store) ownConn(ctx context.Context, pragma string) (*sql.Conn, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, pragma); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
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
