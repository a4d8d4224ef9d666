package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hocso/lessons"
)

// BenchmarkValidateAndInstall is what a trainer and an office see with a big
// pack: `pack validate` and then `pack install` of a signed-off .hocpack of
// 50 modules and 2,000 questions, each a full run of the command (archive
// checks, hashes, loading and validation, unpacking, loading again from disk,
// the switch in the database).
func BenchmarkValidateAndInstall(b *testing.B) {
	dir := b.TempDir()
	if err := writeBenchPack(filepath.Join(dir, "src"), 50, 2000); err != nil {
		b.Fatal(err)
	}
	env := map[string]string{"HOCSO_DB": filepath.Join(dir, "data", "hocso.db"), "HOCSO_LANG": "vi"}
	pack := filepath.Join(dir, "bench.hocpack")
	hocso := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := run(b.Context(), args, strings.NewReader(""), &out, &errOut, func(k string) string { return env[k] })
		return code, out.String(), errOut.String()
	}
	if code, _, errOut := hocso("pack", "build", filepath.Join(dir, "src"), "-o", pack); code != 0 {
		b.Fatal(errOut)
	}
	p, _, _, problems := lessons.LoadPath(pack)
	if len(problems) > 0 || len(p.Modules) != 50 || p.CountsByLanguage()["vi"].Questions != 2000 {
		b.Fatalf("generated pack: %v", problems)
	}
	fi, _ := os.Stat(pack)
	for b.Loop() {
		if code, _, errOut := hocso("pack", "validate", pack); code != 0 {
			b.Fatal(errOut)
		}
		if code, _, errOut := hocso("pack", "install", pack, "--allow-unsigned", "--force"); code != 0 {
			b.Fatal(errOut)
		}
	}
	b.ReportMetric(float64(fi.Size())/1024, "KiB/pack")
}
