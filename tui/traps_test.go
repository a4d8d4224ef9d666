package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"hocso/store"
)

// The traps of issue 13, each driven as a learner would: none may come back.

// openAttempt is the learner's open attempt at the basics quiz, or nil.
func openAttempt(t *testing.T, h *harness) *store.Attempt {
	t.Helper()
	a, err := h.c.Store.OpenAttempt(h.c.Ctx, h.c.Learner.ID, "test.mini", "co-ban-quiz")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// In a short-answer box ←/→, Tab, ? and Esc still work, q is typed into the
// answer rather than quitting, and what was typed is saved on moving on.
func TestTextBoxNeverTraps(t *testing.T) {
	h := newLearnerHarness(t, "vi", 80, 24)
	h.keys("enter", "down", "down", "enter", "enter", "tab", "tab", "tab")
	h.contains("Câu 4/5", "Trả lời ngắn")
	h.keys("quy")
	h.contains("› quy")
	if h.m.confirmQuit {
		t.Fatal("q in an answer asked to quit")
	}
	h.keys("?")
	h.contains("Các phím dùng trên màn hình này")
	h.keys("?", "left")
	h.contains("Câu 3/5")
	// What was typed is kept when the learner moves on without Enter.
	a := openAttempt(t, h)
	if a == nil {
		t.Fatal("moving on from a typed answer lost it: no attempt was recorded")
	}
	h.keys("right")
	h.contains("Câu 4/5", "› quy")
	h.keys("esc")
	h.contains("Quy định")
	h.keys("q")
	if h.m.confirmQuit {
		t.Fatal("the start screen asked to confirm quitting: no attempt is on screen")
	}
}

// Enter with nothing chosen saves nothing, and merely looking at a quiz
// leaves no open attempt.
func TestNothingRecordedUntilChosen(t *testing.T) {
	h := newLearnerHarness(t, "vi", 80, 24)
	h.keys("enter", "down", "down", "enter")
	h.contains("Quy định", "Bắt đầu làm bài")
	h.keys("enter")
	h.contains("Câu 1/5")
	h.keys("enter")
	h.contains("Câu 1/5", "Chưa chọn phương án nào")
	h.keys("down", "enter") // moving the highlight is not choosing
	h.contains("Câu 1/5")
	if a := openAttempt(t, h); a != nil {
		t.Fatalf("an attempt was recorded with nothing chosen: %+v", a)
	}
	h.keys("esc", "esc")
	if a := openAttempt(t, h); a != nil {
		t.Fatalf("looking at the quiz left an open attempt: %+v", a)
	}
}

// Submitting lists the unanswered questions and jumps to one; one Enter
// never submits a quiz with questions left.
func TestSubmitListsUnanswered(t *testing.T) {
	h := newLearnerHarness(t, "vi", 80, 24)
	h.keys("enter", "down", "down", "enter", "enter")
	h.keys("1", "enter") // question 1 answered
	h.keys("right", "right", "right", "right")
	h.contains("Còn 4/5 câu chưa trả lời", "Câu 2/5", "Câu 5/5")
	h.keys("enter")
	h.contains("Câu 2/5 · Đúng hay sai")
	if a := openAttempt(t, h); a == nil || a.SubmittedAt != nil {
		t.Fatalf("attempt after Enter on the confirmation = %+v; want open", a)
	}
	h.keys("right", "right", "right", "right", "s")
	h.contains("kết quả")
}

// Opening a passed quiz shows its start screen, never a new attempt, and
// any past attempt can be reviewed from there.
func TestPassedQuizOpensStartScreen(t *testing.T) {
	h := newLearnerHarness(t, "vi", 80, 24)
	h.keys("enter", "down", "down", "enter", "enter")
	h.keys("1", "enter", "1", "enter", "1", "3", "enter", "vneid", "enter", "4,4", "enter", "s")
	h.contains("Đạt")
	h.keys("esc", "esc") // the start screen, then the module
	h.contains("Đạt")
	if strings.Contains(h.screen(), "đang làm dở") {
		t.Fatalf("module shows an open attempt after passing:\n%s", h.screen())
	}
	h.keys("enter")
	h.contains("Bắt đầu lượt 2", "Xem lại lượt trước")
	if a := openAttempt(t, h); a != nil {
		t.Fatalf("opening a passed quiz started attempt %s", a.ID)
	}
	h.keys("down", "enter")
	h.contains("kết quả", "Câu trả lời của đồng chí")
}

// A lesson the window shows whole, or shows whole once enlarged, is read.
func TestLessonReadWhenItFits(t *testing.T) {
	h := newLearnerHarness(t, "vi", 80, 24)
	h.keys("enter", "down", "enter") // the long lesson
	h.contains("Dòng 18/")
	if strings.Contains(h.screen(), "Đã đọc xong") {
		t.Fatal("long lesson marked read at once")
	}
	h.send(tea.WindowSizeMsg{Width: 200, Height: 200})
	h.contains("100%", "Đã đọc xong")
	done, _ := h.c.Store.Lessons(h.c.Ctx, h.c.Learner.ID, "test.mini")
	if st, ok := done["co-ban-dai"]; !ok || st.CompletedAt == nil {
		t.Fatalf("lesson state after enlarging = %+v", done)
	}
}

// After five wrong PINs the field is cleared and locked; once the wait is
// over the right PIN opens the profile.
func TestPINLockoutThenRightPIN(t *testing.T) {
	h := newHarness(t, "vi", 80, 24)
	ctx, s := h.c.Ctx, h.c.Store
	an, _ := s.CreateLearner(ctx, store.ProfilePayload{FullName: "Lê Văn An", UnitPath: "Huế / Phường Thuận Hóa"})
	s.SetPIN(ctx, an.ID, "1234")
	clock := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return clock }
	h.restart()
	h.keys("enter")
	for range 5 {
		h.keys("9999", "enter")
	}
	h.contains("Nhập sai quá nhiều lần")
	h.keys("1234")
	if strings.Contains(h.screen(), "••••") {
		t.Fatalf("typing taken while locked:\n%s", h.screen())
	}
	clock = clock.Add(31 * time.Second)
	h.keys("1234", "enter")
	h.contains("Tiến độ chung", "Lê Văn An")
}

// A PIN takes digits only and is typed twice; a profile can be removed from
// the picker, its events kept.
func TestPINTwiceAndRemoveProfile(t *testing.T) {
	h := newHarness(t, "vi", 80, 24)
	h.keys("Nguyễn Thị Lan", "enter", "", "enter", "Hà Nội / Phường Ba Đình", "enter")
	h.keys("12ab34", "enter")
	h.contains("chỉ gồm chữ số")
	h.keys("1235", "enter", "enter")
	h.contains("không khớp")
	if ls, _ := h.c.Store.Learners(h.c.Ctx); len(ls) != 0 {
		t.Fatalf("profile saved with mismatched PINs: %+v", ls)
	}
	h.keys("1234", "enter") // the focus is on the box to type again
	h.contains("Tiến độ chung")
	id := h.c.Learner.ID
	if has, _ := h.c.Store.HasPIN(h.c.Ctx, id); !has {
		t.Fatal("PIN not saved")
	}
	h.keys("u", "x", "1234", "enter")
	h.contains("Xóa hồ sơ Nguyễn Thị Lan")
	h.keys("c")
	if strings.Contains(h.screen(), "Nguyễn Thị Lan") {
		t.Fatalf("removed profile still listed:\n%s", h.screen())
	}
	if evs, _ := h.c.Store.Events(h.c.Ctx, id); len(evs) == 0 {
		t.Fatal("events of the removed profile are gone")
	}
}

// The reader's position and percentage agree: line 18 of 95 is 19%, not 0%.
func TestReaderPositionAgrees(t *testing.T) {
	h := newLearnerHarness(t, "vi", 80, 24)
	h.keys("enter", "down", "enter")
	h.contains("Dòng 18/95 · 19%")
	h.keys("end")
	h.contains("Dòng 95/95 · 100%")
}

// The sources are one key away from the reader and from a question's
// feedback; the sources a text cites come first.
func TestSourcesReachable(t *testing.T) {
	h := newLearnerHarness(t, "vi", 80, 24)
	h.keys("enter", "enter", "o")
	h.contains("Nguồn tài liệu", "S1", "Nguồn thử nghiệm", "https://example.org/s1")
	h.keys("esc")
	h.contains("Mở đầu")
	h.keys("esc", "esc", "down", "enter", "enter", "enter", "2", "3", "1", "enter") // practice quiz feedback
	h.contains("Đáp án đúng", "o nguồn")
	h.keys("o")
	h.contains("Nguồn tài liệu")
	h.keys("esc") // back in the attempt, at the next question: the answer is saved
	h.contains("Câu 2/2", "đã trả lời 1/2")
}

// The glossary searches with or without diacritics, and says when nothing matches.
func TestGlossarySearch(t *testing.T) {
	h := newLearnerHarness(t, "vi", 80, 24)
	h.keys("enter", "enter", "t", "/", "chuyen doi")
	h.contains("Chuyển đổi số", "Digital transformation")
	h.keys("esc", "/", "blockchain")
	h.contains("Không có thuật ngữ nào khớp với “blockchain”")
	h.keys("esc", "esc")
	h.contains("Mở đầu")
}
