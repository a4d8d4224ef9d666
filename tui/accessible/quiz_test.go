package accessible

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"hocso/quiz"
	"hocso/store"
	"hocso/tui/common"
)

// practiceAnswers are the right answers to the practice quiz as a learner
// types them: for matching, one line per left item with the number of its
// right item as shown; for ordering, the item numbers in the right order.
func practiceAnswers(t *testing.T, c *common.Common) (match []string, order string) {
	t.Helper()
	z := c.Pack.Module("luyen-tap").Quiz
	shown := func(q *quiz.Question, i int) int {
		for n, k := range z.Arrangement(q, 42) {
			if k == i {
				return n + 1
			}
		}
		t.Fatalf("%s: item %d not shown", q.ID, i)
		return 0
	}
	m, o := z.Question("lt-q1"), z.Question("lt-q2")
	for i := range m.Pairs {
		match = append(match, fmt.Sprint(shown(m, i)))
	}
	var ns []string
	for i := range o.Items {
		ns = append(ns, fmt.Sprint(shown(o, i)))
	}
	return match, strings.Join(ns, " ")
}

func onlyAttempt(t *testing.T, c *common.Common, quizID string) store.Attempt {
	t.Helper()
	as, err := c.Store.Attempts(c.Ctx, c.Learner.ID, c.Pack.ID, quizID)
	if err != nil || len(as) != 1 {
		t.Fatalf("attempts = %+v, %v", as, err)
	}
	return as[0]
}

// TestQuizEveryKind takes the basics quiz to the end: single, true/false,
// multiple with partial scoring, short and numeric answers, each with a
// mistake in the typing first, then submits and reads the review.
func TestQuizEveryKind(t *testing.T) {
	c, _ := newCommon(t, "vi")
	withLearner(t, c)
	got := transcript(t, c,
		"1", "3", "1", // module 1, its quiz, start
		"0", "1 2", "1", // single: out of range, two numbers, then right
		"đúng",      // true/false: the word or its number
		"1",         // multiple: one of the two right options
		"", "vneid", // short: Enter alone reads the question again
		"bốn mươi tư", "44", // numeric: words are not a number
		"x", "c", "", // submit; Enter hears the rest of the review
	)
	contains(t, got,
		"Câu 1/5. Chọn một đáp án.\nNghị quyết 52-NQ/TW do cơ quan nào ban hành?\n1. Bộ Chính trị\n2. Quốc hội\n3. Chính phủ\nGõ số của đáp án (1–3): 0\nKhông có lựa chọn “0”. Xin gõ một số từ 1 đến 3.",
		"Gõ số của đáp án (1–3): 1 2\nCâu này chỉ chọn một đáp án.",
		"Câu 2/5. Đúng hay sai.\nNgày Chuyển đổi số quốc gia là ngày 10/10 hằng năm.\n1. Đúng\n2. Sai\n",
		"Câu 3/5. Chọn tất cả đáp án đúng.",
		"Gõ số của tất cả đáp án đúng, cách nhau bằng dấu cách hoặc dấu phẩy: 1\n",
		"Gõ câu trả lời rồi bấm Enter: \n\nCâu 4/5. Trả lời ngắn.\nỨng dụng định danh điện tử",
		"Gõ một số, ví dụ 7,5: bốn mươi tư\nĐây chưa phải là một số.",
		"Đồng chí đã trả lời 5/5 câu.",
		"Nộp bài? (c/k): x\nGõ c để nộp bài",
		"Kiểm tra: Những điều cơ bản — kết quả\nĐạt. Điểm 4,5/5 (90%; cần 60% để đạt).",
		"Câu 3/5. Những trụ cột nào thuộc Chương trình Chuyển đổi số quốc gia?\nĐúng một phần (0,5/1 điểm).\nCâu trả lời của đồng chí: Chính phủ số\nĐáp án đúng: Chính phủ số; Kinh tế số",
		"Câu 1/5. Nghị quyết 52-NQ/TW do cơ quan nào ban hành?\nĐúng.\nCâu trả lời của đồng chí: Bộ Chính trị\nBộ Chính trị ban hành Nghị quyết 52-NQ/TW. (Nguồn: S1)",
		"3. Bài kiểm tra “Kiểm tra: Những điều cơ bản” (5 câu hỏi, đạt từ 60%, Đạt 90%)",
	)
	if strings.Contains(got, "Bấm Enter để sang câu tiếp theo") {
		t.Fatal("feedback given during a quiz whose feedback comes at the end")
	}

	a := onlyAttempt(t, c, "co-ban-quiz")
	if a.SubmittedAt == nil || a.Score != 4.5 || a.MaxScore != 5 || !a.Passed {
		t.Fatalf("attempt = %+v", a)
	}
	answers, err := c.Store.Answers(c.Ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	// the same payload as the TUI's quiz screen records
	want := map[string]string{
		"cb-q1": `{"choices":["a"]}`, "cb-q2": `{"bool":true}`, "cb-q3": `{"choices":["a"]}`,
		"cb-q4": `{"text":"vneid"}`, "cb-q5": `{"text":"44"}`,
	}
	z := c.Pack.Module("co-ban").Quiz
	for id, w := range want {
		ans, q := answers[id], z.Question(id)
		if string(ans.Answer) != w || ans.QuestionHash != q.Hash() || ans.MaxScore != q.MaxPoints() {
			t.Errorf("%s recorded as %s (hash %s, max %v); want %s", id, ans.Answer, ans.QuestionHash, ans.MaxScore, w)
		}
		var qa quiz.Answer
		if err := json.Unmarshal(ans.Answer, &qa); err != nil || quiz.Grade(q, qa) != ans.Score {
			t.Errorf("%s: score %v is not the grade of %s", id, ans.Score, ans.Answer)
		}
	}
}

// TestPracticeQuizFeedback takes the matching and ordering quiz, whose
// feedback is immediate, with its number of attempts and its time limit said.
func TestPracticeQuizFeedback(t *testing.T) {
	c, _ := newCommon(t, "vi")
	withLearner(t, c)
	match, _ := practiceAnswers(t, c)
	lines := []string{"2", "1", "1", "9"} // module 2, its quiz, start, no right item 9
	lines = append(lines, match...)
	lines = append(lines, "", "1 1 2", "1 2 3 4", "", "c")
	got := transcript(t, c, lines...)
	contains(t, got,
		"1. Bài kiểm tra “Luyện tập” (2 câu hỏi, đạt từ 50%, làm trong 15 phút, chưa làm bài kiểm tra, còn 2 lượt làm bài)",
		"Luyện tập (2 câu hỏi, đạt từ 50%, làm trong 15 phút).\nThời gian làm bài: 15 phút",
		"Câu 1/2. Ghép cặp. Còn lại 15 phút.\nGhép văn bản với ngày ban hành.\nCột bên phải:\n",
		"Với mỗi mục dưới đây, gõ số của mục ở cột bên phải ghép với nó.\nNQ 52-NQ/TW: ghép với mục số (1–3): 9\nKhông có lựa chọn “9”.",
		"QĐ 06/QĐ-TTg: ghép với mục số (1–3): "+match[2]+"\n\nĐúng.\nBấm Enter để sang câu tiếp theo.",
		"Câu 2/2. Sắp xếp theo thứ tự. Còn lại 15 phút.",
		"1 1 2\nXin gõ đủ 4 số từ 1 đến 4, mỗi số đúng một lần.",
		"Đáp án đúng: Mức độ 1: cung cấp thông tin → Mức độ 2",
		"Luyện tập — kết quả\n",
		"1. Bài kiểm tra “Luyện tập” (2 câu hỏi, đạt từ 50%, làm trong 15 phút, ",
		"còn 1 lượt làm bài)",
	)
	a := onlyAttempt(t, c, "luyen-tap-quiz")
	answers, _ := c.Store.Answers(c.Ctx, a.ID)
	if a.SubmittedAt == nil || len(answers) != 2 || answers["lt-q1"].Score != 1 {
		t.Fatalf("attempt %+v, answers %+v", a, answers)
	}
}

// The time limit is checked between questions: the answer in hand is kept,
// then the attempt is submitted before the next question.
func TestTimeLimitBetweenQuestions(t *testing.T) {
	c, k := newCommon(t, "vi")
	withLearner(t, c)
	match, _ := practiceAnswers(t, c)
	lines := append([]string{"2", "1", "1"}, match...)
	lines = append(lines, "")
	jump := map[int]func(){5: func() { k.now = k.now.Add(16 * time.Minute) }} // while the last pair is typed
	got := transcriptWith(t, c, jump, lines...)
	contains(t, got,
		"\nĐúng.\n",
		"Đã hết thời gian làm bài. Bài được nộp với các câu đã trả lời.\n\nLuyện tập — kết quả\nĐạt. Điểm 1/2 (50%; cần 50% để đạt).",
		"Câu 2/2. Sắp xếp các mức độ dịch vụ công trực tuyến từ thấp đến cao.\nSai.\nCâu trả lời của đồng chí: (không trả lời)",
	)
	if strings.Contains(got, "Câu 2/2. Sắp xếp theo thứ tự.") {
		t.Fatalf("a question was asked after the time was up:\n%s", got)
	}
	a := onlyAttempt(t, c, "luyen-tap-quiz")
	if a.SubmittedAt == nil || a.Score != 1 {
		t.Fatalf("attempt = %+v", a)
	}
}

// Input that ends in the middle of a quiz loses nothing: the next run goes
// back into the same attempt at the first unanswered question.
func TestQuizResumesAfterEOF(t *testing.T) {
	c, _ := newCommon(t, "vi")
	withLearner(t, c)
	got := transcript(t, c, "1", "3", "1", "1", "1") // start, two answers, then the input ends
	contains(t, got, "Câu 3/5.", "Đã thoát hocso. Mọi kết quả học tập đều đã được lưu.")
	first := onlyAttempt(t, c, "co-ban-quiz")
	if answers, _ := c.Store.Answers(c.Ctx, first.ID); len(answers) != 2 {
		t.Fatalf("answers before the restart = %+v", answers)
	}

	c.Learner = store.Learner{}
	got = transcript(t, c)
	contains(t, got, "Tiếp tục lượt làm bài đang dở: đồng chí đã trả lời 2/5 câu.", "Câu 3/5. Chọn tất cả đáp án đúng.")
	if strings.Contains(got, "Câu 1/5") || strings.Contains(got, "Câu 2/5") {
		t.Fatalf("answered questions asked again:\n%s", got)
	}

	c.Learner = store.Learner{}
	got = transcript(t, c, "1 2", "vneid", "44", "c")
	contains(t, got, "Đạt. Điểm 5/5 (100%; cần 60% để đạt).")
	a := onlyAttempt(t, c, "co-ban-quiz")
	if a.ID != first.ID || a.SubmittedAt == nil {
		t.Fatalf("attempt = %+v; want %s submitted", a, first.ID)
	}
}

// q pauses a quiz; a question number at the submit prompt answers it again.
func TestQuizPauseAndRevise(t *testing.T) {
	c, _ := newCommon(t, "vi")
	withLearner(t, c)
	got := transcript(t, c, "1", "3", "1", "1", "q", "6", "1", "3", "2", "1", "vneid", "44", "1", "3", "k")
	contains(t, got,
		"Đã tạm dừng bài kiểm tra.",
		"3. Bài kiểm tra “Kiểm tra: Những điều cơ bản” (5 câu hỏi, đạt từ 60%, đang làm dở)",
		"Câu 2/5. Đúng hay sai.",
		"Nộp bài? (c/k): 1\n\nCâu 1/5. Chọn một đáp án.",
		"Câu trả lời đang lưu: Bộ Chính trị. Câu trả lời mới sẽ thay thế câu này.",
		"Bài chưa nộp.",
	)
	a := onlyAttempt(t, c, "co-ban-quiz")
	answers, _ := c.Store.Answers(c.Ctx, a.ID)
	if a.SubmittedAt != nil || string(answers["cb-q1"].Answer) != `{"choices":["c"]}` || answers["cb-q1"].Score != 0 {
		t.Fatalf("attempt %+v, q1 %+v", a, answers["cb-q1"])
	}
}

func TestNumbers(t *testing.T) {
	cases := []struct {
		in   string
		max  int
		want []int
		bad  string
	}{
		{"1 3", 3, []int{1, 3}, ""},
		{"1,3", 3, []int{1, 3}, ""},
		{" 2 ,  1; 3.", 3, []int{2, 1, 3}, ""},
		{"1 4", 3, nil, "4"},
		{"một", 3, nil, "một"},
		{"", 3, nil, ""},
	}
	for _, c := range cases {
		got, bad := numbers(c.in, c.max)
		if fmt.Sprint(got) != fmt.Sprint(c.want) || bad != c.bad {
			t.Errorf("numbers(%q) = %v, %q; want %v, %q", c.in, got, bad, c.want, c.bad)
		}
	}
	if !isPermutation([]int{2, 3, 1}, 3) || isPermutation([]int{1, 1, 2}, 3) || isPermutation([]int{1, 2}, 3) {
		t.Error("isPermutation")
	}
}
