package tui

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"hocso/lessons"
	"hocso/locales"
	"hocso/store"
	"hocso/tui/common"
)

// updating reports whether -update was given. teatest's golden package
// defines the flag, so it is looked up rather than defined here.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func TestMain(m *testing.M) {
	time.Local = time.UTC // history rows show local times
	os.Exit(m.Run())
}

// harness drives the root model the way Bubble Tea would: every message goes
// through Update, and the commands it returns are run and their messages fed
// back, except timers, which are dropped. Screens do their store work in
// Update, so every command but a timer returns at once.
type harness struct {
	t *testing.T
	m *Model
	c *common.Common
}

func loadMini(t testing.TB) *lessons.Pack {
	t.Helper()
	p, problems := lessons.Load(os.DirFS("../lessons/testdata/mini"))
	if err := problems.Err(); err != nil {
		t.Fatal(err)
	}
	return p
}

func newHarness(t *testing.T, lang string, width, height int) *harness {
	t.Helper()
	return newStyledHarness(t, lang, width, height, false)
}

// newStyledHarness is newHarness with or without colour (as under NO_COLOR).
func newStyledHarness(t *testing.T, lang string, width, height int, noColor bool) *harness {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "hocso.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	clock := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { clock = clock.Add(time.Second); return clock }
	loc := locales.New(lang)
	c := &common.Common{
		Ctx: ctx, Loc: loc, Keys: common.NewKeyMap(loc), Store: s, Pack: loadMini(t),
		NewSeed: func() int64 { return 42 }, ThemeName: common.ThemeAuto, DarkBackground: true, NoColor: noColor,
		SteadyCursor: true,
	}
	c.ApplyTheme()
	h := &harness{t: t, m: New(c), c: c}
	h.run(h.m.Init())
	h.send(tea.WindowSizeMsg{Width: width, Height: height})
	return h
}

// newLearnerHarness starts the app for a learner who already has a profile,
// so tests that are not about the profile form skip typing it.
func newLearnerHarness(t *testing.T, lang string, width, height int) *harness {
	t.Helper()
	h := newHarness(t, lang, width, height)
	l, err := h.c.Store.CreateLearner(h.c.Ctx, store.ProfilePayload{
		FullName: "Nguyễn Thị Lan", StaffCode: "CB-0123", UnitPath: "Hà Nội / Phường Ba Đình / UBND phường"})
	if err != nil {
		t.Fatal(err)
	}
	h.c.Store.SetCurrentLearner(h.c.Ctx, l.ID)
	h.restart()
	return h
}

// restart builds a new root model on the same store, as a new process would.
func (h *harness) restart() {
	h.m = New(h.c)
	h.c.Learner = store.Learner{}
	h.run(h.m.Init())
	h.send(tea.WindowSizeMsg{Width: h.c.Width, Height: h.c.Height})
}

func (h *harness) send(msgs ...tea.Msg) {
	for _, msg := range msgs {
		_, cmd := h.m.Update(msg)
		h.run(cmd)
	}
}

func (h *harness) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(300 * time.Millisecond):
		// A timer (countdown, debounce; cursors do not blink here): the
		// shortest fires after 400 ms, while any other command returns at
		// once, even on a loaded machine.
		return
	}
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
	case tea.QuitMsg:
	default:
		h.send(msg)
	}
}

// keys sends key presses written as "enter", "esc", "down", "space", "ctrl+c"
// or plain text, which is typed one rune at a time.
func (h *harness) keys(keys ...string) {
	for _, k := range keys {
		switch k {
		case "enter":
			h.send(tea.KeyPressMsg{Code: tea.KeyEnter})
		case "esc":
			h.send(tea.KeyPressMsg{Code: tea.KeyEscape})
		case "down":
			h.send(tea.KeyPressMsg{Code: tea.KeyDown})
		case "up":
			h.send(tea.KeyPressMsg{Code: tea.KeyUp})
		case "left":
			h.send(tea.KeyPressMsg{Code: tea.KeyLeft})
		case "right":
			h.send(tea.KeyPressMsg{Code: tea.KeyRight})
		case "tab":
			h.send(tea.KeyPressMsg{Code: tea.KeyTab})
		case "space":
			h.send(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
		case "end":
			h.send(tea.KeyPressMsg{Code: tea.KeyEnd})
		default:
			for _, r := range k {
				h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
			}
		}
	}
}

func (h *harness) screen() string {
	return ansi.Strip(h.m.View().Content)
}

// rendered is the frame as the terminal gets it: full colour, or under
// NO_COLOR downsampled as Bubble Tea does (colours dropped, bold kept).
func (h *harness) rendered() string {
	content := h.m.View().Content
	if !h.c.NoColor {
		return content
	}
	var b strings.Builder
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.Ascii}
	w.WriteString(content)
	return b.String()
}

func (h *harness) contains(want ...string) {
	h.t.Helper()
	s := h.screen()
	for _, w := range want {
		if !strings.Contains(s, w) {
			h.t.Fatalf("screen lacks %q:\n%s", w, s)
		}
	}
}

// golden compares the frame with testdata/NAME.golden, checking it is
// exactly the terminal's size. Colour goldens keep the escape sequences;
// open them with `cat` in a terminal to see them as the learner does.
func (h *harness) golden(name string) {
	h.t.Helper()
	got := h.rendered()
	lines := strings.Split(ansi.Strip(got), "\n")
	if len(lines) != h.c.Height {
		h.t.Errorf("%s: %d lines; want %d", name, len(lines), h.c.Height)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > h.c.Width {
			h.t.Errorf("%s: line %d is %d cells wide (> %d): %q", name, i+1, w, h.c.Width, l)
		}
	}
	// the help bar fits by design: it never ends cut short
	if help := lines[len(lines)-1]; strings.HasSuffix(strings.TrimSpace(help), "…") {
		h.t.Errorf("%s: help bar cut: %q", name, help)
	}
	path := filepath.Join("testdata", name+".golden")
	if updating() {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			h.t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		h.t.Fatalf("%v (run go test ./tui/ -update to create it)", err)
	}
	if got != string(want) {
		h.t.Errorf("%s differs from %s:\n--- got\n%s\n--- want\n%s", name, path, got, want)
	}
}

func (h *harness) createProfile() {
	h.keys("Nguyễn Thị Lan", "enter", "CB-0123", "enter", "Hà Nội / Phường Ba Đình / UBND phường", "enter", "enter", "enter")
}
