package tui

import (
	"bytes"
	"errors"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// panicky is the app with a defect: a key that panics inside Update.
type panicky struct{ *Model }

func (p panicky) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "ctrl+x" {
		panic("a defect in a screen")
	}
	_, cmd := p.Model.Update(msg)
	return p, cmd
}

// A panic anywhere in the model must leave the learner's terminal usable:
// out of the alternate screen, cursor shown. Bubble Tea does this as long as
// panics are caught (the program is never built WithoutCatchPanics).
func TestTerminalRestoredAfterPanic(t *testing.T) {
	h := newLearnerHarness(t, "vi", 80, 24)
	var out bytes.Buffer
	p := tea.NewProgram(panicky{New(h.c)}, tea.WithInput(nil), tea.WithOutput(&out), tea.WithWindowSize(80, 24))
	go func() {
		time.Sleep(200 * time.Millisecond)
		p.Send(tea.KeyPressMsg{Code: 'x', Mod: tea.ModCtrl})
	}()
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, tea.ErrProgramPanic) {
			t.Fatalf("Run = %v; want ErrProgramPanic", err)
		}
	case <-time.After(10 * time.Second):
		p.Kill()
		t.Fatal("the program did not stop after the panic")
	}
	for name, seq := range map[string]string{"leave the alternate screen": "\x1b[?1049l", "show the cursor": "\x1b[?25h"} {
		if !bytes.Contains(out.Bytes(), []byte(seq)) {
			t.Errorf("after the panic the program did not %s (%q)", name, seq)
		}
	}
	if !bytes.Contains(out.Bytes(), []byte("Tiến độ chung")) {
		t.Error("the dashboard was never drawn: the test did not reach the panic the way a learner would")
	}
}
