package gift

import (
	"errors"
	"strings"
	"testing"

	"hocso/quiz"
)

func TestParseAiken(t *testing.T) {
	src := "Thủ đô của Việt Nam?\nA. Huế\nB) Hà Nội\nC. Sài Gòn\nANSWER: B\n\n" +
		"Câu hỏi\ntrên hai dòng *thật*?\nA. Có\nB. Không\nanswer:  a\n"
	res, err := ParseAiken(strings.NewReader(src), "a.txt", "vi")
	if err != nil {
		t.Fatal(err)
	}
	assertSafe(t, res)
	want := []quiz.Question{{
		ID: "q-1", Kind: quiz.Single, Text: quiz.Text{"vi": "Thủ đô của Việt Nam?"},
		Options: []quiz.Option{
			{ID: "a", Text: quiz.Text{"vi": "Huế"}},
			{ID: "b", Text: quiz.Text{"vi": "Hà Nội"}, Correct: true},
			{ID: "c", Text: quiz.Text{"vi": "Sài Gòn"}},
		},
	}, {
		ID: "q-2", Kind: quiz.Single, Text: quiz.Text{"vi": "Câu hỏi\ntrên hai dòng \\*thật\\*?"},
		Options: []quiz.Option{
			{ID: "a", Text: quiz.Text{"vi": "Có"}, Correct: true},
			{ID: "b", Text: quiz.Text{"vi": "Không"}},
		},
	}}
	if len(res.Questions) != len(want) {
		t.Fatalf("got %d questions, want %d", len(res.Questions), len(want))
	}
	for i := range want {
		if res.Questions[i].Hash() != want[i].Hash() {
			t.Errorf("question %d = %+v, want %+v", i+1, res.Questions[i], want[i])
		}
	}
	if res.Origins[1].Line != 7 {
		t.Errorf("second question starts on line %d, want 7", res.Origins[1].Line)
	}
}

// aikenErrorCases each give errors: want is the start of each, in order.
var aikenErrorCases = []struct {
	name, src string
	want      []string
}{
	{"no answer line", "Q?\nA. a\nB. b\n", []string{"x.txt:1: GiftAikenNoAnswer"}},
	{"answer names no option", "Q?\nA. a\nB. b\nANSWER: D", []string{`x.txt:4: GiftAikenUnknownLetter Letter="D" Letters="A, B"`}},
	{"several answers", "Q?\nA. a\nB. b\nANSWER: A, B", []string{`x.txt:4: GiftAikenNotOneLetter Letter="A, B"`}},
	{"empty answer", "Q?\nA. a\nB. b\nANSWER:", []string{"x.txt:4: GiftAikenEmptyAnswer"}},
	{"one option", "Q?\nA. a\nANSWER: A", []string{"x.txt:3: GiftAikenTooFewOptions Question=1"}},
	{"option before any question", "A. a\n\nANSWER: A\n\nQ2?\nA. a\nB. b\nANSWER: B", []string{
		"x.txt:1: GiftAikenNotStarted",
		"x.txt:3: GiftAikenAnswerFirst",
	}},
	{"answer without question", "ANSWER: A", []string{"x.txt:1: GiftAikenAnswerFirst"}},
	{"options that read the same", "Q?\nA. Hà Nội\nB. HÀ NỘI\nANSWER: A", []string{"x.txt:1: GiftSameOptions First=1 Second=2"}},
	{"duplicate letter", "Q?\nA. a\nA. b\nB. c\nANSWER: B", []string{`x.txt:3: GiftAikenDuplicateLetter Letter="A"`}},
	{"every problem, and the good question between", "Q1?\nA. a\nB. b\n\nQ2?\nA. a\nB. b\nANSWER: B\n\nQ3?\nA. a\nB. b\nANSWER: Z\n", []string{
		"x.txt:1: GiftAikenNoAnswer",
		`x.txt:13: GiftAikenUnknownLetter Letter="Z"`,
	}},
}

func TestParseAikenErrors(t *testing.T) {
	for _, tt := range aikenErrorCases {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ParseAiken(strings.NewReader(tt.src), "x.txt", "vi")
			var list ErrorList
			if !errors.As(err, &list) || len(list) != len(tt.want) {
				t.Fatalf("got error %v, want %d errors", err, len(tt.want))
			}
			for i, e := range list {
				if !strings.HasPrefix(e.Error(), tt.want[i]) {
					t.Errorf("error %d = %q, want it to start %q", i, e, tt.want[i])
				}
			}
			for _, q := range res.Questions {
				if q.Text["vi"] != "Q2?" {
					t.Errorf("imported a malformed question: %+v", q)
				}
			}
		})
	}
}

// TestParseAikenMoodleRules checks the file Moodle's own importer is tested
// with, in our words: what Moodle imports, hocso imports, and every line
// Moodle reports is reported on its own line.
func TestParseAikenMoodleRules(t *testing.T) {
	src := strings.Join([]string{
		"Câu hỏi chỉ có một phương án", // 1
		"A) Phương án duy nhất",
		"ANSWER: A",
		"",
		"A) Phương án không thuộc câu hỏi nào", // 5
		"",
		"ANSWER: Không có câu hỏi", // 7
		"",
		"Câu hỏi đúng quy cách", // 9
		"A) Đúng",
		"B) Sai",
		"ANSWER: A",
		"",
		"Câu hỏi bỏ dở", // 14
		"A) Gần đúng",
		"B) Gần sai",
		"",
		"Câu hỏi viết liền không cách", // 18
		"A)Sai (liền)",
		"B.Đúng (liền)",
		"ANSWER: B",
		"",
		"Câu hỏi có ký tự < > & và đáp án viết thường", // 23
		"A) Đúng (< > &)",
		"B) Sai (< > &)",
		"ANSWER: a) Đúng",
	}, "\n")
	res, err := ParseAiken(strings.NewReader(src), "moodle.txt", "vi")
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("want an error list, got %v", err)
	}
	var got []string
	for _, e := range list {
		got = append(got, e.Error())
	}
	want := []string{
		"moodle.txt:3: GiftAikenTooFewOptions Question=1",
		"moodle.txt:5: GiftAikenNotStarted",
		"moodle.txt:7: GiftAikenAnswerFirst",
		"moodle.txt:14: GiftAikenNoAnswer",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(res.Questions) != 3 {
		t.Fatalf("imported %d questions, want 3 (as Moodle does)", len(res.Questions))
	}
	second := res.Questions[1]
	if second.Options[0].Text["vi"] != "Sai (liền)" || !second.Options[1].Correct {
		t.Errorf("options without a space: %+v", second.Options)
	}
	third := res.Questions[2]
	if !third.Options[0].Correct || !strings.Contains(third.Options[0].Text["vi"], "<") {
		t.Errorf("HTML characters or a lower-case answer: %+v", third.Options)
	}
	if res.Origins[2].Line != 23 {
		t.Errorf("third question from line %d, want 23", res.Origins[2].Line)
	}
}

func TestParseAikenInvalidUTF8(t *testing.T) {
	res, err := ParseAiken(strings.NewReader("Câu hỏi?\nA. C\xe0\nB. b\nANSWER: A"), "x.txt", "vi")
	if res != nil || err == nil || !strings.HasPrefix(err.Error(), "x.txt:2: GiftNotUTF8") {
		t.Errorf("got %v, %v", res, err)
	}
}
