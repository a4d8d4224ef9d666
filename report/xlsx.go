package report

import (
	"archive/zip"
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The workbook is written by hand (Office Open XML, ECMA-376 part 1) rather
// than through a spreadsheet library: a report needs two sheets of typed
// cells, four cell styles, a frozen header and a filter table, which is a few
// fixed XML parts around streamed rows. The library it replaced (excelize)
// was 2.1 MB of the release binary and 1.3 MB of allocations in its package
// initialisation at every start of every command (docs/performance.md).

// Cell style indexes in styles.xml's cellXfs, in order.
const (
	xfDefault = iota
	xfHeader  // bold, bottom border, wrapped, centred vertically
	xfDate    // dd/mm/yyyy
	xfPercent // 0.0%
	xfInteger // 0
)

const xlsxStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="0.0%"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left/><right/><top/><bottom style="thin"><color rgb="FF000000"/></bottom><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>`

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// xlsxSheet is one sheet to write: its name on the tab, the name of its
// filter table, its columns and a function that hands each row to row.
type xlsxSheet struct {
	name, table string
	cols        []Column
	each        func(row func([]Value) error) error
}

// WriteXLSX writes a workbook with a summary sheet and a learner sheet, each
// with a bold frozen header, filters and column widths; dates are dates and
// percentages percentages. Rows stream into the zip as they come, so memory
// stays flat.
func (r *Report) WriteXLSX(ctx context.Context, w io.Writer) error {
	lines := r.SummaryLines()
	n := 0
	var vs []Value
	sheets := []xlsxSheet{
		{r.loc.T("ReportSheetSummary"), "Summary", r.SummaryColumns(), func(row func([]Value) error) error {
			for _, g := range lines {
				if err := row(r.SummaryValues(g)); err != nil {
					return err
				}
			}
			return nil
		}},
		{r.loc.T("ReportSheetLearners"), "Learners", r.LearnerColumns(), func(row func([]Value) error) error {
			return r.Learners(func(lr LearnerRow) error {
				n++
				if err := checkCtx(ctx, n); err != nil {
					return err
				}
				vs = r.appendLearnerValues(vs[:0], lr)
				return row(vs)
			})
		}},
	}
	return writeWorkbook(w, sheets)
}

// writeWorkbook writes the package's parts in order: content types,
// relationships, workbook, styles, then each sheet with its table.
func writeWorkbook(w io.Writer, sheets []xlsxSheet) error {
	z := zip.NewWriter(w)
	part := func(name, body string) error {
		f, err := z.Create(name)
		if err != nil {
			return err
		}
		_, err = io.WriteString(f, body)
		return err
	}
	var types, book, rels strings.Builder
	types.WriteString(xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`)
	book.WriteString(xmlHeader + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<bookViews><workbookView activeTab="0"/></bookViews><sheets>`)
	rels.WriteString(xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`)
	for i := range sheets {
		n := i + 1
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`+
			`<Override PartName="/xl/tables/table%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"/>`, n, n)
		fmt.Fprintf(&book, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, xmlText(sheetName(sheets[i].name)), n, n)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, n, n)
	}
	types.WriteString(`</Types>`)
	book.WriteString(`</sheets></workbook>`)
	rels.WriteString(`</Relationships>`)
	for _, p := range [][2]string{
		{"[Content_Types].xml", types.String()},
		{"_rels/.rels", xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", book.String()},
		{"xl/_rels/workbook.xml.rels", rels.String()},
		{"xl/styles.xml", xlsxStyles},
	} {
		if err := part(p[0], p[1]); err != nil {
			return err
		}
	}
	for i, s := range sheets {
		rows, err := writeSheet(z, i+1, s)
		if err != nil {
			return fmt.Errorf("xlsx sheet %s: %w", s.name, err)
		}
		if err := part(fmt.Sprintf("xl/worksheets/_rels/sheet%d.xml.rels", i+1), xmlHeader+
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
			fmt.Sprintf(`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/table" Target="../tables/table%d.xml"/>`, i+1)+
			`</Relationships>`); err != nil {
			return err
		}
		if err := part(fmt.Sprintf("xl/tables/table%d.xml", i+1), tableXML(i+1, s, rows)); err != nil {
			return err
		}
	}
	return z.Close()
}

// writeSheet streams one worksheet and returns how many rows it has,
// the header included.
func writeSheet(z *zip.Writer, n int, s xlsxSheet) (int, error) {
	f, err := z.Create(fmt.Sprintf("xl/worksheets/sheet%d.xml", n))
	if err != nil {
		return 0, err
	}
	b := bufio.NewWriterSize(f, 64<<10)
	selected := ""
	if n == 1 {
		selected = ` tabSelected="1"`
	}
	b.WriteString(xmlHeader + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`)
	fmt.Fprintf(b, `<sheetViews><sheetView workbookViewId="0"%s><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>`+
		`<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><cols>`, selected)
	for i, c := range s.cols {
		fmt.Fprintf(b, `<col min="%d" max="%d" width="%s" customWidth="1"/>`, i+1, i+1, strconv.FormatFloat(c.Width, 'f', -1, 64))
	}
	b.WriteString(`</cols><sheetData><row r="1" ht="32" customHeight="1">`)
	for i, h := range tableHeaders(s.cols) {
		writeCell(b, i, 1, xfHeader, Value{Text: h}, Text)
	}
	b.WriteString(`</row>`)
	row := 1
	err = s.each(func(vs []Value) error {
		row++
		fmt.Fprintf(b, `<row r="%d">`, row)
		for i, v := range vs {
			writeCell(b, i, row, 0, v, s.cols[i].Kind)
		}
		_, err := b.WriteString(`</row>`)
		return err
	})
	if err != nil {
		return 0, err
	}
	b.WriteString(`</sheetData><tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>`)
	return row, b.Flush()
}

// writeCell writes one cell at column col (0-based) of row; a header cell
// has style xf, any other the style of its kind. An empty value writes nothing.
func writeCell(b *bufio.Writer, col, row, xf int, v Value, k Kind) {
	if v.Empty {
		return
	}
	// Written piece by piece: fmt took a third of an XLSX report's time.
	var scratch [32]byte
	start := func(style int) {
		b.WriteString(`<c r="`)
		b.WriteString(colLetter(col + 1))
		b.Write(strconv.AppendInt(scratch[:0], int64(row), 10))
		b.WriteString(`" s="`)
		b.Write(strconv.AppendInt(scratch[:0], int64(style), 10))
	}
	num := func(style int, f float64) {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return
		}
		start(style)
		b.WriteString(`"><v>`)
		b.Write(strconv.AppendFloat(scratch[:0], f, 'f', -1, 64))
		b.WriteString(`</v></c>`)
	}
	switch {
	case xf != 0 || k == Text:
		start(xf)
		b.WriteString(`" t="inlineStr"><is><t xml:space="preserve">`)
		b.WriteString(xmlText(v.Text))
		b.WriteString(`</t></is></c>`)
	case k == Date:
		num(xfDate, excelDate(v.Time))
	case k == Percent:
		num(xfPercent, RoundPercent(v.Num)/100)
	default:
		num(xfInteger, v.Num)
	}
}

// xmlPlain reports whether xmlText would leave s as it is, as most cells
// are: no markup character, no control character, no UTF-8 error.
func xmlPlain(s string) bool {
	for _, r := range s {
		switch {
		case r == '&', r == '<', r == '>', r == '"', r < 0x20, r == 0xFFFE, r == 0xFFFF, r == utf8.RuneError:
			return false
		}
	}
	return true
}

// excelDate is the spreadsheet serial number of t's calendar day: days since
// 30 December 1899, with no time of day to shift it.
func excelDate(t time.Time) float64 {
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return math.Round(day.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

// tableXML is the filter table over a sheet's rows (at least one data row,
// as spreadsheet programs require).
func tableXML(n int, s xlsxSheet, rows int) string {
	ref := "A1:" + colLetter(len(s.cols)) + strconv.Itoa(max(rows, 2))
	var b strings.Builder
	fmt.Fprintf(&b, xmlHeader+`<table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="%d" name="%s" displayName="%s" ref="%s">`+
		`<autoFilter ref="%s"/><tableColumns count="%d">`, n, s.table, s.table, ref, ref, len(s.cols))
	for i, h := range tableHeaders(s.cols) {
		fmt.Fprintf(&b, `<tableColumn id="%d" name="%s"/>`, i+1, xmlText(h))
	}
	b.WriteString(`</tableColumns><tableStyleInfo showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/></table>`)
	return b.String()
}

// tableHeaders are the header cells: a table's column names must differ, so
// a repeated header (two modules with one title) gets a number.
func tableHeaders(cols []Column) []string {
	seen := map[string]int{}
	out := make([]string, len(cols))
	for i, c := range cols {
		h := strings.Join(strings.Fields(c.Header), " ")
		key := strings.ToLower(h)
		seen[key]++
		for seen[key] > 1 {
			h = fmt.Sprintf("%s (%d)", strings.Join(strings.Fields(c.Header), " "), seen[key])
			key = strings.ToLower(h)
			seen[key]++
		}
		out[i] = h
	}
	return out
}

// sheetName is name as a sheet tab allows: at most 31 characters, none of
// : \ / ? * [ ].
func sheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, name)
	if rs := []rune(name); len(rs) > 31 {
		name = string(rs[:31])
	}
	return name
}

// xmlText escapes s for XML text and attributes; characters XML cannot hold
// (most control characters) become U+FFFD.
func xmlText(s string) string {
	if xmlPlain(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\t', r == '\n':
			fmt.Fprintf(&b, "&#%d;", r)
		case r == '\r':
			b.WriteString("&#13;")
		case r < 0x20, r == 0xFFFE, r == 0xFFFF, r >= 0xD800 && r <= 0xDFFF:
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
