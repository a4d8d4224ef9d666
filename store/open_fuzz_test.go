package store

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
)

// FuzzOpen feeds arbitrary bytes to Open and Examine as a database file:
// neither may panic, and a file Open refuses is left exactly as it was, with
// no WAL or journal beside it. Seeds: an empty file, text, hocso databases
// (whole, cut, with a bad user_version), another program's database.
func FuzzOpen(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "fuzz.db")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		Examine(ctx, path)
		if after, _ := os.ReadFile(path); !bytes.Equal(after, data) {
			t.Fatal("Examine changed the file")
		}
		s, err := Open(ctx, path)
		if err == nil {
			s.Close()
			return
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(after, data) {
			t.Fatalf("Open refused the file (%v) but changed it", err)
		}
		for _, suffix := range []string{"-wal", "-journal"} {
			if fi, err := os.Stat(path + suffix); err == nil && fi.Size() > 0 {
				t.Fatalf("Open refused the file but left %s", suffix)
			}
		}
	})
}

func fuzzSeeds(f *testing.F) [][]byte {
	f.Helper()
	read := func(path string) []byte {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	dir := f.TempDir()
	hocso := filepath.Join(dir, "hocso.db")
	s, err := Open(context.Background(), hocso)
	if err != nil {
		f.Fatal(err)
	}
	s.CreateLearner(context.Background(), ProfilePayload{FullName: "Nguyễn Thị Lan"})
	s.Close()
	whole := read(hocso)
	minus := bytes.Clone(whole)
	copy(minus[60:64], []byte{0xff, 0xff, 0xff, 0xff})
	foreign := func(stmts ...string) []byte {
		path := filepath.Join(f.TempDir(), "other.db")
		db, err := sql.Open("sqlite", path)
		if err != nil {
			f.Fatal(err)
		}
		for _, q := range stmts {
			db.Exec(q)
		}
		db.Close()
		return read(path)
	}
	return [][]byte{
		nil,
		[]byte("Biên bản họp giao ban tuần.\n"),
		[]byte(sqliteMagic),
		whole,
		whole[:len(whole)/2],
		whole[:100],
		minus,
		foreign(`CREATE TABLE users(id INT)`),
		foreign(`CREATE TABLE meta(key, value)`, `CREATE TABLE events(id)`, `PRAGMA user_version = 1`),
		foreign(migrations[0], `PRAGMA user_version = 1`),
	}
}
