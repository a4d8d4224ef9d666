package lessons

import (
	"io/fs"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/text/unicode/norm"

	"hocso/lessons/builtin"
	"hocso/quiz"
)

func TestBuiltinPackIsValid(t *testing.T) {
	p, problems := Load(builtin.FS)
	for _, pr := range problems {
		t.Errorf("built-in pack: %s", pr)
	}
	if p == nil {
		t.Fatal("built-in pack did not load")
	}
	if _, err := Builtin(); err != nil {
		t.Fatal(err)
	}
}

func TestLoadMiniPack(t *testing.T) {
	p, problems := Load(os.DirFS("testdata/mini"))
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	if p.ID != "test.mini" || p.Version != "1.0.0" || len(p.Modules) != 2 {
		t.Fatalf("pack = %s %s with %d modules", p.ID, p.Version, len(p.Modules))
	}
	m := p.Modules[0]
	if m.ID != "co-ban" || len(m.Lessons) != 2 || m.Quiz == nil || len(m.Quiz.Questions) != 5 {
		t.Fatalf("module 1 = %+v", m)
	}
	if got := m.Lessons[0].Title["en"]; got != "Introduction" {
		t.Errorf("lesson 1 English title = %q", got)
	}
	if !strings.HasPrefix(m.Lessons[0].Body["vi"], "## Chuyển đổi số là gì?") {
		t.Errorf("lesson body should start after the front matter, got %q", m.Lessons[0].Body["vi"][:40])
	}
	if p.Modules[1].CompleteWhen != CompleteWhenPassed {
		t.Errorf("complete_when = %q", p.Modules[1].CompleteWhen)
	}
	if got := p.Modules[1].Quiz.Questions[0].Pairs[2].ID; got != "3" {
		t.Errorf("pairs without ids are numbered; third = %q", got)
	}
	want := Counts{Modules: 2, Lessons: 2, Questions: 7}
	for _, lang := range []string{"vi", "en"} {
		if got := p.CountsByLanguage()[lang]; got != want {
			t.Errorf("counts[%s] = %+v; want %+v", lang, got, want)
		}
	}
	if len(p.Hash) != 64 {
		t.Errorf("hash = %q", p.Hash)
	}
	again, _ := Load(os.DirFS("testdata/mini"))
	if again.Hash != p.Hash {
		t.Error("the same content hashed differently")
	}
}

// miniFS copies the mini pack into a MapFS that a test can spoil.
func miniFS(t testing.TB) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	src := os.DirFS("testdata/mini")
	err := fs.WalkDir(src, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(src, name)
		fsys[name] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

func set(fsys fstest.MapFS, name, data string) { fsys[name] = &fstest.MapFile{Data: []byte(data)} }

func edit(t *testing.T, fsys fstest.MapFS, name, old, new string) {
	t.Helper()
	s := string(fsys[name].Data)
	if !strings.Contains(s, old) {
		t.Fatalf("%s has no %q", name, old)
	}
	set(fsys, name, strings.Replace(s, old, new, 1))
}

func find(ps Problems, id string) *Problem {
	for i := range ps {
		if ps[i].ID == id {
			return &ps[i]
		}
	}
	return nil
}

const quizFile = "modules/01-co-ban/quiz.toml"
const lessonVI = "modules/01-co-ban/01-mo-dau.vi.md"
const practiceModule = "modules/02-luyen-tap/module.toml"

func TestOptionalModuleAndQuestionKind(t *testing.T) {
	fsys := miniFS(t)
	edit(t, fsys, practiceModule, `complete_when = "passed"`, "complete_when = \"passed\"\nrequired = false")
	edit(t, fsys, quizFile, "type = \"single\"\n", "type = \"single\"\nkind = \"applied\"\n")
	p, problems := Load(fsys)
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	if !p.Modules[0].IsRequired() || p.Modules[1].IsRequired() {
		t.Errorf("required = %v, %v; want true (not written), false", p.Modules[0].IsRequired(), p.Modules[1].IsRequired())
	}
	if got := p.Modules[0].Quiz.Questions[0].Skill; got != quiz.Applied {
		t.Errorf("kind = %q; want applied", got)
	}
	if got := p.Modules[0].Quiz.Questions[1].Skill; got != "" {
		t.Errorf("a question without kind has %q", got)
	}
}

func TestLoadReportsBadInput(t *testing.T) {
	tests := []struct {
		name    string
		spoil   func(t *testing.T, fsys fstest.MapFS)
		id      string
		file    string
		line    int
		field   string
		warning bool
	}{
		{"newer format", func(t *testing.T, f fstest.MapFS) { edit(t, f, "pack.toml", "format = 1", "format = 9") },
			"ProblemNewerFormat", "pack.toml", 1, "format", false},
		{"no manifest", func(t *testing.T, f fstest.MapFS) { delete(f, "pack.toml") },
			"ProblemNoManifest", "pack.toml", 0, "", false},
		{"bad version", func(t *testing.T, f fstest.MapFS) { edit(t, f, "pack.toml", `"1.0.0"`, `"1.0"`) },
			"ProblemVersion", "pack.toml", 3, "version", false},
		{"TOML syntax", func(t *testing.T, f fstest.MapFS) { edit(t, f, quizFile, "pass_mark = 60", "pass_mark = = 60") },
			"TomlMissingValue", quizFile, 2, "pass_mark", false},
		{"TOML type", func(t *testing.T, f fstest.MapFS) { edit(t, f, quizFile, "pass_mark = 60", `pass_mark = "60"`) },
			"TomlWrongType", quizFile, 2, "pass_mark", false},
		{"TOML duplicate key", func(t *testing.T, f fstest.MapFS) {
			edit(t, f, quizFile, "pass_mark = 60", "pass_mark = 60\npass_mark = 70")
		},
			"TomlDuplicateKey", quizFile, 3, "pass_mark", false},
		{"TOML in front matter", func(t *testing.T, f fstest.MapFS) { edit(t, f, lessonVI, `id = "co-ban-mo-dau"`, `id = co-ban`) },
			"TomlMissingValue", lessonVI, 2, "id", false},
		{"answer not among options", func(t *testing.T, f fstest.MapFS) {
			edit(t, f, quizFile, "correct = true\n\n  [[question.option]]\n  id = \"b\"", "\n\n  [[question.option]]\n  id = \"b\"")
		}, "ProblemSingleCorrect", quizFile, 19, "cb-q1.option", false},
		{"duplicate question id", func(t *testing.T, f fstest.MapFS) { edit(t, f, quizFile, `id = "cb-q2"`, `id = "cb-q1"`) },
			"ProblemDuplicateID", quizFile, 0, "id", false},
		{"duplicate lesson id across modules", func(t *testing.T, f fstest.MapFS) {
			set(f, "modules/02-luyen-tap/01-x.vi.md", "+++\nid = \"co-ban-mo-dau\"\ntitle = \"X\"\n+++\nNội dung.\n")
			set(f, "modules/02-luyen-tap/01-x.en.md", "+++\nid = \"co-ban-mo-dau\"\ntitle = \"X\"\n+++\nBody.\n")
		}, "ProblemDuplicateID", "modules/02-luyen-tap/01-x.vi.md", 2, "id", false},
		{"invalid UTF-8", func(t *testing.T, f fstest.MapFS) { edit(t, f, lessonVI, "Không chỉ", "Kh\xf4ng chỉ") },
			"ProblemNotUTF8", lessonVI, 12, "", false},
		{"terminal escape", func(t *testing.T, f fstest.MapFS) {
			edit(t, f, lessonVI, "Không chỉ", "\x1b[31mKhông chỉ\x1b[0m")
		},
			"ProblemSanitised", lessonVI, 12, "", true},
		{"NFD text", func(t *testing.T, f fstest.MapFS) {
			edit(t, f, lessonVI, "Không chỉ", norm.NFD.String("Không chỉ"))
		},
			"ProblemSanitised", lessonVI, 12, "", true},
		{"terminal escape in a quiz", func(t *testing.T, f fstest.MapFS) {
			edit(t, f, quizFile, "Kiểm tra: Những", "\x1b[31mKiểm tra\x1b[0m: Những")
		}, "ProblemSanitised", quizFile, 9, "", true},
		{"terminal escape in a quiz's TOML string", func(t *testing.T, f fstest.MapFS) {
			edit(t, f, quizFile, "Kiểm tra: Những", `\u001b[2JKiểm tra: Những`)
		}, "ProblemSanitised", quizFile, 0, "", true},
		{"invalid UTF-8 in a quiz", func(t *testing.T, f fstest.MapFS) {
			edit(t, f, quizFile, "Kiểm tra: Những", "Ki\xe1m tra: Những")
		},
			"ProblemNotUTF8", quizFile, 9, "", false},
		{"missing English lesson", func(t *testing.T, f fstest.MapFS) { delete(f, "modules/01-co-ban/01-mo-dau.en.md") },
			"ProblemMissingLanguageFile", lessonVI, 0, "", false},
		{"lesson ids differ", func(t *testing.T, f fstest.MapFS) {
			edit(t, f, "modules/01-co-ban/01-mo-dau.en.md", `id = "co-ban-mo-dau"`, `id = "intro"`)
		}, "ProblemLessonIDMismatch", "modules/01-co-ban/01-mo-dau.en.md", 2, "id", false},
		{"unknown source", func(t *testing.T, f fstest.MapFS) { edit(t, f, lessonVI, `["S1"]`, `["S1", "S99"]`) },
			"ProblemUnknownSource", lessonVI, 0, "sources", false},
		{"bad id", func(t *testing.T, f fstest.MapFS) { edit(t, f, quizFile, `id = "cb-q3"`, `id = "Câu 3"`) },
			"ProblemBadID", quizFile, 0, "Câu 3.id", false},
		{"missing translation", func(t *testing.T, f fstest.MapFS) {
			edit(t, f, quizFile, `en = "Which body issued Resolution 52-NQ/TW?"`, `en = ""`)
		}, "ProblemMissingText", quizFile, 0, "cb-q1.text.en", false},
		{"unknown field", func(t *testing.T, f fstest.MapFS) {
			edit(t, f, quizFile, "pass_mark = 60", "pass_mark = 60\npassmark = 50")
		},
			"ProblemUnknownField", quizFile, 3, "passmark", true},
		{"oversized file", func(t *testing.T, f fstest.MapFS) { set(f, lessonVI, strings.Repeat("x", MaxFileSize+1)) },
			"ProblemFileTooLarge", lessonVI, 0, "", false},
		{"no front matter", func(t *testing.T, f fstest.MapFS) { set(f, lessonVI, "# Tiêu đề\n") },
			"ProblemFrontMatter", lessonVI, 1, "", false},
		{"unknown question kind", func(t *testing.T, f fstest.MapFS) {
			edit(t, f, quizFile, "type = \"single\"\n", "type = \"single\"\nkind = \"practice\"\n")
		}, "ProblemOneOf", quizFile, 15, "cb-q1.kind", false},
		{"required that is not true or false", func(t *testing.T, f fstest.MapFS) {
			edit(t, f, practiceModule, `complete_when = "passed"`, "complete_when = \"passed\"\nrequired = \"no\"")
		}, "TomlWrongType", practiceModule, 3, "required", false},
		{"every module optional", func(t *testing.T, f fstest.MapFS) {
			edit(t, f, practiceModule, `complete_when = "passed"`, "complete_when = \"passed\"\nrequired = false")
			edit(t, f, "modules/01-co-ban/module.toml", `id = "co-ban"`, "id = \"co-ban\"\nrequired = false")
		}, "ProblemNoRequiredModule", "modules", 0, "required", false},
		{"quiz needed", func(t *testing.T, f fstest.MapFS) { delete(f, "modules/02-luyen-tap/quiz.toml") },
			"ProblemEmptyModule", "modules/02-luyen-tap/module.toml", 0, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := miniFS(t)
			tc.spoil(t, fsys)
			p, problems := Load(fsys)
			got := find(problems, tc.id)
			if got == nil {
				t.Fatalf("no %s among %v", tc.id, problems)
			}
			if got.File != tc.file || (tc.line != 0 && got.Line != tc.line) || got.Field != tc.field || got.Warning != tc.warning {
				t.Errorf("problem = %+v\nwant file %s line %d field %q warning %v", *got, tc.file, tc.line, tc.field, tc.warning)
			}
			if !tc.warning && problems.Err() == nil {
				t.Error("an error-level problem did not make Err non-nil")
			}
			if _, streamed := load(fsys, func(*Module) {}); !reflect.DeepEqual(streamed, problems) {
				t.Errorf("loaded module by module, the problems differ:\n%v\nwant %v", streamed, problems)
			}
			sameAhead(t, fsys)
			if tc.warning && p != nil {
				for _, m := range p.Modules {
					for _, l := range m.Lessons {
						if b := l.Body["vi"]; strings.Contains(b, "\x1b") || !norm.NFC.IsNormalString(b) {
							t.Errorf("lesson %s still holds escapes or NFD text", l.ID)
						}
					}
				}
			}
		})
	}
}

// sameAhead checks that loading fsys as checked Files, with the quiz files
// decoded ahead on other cores, gives the same pack and problems as without.
func sameAhead(t *testing.T, fsys fstest.MapFS) {
	t.Helper()
	files := newFiles()
	for name, f := range fsys {
		files.add(name, f.Data)
	}
	noQuizzesAhead = true
	want, wantProblems := LoadFiles(files)
	noQuizzesAhead = false
	got, problems := LoadFiles(files)
	if !reflect.DeepEqual(problems, wantProblems) || !reflect.DeepEqual(got, want) {
		t.Errorf("with quiz files decoded ahead, the load differs:\n%v\nwant %v", problems, wantProblems)
	}
}

// TestLoadModuleByModule checks that a pack loaded module by module hands
// over every module whole, keeps none of their content, and counts, hashes
// and reports as a pack loaded whole: duplicate ids across modules included.
func TestLoadModuleByModule(t *testing.T) {
	for _, spoil := range []func(t *testing.T, f fstest.MapFS){
		func(*testing.T, fstest.MapFS) {},
		func(t *testing.T, f fstest.MapFS) {
			edit(t, f, "modules/02-luyen-tap/quiz.toml", `id = "lt-q1"`, `id = "cb-q1"`)
		},
	} {
		fsys := miniFS(t)
		spoil(t, fsys)
		whole, want := Load(fsys)
		if len(want) > 0 && find(want, "ProblemDuplicateID") == nil {
			t.Fatalf("the spoiled pack has no duplicate id: %v", want)
		}
		var got []*Module
		p, problems := load(fsys, func(m *Module) {
			c := *m
			got = append(got, &c)
		})
		if !reflect.DeepEqual(problems, want) {
			t.Errorf("problems %v, want %v", problems, want)
		}
		if !reflect.DeepEqual(got, whole.Modules) {
			t.Error("the modules handed over differ from those of the whole pack")
		}
		if !reflect.DeepEqual(p.CountsByLanguage(), whole.CountsByLanguage()) || p.Hash != whole.Hash {
			t.Errorf("counts %v hash %s, want %v %s", p.CountsByLanguage(), p.Hash, whole.CountsByLanguage(), whole.Hash)
		}
		for _, m := range p.Modules {
			if m.Lessons != nil || m.Quiz != nil {
				t.Errorf("module %s kept its content", m.ID)
			}
		}
	}
}

func TestLoadReportsEveryProblemAtOnce(t *testing.T) {
	fsys := miniFS(t)
	edit(t, fsys, "pack.toml", `"1.0.0"`, `"one"`)
	edit(t, fsys, quizFile, `id = "cb-q2"`, `id = "cb-q1"`)
	edit(t, fsys, lessonVI, `["S1"]`, `["S7"]`)
	_, problems := Load(fsys)
	for _, id := range []string{"ProblemVersion", "ProblemDuplicateID", "ProblemUnknownSource"} {
		if find(problems, id) == nil {
			t.Errorf("%s missing from %v", id, problems)
		}
	}
}

// TestTOMLErrorsSpeakOurLanguage checks that a decoder error becomes one of
// our messages with line and column, keeps the decoder's words only as
// detail, and raises no second, false problem in the files that depend on it.
func TestTOMLErrorsSpeakOurLanguage(t *testing.T) {
	fsys := miniFS(t)
	edit(t, fsys, quizFile, "pass_mark = 60", `pass_mark = "sáu mươi"`)
	edit(t, fsys, "sources.toml", "[[source]]", "[[source]\n")
	_, problems := Load(fsys)
	wrong := find(problems, "TomlWrongType")
	if wrong == nil || wrong.Line != 2 || wrong.Col != 13 || wrong.Data["Want"] != Word("TomlKind_number") || wrong.Data["Got"] != Word("TomlKind_string") {
		t.Fatalf("type error = %+v", wrong)
	}
	if !strings.Contains(wrong.Detail, "incompatible types") {
		t.Errorf("the decoder's own words are lost: %q", wrong.Detail)
	}
	if find(problems, "TomlBadTableName") == nil {
		t.Errorf("the broken sources.toml is not reported: %v", problems)
	}
	for _, cascade := range []string{"ProblemNeedsQuiz", "ProblemEmptyModule", "ProblemUnknownSource"} {
		if p := find(problems, cascade); p != nil {
			t.Errorf("a false %s follows from a file already reported: %v", cascade, p)
		}
	}
	for _, p := range problems {
		if p.ID == "ProblemTOML" || p.ID == "TomlSyntax" {
			t.Errorf("unclassified TOML error: %+v", p)
		}
	}
}

func TestEscapesInsideTOMLStringsAreCleaned(t *testing.T) {
	fsys := miniFS(t)
	edit(t, fsys, quizFile, `"Nghị quyết 52-NQ/TW do cơ quan nào ban hành?"`, `"Nghị quyết \u001b]8;;http://x\u0007 52?"`)
	p, problems := Load(fsys)
	if find(problems, "ProblemSanitised") == nil {
		t.Fatalf("no sanitising warning: %v", problems)
	}
	if q := p.Modules[0].Quiz.Questions[0].Text["vi"]; strings.ContainsAny(q, "\x1b\x07") {
		t.Fatalf("question text still holds escapes: %q", q)
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"xin chào":                              "xin chào",
		"\x1b[1mđậm\x1b[0m":                     "đậm",
		"a\x00b\x07c":                           "abc",
		"dòng 1\r\ndòng 2\ttab":                 "dòng 1\ndòng 2\ttab",
		norm.NFD.String("Việt Nam"):             "Việt Nam",
		"trái\u202etrái":                        "tráitrái",
		"\x1b]8;;https://x\x07link\x1b]8;;\x07": "link",
	} {
		if got, _ := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q; want %q", in, got, want)
		}
	}
}

// TestProblemsNameTheirLine checks that problems found after decoding —
// a duplicate id, an unknown source — still point at the line to edit.
func TestProblemsNameTheirLine(t *testing.T) {
	fsys := miniFS(t)
	edit(t, fsys, quizFile, `id = "cb-q2"`, `id = "cb-q1"`)
	edit(t, fsys, lessonVI, `["S1"]`, `["S1", "S99"]`)
	text := string(fsys[quizFile].Data)
	_, problems := Load(fsys)
	dup := find(problems, "ProblemDuplicateID")
	if dup == nil || dup.Line == 0 || !strings.Contains(strings.Split(text, "\n")[dup.Line-1], `"cb-q1"`) || dup.Line == idLine(text, "cb-q1", 0) {
		t.Errorf("duplicate id problem = %+v; want the line of the second cb-q1", dup)
	}
	if src := find(problems, "ProblemUnknownSource"); src == nil || src.Line == 0 {
		t.Errorf("unknown source problem = %+v; want its line", src)
	}
}

// TestAheadTakesBOMAndWindowsLineEnds checks that a quiz file with a byte
// order mark and Windows line ends loads the same with and without decoding
// ahead, with nothing to report.
func TestAheadTakesBOMAndWindowsLineEnds(t *testing.T) {
	fsys := miniFS(t)
	set(fsys, quizFile, "\ufeff"+strings.ReplaceAll(string(fsys[quizFile].Data), "\n", "\r\n"))
	set(fsys, "modules/02-luyen-tap/quiz.toml", strings.ReplaceAll(string(fsys["modules/02-luyen-tap/quiz.toml"].Data), "\n", "\r\n"))
	if _, problems := Load(fsys); len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	sameAhead(t, fsys)
}
