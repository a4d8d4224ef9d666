// Package pgtest gives tests a fresh PostgreSQL database of their own on the
// server named by HOCSO_TEST_POSTGRES (a postgres:// URL; .ci/postgres starts
// one). Tests that call it skip with a message when the variable is unset or
// the server cannot be reached, so `go test ./...` passes on a machine with
// only Go.
package pgtest

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// EnvVar names the server the PostgreSQL tests run against.
const EnvVar = "HOCSO_TEST_POSTGRES"

// DSN creates an empty database for this test, dropped when it ends, and
// returns its connection string.
func DSN(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(EnvVar)
	if base == "" {
		tb.Skipf("PostgreSQL tests skipped: set %s to a postgres:// URL (bash .ci/postgres starts a server and prints one)", EnvVar)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Skipf("PostgreSQL tests skipped: %s: %v", EnvVar, err)
	}
	defer admin.Close()
	if err := admin.PingContext(ctx); err != nil {
		tb.Skipf("PostgreSQL tests skipped: cannot reach %s: %v", EnvVar, err)
	}
	name := "hocso_test_" + strings.ReplaceAll(uuid.NewString(), "-", "")[:16]
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("%s: %v", EnvVar, err)
	}
	u.Path = "/" + name
	return u.String()
}

// Configured reports whether HOCSO_TEST_POSTGRES is set.
func Configured() bool { return os.Getenv(EnvVar) != "" }
