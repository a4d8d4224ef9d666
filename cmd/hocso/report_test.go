package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestRosterImportAndReport imports a roster from CSV (with a BOM) and from
// XLSX, shows every problem of a bad file by row and column without
// importing any of it, re-imports without change, and reports on it.
func TestRosterImportAndReport(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"HOCSO_DB": filepath.Join(dir, "office.db"), "HOCSO_LANG": "vi"}
	good := filepath.Join(dir, "danh-sach.csv")
	os.WriteFile(good, []byte("\uFEFFMã cán bộ,Họ và tên,Chức vụ,Đơn vị\r\n"+
		"HN-001,Nguyễn Thị Lan,Chuyên viên,Hà Nội / Phường Ba Đình / UBND phường\r\n"+
		",Phạm Quốc Việt,Kế toán,Hà Nội/Phường Hoàn Kiếm/UBND phường\r\n"), 0o644)
	bad := filepath.Join(dir, "loi.csv")
	os.WriteFile(bad, []byte("Ho va ten;Don vi;Ma can bo\nLê Văn Tám;Hà Nội;HN 9\nX;Hà Nội / Phường A;\n"), 0o644)

	code, _, errOut := hocso(t, env, "learner", "import", bad)
	for _, want := range []string{"Dòng 2, cột B (Don vi): đơn vị cần từ hai đến sáu cấp",
		"Dòng 2, cột C (Ma can bo): mã cán bộ chỉ gồm", "Dòng 3, cột A (Ho va ten): họ và tên cần ít nhất hai ký tự",
		"có 3 lỗi; chưa nhập gì"} {
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("bad roster: exit %d, no %q in:\n%s", code, want, errOut)
		}
	}
	if _, out, _ := hocso(t, env, "learner", "import", good); !strings.Contains(out, "2 người — thêm mới 2, cập nhật 0, không đổi 0") {
		t.Errorf("first import: %s", out)
	}
	if _, out, _ := hocso(t, env, "learner", "import", good); !strings.Contains(out, "thêm mới 0, cập nhật 0, không đổi 2") {
		t.Errorf("second import: %s", out)
	}

	// The same sheet as .xlsx, with one more person.
	f := excelize.NewFile()
	for i, row := range [][]any{{"Staff code", "Full name", "Position", "Unit path"},
		{"HN-001", "Nguyễn Thị Lan", "Chuyên viên", "Hà Nội / Phường Ba Đình / UBND phường"},
		{"HUE-001", "Hoàng Thị Ngọc Ánh", "Chuyên viên", "Huế / Phường Thuận Hóa / UBND phường"}} {
		f.SetSheetRow("Sheet1", "A"+string(rune('1'+i)), &row)
	}
	xlsx := filepath.Join(dir, "roster.xlsx")
	if err := f.SaveAs(xlsx); err != nil {
		t.Fatal(err)
	}
	if _, out, errOut := hocso(t, env, "learner", "import", xlsx); !strings.Contains(out, "thêm mới 1, cập nhật 0, không đổi 1") {
		t.Errorf("xlsx import: %s %s", out, errOut)
	}

	csv := filepath.Join(dir, "bao-cao.csv")
	if code, _, errOut := hocso(t, env, "report", "--by", "unit", "-o", csv); code != 0 {
		t.Fatalf("report: %d %s", code, errOut)
	}
	b, _ := os.ReadFile(csv)
	if !strings.HasPrefix(string(b), "\uFEFFĐơn vị,Số người,") || !strings.Contains(string(b), "Tổng cộng,3,3,0,0,0,\r\n") {
		t.Errorf("report CSV:\n%s", b)
	}
	if code, _, errOut := hocso(t, env, "report", "--by", "district"); code != 1 || !strings.Contains(errOut, "level:N") {
		t.Errorf("bad grouping: %d %s", code, errOut)
	}
	if code, _, errOut := hocso(t, env, "certificate", "--learner", "HN-001"); code != 1 || !strings.Contains(errOut, "chưa hoàn thành") {
		t.Errorf("certificate for someone not done: %d %s", code, errOut)
	}
	// No temporary folder to write in: the user is told what to do, and the
	// report made before is left as it was.
	for _, v := range []string{"TMPDIR", "TMP", "TEMP"} {
		t.Setenv(v, filepath.Join(dir, "no-such-folder"))
	}
	code, _, errOut = hocso(t, env, "report", "--by", "unit", "-o", csv)
	if code != 1 || !strings.Contains(errOut, "Không ghi được tệp tạm của báo cáo") || !strings.Contains(errOut, "TMPDIR") {
		t.Errorf("report without a temporary folder: %d %s", code, errOut)
	}
	if again, _ := os.ReadFile(csv); string(again) != string(b) {
		t.Errorf("the earlier report changed:\n%s", again)
	}
}
