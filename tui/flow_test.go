package tui

import (
	"bytes"
	"io"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"hocso/store"
)

// These flows run the root model in a real Bubble Tea program (teatest), so
// the messages, commands and renderer are the ones a learner's terminal gets.

// waitFor reads the program's output until every text has appeared in it;
// what it read is consumed, so the next wait looks only at newer output.
func waitFor(t *testing.T, tm *teatest.TestModel, texts ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, text := range texts {
			if !bytes.Contains(b, []byte(text)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

func press(tm *teatest.TestModel, keys ...tea.KeyPressMsg) {
	for _, k := range keys {
		tm.Send(k)
	}
}

var (
	keyEnter = tea.KeyPressMsg{Code: tea.KeyEnter}
	keyDown  = tea.KeyPressMsg{Code: tea.KeyDown}
	keyUp    = tea.KeyPressMsg{Code: tea.KeyUp}
)

func letter(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Text: string(r)} }

func TestFlowProfileSwitching(t *testing.T) {
	h := newHarness(t, "vi", 80, 24)
	ctx, s := h.c.Ctx, h.c.Store
	an, _ := s.CreateLearner(ctx, store.ProfilePayload{FullName: "Lê Văn An", UnitPath: "Huế / Phường Thuận Hóa"})
	binh, _ := s.CreateLearner(ctx, store.ProfilePayload{FullName: "Trần Thị Bình", UnitPath: "Huế / Phường Phú Xuân"})
	s.SetPIN(ctx, an.ID, "1234")
	s.SetCurrentLearner(ctx, an.ID)

	tm := teatest.NewTestModel(t, New(h.c), teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "Ai đang học?")
	// Bình has no PIN: choosing her opens her dashboard at once.
	press(tm, keyDown, keyEnter)
	waitFor(t, tm, "Tiến độ chung", "Bình")

	// Back to the picker; An's profile asks for its PIN.
	press(tm, letter('u'))
	waitFor(t, tm, "Ai đang học?")
	press(tm, keyUp, keyEnter)
	waitFor(t, tm, "Nhập mã PIN")
	tm.Type("9999")
	press(tm, keyEnter)
	waitFor(t, tm, "không đúng")
	tm.Type("1234")
	press(tm, keyEnter)
	waitFor(t, tm, "Tiến độ chung", "Lê Văn An")
	press(tm, letter('q'))

	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	if final.c.Learner.ID != an.ID {
		t.Fatalf("learner after switching = %s; want An", final.c.Learner.FullName)
	}
	if cur, _ := s.CurrentLearner(ctx); cur != an.ID {
		t.Fatalf("current learner saved = %s; want An's id", cur)
	}
	_ = binh
}

func TestFlowLanguageSwitch(t *testing.T) {
	h := newLearnerHarness(t, "vi", 80, 24)
	tm := teatest.NewTestModel(t, New(h.c), teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "Tiến độ chung")
	press(tm, letter('L'))
	waitFor(t, tm, "Overall progress")
	// The settings screen switches it back.
	press(tm, letter('s'))
	waitFor(t, tm, "Settings", "Language")
	press(tm, keyEnter)
	waitFor(t, tm, "Cài đặt")
	press(tm, tea.KeyPressMsg{Code: tea.KeyEscape}, letter('q'))
	out, _ := io.ReadAll(tm.FinalOutput(t, teatest.WithFinalTimeout(5*time.Second)))
	_ = out
	if lang, _ := h.c.Store.Meta(h.c.Ctx, "lang"); lang != "vi" {
		t.Fatalf("saved language = %q; want vi", lang)
	}
	if h.c.Lang() != "vi" {
		t.Fatalf("UI language = %s", h.c.Lang())
	}
}
