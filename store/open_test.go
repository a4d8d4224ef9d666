package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// sqliteFile makes a database the way another program would, with plain
// SQLite and no hocso code.
func sqliteFile(t *testing.T, stmts ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "other.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return path
}

// assertUntouched fails unless the file holds exactly before and no journal
// or WAL file was left beside it.
func assertUntouched(t *testing.T, path string, before []byte) {
	t.Helper()
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatalf("%s was changed", path)
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if _, err := os.Stat(path + suffix); err == nil {
			t.Fatalf("%s%s was left beside the refused file", path, suffix)
		}
	}
}

func TestOpenRefusesOtherProgramsDatabases(t *testing.T) {
	legacyMeta := `CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)`
	cases := []struct {
		name  string
		stmts []string
		want  error
	}{
		{"a table of its own", []string{`CREATE TABLE users(id INT)`}, ErrForeign},
		{"its own meta table", []string{`CREATE TABLE meta(k, v)`}, ErrForeign},
		{"its own events table", []string{`CREATE TABLE events(id, what)`}, ErrForeign},
		{"meta and events at user_version 1", []string{legacyMeta, `CREATE TABLE events(seq, id, kind)`, `PRAGMA user_version = 1`}, ErrForeign},
		{"another application id", []string{`CREATE TABLE meta(key, value)`, `PRAGMA application_id = 1179865428`}, ErrForeign},
		{"another application id, no tables", []string{`PRAGMA application_id = 42`, `VACUUM`}, ErrForeign},
		{"user_version -1", []string{`CREATE TABLE t(x)`, `PRAGMA user_version = -1`}, ErrDamaged},
		{"a newer hocso", []string{`CREATE TABLE t(x)`, `PRAGMA user_version = 9999`}, ErrNewerSchema},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := sqliteFile(t, c.stmts...)
			before, _ := os.ReadFile(path)
			s, err := Open(context.Background(), path)
			if err == nil {
				s.Close()
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("Open = %v; want %v", err, c.want)
			}
			assertUntouched(t, path, before)
		})
	}
}

func TestSchemaErrorPrintsNegativeVersion(t *testing.T) {
	path := sqliteFile(t, `CREATE TABLE t(x)`, `PRAGMA user_version = -1`)
	_, err := Open(context.Background(), path)
	var se *SchemaError
	if !errors.As(err, &se) || se.Found != -1 {
		t.Fatalf("Open = %v; want SchemaError with Found -1", err)
	}
}

func TestOpenRefusesTruncatedFile(t *testing.T) {
	s, path := openTemp(t)
	l, _ := s.CreateLearner(context.Background(), ProfilePayload{FullName: "Bùi Thị Thu"})
	_ = l
	for i := 0; i < 50; i++ { // enough pages that a cut loses some
		s.SaveProfile(context.Background(), l.ID, ProfilePayload{FullName: fmt.Sprintf("Bùi Thị Thu %d %0500d", i, i)})
	}
	s.Close()
	full, _ := os.ReadFile(path)
	for _, size := range []int{len(full) / 2, 4096 + 100, 99, 10} {
		os.WriteFile(path, full[:size], 0o644)
		before, _ := os.ReadFile(path)
		if _, err := Open(context.Background(), path); !errors.Is(err, ErrDamaged) {
			t.Fatalf("Open(cut to %d bytes) = %v; want ErrDamaged", size, err)
		}
		assertUntouched(t, path, before)
	}
}

func TestNewDatabaseIsMarkedHocso(t *testing.T) {
	s, path := openTemp(t)
	if v, _ := s.Meta(context.Background(), "format"); v != formatMarker {
		t.Fatalf("format marker = %q", v)
	}
	s.Close()
	b, _ := os.ReadFile(path)
	if id := binary.BigEndian.Uint32(b[68:72]); id != ApplicationID {
		t.Fatalf("header application id = %#x; want %#x", id, ApplicationID)
	}
}

// TestLegacyDatabaseIsUpgraded: a file of hocso before application ids, at
// each old schema version, opens and gets the id and the marker.
func TestLegacyDatabaseIsUpgraded(t *testing.T) {
	for v := 1; v <= 2 && v <= SchemaVersion(); v++ {
		t.Run(fmt.Sprint("schema ", v), func(t *testing.T) {
			stmts := append([]string{}, migrations[:v]...)
			stmts = append(stmts, fmt.Sprintf(`PRAGMA user_version = %d`, v),
				`INSERT INTO meta VALUES ('device_id', 'old-device')`)
			path := sqliteFile(t, stmts...)
			s, err := Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			if s.DeviceID() != "old-device" {
				t.Errorf("device id = %q; want the file's own", s.DeviceID())
			}
			s.Close()
			b, _ := os.ReadFile(path)
			if binary.BigEndian.Uint32(b[68:72]) != ApplicationID || int(binary.BigEndian.Uint32(b[60:64])) != SchemaVersion() {
				t.Fatalf("header after upgrade: application id %#x, user_version %d", b[68:72], b[60:64])
			}
		})
	}
}

// TestFirstStartsAtOnce opens one new file from several stores at once, as
// several hocso processes started together would ("table meta already
// exists" before). HOCSO_LONG=1 runs 200 rounds.
func TestFirstStartsAtOnce(t *testing.T) {
	n := rounds(10, 200)
	ctx := context.Background()
	for round := 0; round < n; round++ {
		path := filepath.Join(t.TempDir(), "new", "hocso.db")
		var wg sync.WaitGroup
		stores := make([]*Store, 4)
		errs := make([]error, len(stores))
		for i := range stores {
			wg.Add(1)
			go func() {
				defer wg.Done()
				stores[i], errs[i] = Open(ctx, path)
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		for _, s := range stores[1:] {
			if s.DeviceID() != stores[0].DeviceID() || s.DeviceID() == "" {
				t.Fatalf("round %d: device ids differ: %q %q", round, s.DeviceID(), stores[0].DeviceID())
			}
		}
		for _, s := range stores {
			s.Close()
		}
	}
	t.Logf("%d rounds of 4 first starts at once: 0 errors", n)
}

// TestSlowUpgrade: only a large file at an older schema is announced.
func TestSlowUpgrade(t *testing.T) {
	s, path := openTemp(t)
	s.Close()
	defer func(n int64) { slowUpgradeBytes = n }(slowUpgradeBytes)
	slowUpgradeBytes = 1
	if SlowUpgrade(path) {
		t.Error("a file at this schema announced")
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion()-1)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if !SlowUpgrade(path) {
		t.Error("a large file at an older schema not announced")
	}
	slowUpgradeBytes = 1 << 40
	if SlowUpgrade(path) || SlowUpgrade(filepath.Join(t.TempDir(), "new.db")) || SlowUpgrade("postgres://h/db") {
		t.Error("a small, a new or a PostgreSQL database announced")
	}
}
