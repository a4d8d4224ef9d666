package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bigDatabase is a closed hocso database with n profile events of one
// learner, each long enough that the log spans many pages.
func bigDatabase(t testing.TB, n int) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hocso.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	l, err := s.CreateLearner(ctx, ProfilePayload{FullName: "Ngô Thị Hạnh"})
	if err != nil {
		t.Fatal(err)
	}
	tx, _ := s.db.Begin()
	for i := 0; i < n; i++ {
		ev, _ := s.NewEvent(KindProfile, l.ID, ProfilePayload{FullName: fmt.Sprintf("Ngô Thị Hạnh %d", i),
			UnitPath: strings.Repeat("Phường Ba Đình / ", 10)})
		if _, err := recordTx(ctx, tx, ev, true); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	s.SetMeta(ctx, metaAckedSeq, "10")
	s.Close()
	return path
}

// corruptPages overwrites whole pages in the middle of the file.
func corruptPages(t *testing.T, path string, pages ...int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	junk := []byte(strings.Repeat("\xde\xad\xbe\xef", 1024))
	for _, p := range pages {
		if _, err := f.WriteAt(junk, p*4096); err != nil {
			t.Fatal(err)
		}
	}
}

func TestExamineSoundDatabase(t *testing.T) {
	path := bigDatabase(t, 100)
	before, _ := os.ReadFile(path)
	h := Examine(context.Background(), path)
	if h.Verdict != VerdictOK || h.Integrity[0] != "ok" || h.ApplicationID != ApplicationID ||
		h.Schema != SchemaVersion() || h.Events != 101 || h.Pending != 91 || h.Learners != 1 || h.FreeBytes == 0 {
		t.Fatalf("Examine = %+v", h)
	}
	assertUntouched(t, path, before)
}

func TestDoctorFindsDamageAndCopiesOut(t *testing.T) {
	ctx := context.Background()
	path := bigDatabase(t, 2000)
	fi, _ := os.Stat(path)
	pages := fi.Size() / 4096
	corruptPages(t, path, pages/3, pages/2, pages/2+1)
	before, _ := os.ReadFile(path)

	if s, err := Open(ctx, path); !errors.Is(err, ErrDamaged) {
		if s != nil {
			s.Close()
		}
		t.Fatalf("Open(corrupt pages) = %v; want ErrDamaged", err)
	}
	h := Examine(ctx, path)
	if h.Verdict != VerdictDamaged || h.Integrity[0] == "ok" {
		t.Fatalf("Examine(corrupt) = %+v", h)
	}
	dst := filepath.Join(t.TempDir(), "saved.db")
	got, err := CopyOut(ctx, path, dst)
	if err != nil {
		t.Fatal(err)
	}
	assertUntouched(t, path, before)
	if got.Events < 1500 || got.Events+got.Lost < 1900 || got.Learners != 1 {
		t.Fatalf("CopyOut = %+v; want most of 2001 events and the learner", got)
	}
	s, err := Open(ctx, dst)
	if err != nil {
		t.Fatalf("the copy does not open: %v", err)
	}
	defer s.Close()
	if h := Examine(ctx, dst); h.Verdict != VerdictOK || h.Events != got.Events {
		t.Fatalf("Examine(copy) = %+v", h)
	}
	if v, _ := s.Meta(ctx, metaAckedSeq); v != "10" {
		t.Fatalf("sync cursor not kept: %q", v)
	}
	t.Logf("corrupt 3 of %d pages: copied %d events, %d unreadable", pages, got.Events, got.Lost)

	if _, err := CopyOut(ctx, path, dst); !errors.Is(err, os.ErrExist) {
		t.Fatalf("CopyOut over an existing file = %v", err)
	}
}

func TestDoctorCopiesOutTruncatedFile(t *testing.T) {
	ctx := context.Background()
	path := bigDatabase(t, 2000)
	whole, _ := os.ReadFile(path)
	os.WriteFile(path, whole[:len(whole)*2/3], 0o644)
	before, _ := os.ReadFile(path)
	if h := Examine(ctx, path); h.Verdict != VerdictDamaged {
		t.Fatalf("Examine(truncated) = %+v", h)
	}
	got, err := CopyOut(ctx, path, filepath.Join(t.TempDir(), "saved.db"))
	if err != nil {
		t.Fatal(err)
	}
	assertUntouched(t, path, before)
	if got.Events < 500 {
		t.Fatalf("CopyOut(truncated) = %+v", got)
	}
	t.Logf("cut to 2/3: copied %d events, %d unreadable", got.Events, got.Lost)
}

// BenchmarkIntegrityAtOpen compares what checking a file at open would cost:
// Open alone, PRAGMA quick_check and integrity_check, on a database of
// 20,000 events (a busy office PC's year, several MB).
func BenchmarkIntegrityAtOpen(b *testing.B) {
	path := bigDatabase(b, 20000)
	fi, _ := os.Stat(path)
	b.Logf("database: %d bytes", fi.Size())
	ctx := context.Background()
	b.Run("open", func(b *testing.B) {
		for b.Loop() {
			s, err := Open(ctx, path)
			if err != nil {
				b.Fatal(err)
			}
			s.Close()
		}
	})
	for _, pragma := range []string{"quick_check", "integrity_check"} {
		b.Run(pragma, func(b *testing.B) {
			s, _ := Open(ctx, path)
			defer s.Close()
			for b.Loop() {
				if got, err := integrity(ctx, s.db, pragma); err != nil || got[0] != "ok" {
					b.Fatal(got, err)
				}
			}
		})
	}
}
