package report

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

const (
	ns     = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	relsNS = `xmlns="http://schemas.openxmlformats.org/package/2006/relationships"`
)

// zipOf packs parts into a zip, in the order given.
func zipOf(t *testing.T, parts ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for i := 0; i+1 < len(parts); i += 2 {
		w, err := z.Create(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(parts[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// book is a workbook whose first sheet is target, with the given sheet XML
// (inside <sheetData>) and shared strings (inside <sst>).
func book(t *testing.T, target, sheetPath, sheetData, sst string) []byte {
	parts := []string{
		"xl/workbook.xml", `<workbook ` + ns + `><sheets><sheet name="Người" sheetId="7" r:id="rIdX"/><sheet name="Khác" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels", `<Relationships ` + relsNS + `><Relationship Id="rId1" Target="worksheets/other.xml"/><Relationship Id="rIdX" Target="` + target + `"/></Relationships>`,
		sheetPath, `<worksheet ` + ns + `><sheetData>` + sheetData + `</sheetData></worksheet>`,
		"xl/worksheets/other.xml", `<worksheet ` + ns + `><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>wrong sheet</t></is></c></row></sheetData></worksheet>`,
	}
	if sst != "" {
		parts = append(parts, "xl/sharedStrings.xml", `<sst `+ns+`>`+sst+`</sst>`)
	}
	return zipOf(t, parts...)
}

func TestReadXLSXRows(t *testing.T) {
	for _, c := range []struct {
		name              string
		target, sheetPath string
		sheet, sst        string
		want              [][]string
	}{{
		name: "shared, inline, rich text and numbers", target: "worksheets/sheet9.xml", sheetPath: "xl/worksheets/sheet9.xml",
		sst: `<si><t>Mã cán bộ</t></si><si><r><t>Họ và </t></r><r><rPr><b/></rPr><t>tên</t></r><rPh><t>x</t></rPh></si>`,
		sheet: `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>` +
			`<row r="2"><c r="A2"><v>912345678</v></c><c r="B2" t="inlineStr"><is><t xml:space="preserve"> Lan &amp; Hoa </t></is></c></row>` +
			`<row r="3"><c r="A3"><v>0.30000000000000004</v></c><c r="B3" t="str"><f>A1</f><v>Mã</v></c><c r="C3" t="b"><v>1</v></c></row>`,
		want: [][]string{{"Mã cán bộ", "Họ và tên"}, {"912345678", " Lan & Hoa "}, {"0.3", "Mã", "TRUE"}},
	}, {
		name: "gaps keep row and column numbers", target: "/xl/worksheets/s.xml", sheetPath: "xl/worksheets/s.xml",
		sheet: `<row r="2"><c r="C2" t="inlineStr"><is><t>c</t></is></c></row>` +
			`<row r="4"><c r="A4" t="inlineStr"><is><t>a</t></is></c><c r="B4"/><c r="D4"><v>4</v></c></row>`,
		want: [][]string{nil, {"", "", "c"}, nil, {"a", "", "", "4"}},
	}, {
		name: "rows and cells without references follow on", target: "worksheets/s.xml", sheetPath: "xl/worksheets/s.xml",
		sheet: `<row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c></row><row><c r="B2"><v>2</v></c><c><v>3</v></c></row>`,
		want:  [][]string{{"a", "1"}, {"", "2", "3"}},
	}} {
		t.Run(c.name, func(t *testing.T) {
			got, err := readXLSXRows(bytes.NewReader(book(t, c.target, c.sheetPath, c.sheet, c.sst)))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("rows\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

// TestReadXLSXRowsRefuses checks each broken workbook is a roster problem
// at row 1 that says what is wrong, never a panic or a silent empty roster.
func TestReadXLSXRowsRefuses(t *testing.T) {
	for _, c := range []struct {
		name, id, says string
		file           []byte
	}{
		{"not a zip", "RosterBadXLSX", "not an XLSX", []byte("Họ và tên,Đơn vị\n")},
		{"no workbook", "RosterBadXLSX", "workbook.xml", zipOf(t, "a.txt", "x")},
		{"no sheet", "RosterBadXLSX", "no sheet", zipOf(t, "xl/workbook.xml", `<workbook `+ns+`><sheets/></workbook>`)},
		{"sheet file missing", "RosterBadXLSX", "does not contain", book(t, "worksheets/gone.xml", "xl/worksheets/x.xml", "", "")},
		{"bad shared index", "RosterBadXLSX", "no shared string", book(t, "worksheets/s.xml", "xl/worksheets/s.xml",
			`<row r="1"><c r="A1" t="s"><v>5</v></c></row>`, `<si><t>a</t></si>`)},
		{"broken XML", "RosterBadXLSX", "s.xml", book(t, "worksheets/s.xml", "xl/worksheets/s.xml", `<row r="1"><c r="A1">`, "")},
		{"empty sheet", "RosterEmpty", "", book(t, "worksheets/s.xml", "xl/worksheets/s.xml", `<row r="1"/>`, "")},
	} {
		t.Run(c.name, func(t *testing.T) {
			rows, err := readXLSXRows(bytes.NewReader(c.file))
			var ps RosterProblems
			if !errors.As(err, &ps) || len(ps) != 1 {
				t.Fatalf("got rows %q, error %v; want one roster problem", rows, err)
			}
			if ps[0].ID != c.id || ps[0].Row != 1 {
				t.Errorf("problem %s at row %d, want %s at row 1", ps[0].ID, ps[0].Row, c.id)
			}
			if msg, _ := ps[0].Data["Error"].(string); !strings.Contains(msg, c.says) {
				t.Errorf("problem says %q, want it to name %q", msg, c.says)
			}
		})
	}
}

// TestXLSXWriterReadBack reads a written workbook's first sheet back with the
// roster reader: text as written, numbers as General format shows them,
// dates as serial days, awkward characters intact.
func TestXLSXWriterReadBack(t *testing.T) {
	cols := []Column{{"Họ và tên", Text, 20}, {"Họ và tên", Text, 10}, {"Số", Integer, 5}, {"Tỷ lệ", Percent, 5}, {"Ngày", Date, 10}}
	rows := [][]Value{
		{text(`A & B <"x"> ` + "\x01\ttab"), {Empty: true}, number(3), number(33.33), date(time.Date(2026, 11, 25, 23, 0, 0, 0, time.FixedZone("ICT", 7*3600)))},
		{text("Nguyễn Thị Lan"), text("x"), number(0), {Empty: true}, {Empty: true}},
	}
	var b bytes.Buffer
	err := writeWorkbook(&b, []xlsxSheet{{name: "Danh/sách: [học] viên*?", table: "T", cols: cols,
		each: func(row func([]Value) error) error {
			for _, r := range rows {
				if err := row(r); err != nil {
					return err
				}
			}
			return nil
		}}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := readXLSXRows(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Họ và tên", "Họ và tên (2)", "Số", "Tỷ lệ", "Ngày"},
		{"A & B <\"x\"> \uFFFD\ttab", "", "3", "0.333", "46351"},
		{"Nguyễn Thị Lan", "x", "0"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back\n got %q\nwant %q", got, want)
	}
}

// TestWriteXLSXStopsWhenCancelled checks a cancelled export ends with the
// context's error rather than a workbook.
func TestWriteXLSXStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := writeWorkbook(&bytes.Buffer{}, []xlsxSheet{{name: "s", table: "T", cols: []Column{{"a", Text, 1}},
		each: func(row func([]Value) error) error { return ctx.Err() }}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}
