package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// reportFixture fills a database with people made at random: a roster, some
// of it studying on two PCs, learners on no roster, progress of a learner
// whose profile never came, lessons the pack no longer has, attempts passed
// and failed, over three weeks.
func reportFixture(t *testing.T, s *Store, seed uint64) ReportQuery {
	t.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 7))
	day := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	clock := day
	s.Now = func() time.Time { clock = clock.Add(time.Minute); return clock }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	units := []string{"Huế / Phường Thuận Hóa", "Hà Nội / Phường Ba Đình", "Hà Nội / Phường Đống Đa", "Đà Nẵng"}
	family := []string{"Nguyễn", "Trần", "Lê", "Đặng", "Đỗ", "Vũ", "Bùi", "Ôn"}
	given := []string{"An", "Ánh", "Bình", "Đức", "Hà", "Hạnh", "Lan", "Ưng", "Yến"}
	name := func() string {
		return family[rng.IntN(len(family))] + " Văn " + given[rng.IntN(len(given))]
	}
	var roster []RosterEntry
	for i := range 25 {
		roster = append(roster, RosterEntry{StaffCode: fmt.Sprintf("S-%02d", i), FullName: name(),
			Position: "Chuyên viên", UnitPath: units[rng.IntN(len(units))]})
	}
	roster = append(roster, RosterEntry{FullName: "Phan Thị Ngọc", UnitPath: units[0]}) // no staff code
	_, err := s.ImportRoster(ctx, roster)
	must(err)
	pack := PackRef{ID: "p", Version: "1", Hash: "h"}
	var learners []string
	for i := range 40 {
		p := ProfilePayload{FullName: name(), UnitPath: units[rng.IntN(len(units))]}
		switch {
		case i < 20: // on the roster, some on two PCs
			r := roster[rng.IntN(len(roster)-1)]
			p = ProfilePayload{FullName: r.FullName, StaffCode: r.StaffCode, UnitPath: r.UnitPath}
		case i == 20: // on the roster by name and unit
			p = ProfilePayload{FullName: "Phan Thị Ngọc", UnitPath: units[0]}
		case i%7 == 0:
			p.StaffCode = fmt.Sprintf("X-%d", i) // a code no roster has
		}
		l, err := s.CreateLearner(ctx, p)
		must(err)
		learners = append(learners, l.ID)
	}
	lessons := map[string][]string{"m1": {"l1", "l2", "l3"}, "m2": {"l4", "l5"}, "m3": {"l6", "gone"}}
	open := map[string]bool{} // attempts left open, which no new one may join
	for range 300 {
		l := learners[rng.IntN(len(learners))]
		clock = day.Add(time.Duration(rng.IntN(21*24)) * time.Hour)
		m := []string{"m1", "m2", "m3"}[rng.IntN(3)]
		if rng.IntN(3) > 0 {
			id := lessons[m][rng.IntN(len(lessons[m]))]
			must(s.OpenLesson(ctx, l, pack, m, id))
			if rng.IntN(2) == 0 {
				clock = clock.Add(time.Duration(rng.IntN(72)) * time.Hour)
				must(s.CompleteLesson(ctx, l, pack, m, id))
			}
			continue
		}
		if open[l+m] {
			continue
		}
		at, err := s.StartAttempt(ctx, l, pack, m, "q"+m, 1, []string{"q"}, 0.5)
		must(err)
		if rng.IntN(4) == 0 {
			open[l+m] = true // never submitted
			continue
		}
		must(s.RecordAnswer(ctx, at, pack, "q", AnsweredPayload{AttemptID: at.ID, Answer: json.RawMessage(`{}`),
			Score: float64(rng.IntN(5)), MaxScore: 4}))
		clock = clock.Add(time.Duration(rng.IntN(48)) * time.Hour)
		_, err = s.SubmitAttempt(ctx, at, pack, 4)
		must(err)
	}
	// Progress of a learner whose profile never came: no report shows it.
	_, err = s.ImportEvents(ctx, func(yield func(Event, error) bool) {
		yield(Event{ID: "019ac0f0-0000-7000-8000-0000000000aa", LearnerID: "019ac0f0-0000-7000-8000-0000000000bb",
			DeviceID: "pc-2", Kind: KindLessonOpened, PackID: "p", PackVersion: "1", PackHash: "h", ItemID: "l1",
			Time: day, Payload: json.RawMessage(`{"module_id":"m1"}`)}, nil)
	})
	must(err)
	return ReportQuery{PackID: "p", Modules: []ReportModule{
		{ID: "m1", LessonIDs: []string{"l1", "l2", "l3"}, QuizID: "qm1"},
		{ID: "m2", LessonIDs: []string{"l4", "l5"}, QuizID: "qm2"},
		{ID: "m3", LessonIDs: []string{"l6"}},
	}}
}

func collectReport(t *testing.T, s *Store, q ReportQuery, how reportRead) []PersonProgress {
	t.Helper()
	var out []PersonProgress
	if err := s.LinkRoster(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := s.reportRows(context.Background(), q, how, func(p *PersonProgress) error {
		out = append(out, *p)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestReportReadsAgree checks that the three ways a report reads the
// database give the same people, in the same order, with the same tallies:
// person by person (reportSQL), and the whole database in learner order with
// the lists read beside the learners or in turn, whether the sort holds
// everything in memory or writes runs.
func TestReportReadsAgree(t *testing.T) {
	s, _ := openTemp(t)
	q := reportFixture(t, s, 1)
	period := q
	period.From = time.Date(2026, 11, 6, 0, 0, 0, 0, time.UTC)
	period.To = time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)
	defer func(n int) { sortChunk = n }(sortChunk)
	for _, q := range []ReportQuery{q, period} {
		sortChunk = 1 << 20
		want := collectReport(t, s, q, readPeople)
		if len(want) < 40 {
			t.Fatalf("%d people: the fixture is too small to tell", len(want))
		}
		started := 0
		for _, p := range want {
			if len(p.Modules) > 0 {
				started++
			}
		}
		if started < 10 || started == len(want) {
			t.Fatalf("%d of %d people started: the fixture should have both", started, len(want))
		}
		for _, chunk := range []int{1 << 20, 300} {
			sortChunk = chunk
			for _, how := range []reportRead{readPeople, readScan, readScanSerial} {
				if got := collectReport(t, s, q, how); !reflect.DeepEqual(got, want) {
					t.Errorf("read %d, sort chunk %d: differs from reading person by person\n got %v\nwant %v", how, chunk, got, want)
				}
			}
		}
	}
}

// TestReportScanOneSnapshot runs whole-database reports while another
// connection keeps adding learners, each with a lesson completed in the same
// transaction. Reading the lessons on a connection other than the learners'
// could see a learner without their lesson, or the reverse; each report must
// show every learner with it.
func TestReportScanOneSnapshot(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	q := ReportQuery{PackID: "p", Modules: []ReportModule{{ID: "m1", LessonIDs: []string{"l1"}}}}
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		for i := 0; !stop.Load(); i++ {
			learner := fmt.Sprintf("019ac0f0-0000-7000-8000-%012d", i)
			ev := func(n int, kind, item, payload string) Event {
				return Event{ID: fmt.Sprintf("019ac0f1-0000-7000-8000-%06d%06d", i, n), LearnerID: learner,
					DeviceID: "pc-2", Kind: kind, PackID: "p", PackVersion: "1", PackHash: "h", ItemID: item,
					Time: at, Payload: json.RawMessage(payload)}
			}
			evs := []Event{
				{ID: fmt.Sprintf("019ac0f1-0000-7000-8000-%06d%06d", i, 0), LearnerID: learner, DeviceID: "pc-2",
					Kind: KindProfile, Time: at, Payload: json.RawMessage(fmt.Sprintf(`{"full_name":"Người %d","unit_path":"Huế"}`, i))},
				ev(1, KindLessonOpened, "l1", `{"module_id":"m1"}`),
				ev(2, KindLessonCompleted, "l1", `{"module_id":"m1"}`),
			}
			if _, err := s.ImportEvents(ctx, func(yield func(Event, error) bool) {
				for _, e := range evs {
					if !yield(e, nil) {
						return
					}
				}
			}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	defer func() { stop.Store(true); wg.Wait() }()
	deadline := time.Now().Add(3 * time.Second)
	reports := 0
	for reports < 20 || time.Now().Before(deadline) && reports < 200 {
		people := 0
		err := s.reportRows(ctx, q, readScan, func(p *PersonProgress) error {
			people++
			if m := p.Modules["m1"]; m.LessonsDone != 1 {
				return fmt.Errorf("%s without their lesson: %+v", p.FullName, p.Modules)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("report %d (%d people): %v", reports, people, err)
		}
		reports++
	}
}

// TestReportStopsWhenToldTo: an error from the caller's function ends the
// report with that error, the fold's goroutine and the sort's files with it.
func TestReportStopsWhenToldTo(t *testing.T) {
	s, _ := openTemp(t)
	q := reportFixture(t, s, 2)
	defer func(n int) { sortChunk = n }(sortChunk)
	sortChunk = 300 // many runs on disk
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	stop := fmt.Errorf("enough")
	for _, how := range []reportRead{readPeople, readScan} {
		n := 0
		err := s.reportRows(context.Background(), q, how, func(*PersonProgress) error {
			if n++; n == 3 {
				return stop
			}
			return nil
		})
		if err != stop || n != 3 {
			t.Errorf("read %d: %d people, %v; want 3 and %v", how, n, err, stop)
		}
		if left, _ := os.ReadDir(tmp); len(left) > 0 {
			t.Errorf("read %d: %d files left in the temporary folder", how, len(left))
		}
	}
}
