package report

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"hocso/locales"
	"hocso/report/reporttest"
	"hocso/tui/common"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func screen(t *testing.T, lang string, w, h int) *Model {
	t.Helper()
	s, p := reporttest.Open(t)
	loc := locales.New(lang)
	c := &common.Common{Ctx: context.Background(), Loc: loc, Keys: common.NewKeyMap(loc), Store: s, Pack: p,
		NoColor: true, Width: w, Height: h, SteadyCursor: true}
	c.ApplyTheme()
	m := New(c)
	m.SetSize(w, h-4)
	m.Update(m.Init()())
	return m
}

func press(m *Model, keys ...string) {
	for _, k := range keys {
		var msg tea.KeyPressMsg
		switch k {
		case "tab":
			msg = tea.KeyPressMsg{Code: tea.KeyTab}
		default:
			msg = tea.KeyPressMsg{Code: rune(k[0]), Text: k}
		}
		_, cmd := m.Update(msg)
		// A rebuild runs the query; deliver its result as the program would.
		if cmd != nil {
			if built, ok := cmd().(builtMsg); ok {
				m.Update(built)
			}
		}
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./tui/report -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n%s", name, got)
	}
}

// TestScreen draws the summary by unit, the not-started list, the grouping
// by module, and the export prompt, at 80×24 and 120×40 in both languages.
func TestScreen(t *testing.T) {
	for _, lang := range []string{"vi", "en"} {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			m := screen(t, lang, size[0], size[1])
			name := func(what string) string {
				return strings.Join([]string{what, lang, fmt.Sprintf("%dx%d", size[0], size[1])}, ".")
			}
			golden(t, name("summary"), m.View())
			press(m, "tab")
			golden(t, name("not_started"), m.View())
			press(m, "tab", "n", "n", "n")
			golden(t, name("by_module"), m.View())
			press(m, "x")
			golden(t, name("export"), m.View())
		}
	}
}
