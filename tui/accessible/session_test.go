package accessible

import (
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"hocso/lessons"
	"hocso/locales"
	"hocso/quiz"
	"hocso/store"
	"hocso/tui/common"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func loadMini(t testing.TB) *lessons.Pack {
	t.Helper()
	p, problems := lessons.Load(os.DirFS("../../lessons/testdata/mini"))
	if err := problems.Err(); err != nil {
		t.Fatal(err)
	}
	return p
}

// clock is the store's time in a test: a second passes at every reading, and
// a test may jump ahead.
type clock struct{ now time.Time }

func (k *clock) read() time.Time { k.now = k.now.Add(time.Second); return k.now }

// newCommon opens a fresh store on disk with the mini pack, as the TUI's
// test harness does, with the quiz seed fixed.
func newCommon(t *testing.T, lang string) (*common.Common, *clock) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "hocso.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	k := &clock{now: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)}
	s.Now = k.read
	loc := locales.New(lang)
	return &common.Common{
		Ctx: ctx, Loc: loc, Keys: common.NewKeyMap(loc), Store: s, Pack: loadMini(t),
		NewSeed: func() int64 { return 42 },
	}, k
}

// withLearner gives the device one learner, so tests not about the profile skip it.
func withLearner(t *testing.T, c *common.Common) store.Learner {
	t.Helper()
	l, err := c.Store.CreateLearner(c.Ctx, store.ProfilePayload{
		FullName: "Nguyễn Thị Lan", StaffCode: "CB-0123", UnitPath: "Hà Nội / Phường Ba Đình / UBND phường"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Store.SetCurrentLearner(c.Ctx, l.ID); err != nil {
		t.Fatal(err)
	}
	return l
}

// script is a learner at a terminal: it types one line each time the
// session reads, and the terminal echoes it into the transcript. before runs
// a hook just before the line with that index is typed.
type script struct {
	lines  []string
	echo   io.Writer
	cur    []byte
	typed  int
	before map[int]func()
}

func (s *script) Read(p []byte) (int, error) {
	if len(s.cur) == 0 {
		if len(s.lines) == 0 {
			return 0, io.EOF
		}
		if f := s.before[s.typed]; f != nil {
			f()
		}
		s.cur = []byte(s.lines[0] + "\n")
		s.lines, s.typed = s.lines[1:], s.typed+1
		s.echo.Write(s.cur)
	}
	n := copy(p, s.cur)
	s.cur = s.cur[n:]
	return n, nil
}

// transcript runs the accessible mode with typed lines until they run out and
// returns the transcript, which must be plain text.
func transcript(t *testing.T, c *common.Common, lines ...string) string {
	t.Helper()
	return transcriptWith(t, c, nil, lines...)
}

func transcriptWith(t *testing.T, c *common.Common, before map[int]func(), lines ...string) string {
	t.Helper()
	var out bytes.Buffer
	if err := Run(c, &script{lines: lines, echo: &out, before: before}, &out); err != nil {
		t.Fatalf("Run: %v\n%s", err, out.String())
	}
	got := out.String()
	assertPlain(t, got)
	return got
}

// assertPlain fails on anything but printable text and newlines: escape
// sequences, other control characters, box drawing and block elements.
func assertPlain(t *testing.T, s string) {
	t.Helper()
	for i, r := range s {
		switch {
		case r == '\n':
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			t.Fatalf("control character %U at byte %d:\n%s", r, i, s)
		case r >= 0x2500 && r <= 0x259f:
			t.Fatalf("box-drawing or block character %q at byte %d:\n%s", r, i, s)
		}
	}
}

// continued is the line break and indent before the rest of a wrapped list line.
var continued = regexp.MustCompile(`\n {2,}`)

// contains looks for each string in the transcript, with wrapped list lines
// joined back.
func contains(t *testing.T, got string, want ...string) {
	t.Helper()
	joined := continued.ReplaceAllString(got, " ")
	for _, w := range want {
		if !strings.Contains(joined, w) {
			t.Fatalf("transcript lacks %q:\n%s", w, got)
		}
	}
}

func TestProfileValidatedThenSaved(t *testing.T) {
	c, _ := newCommon(t, "vi")
	got := transcript(t, c,
		"A", "  Nguyễn   Văn  An ", // a name needs two letters
		"CB 01", "", // a staff code has no spaces; it may be left out
		"", "Huế/ Phường Thuận Hóa /", // the unit is required
		"12", "", // a PIN has 4 to 8 digits; it may be left out
	)
	contains(t, got,
		"Tạo hồ sơ học viên",
		"Họ và tên: A\nXin nhập họ và tên (ít nhất 2 ký tự, có chữ cái).\nHọ và tên:",
		"Mã cán bộ chỉ gồm chữ cái không dấu",
		"Xin nhập đơn vị công tác",
		"Mã PIN gồm 4 đến 8 chữ số.",
		"Đã lưu hồ sơ. Chào mừng đồng chí Nguyễn Văn An.",
		"Gói bài học: Gói thử nghiệm\n1. Những điều cơ bản",
	)
	ls, err := c.Store.Learners(c.Ctx)
	if err != nil || len(ls) != 1 {
		t.Fatalf("learners = %v, %v", ls, err)
	}
	if l := ls[0]; l.FullName != "Nguyễn Văn An" || l.StaffCode != "" || l.UnitPath != "Huế / Phường Thuận Hóa" {
		t.Fatalf("profile saved as %+v", l)
	}
	if cur, _ := c.Store.CurrentLearner(c.Ctx); cur != ls[0].ID {
		t.Fatalf("current learner = %q", cur)
	}
	if has, _ := c.Store.HasPIN(c.Ctx, ls[0].ID); has {
		t.Fatal("a PIN was set though none was given")
	}
}

// On a shared PC the learner picks their profile, and a PIN guards it just
// as in the TUI, lockout included.
func TestPickerAsksPIN(t *testing.T) {
	c, _ := newCommon(t, "vi")
	withLearner(t, c)
	other, err := c.Store.CreateLearner(c.Ctx, store.ProfilePayload{FullName: "Trần Văn Bình", UnitPath: "Huế"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Store.SetPIN(c.Ctx, other.ID, "1234"); err != nil {
		t.Fatal(err)
	}
	got := transcript(t, c, "2", "0000", "1234")
	contains(t, got,
		"Ai đang học?",
		"2. Trần Văn Bình (Huế, có mã PIN)",
		"3. Tạo hồ sơ mới",
		"Mã PIN không đúng. Xin thử lại.",
		"Xin chào đồng chí Trần Văn Bình.",
	)
	if cur, _ := c.Store.CurrentLearner(c.Ctx); cur != other.ID {
		t.Fatalf("current learner = %q; want %q", cur, other.ID)
	}

	// five wrong PINs lock the profile for a while, even to the right PIN
	c.Learner = store.Learner{}
	got = transcript(t, c, "2", "1", "2", "3", "4", "5", "1234")
	if n := strings.Count(got, "Nhập sai quá nhiều lần"); n != 2 {
		t.Fatalf("lockout said %d times; want 2:\n%s", n, got)
	}
	if strings.Contains(got, "Xin chào đồng chí Trần Văn Bình") {
		t.Fatalf("profile opened while locked:\n%s", got)
	}
}

func TestLanguageSwitchIsSaved(t *testing.T) {
	c, _ := newCommon(t, "vi")
	withLearner(t, c)
	got := transcript(t, c, "4", "1")
	contains(t, got, "4. English: chuyển giao diện sang tiếng Anh", "The interface is now in English.", "Lesson pack: Test pack",
		"1. The basics (0/2 lessons, quiz not taken, Not started)", "Module: The basics")
	if lang, _ := c.Store.Meta(c.Ctx, "lang"); lang != "en" {
		t.Fatalf("saved language = %q", lang)
	}
}

// The menus say each module's progress in words.
func TestMenuSaysProgress(t *testing.T) {
	c, _ := newCommon(t, "vi")
	withLearner(t, c)
	got := transcript(t, c, "1", "1", "")
	contains(t, got,
		"1. Những điều cơ bản (0/2 bài, chưa làm bài kiểm tra, Chưa bắt đầu)",
		"2. Luyện tập ghép cặp và sắp xếp (chưa làm bài kiểm tra, Chưa bắt đầu)",
		"3. Học tiếp: bài “Mở đầu” của học phần “Những điều cơ bản”",
		"1. Mở đầu (3 phút, chưa đọc)",
		"3. Bài kiểm tra “Kiểm tra: Những điều cơ bản” (5 câu hỏi, đạt từ 60%, chưa làm bài kiểm tra)",
		"1. Mở đầu (3 phút, đã đọc xong)",
	)
	c.Learner = store.Learner{}
	got = transcript(t, c, "6") // back from the module where the last session ended
	contains(t, got, "1. Những điều cơ bản (1/2 bài, chưa làm bài kiểm tra, Đang học)",
		"3. Học tiếp: bài “Một bài dài” của học phần “Những điều cơ bản”")
}

// Every installed pack is listed, numbered on; an unsigned one says so, and
// what is done in a pack's module counts in that pack.
func TestSeveralPacks(t *testing.T) {
	c, _ := newCommon(t, "vi")
	withLearner(t, c)
	other := *c.Pack
	other.ID, other.Title = "test.other", quiz.Text{"vi": "Gói khác", "en": "Other pack"}
	c.Packs = []common.PackEntry{{Pack: c.Pack, Builtin: true}, {Pack: &other}}
	got := transcript(t, c, "3", "1", "")
	contains(t, got,
		"Tiến độ chung: 0%.\nGói bài học: Gói thử nghiệm\n1. Những điều cơ bản",
		"Gói bài học: Gói khác (chưa được ký, hãy hỏi người phụ trách đào tạo)\n3. Những điều cơ bản",
		"Lựa chọn khác\n5. Học tiếp: bài “Mở đầu”",
		"1. Mở đầu (3 phút, đã đọc xong)",
	)
	for pack, want := range map[string]bool{"test.other": true, "test.mini": false} {
		done, _ := c.Store.Lessons(c.Ctx, c.Learner.ID, pack)
		if read := done["co-ban-mo-dau"].CompletedAt != nil; read != want {
			t.Errorf("lesson read in %s: %v; want %v", pack, read, want)
		}
	}
	if raw, _ := c.Store.ResumePoint(c.Ctx, c.Learner.ID); !strings.Contains(raw, `"pack_id":"test.other"`) {
		t.Errorf("resume point %s does not name the pack", raw)
	}
}

// EOF and a cancelled context both end the session cleanly.
func TestCancelEndsSession(t *testing.T) {
	c, _ := newCommon(t, "vi")
	withLearner(t, c)
	ctx, cancel := context.WithCancel(context.Background())
	c.Ctx = ctx
	r, w := io.Pipe()
	defer w.Close()
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- Run(c, r, &out) }()
	if _, err := io.WriteString(w, "1\n"); err != nil { // the session has read it once Write returns
		t.Fatal(err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not end when the context was cancelled")
	}
	got := out.String()
	assertPlain(t, got)
	if !strings.HasSuffix(got, "\nĐã thoát hocso. Mọi kết quả học tập đều đã được lưu.\n") {
		t.Fatalf("no goodbye after cancel:\n%s", got)
	}
	if strings.Contains(got, "Có lỗi") {
		t.Fatalf("cancel reported as an error:\n%s", got)
	}
}

// TestTranscript compares a whole first session — profile, a lesson, both
// quizzes — with testdata/session.LANG.golden.
func TestTranscript(t *testing.T) {
	for _, lang := range []string{"vi", "en"} {
		t.Run(lang, func(t *testing.T) {
			c, _ := newCommon(t, lang)
			yes := "c"
			if lang == "en" {
				yes = "y"
			}
			match, order := practiceAnswers(t, c)
			lines := []string{
				"A", "Nguyễn Thị Lan", "CB-0123", "Hà Nội / Phường Ba Đình / UBND phường", "",
				"1", "1", "", // module 1, its first lesson, back at the end
				"3", "1", "1", "1", "1 3", "VNeID", "4,4", yes, // the quiz: start, answers, submitted
				"", "6", "2", "1", "1", // the review heard to its end; the practice module's quiz
			}
			lines = append(lines, match...)
			lines = append(lines, "", order, "", yes, "4", "6")
			golden(t, "session."+lang, transcript(t, c, lines...))
		})
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui/accessible/ -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s:\n--- got\n%s\n--- want\n%s", name, path, got, want)
	}
}
