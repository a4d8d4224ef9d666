package store

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// simulateLearning records what a few learners do on one device, through the
// same calls the TUI makes: profiles, lessons, attempts with answers, some
// submitted, a profile edit.
func simulateLearning(t testing.TB, s *Store, rng *rand.Rand, learners int) {
	t.Helper()
	ctx := context.Background()
	clock := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(1000)) * time.Minute)
	s.Now = func() time.Time { clock = clock.Add(time.Duration(1+rng.IntN(90)) * time.Second); return clock }
	pack := PackRef{ID: "nq52", Version: "1.0.0", Hash: "sha256:test"}
	for i := range learners {
		l, err := s.CreateLearner(ctx, ProfilePayload{FullName: fmt.Sprintf("Học viên %d", i),
			UnitPath: fmt.Sprintf("Tỉnh %d / Xã %d", rng.IntN(3), rng.IntN(5))})
		if err != nil {
			t.Fatal(err)
		}
		for m := range 1 + rng.IntN(3) {
			mod := fmt.Sprintf("m%d", m)
			for les := range 1 + rng.IntN(3) {
				lesson := fmt.Sprintf("%s-l%d", mod, les)
				must(t, s.OpenLesson(ctx, l.ID, pack, mod, lesson))
				if rng.IntN(3) > 0 {
					must(t, s.CompleteLesson(ctx, l.ID, pack, mod, lesson))
				}
			}
			for range rng.IntN(3) {
				qs := []string{"q1", "q2", "q3"}
				a, err := s.StartAttempt(ctx, l.ID, pack, mod, mod+"-quiz", rng.Int64(), qs, 0.7)
				must(t, err)
				for _, q := range qs[:rng.IntN(len(qs)+1)] {
					score := float64(rng.IntN(2))
					must(t, s.RecordAnswer(ctx, a, pack, q, AnsweredPayload{QuestionHash: "h" + q,
						Answer: []byte(`{"choices":["a"]}`), Score: score, MaxScore: 1}))
				}
				if rng.IntN(2) > 0 {
					break // left open: a learner has one open attempt at a quiz
				}
				_, err = s.SubmitAttempt(ctx, a, pack, 3)
				must(t, err)
			}
		}
		if rng.IntN(2) == 0 {
			must(t, s.SaveProfile(ctx, l.ID, ProfilePayload{FullName: fmt.Sprintf("Học viên %d (sửa)", i), StaffCode: "CB01"}))
		}
	}
}

// simulateDevices runs simulateLearning on one to three devices and returns
// all their events, as exports of everything.
func simulateDevices(t *testing.T, rng *rand.Rand) []Event {
	t.Helper()
	var all []Event
	for range 1 + rng.IntN(3) {
		dev, _ := openTemp(t)
		simulateLearning(t, dev, rng, 1+rng.IntN(3))
		evs, _ := exported(t, dev, true)
		all = append(all, evs...)
	}
	return all
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// readModel is every row of the read model, as text, in a fixed order.
// sameReadModel fails the test when got's read model is not want's; what
// says which read model, for the message.
func sameReadModel(t testing.TB, want, got *Store, what string) {
	t.Helper()
	if w, g := readModel(t, want), readModel(t, got); w != g {
		t.Fatalf("%s:\nwant\n%s\ngot\n%s", what, w, g)
	}
}

func readModel(t testing.TB, s *Store) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT id, full_name, staff_code, unit_path, created_at, updated_at, profile_event FROM learners ORDER BY id`,
		`SELECT learner_id, pack_id, module_id, lesson_id, opened_at, coalesce(completed_at, '') FROM lesson_progress ORDER BY 1, 2, 4`,
		`SELECT id, learner_id, quiz_id, seed, question_ids, started_at, coalesce(submitted_at, ''), coalesce(score, -1), coalesce(passed, -1) FROM attempts ORDER BY id`,
		`SELECT attempt_id, question_id, answer, score, answered_at, event_id FROM answers ORDER BY 1, 2`,
		`SELECT count(*) FROM events`,
	} {
		rows, err := s.db.Query(q)
		must(t, err)
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			must(t, rows.Scan(ptrs...))
			fmt.Fprintln(&b, vals...)
		}
		rows.Close()
		b.WriteString("--\n")
	}
	return b.String()
}

// exported is everything an export of r yields.
func exported(t testing.TB, s *Store, all bool) ([]Event, ExportRange) {
	t.Helper()
	r, err := s.PlanExport(context.Background(), all)
	must(t, err)
	var evs []Event
	must(t, s.ExportEvents(context.Background(), r, func(_ int64, ev Event) error { evs = append(evs, ev); return nil }))
	if len(evs) != r.Total() {
		t.Fatalf("export yielded %d events, plan says %d", len(evs), r.Total())
	}
	return evs, r
}

func eventsOf(evs []Event) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		for _, ev := range evs {
			if !yield(ev, nil) {
				return
			}
		}
	}
}

func TestImportIsSetUnionInAnyOrder(t *testing.T) {
	ctx := context.Background()
	for seed := range uint64(12) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 52))
			all := simulateDevices(t, rng)
			want, _ := openTemp(t)
			if _, err := want.ImportEvents(ctx, eventsOf(all)); err != nil {
				t.Fatal(err)
			}

			// Any split into bundles, each imported any number of times, in any order.
			got, _ := openTemp(t)
			bundles := randomBatches(rng, all)
			stored := 0
			for _, b := range bundles {
				res, err := got.ImportEvents(ctx, eventsOf(b))
				if err != nil {
					t.Fatal(err)
				}
				stored += res.New
			}
			if stored != len(all) {
				t.Errorf("stored %d new events over all imports, want %d", stored, len(all))
			}
			sameReadModel(t, want, got, fmt.Sprintf("read model after %d bundles differs from one import", len(bundles)))
			must(t, got.Rebuild(ctx))
			sameReadModel(t, want, got, "rebuilt read model differs")
		})
	}
}

func TestImportMatchesTheDevice(t *testing.T) {
	ctx := context.Background()
	dev, _ := openTemp(t)
	simulateLearning(t, dev, rand.New(rand.NewPCG(1, 2)), 3)
	evs, _ := exported(t, dev, false)
	office, _ := openTemp(t)
	res, err := office.ImportEvents(ctx, eventsOf(evs))
	must(t, err)
	if res.New != len(evs) || res.Duplicate != 0 || len(res.Learners) != 3 {
		t.Fatalf("first import = %+v, want %d new from 3 learners", res, len(evs))
	}
	for _, lc := range res.Learners {
		if !strings.HasPrefix(lc.FullName, "Học viên") || lc.New == 0 {
			t.Errorf("learner count %+v lacks a name or events", lc)
		}
	}
	sameReadModel(t, dev, office, "office read model differs from the device's")
	res, err = office.ImportEvents(ctx, eventsOf(evs))
	must(t, err)
	if res.New != 0 || res.Duplicate != len(evs) {
		t.Fatalf("second import = %d new, %d duplicate; want 0, %d", res.New, res.Duplicate, len(evs))
	}
	st, err := office.SyncStatus(ctx)
	must(t, err)
	if st.Pending != len(evs) {
		t.Errorf("office pending = %d, want %d (imported events travel on)", st.Pending, len(evs))
	}
}

func TestImportFailureStoresNothing(t *testing.T) {
	ctx := context.Background()
	dev, _ := openTemp(t)
	simulateLearning(t, dev, rand.New(rand.NewPCG(3, 4)), 2)
	evs, _ := exported(t, dev, false)
	office, _ := openTemp(t)
	before := readModel(t, office)
	broken := errors.New("checksum mismatch")
	stream := func(yield func(Event, error) bool) {
		for i, ev := range evs {
			if i == len(evs)/2 {
				yield(Event{}, broken)
				return
			}
			if !yield(ev, nil) {
				return
			}
		}
	}
	if _, err := office.ImportEvents(ctx, stream); !errors.Is(err, broken) {
		t.Fatalf("import of a broken stream: %v, want %v", err, broken)
	}
	bad := slices.Clone(evs)
	bad[len(bad)-1].Kind = ""
	if _, err := office.ImportEvents(ctx, eventsOf(bad)); err == nil {
		t.Fatal("import of an event without a kind succeeded")
	}
	if after := readModel(t, office); after != before {
		t.Fatalf("a refused import left rows:\n%s", after)
	}
	if st, _ := office.SyncStatus(ctx); st.Pending != 0 {
		t.Errorf("pending after refused imports = %d", st.Pending)
	}
}

func TestAcknowledge(t *testing.T) {
	ctx := context.Background()
	dev, _ := openTemp(t)
	simulateLearning(t, dev, rand.New(rand.NewPCG(5, 6)), 2)
	_, r := exported(t, dev, false)
	st, _ := dev.SyncStatus(ctx)
	if st.Pending != r.Events || r.FromSeq != 0 {
		t.Fatalf("pending = %d, export range %+v", st.Pending, r)
	}
	must(t, dev.NoteExport(ctx, "office", r))
	// Something happens after the export: it stays pending.
	l, err := dev.CreateLearner(ctx, ProfilePayload{FullName: "Trần Văn Bình"})
	must(t, err)
	ack := Ack{Destination: "office", DeviceID: dev.DeviceID(), FromSeq: r.FromSeq, ToSeq: r.ToSeq, Count: r.Events}
	for _, tc := range []struct {
		name string
		ack  Ack
		want error
	}{
		{"another device", Ack{DeviceID: "other", ToSeq: r.ToSeq, Count: r.Events}, ErrAckOtherDevice},
		{"wrong count", Ack{DeviceID: dev.DeviceID(), ToSeq: r.ToSeq, Count: r.Events + 1}, ErrAckMismatch},
		{"beyond the log", Ack{DeviceID: dev.DeviceID(), ToSeq: r.ToSeq + 5, Count: r.Events + 5}, ErrAckMismatch},
		{"a gap", Ack{DeviceID: dev.DeviceID(), FromSeq: r.ToSeq, ToSeq: r.ToSeq + 1, Count: 1}, ErrAckGap},
	} {
		if _, err := dev.Acknowledge(ctx, tc.ack); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	res, err := dev.Acknowledge(ctx, ack)
	must(t, err)
	if res.Acknowledged != r.Events || res.Pending != 1 || res.Already {
		t.Fatalf("acknowledge = %+v, want %d acknowledged, 1 pending", res, r.Events)
	}
	res, err = dev.Acknowledge(ctx, ack)
	must(t, err)
	if !res.Already || res.Pending != 1 {
		t.Fatalf("second acknowledge = %+v, want already, 1 pending", res)
	}
	st, _ = dev.SyncStatus(ctx)
	if st.Pending != 1 || st.LastSent.IsZero() || st.AckedSeq != r.ToSeq || len(st.Destinations) != 1 ||
		st.Destinations[0].LastAckCount != r.Events || st.Destinations[0].LastExportCount != r.Total() {
		t.Fatalf("status after acknowledge = %+v", st)
	}
	// The next export holds the new learner only, with the profile.
	evs, r2 := exported(t, dev, false)
	if len(evs) != 1 || evs[0].LearnerID != l.ID || r2.FromSeq != r.ToSeq {
		t.Fatalf("next export = %+v", r2)
	}
}

func TestExportSendsProfilesAlong(t *testing.T) {
	ctx := context.Background()
	dev, _ := openTemp(t)
	l, err := dev.CreateLearner(ctx, ProfilePayload{FullName: "Lê Thị Hoa", UnitPath: "Huế / Phường Thuận Hóa"})
	must(t, err)
	_, r := exported(t, dev, false)
	_, err = dev.Acknowledge(ctx, Ack{DeviceID: dev.DeviceID(), ToSeq: r.ToSeq, Count: r.Events})
	must(t, err)
	must(t, dev.OpenLesson(ctx, l.ID, PackRef{ID: "nq52"}, "m1", "l1"))
	evs, r2 := exported(t, dev, false)
	if r2.Events != 1 || r2.Profiles != 1 || len(evs) != 2 || evs[0].Kind != KindProfile {
		t.Fatalf("export after an acknowledged profile = %+v %v", r2, evs)
	}
	office, _ := openTemp(t)
	res, err := office.ImportEvents(ctx, eventsOf(evs))
	must(t, err)
	if len(res.Learners) != 1 || res.Learners[0].FullName != "Lê Thị Hoa" || res.Learners[0].UnitPath == "" {
		t.Fatalf("office does not know who the learner is: %+v", res)
	}
}

func TestPendingCounterForOlderDatabase(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	simulateLearning(t, s, rand.New(rand.NewPCG(7, 8)), 1)
	var n int
	must(t, s.db.QueryRow(`SELECT count(*) FROM events`).Scan(&n))
	// A database from before the counter existed.
	_, err := s.db.Exec(`DELETE FROM meta WHERE key = ?`, metaPending)
	must(t, err)
	s.Close()
	s2, err := Open(ctx, path)
	must(t, err)
	defer s2.Close()
	st, err := s2.SyncStatus(ctx)
	must(t, err)
	if st.Pending != n {
		t.Fatalf("pending = %d, want %d", st.Pending, n)
	}
	_, err = s2.CreateLearner(ctx, ProfilePayload{FullName: "Phạm Minh Tuấn"})
	must(t, err)
	if st, _ := s2.SyncStatus(ctx); st.Pending != n+1 {
		t.Fatalf("pending after one more event = %d, want %d", st.Pending, n+1)
	}
}

func TestSyncStatusDoesNotScanEvents(t *testing.T) {
	s, _ := openTemp(t)
	rows, err := s.db.Query(`EXPLAIN QUERY PLAN SELECT value FROM meta WHERE key = ?`, metaPending)
	must(t, err)
	defer rows.Close()
	for rows.Next() {
		var id, parent, notused int
		var detail string
		must(t, rows.Scan(&id, &parent, &notused, &detail))
		if strings.Contains(detail, "SCAN") {
			t.Errorf("pending count plan scans: %s", detail)
		}
	}
}

// randomBatches cuts events into batches at random points, repeats some
// batches and shuffles them all: any split, any order, any repetition.
func randomBatches(rng *rand.Rand, events []Event) [][]Event {
	shuffled := slices.Clone(events)
	rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	var batches [][]Event
	for len(shuffled) > 0 {
		n := 1 + rng.IntN(len(shuffled))
		batches = append(batches, shuffled[:n])
		shuffled = shuffled[n:]
	}
	for i := range batches {
		for range rng.IntN(2) {
			batches = append(batches, batches[i])
		}
	}
	rng.Shuffle(len(batches), func(i, j int) { batches[i], batches[j] = batches[j], batches[i] })
	return batches
}

// TestProjectionReadsOnlyNewEvents checks that each step of the set-based
// projection, which an import runs every projectEvery events and a hub after
// every group, reaches the log by its seq range (or an event by its id), so
// that its cost follows the events it applies and not the log's length.
func TestProjectionReadsOnlyNewEvents(t *testing.T) {
	s, _ := openTemp(t)
	for _, step := range projectSteps {
		rows, err := s.db.Query(`EXPLAIN QUERY PLAN `+step.sql, 1)
		must(t, err)
		for rows.Next() {
			var id, parent, unused int
			var detail string
			must(t, rows.Scan(&id, &parent, &unused, &detail))
			if m := regexp.MustCompile(`^(SCAN|SEARCH) (events|e)\b`).FindString(detail); m != "" &&
				!strings.Contains(detail, "INTEGER PRIMARY KEY (rowid>?)") && !strings.Contains(detail, "(id=?") {
				t.Errorf("projection step %s reads the log other than by seq or id: %s", step.name, detail)
			}
		}
		rows.Close()
	}
}
