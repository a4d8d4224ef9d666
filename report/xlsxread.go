package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// A roster workbook is read straight from its parts: the workbook names its
// first sheet, the relationships give that sheet's file, the shared strings
// hold most text, and the sheet's cells are read as text (numbers as Excel
// shows them in General format). Formulas count by their cached values.

// xlsxPartLimit bounds the unpacked size of any one part read, so a crafted
// file cannot exhaust memory.
const xlsxPartLimit = 256 << 20

// readXLSXRows is every row of the workbook's first sheet, cells as text;
// row i of the result is the sheet's row i+1, missing rows and cells empty.
func readXLSXRows(r io.Reader) ([][]string, error) {
	rows, err := readFirstSheet(r)
	var bad *xlsxError
	if errors.As(err, &bad) {
		return nil, RosterProblems{{Row: 1, ID: "RosterBadXLSX", Data: map[string]any{"Error": bad.Error()}}}
	}
	if err != nil {
		return nil, err
	}
	if rows == nil {
		return nil, RosterProblems{{Row: 1, ID: "RosterEmpty"}}
	}
	return rows, nil
}

// xlsxError is a file that is not a workbook hocso can read.
type xlsxError struct{ what string }

func (e *xlsxError) Error() string { return e.what }

func badXLSX(format string, args ...any) error {
	return &xlsxError{fmt.Sprintf(format, args...)}
}

func readFirstSheet(r io.Reader) ([][]string, error) {
	data, err := io.ReadAll(io.LimitReader(r, xlsxPartLimit+1))
	if err != nil {
		return nil, err
	}
	if len(data) > xlsxPartLimit {
		return nil, badXLSX("the file is larger than %d MiB", xlsxPartLimit>>20)
	}
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, badXLSX("not an XLSX workbook (%v)", err)
	}
	files := map[string]*zip.File{}
	for _, f := range z.File {
		files[strings.TrimPrefix(f.Name, "/")] = f
	}
	sheet, err := firstSheetPath(files)
	if err != nil {
		return nil, err
	}
	var shared []string
	if f := files["xl/sharedStrings.xml"]; f != nil {
		if shared, err = readSharedStrings(f); err != nil {
			return nil, err
		}
	}
	f := files[sheet]
	if f == nil {
		return nil, badXLSX("the workbook names %s, which it does not contain", sheet)
	}
	return readSheetCells(f, shared)
}

// openPart opens a part of the package, bounded by xlsxPartLimit.
func openPart(f *zip.File) (io.ReadCloser, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, badXLSX("%s: %v", f.Name, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{&limitedPart{r: rc, left: xlsxPartLimit, name: f.Name}, rc}, nil
}

// limitedPart fails once more than left bytes are read.
type limitedPart struct {
	r    io.Reader
	left int64
	name string
}

func (l *limitedPart) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return n, badXLSX("%s unpacks to more than %d MiB", l.name, xlsxPartLimit>>20)
	}
	return n, err
}

// decodePart decodes a whole (small) XML part into v.
func decodePart(f *zip.File, v any) error {
	rc, err := openPart(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := xml.NewDecoder(rc).Decode(v); err != nil {
		var bad *xlsxError
		if errors.As(err, &bad) {
			return err
		}
		return badXLSX("%s: %v", f.Name, err)
	}
	return nil
}

// firstSheetPath is the package path of the workbook's first sheet.
func firstSheetPath(files map[string]*zip.File) (string, error) {
	wb := files["xl/workbook.xml"]
	if wb == nil {
		return "", badXLSX("no xl/workbook.xml: not an XLSX workbook")
	}
	var book struct {
		Sheets []struct {
			ID string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := decodePart(wb, &book); err != nil {
		return "", err
	}
	if len(book.Sheets) == 0 {
		return "", badXLSX("the workbook has no sheet")
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if f := files["xl/_rels/workbook.xml.rels"]; f != nil {
		if err := decodePart(f, &rels); err != nil {
			return "", err
		}
	}
	for _, rel := range rels.Rels {
		if rel.ID != book.Sheets[0].ID {
			continue
		}
		if strings.HasPrefix(rel.Target, "/") {
			return strings.TrimPrefix(rel.Target, "/"), nil
		}
		return path.Join("xl", rel.Target), nil
	}
	return "", badXLSX("the workbook's first sheet (%s) has no file", book.Sheets[0].ID)
}

// readSharedStrings is the workbook's table of shared strings; a rich text
// string is its runs joined, phonetic hints left out.
func readSharedStrings(f *zip.File) ([]string, error) {
	var sst struct {
		Items []richText `xml:"si"`
	}
	if err := decodePart(f, &sst); err != nil {
		return nil, err
	}
	out := make([]string, len(sst.Items))
	for i, it := range sst.Items {
		out[i] = it.String()
	}
	return out, nil
}

// richText is a string item: plain (<t>) or in runs (<r><t>).
type richText struct {
	T    *string `xml:"t"`
	Runs []struct {
		T string `xml:"t"`
	} `xml:"r"`
}

func (t richText) String() string {
	if t.T != nil {
		return *t.T
	}
	var b strings.Builder
	for _, r := range t.Runs {
		b.WriteString(r.T)
	}
	return b.String()
}

// xlsxCell is one <c> element of a sheet.
type xlsxCell struct {
	Ref    string   `xml:"r,attr"`
	Type   string   `xml:"t,attr"`
	Value  string   `xml:"v"`
	Inline richText `xml:"is"`
}

// readSheetCells reads a sheet row by row, so only the text is kept.
func readSheetCells(f *zip.File, shared []string) ([][]string, error) {
	rc, err := openPart(f)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	var rows [][]string
	row, col := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var bad *xlsxError
			if errors.As(err, &bad) {
				return nil, err
			}
			return nil, badXLSX("%s: %v", f.Name, err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch start.Name.Local {
		case "row":
			row, col = nextIndex(start, "r", row), 0
		case "c":
			var c xlsxCell
			if err := d.DecodeElement(&c, &start); err != nil {
				return nil, badXLSX("%s: %v", f.Name, err)
			}
			col = cellColumn(c.Ref, col)
			text, err := c.text(shared)
			if err != nil {
				return nil, badXLSX("%s cell %s: %v", f.Name, c.Ref, err)
			}
			if text == "" || row < 1 {
				continue
			}
			for len(rows) < row {
				rows = append(rows, nil)
			}
			cells := rows[row-1]
			for len(cells) < col {
				cells = append(cells, "")
			}
			cells[col-1] = text
			rows[row-1] = cells
		}
	}
	return rows, nil
}

// nextIndex is the 1-based index in attribute attr, or the one after prev.
func nextIndex(e xml.StartElement, attr string, prev int) int {
	for _, a := range e.Attr {
		if a.Name.Local == attr {
			if n, err := strconv.Atoi(a.Value); err == nil && n > 0 && n <= 1<<20 {
				return n
			}
		}
	}
	return prev + 1
}

// cellColumn is the 1-based column of a reference like "AB12", or the one
// after prev when the reference is missing or not one.
func cellColumn(ref string, prev int) int {
	n := 0
	for _, r := range ref {
		if r < 'A' || r > 'Z' {
			break
		}
		n = n*26 + int(r-'A') + 1
		if n > 16384 { // XFD, the last column
			return prev + 1
		}
	}
	if n == 0 {
		return prev + 1
	}
	return n
}

// text is a cell's value as text.
func (c xlsxCell) text(shared []string) (string, error) {
	switch c.Type {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(c.Value))
		if err != nil || i < 0 || i >= len(shared) {
			return "", fmt.Errorf("no shared string %q", c.Value)
		}
		return shared[i], nil
	case "inlineStr":
		return c.Inline.String(), nil
	case "b":
		if strings.TrimSpace(c.Value) == "1" {
			return "TRUE", nil
		}
		return "FALSE", nil
	case "str", "e":
		return c.Value, nil
	}
	v := strings.TrimSpace(c.Value)
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		// As General format shows a number: at most 15 significant digits,
		// so 0.1+0.2 stored as 0.30000000000000004 reads 0.3.
		return strconv.FormatFloat(f, 'g', 15, 64), nil
	}
	return v, nil
}
