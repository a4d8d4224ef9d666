package report_test

import (
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"hocso/report"
	"hocso/report/reporttest"
	"hocso/store"
)

// tool finds a program a test drives, or skips saying what to install.
func tool(t *testing.T, pkg string, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	t.Skipf("%s not installed (apt-get install %s): skipping this real-reader check", names[0], pkg)
	return ""
}

func runTool(t *testing.T, timeout time.Duration, name string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return out
}

// TestXLSXOpensInLibreOffice has LibreOffice convert the learner sheet to CSV
// and finds the same values as hocso's own CSV: text equal, numbers equal to
// the digit shown, dates the same day.
func TestXLSXOpensInLibreOffice(t *testing.T) {
	soffice := tool(t, "libreoffice-calc-nogui", "soffice", "libreoffice")
	r := build(t, "learner", "vi")
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "report.xlsx")
	if err := os.WriteFile(xlsx, render(t, r, "xlsx"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Filter options: comma, quote, UTF-8, from row 1, …, sheet -1 = every
	// sheet into its own file, named report-SHEET.csv.
	runTool(t, 3*time.Minute, soffice, "--headless", "--norestore", "--convert-to",
		"csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1", "--outdir", dir, xlsx)
	lo := readCSV(t, filepath.Join(dir, "report-Danh sách học viên.csv"))
	ours := readCSVBytes(t, render(t, r, "csv"))
	if len(lo) != len(ours) {
		t.Fatalf("LibreOffice has %d rows, the CSV %d", len(lo), len(ours))
	}
	for i := range ours {
		for j := range ours[i] {
			var got string
			if j < len(lo[i]) {
				got = lo[i][j]
			}
			if !sameValue(got, ours[i][j]) {
				t.Errorf("row %d column %d: LibreOffice %q, CSV %q", i+1, j+1, got, ours[i][j])
			}
		}
	}
	summary := readCSV(t, filepath.Join(dir, "report-Tổng hợp.csv"))
	if last := summary[len(summary)-1]; last[0] != "Tổng cộng" || last[1] != "9" {
		t.Errorf("summary total line = %q", last)
	}
}

// sameValue compares a cell as LibreOffice shows it (25/11/2026, 33.3%) with
// the CSV's (2026-11-25, 33.3).
func sameValue(lo, ours string) bool {
	if lo == ours {
		return true
	}
	if d, err := time.Parse("02/01/2006", lo); err == nil {
		return d.Format("2006-01-02") == ours
	}
	if p, ok := strings.CutSuffix(lo, "%"); ok {
		a, err1 := strconv.ParseFloat(p, 64)
		b, err2 := strconv.ParseFloat(ours, 64)
		return err1 == nil && err2 == nil && a == b
	}
	return false
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return readCSVBytes(t, b)
}

func readCSVBytes(t *testing.T, b []byte) [][]string {
	t.Helper()
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\uFEFF")))
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestPDFNamesIntact extracts the PDF's text with pdftotext and finds every
// Vietnamese name whole, and the page numbers.
func TestPDFNamesIntact(t *testing.T) {
	tool(t, "poppler-utils", "pdftotext")
	if _, err := fontFound(); err != nil {
		t.Skip(err)
	}
	for _, by := range []string{"learner", "unit"} {
		text := string(pdfText(t, render(t, build(t, by, "vi"), "pdf")))
		want := []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Hà Nội, ngày 2 tháng 12 năm 2026",
			"Trang 1/", "THỦ TRƯỞNG ĐƠN VỊ"}
		if by == "learner" {
			want = append(want, reporttest.Names...)
		} else {
			want = append(want, "Lê Thị Hồng Nhung", "Hoàng Thị Ngọc Ánh") // who has not started
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: pdftotext finds no %q in:\n%s", by, w, text)
			}
		}
	}
}

// TestHTMLInChromium renders the page in headless Chromium: the DOM it built
// has the heading, every name and a bar per group; a screenshot is written
// to $HOCSO_REPORT_SAMPLES when set, to look at.
func TestHTMLInChromium(t *testing.T) {
	chromium := tool(t, "chromium", "chromium", "chromium-browser", "google-chrome")
	r := build(t, "learner", "vi")
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, render(t, r, "html"), 0o644); err != nil {
		t.Fatal(err)
	}
	flags := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=" + filepath.Join(dir, "profile")}
	dom := string(runTool(t, 2*time.Minute, chromium, append(flags, "--dump-dom", "file://"+page)...))
	for _, w := range append([]string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "<svg", `class="c-done"`}, reporttest.Names...) {
		if !strings.Contains(dom, w) {
			t.Errorf("Chromium's DOM has no %q", w)
		}
	}
	shot := filepath.Join(dir, "report.png")
	if out := os.Getenv("HOCSO_REPORT_SAMPLES"); out != "" {
		shot = filepath.Join(out, "report-html.png")
	}
	runTool(t, 2*time.Minute, chromium, append(flags, "--hide-scrollbars", "--window-size=1200,1400", "--screenshot="+shot, "file://"+page)...)
	if fi, err := os.Stat(shot); err != nil || fi.Size() < 10000 {
		t.Errorf("screenshot %s: %v, %d bytes", shot, err, fi.Size())
	}
}

// TestRosterFromLibreOffice has LibreOffice save a roster as XLSX (shared
// strings, its own styles and relationships) and reads it back: every
// person whole, a staff code typed as a number as written.
func TestRosterFromLibreOffice(t *testing.T) {
	soffice := tool(t, "libreoffice-calc-nogui", "soffice", "libreoffice")
	dir := t.TempDir()
	src := filepath.Join(dir, "roster.csv")
	if err := os.WriteFile(src, []byte("Mã cán bộ,Họ và tên,Chức vụ,Đơn vị\n"+
		"HN-001,Nguyễn Thị Lan,Chuyên viên,Hà Nội / Phường Ba Đình / UBND phường\n"+
		"1024,Hoàng Thị Ngọc Ánh,,Huế / Phường Thuận Hóa / UBND phường\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	runTool(t, 3*time.Minute, soffice, "--headless", "--norestore", "--infilter=CSV:44,34,76,1",
		"--convert-to", "xlsx", "--outdir", dir, src)
	f, err := os.Open(filepath.Join(dir, "roster.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := report.ReadRoster("roster.xlsx", f)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.RosterEntry{
		{StaffCode: "HN-001", FullName: "Nguyễn Thị Lan", Position: "Chuyên viên", UnitPath: "Hà Nội / Phường Ba Đình / UBND phường"},
		{StaffCode: "1024", FullName: "Hoàng Thị Ngọc Ánh", UnitPath: "Huế / Phường Thuận Hóa / UBND phường"},
	}
	if len(got) != len(want) {
		t.Fatalf("read %d people, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		got[i].ID = ""
		if got[i] != want[i] {
			t.Errorf("person %d = %+v, want %+v", i+1, got[i], want[i])
		}
	}
}
