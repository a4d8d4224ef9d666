package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"hocso/lessons"
	"hocso/quiz"
	"hocso/quiz/gift"
)

// maxImportSource is the largest question bank import reads.
const maxImportSource = 8 * lessons.MaxFileSize

// packImportCommand makes `pack import-gift` or `pack import-aiken`: read a
// Moodle question bank and write it as a quiz.toml, into a module folder or a
// file, reporting what was skipped and what to check.
func (e *env) packImportCommand(use, arg, short string) *cobra.Command {
	var lang, module, out, id string
	var force, strict bool
	cmd := &cobra.Command{
		Use:   use + " " + arg,
		Short: short,
		Args:  e.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src := args[0]
			f, err := os.Open(src)
			if err != nil {
				return fail(e.loc.T("ImportNotFound", map[string]any{"Path": src, "Error": err.Error()}))
			}
			defer f.Close()
			// A bank for one module is far smaller; a bigger file would make a
			// quiz.toml no pack may hold, after minutes of parsing.
			if fi, err := f.Stat(); err == nil && fi.Size() > maxImportSource {
				return fail(e.loc.T("ImportSourceTooLarge", map[string]any{"File": src, "Limit": maxImportSource >> 20}))
			}
			parse := gift.ParseGIFT
			if use == "import-aiken" {
				parse = gift.ParseAiken
			}
			res, perr := parse(f, filepath.Base(src), lang)
			bad, err := e.reportImport(src, res, perr)
			if err != nil {
				return err
			}
			if bad > 0 && strict {
				return fail(e.loc.N("ImportHasErrors", bad, map[string]any{"File": src}))
			}
			if len(res.Questions) == 0 {
				return fail(e.loc.T("ImportNothing", map[string]any{"File": src}))
			}
			stem := strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))
			if id == "" {
				id = lessons.IDFromName(stem) + "-quiz"
			}
			if lang == "" {
				lang = quiz.DefaultLang
			}
			z := &quiz.Quiz{ID: id, Title: quiz.Text{lang: oneLine(stem)}, PassMark: 70,
				ShuffleQuestions: true, ShuffleOptions: true, Grading: quiz.GradeHighest, Feedback: quiz.FeedbackEnd,
				Questions: res.Questions}
			var buf bytes.Buffer
			if err := lessons.EncodeQuiz(&buf, z); err != nil {
				return err
			}
			if buf.Len() > lessons.MaxFileSize {
				return fail(e.loc.T("ImportTooLarge", map[string]any{"File": src,
					"Size": e.loc.Number(float64(buf.Len())/(1<<20), 1), "Limit": lessons.MaxFileSize >> 20}))
			}
			if pr := lessons.CheckTOMLLimits(buf.String()); pr != nil {
				pr.File = "quiz.toml"
				e.printProblems(lessons.Problems{*pr})
				return fail(e.loc.T("ImportTooLarge", map[string]any{"File": src,
					"Size": e.loc.Number(float64(buf.Len())/(1<<20), 1), "Limit": lessons.MaxFileSize >> 20}))
			}
			if module != "" {
				out = filepath.Join(module, "quiz.toml")
			}
			if out == "" || out == "-" {
				_, err := e.stdout.Write(buf.Bytes())
				return err
			}
			write := writeReplace
			info, err := os.Stat(out)
			switch {
			case err == nil && info.Mode()&(fs.ModeDevice|fs.ModeNamedPipe) != 0:
				// /dev/null or a pipe: write into it. Replacing it, as a file
				// is replaced, would put a file in the place of the device.
				write = os.WriteFile
			case err == nil && !force:
				return fail(e.loc.T("ImportExists", map[string]any{"File": out}))
			case err != nil && !errors.Is(err, fs.ErrNotExist):
				return fail(e.loc.T("ImportWriteFailed", map[string]any{"File": out, "Error": err.Error()}))
			}
			if err := write(out, buf.Bytes(), 0o644); err != nil {
				return fail(e.loc.T("ImportWriteFailed", map[string]any{"File": out, "Error": err.Error()}))
			}
			fmt.Fprintln(e.stdout, e.loc.N("ImportDone", len(res.Questions), map[string]any{
				"File": out, "Skipped": len(res.Skipped), "Warnings": len(res.Warnings)}))
			if bad > 0 {
				fmt.Fprintln(e.stdout, e.loc.N("ImportLeftOut", bad, map[string]any{"File": src}))
			}
			return nil
		},
	}
	// Not --lang: that is the global flag for the language hocso speaks.
	stringFlag(cmd.Flags(), &lang, "text-lang", "", e.loc.T("ArgTextLang"), "vi", e.loc.T("FlagImportTextLangUsage"))
	stringFlag(cmd.Flags(), &module, "module", "", e.loc.T("ArgDir"), "", e.loc.T("FlagImportModuleUsage"))
	stringFlag(cmd.Flags(), &out, "output", "o", e.loc.T("ArgFile"), "", e.loc.T("FlagImportOutputUsage"))
	stringFlag(cmd.Flags(), &id, "id", "", e.loc.T("ArgID"), "", e.loc.T("FlagImportIDUsage"))
	cmd.Flags().BoolVar(&force, "force", false, e.loc.T("FlagImportForceUsage"))
	cmd.Flags().BoolVar(&strict, "strict", false, e.loc.T("FlagImportStrictUsage"))
	return cmd
}

// reportImport prints, on stderr, every question the file could not give
// (with its line and what to do), every question skipped and every warning,
// and returns how many questions were malformed. Everything is listed before
// anything is decided, so a trainer sees all of it in one run.
func (e *env) reportImport(src string, res *gift.Result, perr error) (bad int, err error) {
	var list gift.ErrorList
	var one *gift.Error
	switch {
	case errors.As(perr, &list):
	case errors.As(perr, &one):
		list = gift.ErrorList{one}
	case perr != nil:
		return 0, fail(e.loc.T("ImportFailed", map[string]any{"File": src, "Error": perr.Error()}))
	}
	for _, pe := range list {
		e.importLine("ProblemLabelError", pe.File, pe.Line, e.giftMessage(pe.ID, pe.Data))
	}
	if res == nil { // the file could not be read at all
		return len(list), fail(e.loc.T("ImportNothing", map[string]any{"File": src}))
	}
	for _, sk := range res.Skipped {
		reason := e.loc.T("ImportSkippedEssay")
		if sk.Reason == gift.SkipDescription {
			reason = e.loc.T("ImportSkippedDescription")
		}
		e.importLine("ImportSkipped", sk.File, sk.Line, reason)
	}
	for _, w := range res.Warnings {
		e.importLine("ProblemLabelWarning", w.File, w.Line, e.giftMessage(w.ID, w.Data))
	}
	return len(list), nil
}

// importLine reports one thing about an imported file on stderr, "file:line: label: text".
func (e *env) importLine(label, file string, line int, text string) {
	fmt.Fprintf(e.stderr, "%s:%d: %s: %s\n", oneLine(file), line, e.loc.T(label), oneLine(text))
}

// giftMessage is a warning or error from package gift in the user's
// language. Numbers are written as the language writes them (7,5 in
// Vietnamese), and a message with a Count takes its plural form.
func (e *env) giftMessage(id string, data map[string]any) string {
	d := make(map[string]any, len(data))
	for k, v := range data {
		if f, ok := v.(float64); ok {
			v = e.loc.Number(f, 6)
		}
		d[k] = v
	}
	if n, ok := data["Count"].(int); ok {
		return e.loc.N(id, n, d)
	}
	return e.loc.T(id, d)
}
