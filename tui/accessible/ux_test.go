package accessible

import (
	"strings"
	"testing"
)

// Each logical line is printed whole: a screen reader never hears a sentence
// split in two; the field's label comes before its example; a PIN is typed
// twice.
func TestNoHardWrapLabelFirstPINTwice(t *testing.T) {
	c, _ := newCommon(t, "vi")
	got := transcript(t, c, "Nguyễn Thị Lan", "", "Hà Nội / Phường Ba Đình", "12a4", "1234", "1235", "1234", "1234")
	contains(t, got,
		"Họ và tên\nVí dụ: Nguyễn Thị Lan\nHọ và tên:",
		"Mã PIN gồm 4 đến 8 chữ số.",
		"Hai lần nhập mã PIN không khớp nhau.",
		"Đã lưu hồ sơ.",
		"Hồ sơ giúp cơ quan tổng hợp kết quả học tập của đồng chí. Máy dùng chung có thể có nhiều hồ sơ.",
	)
	if ls, _ := c.Store.Learners(c.Ctx); len(ls) != 1 {
		t.Fatalf("learners = %+v", ls)
	} else if ok, _ := c.Store.CheckPIN(c.Ctx, ls[0].ID, "1234"); !ok {
		t.Fatal("PIN typed twice not saved")
	}
}

// The glossary and the sources are one choice away in a module, and the
// glossary can be searched without diacritics.
func TestGlossaryAndSources(t *testing.T) {
	c, _ := newCommon(t, "vi")
	withLearner(t, c)
	got := transcript(t, c, "1", "4", "5")
	contains(t, got,
		"Thuật ngữ Việt – Anh: 1 thuật ngữ.",
		"Chuyển đổi số — Digital transformation.",
		"Nguồn tài liệu.",
		"S1: Nguồn thử nghiệm. https://example.org/s1",
	)
}

// A long review is heard in parts: Enter goes on, q stops.
func TestReviewInPages(t *testing.T) {
	c, _ := newCommon(t, "vi")
	withLearner(t, c)
	got := transcript(t, c, "1", "3", "1", "1", "1", "1", "vneid", "44", "c", "q")
	if !strings.Contains(got, "Bấm Enter để nghe tiếp, gõ q để dừng:") {
		t.Fatalf("review not paged:\n%s", got)
	}
	if strings.Contains(got, "Câu 4/5. Ứng dụng định danh") {
		t.Fatalf("q did not stop the review:\n%s", got)
	}
}
