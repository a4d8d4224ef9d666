package store

import (
	"context"
	"database/sql"
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
// or the database itself for the life of a Store.
type preparer interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
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
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (c *stmtCache) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := c.stmt(ctx, query)
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

// txStmts runs a transaction's statements as statements prepared once for
// the Store's life: recording an answer parsed its SQL again on every
// answer, a quarter of its CPU. database/sql keeps each statement prepared
// on each connection it has run on, so the transaction's connection parses a
// text once.
type txStmts struct {
	tx    *sql.Tx
	cache *stmtCache
}

// inTx gives recording on SQLite the Store's prepared statements; on
// PostgreSQL the transaction as it is.
func (s *Store) inTx(tx *sql.Tx) dbtx {
	if s.dialect == dialectPostgres {
		return tx
	}
	s.writesOnce.Do(func() {
		s.writes = newStmtCache(s.db)
		s.writes.max = maxWriteStmts
	})
	return txStmts{tx: tx, cache: s.writes}
}

// stmt is the transaction's form of the prepared query, or nil to run the
// text as it is.
func (t txStmts) stmt(ctx context.Context, query string) *sql.Stmt {
	st, err := t.cache.stmt(ctx, query)
	if err != nil {
		return nil // full, or the text as it is reports the same error
	}
	return t.tx.StmtContext(ctx, st)
}

func (t txStmts) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

func (t txStmts) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

func (t txStmts) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}
