package main

import (
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// probeModel quits on "q"; it reports each message it sees.
type probeModel struct{ seen chan<- tea.Msg }

func (m probeModel) Init() tea.Cmd { return nil }

func (m probeModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "q" {
		return m, tea.Quit
	}
	select {
	case m.seen <- msg:
	default:
	}
	return m, nil
}

func (m probeModel) View() tea.View { return tea.NewView("probe") }

// fast reports whether the pacer holds the ticker at the frame rate.
func (p *pacer) isFast() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.fast
}

// waitFor polls cond until it holds or a generous deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting until %s", what)
}

// TestPacerFindsTicker runs a real program and checks the pacer reaches
// Bubble Tea's frame ticker, slows it once nothing happens and brings the
// frame rate back on the next message. It fails when a Bubble Tea upgrade
// moves the ticker, which would bring back the idle wakeups.
func TestPacerFindsTicker(t *testing.T) {
	keys, send := io.Pipe()
	seen := make(chan tea.Msg, 16)
	pace := &pacer{}
	prog := tea.NewProgram(pacedModel{Model: probeModel{seen: seen}, pace: pace},
		tea.WithInput(keys), tea.WithOutput(io.Discard), tea.WithWindowSize(80, 24))
	pace.prog = prog
	done := make(chan error, 1)
	go func() { _, err := prog.Run(); done <- err }()
	defer func() {
		_, _ = io.Copy(send, strings.NewReader("q"))
		if err := <-done; err != nil {
			t.Errorf("program: %v", err)
		}
		pace.stop()
	}()

	waitFor(t, "the pacer looked for the ticker", func() bool {
		pace.mu.Lock()
		defer pace.mu.Unlock()
		return pace.looked
	})
	pace.mu.Lock()
	found := pace.ticker != nil
	pace.mu.Unlock()
	if !found {
		t.Fatal("tea.Program has no field ticker of type *time.Ticker any more: the pacer cannot slow the frame ticker (see pacer.go)")
	}
	waitFor(t, "the ticker is slowed while idle", func() bool { return !pace.isFast() })
	if _, err := send.Write([]byte("j")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the key reached the model", func() bool {
		for {
			select {
			case msg := <-seen:
				if _, ok := msg.(tea.KeyPressMsg); ok {
					return true
				}
			default:
				return false
			}
		}
	})
	// The pacer ran before the model saw the key, so the frame rate is back
	// (or already slowed again if the machine stalled for paceSettle).
	pace.mu.Lock()
	since := time.Since(pace.last)
	fast := pace.fast
	pace.mu.Unlock()
	if !fast && since < paceSettle {
		t.Error("a message did not bring the frame rate back")
	}
}

// TestDrawnBringsTheTickForward checks that a new view has the ticker fire
// at once (with a ticker of an hour, only the pacer can make it tick), and
// not twice within a frame interval.
func TestDrawnBringsTheTickForward(t *testing.T) {
	for _, fast := range []bool{true, false} {
		ticker := time.NewTicker(time.Hour)
		p := &pacer{looked: true, fast: fast, ticker: ticker}
		p.drawn()
		select {
		case <-p.ticker.C:
		case <-time.After(10 * time.Second):
			t.Fatalf("fast=%v: no tick after a new view", fast)
		}
		p.ticker.Reset(time.Hour)
		just := time.Now()
		p.pulled = just
		p.drawn()
		if !p.pulled.Equal(just) {
			t.Errorf("fast=%v: a second view within a frame interval brought the tick forward again", fast)
		}
		p.stop() // a recadence still to come leaves the stopped ticker alone
		ticker.Stop()
	}
}
