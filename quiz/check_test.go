package quiz

import (
	"math"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"hocso/locales"
)

var bothLangs = []string{"vi", "en"}

func viEn(v, e string) Text { return Text{"vi": v, "en": e} }

// validQuiz has one question of every kind and nothing for Check to report.
func validQuiz() *Quiz {
	return &Quiz{
		ID: "kiem-tra", Title: viEn("Kiểm tra", "Quiz"), PassMark: 70, Draw: 0,
		Grading: GradeHighest, Feedback: FeedbackEnd,
		Questions: []Question{
			{ID: "q-single", Kind: Single, Text: viEn("Một?", "One?"), Options: []Option{
				{ID: "a", Text: viEn("Hà Nội", "Hanoi"), Correct: true},
				{ID: "b", Text: viEn("Huế", "Hue")},
			}},
			{ID: "q-multiple", Kind: Multiple, Scoring: Partial, Text: viEn("Nhiều?", "Many?"), Options: []Option{
				{ID: "a", Text: viEn("Công khai", "Openness"), Correct: true},
				{ID: "b", Text: viEn("Minh bạch", "Transparency"), Correct: true},
				{ID: "c", Text: viEn("Bí mật", "Secrecy")},
			}},
			{ID: "q-truefalse", Kind: TrueFalse, Text: viEn("Đúng?", "True?"), Correct: boolp(true)},
			{ID: "q-short", Kind: Short, Text: viEn("Gõ?", "Type?"),
				Accept: map[string][]string{"vi": {"Hà Nội"}, "en": {"Hanoi"}}},
			{ID: "q-numeric", Kind: Numeric, Text: viEn("Số?", "Number?"), Value: f64(7.5), Tolerance: 0.1},
			{ID: "q-range", Kind: Numeric, Text: viEn("Khoảng?", "Range?"), Min: f64(10), Max: f64(20)},
			{ID: "q-matching", Kind: Matching, Text: viEn("Ghép?", "Match?"), Pairs: []Pair{
				{ID: "1", Left: viEn("Quốc hội", "National Assembly"), Right: viEn("Lập pháp", "Legislative")},
				{ID: "2", Left: viEn("Chính phủ", "Government"), Right: viEn("Hành pháp", "Executive")},
			}},
			{ID: "q-ordering", Kind: Ordering, Text: viEn("Thứ tự?", "Order?"), Items: []Item{
				{ID: "1", Text: viEn("Tiếp nhận", "Receive")},
				{ID: "2", Text: viEn("Trả kết quả", "Return")},
			}},
		},
	}
}

// issue is what a test expects: question id, field and message id.
type issue struct{ q, field, id string }

func (i issue) String() string { return i.q + " " + i.field + " " + i.id }

func issueSet(is []Issue) []string {
	out := make([]string, len(is))
	for k, i := range is {
		out[k] = issue{i.Question, i.Field, i.ID}.String()
	}
	slices.Sort(out)
	return out
}

type checkCase struct {
	name   string
	change func(z *Quiz)
	want   []issue
}

// q returns the question of validQuiz with the given id.
func q(z *Quiz, id string) *Question {
	qq := z.Question(id)
	if qq == nil {
		panic("no question " + id)
	}
	return qq
}

func checkCases() []checkCase {
	return []checkCase{
		{"valid quiz", func(z *Quiz) {}, nil},

		// The quiz's rules.
		{"pass mark below 0", func(z *Quiz) { z.PassMark = -1 }, []issue{{"", "pass_mark", "ProblemPassMark"}}},
		{"pass mark above 100", func(z *Quiz) { z.PassMark = 101 }, []issue{{"", "pass_mark", "ProblemPassMark"}}},
		{"pass mark 0 and 100 are fine", func(z *Quiz) { z.PassMark = 100 }, nil},
		{"negative draw", func(z *Quiz) { z.Draw = -1 }, []issue{{"", "draw", "ProblemDraw"}}},
		{"draw larger than the pool", func(z *Quiz) { z.Draw = len(z.Questions) + 1 }, []issue{{"", "draw", "ProblemDraw"}}},
		{"draw the whole pool is fine", func(z *Quiz) { z.Draw = len(z.Questions) }, nil},
		{"negative max_attempts", func(z *Quiz) { z.MaxAttempts = -1 }, []issue{{"", "max_attempts", "ProblemNegative"}}},
		{"negative time limit", func(z *Quiz) { z.TimeLimitMinutes = -5 }, []issue{{"", "time_limit_minutes", "ProblemNegative"}}},
		{"unknown grading", func(z *Quiz) { z.Grading = "average" }, []issue{{"", "grading", "ProblemOneOf"}}},
		{"unknown feedback", func(z *Quiz) { z.Feedback = "never" }, []issue{{"", "feedback", "ProblemOneOf"}}},
		{"no questions", func(z *Quiz) { z.Questions = nil }, []issue{{"", "question", "ProblemNoQuestions"}}},

		// Every question.
		{"question without id", func(z *Quiz) { q(z, "q-truefalse").ID = "" }, []issue{{"", "id", "ProblemMissingField"}}},
		{"unknown type", func(z *Quiz) { q(z, "q-truefalse").Kind = "essay" }, []issue{{"q-truefalse", "type", "ProblemOneOf"}}},
		{"unknown kind", func(z *Quiz) { q(z, "q-single").Skill = "memory" }, []issue{{"q-single", "kind", "ProblemOneOf"}}},
		{"kind in upper case is not a kind", func(z *Quiz) { q(z, "q-single").Skill = "Applied" }, []issue{{"q-single", "kind", "ProblemOneOf"}}},
		{"every kind is allowed", func(z *Quiz) {
			for i, s := range Skills {
				z.Questions[i%len(z.Questions)].Skill = s
			}
		}, nil},
		{"kind may be left out", func(z *Quiz) { q(z, "q-single").Skill = "" }, nil},
		{"negative points", func(z *Quiz) { q(z, "q-single").Points = -1 }, []issue{{"q-single", "points", "ProblemNegative"}}},
		{"NaN points", func(z *Quiz) { q(z, "q-single").Points = math.NaN() }, []issue{{"q-single", "points", "ProblemNegative"}}},
		{"infinite points", func(z *Quiz) { q(z, "q-single").Points = math.Inf(1) }, []issue{{"q-single", "points", "ProblemNegative"}}},
		{"question text missing in English", func(z *Quiz) { delete(q(z, "q-single").Text, "en") },
			[]issue{{"q-single", "text.en", "ProblemMissingText"}}},
		{"question text empty in Vietnamese", func(z *Quiz) { q(z, "q-single").Text["vi"] = "" },
			[]issue{{"q-single", "text.vi", "ProblemMissingText"}}},

		// Single and multiple choice.
		{"one option only", func(z *Quiz) { qq := q(z, "q-single"); qq.Options = qq.Options[:1] },
			[]issue{{"q-single", "option", "ProblemTooFewOptions"}}},
		{"no options", func(z *Quiz) { q(z, "q-single").Options = nil },
			[]issue{{"q-single", "option", "ProblemTooFewOptions"}}},
		{"option without id", func(z *Quiz) { q(z, "q-single").Options[1].ID = "" },
			[]issue{{"q-single", "option[2].id", "ProblemMissingField"}}},
		{"two options with one id", func(z *Quiz) { q(z, "q-multiple").Options[2].ID = "a" },
			[]issue{{"q-multiple", "option[3].id", "ProblemDuplicateID"}}},
		{"option text missing in English", func(z *Quiz) { delete(q(z, "q-multiple").Options[0].Text, "en") },
			[]issue{{"q-multiple", "option[1].text.en", "ProblemMissingText"}}},
		{"single without a correct option", func(z *Quiz) { q(z, "q-single").Options[0].Correct = false },
			[]issue{{"q-single", "option", "ProblemSingleCorrect"}}},
		{"single with two correct options", func(z *Quiz) { q(z, "q-single").Options[1].Correct = true },
			[]issue{{"q-single", "option", "ProblemSingleCorrect"}}},
		{"multiple without a correct option", func(z *Quiz) {
			for i := range q(z, "q-multiple").Options {
				q(z, "q-multiple").Options[i].Correct = false
			}
		}, []issue{{"q-multiple", "option", "ProblemNoCorrect"}}},
		{"multiple made right by a positive weight", func(z *Quiz) {
			qq := q(z, "q-multiple")
			for i := range qq.Options {
				qq.Options[i].Correct = false
			}
			qq.Options[0].Weight = f64(100)
		}, nil},
		{"unknown scoring", func(z *Quiz) { q(z, "q-multiple").Scoring = "half" },
			[]issue{{"q-multiple", "scoring", "ProblemOneOf"}}},
		{"two options read the same", func(z *Quiz) { q(z, "q-single").Options[1].Text["vi"] = "Hà Nội" },
			[]issue{{"q-single", "option[2].text.vi", "ProblemDuplicateOption"}}},
		{"two options read the same but for case and spaces", func(z *Quiz) { q(z, "q-multiple").Options[2].Text["en"] = " openness  " },
			[]issue{{"q-multiple", "option[3].text.en", "ProblemDuplicateOption"}}},
		{"two options read the same in NFD", func(z *Quiz) {
			q(z, "q-single").Options[1].Text["vi"] = norm.NFD.String("Hà Nội")
		}, []issue{{"q-single", "option[2].text.vi", "ProblemDuplicateOption"}}},
		{"options differing only in diacritics are different", func(z *Quiz) { q(z, "q-single").Options[1].Text["vi"] = "Hà Nam" }, nil},

		// True/false.
		{"true/false without correct", func(z *Quiz) { q(z, "q-truefalse").Correct = nil },
			[]issue{{"q-truefalse", "correct", "ProblemMissingField"}}},

		// Short answer.
		{"no accepted answers in English", func(z *Quiz) { delete(q(z, "q-short").Accept, "en") },
			[]issue{{"q-short", "accept.en", "ProblemNoAccepted"}}},
		{"only a blank accepted answer", func(z *Quiz) { q(z, "q-short").Accept["vi"] = []string{"  "} },
			[]issue{{"q-short", "accept.vi", "ProblemNoAccepted"}}},
		{"only marks, with ignore_diacritics", func(z *Quiz) {
			qq := q(z, "q-short")
			qq.IgnoreDiacritics = true
			qq.Accept["vi"] = []string{"\u0301"}
		}, []issue{{"q-short", "accept.vi", "ProblemNoAccepted"}}},

		// Numeric.
		{"neither value nor range", func(z *Quiz) { q(z, "q-numeric").Value = nil },
			[]issue{{"q-numeric", "value", "ProblemNumericAnswer"}}},
		{"min without max", func(z *Quiz) { q(z, "q-range").Max = nil },
			[]issue{{"q-range", "value", "ProblemNumericAnswer"}}},
		{"min above max", func(z *Quiz) { q(z, "q-range").Min = f64(30) },
			[]issue{{"q-range", "min", "ProblemRange"}}},
		{"negative tolerance", func(z *Quiz) { q(z, "q-numeric").Tolerance = -0.1 },
			[]issue{{"q-numeric", "tolerance", "ProblemNegative"}}},
		{"NaN value", func(z *Quiz) { q(z, "q-numeric").Value = f64(math.NaN()) },
			[]issue{{"q-numeric", "value", "ProblemNumericAnswer"}}},
		{"infinite value", func(z *Quiz) { q(z, "q-numeric").Value = f64(math.Inf(1)) },
			[]issue{{"q-numeric", "value", "ProblemNumericAnswer"}}},
		{"infinite max means at least min", func(z *Quiz) { q(z, "q-range").Max = f64(math.Inf(1)) }, nil},
		{"range with no finite number", func(z *Quiz) { q(z, "q-range").Min, q(z, "q-range").Max = f64(math.Inf(1)), f64(math.Inf(1)) },
			[]issue{{"q-range", "value", "ProblemNumericAnswer"}}},
		{"NaN min", func(z *Quiz) { q(z, "q-range").Min = f64(math.NaN()) },
			[]issue{{"q-range", "value", "ProblemNumericAnswer"}}},
		{"NaN tolerance", func(z *Quiz) { q(z, "q-numeric").Tolerance = math.NaN() },
			[]issue{{"q-numeric", "tolerance", "ProblemNegative"}}},

		// Matching.
		{"one pair only", func(z *Quiz) { qq := q(z, "q-matching"); qq.Pairs = qq.Pairs[:1] },
			[]issue{{"q-matching", "pair", "ProblemTooFewOptions"}}},
		{"left side missing in English", func(z *Quiz) { delete(q(z, "q-matching").Pairs[1].Left, "en") },
			[]issue{{"q-matching", "pair[2].left.en", "ProblemMissingText"}}},
		{"right side missing in Vietnamese", func(z *Quiz) { delete(q(z, "q-matching").Pairs[0].Right, "vi") },
			[]issue{{"q-matching", "pair[1].right.vi", "ProblemMissingText"}}},
		{"two pairs with one id", func(z *Quiz) { q(z, "q-matching").Pairs[1].ID = "1" },
			[]issue{{"q-matching", "pair[2].id", "ProblemDuplicateID"}}},
		{"two left sides read the same", func(z *Quiz) { q(z, "q-matching").Pairs[1].Left["vi"] = "quốc hội" },
			[]issue{{"q-matching", "pair[2].left.vi", "ProblemDuplicateOption"}}},
		{"two right sides may read the same", func(z *Quiz) { q(z, "q-matching").Pairs[1].Right = viEn("Lập pháp", "Legislative") }, nil},

		// Ordering.
		{"one item only", func(z *Quiz) { qq := q(z, "q-ordering"); qq.Items = qq.Items[:1] },
			[]issue{{"q-ordering", "item", "ProblemTooFewOptions"}}},
		{"item text missing in English", func(z *Quiz) { delete(q(z, "q-ordering").Items[0].Text, "en") },
			[]issue{{"q-ordering", "item[1].text.en", "ProblemMissingText"}}},
		{"two items with one id", func(z *Quiz) { q(z, "q-ordering").Items[1].ID = "1" },
			[]issue{{"q-ordering", "item[2].id", "ProblemDuplicateID"}}},
		{"two items read the same", func(z *Quiz) { q(z, "q-ordering").Items[1].Text = viEn("Tiếp nhận", "Receive") },
			[]issue{{"q-ordering", "item[2].text.vi", "ProblemDuplicateOption"}, {"q-ordering", "item[2].text.en", "ProblemDuplicateOption"}}},

		// Everything at once is reported, not only the first.
		{"several problems", func(z *Quiz) {
			z.PassMark = 120
			q(z, "q-truefalse").Correct = nil
			q(z, "q-range").Min = f64(30)
		}, []issue{{"", "pass_mark", "ProblemPassMark"}, {"q-truefalse", "correct", "ProblemMissingField"}, {"q-range", "min", "ProblemRange"}}},
	}
}

func TestQuizCheck(t *testing.T) {
	for _, c := range checkCases() {
		t.Run(c.name, func(t *testing.T) {
			z := validQuiz()
			c.change(z)
			got := issueSet(z.Check(bothLangs))
			want := make([]string, len(c.want))
			for i, w := range c.want {
				want[i] = w.String()
			}
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("Check reports\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
		})
	}
}

// TestQuestionCheckLanguages checks that only the pack's languages are required.
func TestQuestionCheckLanguages(t *testing.T) {
	qq := Question{ID: "q", Kind: Short, Text: vi("Gõ?"), Accept: map[string][]string{"vi": {"Hà Nội"}}}
	if is := qq.Check([]string{"vi"}); len(is) != 0 {
		t.Errorf("Check(vi) = %v; want nothing", is)
	}
	got := issueSet(qq.Check(bothLangs))
	want := []string{"q accept.en ProblemNoAccepted", "q text.en ProblemMissingText"}
	if !slices.Equal(got, want) {
		t.Errorf("Check(vi, en) = %v; want %v", got, want)
	}
}

// TestIssuesReadWell renders every issue Check reports in both languages, as
// the trainer running `hocso pack validate` reads it: a known message with
// every blank filled.
func TestIssuesReadWell(t *testing.T) {
	for _, c := range checkCases() {
		z := validQuiz()
		c.change(z)
		for _, is := range z.Check(bothLangs) {
			for _, lang := range locales.Languages {
				s := locales.New(lang).T(is.ID, is.Data)
				if s == is.ID || strings.Contains(s, "<no value>") {
					t.Errorf("%s: %s/%s reads %q", c.name, lang, is.ID, s)
				}
			}
		}
	}
}

// A question's kind is for authors: tagging it does not change the hash that
// marks learners' answers as given to older wording, while a change a learner
// can see does.
func TestHashIgnoresKind(t *testing.T) {
	yes := true
	q := Question{ID: "q", Kind: TrueFalse, Correct: &yes, Text: Text{"vi": "Câu hỏi", "en": "Question"}}
	before := q.Hash()
	q.Skill = Applied
	if got := q.Hash(); got != before {
		t.Errorf("hash changed with the kind: %s → %s", before, got)
	}
	q.Text = Text{"vi": "Câu hỏi khác", "en": "Another question"}
	if q.Hash() == before {
		t.Error("hash did not change with the text")
	}
}
