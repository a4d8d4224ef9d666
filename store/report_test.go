package store

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestReportRowsPeriodAndPeople checks what a report counts: only the pack's
// lessons and quizzes, a lesson once however many of a person's PCs
// completed it, completions inside the period only, and nothing begun after
// the period's end.
func TestReportRowsPeriodAndPeople(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	day := func(d int) time.Time { return time.Date(2026, 11, d, 9, 0, 0, 0, time.UTC) }
	clock := day(1)
	s.Now = func() time.Time { return clock }
	pack := PackRef{ID: "p", Version: "1", Hash: "h"}
	a, _ := s.CreateLearner(ctx, ProfilePayload{FullName: "Đặng Thu Hà", StaffCode: "X-1", UnitPath: "Huế / Phường A"})
	b, _ := s.CreateLearner(ctx, ProfilePayload{FullName: "Đặng Thu Hà", StaffCode: "X-1", UnitPath: "Huế / Phường A"})
	c, _ := s.CreateLearner(ctx, ProfilePayload{FullName: "Lê Văn Bình", UnitPath: "Huế / Phường B"})
	d, _ := s.CreateLearner(ctx, ProfilePayload{FullName: "Võ Minh Châu", UnitPath: "Huế / Phường B"})
	if _, err := s.ImportRoster(ctx, []RosterEntry{{StaffCode: "X-1", FullName: "Đặng Thu Hà", UnitPath: "Huế / Phường A"}}); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	lesson := func(learner, module, id string, opened, completed int) {
		t.Helper()
		clock = day(opened)
		must(s.OpenLesson(ctx, learner, pack, module, id))
		if completed > 0 {
			clock = day(completed)
			must(s.CompleteLesson(ctx, learner, pack, module, id))
		}
	}
	attempt := func(learner string, started, submitted int, score float64) {
		t.Helper()
		clock = day(started)
		at, err := s.StartAttempt(ctx, learner, pack, "m1", "q1", 1, []string{"q"}, 0.5)
		must(err)
		must(s.RecordAnswer(ctx, at, pack, "q", AnsweredPayload{AttemptID: at.ID, Answer: json.RawMessage(`{}`),
			Score: score, MaxScore: 1}))
		clock = day(submitted)
		_, err = s.SubmitAttempt(ctx, at, pack, 1)
		must(err)
	}
	lesson(a.ID, "m1", "l1", 1, 1)
	lesson(a.ID, "m1", "l2", 9, 10)
	lesson(b.ID, "m1", "l2", 8, 9)   // the same lesson on the person's other PC, a day earlier
	lesson(a.ID, "m1", "gone", 1, 1) // a lesson the pack no longer has
	lesson(a.ID, "m2", "l3", 12, 0)  // opened after the period
	lesson(c.ID, "m1", "l1", 2, 0)   // opened, never completed
	attempt(a.ID, 5, 5, 1)           // passed inside the period
	attempt(b.ID, 20, 20, 0)         // begun after it
	attempt(d.ID, 20, 20, 1)         // the only progress, after the period
	q := ReportQuery{PackID: "p", Modules: []ReportModule{
		{ID: "m1", LessonIDs: []string{"l1", "l2"}, QuizID: "q1"},
		{ID: "m2", LessonIDs: []string{"l3"}},
	}}
	report := func(q ReportQuery) map[string]*PersonProgress {
		t.Helper()
		got := map[string]*PersonProgress{}
		must(s.ReportRows(ctx, q, func(p *PersonProgress) error { got[p.FullName] = p; return nil }))
		return got
	}

	all := report(q)
	if len(all) != 3 {
		t.Fatalf("people: %v; want the roster entry and the two learners on no roster", all)
	}
	if c1 := all["Võ Minh Châu"].Modules["m1"]; !c1.Started || !c1.Passed {
		t.Errorf("Châu m1: %+v; want passed", c1)
	}
	ha, binh := all["Đặng Thu Hà"], all["Lê Văn Bình"]
	if !ha.OnRoster || binh.OnRoster {
		t.Errorf("on roster: Hà %v, Bình %v", ha.OnRoster, binh.OnRoster)
	}
	m1 := ha.Modules["m1"]
	if m1.LessonsDone != 2 || !m1.LessonsDoneAt.Equal(day(9)) {
		t.Errorf("Hà m1 lessons: %d done, last %v; want 2 (l2 once for two PCs, not the removed lesson), day 9 (l2 first done)", m1.LessonsDone, m1.LessonsDoneAt)
	}
	if !m1.HasScore || m1.Best != 100 || !m1.Passed || !m1.PassedAt.Equal(day(5)) {
		t.Errorf("Hà m1 quiz: %+v; want best 100, passed on day 5", m1)
	}
	if m2 := ha.Modules["m2"]; !m2.Started || m2.LessonsDone != 0 {
		t.Errorf("Hà m2: %+v; want started, nothing done", m2)
	}
	if b1 := binh.Modules["m1"]; !b1.Started || b1.LessonsDone != 0 || b1.HasScore {
		t.Errorf("Bình m1: %+v; want started only", b1)
	}

	q.From, q.To = day(3), day(11)
	period := report(q)
	m1 = period["Đặng Thu Hà"].Modules["m1"]
	if m1.LessonsDone != 1 || !m1.LessonsDoneAt.Equal(day(9)) || !m1.Passed || m1.Best != 100 {
		t.Errorf("Hà m1 in the period: %+v; want l2 only, passed with 100", m1)
	}
	if c1, ok := period["Võ Minh Châu"].Modules["m1"]; ok {
		t.Errorf("Châu m1 in the period: %+v; begun after the period, it must not be seen", c1)
	}
	if m2, ok := period["Đặng Thu Hà"].Modules["m2"]; ok {
		t.Errorf("Hà m2 in the period: %+v; opened after the period, it must not be seen", m2)
	}

	q.From, q.To = time.Time{}, day(15)
	q.Person = b.ID // a linked learner stands for the roster entry
	one := report(q)
	if len(one) != 1 || one["Đặng Thu Hà"] == nil || !one["Đặng Thu Hà"].OnRoster {
		t.Errorf("one person by a linked learner's id: %v", one)
	}
}

// A bundle may carry ids with the report's separators in them: such progress
// belongs to no lesson or quiz of the pack and is left out, and the report
// still runs.
func TestReportRowsSeparatorInIDs(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	l, err := s.CreateLearner(ctx, ProfilePayload{FullName: "Trần Văn Nam", UnitPath: "Huế / Phường A"})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	ev := func(id, kind, item, payload string) Event {
		return Event{ID: id, LearnerID: l.ID, DeviceID: "other-pc", Kind: kind, PackID: "p", PackVersion: "1",
			PackHash: "h", ItemID: item, Time: at, Payload: json.RawMessage(payload)}
	}
	evs := []Event{
		ev("019ac0f0-0000-7000-8000-000000000001", KindLessonOpened, "l1", `{"module_id":"m1\u001fx"}`),
		ev("019ac0f0-0000-7000-8000-000000000002", KindLessonOpened, "l1\u001e", `{"module_id":"m1"}`),
		ev("019ac0f0-0000-7000-8000-000000000003", KindQuizStarted, "q1\u001f",
			`{"attempt_id":"a1","module_id":"m1","seed":1,"question_ids":["q"],"pass_mark":0.5}`),
	}
	if _, err := s.ImportEvents(ctx, func(yield func(Event, error) bool) {
		for _, e := range evs {
			if !yield(e, nil) {
				return
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	q := ReportQuery{PackID: "p", Modules: []ReportModule{{ID: "m1", LessonIDs: []string{"l1"}, QuizID: "q1"}}}
	n := 0
	err = s.ReportRows(ctx, q, func(p *PersonProgress) error {
		n++
		if len(p.Modules) != 0 {
			t.Errorf("%s: %+v; progress under ids with separators must not count", p.FullName, p.Modules)
		}
		return nil
	})
	if err != nil || n != 1 {
		t.Fatalf("report: %d people, %v", n, err)
	}
}

// TestReportQueryPlan checks that the report reads people in report order,
// and each person's learners and progress, through covering indexes: no table is read
// from end to end but the people's own (in order, from an index), no row is
// looked up in a table, and nothing is sorted.
func TestReportQueryPlan(t *testing.T) {
	s, _ := openTemp(t)
	// The plan is made for the placeholders, whatever the period, unit or person.
	text, _ := ReportSQL(ReportQuery{PackID: "p", Modules: []ReportModule{{ID: "m1", LessonIDs: []string{"l1"}, QuizID: "q1"}}})
	plan := queryPlan(t, s, text)
	for _, step := range strings.Split(plan, "; ") {
		scan, search := strings.HasPrefix(step, "SCAN "), strings.HasPrefix(step, "SEARCH ")
		switch {
		case strings.Contains(step, "TEMP B-TREE"):
			t.Errorf("the report sorts: %q\n%s", step, plan)
		case scan && !regexp.MustCompile(`^SCAN [rl] USING COVERING INDEX (roster|learners)_report$`).MatchString(step):
			t.Errorf("the report reads a table from end to end: %q\n%s", step, plan)
		// lesson_progress is WITHOUT ROWID: its primary key is the table itself.
		case search && regexp.MustCompile(`^SEARCH [pak] `).MatchString(step) && !strings.Contains(step, "COVERING INDEX") &&
			!strings.HasPrefix(step, "SEARCH p USING PRIMARY KEY "):
			t.Errorf("the report looks progress or roster links up in a table: %q\n%s", step, plan)
		}
	}
}

// TestReportScanPlan checks that a report of the whole database reads each
// list in learner order straight from a covering index, with nothing sorted
// and no row looked up in a table.
func TestReportScanPlan(t *testing.T) {
	s, _ := openTemp(t)
	q := ReportQuery{PackID: "p"}
	for _, text := range []string{scanLearners, scanLessons, scanAttempts} {
		text, _ := scanSQL(text, q)
		plan := queryPlan(t, s, text)
		for _, step := range strings.Split(plan, "; ") {
			switch {
			case strings.Contains(step, "TEMP B-TREE"):
				t.Errorf("the scan sorts: %q\n%s", step, plan)
			case step == "SCAN p":
				// lesson_progress is WITHOUT ROWID: the table is its key's
				// B-tree, in learner order, and holds every column.
			case strings.HasPrefix(step, "SCAN ") && !strings.Contains(step, "COVERING INDEX"):
				t.Errorf("the scan reads a table: %q\n%s", step, plan)
			}
		}
	}
}

// TestLinkRosterPlan checks that linking, which every report does first,
// finds roster entries by staff code in their index rather than building one
// of the whole roster each time.
func TestLinkRosterPlan(t *testing.T) {
	s, _ := openTemp(t)
	if plan := queryPlan(t, s, linkByStaffCode); strings.Contains(plan, "AUTOMATIC") ||
		!strings.Contains(plan, "roster_staff_code") {
		t.Errorf("linking by staff code: %s", plan)
	}
	// An imported row is found again by one index search, not a scan.
	for _, q := range []string{rosterByStaffCode, rosterByNameUnit} {
		if plan := queryPlan(t, s, q); !strings.HasPrefix(plan, "SEARCH roster USING") || strings.Contains(plan, "SCAN") {
			t.Errorf("a roster row found again: %s\n%s", plan, q)
		}
	}
}
