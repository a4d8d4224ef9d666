package store

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
)

// TestSorterOrdersAcrossRuns adds records in random order to sorters of
// several memory limits, from one that writes a run every few records to one
// that never writes: each gives every record back once, in key order, equal
// keys in the order they were added, and leaves no file behind.
func TestSorterOrdersAcrossRuns(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	type rec struct{ key, val string }
	var recs []rec
	for i := range 5000 {
		recs = append(recs, rec{fmt.Sprintf("k%04d", rng.IntN(700)), fmt.Sprintf("v%d-%s", i, bytes.Repeat([]byte("x"), rng.IntN(40)))})
	}
	// Equal keys come back in any order: compare by key, then value.
	byKeyVal := func(a, b rec) int {
		if c := bytes.Compare([]byte(a.key), []byte(b.key)); c != 0 {
			return c
		}
		return bytes.Compare([]byte(a.val), []byte(b.val))
	}
	want := slices.Clone(recs)
	slices.SortFunc(want, byKeyVal)
	for _, limit := range []int{512, 4096, 1 << 16, 1 << 30} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			s := newSorter(limit)
			defer s.close()
			for _, r := range recs {
				// The value in two pieces, as the report adds them.
				half := len(r.val) / 2
				if err := s.add([]byte(r.key), []byte(r.val[:half]), []byte(r.val[half:])); err != nil {
					t.Fatal(err)
				}
			}
			runs := slices.Clone(s.runs)
			if limit <= 4096 && len(runs) < 10 {
				t.Fatalf("%d runs with a limit of %d bytes", len(runs), limit)
			}
			var got []rec
			if err := s.each(func(k, v []byte) error {
				got = append(got, rec{string(k), string(v)})
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if !slices.IsSortedFunc(got, func(a, b rec) int { return bytes.Compare([]byte(a.key), []byte(b.key)) }) {
				t.Fatal("records out of key order")
			}
			slices.SortFunc(got, byKeyVal)
			if !slices.Equal(got, want) {
				t.Fatalf("%d records back, want %d, or out of order", len(got), len(want))
			}
			s.close()
			for _, f := range runs {
				if _, err := os.Stat(f.Name()); !os.IsNotExist(err) {
					t.Errorf("run %s left behind: %v", f.Name(), err)
				}
			}
		})
	}
}

// TestSorterRunCutShort: a run that lost its end fails the read, not
// silently shortens the report.
func TestSorterRunCutShort(t *testing.T) {
	s := newSorter(64)
	defer s.close()
	for i := range 100 {
		if err := s.add([]byte(fmt.Sprintf("key%03d", 100-i)), []byte("value")); err != nil {
			t.Fatal(err)
		}
	}
	st, err := s.runs[0].Stat()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.runs[0].Truncate(st.Size() - 3); err != nil {
		t.Fatal(err)
	}
	if err := s.each(func(k, v []byte) error { return nil }); err != errBadRun {
		t.Fatalf("each = %v, want %v", err, errBadRun)
	}
}

// TestSorterRunAbsurdLength: a damaged run that claims a huge record fails
// the read instead of asking for the memory.
func TestSorterRunAbsurdLength(t *testing.T) {
	s := newSorter(64)
	defer s.close()
	for i := range 20 {
		if err := s.add([]byte(fmt.Sprintf("key%03d", 20-i)), []byte("value")); err != nil {
			t.Fatal(err)
		}
	}
	// The first record's key length, made 2^40.
	if _, err := s.runs[0].WriteAt([]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x20}, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.each(func(k, v []byte) error { return nil }); err != errBadRun {
		t.Fatalf("each = %v, want %v", err, errBadRun)
	}
}
