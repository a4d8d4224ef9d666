package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hocso/lessons"
	"hocso/quiz"
)

// generatePack writes a pack of modules modules with one lesson each (in
// Vietnamese and English) and questions questions spread over their quizzes.
func generatePack(tb testing.TB, dir string, modules, questions int) {
	tb.Helper()
	write := func(name, text string) {
		name = filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	write("pack.toml", "format = 1\nid = \"vn.gov.bench\"\nversion = \"1.0.0\"\nlanguages = [\"vi\", \"en\"]\n\n"+
		"[title]\nvi = \"Gói đo hiệu năng\"\nen = \"Benchmark pack\"\n")
	write("sources.toml", "[[source]]\nid = \"S1\"\ntitle = \"Nghị quyết 52-NQ/TW\"\n")
	body := strings.Repeat("Chuyển đổi số là quá trình thay đổi tổng thể cách sống, làm việc và sản xuất dựa trên công nghệ số.\n\n", 20)
	perModule := questions / modules
	for m := 1; m <= modules; m++ {
		mdir := fmt.Sprintf("modules/%02d-hoc-phan", m)
		write(mdir+"/module.toml", fmt.Sprintf("id = \"hp-%d\"\n\n[title]\nvi = \"Học phần %d\"\nen = \"Module %d\"\n", m, m, m))
		for _, lang := range []string{"vi", "en"} {
			write(fmt.Sprintf("%s/01-bai.%s.md", mdir, lang), fmt.Sprintf("+++\nid = \"hp-%d-bai\"\ntitle = \"Bài %d\"\nminutes = 5\nsources = [\"S1\"]\n+++\n\n## Mục %d\n\n%s", m, m, m, body))
		}
		z := &quiz.Quiz{ID: fmt.Sprintf("hp-%d-quiz", m), Title: quiz.Text{"vi": "Kiểm tra", "en": "Quiz"}, PassMark: 70}
		for q := 1; q <= perModule; q++ {
			z.Questions = append(z.Questions, quiz.Question{
				ID: fmt.Sprintf("hp-%d-q%d", m, q), Kind: quiz.Single, Sources: []string{"S1"},
				Text: quiz.Text{"vi": fmt.Sprintf("Câu hỏi số %d của học phần %d về Nghị quyết 52-NQ/TW?", q, m), "en": fmt.Sprintf("Question %d of module %d?", q, m)},
				Options: []quiz.Option{
					{ID: "a", Text: quiz.Text{"vi": "Bộ Chính trị", "en": "The Politburo"}, Correct: true},
					{ID: "b", Text: quiz.Text{"vi": "Quốc hội", "en": "The National Assembly"}},
					{ID: "c", Text: quiz.Text{"vi": "Chính phủ", "en": "The Government"}},
				},
			})
		}
		var buf bytes.Buffer
		if err := lessons.EncodeQuiz(&buf, z); err != nil {
			tb.Fatal(err)
		}
		write(mdir+"/quiz.toml", buf.String())
	}
}

// BenchmarkValidateAndInstall is what a trainer and an office see with a big
// pack: `pack validate` and then `pack install` of a signed-off .hocpack of
// 50 modules and 2,000 questions, each a full run of the command (archive
// checks, hashes, loading and validation, unpacking, loading again from disk,
// the switch in the database).
func BenchmarkValidateAndInstall(b *testing.B) {
	dir := b.TempDir()
	generatePack(b, filepath.Join(dir, "src"), 50, 2000)
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
