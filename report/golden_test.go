package report_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"hocso/report"
	"hocso/report/reporttest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// build makes the fixture's report, grouped as asked, in a language.
func build(t *testing.T, by, lang string) *report.Report {
	t.Helper()
	s, p := reporttest.Open(t)
	g, err := report.ParseGrouping(by)
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Build(context.Background(), s, report.Options{By: g, Pack: p, Lang: lang,
		Unit: "Hà Nội / Phường Ba Đình", Place: "Hà Nội", Now: reporttest.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func render(t *testing.T, r *report.Report, format string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := r.Write(context.Background(), &b, format, report.WriteOptions{}); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return b.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report/ -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s:\n%s", name, path, firstDiff(string(want), string(got)))
	}
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\nwant " + a + "\ngot  " + b
		}
	}
	return ""
}

// TestGoldenText checks the text formats byte for byte on the fixed dataset,
// in each grouping and both languages.
func TestGoldenText(t *testing.T) {
	for _, c := range []struct{ by, lang, format string }{
		{"learner", "vi", "csv"}, {"unit", "vi", "csv"}, {"level:2", "vi", "csv"}, {"module", "en", "csv"},
		{"learner", "vi", "json"}, {"unit", "en", "json"},
		{"learner", "vi", "html"}, {"level:2", "en", "html"},
	} {
		name := strings.ReplaceAll(c.by, ":", "") + "." + c.lang + "." + c.format
		t.Run(name, func(t *testing.T) {
			golden(t, name, render(t, build(t, c.by, c.lang), c.format))
		})
	}
}

// TestGoldenXLSX reads the workbook back cell by cell, as formatted.
func TestGoldenXLSX(t *testing.T) {
	f, err := excelize.OpenReader(bytes.NewReader(render(t, build(t, "unit", "vi"), "xlsx")))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		b.WriteString("== " + sheet + "\n")
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			b.WriteString(strings.Join(row, " | ") + "\n")
		}
	}
	golden(t, "unit.vi.xlsx.txt", []byte(b.String()))
}

// TestGoldenPDF compares the PDF's text as pdftotext lays it out.
func TestGoldenPDF(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (apt-get install poppler-utils): PDF golden not checked")
	}
	if _, err := report.FindFont("", os.Getenv); err != nil {
		t.Skip("no Times New Roman or Liberation Serif (apt-get install fonts-liberation): PDF golden not checked")
	}
	pdf := render(t, build(t, "learner", "vi"), "pdf")
	golden(t, "learner.vi.pdf.txt", pdfText(t, pdf, "-layout"))
}

func pdfText(t *testing.T, pdf []byte, args ...string) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", append(append([]string{}, args...), path, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return out
}

func fontFound() (report.FontSet, error) { return report.FindFont("", os.Getenv) }

// TestStreamCSVAsBuild: the CSV written in one pass is the golden file
// Build and WriteCSV give, grouped by learner and by unit, and its report
// has the same totals.
func TestStreamCSVAsBuild(t *testing.T) {
	for _, c := range []struct{ by, lang string }{{"learner", "vi"}, {"unit", "vi"}} {
		s, p := reporttest.Open(t)
		g, err := report.ParseGrouping(c.by)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		r, err := report.StreamCSV(context.Background(), s, report.Options{By: g, Pack: p, Lang: c.lang,
			Unit: "Hà Nội / Phường Ba Đình", Place: "Hà Nội", Now: reporttest.Now}, &b)
		if err != nil {
			t.Fatal(err)
		}
		name := c.by + "." + c.lang + ".csv"
		want, err := os.ReadFile(filepath.Join("testdata", name+".golden"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("%s streamed:\n%s", name, firstDiff(string(want), b.String()))
		}
		if built := build(t, c.by, c.lang); r.Total != built.Total {
			t.Errorf("%s: totals %+v, built %+v", name, r.Total, built.Total)
		}
		r.Close()
	}
}
