package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"hocso/lessons"
	"hocso/quiz"
)

// benchPerModule is the most questions dev pack puts in one module: about
// what a real course's final test holds, and well within the keys one TOML
// file may have (Limits.MaxTOMLKeys).
const benchPerModule = 500

// benchModules is how many modules a bench pack of questions questions has
// when --modules is not given: 50, or more so that none holds more than
// benchPerModule questions.
func benchModules(questions int) int {
	return max(50, (questions+benchPerModule-1)/benchPerModule)
}

// devPackCommand writes a pack of any size for measuring pack validate and
// install (bench/run, BenchmarkValidateAndInstall).
func (e *env) devPackCommand() *cobra.Command {
	modules, questions := 0, 2000
	var out string
	cmd := &cobra.Command{
		Use:   "pack --questions " + e.loc.T("ArgCount") + " -o " + e.loc.T("ArgDir"),
		Short: e.loc.T("CmdDevPackShort"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("modules") {
				modules = benchModules(questions)
			}
			if out == "" || modules < 1 || questions < modules {
				return fail(e.loc.T("DevPackUsage"))
			}
			if (questions+modules-1)/modules > benchPerModule {
				return fail(e.loc.T("DevPackTooManyPerModule", map[string]any{"Max": benchPerModule, "Modules": benchModules(questions)}))
			}
			return writeBenchPack(out, modules, questions)
		},
	}
	cmd.Flags().IntVar(&modules, "modules", modules, e.loc.T("FlagDevPackModulesUsage", map[string]any{"Max": benchPerModule}))
	cmd.Flags().IntVar(&questions, "questions", questions, e.loc.T("FlagDevQuestionsUsage"))
	for _, f := range []string{"modules", "questions"} {
		_ = cmd.Flags().SetAnnotation(f, valueNameAnnotation, []string{e.loc.T("ArgCount")})
	}
	stringFlag(cmd.Flags(), &out, "output", "o", e.loc.T("ArgDir"), "", e.loc.T("FlagDevPackOutUsage"))
	return cmd
}

// writeBenchPack writes a pack of modules modules with one lesson each (in
// Vietnamese and English) and questions questions spread over their quizzes.
func writeBenchPack(dir string, modules, questions int) error {
	var err error
	write := func(name, text string) {
		if err != nil {
			return
		}
		name = filepath.Join(dir, filepath.FromSlash(name))
		if err = os.MkdirAll(filepath.Dir(name), 0o755); err == nil {
			err = os.WriteFile(name, []byte(text), 0o644)
		}
	}
	write("pack.toml", "format = 1\nid = \"vn.gov.bench\"\nversion = \"1.0.0\"\nlanguages = [\"vi\", \"en\"]\n\n"+
		"[title]\nvi = \"Gói đo hiệu năng\"\nen = \"Benchmark pack\"\n")
	write("sources.toml", "[[source]]\nid = \"S1\"\ntitle = \"Nghị quyết 52-NQ/TW\"\n")
	body := strings.Repeat("Chuyển đổi số là quá trình thay đổi tổng thể cách sống, làm việc và sản xuất dựa trên công nghệ số.\n\n", 20)
	width := max(2, len(strconv.Itoa(modules))) // folders sort in module order
	for m := 1; m <= modules; m++ {
		mdir := fmt.Sprintf("modules/%0*d-hoc-phan", width, m)
		write(mdir+"/module.toml", fmt.Sprintf("id = \"hp-%d\"\n\n[title]\nvi = \"Học phần %d\"\nen = \"Module %d\"\n", m, m, m))
		for _, lang := range []string{"vi", "en"} {
			write(fmt.Sprintf("%s/01-bai.%s.md", mdir, lang), fmt.Sprintf("+++\nid = \"hp-%d-bai\"\ntitle = \"Bài %d\"\nminutes = 5\nsources = [\"S1\"]\n+++\n\n## Mục %d\n\n%s", m, m, m, body))
		}
		z := &quiz.Quiz{ID: fmt.Sprintf("hp-%d-quiz", m), Title: quiz.Text{"vi": "Kiểm tra", "en": "Quiz"}, PassMark: 70}
		perModule := questions / modules
		if m <= questions%modules {
			perModule++ // the remainder, one each, so the pack holds exactly questions
		}
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
			return err
		}
		write(mdir+"/quiz.toml", buf.String())
	}
	return err
}
