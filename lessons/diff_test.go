package lessons

import (
	"fmt"
	"strings"
	"testing"

	"hocso/quiz"
)

func TestDiffPacks(t *testing.T) {
	old, _ := Load(miniFS(t))
	fsys := miniFS(t)
	edit(t, fsys, "pack.toml", `"1.0.0"`, `"1.1.0"`)
	edit(t, fsys, quizFile, "pass_mark = 60", "pass_mark = 70")
	edit(t, fsys, quizFile, "Ngày Chuyển đổi số quốc gia là ngày 10/10 hằng năm.", "Ngày 10/10 hằng năm là Ngày Chuyển đổi số quốc gia.")
	edit(t, fsys, quizFile, "[[question]]\nid = \"cb-q5\"", "[[question]]\nid = \"cb-q6\"")
	edit(t, fsys, lessonVI, "Không chỉ là mua máy tính.", "Không chỉ là mua sắm thiết bị.")
	delete(fsys, "modules/01-co-ban/02-dai.vi.md")
	delete(fsys, "modules/01-co-ban/02-dai.en.md")
	new, problems := Load(fsys)
	if problems.Err() != nil {
		t.Fatal(problems)
	}
	d := DiffPacks(old, new)
	if d.PackID != "test.mini" || d.OldVersion != "1.0.0" || d.NewVersion != "1.1.0" {
		t.Errorf("diff header = %+v", d)
	}
	var got []string
	for _, c := range d.Changes {
		got = append(got, fmt.Sprintf("%s %s %s in %s", c.Change, c.Kind, c.ID, c.Module))
	}
	want := []string{
		"changed lesson co-ban-mo-dau in co-ban",
		"changed quiz co-ban-quiz in co-ban",
		"changed question cb-q2 in co-ban",
		"added question cb-q6 in co-ban",
		"removed lesson co-ban-dai in co-ban",
		"removed question cb-q5 in co-ban",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("changes:\n got %q\nwant %q", got, want)
	}
	for _, c := range d.Changes {
		if c.Kind == ItemQuestion && c.Change != Removed && c.Hash != new.Modules[0].Quiz.Question(c.ID).Hash() {
			t.Errorf("%s: hash %s is not the new question's", c.ID, c.Hash)
		}
	}
	if same := DiffPacks(old, old); len(same.Changes) != 0 {
		t.Errorf("a pack differs from itself: %+v", same.Changes)
	}
}

func TestCompareVersions(t *testing.T) {
	ordered := []string{"0.9.9", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta.2", "1.0.0-beta.11",
		"1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "1.10.0", "2.0.0", "10.0.0"}
	for i := range ordered {
		for j := range ordered {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := CompareVersions(ordered[i], ordered[j]); got != want {
				t.Errorf("CompareVersions(%s, %s) = %d; want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
	if CompareVersions("1.0.0+build.5", "1.0.0") != 0 {
		t.Error("build metadata must not order versions")
	}
}

// TestWordingShowsWhatLearnersRead renders every question and lesson of the
// built-in pack and checks the wording holds each text a learner reads, so a
// diff of wordings cannot miss a change.
func TestWordingShowsWhatLearnersRead(t *testing.T) {
	p, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range p.Modules {
		for _, l := range m.Lessons {
			w := LessonWording(l)
			for lang, title := range l.Title {
				if !strings.Contains(w, "title ["+lang+"]: "+title) {
					t.Errorf("lesson %s: wording lacks its %s title", l.ID, lang)
				}
			}
		}
		if m.Quiz == nil {
			continue
		}
		for i := range m.Quiz.Questions {
			q := &m.Quiz.Questions[i]
			w := QuestionWording(q)
			var texts []quiz.Text
			texts = append(texts, q.Text, q.Explanation)
			for _, o := range q.Options {
				texts = append(texts, o.Text)
			}
			for _, pr := range q.Pairs {
				texts = append(texts, pr.Left, pr.Right)
			}
			for _, it := range q.Items {
				texts = append(texts, it.Text)
			}
			for _, tx := range texts {
				for _, s := range tx {
					if first, _, _ := strings.Cut(s, "\n"); !strings.Contains(w, first) {
						t.Errorf("question %s: wording lacks %q", q.ID, first)
					}
				}
			}
		}
	}
}
