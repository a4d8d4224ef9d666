package accessible

import (
	"fmt"
	"strings"
	"testing"

	"hocso/store"
)

func TestPlainText(t *testing.T) {
	src := "## Chuyển đổi số là gì?\n\n" +
		"Chuyển đổi số là **sự thay đổi** tổng thể, xem [Cổng](https://dichvucong.gov.vn) và `VNeID` \\*.\n\n" +
		"- Không chỉ là mua máy tính.\n- Là thay đổi\n  cách làm việc.\n  - Ý con.\n\n" +
		"1. Mức độ 1\n2. Mức độ 2\n\n" +
		"> **Ghi nhớ**\n> - Chuyển đổi số bắt đầu từ con người.\n\n" +
		"| Mức | Nội dung |\n|---|---|\n| 1 | Thông tin |\n\n" +
		"Tôm &amp; cua<br>hết."
	lines, heading := plainText(src, 40)
	want := []string{
		"Chuyển đổi số là gì?",
		"",
		"Chuyển đổi số là sự thay đổi tổng thể,",
		"xem Cổng (https://dichvucong.gov.vn) và",
		"VNeID *.",
		"",
		"- Không chỉ là mua máy tính.",
		"- Là thay đổi cách làm việc.",
		"  - Ý con.",
		"",
		"1. Mức độ 1",
		"2. Mức độ 2",
		"",
		"Ghi nhớ",
		"",
		"- Chuyển đổi số bắt đầu từ con người.",
		"",
		"- Mức: 1; Nội dung: Thông tin",
		"",
		"Tôm & cua",
		"hết.",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if !heading[0] || heading[2] {
		t.Errorf("heading lines = %v", heading)
	}
}

func TestPaginate(t *testing.T) {
	var lines []string
	heading := map[int]bool{}
	for i := 0; i < 10; i++ {
		if i == 4 {
			heading[len(lines)] = true
			lines = append(lines, "Heading", "")
		}
		lines = append(lines, fmt.Sprint("para ", i), fmt.Sprint("more ", i), "")
	}
	lines = lines[:len(lines)-1]
	pages := paginate(lines, heading, 20)
	for i, p := range pages {
		if lines[p.start] == "" || lines[p.end-1] == "" {
			t.Errorf("page %d starts or ends blank: %+v", i, p)
		}
		if heading[p.end-1] {
			t.Errorf("page %d ends with a heading: %+v", i, p)
		}
		if p.end-p.start > 20 {
			t.Errorf("page %d is %d lines", i, p.end-p.start)
		}
	}
	if last := pages[len(pages)-1]; last.end != len(lines) {
		t.Errorf("pages end at %d of %d", last.end, len(lines))
	}
	if pageAt(pages, pages[1].start+1) != 1 || pageAt(pages, 0) != 0 {
		t.Errorf("pageAt")
	}
}

// Reading to the last page marks a lesson read; leaving earlier keeps the
// page, and the next opening starts there.
func TestLessonReadToTheEnd(t *testing.T) {
	c, _ := newCommon(t, "vi")
	l := withLearner(t, c)
	_, long := c.Pack.Lesson("co-ban-dai")
	lines, heading := plainText(long.Body.In("vi"), textWidth)
	pages := paginate(lines, heading, pageLines)
	if len(pages) < 3 {
		t.Fatalf("the long lesson has %d pages", len(pages))
	}

	got := transcript(t, c, "1", "2", "", "q") // the long lesson: page 1, page 2, back
	contains(t, got, fmt.Sprintf("Bài “Một bài dài”, %d trang.\n\nTrang 1/%d\nPhần một\n", len(pages), len(pages)),
		fmt.Sprintf("Trang 2/%d\n", len(pages)),
		"Enter: đọc tiếp; số trang (1–"+fmt.Sprint(len(pages))+"): chuyển đến trang đó; q: quay lại:",
		"2. Một bài dài (9 phút, đang đọc dở)")
	if line, _ := c.Store.ReadingPosition(c.Ctx, l.ID, c.Pack.ID, "co-ban-dai"); line != pages[1].start {
		t.Fatalf("reading position = %d; want %d", line, pages[1].start)
	}
	if done, _ := c.Store.Lessons(c.Ctx, l.ID, c.Pack.ID); done["co-ban-dai"].CompletedAt != nil {
		t.Fatal("lesson marked read before its end")
	}

	c.Learner = store.Learner{}
	got = transcript(t, c, "2", "x", fmt.Sprint(len(pages)), "")
	contains(t, got,
		"Đọc tiếp từ trang 2, nơi đồng chí dừng lần trước.\n\nTrang 2/",
		"Không có trang “x”",
		"Ghi nhớ\n\n- Hết bài.\n\nHết bài. Bài đã được ghi nhận là đọc xong.",
		"2. Một bài dài (9 phút, đã đọc xong)")
	if done, _ := c.Store.Lessons(c.Ctx, l.ID, c.Pack.ID); done["co-ban-dai"].CompletedAt == nil {
		t.Fatal("lesson not marked read at its end")
	}
	if strings.Contains(got, "**") || strings.Contains(got, "## ") {
		t.Fatalf("Markdown marks in the text:\n%s", got)
	}
}
