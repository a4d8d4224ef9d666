package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTmuxAskedBesideStartUp runs hocso in tmux with a `tmux` of the test's
// own first on PATH: it answers `tmux info` (true colour) only once hocso
// has opened its database, or after 5 s, and notes which. Asked during
// lipgloss's package initialisation, before main (what
// cmd/hocso/internal/tmuxlater prevents), the question would wait the whole
// 5 s and be noted "before"; asked beside the start-up work, it is answered
// as soon as the database is open, and the answer still reaches the screen.
func TestTmuxAskedBesideStartUp(t *testing.T) {
	needEndToEnd(t)
	dir := t.TempDir()
	bin := buildBinary(t)
	db := filepath.Join(dir, "data", "hocso.db")
	log := filepath.Join(dir, "tmux-info.log")
	fake := filepath.Join(dir, "bin")
	if err := os.Mkdir(fake, 0o755); err != nil {
		t.Fatal(err)
	}
	script := fmt.Sprintf(`#!/bin/sh
[ "$1" = info ] || { echo "unexpected: tmux $*" >>%[2]q; exit 1; }
i=0
while [ ! -e %[1]q ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i+1)); done
if [ -e %[1]q ]; then echo after >>%[2]q; else echo before >>%[2]q; fi
echo "  48: Tc: (flag) true"
`, db+"-wal", log)
	if err := os.WriteFile(filepath.Join(fake, "tmux"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	// hocso through a wrapper that puts the fake first on PATH and clears
	// what would settle the colours without asking tmux; exec keeps the
	// pane's pid hocso's own.
	wrapper := filepath.Join(dir, "hocso")
	wrap := fmt.Sprintf("#!/bin/sh\nunset COLORTERM NO_COLOR CLICOLOR_FORCE\nPATH=%q:$PATH exec %q \"$@\"\n", fake, bin)
	if err := os.WriteFile(wrapper, []byte(wrap), 0o755); err != nil {
		t.Fatal(err)
	}
	s := startTmux(t, wrapper, db)
	s.createProfile("Trần Văn Nam", "CB-0456", "Huế / Phường Thuận Hóa / UBND phường")
	asked, err := os.ReadFile(log)
	if err != nil {
		t.Fatalf("hocso never ran tmux info: %v", err)
	}
	if got := strings.Fields(string(asked)); len(got) != 1 || got[0] != "after" {
		t.Fatalf("tmux was asked %q; want once, after the database was open (\"before\" means before main, during lipgloss's initialisation)", asked)
	}
	if screen := s.tmux("capture-pane", "-p", "-e", "-t", s.name); !strings.Contains(screen, "38;2;") {
		t.Fatalf("tmux said true colour, but the screen has no 24-bit colour:\n%q", screen)
	}
}
