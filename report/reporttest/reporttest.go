// Package reporttest builds the fixed dataset that report tests and goldens
// use: a small course, a roster of Vietnamese officials, and learners who
// arrived by sync in every state a report must show.
package reporttest

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"hocso/lessons"
	"hocso/quiz"
	"hocso/store"
)

// Zone is the office's time zone in the fixture (Vietnam, UTC+7).
var Zone = time.FixedZone("ICT", 7*3600)

// Now is when the fixture's reports are made: 2 December 2026, 9:30 in Hà Nội.
var Now = time.Date(2026, 12, 2, 9, 30, 0, 0, Zone)

// Pack is a three-module course, one module of each completion rule.
func Pack() *lessons.Pack {
	les := func(ids ...string) []*lessons.Lesson {
		var out []*lessons.Lesson
		for _, id := range ids {
			out = append(out, &lessons.Lesson{ID: id})
		}
		return out
	}
	return &lessons.Pack{ID: "vn.hocso.thu-nghiem", Version: "1.2.0",
		Title: quiz.Text{"vi": "Chuyển đổi số cho cán bộ, công chức", "en": "Digital transformation for civil servants"},
		Modules: []*lessons.Module{
			{ID: "cmcn4", CompleteWhen: lessons.CompleteWhenBoth, Lessons: les("a1", "a2"), Quiz: &quiz.Quiz{ID: "q1"},
				Title: quiz.Text{"vi": "Cách mạng công nghiệp lần thứ tư", "en": "The Fourth Industrial Revolution"}},
			{ID: "nq52", CompleteWhen: lessons.CompleteWhenPassed, Lessons: les("b1"), Quiz: &quiz.Quiz{ID: "q2"},
				Title: quiz.Text{"vi": "Nghị quyết 52-NQ/TW", "en": "Resolution 52-NQ/TW"}},
			{ID: "an-toan", CompleteWhen: lessons.CompleteWhenCompleted, Lessons: les("c1", "c2"),
				Title: quiz.Text{"vi": "An toàn thông tin", "en": "Information security"}},
		}}
}

// Roster is the office's list: staff codes for most, one without.
var Roster = []store.RosterEntry{
	{StaffCode: "HN-001", FullName: "Nguyễn Thị Lan", Position: "Chuyên viên", UnitPath: "Hà Nội / Phường Ba Đình / UBND phường"},
	{StaffCode: "HN-002", FullName: "Trần Văn Đức", Position: "Phó Chủ tịch", UnitPath: "Hà Nội / Phường Ba Đình / UBND phường"},
	{StaffCode: "HN-003", FullName: "Lê Thị Hồng Nhung", Position: "Công chức Văn phòng - Thống kê", UnitPath: "Hà Nội / Phường Hoàn Kiếm / UBND phường"},
	{FullName: "Phạm Quốc Việt", Position: "Kế toán", UnitPath: "Hà Nội / Phường Hoàn Kiếm / UBND phường"},
	{StaffCode: "HN-010", FullName: "Bùi Minh Tuấn", Position: "Công chức Tư pháp - Hộ tịch", UnitPath: "Hà Nội / Phường Hoàn Kiếm / UBND phường"},
	{StaffCode: "HN-011", FullName: "Bùi Minh Tuấn", Position: "Công chức Địa chính", UnitPath: "Hà Nội / Phường Hoàn Kiếm / UBND phường"},
	{StaffCode: "HUE-001", FullName: "Hoàng Thị Ngọc Ánh", Position: "Chuyên viên", UnitPath: "Huế / Phường Thuận Hóa / UBND phường"},
}

// Names are every person's name in the fixture, for checks that each
// arrives intact in a format.
var Names = []string{"Nguyễn Thị Lan", "Trần Văn Đức", "Lê Thị Hồng Nhung", "Phạm Quốc Việt", "Bùi Minh Tuấn",
	"Hoàng Thị Ngọc Ánh", "Đặng Hữu Phước"}

// Open makes the fixture's database in a temporary folder and returns it
// open, with the course it reports on.
func Open(t testing.TB) (*store.Store, *lessons.Pack) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "office.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := Fill(ctx, s); err != nil {
		t.Fatal(err)
	}
	return s, Pack()
}

// Fill records the fixture's learners and progress, then imports the roster.
func Fill(ctx context.Context, s *store.Store) error {
	clock := time.Date(2026, 11, 3, 1, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { clock = clock.Add(time.Minute); return clock }
	day := func(d int) { clock = time.Date(2026, 11, d, 1, 0, 0, 0, time.UTC) }
	p := Pack()
	ref := store.PackRef{ID: p.ID, Version: p.Version, Hash: "h"}
	learner := func(name, code, unit string) (string, error) {
		l, err := s.CreateLearner(ctx, store.ProfilePayload{FullName: name, StaffCode: code, UnitPath: unit})
		return l.ID, err
	}
	lessonsDone := func(id, mod string, ls ...string) error {
		for _, l := range ls {
			if err := s.CompleteLesson(ctx, id, ref, mod, l); err != nil {
				return err
			}
		}
		return nil
	}
	// The score is the stored answers' (issue 9): one answer worth score
	// out of 10 makes it.
	quizTaken := func(id, mod, q string, score float64, passed bool) error {
		a, err := s.StartAttempt(ctx, id, ref, mod, q, 1, []string{"x"}, 70)
		if err != nil {
			return err
		}
		if err := s.RecordAnswer(ctx, a, ref, "x", store.AnsweredPayload{QuestionHash: "h", Answer: []byte(`{}`), Score: score, MaxScore: 10}); err != nil {
			return err
		}
		got, err := s.SubmitAttempt(ctx, a, ref, 10)
		if err == nil && got.Passed != passed {
			err = fmt.Errorf("fixture: %s scored %v, passed %v; want passed %v", q, score, got.Passed, passed)
		}
		return err
	}
	bd := "Hà Nội / Phường Ba Đình / UBND phường"
	// Lan completes everything, on two PCs: the second knows her by staff code.
	lan, err := learner("Nguyễn Thị Lan", "HN-001", bd)
	if err != nil {
		return err
	}
	lan2, err := learner("Nguyễn Thị Lan", "HN-001", bd)
	if err != nil {
		return err
	}
	day(5)
	steps := []error{
		lessonsDone(lan, "cmcn4", "a1", "a2"), quizTaken(lan, "cmcn4", "q1", 6, false), quizTaken(lan, "cmcn4", "q1", 9, true),
	}
	day(12)
	steps = append(steps, quizTaken(lan2, "nq52", "q2", 8.5, true), lessonsDone(lan2, "an-toan", "c1"))
	day(20)
	steps = append(steps, lessonsDone(lan, "an-toan", "c2"))
	// Đức has read one lesson.
	duc, err := learner("Trần Văn Đức", "HN-002", bd)
	steps = append(steps, err, lessonsDone(duc, "cmcn4", "a1"))
	// Việt has no staff code: found by name in his unit; he failed a quiz.
	viet, err := learner("Phạm Quốc Việt", "", "Hà Nội / Phường Hoàn Kiếm / UBND phường")
	day(25)
	steps = append(steps, err, lessonsDone(viet, "cmcn4", "a1", "a2"), quizTaken(viet, "cmcn4", "q1", 5.5, false))
	// Tuấn matches two roster entries by name: left for a person to link.
	tuan, err := learner("Bùi Minh Tuấn", "", "Hà Nội / Phường Hoàn Kiếm / UBND phường")
	steps = append(steps, err, lessonsDone(tuan, "an-toan", "c1", "c2"))
	// Phước is on no roster: he studied anyway and is reported.
	phuoc, err := learner("Đặng Hữu Phước", "HUE-009", "Huế / Phường Thuận Hóa / UBND phường")
	steps = append(steps, err, lessonsDone(phuoc, "an-toan", "c1", "c2"))
	for _, err := range steps {
		if err != nil {
			return err
		}
	}
	day(28)
	_, err = s.ImportRoster(ctx, Roster)
	return err
}
