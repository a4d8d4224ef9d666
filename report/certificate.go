package report

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/go-pdf/fpdf"

	"hocso/store"
)

// CertificateModule is one line of a certificate's results.
type CertificateModule struct {
	Title       string    `json:"title"`
	CompletedAt time.Time `json:"completed_at"`
	Score       *float64  `json:"best_score,omitempty"`
}

// CertificateDetails is what a certificate says beyond who and when; it is
// kept with the certificate so that verify shows what was printed.
type CertificateDetails struct {
	PackTitle string              `json:"pack_title"`
	Position  string              `json:"position"`
	Modules   []CertificateModule `json:"modules"`
}

// PersonRow returns the one learner row of a report built for one person,
// or false when the report has nobody.
func (r *Report) PersonRow() (LearnerRow, bool, error) {
	var row LearnerRow
	found := false
	err := r.Learners(func(lr LearnerRow) error {
		if !found {
			row, found = lr, true
		}
		return nil
	})
	return row, found, err
}

// CertificateFor is the certificate a completed row earns, ready to issue.
func (r *Report) CertificateFor(person string, row LearnerRow) store.Certificate {
	d := CertificateDetails{PackTitle: r.PackTitle, Position: row.Position}
	for i, c := range row.Modules {
		m := CertificateModule{Title: r.Modules[i].Title, CompletedAt: c.CompletedAt}
		if c.HasScore {
			v := RoundPercent(c.Score)
			m.Score = &v
		}
		d.Modules = append(d.Modules, m)
	}
	b, _ := json.Marshal(d)
	return store.Certificate{Person: person, FullName: row.FullName, StaffCode: row.StaffCode, UnitPath: row.UnitPath,
		PackID: r.PackID, PackVersion: r.PackVersion, CompletedAt: row.CompletedAt, Details: b}
}

// WriteCertificate draws a one-page A4 landscape certificate of completion:
// the national heading, the person, the course and each module's result,
// the certificate's number with how to verify it, and the signature block.
func (r *Report) WriteCertificate(ctx context.Context, w io.Writer, c store.Certificate, fontPath string) error {
	fonts, err := FindFont(fontPath, os.Getenv)
	if err != nil {
		return err
	}
	var d CertificateDetails
	if err := json.Unmarshal(c.Details, &d); err != nil {
		return fmt.Errorf("certificate %s: %w", c.Number, err)
	}
	t := r.loc.T
	pdf, err := newPDF(fonts, true, t("ReportPage"))
	if err != nil {
		return err
	}
	pdf.SetFooterFunc(nil)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetTitle(t("CertTitle")+" — "+c.FullName, true)
	pdf.AddPage()
	frame(pdf)
	pdf.SetY(22)
	if r.Unit == "" {
		r.Unit = c.UnitPath // the person's own unit issues it, unless told otherwise
	}
	nationalHeading(pdf, r.parentHeading(), r.unitHeading(), "")
	pdf.SetY(pdf.GetY() - 2)
	pdf.SetFont(serif, "B", 30)
	pdf.SetTextColor(120, 20, 20)
	pdf.CellFormat(0, 14, t("CertTitle"), "", 1, "C", false, 0, "")
	pdf.SetTextColor(0, 0, 0)
	pdf.SetFont(serif, "B", 15)
	pdf.CellFormat(0, 8, t("CertSubtitle"), "", 1, "C", false, 0, "")
	pdf.Ln(3)
	pdf.SetFont(serif, "", 14)
	pdf.CellFormat(0, 7, t("CertCertifies"), "", 1, "C", false, 0, "")
	pdf.SetFont(serif, "B", 22)
	pdf.CellFormat(0, 11, c.FullName, "", 1, "C", false, 0, "")
	pdf.SetFont(serif, "", 13)
	who := t("CertUnit", map[string]any{"Unit": c.UnitPath})
	if c.StaffCode != "" || d.Position != "" {
		who = t("CertWho", map[string]any{"Code": c.StaffCode, "Position": d.Position}) + " — " + who
	}
	pdf.MultiCell(0, 6.5, who, "", "C", false)
	pdf.MultiCell(0, 6.5, t("CertCompleted", map[string]any{"Course": d.PackTitle, "Version": c.PackVersion,
		"Date": r.loc.Date(r.local(c.CompletedAt))}), "", "C", false)
	pdf.Ln(2)
	r.certificateModules(pdf, d)
	r.certificateFooter(pdf, c)
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return pdf.Output(w)
}

// frame draws a double rule round the page, as printed certificates have.
func frame(pdf *fpdf.Fpdf) {
	w, h := pdf.GetPageSize()
	pdf.SetDrawColor(120, 20, 20)
	pdf.SetLineWidth(1.2)
	pdf.Rect(10, 10, w-20, h-20, "D")
	pdf.SetLineWidth(0.3)
	pdf.Rect(13, 13, w-26, h-26, "D")
	pdf.SetDrawColor(0, 0, 0)
}

func (r *Report) certificateModules(pdf *fpdf.Fpdf, d CertificateDetails) {
	t := r.loc.T
	widths := []float64{14, 120, 38, 38}
	pageW, _ := pdf.GetPageSize()
	pdf.SetX((pageW - 210) / 2)
	tbl := newPDFTable(pdf, widths, []string{"C", "L", "C", "C"},
		[]string{t("ReportColNo"), t("ReportColGroupModule"), t("CertColDate"), t("CertColScore")}, 11)
	for i, m := range d.Modules {
		score := ""
		if m.Score != nil {
			score = r.loc.Percent(*m.Score)
		}
		pdf.SetX((pageW - 210) / 2)
		tbl.row([]string{fmt.Sprint(i + 1), m.Title, r.loc.Date(r.local(m.CompletedAt)), score}, false)
	}
}

func (r *Report) certificateFooter(pdf *fpdf.Fpdf, c store.Certificate) {
	t := r.loc.T
	pageW, pageH := pdf.GetPageSize()
	y := max(pdf.GetY()+6, pageH-62)
	half := (pageW - 50) / 2
	pdf.SetXY(25, y+14)
	pdf.SetFont(serif, "B", 13)
	pdf.CellFormat(half, 6, t("CertNumber", map[string]any{"Number": c.Number}), "", 2, "L", false, 0, "")
	pdf.SetFont(serif, "I", 11)
	pdf.MultiCell(half, 5.5, t("CertVerifyHint", map[string]any{"Number": c.Number}), "", "L", false)
	pdf.SetXY(25+half, y)
	pdf.SetFont(serif, "I", 13)
	pdf.CellFormat(half, 6, dateLine(r.loc, r.Place, r.local(c.IssuedAt)), "", 2, "C", false, 0, "")
	pdf.SetFont(serif, "B", 13)
	pdf.CellFormat(half, 6, t("ReportSignHead"), "", 2, "C", false, 0, "")
	pdf.SetFont(serif, "I", 12)
	pdf.CellFormat(half, 6, t("ReportSignHeadNote"), "", 2, "C", false, 0, "")
}
