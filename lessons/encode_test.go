package lessons

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"hocso/quiz"
)

// reload writes z as the quiz of the mini pack's module n (0 or 1) and loads the pack again.
func reload(t *testing.T, z *quiz.Quiz, n int) (*quiz.Quiz, Problems, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := EncodeQuiz(&buf, z); err != nil {
		t.Fatal(err)
	}
	fsys := miniFS(t)
	set(fsys, []string{quizFile, "modules/02-luyen-tap/quiz.toml"}[n], buf.String())
	p, problems := Load(fsys)
	if p == nil || len(p.Modules) < 2 || p.Modules[n].Quiz == nil {
		t.Fatalf("pack did not load: %v\n%s", problems, buf.String())
	}
	return p.Modules[n].Quiz, problems, buf.String()
}

func sameQuiz(t *testing.T, got, want *quiz.Quiz, text string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Fatalf("quiz changed on the round trip:\n got %s\nwant %s\ntoml:\n%s", g, w, text)
	}
}

func TestEncodeQuizRoundTripsTheMiniPack(t *testing.T) {
	p, _ := Load(miniFS(t))
	for i, m := range p.Modules {
		got, problems, text := reload(t, m.Quiz, i)
		if len(problems) > 0 {
			t.Fatalf("%s: %v\n%s", m.Quiz.ID, problems, text)
		}
		sameQuiz(t, got, m.Quiz, text)
	}
}

func TestEncodeQuizEveryKindAndAwkwardText(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	no := false
	both := func(vi, en string) quiz.Text { return quiz.Text{"vi": vi, "en": en} }
	z := &quiz.Quiz{
		ID: "luyen-tap-quiz", Title: both(`Luyện tập "nâng cao" \ 2`, "Practice [[question]]"),
		PassMark: 62.5, Draw: 3, ShuffleQuestions: true, MaxAttempts: 4, Grading: quiz.GradeLast,
		Feedback: quiz.FeedbackImmediate, TimeLimitMinutes: 20,
		Questions: []quiz.Question{
			{ID: "k-single", Kind: quiz.Single, Skill: quiz.Applied, Points: 2.5, Sources: []string{"S1"},
				Text:        both("Dòng 1\nDòng 2\tcó tab", `Line with "quotes" and \backslash`),
				Explanation: both("Giải thích ''' và \"\"\"", "Explanation # not a comment"),
				Options: []quiz.Option{
					{ID: "a", Text: both("Có", "Yes"), Correct: true, Feedback: both("Đúng!", "Right!")},
					{ID: "b", Text: both("Không", "No")},
				}},
			{ID: "k-multiple", Kind: quiz.Multiple, Scoring: quiz.Partial, Text: both("Chọn", "Choose"),
				Options: []quiz.Option{
					{ID: "a", Text: both("A", "A"), Correct: true, Weight: f(100.0 / 3)},
					{ID: "b", Text: both("B", "B"), Correct: true, Weight: f(66.66666666666667)},
					{ID: "c", Text: both("C", "C"), Weight: f(-50)},
				}},
			{ID: "k-tf", Kind: quiz.TrueFalse, Text: both("Sai", "False"), Correct: &no},
			{ID: "k-short", Kind: quiz.Short, Text: both("Gõ", "Type"), CaseSensitive: true, IgnoreDiacritics: true,
				Accept: map[string][]string{"vi": {"VNeID", "vneid \"app\""}, "en": {"VNeID"}}},
			{ID: "k-num-exact", Kind: quiz.Numeric, Text: both("Số 0", "Zero"), Value: f(0), Tolerance: 0.25},
			{ID: "k-num-range", Kind: quiz.Numeric, Text: both("Khoảng", "Range"), Min: f(-1e-7), Max: f(1e21)},
			{ID: "k-match", Kind: quiz.Matching, Text: both("Ghép", "Match"), Pairs: []quiz.Pair{
				{ID: "1", Left: both("NQ 52", "R 52"), Right: both("2019", "2019")},
				{ID: "x", Left: both("QĐ 749", "D 749"), Right: both("2020", "2020")},
			}},
			{ID: "k-order", Kind: quiz.Ordering, Text: both("Xếp", "Order"), Items: []quiz.Item{
				{ID: "1", Text: both("Một", "One")}, {ID: "2", Text: both("Hai", "Two")},
			}},
		},
	}
	got, problems, text := reload(t, z, 1)
	if len(problems) > 0 {
		t.Fatalf("problems: %v\n%s", problems, text)
	}
	sameQuiz(t, got, z, text)
	if !strings.Contains(text, `text = { vi = "Dòng 1\nDòng 2\tcó tab", en = "Line with \"quotes\" and \\backslash" }`) {
		t.Errorf("text is not written as one readable inline table:\n%s", text)
	}
	for i, q := range got.Questions {
		if q.Hash() != z.Questions[i].Hash() {
			t.Errorf("%s: hash changed on the round trip, so answers would look stale", q.ID)
		}
	}
}

func TestEncodeQuizKeepsEscapesHarmless(t *testing.T) {
	z := &quiz.Quiz{ID: "luyen-tap-quiz", Title: quiz.Text{"vi": "T", "en": "T"}, PassMark: 50, Questions: []quiz.Question{
		{ID: "q", Kind: quiz.TrueFalse, Correct: new(bool),
			Text: quiz.Text{"vi": "\x1b]8;;http://x\x07bấm\x1b[0m \xff", "en": "x\x00y"}},
	}}
	got, problems, text := reload(t, z, 1)
	if strings.ContainsAny(text, "\x1b\x00\x07") || !strings.Contains(text, `\u001B`) {
		t.Errorf("control characters must be written escaped:\n%s", text)
	}
	if find(problems, "ProblemSanitised") == nil {
		t.Errorf("loading escaped control characters should warn: %v", problems)
	}
	if q := got.Questions[0]; strings.ContainsAny(q.Text["vi"]+q.Text["en"], "\x1b\x00\x07") {
		t.Errorf("control characters survived loading: %q", q.Text)
	}
}
