package main

import (
	"archive/zip"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTooManyFilesSaysSo runs pack validate and pack install on a folder and
// an archive of more than 5,000 files: each says that the pack holds too
// many files, and nothing else (not that pack.toml is missing).
func TestTooManyFilesSaysSo(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "pack")
	if code, _, errOut := hocso(t, nil, "dev", "pack", "--questions", "50", "-o", folder); code != 0 {
		t.Fatal(errOut)
	}
	for i := range 5001 {
		if err := os.WriteFile(filepath.Join(folder, "modules", "01-hoc-phan", fmt.Sprintf("extra-%04d.txt", i)), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	archive := filepath.Join(dir, "many.hocpack")
	f, err := os.Create(archive)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	if w, err := zw.Create("hocpack.toml"); err == nil {
		w.Write([]byte("format = 1\n"))
	}
	for i := range 5001 {
		w, _ := zw.Create(fmt.Sprintf("f%04d.txt", i))
		w.Write([]byte("x"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	env := map[string]string{"HOCSO_DB": filepath.Join(dir, "data", "hocso.db"), "HOCSO_LANG": "vi"}
	for _, args := range [][]string{
		{"pack", "validate", folder}, {"pack", "install", folder, "--allow-unsigned"},
		{"pack", "validate", archive}, {"pack", "install", archive, "--allow-unsigned"},
	} {
		code, _, errOut := hocso(t, env, args...)
		if code == 0 || !strings.Contains(errOut, "Gói có hơn 5000 tệp") || strings.Contains(errOut, "pack.toml") ||
			strings.Count(errOut, "lỗi:") != 1 {
			t.Errorf("%s: exit %d, want one error on the file limit alone:\n%s", strings.Join(args, " "), code, errOut)
		}
	}
}
