package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sub", "hocso.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestOpenCreatesAndReopens(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	var v int
	if err := s.db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil || v != SchemaVersion() {
		t.Fatalf("user_version = %d, %v; want %d", v, err, SchemaVersion())
	}
	var mode string
	if err := s.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v; want wal", mode, err)
	}
	var fk, sync int
	s.db.QueryRow(`PRAGMA foreign_keys`).Scan(&fk)
	s.db.QueryRow(`PRAGMA synchronous`).Scan(&sync)
	if fk != 1 || sync != 2 {
		t.Fatalf("foreign_keys = %d, synchronous = %d; want 1, 2 (FULL)", fk, sync)
	}
	l, err := s.CreateLearner(ctx, ProfilePayload{FullName: "Nguyễn Thị Lan", UnitPath: "Hà Nội / Phường Ba Đình"})
	if err != nil {
		t.Fatal(err)
	}
	device := s.DeviceID()
	s.Close()

	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s2.Close()
	if s2.DeviceID() != device {
		t.Errorf("device id changed on reopen: %s → %s", device, s2.DeviceID())
	}
	got, err := s2.Learner(ctx, l.ID)
	if err != nil || got.FullName != "Nguyễn Thị Lan" {
		t.Fatalf("learner after reopen = %+v, %v", got, err)
	}
}

// fileState is what a refused file must still be after Open refuses it.
func fileState(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOpenRefusesNotSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.db")
	content := []byte("Đây là một tệp văn bản, không phải cơ sở dữ liệu.\n")
	os.WriteFile(path, content, 0o644)
	_, err := Open(context.Background(), path)
	if !errors.Is(err, ErrNotDatabase) {
		t.Fatalf("Open(text file) = %v; want ErrNotDatabase", err)
	}
	if !bytes.Equal(fileState(t, path), content) {
		t.Fatal("the refused file was changed")
	}
	if _, err := os.Stat(path + "-wal"); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a -wal file was left beside the refused file")
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	s, path := openTemp(t)
	if _, err := s.db.Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before := fileState(t, path)
	_, err := Open(context.Background(), path)
	var se *SchemaError
	if !errors.As(err, &se) || !errors.Is(err, ErrNewerSchema) || se.Found != 99 || se.Supported != SchemaVersion() {
		t.Fatalf("Open(newer schema) = %v; want SchemaError{99, %d}", err, SchemaVersion())
	}
	if !bytes.Equal(fileState(t, path), before) {
		t.Fatal("the refused file was changed")
	}
	if v := binary.BigEndian.Uint32(before[60:64]); v != 99 {
		t.Fatalf("header user_version = %d; want 99", v)
	}
}

func TestOpenRefusesReadOnly(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("permission bits do not make a file read-only on Windows")
	}
	s, path := openTemp(t)
	s.Close()
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(path, 0o644)
	if f, err := os.OpenFile(path, os.O_RDWR, 0); err == nil {
		f.Close()
		t.Skip("running as a user who can write read-only files (root); cannot test")
	}
	before := fileState(t, path)
	if _, err := Open(context.Background(), path); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("Open(read-only) = %v; want ErrReadOnly", err)
	}
	if !bytes.Equal(fileState(t, path), before) {
		t.Fatal("the refused file was changed")
	}
}

func TestOpenRefusesReadOnlyFolder(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("permission bits do not make a folder read-only on Windows")
	}
	dir := filepath.Join(t.TempDir(), "ro")
	os.Mkdir(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	if f, err := os.CreateTemp(dir, "probe"); err == nil {
		f.Close()
		os.Remove(f.Name())
		t.Skip("running as a user who can write read-only folders (root); cannot test")
	}
	if _, err := Open(context.Background(), filepath.Join(dir, "hocso.db")); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("Open(in read-only folder) = %v; want ErrReadOnly", err)
	}
}

func count(t *testing.T, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A projection that fails must take its event with it: the log and the read
// model never disagree.
func TestRecordIsAtomic(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	l, _ := s.CreateLearner(ctx, ProfilePayload{FullName: "Trần Văn Bình"})
	before := count(t, s, "events")

	ev, _ := s.NewEvent(KindLessonOpened, l.ID, nil)
	ev.Payload = json.RawMessage(`{"module_id": 42}`) // the projection cannot decode this
	if err := s.Record(ctx, ev); err == nil {
		t.Fatal("Record of an event whose projection fails returned nil")
	}
	if got := count(t, s, "events"); got != before {
		t.Fatalf("events = %d after a failed Record; want %d", got, before)
	}
	if got := count(t, s, "lesson_progress"); got != 0 {
		t.Fatalf("lesson_progress has %d rows after a failed Record", got)
	}

	// The same event, well formed, goes in once however often it is recorded.
	ev.Payload = json.RawMessage(`{"module_id": "m1"}`)
	ev.PackID, ev.ItemID = "p", "l1"
	for i := 0; i < 3; i++ {
		if err := s.Record(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	if got := count(t, s, "events"); got != before+1 {
		t.Fatalf("events = %d after recording one event three times; want %d", got, before+1)
	}
}

func TestAttemptFlowAndClosedAttempt(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	l, _ := s.CreateLearner(ctx, ProfilePayload{FullName: "Lê Thị Cúc"})
	pack := PackRef{ID: "p", Version: "1.0.0", Hash: "h"}
	a, err := s.StartAttempt(ctx, l.ID, pack, "m1", "q", 7, []string{"q1", "q2", "q3"}, 70)
	if err != nil {
		t.Fatal(err)
	}
	answer := func(q string, score float64) error {
		return s.RecordAnswer(ctx, a, pack, q, AnsweredPayload{QuestionHash: "x", Answer: json.RawMessage(`{"choices":["a"]}`), Score: score, MaxScore: 1})
	}
	if err := answer("q1", 1); err != nil {
		t.Fatal(err)
	}
	if err := answer("q2", 0); err != nil {
		t.Fatal(err)
	}
	if err := answer("q2", 1); err != nil { // a changed answer replaces the earlier one
		t.Fatal(err)
	}
	open, err := s.OpenAttempt(ctx, l.ID, "p", "q")
	if err != nil || open == nil || open.ID != a.ID || open.Seed != 7 {
		t.Fatalf("OpenAttempt = %+v, %v", open, err)
	}
	ans, _ := s.Answers(ctx, a.ID)
	if len(ans) != 2 || ans["q2"].Score != 1 {
		t.Fatalf("answers = %+v; want q1 and q2 (q2 = 1)", ans)
	}
	done, err := s.SubmitAttempt(ctx, a, pack, 3)
	if err != nil || done.SubmittedAt == nil || done.Score != 2 {
		t.Fatalf("SubmitAttempt = %+v, %v", done, err)
	}
	if err := answer("q3", 1); !errors.Is(err, ErrAttemptClosed) {
		t.Fatalf("answer after submit = %v; want ErrAttemptClosed", err)
	}
	if _, err := s.SubmitAttempt(ctx, a, pack, 3); !errors.Is(err, ErrAttemptClosed) {
		t.Fatalf("second submit = %v; want ErrAttemptClosed", err)
	}
	if again, _ := s.Attempt(ctx, a.ID); again.Score != 2 || again.Passed {
		t.Fatalf("submitted attempt changed: %+v", again)
	}
	if open, _ := s.OpenAttempt(ctx, l.ID, "p", "q"); open != nil {
		t.Fatalf("OpenAttempt after submit = %+v; want none", open)
	}
}

func TestRebuildMatchesLiveProjection(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	clock := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { clock = clock.Add(time.Second); return clock }
	l, _ := s.CreateLearner(ctx, ProfilePayload{FullName: "Phạm Văn Dũng"})
	s.SaveProfile(ctx, l.ID, ProfilePayload{FullName: "Phạm Văn Dũng", UnitPath: "Huế / Phường Thuận Hóa"})
	pack := PackRef{ID: "p", Version: "1", Hash: "h"}
	s.OpenLesson(ctx, l.ID, pack, "m", "l1")
	s.CompleteLesson(ctx, l.ID, pack, "m", "l1")
	a, _ := s.StartAttempt(ctx, l.ID, pack, "m", "q", 1, []string{"q1"}, 50)
	s.RecordAnswer(ctx, a, pack, "q1", AnsweredPayload{Answer: json.RawMessage(`{}`), Score: 1, MaxScore: 1})
	s.SubmitAttempt(ctx, a, pack, 1)

	snapshot := func() string {
		var b bytes.Buffer
		for _, q := range []string{
			`SELECT id, full_name, unit_path, updated_at FROM learners ORDER BY id`,
			`SELECT learner_id, lesson_id, opened_at, coalesce(completed_at, '') FROM lesson_progress ORDER BY lesson_id`,
			`SELECT id, coalesce(submitted_at, ''), coalesce(score, -1), coalesce(passed, -1) FROM attempts ORDER BY id`,
			`SELECT attempt_id, question_id, score, event_id FROM answers ORDER BY question_id`,
		} {
			rows, err := s.db.Query(q)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				rows.Scan(ptrs...)
				json.NewEncoder(&b).Encode(vals)
			}
			rows.Close()
		}
		return b.String()
	}
	live := snapshot()
	if err := s.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	if rebuilt := snapshot(); rebuilt != live {
		t.Fatalf("read model differs after Rebuild:\nlive:\n%s\nrebuilt:\n%s", live, rebuilt)
	}
	if got, _ := s.Learner(ctx, l.ID); got.UnitPath != "Huế / Phường Thuận Hóa" {
		t.Fatalf("newest profile did not win: %+v", got)
	}
}

// The resume point and the reading position are written without waiting for
// the disk (lazyExec); a close and a new open still find the last of each.
func TestLazyWritesSurviveClose(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	l, err := s.CreateLearner(ctx, ProfilePayload{FullName: "Phạm Thu Trang", UnitPath: "Huế / Phường A"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveResumePoint(ctx, l.ID, `{"screen":1}`); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveReadingPosition(ctx, l.ID, "p", "l1", 42); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveResumePoint(ctx, l.ID, `{"screen":2}`); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	place, err := s.ResumePoint(ctx, l.ID)
	if err != nil || place != `{"screen":2}` {
		t.Errorf("resume point after reopening: %q, %v; want the last one saved", place, err)
	}
	line, err := s.ReadingPosition(ctx, l.ID, "p", "l1")
	if err != nil || line != 42 {
		t.Errorf("reading position after reopening: %d, %v; want 42", line, err)
	}
}
