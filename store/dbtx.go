package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sync"
)

// dbtx is what recording and applying an event need from a transaction: a
// plain *sql.Tx for one event, a stmtCache for a stream of them.
type dbtx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// preparer is what a stmtCache prepares its statements on: a transaction,
// a connection, or the database itself for the life of a Store. A query it
// has no room to prepare runs on it as it is.
type preparer interface {
	dbtx
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// stmtCache runs each distinct query as a statement prepared once: applying
// a million events in one transaction parses each SQL text once instead of a
// million times, and a screen drawn again and again does not parse its
// queries on every draw. It is safe for concurrent use.
type stmtCache struct {
	on    preparer
	max   int // statements kept at most; 0: no bound
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// errCacheFull is a query a bounded stmtCache has no room to prepare.
var errCacheFull = errors.New("statement cache full")

func newStmtCache(on preparer) *stmtCache {
	return &stmtCache{on: on, stmts: map[string]*sql.Stmt{}}
}

func (c *stmtCache) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.stmts[query]; ok {
		return st, nil
	}
	if c.max > 0 && len(c.stmts) >= c.max {
		return nil, errCacheFull
	}
	st, err := c.on.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = st
	return st, nil
}

func (c *stmtCache) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := c.stmt(ctx, query)
	if errors.Is(err, errCacheFull) {
		return c.on.ExecContext(ctx, query, args...)
	}
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (c *stmtCache) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := c.stmt(ctx, query)
	if errors.Is(err, errCacheFull) {
		return c.on.QueryContext(ctx, query, args...)
	}
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (c *stmtCache) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := c.stmt(ctx, query)
	if err != nil {
		// The plain query reports the same error through Row.Scan.
		return c.on.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (c *stmtCache) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.stmts {
		st.Close()
		delete(c.stmts, q)
	}
}

// maxWriteStmts bounds the statements writes keep prepared: the SQL of
// recording an event is a few dozen fixed texts; anything beyond (a text
// built for one call) runs unprepared.
const maxWriteStmts = 128

// writer is the connection recording commits on, on SQLite (see inWrite),
// with the statements prepared on it.
type writer struct {
	mu    sync.Mutex
	conn  *sql.Conn
	stmts *stmtCache
}

func (w *writer) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn != nil {
		w.stmts.Close()
		w.conn.Close()
		w.conn, w.stmts = nil, nil
	}
}

// inWrite runs fn in one write transaction and commits it. On SQLite it runs
// on a connection kept for recording, BEGIN IMMEDIATE and COMMIT as
// statements prepared on it once like fn's own: a sql.Tx starts a goroutine
// for every transaction (to roll it back when its context ends) and makes a
// statement of its own for every prepared one it runs, which together cost
// a tenth of an answer's CPU. Recordings of one Store take turns on the
// connection; other processes and connections wait for SQLite's write lock
// as before (busy_timeout). On PostgreSQL fn runs in a sql.Tx.
func (s *Store) inWrite(ctx context.Context, fn func(tx dbtx) error) error {
	if s.dialect == dialectPostgres {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if err := fn(tx); err != nil {
			return err
		}
		return tx.Commit()
	}
	w := &s.writer
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn == nil {
		// FULL as Open sets it on every connection; said again, since this
		// one makes every answer durable.
		conn, err := s.ownConn(ctx, `PRAGMA synchronous = FULL`)
		if err != nil {
			return err
		}
		w.conn, w.stmts = conn, newStmtCache(conn)
		w.stmts.max = maxWriteStmts
	}
	if _, err := w.stmts.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		w.dropIfBroken(err)
		return err
	}
	conn, committed := w.conn, false
	defer func() {
		if !committed {
			// Fails harmlessly when SQLite already rolled back (an interrupt, a full disk).
			conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
		}
	}()
	if err := fn(w.stmts); err != nil {
		w.dropIfBroken(err)
		return err
	}
	if _, err := w.stmts.ExecContext(ctx, `COMMIT`); err != nil {
		w.dropIfBroken(err)
		return err
	}
	committed = true
	return nil
}

// dropIfBroken lets a connection that database/sql says is gone go, so
// that the next write opens another.
func (w *writer) dropIfBroken(err error) {
	if errors.Is(err, sql.ErrConnDone) || errors.Is(err, driver.ErrBadConn) {
		w.stmts.Close()
		w.conn.Close()
		w.conn, w.stmts = nil, nil
	}
}
