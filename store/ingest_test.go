package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"hocso/store/pgtest"
)

// targets opens an empty store on each database this machine can run: SQLite
// always, PostgreSQL when HOCSO_TEST_POSTGRES names a server.
func targets(t *testing.T) map[string]func(t *testing.T) *Store {
	out := map[string]func(t *testing.T) *Store{
		"sqlite": func(t *testing.T) *Store { s, _ := openTemp(t); return s },
	}
	if pgtest.Configured() {
		out["postgres"] = openPostgresTemp
	} else {
		t.Logf("PostgreSQL part skipped: %s is not set", pgtest.EnvVar)
	}
	return out
}

// Any set of devices, any split of their events into batches, applied in any
// order and any number of times, through the hub's Ingest or the bundle
// import, on SQLite or PostgreSQL, gives the read model of one SQLite import
// of everything.
func TestIngestIsSetUnionOnBothDatabases(t *testing.T) {
	ctx := context.Background()
	for name, open := range targets(t) {
		for seed := range uint64(8) {
			t.Run(fmt.Sprintf("%s/%d", name, seed), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(seed, 10))
				all := simulateDevices(t, rng)
				want, _ := openTemp(t)
				if _, err := want.ImportEvents(ctx, eventsOf(all)); err != nil {
					t.Fatal(err)
				}
				got := open(t)
				batches := randomBatches(rng, all)
				stored := 0
				for _, b := range batches {
					if rng.IntN(2) == 0 {
						res, err := got.Ingest(ctx, b, nil)
						must(t, err)
						stored += len(res.New)
					} else {
						res, err := got.ImportEvents(ctx, eventsOf(b))
						must(t, err)
						stored += res.New
					}
				}
				if stored != len(all) {
					t.Errorf("stored %d new events over all batches, want %d", stored, len(all))
				}
				sameReadModel(t, want, got, fmt.Sprintf("read model after %d batches differs from one import", len(batches)))
			})
		}
	}
}

// An import applies its events to the read model as it goes, every
// projectEvery new events: one import of events in any order, duplicates
// among them, projected after every few, gives the read model of one import
// projected at the end, on both databases.
func TestImportProjectsAsItGoes(t *testing.T) {
	ctx := context.Background()
	defer func(b, p int) { importBatch, projectEvery = b, p }(importBatch, projectEvery)
	for name, open := range targets(t) {
		for seed := range uint64(6) {
			t.Run(fmt.Sprintf("%s/%d", name, seed), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(seed, 11))
				all := simulateDevices(t, rng)
				importBatch, projectEvery = 10000, 10000
				want, _ := openTemp(t)
				if _, err := want.ImportEvents(ctx, eventsOf(all)); err != nil {
					t.Fatal(err)
				}
				mixed := slices.Clone(all)
				rng.Shuffle(len(mixed), func(i, j int) { mixed[i], mixed[j] = mixed[j], mixed[i] })
				mixed = append(mixed, mixed[:len(mixed)/3]...)
				importBatch, projectEvery = 1+rng.IntN(8), 1
				got := open(t)
				res, err := got.ImportEvents(ctx, eventsOf(mixed))
				must(t, err)
				if res.New != len(all) || res.Duplicate != len(mixed)-len(all) {
					t.Errorf("import = %d new, %d duplicate; want %d, %d", res.New, res.Duplicate, len(all), len(mixed)-len(all))
				}
				sameReadModel(t, want, got, "read model projected as the import went differs from one projection")
			})
		}
	}
}

// Batches sent at once by many clients, overlapping, store every event once.
func TestIngestConcurrentOverlapping(t *testing.T) {
	ctx := context.Background()
	dev, _ := openTemp(t)
	simulateLearning(t, dev, rand.New(rand.NewPCG(3, 4)), 6)
	all, _ := exported(t, dev, true)
	want, _ := openTemp(t)
	_, err := want.ImportEvents(ctx, eventsOf(all))
	must(t, err)
	for name, open := range targets(t) {
		t.Run(name, func(t *testing.T) {
			got := open(t)
			var wg sync.WaitGroup
			var mu sync.Mutex
			stored := 0
			for w := range 12 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					rng := rand.New(rand.NewPCG(uint64(w), 9))
					evs := slices.Clone(all)
					rng.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
					for len(evs) > 0 {
						n := min(len(evs), 1+rng.IntN(40))
						res, err := got.Ingest(ctx, evs[:n], nil)
						if err != nil {
							t.Error(err)
							return
						}
						mu.Lock()
						stored += len(res.New)
						mu.Unlock()
						evs = evs[n:]
					}
				}()
			}
			wg.Wait()
			if stored != len(all) {
				t.Errorf("stored %d new events, want %d", stored, len(all))
			}
			sameReadModel(t, want, got, "read model differs")
		})
	}
}

// A batch that allow refuses stores nothing.
func TestIngestRefusedStoresNothing(t *testing.T) {
	ctx := context.Background()
	dev, _ := openTemp(t)
	simulateLearning(t, dev, rand.New(rand.NewPCG(5, 6)), 2)
	all, _ := exported(t, dev, true)
	for name, open := range targets(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			refuse := errors.New("refused")
			var seen LearnerUnits
			_, err := s.Ingest(ctx, all, func(u LearnerUnits) error { seen = u; return refuse })
			if !errors.Is(err, refuse) {
				t.Fatalf("Ingest = %v; want the refusal", err)
			}
			if len(seen) != 2 {
				t.Fatalf("allow saw units of %d learners; want 2: %v", len(seen), seen)
			}
			if n := count(t, s, "events"); n != 0 {
				t.Fatalf("%d events stored by a refused batch", n)
			}
		})
	}
}

// Batches written together (SQLite's group commit) stand alone: a refused
// one takes nothing of the others with it, and stores nothing itself.
func TestIngestRefusalInAGroup(t *testing.T) {
	ctx := context.Background()
	batches := deviceBatches(t, 12, 77)
	for name, open := range targets(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			refuse := errors.New("refused")
			var wg sync.WaitGroup
			errs := make([]error, len(batches))
			for i, b := range batches {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = s.Ingest(ctx, b, func(LearnerUnits) error {
						if i%3 == 0 {
							return refuse
						}
						return nil
					})
				}()
			}
			wg.Wait()
			want := 0
			for i, b := range batches {
				if i%3 == 0 {
					if !errors.Is(errs[i], refuse) {
						t.Fatalf("batch %d: %v; want refused", i, errs[i])
					}
					continue
				}
				if errs[i] != nil {
					t.Fatalf("batch %d: %v", i, errs[i])
				}
				want += len(b)
			}
			if got := count(t, s, "events"); got != want {
				t.Fatalf("%d events stored; want %d (the accepted batches only)", got, want)
			}
		})
	}
}

// The request that writes a group is answered once that group commits, not
// after the groups queued behind it: under steady load it would otherwise
// wait for as long as the load lasts.
func TestIngestWriterIsAnsweredWithItsGroup(t *testing.T) {
	ctx := context.Background()
	batches := deviceBatches(t, 2, 78)
	s, _ := openTemp(t)
	inFirst, releaseFirst, firstAnswered := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		_, err := s.Ingest(ctx, batches[0], func(LearnerUnits) error {
			close(inFirst)
			<-releaseFirst
			return nil
		})
		if err != nil {
			t.Error(err)
		}
		close(firstAnswered)
	}()
	<-inFirst // the first batch's group is being written
	second := make(chan error, 1)
	go func() {
		_, err := s.Ingest(ctx, batches[1], func(LearnerUnits) error {
			select {
			case <-firstAnswered:
				return nil
			case <-time.After(time.Minute):
				return errors.New("the first batch's answer waited for the second batch's group")
			}
		})
		second <- err
	}()
	for queued := false; !queued; time.Sleep(time.Millisecond) {
		s.ingestMu.Lock()
		queued = len(s.ingest.pending) == 1
		s.ingestMu.Unlock()
	}
	close(releaseFirst)
	must(t, <-second)
}

// deviceBatches makes n devices where one learner has learned, and returns
// each device's events as one batch.
func deviceBatches(t *testing.T, n int, stream uint64) [][]Event {
	var batches [][]Event
	for i := range n {
		dev, _ := openTemp(t)
		simulateLearning(t, dev, rand.New(rand.NewPCG(uint64(i), stream)), 1)
		evs, _ := exported(t, dev, true)
		batches = append(batches, evs)
	}
	return batches
}
