package report

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/go-pdf/fpdf"

	"hocso/store"
)

// WritePDF writes the report as an A4 landscape document an office signs:
// the national heading, the title, the summary with a bar per group, the
// learner table (or, for a grouped report, who has not started), and the
// signature block, in Times New Roman or Liberation Serif.
func (r *Report) WritePDF(ctx context.Context, w io.Writer, fontPath string) error {
	fonts, err := FindFont(fontPath, os.Getenv)
	if err != nil {
		return err
	}
	t := r.loc.T
	pdf, err := newPDF(fonts, true, t("ReportPage"))
	if err != nil {
		return err
	}
	pdf.SetTitle(r.Title+" — "+r.Unit, true)
	pdf.AddPage()
	nationalHeading(pdf, r.parentHeading(), r.unitHeading(), r.dateLine())
	pdf.SetFont(serif, "B", 14)
	pdf.CellFormat(0, 7, strings.ToUpper(r.Title), "", 1, "C", false, 0, "")
	pdf.SetFont(serif, "B", 13)
	pdf.MultiCell(0, 6, r.PackTitle, "", "C", false)
	pdf.SetFont(serif, "", 13)
	pdf.CellFormat(0, 6, r.period(), "", 1, "C", false, 0, "")
	pdf.Ln(3)

	r.pdfSummary(pdf)
	if err := r.pdfLearners(ctx, pdf); err != nil {
		return err
	}
	signatureBlock(pdf, t("ReportSignPreparer"), t("ReportSignNote"), t("ReportSignHead"), t("ReportSignHeadNote"))
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return pdf.Output(w)
}

func (r *Report) pdfSummary(pdf *fpdf.Fpdf) {
	pdf.SetFont(serif, "B", 13)
	pdf.CellFormat(0, 7, r.loc.T("ReportSummaryTitle"), "", 1, "L", false, 0, "")
	cols := r.SummaryColumns()
	widths := []float64{87, 25, 25, 25, 25, 30, 40}
	aligns := []string{"L", "R", "R", "R", "R", "R", "R"}
	tbl := newPDFTable(pdf, widths, aligns, headers(cols), 11)
	lines := r.SummaryLines()
	for i, g := range lines {
		var cells []string
		for j, v := range r.SummaryValues(g) {
			cells = append(cells, r.cellText(cols[j].Kind, v))
		}
		tbl.row(cells, i == len(lines)-1)
	}
	pdf.Ln(4)
	r.pdfChart(pdf, lines)
}

// pdfChart draws the same bars as the HTML chart, in greys that print.
func (r *Report) pdfChart(pdf *fpdf.Fpdf, lines []GroupRow) {
	const labelW, barW, rowH = 90.0, 130.0, 7.0
	left, _, _, _ := pdf.GetMargins()
	_, pageH := pdf.GetPageSize()
	if pdf.GetY()+rowH*float64(len(lines))+14 > pageH-20 {
		pdf.AddPage()
	}
	pdf.SetFont(serif, "", 10)
	for i, g := range lines {
		y := pdf.GetY()
		pdf.SetXY(left, y)
		pdf.CellFormat(labelW-2, rowH, shorten(g.Name, 48), "", 0, "R", false, 0, "")
		x := left + labelW
		for _, part := range []struct {
			n       int
			r, g, b int
			white   bool
		}{{g.Completed, 31, 78, 121, true}, {g.InProgress, 143, 179, 217, false}, {g.NotStarted, 228, 228, 228, false}} {
			if part.n == 0 || g.People == 0 {
				continue
			}
			w := barW * float64(part.n) / float64(g.People)
			pdf.SetFillColor(part.r, part.g, part.b)
			pdf.Rect(x, y+1, w, rowH-2, "F")
			if w > 8 {
				if part.white {
					pdf.SetTextColor(255, 255, 255)
				}
				pdf.SetXY(x, y)
				pdf.CellFormat(w, rowH, fmt.Sprint(part.n), "", 0, "C", false, 0, "")
				pdf.SetTextColor(0, 0, 0)
			}
			x += w
		}
		pdf.SetXY(left+labelW+barW+2, y)
		pdf.CellFormat(20, rowH, r.loc.Percent(RoundPercent(g.Rate())), "", 0, "L", false, 0, "")
		pdf.SetXY(left, y+rowH)
		if i == len(lines)-1 {
			pdf.Ln(1)
		}
	}
	pdf.SetX(left + labelW)
	for _, l := range []struct {
		name    string
		r, g, b int
	}{{r.loc.T("ReportColCompleted"), 31, 78, 121}, {r.loc.T("ReportColInProgress"), 143, 179, 217}, {r.loc.T("ReportColNotStarted"), 228, 228, 228}} {
		x, y := pdf.GetXY()
		pdf.SetFillColor(l.r, l.g, l.b)
		pdf.Rect(x, y+1.2, 3.5, 3.5, "FD")
		pdf.SetX(x + 5)
		pdf.CellFormat(pdf.GetStringWidth(l.name)+6, 6, l.name, "", 0, "L", false, 0, "")
	}
	pdf.Ln(9)
}

func (r *Report) pdfLearners(ctx context.Context, pdf *fpdf.Fpdf) error {
	notStartedOnly := r.By.Kind != GroupLearner
	title := r.loc.T("ReportLearnersTitle")
	if notStartedOnly {
		title = r.loc.T("ReportNotStartedTitle")
	}
	var legend []string
	for i, m := range r.Modules {
		legend = append(legend, fmt.Sprintf("%s%d: %s", r.loc.T("ReportModuleShort"), i+1, m.Title))
	}
	legend = append(legend, "–: "+StatusWord(r.loc, store.NotStarted))
	legendText := strings.Join(legend, "; ")
	// The title and the legend go with the table: onto the next page unless
	// they, the table's header and a first row fit here.
	pdf.SetFont(serif, "", 10)
	need := 7 + float64(len(pdf.SplitText(legendText, 257)))*4.8 + 30
	if _, pageH := pdf.GetPageSize(); pdf.GetY()+need > pageH-20 {
		pdf.AddPage()
	}
	pdf.SetFont(serif, "B", 13)
	pdf.CellFormat(0, 7, title, "", 1, "L", false, 0, "")
	pdf.SetFont(serif, "", 10)
	pdf.MultiCell(0, 4.8, legendText, "", "L", false)
	pdf.Ln(1)
	// STT, name, staff code, position, unit, one per module, percent, date.
	widths := []float64{11, 38, 18, 26, 46}
	aligns := []string{"R", "L", "L", "L", "L"}
	modW := (257 - 11 - 38 - 18 - 26 - 46 - 16 - 22) / float64(max(len(r.Modules), 1))
	for range r.Modules {
		widths, aligns = append(widths, modW), append(aligns, "C")
	}
	widths, aligns = append(widths, 16, 22), append(aligns, "R", "C")
	tbl := newPDFTable(pdf, widths, aligns, r.compactHeaders(), 9)
	n := 0
	err := r.Learners(func(row LearnerRow) error {
		if notStartedOnly && row.Status != store.NotStarted {
			return nil
		}
		n++
		if err := checkCtx(ctx, n); err != nil {
			return err
		}
		tbl.row(r.compactCells(n, row), false)
		return nil
	})
	if err != nil {
		return err
	}
	if n == 0 {
		tbl.row(append([]string{""}, r.loc.T("ReportNobody")), false)
	}
	return nil
}
