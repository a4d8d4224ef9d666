package builtin_test

import (
	"fmt"
	"io/fs"
	"iter"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"hocso/lessons"
	"hocso/lessons/builtin"
	"hocso/quiz"
	"hocso/store"
)

// The built-in course is what every learner sees first, so it is held to more
// than the pack format asks: a clean load, enough material, both languages
// complete, lessons of a readable length and every claim tied to a source.
const (
	minModules            = 9
	minLessons            = 35
	minQuestions          = 150
	minQuestionsPerModule = 10
	minLessonWords        = 300
	maxLessonWords        = 700
)

// keyPointsBox is the heading line of the one summary box each lesson ends with.
var keyPointsBox = map[string]string{
	"vi": "> **Ghi nhớ**",
	"en": "> **Key points**",
}

var allowedKinds = map[quiz.Kind]bool{
	quiz.Single: true, quiz.Multiple: true, quiz.TrueFalse: true, quiz.Short: true,
	quiz.Numeric: true, quiz.Matching: true, quiz.Ordering: true,
}

func loadBuiltin(t *testing.T) *lessons.Pack {
	t.Helper()
	p, problems := lessons.Load(builtin.FS)
	if p == nil {
		t.Fatalf("built-in pack did not load: %v", problems)
	}
	return p
}

func TestBuiltinLoadsWithoutProblems(t *testing.T) {
	_, problems := lessons.Load(builtin.FS)
	for _, pr := range problems {
		kind := "error"
		if pr.Warning {
			kind = "warning"
		}
		t.Errorf("%s: %s", kind, pr)
	}
}

func TestBuiltinHasEnoughMaterial(t *testing.T) {
	p := loadBuiltin(t)
	if len(p.Modules) < minModules {
		t.Errorf("%d modules; want at least %d", len(p.Modules), minModules)
	}
	var lessonCount, questionCount int
	for _, m := range p.Modules {
		lessonCount += len(m.Lessons)
		n := 0
		if m.Quiz != nil {
			n = len(m.Quiz.Questions)
		}
		questionCount += n
		if n < minQuestionsPerModule {
			t.Errorf("module %s: %d questions; want at least %d", m.ID, n, minQuestionsPerModule)
		}
	}
	if lessonCount < minLessons {
		t.Errorf("%d lessons; want at least %d", lessonCount, minLessons)
	}
	if questionCount < minQuestions {
		t.Errorf("%d questions; want at least %d", questionCount, minQuestions)
	}
}

func TestBuiltinModulesMixQuestionTypes(t *testing.T) {
	p := loadBuiltin(t)
	for _, m := range p.Modules {
		if m.Quiz == nil {
			continue
		}
		seen := map[quiz.Kind]bool{}
		for _, q := range m.Quiz.Questions {
			seen[q.Kind] = true
		}
		for _, k := range []quiz.Kind{quiz.Single, quiz.Multiple, quiz.TrueFalse} {
			if !seen[k] {
				t.Errorf("module %s has no %s question", m.ID, k)
			}
		}
	}
}

func TestBuiltinIsCompleteInBothLanguages(t *testing.T) {
	p := loadBuiltin(t)
	for _, lang := range []string{"vi", "en"} {
		if !p.HasLanguage(lang) {
			t.Fatalf("pack languages %v lack %q", p.Languages, lang)
		}
	}
	counts := p.CountsByLanguage()
	if counts["vi"] != counts["en"] {
		t.Errorf("vi has %+v, en has %+v", counts["vi"], counts["en"])
	}
	for _, m := range p.Modules {
		needBoth(t, "module "+m.ID+" title", m.Title)
		needBoth(t, "module "+m.ID+" summary", m.Summary)
		for _, l := range m.Lessons {
			for _, lang := range []string{"vi", "en"} {
				if l.Files[lang] == "" {
					t.Errorf("lesson %s has no %s file", l.ID, lang)
				}
			}
			needBoth(t, "lesson "+l.ID+" title", l.Title)
			needBoth(t, "lesson "+l.ID+" body", l.Body)
		}
		if m.Quiz == nil {
			continue
		}
		needBoth(t, "quiz "+m.Quiz.ID+" title", m.Quiz.Title)
		for _, q := range m.Quiz.Questions {
			where := "question " + q.ID
			needBoth(t, where+" text", q.Text)
			needBoth(t, where+" explanation", q.Explanation)
			for _, o := range q.Options {
				needBoth(t, where+" option "+o.ID, o.Text)
			}
			for _, pr := range q.Pairs {
				needBoth(t, where+" pair "+pr.ID+" left", pr.Left)
				needBoth(t, where+" pair "+pr.ID+" right", pr.Right)
			}
			for _, it := range q.Items {
				needBoth(t, where+" item "+it.ID, it.Text)
			}
			if q.Kind == quiz.Short {
				for _, lang := range []string{"vi", "en"} {
					if len(q.Accept[lang]) == 0 {
						t.Errorf("%s accepts no %s answer", where, lang)
					}
				}
			}
		}
	}
}

func needBoth(t *testing.T, what string, text quiz.Text) {
	t.Helper()
	for _, lang := range []string{"vi", "en"} {
		if strings.TrimSpace(text[lang]) == "" {
			t.Errorf("%s is empty in %s", what, lang)
		}
	}
}

func TestBuiltinLessonsHaveReadableShape(t *testing.T) {
	p := loadBuiltin(t)
	for _, m := range p.Modules {
		for _, l := range m.Lessons {
			vi := l.Body["vi"]
			if n := len(strings.Fields(vi)); n < minLessonWords || n > maxLessonWords {
				t.Errorf("%s: %d Vietnamese words; want %d–%d", l.Files["vi"], n, minLessonWords, maxLessonWords)
			}
			for lang, box := range keyPointsBox {
				body := l.Body[lang]
				if n := countLines(body, box); n != 1 {
					t.Errorf("%s: %d %q boxes; want exactly 1", l.Files[lang], n, box)
				}
				if countPrefixed(body, "## ") == 0 {
					t.Errorf("%s: no ## heading", l.Files[lang])
				}
				if countPrefixed(body, "- ")+countPrefixed(body, "1. ") == 0 {
					t.Errorf("%s: no list", l.Files[lang])
				}
			}
		}
	}
}

// countLines counts the lines of body equal to line, ignoring surrounding spaces.
func countLines(body, line string) int {
	n := 0
	for _, l := range strings.Split(body, "\n") {
		if strings.TrimSpace(l) == line {
			n++
		}
	}
	return n
}

func countPrefixed(body, prefix string) int {
	n := 0
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, prefix) {
			n++
		}
	}
	return n
}

// questions yields every question of the pack with its module.
func questions(p *lessons.Pack) iter.Seq2[*lessons.Module, *quiz.Question] {
	return func(yield func(*lessons.Module, *quiz.Question) bool) {
		for _, m := range p.Modules {
			if m.Quiz == nil {
				continue
			}
			for i := range m.Quiz.Questions {
				if !yield(m, &m.Quiz.Questions[i]) {
					return
				}
			}
		}
	}
}

func TestBuiltinQuestionsAreAnswerableAndSourced(t *testing.T) {
	p := loadBuiltin(t)
	for _, q := range questions(p) {
		if !allowedKinds[q.Kind] {
			t.Errorf("question %s: type %q is not a known question type", q.ID, q.Kind)
		}
		if len(q.Sources) == 0 {
			t.Errorf("question %s cites no source", q.ID)
		}
		if q.Kind != quiz.Single && q.Kind != quiz.Multiple {
			continue
		}
		ids := map[string]bool{}
		correct := 0
		for _, o := range q.Options {
			ids[o.ID] = true
			if o.Correct {
				correct++
			}
		}
		switch {
		case q.Kind == quiz.Single && correct != 1:
			t.Errorf("question %s: %d correct options; a single-choice question needs exactly 1", q.ID, correct)
		case correct == 0:
			t.Errorf("question %s: no correct option", q.ID)
		case correct == len(q.Options):
			t.Errorf("question %s: every option is correct, so nothing is being asked", q.ID)
		}
		if len(ids) != len(q.Options) {
			t.Errorf("question %s: option ids are not unique", q.ID)
		}
	}
}

func TestBuiltinCitesOnlyListedSources(t *testing.T) {
	p := loadBuiltin(t)
	known := map[string]bool{}
	for _, s := range p.Sources {
		if known[s.ID] {
			t.Errorf("source %s is listed twice", s.ID)
		}
		known[s.ID] = true
		if strings.TrimSpace(s.Title) == "" {
			t.Errorf("source %s has no title", s.ID)
		}
		// An elided address ("…") is not a link anyone can follow; such sources keep
		// the address in their title and have no url.
		if s.URL != "" && (strings.Contains(s.URL, "…") || !strings.HasPrefix(s.URL, "https://")) {
			t.Errorf("source %s: url %q is not a complete https address", s.ID, s.URL)
		}
	}
	cite := func(where string, ids []string) {
		for _, id := range ids {
			if !known[id] {
				t.Errorf("%s cites %s, which sources.toml does not list", where, id)
			}
		}
	}
	for _, m := range p.Modules {
		for _, l := range m.Lessons {
			if len(l.Sources) == 0 {
				t.Errorf("lesson %s cites no source", l.ID)
			}
			cite("lesson "+l.ID, l.Sources)
		}
		if m.Quiz != nil {
			for _, q := range m.Quiz.Questions {
				cite("question "+q.ID, q.Sources)
			}
		}
	}
}

// TestBuiltinTextIsNFC checks the files as written, not only as loaded: Load
// normalises text, so a file in another form would silently differ from its hash.
func TestBuiltinTextIsNFC(t *testing.T) {
	err := fs.WalkDir(builtin.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(builtin.FS, name)
		if err != nil {
			return err
		}
		if !norm.NFC.IsNormal(b) {
			t.Errorf("%s is not in NFC", name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	p := loadBuiltin(t)
	for what, s := range packStrings(p) {
		if !norm.NFC.IsNormalString(s) {
			t.Errorf("%s is not in NFC", what)
		}
	}
}

// packStrings lists every piece of text a learner can see, keyed by where it is.
func packStrings(p *lessons.Pack) map[string]string {
	out := map[string]string{}
	text := func(where string, t quiz.Text) {
		for lang, s := range t {
			out[where+"."+lang] = s
		}
	}
	text("pack.title", p.Title)
	text("pack.description", p.Description)
	for _, s := range p.Sources {
		out["source "+s.ID+".title"] = s.Title
		out["source "+s.ID+".url"] = s.URL
	}
	for _, g := range p.Glossary {
		out["term "+g.ID+".vi"] = g.VI
		out["term "+g.ID+".en"] = g.EN
		text("term "+g.ID+".definition", g.Definition)
	}
	for _, m := range p.Modules {
		text("module "+m.ID+".title", m.Title)
		text("module "+m.ID+".summary", m.Summary)
		for _, l := range m.Lessons {
			text("lesson "+l.ID+".title", l.Title)
			text("lesson "+l.ID+".body", l.Body)
		}
		if m.Quiz == nil {
			continue
		}
		text("quiz "+m.Quiz.ID+".title", m.Quiz.Title)
		for _, q := range m.Quiz.Questions {
			w := "question " + q.ID
			text(w+".text", q.Text)
			text(w+".explanation", q.Explanation)
			for _, o := range q.Options {
				text(w+".option "+o.ID, o.Text)
				text(w+".option "+o.ID+".feedback", o.Feedback)
			}
			for _, pr := range q.Pairs {
				text(w+".pair "+pr.ID+".left", pr.Left)
				text(w+".pair "+pr.ID+".right", pr.Right)
			}
			for _, it := range q.Items {
				text(w+".item "+it.ID, it.Text)
			}
			for lang, answers := range q.Accept {
				for i, a := range answers {
					out[fmt.Sprintf("%s.accept.%s[%d]", w, lang, i)] = a
				}
			}
		}
	}
	return out
}

// TestBuiltinEveryQuestionHasAKind: the built-in course is held to the rule
// that its quizzes test practice, which can only be checked if every question
// says what it tests.
func TestBuiltinEveryQuestionHasAKind(t *testing.T) {
	for _, q := range questions(loadBuiltin(t)) {
		if !slices.Contains(quiz.Skills, q.Skill) {
			t.Errorf("question %s: kind %q; want one of %v", q.ID, q.Skill, quiz.Skills)
		}
	}
}

// TestBuiltinOptionalModules: only the Hanoi plan, one province's example of
// carrying out Resolution 52, is optional, and a learner who finishes every
// other module without opening it has completed the course.
func TestBuiltinOptionalModules(t *testing.T) {
	p := loadBuiltin(t)
	progress := make([]store.ModuleProgress, len(p.Modules))
	done := map[string]store.LessonState{}
	read := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for i, m := range p.Modules {
		if wantOptional := m.ID == "ha-noi"; m.IsRequired() == wantOptional {
			t.Errorf("module %s: required = %v; want %v", m.ID, m.IsRequired(), !wantOptional)
		}
		if !m.IsRequired() {
			progress[i] = store.ModuleProgress{ModuleID: m.ID, Status: store.NotStarted}
			continue
		}
		progress[i] = store.ModuleProgress{ModuleID: m.ID, Required: true, Status: store.Passed, FractionTotal: 1, Units: 1, UnitsDone: 1}
		for _, l := range m.Lessons {
			done[l.ID] = store.LessonState{CompletedAt: &read}
		}
	}
	if c := store.Course(p, progress); !c.Complete || c.Fraction != 1 || c.Required != len(p.Modules)-1 {
		t.Errorf("course with only the optional module untouched = %+v; want complete", c)
	}
	if m, l := store.NextStep(p, progress, done); m != nil || l != nil {
		t.Errorf("continue proposes %v %v after every required module", m, l)
	}
}
