package main

import (
	"os"
	"slices"
	"strings"
	"testing"

	"hocso/lessons"
	"hocso/quiz"
	"hocso/quiz/gift"
)

// TestExportGiftRoundTrip exports every quiz of the built-in course as GIFT
// through the command, reads the file back with hocso's importer and checks
// that every question comes back as it was: same id, type, wording,
// answers, scoring, points, sources and explanation.
func TestExportGiftRoundTrip(t *testing.T) {
	tr := newTrainer(t)
	p, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"vi", "en"} {
		file := tr.path("khoa-hoc." + lang + ".gift")
		out := tr.ok("pack", "export-gift", p.ID, "--text-lang", lang, "-o", file)
		wantIn(t, out, "GIFT")
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		res, err := gift.ParseGIFT(f, file, lang)
		f.Close()
		if err != nil {
			t.Fatalf("%s: our own export does not import: %v", lang, err)
		}
		back := map[string]quiz.Question{}
		for _, q := range res.Questions {
			back[q.ID] = q
		}
		exported := 0
		for _, m := range p.Modules {
			for _, q := range m.Quiz.Questions {
				if q.Kind == quiz.Ordering {
					continue
				}
				exported++
				got, ok := back[q.ID]
				if !ok {
					t.Errorf("%s: %s did not come back", lang, q.ID)
					continue
				}
				if diff := sameQuestion(q, got, lang); diff != "" {
					t.Errorf("%s: %s came back different: %s", lang, q.ID, diff)
				}
			}
		}
		if exported < 50 || len(res.Questions) != exported {
			t.Errorf("%s: exported %d questions, read back %d", lang, exported, len(res.Questions))
		}
	}
}

// sameQuestion says how got differs from want in lang, or "".
func sameQuestion(want, got quiz.Question, lang string) string {
	var d []string
	check := func(what string, ok bool) {
		if !ok {
			d = append(d, what)
		}
	}
	check("type", want.Kind == got.Kind)
	check("kind", want.Skill == got.Skill)
	check("text", want.Text.In(lang) == got.Text.In(lang))
	check("explanation", want.Explanation.In(lang) == got.Explanation.In(lang))
	check("points", want.MaxPoints() == got.MaxPoints())
	check("sources", slices.Equal(want.Sources, got.Sources))
	check("tags", slices.Equal(want.Tags, got.Tags))
	check("truth", (want.Correct == nil) == (got.Correct == nil) && (want.Correct == nil || *want.Correct == *got.Correct))
	if want.Kind == quiz.Multiple {
		check("scoring", (want.Scoring == quiz.Partial) == (got.Scoring == quiz.Partial))
		if want.Scoring == quiz.Partial {
			check("weights", slices.EqualFunc(want.Weights(), got.Weights(), func(a, b float64) bool { return a-b < 1e-4 && b-a < 1e-4 }))
		}
	}
	check("options", slices.EqualFunc(want.Options, got.Options, func(a, b quiz.Option) bool {
		return a.Text.In(lang) == b.Text.In(lang) && a.Correct == b.Correct && a.Feedback.In(lang) == b.Feedback.In(lang)
	}))
	check("accepted answers", slices.Equal(want.Accept[lang], got.Accept[lang]))
	check("short-answer settings", want.CaseSensitive == got.CaseSensitive && want.IgnoreDiacritics == got.IgnoreDiacritics)
	check("number", ptrEq(want.Value, got.Value) && ptrEq(want.Min, got.Min) && ptrEq(want.Max, got.Max) && want.Tolerance == got.Tolerance)
	check("pairs", slices.EqualFunc(want.Pairs, got.Pairs, func(a, b quiz.Pair) bool {
		return a.Left.In(lang) == b.Left.In(lang) && a.Right.In(lang) == b.Right.In(lang)
	}))
	return strings.Join(d, ", ")
}

func ptrEq(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// TestExportGiftModuleAndOrdering exports one module folder of a trainer's
// pack: the module's quiz alone, an ordering question listed as skipped,
// and a module that is not there refused by name.
func TestExportGiftModuleAndOrdering(t *testing.T) {
	tr := newTrainer(t)
	tr.ok("pack", "new", tr.path("goi"))
	quizFile := tr.path("goi/modules/01-gioi-thieu/quiz.toml")
	b, _ := os.ReadFile(quizFile)
	b = append(b, []byte(`
[[question]]
id = "gioi-thieu-q09"
type = "ordering"
text = { vi = "Sắp xếp", en = "Order" }

  [[question.item]]
  text = { vi = "Một", en = "One" }

  [[question.item]]
  text = { vi = "Hai", en = "Two" }
`)...)
	os.WriteFile(quizFile, b, 0o644)
	code, out, errOut := hocso(t, tr.env, "pack", "export-gift", tr.path("goi/modules/01-gioi-thieu"))
	if code != 0 {
		t.Fatalf("export-gift = %d\n%s\n%s", code, out, errOut)
	}
	wantIn(t, out, "::gioi-thieu-q01::[markdown]", "{\n\t=Bộ Chính trị")
	wantIn(t, errOut, "gioi-thieu-q09: bỏ qua: câu hỏi sắp xếp thứ tự")
	if strings.Contains(out, "$CATEGORY") {
		t.Errorf("one module written with a category:\n%s", out)
	}
	wantIn(t, tr.refused("pack", "export-gift", tr.path("goi"), "--module", "khong-co"), "không có học phần \"khong-co\"")
	wantIn(t, tr.refused("pack", "export-gift", tr.path("goi"), "--text-lang", "fr"), "--text-lang")
}
