package bundle

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"hocso/exchange/synth"
	"hocso/lessons"
	"hocso/store"
)

// synthBundle writes a plain bundle of about n events of synthetic learners
// from one device and returns its path and exact event count.
func synthBundle(tb testing.TB, dir string, n int) (string, int) {
	tb.Helper()
	pack, err := lessons.Builtin()
	if err != nil {
		tb.Fatal(err)
	}
	// About 70 events per learner with the built-in course.
	plan, err := synth.NewPlan(synth.Options{Learners: max(1, n/70), Devices: 1, Seed: 1, Pack: pack})
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	c, err := plan.Count(ctx, 0)
	if err != nil {
		tb.Fatal(err)
	}
	dev := plan.Devices[0]
	src := Source{
		Header: Header{Format: formatName, Version: Version, BundleID: dev.ID, DeviceID: dev.ID, ToSeq: int64(c.Events),
			Events: c.Events, Learners: len(dev.Learners), First: c.First, Last: c.Last},
		Each: func(ctx context.Context, fn func(store.Event) error) error { return plan.Events(ctx, 0, fn) },
	}
	path := filepath.Join(dir, fmt.Sprintf("synth-%d%s", n, Ext))
	if _, err := os.Stat(path); err == nil {
		return path, c.Events
	}
	err = WriteFile(path, 0o600, func(w io.Writer) error { _, err := Write(ctx, w, nil, src); return err })
	if err != nil {
		tb.Fatal(err)
	}
	return path, c.Events
}

// BenchmarkImportBundle imports a plain bundle into a fresh database on disk:
// read, verify, insert and project in one durable transaction. The floor is
// cmd/hocso's sqlite3 comparison (see docs/sync.md) or BenchmarkImportFloor.
func BenchmarkImportBundle(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			path, count := synthBundle(b, b.TempDir(), n)
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				s, err := store.Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("office%d.db", i)))
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				res, err := ImportFile(ctx, s, path, ReadOptions{})
				if err != nil || res.Result.New != count {
					b.Fatalf("import: %+v, %v", res.Result, err)
				}
				b.StopTimer()
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(count*b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
