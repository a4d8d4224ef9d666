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
	if !hasWarning(res, 3, "cau-1-2") || !hasWarning(res, 5, "have no ::title::") {
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

func TestParseGIFTWarnings(t *testing.T) {
	tests := []struct {
		name, src, want string
		line            int
	}{
		{"partial credit in single choice", "::Q::A?{=a ~%50%b ~c}", `option "b" is worth 50% in Moodle`, 1},
		{"several right options", "::Q::A?{=a =b ~c}", "2 options get full credit", 1},
		{"weights not adding up", "::Q::A?{~%40%a ~%40%b ~c}", "add up to 80%", 1},
		{"partial short answer", "::Q::A?{=a =%50%b}", `"b" (50%)`, 1},
		{"wildcard short answer", "::Q::A?{=a*}", "wildcard", 1},
		{"dropped numeric answer", "::Q::A?{#=1 =%50%2}", "numeric answer 2 (50%) dropped", 1},
		{"wrong-answer numeric feedback", "::Q::A?{#=1 ~#Sai}", "feedback for wrong answers", 1},
		{"second true/false feedback", "::Q::A?{T#sai#đúng}", "1 answer feedback(s) dropped", 1},
		{"matching distractor", "::Q::A?{=a -> 1 =b -> 2 = -> 3}", `"3" has no left-hand item`, 1},
		{"lower-case true", "::Q::A?{true}", "write it in capitals", 1},
		{"image", "::Q::[html]A<img src='x.png'>?{T}", "HTML image dropped", 1},
		{"HTML in Markdown", "::Q::[markdown]A <b>b</b>?{T}", "HTML inside Markdown is shown as text", 1},
		{"text after the answers on a new line", "::Q::A{T}\nB?", "put a blank line before it", 2},
		{"control characters", "::Q::A\x1b[31mB?{T}", "removed 1 terminal control", 1},
	}
	for _, tt := range tests {
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
		if w.Line == line && strings.Contains(w.Msg, text) {
			return true
		}
	}
	return false
}

func TestParseGIFTErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // the start of each error, in order
	}{
		{"unclosed braces", "::Q::A {=a ~b", []string{"q.gift:1: the answers opened with { are not closed"}},
		{"stray closing brace", "A } b", []string{"q.gift:1: } without an opening {"}},
		{"two answer blocks", "A {=a ~b} B\n{=c ~d}", []string{"q.gift:2: a second answer block"}},
		{"brace inside answers", "A {=a { ~b}", []string{"q.gift:1: { inside answers"}},
		{"unclosed title", "::Q A?{T}", []string{"q.gift:1: the title opened with :: is not closed"}},
		{"no right option", "A?{~a ~b}", []string{"q.gift:1: no option is marked right"}},
		{"one option", "A?{~a}", []string{"q.gift:1: a multiple-choice question needs at least two options"}},
		{"empty option", "A?{=a ~ }", []string{"q.gift:1: option 2 has no text"}},
		{"options that read the same", "A?{=Hà Nội ~hà  nội}", []string{`q.gift:1: options 1 and 2 read the same ("hà nội")`}},
		{"left items that read the same", "A?{=a -> 1 =A -> 2}", []string{"q.gift:1: left-hand items 1 and 2 read the same"}},
		{"option empty once HTML is gone", "[html]A?{=a ~<p></p>}", []string{"q.gift:1: option 2 shows no text"}},
		{"text before the options", "A?{a ~b =c}", []string{"q.gift:1: text before the first option"}},
		{"bad weight", "A?{~%x%a =b}", []string{`q.gift:1: the weight in "%x%a" is not a percentage`}},
		{"weight out of range", "A?{~%150%a =b}", []string{"q.gift:1: the weight 150% is out of range"}},
		{"not a number", "A?{#hai}", []string{`q.gift:1: "hai" is not a number`}},
		{"reversed range", "A?{#5..1}", []string{`q.gift:1: range "5..1" has the larger number first`}},
		{"no full-credit number", "A?{#=%50%1}", []string{"q.gift:1: no numeric answer gets full credit"}},
		{"pair without arrow", "A?{=a -> 1 =b}", []string{"q.gift:1: pair 2 has no ->"}},
		{"one pair", "A?{=a -> 1}", []string{"q.gift:1: a matching question needs at least two pairs"}},
		{"no question text", "{=a ~b}", []string{"q.gift:1: the question has no text"}},
		{"partial short answers only", "A?{=%50%a}", []string{"q.gift:1: no answer gets full credit"}},
		{"every problem, with the right lines", "A?{~a ~b}\n\nB?{T}\n\nC {\n=a\n\nD?{#x}", []string{
			"q.gift:1: no option is marked right",
			"q.gift:5: the answers opened with { are not closed",
			"q.gift:8: \"x\" is not a number",
		}},
	}
	for _, tt := range tests {
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
				if !strings.Contains(e.Msg, ":") {
					t.Errorf("error %q does not say what to do", e)
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
	if perr.Line != 3 || !strings.HasPrefix(err.Error(), "latin1.gift:3: the file is not valid UTF-8 (byte 0xE9 in column 10)") ||
		!strings.Contains(err.Error(), "save it with the encoding UTF-8") {
		t.Errorf("error = %q", err)
	}
}

func TestParseGIFTUTF16(t *testing.T) {
	_, err := ParseGIFT(bytes.NewReader([]byte{0xFF, 0xFE, 'A', 0}), "u16.gift", "vi")
	if err == nil || !strings.Contains(err.Error(), "UTF-16") {
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
	if err != nil || len(res.Questions) != 0 || !hasWarning(res, 1, "no questions found") {
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
