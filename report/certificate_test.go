package report_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"hocso/report"
	"hocso/report/reporttest"
	"hocso/store"
)

// TestCertificate issues Lan's certificate from the report query, prints it,
// finds her name and number in the PDF with pdftotext, issues it again with
// the same number, and verifies it; Đức, who is still learning, gets none.
func TestCertificate(t *testing.T) {
	ctx := context.Background()
	s, p := reporttest.Open(t)
	issue := func(who string) (*report.Report, report.LearnerRow, string) {
		person, err := s.PersonFor(ctx, who)
		if err != nil {
			t.Fatal(err)
		}
		r, err := report.Build(ctx, s, report.Options{Pack: p, Person: person, Lang: "vi", Place: "Hà Nội", Now: reporttest.Now})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		row, ok, err := r.PersonRow()
		if err != nil || !ok {
			t.Fatalf("%s: row %v, %v", who, ok, err)
		}
		return r, row, person
	}
	r, row, person := issue("HN-001")
	if row.FullName != "Nguyễn Thị Lan" || row.Status != store.Completed {
		t.Fatalf("Lan: %+v", row)
	}
	c, err := s.IssueCertificate(ctx, r.CertificateFor(person, row))
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.IssueCertificate(ctx, r.CertificateFor(person, row))
	if err != nil || again.Number != c.Number {
		t.Errorf("second issue: %s, %v; want the same number %s", again.Number, err, c.Number)
	}
	if got, err := s.Certificate(ctx, strings.ToLower(c.Number)); err != nil || got.FullName != "Nguyễn Thị Lan" {
		t.Errorf("verify %s: %+v, %v", c.Number, got, err)
	}
	if _, err := s.Certificate(ctx, "HS-2026-NOTREAL1"); !errors.Is(err, store.ErrNoCertificate) {
		t.Errorf("verify of an unknown number: %v", err)
	}
	if _, row, _ := issue("HN-002"); row.Status == store.Completed {
		t.Errorf("Đức counts as completed: %+v", row)
	}

	if _, err := fontFound(); err != nil {
		t.Skip(err)
	}
	var pdf bytes.Buffer
	if err := r.WriteCertificate(ctx, &pdf, c, ""); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("HOCSO_REPORT_SAMPLES"); dir != "" {
		os.WriteFile(dir+"/certificate.pdf", pdf.Bytes(), 0o644)
	}
	tool(t, "poppler-utils", "pdftotext")
	text := string(pdfText(t, pdf.Bytes()))
	for _, w := range []string{"GIẤY CHỨNG NHẬN", "Nguyễn Thị Lan", c.Number, "Nghị quyết 52-NQ/TW", "20/11/2026", "Độc lập - Tự do - Hạnh phúc"} {
		if !strings.Contains(text, w) {
			t.Errorf("certificate has no %q:\n%s", w, text)
		}
	}
}
