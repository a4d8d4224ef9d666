package builtin_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"hocso/quiz"
)

// Issue 12 holds the built-in course to quizzes that test doing, not only
// remembering, and to law that is current. Each rule has its own test so that
// a failure names the rule.

const (
	minAppliedPercent = 40
	maxRecallPercent  = 30
	// Two stems where this share of the shorter one's words is in the other,
	// with the same type and the same right answer, ask the same thing in
	// other words.
	sameStemContainment = 0.85
)

// TestBuiltinQuizzesTestPractice: in every module at least 40% of the
// questions put the learner in a situation at work, and at most 30% recall a
// number, date, symbol or issuer.
func TestBuiltinQuizzesTestPractice(t *testing.T) {
	p := loadBuiltin(t)
	for _, m := range p.Modules {
		if m.Quiz == nil {
			continue
		}
		n := len(m.Quiz.Questions)
		count := map[quiz.Skill]int{}
		for _, q := range m.Quiz.Questions {
			count[q.Skill]++
		}
		if count[quiz.Applied]*100 < minAppliedPercent*n {
			t.Errorf("module %s: %d of %d questions applied; want at least %d%%", m.ID, count[quiz.Applied], n, minAppliedPercent)
		}
		if count[quiz.Recall]*100 > maxRecallPercent*n {
			t.Errorf("module %s: %d of %d questions recall; want at most %d%%", m.ID, count[quiz.Recall], n, maxRecallPercent)
		}
	}
}

// TestBuiltinNoRepeatedStems: no question asks what another one in the pack
// already asks, in the same words or in other words with the same answer.
func TestBuiltinNoRepeatedStems(t *testing.T) {
	var all []stem
	for _, q := range questions(loadBuiltin(t)) {
		cur := newStem(q)
		for _, o := range all {
			if o.same(cur) {
				t.Errorf("questions %s and %s ask the same thing: %q ~ %q", o.q.ID, q.ID, o.q.Text[quiz.DefaultLang], q.Text[quiz.DefaultLang])
			}
		}
		all = append(all, cur)
	}
}

// stem is a question with what comparing it needs, worked out once.
type stem struct {
	q      *quiz.Question
	words  map[string]bool
	answer string
}

func newStem(q *quiz.Question) stem {
	return stem{q: q, words: stemWords(q.Text[quiz.DefaultLang]), answer: rightAnswer(q)}
}

// same reports whether b asks what a asks: the same words, or nearly all the
// words of the shorter stem, with the same type and answer.
func (a stem) same(b stem) bool {
	c := containment(a.words, b.words)
	if c == 1 && len(a.words) == len(b.words) {
		return true
	}
	return a.q.Kind == b.q.Kind && c >= sameStemContainment && a.answer == b.answer
}

func TestSameQuestion(t *testing.T) {
	single := func(text, answer string) *quiz.Question {
		return &quiz.Question{Kind: quiz.Single, Text: quiz.Text{"vi": text},
			Options: []quiz.Option{{ID: "a", Text: quiz.Text{"vi": answer}, Correct: true}, {ID: "b", Text: quiz.Text{"vi": "khác"}}}}
	}
	for _, tc := range []struct {
		a, b *quiz.Question
		same bool
	}{
		{single("Theo Chương trình Chuyển đổi số quốc gia (Quyết định 749/QĐ-TTg), mục tiêu đến năm 2025 về tỷ lệ hồ sơ công việc ở cấp xã được xử lý trên môi trường mạng là bao nhiêu?", "60%"),
			single("Theo Quyết định 749/QĐ-TTg, đến năm 2025 tỷ lệ hồ sơ công việc ở cấp xã được xử lý trên môi trường mạng là bao nhiêu?", "60%"), true},
		{single("Nghị quyết 50/NQ-CP ngày 17/4/2020 của Chính phủ là văn bản gì?", "Chương trình hành động"),
			single("Nghị quyết 50/NQ-CP là văn bản gì?", "Chương trình hành động"), true},
		{single("Cơ quan nào ban hành Nghị quyết 52-NQ/TW?", "Bộ Chính trị"),
			single("Cơ quan nào ban hành Nghị quyết 52-NQ/TW?", "Ban Chấp hành Trung ương"), true},
		{single("Luật An ninh mạng số 116/2025/QH15 có hiệu lực từ ngày nào?", "1/7/2026"),
			single("Luật Chuyển đổi số số 148/2025/QH15 có hiệu lực từ ngày nào?", "1/7/2026"), false},
		{single("Nghị quyết 50/NQ-CP là văn bản gì?", "Chương trình hành động"),
			single("Nghị quyết 50/NQ-CP là văn bản gì?  ", "Chương trình hành động"), true},
		{single("Luật Dữ liệu có hiệu lực từ ngày nào?", "1/7/2025"),
			single("Luật Dữ liệu được thông qua ngày nào?", "30/11/2024"), false},
	} {
		if got := newStem(tc.a).same(newStem(tc.b)); got != tc.same {
			t.Errorf("same(%q, %q) = %v; want %v", tc.a.Text["vi"], tc.b.Text["vi"], got, tc.same)
		}
	}
}

// stemWords is the set of words of a question's text, in lower case, without
// punctuation or the "(Chọn tất cả đáp án đúng)" instruction.
func stemWords(text string) map[string]bool {
	text = strings.ToLower(norm.NFC.String(text))
	text = strings.ReplaceAll(text, "(chọn tất cả đáp án đúng)", "")
	words := map[string]bool{}
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(" \t\n,.;:?!()“”\"…–", r) }) {
		words[w] = true
	}
	return words
}

// containment is the share of the smaller set's words found in the other.
func containment(a, b map[string]bool) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) == 0 {
		return 0
	}
	in := 0
	for w := range a {
		if b[w] {
			in++
		}
	}
	return float64(in) / float64(len(a))
}

// rightAnswer is a question's right answer as one comparable string.
func rightAnswer(q *quiz.Question) string {
	var parts []string
	switch q.Kind {
	case quiz.Single, quiz.Multiple:
		for _, o := range q.Options {
			if o.Correct {
				parts = append(parts, strings.ToLower(o.Text[quiz.DefaultLang]))
			}
		}
		slices.Sort(parts)
	case quiz.TrueFalse:
		parts = append(parts, fmt.Sprint(q.Correct != nil && *q.Correct))
	case quiz.Short:
		parts = append(parts, q.Accept[quiz.DefaultLang]...)
	case quiz.Numeric:
		parts = append(parts, fmt.Sprint(q.Value, q.Min, q.Max))
	case quiz.Matching:
		for _, pr := range q.Pairs {
			parts = append(parts, pr.Left[quiz.DefaultLang]+"="+pr.Right[quiz.DefaultLang])
		}
	case quiz.Ordering:
		for _, it := range q.Items {
			parts = append(parts, it.Text[quiz.DefaultLang])
		}
	}
	return strings.Join(parts, "|")
}

// Decree 13/2023/ND-CP ceased to have effect on 1/1/2026; a sentence that
// names it must say so.
var (
	decree13 = map[string]*regexp.Regexp{
		"vi": regexp.MustCompile(`(?i)(Nghị định|NĐ)( số)? 13/2023`),
		"en": regexp.MustCompile(`(?i)Decree( No\.)? 13/2023`),
	}
	replacedMarks = map[string][]string{
		"vi": {"hết hiệu lực", "thay thế", "thay cho", "thay bằng", "không còn hiệu lực", "trước đây", "trước ngày 1/1/2026", "đến hết ngày 31/12/2025", "lịch sử"},
		"en": {"ceased", "replaced", "no longer in force", "repealed", "formerly", "before 1 January 2026", "until 31 December 2025", "history", "historical"},
	}
	sentenceEnd = regexp.MustCompile(`[.!?](\s|$)|\n`)
)

// TestBuiltinDecree13OnlyAsHistory: no lesson, lesson title or module
// summary names Decree 13/2023/ND-CP in a sentence that does not say it was
// replaced.
func TestBuiltinDecree13OnlyAsHistory(t *testing.T) {
	p := loadBuiltin(t)
	check := func(where, lang, text string) {
		for _, s := range sentenceEnd.Split(text, -1) {
			if !decree13[lang].MatchString(s) {
				continue
			}
			if !slices.ContainsFunc(replacedMarks[lang], func(m string) bool { return strings.Contains(strings.ToLower(s), m) }) {
				t.Errorf("%s names Decree 13/2023 as if in force: %q", where, strings.TrimSpace(s))
			}
		}
	}
	for _, m := range p.Modules {
		for _, lang := range []string{"vi", "en"} {
			check("module "+m.ID+" summary", lang, m.Summary[lang])
			for _, l := range m.Lessons {
				check(l.Files[lang]+" title", lang, l.Title[lang])
				check(l.Files[lang], lang, l.Body[lang])
			}
		}
	}
}

// TestBuiltinExplanationsCiteTheirSources: every explanation ends with
// "(Nguồn: …)" / "(Source: …)" naming sources the question lists.
func TestBuiltinExplanationsCiteTheirSources(t *testing.T) {
	cite := map[string]*regexp.Regexp{
		"vi": regexp.MustCompile(`\(Nguồn: ([^()]+)\)$`),
		"en": regexp.MustCompile(`\(Source: ([^()]+)\)$`),
	}
	for _, q := range questions(loadBuiltin(t)) {
		for lang, re := range cite {
			m := re.FindStringSubmatch(strings.TrimSpace(q.Explanation[lang]))
			if m == nil {
				t.Errorf("question %s: %s explanation does not end with its sources", q.ID, lang)
				continue
			}
			for _, id := range strings.Split(m[1], ", ") {
				if !slices.Contains(q.Sources, id) {
					t.Errorf("question %s: %s explanation cites %s, which the question's sources do not list", q.ID, lang, id)
				}
			}
		}
	}
}

// authorNotes are phrases that speak to the course's authors rather than to
// learners, of the kind issue 12 found in the course.
var authorNotes = []string{
	"đề nghị học viên tra cứu", "nguồn của khóa học", "chưa tìm thấy nguồn", "không tìm thấy trong nguồn",
	"course's sources", "course’s sources", "not found in sources", "todo", "⚠",
}

// TestBuiltinNoNotesToAuthors: learner-facing text holds no notes addressed
// to the people who write the course.
func TestBuiltinNoNotesToAuthors(t *testing.T) {
	for where, s := range packStrings(loadBuiltin(t)) {
		if strings.HasPrefix(where, "source ") {
			continue
		}
		low := strings.ToLower(s)
		for _, n := range authorNotes {
			if strings.Contains(low, n) {
				t.Errorf("%s speaks to authors (%q)", where, n)
			}
		}
	}
}
