package quiz

import (
	"math"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func f64(v float64) *float64 { return &v }
func boolp(v bool) *bool     { return &v }
func vi(s string) Text       { return Text{"vi": s} }
func choose(ids ...string) Answer {
	return Answer{Choices: ids}
}

type gradeCase struct {
	name string
	a    Answer
	want float64 // points earned
}

// runGrade grades every case against q and compares the points a learner sees.
func runGrade(t *testing.T, q Question, cases []gradeCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Grade(&q, c.a)
			if math.Abs(got-c.want) > 1e-9 {
				t.Errorf("Grade(%s %q, %+v) = %v points; want %v", q.Kind, q.ID, c.a, got, c.want)
			}
		})
	}
}

func singleQuestion() Question {
	return Question{ID: "thu-do", Kind: Single, Text: vi("Thủ đô của Việt Nam là?"), Options: []Option{
		{ID: "a", Text: vi("Hà Nội"), Correct: true},
		{ID: "b", Text: vi("Huế")},
		{ID: "c", Text: vi("Đà Nẵng")},
	}}
}

func TestGradeSingle(t *testing.T) {
	runGrade(t, singleQuestion(), []gradeCase{
		{"right", choose("a"), 1},
		{"wrong", choose("b"), 0},
		{"no answer", Answer{}, 0},
		{"two choices given", choose("a", "b"), 0},
		{"the right one twice", choose("a", "a"), 0},
		{"unknown option id", choose("z"), 0},
		{"empty option id", choose(""), 0},
	})
}

// A trainer may mark the one right option of a single-choice question with a
// positive weight instead of correct = true; Check accepts that, so Grade must too.
func TestGradeSingleMarkedByWeight(t *testing.T) {
	q := Question{ID: "w", Kind: Single, Text: vi("?"), Options: []Option{
		{ID: "a", Text: vi("Đúng"), Weight: f64(50)},
		{ID: "b", Text: vi("Sai")},
	}}
	if is := q.Check([]string{"vi"}); len(is) != 0 {
		t.Fatalf("Check = %v; want no issues", is)
	}
	runGrade(t, q, []gradeCase{
		{"weighted option", choose("a"), 1},
		{"other option", choose("b"), 0},
	})
}

// multipleQuestion has a and b right, c and d wrong.
func multipleQuestion(scoring string) Question {
	return Question{ID: "nguyen-tac", Kind: Multiple, Scoring: scoring, Text: vi("Chọn các nguyên tắc đúng"), Options: []Option{
		{ID: "a", Text: vi("Công khai"), Correct: true},
		{ID: "b", Text: vi("Minh bạch"), Correct: true},
		{ID: "c", Text: vi("Bí mật"), Correct: false},
		{ID: "d", Text: vi("Tùy ý"), Correct: false},
	}}
}

func TestGradeMultipleAllOrNothing(t *testing.T) {
	for _, scoring := range []string{"", AllOrNothing} {
		t.Run("scoring="+scoring, func(t *testing.T) {
			runGrade(t, multipleQuestion(scoring), []gradeCase{
				{"exact set", choose("a", "b"), 1},
				{"exact set, other order", choose("b", "a"), 1},
				{"exact set, one chosen twice", choose("a", "b", "a"), 1},
				{"subset", choose("a"), 0},
				{"superset", choose("a", "b", "c"), 0},
				{"all options", choose("a", "b", "c", "d"), 0},
				{"none", Answer{}, 0},
				{"only wrong ones", choose("c", "d"), 0},
			})
		})
	}
}

func TestGradeMultiplePartialDerivedWeights(t *testing.T) {
	// Two right options share 100%: +50 each; each wrong one takes 50 away.
	q := multipleQuestion(Partial)
	if got, want := q.Weights(), []float64{50, 50, -50, -50}; !equalFloats(got, want) {
		t.Fatalf("Weights() = %v; want %v", got, want)
	}
	runGrade(t, q, []gradeCase{
		{"both right", choose("a", "b"), 1},
		{"one right", choose("a"), 0.5},
		{"one right chosen twice", choose("a", "a"), 0.5},
		{"one right one wrong", choose("a", "c"), 0},
		{"both right one wrong", choose("a", "b", "c"), 0.5},
		{"all options", choose("a", "b", "c", "d"), 0},
		{"only wrong: floored at 0", choose("c", "d"), 0},
		{"none", Answer{}, 0},
		{"unknown id ignored", choose("a", "zz"), 0.5},
	})
}

func TestGradeMultiplePartialTrainerWeights(t *testing.T) {
	q := Question{ID: "trong-so", Kind: Multiple, Scoring: Partial, Text: vi("?"), Options: []Option{
		{ID: "a", Text: vi("A"), Correct: true, Weight: f64(60)},
		{ID: "b", Text: vi("B"), Correct: true, Weight: f64(40)},
		{ID: "c", Text: vi("C"), Weight: f64(-30)},
		{ID: "d", Text: vi("D")}, // no weight: derived, −100/2
	}}
	runGrade(t, q, []gradeCase{
		{"a", choose("a"), 0.6},
		{"b", choose("b"), 0.4},
		{"a and b", choose("a", "b"), 1},
		{"a, b and the penalised c", choose("a", "b", "c"), 0.7},
		{"a and c", choose("a", "c"), 0.3},
		{"b and c", choose("b", "c"), 0.1},
		{"only c: negative floored at 0", choose("c"), 0},
		{"b and d: negative floored at 0", choose("b", "d"), 0},
		{"all options", choose("a", "b", "c", "d"), 0.2},
	})

	over := Question{ID: "qua-100", Kind: Multiple, Scoring: Partial, Text: vi("?"), Options: []Option{
		{ID: "a", Text: vi("A"), Weight: f64(80)},
		{ID: "b", Text: vi("B"), Weight: f64(80)},
		{ID: "c", Text: vi("C"), Weight: f64(-100)},
	}}
	runGrade(t, over, []gradeCase{
		{"160% capped at 100%", choose("a", "b"), 1},
		{"80%", choose("a"), 0.8},
		{"a, b and c: 60%", choose("a", "b", "c"), 0.6},
	})
}

// A wrong choice costs points on its own question only: the quiz total never
// loses what another question earned.
func TestGradePartialNegativeStaysInItsQuestion(t *testing.T) {
	q1, q2 := singleQuestion(), multipleQuestion(Partial)
	total := Grade(&q1, choose("a")) + Grade(&q2, choose("c", "d"))
	if total != 1 {
		t.Fatalf("total = %v; want 1 (the penalty of the second question must not reach the first)", total)
	}
}

func TestGradeTrueFalse(t *testing.T) {
	for _, truth := range []bool{true, false} {
		q := Question{ID: "dung-sai", Kind: TrueFalse, Text: vi("…"), Correct: boolp(truth)}
		runGrade(t, q, []gradeCase{
			{"right", Answer{Bool: boolp(truth)}, 1},
			{"wrong", Answer{Bool: boolp(!truth)}, 0},
			{"nil", Answer{}, 0},
		})
	}
}

func TestGradeShort(t *testing.T) {
	q := Question{ID: "thu-do-go", Kind: Short, Text: vi("Thủ đô?"), Accept: map[string][]string{
		"vi": {"Hà Nội", "Thủ đô Hà Nội"},
		"en": {"Hanoi"},
	}}
	nfd := norm.NFD.String("Hà Nội")
	if nfd == "Hà Nội" {
		t.Fatal("test input is not decomposed")
	}
	runGrade(t, q, []gradeCase{
		{"exact", Answer{Text: "Hà Nội"}, 1},
		{"case-insensitive", Answer{Text: "HÀ NỘI"}, 1},
		{"inner whitespace folded", Answer{Text: "  Hà \t  Nội \n"}, 1},
		{"NFD input", Answer{Text: nfd}, 1},
		{"second accepted answer", Answer{Text: "thủ đô hà nội"}, 1},
		{"accepted in another language", Answer{Text: "hanoi"}, 1},
		{"without ignore_diacritics the marks matter", Answer{Text: "Ha Noi"}, 0},
		{"wrong answer", Answer{Text: "Hà Nam"}, 0},
		{"empty", Answer{}, 0},
		{"only spaces", Answer{Text: "   "}, 0},
	})

	nguoi := Question{ID: "nguoi", Kind: Short, Text: vi("?"), Accept: map[string][]string{"vi": {"người"}}}
	runGrade(t, nguoi, []gradeCase{
		{"with marks", Answer{Text: "người"}, 1},
		{"nguoi without ignore_diacritics", Answer{Text: "nguoi"}, 0},
	})
	nguoi.IgnoreDiacritics = true
	runGrade(t, nguoi, []gradeCase{
		{"nguoi for người", Answer{Text: "nguoi"}, 1},
		{"upper case", Answer{Text: "NGƯỜI"}, 1},
		{"other marks", Answer{Text: "ngươi"}, 1},
		{"NFD", Answer{Text: norm.NFD.String("người")}, 1},
		{"different word", Answer{Text: "nguon"}, 0},
	})

	daNang := Question{ID: "da-nang", Kind: Short, Text: vi("?"), IgnoreDiacritics: true,
		Accept: map[string][]string{"vi": {"Đà Nẵng"}}}
	runGrade(t, daNang, []gradeCase{
		{"Đ typed as d", Answer{Text: "da nang"}, 1},
		{"Đ typed as D", Answer{Text: "Da Nang"}, 1},
		{"lower-case đ", Answer{Text: "đà nẵng"}, 1},
	})
}

func TestGradeShortCaseSensitive(t *testing.T) {
	q := Question{ID: "ubnd", Kind: Short, Text: vi("?"), CaseSensitive: true,
		Accept: map[string][]string{"vi": {"UBND"}}}
	runGrade(t, q, []gradeCase{
		{"same case", Answer{Text: "UBND"}, 1},
		{"other case", Answer{Text: "ubnd"}, 0},
		{"whitespace still folded", Answer{Text: " UBND "}, 1},
	})
	q = Question{ID: "dang", Kind: Short, Text: vi("?"), CaseSensitive: true, IgnoreDiacritics: true,
		Accept: map[string][]string{"vi": {"Đảng"}}}
	runGrade(t, q, []gradeCase{
		{"Đ as D", Answer{Text: "Dang"}, 1},
		{"Đ as d", Answer{Text: "dang"}, 0},
	})
}

func TestGradeNumeric(t *testing.T) {
	tolerance := Question{ID: "ty-le", Kind: Numeric, Text: vi("?"), Value: f64(7.5), Tolerance: 0.1}
	runGrade(t, tolerance, []gradeCase{
		{"exact with comma", Answer{Text: "7,5"}, 1},
		{"exact with point", Answer{Text: "7.5"}, 1},
		{"percent sign", Answer{Text: "7,5%"}, 1},
		{"upper edge", Answer{Text: "7,6"}, 1},
		{"lower edge", Answer{Text: "7,4"}, 1},
		{"just above", Answer{Text: "7,61"}, 0},
		{"just below", Answer{Text: "7,39"}, 0},
		{"garbage", Answer{Text: "bảy phẩy năm"}, 0},
		{"number with unit", Answer{Text: "7,5kg"}, 0},
		{"empty", Answer{}, 0},
		{"NaN", Answer{Text: "NaN"}, 0},
		{"Inf", Answer{Text: "Inf"}, 0},
		{"-Infinity", Answer{Text: "-Infinity"}, 0},
		{"overflow", Answer{Text: "1e999"}, 0},
	})

	// 0.4 − 0.3 is 0.10000000000000003 in floating point: still within 0.1.
	small := Question{ID: "nho", Kind: Numeric, Text: vi("?"), Value: f64(0.3), Tolerance: 0.1}
	runGrade(t, small, []gradeCase{
		{"upper edge", Answer{Text: "0,4"}, 1},
		{"lower edge", Answer{Text: "0,2"}, 1},
	})

	exact := Question{ID: "tien", Kind: Numeric, Text: vi("?"), Value: f64(1234.5)}
	runGrade(t, exact, []gradeCase{
		{"Vietnamese grouping", Answer{Text: "1.234,5"}, 1},
		{"English grouping", Answer{Text: "1,234.5"}, 1},
		{"no grouping, comma", Answer{Text: "1234,5"}, 1},
		{"space grouping", Answer{Text: "1 234,5"}, 1},
		{"off by one", Answer{Text: "1235,5"}, 0},
	})

	percent := Question{ID: "phan-tram", Kind: Numeric, Text: vi("?"), Value: f64(30)}
	runGrade(t, percent, []gradeCase{
		{"30%", Answer{Text: "30%"}, 1},
		{"30 %", Answer{Text: "30 %"}, 1},
		{"30", Answer{Text: "30"}, 1},
		{"0,3", Answer{Text: "0,3"}, 0},
	})

	rng := Question{ID: "khoang", Kind: Numeric, Text: vi("?"), Min: f64(10), Max: f64(20)}
	runGrade(t, rng, []gradeCase{
		{"min", Answer{Text: "10"}, 1},
		{"max", Answer{Text: "20"}, 1},
		{"inside", Answer{Text: "15,5"}, 1},
		{"below", Answer{Text: "9,99"}, 0},
		{"above", Answer{Text: "20,01"}, 0},
		{"NaN", Answer{Text: "nan"}, 0},
	})
}

func TestParseNumber(t *testing.T) {
	cases := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"7,5", 7.5, true},
		{"7.5", 7.5, true},
		{" -7,5 ", -7.5, true},
		{"1.234,5", 1234.5, true},
		{"1,234.5", 1234.5, true},
		{"1.234.567,89", 1234567.89, true},
		{"1,234,567.89", 1234567.89, true},
		{"1 234 567", 1234567, true},
		{"30%", 30, true},
		{"30 %", 30, true},
		{",5", 0.5, true},
		{"0", 0, true},
		{"1,234", 1.234, true}, // a lone comma is the decimal separator
		{"1,234,567", 0, false},
		{"", 0, false},
		{"%", 0, false},
		{"abc", 0, false},
		{"7,5kg", 0, false},
		{"NaN", 0, false},
		{"nan", 0, false},
		{"Inf", 0, false},
		{"+Inf", 0, false},
		{"-infinity", 0, false},
		{"1e999", 0, false},
	}
	for _, c := range cases {
		got, ok := ParseNumber(c.in)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// matchingQuestion pairs each body with its role; two roles read the same.
func matchingQuestion() Question {
	return Question{ID: "ghep", Kind: Matching, Text: vi("Ghép cơ quan với vai trò"), Pairs: []Pair{
		{ID: "1", Left: vi("Quốc hội"), Right: vi("Lập pháp")},
		{ID: "2", Left: vi("Chính phủ"), Right: vi("Hành pháp")},
		{ID: "3", Left: vi("Tòa án"), Right: vi("Tư pháp")},
	}}
}

func pairs(kv ...string) Answer {
	a := Answer{Pairs: map[string]string{}}
	for i := 0; i+1 < len(kv); i += 2 {
		a.Pairs[kv[i]] = kv[i+1]
	}
	return a
}

func TestGradeMatching(t *testing.T) {
	runGrade(t, matchingQuestion(), []gradeCase{
		{"all right", pairs("1", "1", "2", "2", "3", "3"), 1},
		{"two of three", pairs("1", "1", "2", "2", "3", "2"), 2.0 / 3},
		{"two of three, one left out", pairs("1", "1", "2", "2"), 2.0 / 3},
		{"one of three (two swapped)", pairs("1", "1", "2", "3", "3", "2"), 1.0 / 3},
		{"all wrong", pairs("1", "2", "2", "3", "3", "1"), 0},
		{"none", Answer{}, 0},
		{"unknown ids", pairs("1", "x", "zz", "1", "2", "2", "3", "3"), 2.0 / 3},
	})

	// When two right-hand items read the same, the learner cannot tell them
	// apart, so either one counts.
	same := Question{ID: "trung", Kind: Matching, Text: vi("?"), Pairs: []Pair{
		{ID: "1", Left: vi("Bộ Nội vụ"), Right: vi("Cơ quan của Chính phủ")},
		{ID: "2", Left: vi("Bộ Tư pháp"), Right: vi("Cơ quan của Chính phủ")},
		{ID: "3", Left: vi("Văn phòng Quốc hội"), Right: vi("Cơ quan của Quốc hội")},
	}}
	runGrade(t, same, []gradeCase{
		{"duplicate right-hand text swapped", pairs("1", "2", "2", "1", "3", "3"), 1},
		{"both on one of the duplicates", pairs("1", "1", "2", "1", "3", "3"), 1},
		{"duplicate given to the other body", pairs("1", "1", "2", "2", "3", "1"), 2.0 / 3},
	})
}

func TestGradeOrdering(t *testing.T) {
	q := Question{ID: "quy-trinh", Kind: Ordering, Text: vi("Sắp xếp các bước"), Items: []Item{
		{ID: "1", Text: vi("Tiếp nhận")}, {ID: "2", Text: vi("Thẩm định")},
		{ID: "3", Text: vi("Phê duyệt")}, {ID: "4", Text: vi("Trả kết quả")},
	}}
	runGrade(t, q, []gradeCase{
		{"right", choose("1", "2", "3", "4"), 1},
		{"last two swapped", choose("1", "2", "4", "3"), 0.5},
		{"reversed", choose("4", "3", "2", "1"), 0},
		{"too short", choose("1", "2", "3"), 0},
		{"too long", choose("1", "2", "3", "4", "4"), 0},
		{"empty", Answer{}, 0},
		{"unknown ids", choose("1", "2", "x", "y"), 0.5},
	})
}

func TestGradePoints(t *testing.T) {
	single := singleQuestion()
	single.Points = 2
	runGrade(t, single, []gradeCase{{"right", choose("a"), 2}, {"wrong", choose("b"), 0}})

	partial := multipleQuestion(Partial)
	partial.Points = 3
	runGrade(t, partial, []gradeCase{{"half", choose("a"), 1.5}, {"penalised", choose("c"), 0}})

	m := matchingQuestion()
	m.Points = 3
	runGrade(t, m, []gradeCase{{"two of three", pairs("1", "1", "2", "2", "3", "2"), 2}})

	// Points of 0 (left out) make the question worth 1.
	zero := singleQuestion()
	zero.Points = 0
	runGrade(t, zero, []gradeCase{{"right", choose("a"), 1}})

	half := Question{ID: "nua", Kind: TrueFalse, Text: vi("?"), Correct: boolp(true), Points: 0.5}
	runGrade(t, half, []gradeCase{{"right", Answer{Bool: boolp(true)}, 0.5}})
}

func TestPercent(t *testing.T) {
	cases := []struct{ score, max, want float64 }{
		{7, 10, 70},
		{0, 10, 0},
		{10, 10, 100},
		{1, 3, 100.0 / 3},
		{0, 0, 0},
		{1, 0, 0},
		{1, -1, 0},
	}
	for _, c := range cases {
		if got := Percent(c.score, c.max); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("Percent(%v, %v) = %v; want %v", c.score, c.max, got, c.want)
		}
	}
}

func TestPassedAtThePassMark(t *testing.T) {
	// Three answers worth 70% each add up to 2.0999999999999996 in floating
	// point: that is 70% and must pass a 70% quiz.
	seventy := 0.7 + 0.7 + 0.7
	cases := []struct {
		mark, score, max float64
		want             bool
	}{
		{70, 7, 10, true},
		{70, 14, 20, true},
		{70, seventy, 3, true},
		{70, 6.99, 10, false},
		{70, 6, 10, false},
		{100, 3, 3, true},
		{100, 2.99, 3, false},
		{0, 0, 3, true},
		{50, 0.5, 1, true},
	}
	for _, c := range cases {
		z := &Quiz{PassMark: c.mark}
		if got := z.Passed(c.score, c.max); got != c.want {
			t.Errorf("pass mark %v: Passed(%v, %v) = %v; want %v", c.mark, c.score, c.max, got, c.want)
		}
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-9 {
			return false
		}
	}
	return true
}

// benchQuestions is one question of every kind with a right answer each.
func benchQuestions() ([]Question, []Answer) {
	short := Question{ID: "short", Kind: Short, Text: vi("?"), IgnoreDiacritics: true,
		Accept: map[string][]string{"vi": {"Chuyển đổi số", "chuyển đổi số quốc gia"}, "en": {"digital transformation"}}}
	ordering := Question{ID: "ordering", Kind: Ordering, Text: vi("?"), Items: []Item{
		{ID: "1", Text: vi("1")}, {ID: "2", Text: vi("2")}, {ID: "3", Text: vi("3")}, {ID: "4", Text: vi("4")}}}
	qs := []Question{
		singleQuestion(),
		multipleQuestion(Partial),
		{ID: "tf", Kind: TrueFalse, Text: vi("?"), Correct: boolp(true)},
		short,
		{ID: "numeric", Kind: Numeric, Text: vi("?"), Value: f64(1234.5), Tolerance: 0.5},
		matchingQuestion(),
		ordering,
	}
	as := []Answer{
		choose("a"),
		choose("a", "b"),
		{Bool: boolp(true)},
		{Text: "  chuyen DOI so "},
		{Text: "1.234,5"},
		pairs("1", "1", "2", "2", "3", "3"),
		choose("1", "2", "3", "4"),
	}
	return qs, as
}

// BenchmarkGrade grades one answer of each kind, for comparison with
// store.BenchmarkGradeAndRecordAnswer, which also commits it to disk.
func BenchmarkGrade(b *testing.B) {
	qs, as := benchQuestions()
	for i := range qs {
		b.Run(string(qs[i].Kind), func(b *testing.B) {
			for b.Loop() {
				Grade(&qs[i], as[i])
			}
		})
	}
}

func TestAnswerEqual(t *testing.T) {
	yes, no := true, false
	cases := []struct {
		a, b Answer
		want bool
	}{
		{Answer{}, Answer{}, true},
		{Answer{Text: "quy"}, Answer{Text: "quy"}, true},
		{Answer{Text: "quy"}, Answer{Text: "quy "}, false},
		{Answer{Choices: []string{"a", "b"}}, Answer{Choices: []string{"a", "b"}}, true},
		{Answer{Choices: []string{"a", "b"}}, Answer{Choices: []string{"b", "a"}}, false},
		{Answer{Bool: &yes}, Answer{Bool: &yes}, true},
		{Answer{Bool: &yes}, Answer{Bool: &no}, false},
		{Answer{Bool: &yes}, Answer{}, false},
		{Answer{Pairs: map[string]string{"1": "2"}}, Answer{Pairs: map[string]string{"1": "2"}}, true},
		{Answer{Pairs: map[string]string{"1": "2"}}, Answer{Pairs: map[string]string{"1": "3"}}, false},
		{Answer{Pairs: map[string]string{"1": "2"}}, Answer{Pairs: map[string]string{"2": "2"}}, false},
	}
	for i, c := range cases {
		if got := c.a.Equal(c.b); got != c.want {
			t.Errorf("case %d: %+v.Equal(%+v) = %v, want %v", i, c.a, c.b, got, c.want)
		}
	}
}

func TestFoldSpace(t *testing.T) {
	for _, s := range []string{"", " ", "a", "a b", " a", "a ", "a  b", "a\tb", "a\u00a0b", "Bộ Chính trị", "a\u3000", "\nx y\n", "a b  "} {
		if got, want := foldSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("foldSpace(%q) = %q; want %q", s, got, want)
		}
	}
}
