package common

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// Document symbols never break, whatever the width; nothing is cut.
func TestWrapKeepsSymbolsWhole(t *testing.T) {
	symbols := []string{"52-NQ/TW", "749/QĐ-TTg", "13/2023/NĐ-CP", "942/QĐ-TTg"}
	text := "Theo Nghị quyết 52-NQ/TW và Quyết định 749/QĐ-TTg, cùng Nghị định 13/2023/NĐ-CP và Quyết định 942/QĐ-TTg của Thủ tướng."
	for width := 16; width <= 80; width++ { // the longest symbol with its comma fits in 16
		got := Wrap(text, width)
		if strings.Join(strings.Fields(got), " ") != text {
			t.Fatalf("width %d: words changed:\n%s", width, got)
		}
		for _, line := range strings.Split(got, "\n") {
			if w := ansi.StringWidth(line); w > width {
				t.Fatalf("width %d: line %q is %d wide", width, line, w)
			}
		}
		for _, sym := range symbols {
			if !strings.Contains(got, sym) {
				t.Fatalf("width %d: %s broken:\n%s", width, sym, got)
			}
		}
	}
}

func TestHangIndentsFollowingLines(t *testing.T) {
	got := Hang("  a. ", "Chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030 (Quyết định 749/QĐ-TTg)", 40)
	lines := strings.Split(got, "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "  a. ") {
		t.Fatalf("Hang = %q", got)
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "     ") || strings.HasPrefix(l, "      ") {
			t.Fatalf("following line %q not under the text", l)
		}
	}
	if !strings.Contains(got, "749/QĐ-TTg") {
		t.Fatalf("symbol broken: %q", got)
	}
}
