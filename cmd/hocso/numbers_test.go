package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestNumbersOutOfRangeAreRefused spoils every kind of number a pack holds
// (issue 9: nan, inf, negative, huge) and checks that validate names each
// with its file and line, never printing hundreds of digits, and that a pack
// needing a newer hocso says which.
func TestNumbersOutOfRangeAreRefused(t *testing.T) {
	tr := newTrainer(t)
	tr.ok("pack", "new", tr.path("goi"))
	quizzes, _ := filepath.Glob(tr.path("goi/modules/*/quiz.toml"))
	lessonsVI, _ := filepath.Glob(tr.path("goi/modules/*/*.vi.md"))
	quiz, _ := filepath.Rel(tr.dir, quizzes[0])
	lesson, _ := filepath.Rel(tr.dir, lessonsVI[0])
	tr.edit("goi/pack.toml", `min_hocso = "0.1.0"`, `min_hocso = "99.0.0"`)
	tr.edit(lesson, "minutes = 5", "minutes = 100000")
	tr.edit(quiz, "pass_mark = 70", "pass_mark = nan\nmax_attempts = 99999999\ntime_limit_minutes = 9223372036854775807")
	tr.edit(quiz, `kind = "recall"`, `kind = "recall"`+"\npoints = 1e308")

	out := tr.refused("pack", "validate", tr.path("goi"))
	rel := func(p string) string { r, _ := filepath.Rel(tr.path("goi"), tr.path(p)); return filepath.ToSlash(r) }
	wantIn(t, out,
		"pack.toml:6: min_hocso: lỗi: Gói này cần hocso 99.0.0 trở lên; máy này đang chạy hocso "+version,
		rel(quiz)+":2: pass_mark: lỗi: Điểm đạt",
		rel(quiz)+":3: max_attempts: lỗi: Giá trị 99999999 nằm ngoài phạm vi",
		rel(quiz)+":4: time_limit_minutes: lỗi: Giá trị 9223372036854775807 nằm ngoài phạm vi cho phép của trường này (từ 0 đến 1440)",
		"points: lỗi: Giá trị 1e+308 nằm ngoài phạm vi cho phép của trường này (từ 0 đến 1000)",
		rel(lesson)+":4: minutes: lỗi: Giá trị 100000")
	if long := regexp.MustCompile(`\d{25,}`).FindString(out); long != "" {
		t.Errorf("validate printed a %d-digit number:\n%s", len(long), out)
	}

	for _, v := range []string{"inf", "-inf", "-1", "100.5", "+nan"} {
		tr.edit(quiz, "pass_mark = ", "pass_mark = "+v+" #")
		wantIn(t, tr.refused("pack", "validate", tr.path("goi")), rel(quiz)+":2: pass_mark: lỗi")
	}
}

// TestHugeImportIsRefused imports a GIFT bank whose quiz.toml would be larger
// than a pack file may be: nothing is written and the message says why.
func TestHugeImportIsRefused(t *testing.T) {
	tr := newTrainer(t)
	var b strings.Builder
	for i := 0; b.Len() < 3<<20; i++ {
		fmt.Fprintf(&b, "::Q%d:: Câu hỏi số %d về chuyển đổi số, đủ dài để một ngân hàng lớn vượt giới hạn của gói? {=Đúng ~Sai ~Không rõ}\n\n", i, i)
	}
	os.WriteFile(tr.path("lon.gift"), []byte(b.String()), 0o644)
	out := tr.refused("pack", "import-gift", tr.path("lon.gift"), "-o", tr.path("quiz.toml"))
	wantIn(t, out, "lớn hơn mức 2 MiB cho một tệp của gói, nên chưa ghi gì")
	if _, err := os.Stat(tr.path("quiz.toml")); err == nil {
		t.Error("quiz.toml was written")
	}
	os.WriteFile(tr.path("rat-lon.gift"), []byte(strings.Repeat(b.String(), 6)), 0o644)
	wantIn(t, tr.refused("pack", "import-gift", tr.path("rat-lon.gift"), "-o", tr.path("quiz.toml")), "lớn hơn 16 MiB")
}
