package gift

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"hocso/quiz"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func parseGIFT(t *testing.T, src string) (*Result, error) {
	t.Helper()
	res, err := ParseGIFT(strings.NewReader(src), "q.gift", "vi")
	if res != nil {
		assertSafe(t, res)
	}
	return res, err
}

// one parses src, which must hold exactly one question and no error.
func one(t *testing.T, src string) quiz.Question {
	t.Helper()
	res, err := parseGIFT(t, src)
	if err != nil {
		t.Fatalf("ParseGIFT: %v", err)
	}
	if len(res.Questions) != 1 {
		t.Fatalf("got %d questions, want 1: %+v", len(res.Questions), res)
	}
	return res.Questions[0]
}

func ptr(f float64) *float64 { return &f }

func TestParseGIFTQuestions(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want quiz.Question
	}{{
		name: "single choice with feedback",
		src:  "::Q::Thủ đô?{=Hà Nội#Đúng. ~Huế#Sai. ####Hà Nội là thủ đô từ 1010.}",
		want: quiz.Question{ID: "q", Kind: quiz.Single, Text: quiz.Text{"vi": "Thủ đô?"},
			Explanation: quiz.Text{"vi": "Hà Nội là thủ đô từ 1010."},
			Options: []quiz.Option{
				{ID: "a", Text: quiz.Text{"vi": "Hà Nội"}, Correct: true, Feedback: quiz.Text{"vi": "Đúng."}},
				{ID: "b", Text: quiz.Text{"vi": "Huế"}, Feedback: quiz.Text{"vi": "Sai."}},
			}},
	}, {
		name: "missing word keeps the author's spacing",
		src:  "::Q::Nghị quyết do {~Quốc hội =Bộ Chính trị} ban hành.",
		want: quiz.Question{ID: "q", Kind: quiz.Single, Text: quiz.Text{"vi": "Nghị quyết do _____ ban hành."},
			Options: []quiz.Option{{ID: "a", Text: quiz.Text{"vi": "Quốc hội"}}, {ID: "b", Text: quiz.Text{"vi": "Bộ Chính trị"}, Correct: true}}},
	}, {
		name: "multiple answers with partial and negative weights",
		src:  "::Q::Chọn?{~%50%A ~%50%B ~%-100%C ~D}",
		want: quiz.Question{ID: "q", Kind: quiz.Multiple, Scoring: quiz.Partial, Text: quiz.Text{"vi": "Chọn?"},
			Options: []quiz.Option{
				{ID: "a", Text: quiz.Text{"vi": "A"}, Correct: true, Weight: ptr(50)},
				{ID: "b", Text: quiz.Text{"vi": "B"}, Correct: true, Weight: ptr(50)},
				{ID: "c", Text: quiz.Text{"vi": "C"}, Weight: ptr(-100)},
				{ID: "d", Text: quiz.Text{"vi": "D"}, Weight: ptr(0)},
			}},
	}, {
		name: "weights written with =",
		src:  "::Q::Chọn?{=%50%A =%50%B ~C}",
		want: quiz.Question{ID: "q", Kind: quiz.Multiple, Scoring: quiz.Partial, Text: quiz.Text{"vi": "Chọn?"},
			Options: []quiz.Option{
				{ID: "a", Text: quiz.Text{"vi": "A"}, Correct: true, Weight: ptr(50)},
				{ID: "b", Text: quiz.Text{"vi": "B"}, Correct: true, Weight: ptr(50)},
				{ID: "c", Text: quiz.Text{"vi": "C"}, Weight: ptr(0)},
			}},
	}, {
		name: "true/false takes the first feedback as explanation",
		src:  "::Q::Trái Đất phẳng.{F#Sai: Trái Đất hình cầu.#Đúng rồi.}",
		want: quiz.Question{ID: "q", Kind: quiz.TrueFalse, Text: quiz.Text{"vi": "Trái Đất phẳng."},
			Correct: new(false), Explanation: quiz.Text{"vi": "Sai: Trái Đất hình cầu."}},
	}, {
		name: "true/false spelled out",
		src:  "::Q::Đúng.{TRUE}",
		want: quiz.Question{ID: "q", Kind: quiz.TrueFalse, Text: quiz.Text{"vi": "Đúng."}, Correct: new(true)},
	}, {
		name: "short answer, one line per accepted answer",
		src:  "::Q::Thủ đô?{=Hà Nội =Ha Noi =%50%Hanoi}",
		want: quiz.Question{ID: "q", Kind: quiz.Short, Text: quiz.Text{"vi": "Thủ đô?"},
			Accept: map[string][]string{"vi": {"Hà Nội", "Ha Noi"}}},
	}, {
		name: "short answer without =",
		src:  "::Q::Một viết bằng chữ?{Một}",
		want: quiz.Question{ID: "q", Kind: quiz.Short, Text: quiz.Text{"vi": "Một viết bằng chữ?"},
			Accept: map[string][]string{"vi": {"Một"}}},
	}, {
		name: "numeric with tolerance",
		src:  "::Q::Pi?{#3.14:0.01}",
		want: quiz.Question{ID: "q", Kind: quiz.Numeric, Text: quiz.Text{"vi": "Pi?"}, Value: ptr(3.14), Tolerance: 0.01},
	}, {
		name: "numeric range",
		src:  "::Q::Một số từ 1 đến 5?{#1..5}",
		want: quiz.Question{ID: "q", Kind: quiz.Numeric, Text: quiz.Text{"vi": "Một số từ 1 đến 5?"}, Min: ptr(1), Max: ptr(5)},
	}, {
		name: "numeric keeps the first full-credit answer",
		src:  "::Q::Năm?{#=%50%2018:1 =2019#Đúng: 27/9/2019. =2019:1}",
		want: quiz.Question{ID: "q", Kind: quiz.Numeric, Text: quiz.Text{"vi": "Năm?"}, Value: ptr(2019),
			Explanation: quiz.Text{"vi": "Đúng: 27/9/2019."}},
	}, {
		name: "matching",
		src:  "::Q::Ghép.{=Hà Nội -> Thủ đô =Huế -> Cố đô}",
		want: quiz.Question{ID: "q", Kind: quiz.Matching, Text: quiz.Text{"vi": "Ghép."},
			Pairs: []quiz.Pair{
				{ID: "a", Left: quiz.Text{"vi": "Hà Nội"}, Right: quiz.Text{"vi": "Thủ đô"}},
				{ID: "b", Left: quiz.Text{"vi": "Huế"}, Right: quiz.Text{"vi": "Cố đô"}},
			}},
	}, {
		name: "escapes",
		src:  `::a\:b::1 \{ 2 \} \~ \= \# \\ 3?{T}`,
		want: quiz.Question{ID: "a-b", Kind: quiz.TrueFalse, Text: quiz.Text{"vi": `1 { 2 } ~ = # \\ 3?`}, Correct: new(true)},
	}, {
		name: "a question over several lines, with comments inside",
		src:  "::Q::Câu hỏi\n// chú thích\ntrên hai dòng?{\n// chú thích\n=Có\n~Không\n}",
		want: quiz.Question{ID: "q", Kind: quiz.Single, Text: quiz.Text{"vi": "Câu hỏi\ntrên hai dòng?"},
			Options: []quiz.Option{{ID: "a", Text: quiz.Text{"vi": "Có"}, Correct: true}, {ID: "b", Text: quiz.Text{"vi": "Không"}}}},
	}, {
		name: "Vietnamese title becomes an ASCII id",
		src:  "::Điều 5: Quyền và nghĩa vụ của công dân::Đúng?{T}",
		want: quiz.Question{ID: "dieu-5-quyen-va-nghia-vu-cua-cong-dan", Kind: quiz.TrueFalse, Text: quiz.Text{"vi": "Đúng?"}, Correct: new(true)},
	}, {
		name: "HTML becomes Markdown without the script",
		src:  "::Q::[html]<p>Chọn <b>một</b><script>alert(1)</script></p>{=<i>A</i> ~B}",
		want: quiz.Question{ID: "q", Kind: quiz.Single, Text: quiz.Text{"vi": "Chọn **một**"},
			Options: []quiz.Option{{ID: "a", Text: quiz.Text{"vi": "*A*"}, Correct: true}, {ID: "b", Text: quiz.Text{"vi": "B"}}}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := one(t, tt.src)
			if got.Hash() != tt.want.Hash() {
				g, _ := json.MarshalIndent(got, "", "  ")
				w, _ := json.MarshalIndent(tt.want, "", "  ")
				t.Errorf("got\n%s\nwant\n%s", g, w)
			}
		})
	}
}

func TestParseGIFTLanguage(t *testing.T) {
	res, err := ParseGIFT(strings.NewReader("Capital?{=Hanoi ~Hue}"), "en.gift", "en")
	if err != nil {
		t.Fatal(err)
	}
	q := res.Questions[0]
	if q.Text["en"] != "Capital?" || q.Options[0].Text["en"] != "Hanoi" || q.Text["vi"] != "" {
		t.Errorf("text not filed under en: %+v", q)
	}
	res, _ = ParseGIFT(strings.NewReader("Thủ đô?{=Hà Nội}"), "vi.gift", "")
	if got := res.Questions[0].Accept["vi"]; !slices.Equal(got, []string{"Hà Nội"}) {
		t.Errorf("default language: accept = %v, want Vietnamese", res.Questions[0].Accept)
	}
}

func TestParseGIFTIDs(t *testing.T) {
	res, err := parseGIFT(t, "::Câu 1::A?{T}\n\n::Câu 1::B?{T}\n\nC?{T}\n\n// [id:Q-7]\n::Khác::D?{T}\n\n::q-3::E?{T}")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, q := range res.Questions {
		ids = append(ids, q.ID)
	}
	if want := []string{"cau-1", "cau-1-2", "q-3", "q-7", "q-3-2"}; !slices.Equal(ids, want) {
		t.Errorf("ids = %v, want %v", ids, want)
	}
	if !hasWarning(res, 3, `GiftDuplicateID ID="cau-1" NewID="cau-1-2"`) || !hasWarning(res, 5, "GiftUntitled Count=1") {
		t.Errorf("no warning about the duplicate title and the untitled question: %v", res.Warnings)
	}
}

func TestParseGIFTOrigins(t *testing.T) {
	src := "$CATEGORY: Chương 1\n\n// [tag:a] [tag:b]\n::Một::A?{T}\n\n$CATEGORY: Chương 2\n::Hai::B?{T}"
	res, err := parseGIFT(t, src)
	if err != nil {
		t.Fatal(err)
	}
	want := []Origin{
		{Line: 4, Title: "Một", Category: "Chương 1", Tags: []string{"a", "b"}},
		{Line: 7, Title: "Hai", Category: "Chương 2"},
	}
	for i, o := range res.Origins {
		if o.Line != want[i].Line || o.Title != want[i].Title || o.Category != want[i].Category || !slices.Equal(o.Tags, want[i].Tags) {
			t.Errorf("origin %d = %+v, want %+v", i, o, want[i])
		}
	}
	if !slices.Equal(res.Questions[0].Tags, []string{"a", "b"}) {
		t.Errorf("tags not kept on the question: %v", res.Questions[0].Tags)
	}
	// Nothing is lost in silence: each category is named where it starts.
	if !hasWarning(res, 4, `GiftCategory Category="Chương 1" Count=1`) || !hasWarning(res, 7, `GiftCategory Category="Chương 2" Count=1`) {
		t.Errorf("categories not reported: %v", res.Warnings)
	}
}

func TestParseGIFTEscapedIDAndTags(t *testing.T) {
	res, err := parseGIFT(t, "// [id:i\\]d] [tag:x\\]y] [tag:x\\]y] [tag:z]\n::T::A?{T}")
	if err != nil {
		t.Fatal(err)
	}
	if q := res.Questions[0]; q.ID != "i-d" || !slices.Equal(q.Tags, []string{"x]y", "z"}) {
		t.Errorf("id %q tags %q; want i-d and [x]y z]", q.ID, q.Tags)
	}
	before := res.Questions[0].Hash()
	res.Questions[0].Tags = nil
	if res.Questions[0].Hash() != before {
		t.Error("tags changed the question's hash: learners' answers would be marked as given to other wording")
	}
}

func TestParseGIFTSkips(t *testing.T) {
	res, err := parseGIFT(t, "::Luận::Viết về chuyển đổi số.{}\n\n::Mô tả::Phần sau nói về NQ 52.\n\n::Câu::Đúng?{T}")
	if err != nil {
		t.Fatal(err)
	}
	want := []Skipped{
		{File: "q.gift", Line: 1, Title: "Luận", Reason: SkipEssay},
		{File: "q.gift", Line: 3, Title: "Mô tả", Reason: SkipDescription},
	}
	if !slices.Equal(res.Skipped, want) || len(res.Questions) != 1 {
		t.Errorf("skipped = %+v, questions = %d; want %+v and 1", res.Skipped, len(res.Questions), want)
	}
	if got := res.Skipped[0].String(); got != `q.gift:1: skipped "Luận": essay question (hocso cannot grade free-text answers)` {
		t.Errorf("skipped essay reads %q", got)
	}
}

// giftWarningCases each give a warning on line; want is what its String says.
var giftWarningCases = []struct {
	name, src, want string
	line            int
}{
	{"partial credit in single choice", "::Q::A?{=a ~%50%b ~c}", `GiftPartialInSingle Option="b" Weight=50`, 1},
	{"several right options", "::Q::A?{=a =b ~c}", "GiftManyRightAnyOne Options=2", 1},
	{"several full-credit weights", "::Q::A?{~%100%a ~%100%b ~c}", "GiftManyFullCredit Options=2", 1},
	{"weights not adding up", "::Q::A?{~%40%a ~%40%b ~c}", "GiftWeightsSum Sum=80", 1},
	{"partial short answer", "::Q::A?{=a =%50%b}", `GiftShortPartialDropped Answers="\"b\" (50%)"`, 1},
	{"wildcard short answer", "::Q::A?{=a*}", `GiftWildcard Answer="a*"`, 1},
	{"dropped numeric answer", "::Q::A?{#=1 =%50%2}", `GiftNumericDropped Answer="2" Weight=50`, 1},
	{"dropped numeric answer with feedback", "::Q::A?{#=1 =%50%2#gần đúng}", `GiftNumericDroppedFeedback Answer="2" Weight=50`, 1},
	{"wrong-answer numeric feedback", "::Q::A?{#=1 ~#Sai}", "GiftWrongFeedbackDropped", 1},
	{"true/false feedback as explanation", "::Q::A?{T#sai}", `GiftFeedbackAsExplanation Feedback="sai"`, 1},
	{"second true/false feedback", "::Q::A?{T#sai#đúng}", "GiftFeedbackDroppedTrueFalse Count=1", 1},
	{"second short-answer feedback", "::Q::A?{=a#một =b#hai}", "GiftFeedbackDroppedShort Count=1", 1},
	{"numeric feedback besides the general one", "::Q::A?{#=1#một ####chung}", "GiftFeedbackDroppedNumeric Count=1", 1},
	{"matching distractor", "::Q::A?{=a -> 1 =b -> 2 = -> 3}", `GiftExtraRightItem Text="3"`, 1},
	{"lower-case true", "::Q::A?{true}", `GiftTrueFalseCase Answer="{true}" Capitals="{TRUE}"`, 1},
	{"image", "::Q::[html]A<img src='x.png'>?{T}", "GiftDroppedImage", 1},
	{"HTML in Markdown", "::Q::[markdown]A <b>b</b>?{T}", "GiftHTMLInMarkdown", 1},
	{"text after the answers on a new line", "::Q::A{T}\nB?", "GiftTextAfterAnswers", 2},
	{"control characters", "::Q::A\x1b[31mB?{T}", "GiftControlRemoved Count=1", 1},
}

func TestParseGIFTWarnings(t *testing.T) {
	for _, tt := range giftWarningCases {
		t.Run(tt.name, func(t *testing.T) {
			res, err := parseGIFT(t, tt.src)
			if err != nil {
				t.Fatalf("ParseGIFT: %v", err)
			}
			if !hasWarning(res, tt.line, tt.want) {
				t.Errorf("no warning on line %d saying %q: %v", tt.line, tt.want, res.Warnings)
			}
		})
	}
}

func hasWarning(res *Result, line int, text string) bool {
	for _, w := range res.Warnings {
		if w.Line == line && strings.Contains(w.String(), text) {
			return true
		}
	}
	return false
}

// giftErrorCases each give errors: want is the start of each, in order.
var giftErrorCases = []struct {
	name, src string
	want      []string // the start of each error, in order
}{
	{"unclosed braces", "::Q::A {=a ~b", []string{"q.gift:1: GiftAnswersNotClosed"}},
	{"stray closing brace", "A } b", []string{"q.gift:1: GiftStrayClosingBrace"}},
	{"two answer blocks", "A {=a ~b} B\n{=c ~d}", []string{"q.gift:2: GiftSecondAnswerBlock"}},
	{"brace inside answers", "A {=a { ~b}", []string{"q.gift:1: GiftBraceInAnswers"}},
	{"unclosed title", "::Q A?{T}", []string{"q.gift:1: GiftTitleNotClosed"}},
	{"no right option", "A?{~a ~b}", []string{"q.gift:1: GiftNoRightOption"}},
	{"one option", "A?{~a}", []string{"q.gift:1: GiftTooFewOptions"}},
	{"empty option", "A?{=a ~ }", []string{`q.gift:1: GiftEmptyOption Mark="~" N=2`}},
	{"options that read the same", "A?{=Hà Nội ~hà  nội}", []string{`q.gift:1: GiftSameOptions First=1 Second=2 Text="hà nội"`}},
	{"left items that read the same", "A?{=a -> 1 =A -> 2}", []string{`q.gift:1: GiftSameLeftItems First=1 Second=2 Text="A"`}},
	{"option empty once HTML is gone", "[html]A?{=a ~<p></p>}", []string{`q.gift:1: GiftOptionOnlyMarkup Mark="~" N=2`}},
	{"text before the options", "A?{a ~b =c}", []string{"q.gift:1: GiftTextBeforeOptions"}},
	{"no positive weight", "A?{~%-50%a ~%0%b}", []string{"q.gift:1: GiftNoPositiveWeight"}},
	{"bad weight", "A?{~%x%a =b}", []string{`q.gift:1: GiftBadWeight Text="%x%a"`}},
	{"weight out of range", "A?{~%150%a =b}", []string{"q.gift:1: GiftWeightOutOfRange Weight=150"}},
	{"no number", "A?{#}", []string{"q.gift:1: GiftNoNumericAnswer"}},
	{"not a number", "A?{#hai}", []string{`q.gift:1: GiftNotANumber Value="hai"`}},
	{"range of words", "A?{#a..5}", []string{`q.gift:1: GiftRangeNotNumbers Value="a..5"`}},
	{"reversed range", "A?{#5..1}", []string{`q.gift:1: GiftRangeReversed Value="5..1"`}},
	{"negative tolerance", "A?{#5:-1}", []string{`q.gift:1: GiftBadTolerance Value="-1"`}},
	{"no full-credit number", "A?{#=%50%1}", []string{"q.gift:1: GiftNoFullCreditNumber"}},
	{"text before the pairs", "A?{a =b -> 1 =c -> 2}", []string{"q.gift:1: GiftTextBeforePairs"}},
	{"pair without arrow", "A?{=a -> 1 =b}", []string{"q.gift:1: GiftPairNoArrow N=2"}},
	{"pair without right item", "A?{=a -> 1 =b -> }", []string{"q.gift:1: GiftPairNoRight N=2"}},
	{"one pair", "A?{=a -> 1}", []string{"q.gift:1: GiftTooFewPairs"}},
	{"no question text", "{=a ~b}", []string{"q.gift:1: GiftNoText"}},
	{"empty short answer", "A?{=a =}", []string{"q.gift:1: GiftEmptyAnswer N=2"}},
	{"partial short answers only", "A?{=%50%a}", []string{"q.gift:1: GiftNoFullCreditAnswer"}},
	{"every problem, with the right lines", "A?{~a ~b}\n\nB?{T}\n\nC {\n=a\n\nD?{#x}", []string{
		"q.gift:1: GiftNoRightOption",
		"q.gift:5: GiftAnswersNotClosed",
		`q.gift:8: GiftNotANumber Value="x"`,
	}},
}

func TestParseGIFTErrors(t *testing.T) {
	for _, tt := range giftErrorCases {
		t.Run(tt.name, func(t *testing.T) {
			res, err := parseGIFT(t, tt.src)
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %v is not an ErrorList", err)
			}
			if len(list) != len(tt.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(list), len(tt.want), err)
			}
			for i, e := range list {
				if !strings.HasPrefix(e.Error(), tt.want[i]) {
					t.Errorf("error %d = %q, want it to start %q", i, e, tt.want[i])
				}
			}
			if res == nil {
				t.Fatal("no result alongside the errors")
			}
		})
	}
}

func TestParseGIFTKeepsGoodQuestionsAfterErrors(t *testing.T) {
	res, err := parseGIFT(t, "A?{~a ~b}\n\nB?{T}\n\nC {\n\nD?{F}")
	if err == nil || len(res.Questions) != 2 {
		t.Fatalf("want 2 questions and an error, got %d and %v", len(res.Questions), err)
	}
}

func TestParseGIFTInvalidUTF8(t *testing.T) {
	f, err := os.Open("testdata/latin1.gift")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := ParseGIFT(f, "latin1.gift", "vi")
	var perr *Error
	if res != nil || !errors.As(err, &perr) {
		t.Fatalf("got %v, %v; want no result and an *Error", res, err)
	}
	if perr.Line != 3 || err.Error() != `latin1.gift:3: GiftNotUTF8 Byte="0xE9" Column=10` {
		t.Errorf("error = %q", err)
	}
}

func TestParseGIFTUTF16(t *testing.T) {
	_, err := ParseGIFT(bytes.NewReader([]byte{0xFF, 0xFE, 'A', 0}), "u16.gift", "vi")
	if err == nil || err.Error() != "u16.gift:1: GiftUTF16" {
		t.Errorf("error = %v, want one naming UTF-16", err)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestParseGIFTReadError(t *testing.T) {
	_, err := ParseGIFT(failingReader{}, "x.gift", "vi")
	if err == nil || err.Error() != "read x.gift: disk on fire" {
		t.Errorf("error = %v", err)
	}
}

func TestParseGIFTEmpty(t *testing.T) {
	res, err := parseGIFT(t, "// chỉ có chú thích\n\n")
	if err != nil || len(res.Questions) != 0 || !hasWarning(res, 1, "GiftNoQuestions") {
		t.Errorf("got %+v, %v; want an empty result with a warning", res, err)
	}
}

// goldenResult is what the golden files record of a parse: all a trainer sees.
type goldenResult struct {
	Questions []quiz.Question `json:"questions"`
	Origins   []Origin        `json:"origins"`
	Skipped   []string        `json:"skipped,omitempty"`
	Warnings  []string        `json:"warnings,omitempty"`
	Errors    []string        `json:"errors,omitempty"`
}

func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.gift")
	aiken, _ := filepath.Glob("testdata/*.aiken.txt")
	for _, path := range append(files, aiken...) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			parse := ParseGIFT
			if strings.HasSuffix(path, ".aiken.txt") {
				parse = ParseAiken
			}
			res, err := parse(f, filepath.Base(path), "vi")
			var g goldenResult
			if res != nil {
				assertSafe(t, res)
				g = goldenResult{Questions: res.Questions, Origins: res.Origins}
				for _, s := range res.Skipped {
					g.Skipped = append(g.Skipped, s.String())
				}
				for _, w := range res.Warnings {
					g.Warnings = append(g.Warnings, w.String())
				}
			}
			if err != nil {
				g.Errors = strings.Split(err.Error(), "\n")
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(g); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			goldenPath := strings.TrimSuffix(strings.TrimSuffix(path, ".gift"), ".txt") + ".golden.json"
			if *update {
				if err := os.WriteFile(goldenPath, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(goldenPath)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("result differs from %s (run go test -update and review the diff):\n%s", goldenPath, got)
			}
		})
	}
}
