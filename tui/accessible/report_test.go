package accessible

import (
	"os"
	"path/filepath"
	"testing"

	"hocso/report/reporttest"
)

// TestOfficeReport goes to the report from the main menu, hears the summary
// and who has not started, changes the grouping, and exports a CSV.
func TestOfficeReport(t *testing.T) {
	c, _ := newCommon(t, "vi")
	s, p := reporttest.Open(t)
	c.Store, c.Pack, c.Packs = s, p, nil
	if err := s.SetCurrentLearner(c.Ctx, ""); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	// 1 picks the first learner; the menu then ends with the report.
	got := transcript(t, c, "1", "8", "1", "2", "4", "1", "")
	contains(t, got,
		"Báo cáo hoàn thành: Chuyển đổi số cho cán bộ, công chức.",
		"Hà Nội / Phường Hoàn Kiếm / UBND phường: 5 người, chưa bắt đầu 3, đang học 2,",
		"Tổng cộng: 9 người, chưa bắt đầu 4, đang học 4, đã hoàn thành 1,",
		"Lê Thị Hồng Nhung, HN-003, Hà Nội / Phường Hoàn Kiếm / UBND phường.",
		"Nhóm theo: cấp 1 (tỉnh).",
		"Hà Nội: 7 người",
		"Đã ghi bao-cao-")
	files, _ := filepath.Glob(filepath.Join(dir, "bao-cao-*.csv"))
	if len(files) != 1 {
		t.Fatalf("exported files: %v", files)
	}
	if b, _ := os.ReadFile(files[0]); len(b) < 100 {
		t.Errorf("the CSV has %d bytes", len(b))
	}
}
