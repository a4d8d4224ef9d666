package report

import (
	"fmt"
	"os"

	"github.com/go-pdf/fpdf"
)

// The PDF family name fonts are registered under.
const serif = "serif"

// newPDF starts an A4 document in the office serif, with "Trang 1/3" page
// numbers in the footer. Margins follow Decree 30/2020/NĐ-CP: 20–25 mm top
// and bottom, 30–35 mm left, 15–20 mm right (the left narrower in landscape).
func newPDF(fonts FontSet, landscape bool, pageWord string) (*fpdf.Fpdf, error) {
	orient := "P"
	left := 30.0
	if landscape {
		orient, left = "L", 25
	}
	pdf := fpdf.New(orient, "mm", "A4", "")
	for _, f := range []struct{ style, path string }{{"", fonts.Regular}, {"B", fonts.Bold}, {"I", fonts.Italic}} {
		b, err := os.ReadFile(f.path)
		if err != nil {
			return nil, fmt.Errorf("font %s: %w", f.path, err)
		}
		pdf.AddUTF8FontFromBytes(serif, f.style, b)
	}
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("font %s: %w", fonts.Regular, err)
	}
	pdf.SetMargins(left, 20, 15)
	pdf.SetAutoPageBreak(true, 20)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-14)
		pdf.SetFont(serif, "", 11)
		pdf.CellFormat(0, 6, fmt.Sprintf("%s %d/{nb}", pageWord, pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.SetCreator("hocso", true)
	return pdf, nil
}

// nationalHeading draws the two-column heading of an administrative
// document: the issuing body on the left (its parent above, its own name bold
// with a short rule under it), the state's name and motto on the right with a
// rule under the motto, then the date line in italics under the right column.
func nationalHeading(pdf *fpdf.Fpdf, parent, unit, dateLine string) {
	left, _, right, _ := pdf.GetMargins()
	pageW, _ := pdf.GetPageSize()
	width := pageW - left - right
	leftW := width * 0.42
	rightW := width - leftW
	y := pdf.GetY()
	pdf.SetFont(serif, "", 12)
	ly := y
	if parent != "" {
		pdf.SetXY(left, ly)
		pdf.MultiCell(leftW, 5.5, parent, "", "C", false)
		ly = pdf.GetY()
	}
	pdf.SetFont(serif, "B", 12)
	pdf.SetXY(left, ly)
	pdf.MultiCell(leftW, 5.5, unit, "", "C", false)
	ly = pdf.GetY()
	if unit != "" {
		underline(pdf, left+leftW/2, ly+0.8, min(pdf.GetStringWidth(unit), leftW)*0.4)
	}

	pdf.SetFont(serif, "B", 12)
	pdf.SetXY(left+leftW, y)
	pdf.CellFormat(rightW, 5.5, nationalName, "", 2, "C", false, 0, "")
	pdf.SetFont(serif, "B", 13)
	pdf.SetX(left + leftW)
	pdf.CellFormat(rightW, 6, nationalMotto, "", 2, "C", false, 0, "")
	underline(pdf, left+leftW+rightW/2, pdf.GetY()+0.6, pdf.GetStringWidth(nationalMotto))
	ry := pdf.GetY() + 4

	pdf.SetFont(serif, "I", 13)
	pdf.SetXY(left+leftW, max(ly, ry))
	pdf.CellFormat(rightW, 7, dateLine, "", 1, "C", false, 0, "")
	pdf.Ln(4)
}

// underline draws a rule of width w centred on cx.
func underline(pdf *fpdf.Fpdf, cx, y, w float64) {
	pdf.SetLineWidth(0.3)
	pdf.Line(cx-w/2, y, cx+w/2, y)
}

// pdfTable draws rows of wrapped cells with a header repeated on every page.
type pdfTable struct {
	pdf     *fpdf.Fpdf
	widths  []float64
	aligns  []string
	header  []string
	size    float64
	lineH   float64
	bottom  float64
	started bool
}

func newPDFTable(pdf *fpdf.Fpdf, widths []float64, aligns []string, header []string, size float64) *pdfTable {
	_, h := pdf.GetPageSize()
	_, _, _, b := pdf.GetMargins()
	return &pdfTable{pdf: pdf, widths: widths, aligns: aligns, header: header, size: size, lineH: size * 0.45, bottom: h - b}
}

// row draws one row, moving to a new page (and repeating the header) when it
// would not fit; bold draws it as a total line.
func (t *pdfTable) row(cells []string, bold bool) {
	style := ""
	if bold {
		style = "B"
	}
	t.pdf.SetFont(serif, style, t.size)
	h := t.height(cells)
	if !t.started {
		// A header never stands alone at the foot of a page: it goes to the
		// next page unless its first row fits under it.
		t.started = true
		t.pdf.SetFont(serif, "B", t.size)
		if t.pdf.GetY()+t.height(t.header)+h > t.bottom {
			t.pdf.AddPage()
		}
		t.drawHeader()
		t.pdf.SetFont(serif, style, t.size)
	}
	if t.pdf.GetY()+h > t.bottom {
		t.pdf.AddPage()
		t.drawHeader()
		t.pdf.SetFont(serif, style, t.size)
	}
	t.draw(cells, t.aligns, h, false)
}

func (t *pdfTable) drawHeader() {
	t.pdf.SetFont(serif, "B", t.size)
	t.pdf.SetFillColor(235, 235, 235)
	aligns := make([]string, len(t.header))
	for i := range aligns {
		aligns[i] = "C"
	}
	t.draw(t.header, aligns, t.height(t.header), true)
}

func (t *pdfTable) height(cells []string) float64 {
	n := 1
	for i, c := range cells {
		n = max(n, len(t.pdf.SplitText(c, t.widths[i]-2)))
	}
	return float64(n)*t.lineH + 2
}

func (t *pdfTable) draw(cells, aligns []string, h float64, fill bool) {
	x0, y := t.pdf.GetX(), t.pdf.GetY()
	x := x0
	for i, c := range cells {
		t.pdf.Rect(x, y, t.widths[i], h, map[bool]string{true: "FD", false: "D"}[fill])
		t.pdf.SetXY(x+1, y+1)
		lines := t.pdf.SplitText(c, t.widths[i]-2)
		for _, l := range lines {
			t.pdf.SetX(x + 1)
			t.pdf.CellFormat(t.widths[i]-2, t.lineH, l, "", 2, aligns[i], false, 0, "")
		}
		x += t.widths[i]
	}
	t.pdf.SetXY(x0, y+h)
}

// signatureBlock draws two signatories side by side — who prepared the
// document and the head of the unit — with room to sign, on the same page.
func signatureBlock(pdf *fpdf.Fpdf, leftTitle, leftNote, rightTitle, rightNote string) {
	left, _, right, _ := pdf.GetMargins()
	pageW, pageH := pdf.GetPageSize()
	_, _, _, bottom := pdf.GetMargins()
	if pdf.GetY()+45 > pageH-bottom {
		pdf.AddPage()
	}
	pdf.Ln(8)
	w := (pageW - left - right) / 2
	y := pdf.GetY()
	for i, s := range [][2]string{{leftTitle, leftNote}, {rightTitle, rightNote}} {
		if s[0] == "" {
			continue
		}
		pdf.SetXY(left+float64(i)*w, y)
		pdf.SetFont(serif, "B", 13)
		pdf.CellFormat(w, 6, s[0], "", 2, "C", false, 0, "")
		pdf.SetX(left + float64(i)*w)
		pdf.SetFont(serif, "I", 12)
		pdf.CellFormat(w, 6, s[1], "", 2, "C", false, 0, "")
	}
	pdf.SetY(y + 40)
}
