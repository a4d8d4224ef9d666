package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// PostgreSQL is reached through pgx's database/sql driver rather than pgx's
// native interface: the store's queries, transactions and projection are
// written once against database/sql, and this wrapper is the only place that
// knows the difference (placeholders, booleans), so both databases run the
// very same code.

func openPostgres(ctx context.Context, dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL address %s: %w", redactDSN(dsn), err)
	}
	db := sql.OpenDB(pgConnector{stdlib.GetConnector(*cfg)})
	db.SetMaxIdleConns(32)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to PostgreSQL %s: %w", redactDSN(dsn), err)
	}
	return db, nil
}

// redactDSN hides a password in a connection string shown to a person or a log.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

type pgConnector struct{ driver.Connector }

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return pgConn{conn.(*stdlib.Conn)}, nil
}

// pgConn rebinds placeholders of every statement and stores Go booleans as
// 0/1, which is what SQLite does and what the INTEGER columns expect.
type pgConn struct{ *stdlib.Conn }

func (c pgConn) Prepare(q string) (driver.Stmt, error) { return c.Conn.Prepare(rebind(q)) }

func (c pgConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, rebind(q))
}

func (c pgConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, rebind(q), args)
}

func (c pgConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, rebind(q), args)
}

func (c pgConn) CheckNamedValue(nv *driver.NamedValue) error {
	if b, ok := nv.Value.(bool); ok {
		nv.Value = int64(0)
		if b {
			nv.Value = int64(1)
		}
		return nil
	}
	return c.Conn.CheckNamedValue(nv)
}

// migratePostgres brings a PostgreSQL database to the current schema in one
// transaction holding an advisory lock, so that several hub processes
// starting together migrate it once and the others wait and find it done.
func (s *Store) migratePostgres(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", s.path, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(pgMigrateLock)); err != nil {
		return fmt.Errorf("migrate %s: %w", s.path, err)
	}
	current, err := pgSchemaVersion(ctx, tx, s.path)
	if err != nil {
		return err
	}
	if current > len(migrations) {
		return &SchemaError{Path: s.path, Found: current, Supported: len(migrations)}
	}
	if current == len(migrations) {
		return nil
	}
	if _, err := tx.ExecContext(ctx, pgPrelude); err != nil {
		return fmt.Errorf("migrate %s: %w", s.path, err)
	}
	for v := current; v < len(migrations); v++ {
		if _, err := tx.ExecContext(ctx, pgStep(migrations[v])); err != nil {
			return fmt.Errorf("migrate to schema %d: %w", v+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE hocso_schema SET version = ?`, len(migrations)); err != nil {
		return fmt.Errorf("migrate %s: %w", s.path, err)
	}
	return tx.Commit()
}

// pgSchemaVersion reads the schema marker, creating it in an empty database.
// A database with tables but no marker belongs to something else and is
// refused before anything is written to it.
func pgSchemaVersion(ctx context.Context, tx *sql.Tx, where string) (int, error) {
	var marker sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT to_regclass('hocso_schema')::text`).Scan(&marker); err != nil {
		return 0, fmt.Errorf("open database %s: %w", where, err)
	}
	if !marker.Valid {
		var tables int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables
			WHERE table_schema = current_schema()`).Scan(&tables); err != nil {
			return 0, fmt.Errorf("open database %s: %w", where, err)
		}
		if tables > 0 {
			return 0, fmt.Errorf("%s: %w", where, ErrNotDatabase)
		}
		if _, err := tx.ExecContext(ctx, `
			CREATE TABLE hocso_schema (version BIGINT NOT NULL);
			INSERT INTO hocso_schema VALUES (0);`); err != nil {
			return 0, fmt.Errorf("create schema in %s: %w", where, err)
		}
		return 0, nil
	}
	var v int
	if err := tx.QueryRowContext(ctx, `SELECT version FROM hocso_schema`).Scan(&v); err != nil {
		return 0, fmt.Errorf("open database %s: %w", where, err)
	}
	return v, nil
}
