package tui

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"hocso/lessons"
	"hocso/quiz"
	"hocso/store"
	"hocso/tui/common"
)

// TestScreens walks the learner's path through the mini pack and compares
// every screen with its golden file: in Vietnamese and English, at 80×24 and
// 120×40, with colour and without (NO_COLOR).
func TestScreens(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"vi", "en"} {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			for _, noColor := range []bool{true, false} {
				name := fmt.Sprintf("%s.%dx%d", lang, size[0], size[1])
				if !noColor {
					name += ".color"
				}
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					walkScreens(newStyledHarness(t, lang, size[0], size[1], noColor), name)
				})
			}
		}
	}
}

func walkScreens(h *harness, suffix string) {
	g := func(name string) { h.golden(name + "." + suffix) }

	g("profile")
	h.keys("enter", "enter", "enter", "enter", "enter")
	g("profile_invalid")
	// the focus is back on the first field with a problem: the name
	h.createProfile()
	g("dashboard")

	h.keys("?")
	g("help_dashboard")
	h.keys("?")

	h.keys("enter")
	g("module")
	h.keys("down", "enter")
	g("reader")
	h.keys("end")
	g("reader_end")
	h.keys("t")
	g("glossary")
	h.keys("esc")

	h.keys("n") // past the last lesson: the quiz's start screen
	g("quiz_intro")
	h.keys("enter")
	g("quiz_single")
	h.keys("enter") // nothing chosen: nothing saved, and the screen says so
	g("quiz_nothing_chosen")
	h.keys("1", "enter")
	g("quiz_truefalse")
	h.keys("1", "enter")
	h.keys("1", "3")
	g("quiz_multiple")
	h.keys("enter", "vneid")
	g("quiz_short")
	h.keys("enter", "4,4")
	g("quiz_numeric")
	h.keys("enter")
	g("quiz_confirm")
	h.keys("q")
	g("quit_confirm")
	h.keys("n", "s")
	g("result")

	h.keys("esc")
	g("quiz_intro_after")
	h.keys("esc", "esc", "down", "enter")
	g("module_practice")
	h.keys("enter", "enter")
	g("quiz_matching")
	h.keys("2", "3", "1", "enter")
	g("feedback")
	h.keys("enter")
	g("quiz_ordering")

	h.keys("esc", "esc", "esc", "s")
	g("settings")
	h.keys("down", "enter")
	g("settings_theme")
	h.keys("esc", "u")
	g("learners")
	h.keys("e")
	g("profile_edit")
}

// Without colour the focus still shows (a marker and the cursor), and an
// example never sits in a box where it would read as typed text.
func TestFocusVisibleWithoutColour(t *testing.T) {
	t.Parallel()
	h := newStyledHarness(t, "vi", 80, 24, true)
	lines := strings.Split(ansi.Strip(h.rendered()), "\n")
	var focused, box string
	for i, l := range lines {
		if strings.HasPrefix(l, "› Họ và tên") {
			focused, box = l, lines[i+1]
		}
		if strings.HasPrefix(l, "› Mã cán bộ") {
			t.Fatalf("two fields marked as focused:\n%s", strings.Join(lines, "\n"))
		}
	}
	if focused == "" || !strings.HasPrefix(box, "›") || strings.Contains(box, "Ví dụ") {
		t.Fatalf("focused field %q, box %q", focused, box)
	}
	if !strings.Contains(h.rendered(), "\x1b[7m") {
		t.Fatal("no reverse-video cursor without colour")
	}
}

func TestTooSmall(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "vi", 60, 20)
	h.contains("60×20", "80×24")
}

// Quitting in the middle of a quiz and starting again resumes the same
// attempt at the first unanswered question, with the answers kept.
func TestQuizResumesAfterRestart(t *testing.T) {
	t.Parallel()
	h := newLearnerHarness(t, "vi", 80, 24)
	h.keys("enter", "down", "down", "enter", "enter") // module → the quiz → start
	h.contains("Câu 1/5")
	h.keys("1", "enter", "1", "enter") // two answers
	h.contains("Câu 3/5", "đã trả lời 2/5")

	h.restart()
	h.contains("Câu 3/5", "đã trả lời 2/5")

	attempt, err := h.c.Store.OpenAttempt(h.c.Ctx, h.c.Learner.ID, "test.mini", "co-ban-quiz")
	if err != nil || attempt == nil {
		t.Fatalf("open attempt = %v, %v", attempt, err)
	}
	answers, _ := h.c.Store.Answers(h.c.Ctx, attempt.ID)
	if len(answers) != 2 || answers["cb-q1"].Score != 1 {
		t.Fatalf("answers after restart = %+v", answers)
	}
	var a quiz.Answer
	json.Unmarshal(answers["cb-q2"].Answer, &a)
	if a.Bool == nil || !*a.Bool {
		t.Fatalf("true/false answer stored as %s", answers["cb-q2"].Answer)
	}
}

func TestReaderKeepsPositionAndCompletes(t *testing.T) {
	t.Parallel()
	h := newLearnerHarness(t, "vi", 80, 24)
	h.keys("enter", "down", "enter")
	h.contains("Một bài dài", "Dòng 18/")
	h.keys("space")
	h.contains("Dòng 36/")
	h.keys("esc")
	h.keys("enter") // the cursor is still on the long lesson
	h.contains("Dòng 36/")
	if strings.Contains(h.screen(), "Đã đọc xong") {
		t.Fatal("lesson marked read before its end was shown")
	}
	h.keys("end")
	h.contains("Đã đọc xong")
	done, _ := h.c.Store.Lessons(h.c.Ctx, h.c.Learner.ID, "test.mini")
	if st := done["co-ban-dai"]; st.CompletedAt == nil {
		t.Fatalf("lesson not completed in the store: %+v", st)
	}
}

func TestLanguageSwitchesLive(t *testing.T) {
	t.Parallel()
	h := newLearnerHarness(t, "vi", 80, 24)
	h.contains("Tiến độ chung", "Những điều cơ bản")
	h.keys("L")
	h.contains("Overall progress", "The basics", " EN")
	h.keys("enter", "enter")
	h.contains("Introduction")
	h.keys("L")
	h.contains("Mở đầu")
	if lang, _ := h.c.Store.Meta(h.c.Ctx, "lang"); lang != "vi" {
		t.Fatalf("saved language = %q", lang)
	}
}

func TestProfileIsSaved(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "vi", 80, 24)
	h.keys("  Nguyễn   Văn  An ", "enter", "", "enter", "Huế/ Phường Thuận Hóa /", "enter", "enter", "enter")
	ls, err := h.c.Store.Learners(h.c.Ctx)
	if err != nil || len(ls) != 1 {
		t.Fatalf("learners = %v, %v", ls, err)
	}
	if ls[0].FullName != "Nguyễn Văn An" || ls[0].UnitPath != "Huế / Phường Thuận Hóa" {
		t.Fatalf("profile saved as %+v", ls[0])
	}
	if cur, _ := h.c.Store.CurrentLearner(h.c.Ctx); cur != ls[0].ID {
		t.Fatalf("current learner = %q", cur)
	}
}

// Several installed packs: each listed with its modules, an unsigned one
// marked in words, the list scrolled to the selection, and the open module's
// pack remembered across a restart.
func TestDashboardSeveralPacks(t *testing.T) {
	t.Parallel()
	h := newLearnerHarness(t, "vi", 80, 24)
	second := loadMini(t)
	second.ID = "test.second"
	second.Title = quiz.Text{"vi": "Gói thứ hai", "en": "Second pack"}
	builtin, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	h.c.Packs = []common.PackEntry{
		{Pack: h.c.Pack, Builtin: true, Trusted: true},
		{Pack: second},
		{Pack: builtin, Trusted: true, Signer: "RWQ-test"},
	}
	h.restart()
	h.contains("Gói thử nghiệm", "Gói thứ hai", "⚠ chưa được ký")
	for i := 0; i < 6; i++ {
		h.keys("down")
	}
	h.contains("Cách mạng công nghiệp lần thứ tư", "› 3. Văn bản triển khai")
	if strings.Contains(h.screen(), "Gói thử nghiệm") {
		t.Fatalf("the list did not scroll to the selection:\n%s", h.screen())
	}
	// scrolled: the first row is the title of the pack below it, never half a module
	for i := 0; i < 3; i++ {
		lines := strings.Split(h.screen(), "\n")
		if !strings.HasPrefix(lines[4], "Gói thứ hai") && !strings.HasPrefix(lines[4], builtin.Title.In("vi")) ||
			strings.HasPrefix(lines[5], "    ") {
			t.Fatalf("pack title not kept on top while scrolled:\n%s", h.screen())
		}
		h.keys("down")
	}
	h.keys("up", "up", "up")
	h.keys("enter")
	h.contains("Văn bản triển khai")
	if h.c.Pack.ID != builtin.ID {
		t.Fatalf("open pack = %s; want %s", h.c.Pack.ID, builtin.ID)
	}
	h.restart()
	h.contains("Văn bản triển khai", "Nghị quyết 50/NQ-CP")
	if h.c.Pack.ID != builtin.ID {
		t.Fatalf("after restart the open pack = %s", h.c.Pack.ID)
	}
	h.keys("esc")
	h.contains("› 3. Văn bản triển khai")
}

// A resume point naming what an upgraded pack no longer has opens the
// dashboard instead of failing.
func TestResumePointOfRemovedContent(t *testing.T) {
	t.Parallel()
	for _, place := range []string{
		`{"screen":"reader","pack_id":"test.mini","module_id":"co-ban","lesson_id":"gone"}`,
		`{"screen":"quiz","pack_id":"test.mini","module_id":"gone"}`,
		`{"screen":"result","pack_id":"gone","module_id":"co-ban","attempt_id":"x"}`,
		`{"screen":"reader"}`,
		`not json`,
	} {
		h := newLearnerHarness(t, "vi", 80, 24)
		h.c.Store.SaveResumePoint(h.c.Ctx, h.c.Learner.ID, place)
		h.restart()
		h.contains("Tiến độ chung")
	}
	h := newLearnerHarness(t, "vi", 80, 24)
	h.c.Pack.Modules[0].Quiz = nil // the quiz was removed in an upgrade
	h.c.Store.SaveResumePoint(h.c.Ctx, h.c.Learner.ID, `{"screen":"quiz","pack_id":"test.mini","module_id":"co-ban"}`)
	h.restart()
	h.contains("Tiến độ chung")
}

// An optional module is marked on the dashboard and its screen, and
// "continue" passes over it to the next required module.
func TestOptionalModuleMarkedAndSkipped(t *testing.T) {
	t.Parallel()
	h := newLearnerHarness(t, "vi", 80, 24)
	no := false
	h.c.Pack.Modules[0].Required = &no
	h.restart()
	h.contains("1. Những điều cơ bản · Tự chọn", "2. Luyện tập ghép cặp và sắp xếp")
	if strings.Contains(h.screen(), "sắp xếp · Tự chọn") {
		t.Fatalf("the required module is marked optional:\n%s", h.screen())
	}
	h.keys("enter")
	h.contains("Học phần tự chọn: không tính vào việc hoàn thành khóa học.")
	h.keys("esc", "c") // the practice quiz's start screen, then its first question
	h.contains("Quy định", "Bắt đầu làm bài")
	h.keys("enter")
	h.contains("Ghép văn bản với ngày ban hành.")
}

// TestErrorWrapsToTheEnd: an error ends with what to do, and at 80 columns
// it is wrapped, not cut, while the frame keeps the terminal's height.
func TestErrorWrapsToTheEnd(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "vi", 80, 24)
	h.createProfile()
	h.send(common.ErrMsg{Err: fmt.Errorf("write: %w", store.ErrDiskFull)})
	h.contains("CHƯA được lưu", "(kiểm tra bằng hocso doctor)", "làm lại.")
	if lines := strings.Split(h.screen(), "\n"); len(lines) > 24 {
		t.Errorf("the frame has %d lines at 80×24:\n%s", len(lines), h.screen())
	}
}
