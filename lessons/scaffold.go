package lessons

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"hocso/quiz"
)

// ErrNotEmpty is returned by NewPack for a folder that already holds something.
var ErrNotEmpty = errors.New("folder is not empty")

// NewPack writes a small, valid pack into dir (created if missing, refused with
// ErrNotEmpty if it holds anything): one module with a lesson in Vietnamese and
// English and a two-question quiz, for a trainer to edit. id is the pack id; ""
// makes one from the folder's name. It returns the files written, in order.
func NewPack(dir, id string) ([]string, error) {
	if id == "" {
		id = IDFromName(filepath.Base(filepath.Clean(dir)))
	}
	if !idPattern.MatchString(id) {
		return nil, fmt.Errorf("pack id %q: %w", id, errBadID)
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, ErrNotEmpty
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var quizTOML bytes.Buffer
	if err := EncodeQuiz(&quizTOML, scaffoldQuiz()); err != nil {
		return nil, err
	}
	files := []struct{ name, text string }{
		{"pack.toml", strings.ReplaceAll(scaffoldPack, "{{ID}}", id)},
		{"sources.toml", scaffoldSources},
		{"glossary.toml", scaffoldGlossary},
		{"modules/01-gioi-thieu/module.toml", scaffoldModule},
		{"modules/01-gioi-thieu/01-bai-dau-tien.vi.md", scaffoldLessonVI},
		{"modules/01-gioi-thieu/01-bai-dau-tien.en.md", scaffoldLessonEN},
		{"modules/01-gioi-thieu/quiz.toml", quizTOML.String()},
	}
	var written []string
	for _, f := range files {
		name := filepath.Join(dir, filepath.FromSlash(f.name))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return written, err
		}
		if err := os.WriteFile(name, []byte(f.text), 0o644); err != nil {
			return written, err
		}
		written = append(written, path.Clean(filepath.ToSlash(name)))
	}
	return written, nil
}

var errBadID = errors.New("use lower-case unaccented letters, digits and - _ .")

// ValidID reports whether id may be the id of a pack, module, lesson, quiz or question.
func ValidID(id string) bool { return idPattern.MatchString(id) }

// IDFromName makes an id from a name: "Chuyển đổi số 2025" → "chuyen-doi-so-2025".
// A name with nothing usable gives "goi-bai-hoc".
func IDFromName(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(name)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			b.WriteByte('d')
			dash = false
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r == '.' || r == '_':
			b.WriteRune(r)
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	id := strings.Trim(b.String(), "-._")
	if !idPattern.MatchString(id) {
		return "goi-bai-hoc"
	}
	return id
}

func scaffoldQuiz() *quiz.Quiz {
	yes := true
	return &quiz.Quiz{
		ID:       "gioi-thieu-quiz",
		Title:    quiz.Text{"vi": "Kiểm tra: Giới thiệu", "en": "Quiz: Introduction"},
		PassMark: 70, ShuffleQuestions: true, ShuffleOptions: true,
		Grading: quiz.GradeHighest, Feedback: quiz.FeedbackEnd,
		Questions: []quiz.Question{
			{
				ID: "gioi-thieu-q01", Kind: quiz.Single, Skill: quiz.Recall, Sources: []string{"S1"},
				Text: quiz.Text{"vi": "Nghị quyết 52-NQ/TW do cơ quan nào ban hành?", "en": "Which body issued Resolution 52-NQ/TW?"},
				Explanation: quiz.Text{"vi": "Bộ Chính trị ban hành Nghị quyết 52-NQ/TW ngày 27/9/2019. (Nguồn: S1)",
					"en": "The Politburo issued Resolution 52-NQ/TW on 27 September 2019. (Source: S1)"},
				Options: []quiz.Option{
					{ID: "a", Text: quiz.Text{"vi": "Bộ Chính trị", "en": "The Politburo"}, Correct: true},
					{ID: "b", Text: quiz.Text{"vi": "Quốc hội", "en": "The National Assembly"}},
					{ID: "c", Text: quiz.Text{"vi": "Chính phủ", "en": "The Government"}},
				},
			},
			{
				ID: "gioi-thieu-q02", Kind: quiz.TrueFalse, Skill: quiz.Concept, Sources: []string{"S1"}, Correct: &yes,
				Text: quiz.Text{"vi": "Tiến độ học gắn với mã (id) của bài và câu hỏi, nên khi sửa nội dung cần giữ nguyên mã.",
					"en": "Progress is keyed by the ids of lessons and questions, so keep them when you revise content."},
			},
		},
	}
}

const scaffoldPack = `# Thông tin gói bài học; xem docs/pack-format.md.
# The pack's manifest; see docs/pack-format.md.
format = 1
id = "{{ID}}"                  # mã gói: không đổi giữa các phiên bản
version = "1.0.0"               # tăng mỗi lần phát hành lại (1.1.0, 2.0.0…)
min_hocso = "0.1.0"
license = "CC BY 4.0"
authors = ["Họ và tên <hoten@example.gov.vn>"]
languages = ["vi", "en"]

[title]
vi = "Gói bài học mới"
en = "New lesson pack"

[description]
vi = "Mô tả ngắn nội dung và đối tượng học của gói."
en = "A short description of the pack's content and audience."
`

const scaffoldSources = `# Nguồn mà bài học và câu hỏi trích dẫn (S1, S2…).
[[source]]
id = "S1"
title = "Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị về một số chủ trương, chính sách chủ động tham gia cuộc Cách mạng công nghiệp lần thứ tư"
url = "https://luatvietnam.vn/cong-nghiep/nghi-quyet-52-nq-tw-2019-chinh-sach-chu-dong-tham-gia-cach-mang-cong-nghiep-lan-4-177121-d1.html"
`

const scaffoldGlossary = `# Bảng thuật ngữ Việt – Anh (không bắt buộc).
[[term]]
id = "chuyen-doi-so"
vi = "Chuyển đổi số"
en = "Digital transformation"
definition = { vi = "Quá trình thay đổi tổng thể và toàn diện cách sống, làm việc và sản xuất dựa trên công nghệ số.", en = "The overall change in how people live, work and produce, built on digital technology." }
`

const scaffoldModule = `id = "gioi-thieu"
complete_when = "completed_and_passed"   # "completed", "passed" hoặc "completed_and_passed"

[title]
vi = "Giới thiệu"
en = "Introduction"

[summary]
vi = "Học phần mẫu: sửa hoặc thay bằng nội dung của đồng chí."
en = "A sample module: edit it or replace it with your own content."
`

const scaffoldLessonVI = `+++
id = "gioi-thieu-bai-dau-tien"
title = "Bài học đầu tiên"
minutes = 5
sources = ["S1"]
+++

## Cách soạn một bài học

Mỗi bài học là một tệp Markdown cho từng ngôn ngữ: ` + "`01-bai-dau-tien.vi.md`" + ` và ` + "`01-bai-dau-tien.en.md`" + `.
Hai tệp dùng chung một mã (id). Thứ tự bài học theo tên tệp.

- Viết đoạn văn ngắn, mỗi ý một dòng gạch đầu dòng.
- Ghi nguồn trích dẫn trong trường sources.

> **Ghi nhớ**
> - Kiểm tra gói bằng lệnh hocso pack validate trước khi đóng gói.
`

const scaffoldLessonEN = `+++
id = "gioi-thieu-bai-dau-tien"
title = "Your first lesson"
minutes = 5
sources = ["S1"]
+++

## How to write a lesson

Each lesson is one Markdown file per language: ` + "`01-bai-dau-tien.vi.md`" + ` and ` + "`01-bai-dau-tien.en.md`" + `.
Both files share one id. Lessons are ordered by file name.

- Write short paragraphs, one idea per bullet.
- List the sources you cite in the sources field.

> **Remember**
> - Check the pack with hocso pack validate before you build it.
`
