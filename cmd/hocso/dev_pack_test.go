package main

import (
	"path/filepath"
	"strings"
	"testing"

	"hocso/lessons"
)

// TestDevPack checks that dev pack writes exactly the questions asked for, in
// modules no quiz file of which breaks the pack limits, and refuses a module
// count that would.
func TestDevPack(t *testing.T) {
	tests := []struct {
		args              []string
		modules, question int
		refused           string
	}{
		{[]string{"--questions", "2001"}, 50, 2001, ""},
		{[]string{"--questions", "25001"}, 51, 25001, ""},
		{[]string{"--questions", "900", "--modules", "3"}, 3, 900, ""},
		{[]string{"--questions", "1600", "--modules", "3"}, 0, 0, "--modules 50"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "pack")
			code, _, errOut := hocso(t, nil, append([]string{"dev", "pack", "-o", dir}, tt.args...)...)
			if tt.refused != "" {
				if code == 0 || !strings.Contains(errOut, tt.refused) {
					t.Fatalf("exit %d, stderr %q; want a refusal naming %s", code, errOut, tt.refused)
				}
				return
			}
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			p, _, _, problems := lessons.LoadPath(dir)
			if len(problems) > 0 {
				t.Fatalf("generated pack has problems: %v", problems)
			}
			if c := p.CountsByLanguage()["vi"]; c.Modules != tt.modules || c.Questions != tt.question {
				t.Errorf("got %d modules, %d questions; want %d, %d", c.Modules, c.Questions, tt.modules, tt.question)
			}
		})
	}
}
