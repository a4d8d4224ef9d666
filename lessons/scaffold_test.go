package lessons

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNewPackIsValidAsWritten(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Gói Chuyển đổi số 2025")
	written, err := NewPack(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != 7 {
		t.Errorf("wrote %d files: %v", len(written), written)
	}
	p, _, problems := LoadDir(dir)
	if len(problems) > 0 {
		t.Fatalf("a new pack must validate without a single problem: %v", problems)
	}
	if p.ID != "goi-chuyen-doi-so-2025" || p.Version != "1.0.0" || len(p.Modules) != 1 ||
		len(p.Modules[0].Lessons) != 1 || len(p.Modules[0].Quiz.Questions) != 2 {
		t.Errorf("pack = %s %s, %+v", p.ID, p.Version, p.CountsByLanguage())
	}
	if _, err := NewPack(dir, ""); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("second NewPack into the same folder: %v; want ErrNotEmpty", err)
	}
	if _, err := NewPack(filepath.Join(t.TempDir(), "x"), "Không Hợp Lệ"); err == nil {
		t.Error("a bad id was accepted")
	}
	empty := t.TempDir()
	if _, err := NewPack(empty, "vn.gov.thu"); err != nil {
		t.Errorf("an empty existing folder is fine: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(empty, "pack.toml")); !strings.Contains(string(b), `id = "vn.gov.thu"`) {
		t.Errorf("pack.toml:\n%s", b)
	}
}

func TestIDFromName(t *testing.T) {
	for in, want := range map[string]string{
		"Chuyển đổi số 2025": "chuyen-doi-so-2025",
		"Đề án 06":           "de-an-06",
		"vn.gov.hanoi":       "vn.gov.hanoi",
		"  ---  ":            "goi-bai-hoc",
		"日本語":                "goi-bai-hoc",
	} {
		if got := IDFromName(in); got != want {
			t.Errorf("IDFromName(%q) = %q; want %q", in, got, want)
		}
	}
}
