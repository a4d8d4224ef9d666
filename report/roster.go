package report

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"hocso/lessons"
	"hocso/locales"
	"hocso/store"
)

// RosterProblem is one thing wrong in a roster file, at a row (1 = the
// header) and a column, as a message id with its data.
type RosterProblem struct {
	Row    int
	Column string
	ID     string
	Data   map[string]any
}

// Text is the problem in a person's language, naming the row and the column.
func (p RosterProblem) Text(loc *locales.Localizer) string {
	d := map[string]any{"Row": p.Row, "Column": p.Column}
	for k, v := range p.Data {
		d[k] = v
	}
	return loc.T("RosterProblemAt", map[string]any{"Row": p.Row, "Column": p.Column, "What": loc.T(p.ID, d)})
}

// RosterProblems are every problem of a file; a file with any imports nothing.
type RosterProblems []RosterProblem

func (ps RosterProblems) Error() string {
	return fmt.Sprintf("%d problems in the roster, the first at row %d: %s", len(ps), ps[0].Row, ps[0].ID)
}

// roster columns, and the header names (Vietnamese or English, any case,
// with or without diacritics) that mean them.
const (
	colStaff = iota
	colName
	colPosition
	colUnit
	colCount
)

var rosterHeaders = [colCount][]string{
	colStaff:    {"mã cán bộ", "ma can bo", "mã", "staff code", "staff_code", "code"},
	colName:     {"họ và tên", "ho va ten", "họ tên", "ho ten", "full name", "full_name", "name"},
	colPosition: {"chức vụ", "chuc vu", "position", "title"},
	colUnit:     {"đơn vị", "don vi", "unit path", "unit_path", "unit"},
}

// ReadRoster reads a roster from CSV (UTF-8, with or without a BOM, comma or
// semicolon separated) or from the first sheet of an XLSX workbook, by the
// file's name. It returns every row, or every problem found.
func ReadRoster(name string, r io.Reader) ([]store.RosterEntry, error) {
	var rows [][]string
	var err error
	if strings.EqualFold(filepath.Ext(name), ".xlsx") {
		rows, err = readXLSXRows(r)
	} else {
		rows, err = readCSVRows(r)
	}
	if err != nil {
		return nil, err
	}
	return parseRoster(rows)
}

func readCSVRows(r io.Reader) ([][]string, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte(utf8BOM))
	if !utf8.Valid(data) {
		return nil, RosterProblems{{Row: firstBadLine(data), ID: "RosterNotUTF8"}}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	first, _, _ := bufio.NewReader(bytes.NewReader(data)).ReadLine()
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';' // Excel with Vietnamese regional settings saves so
	}
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, RosterProblems{{Row: pe.StartLine, ID: "RosterBadCSV", Data: map[string]any{"Error": pe.Err.Error()}}}
	}
	return rows, err
}

func firstBadLine(data []byte) int {
	for i, line := range bytes.Split(data, []byte("\n")) {
		if !utf8.Valid(line) {
			return i + 1
		}
	}
	return 1
}

// colLetter is a spreadsheet column letter for a 1-based index (1 → A, 27 → AA).
func colLetter(n int) string {
	if n >= 1 && n <= len(colLetters) {
		return colLetters[n-1]
	}
	return spellColumn(n)
}

func spellColumn(n int) string {
	s := ""
	for n > 0 {
		n--
		s = string(rune('A'+n%26)) + s
		n /= 26
	}
	return s
}

// colLetters are the first columns' letters, made once: a report writes
// one per cell.
var colLetters = func() []string {
	out := make([]string, 26*27)
	for i := range out {
		out[i] = spellColumn(i + 1)
	}
	return out
}()

func parseRoster(rows [][]string) ([]store.RosterEntry, error) {
	if len(rows) == 0 {
		return nil, RosterProblems{{Row: 1, ID: "RosterEmpty"}}
	}
	var idx [colCount]int
	var problems RosterProblems
	for c := range idx {
		idx[c] = -1
	}
	for i, h := range rows[0] {
		h = strings.ToLower(strings.Join(strings.Fields(norm.NFC.String(h)), " "))
		for c, names := range rosterHeaders {
			for _, n := range names {
				if h == n && idx[c] < 0 {
					idx[c] = i
				}
			}
		}
	}
	for _, c := range []int{colName, colUnit} {
		if idx[c] < 0 {
			problems = append(problems, RosterProblem{Row: 1, ID: "RosterMissingColumn",
				Data: map[string]any{"Vietnamese": rosterHeaders[c][0], "English": rosterHeaders[c][len(rosterHeaders[c])-3]}})
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	var out []store.RosterEntry
	seen := map[string]int{}
	for i, row := range rows[1:] {
		n := i + 2
		get := func(c int) string {
			if idx[c] < 0 || idx[c] >= len(row) {
				return ""
			}
			return clean(row[idx[c]])
		}
		e := store.RosterEntry{StaffCode: get(colStaff), FullName: get(colName), Position: get(colPosition),
			UnitPath: NormalizeUnit(get(colUnit))}
		if e == (store.RosterEntry{}) {
			continue // a blank line
		}
		at := func(c int, id string, data map[string]any) {
			problems = append(problems, RosterProblem{Row: n, Column: colLetter(idx[c]+1) + " (" + rows[0][idx[c]] + ")", ID: id, Data: data})
		}
		if utf8.RuneCountInString(e.FullName) < 2 || strings.IndexFunc(e.FullName, unicode.IsLetter) < 0 {
			at(colName, "RosterNameInvalid", nil)
		}
		if idx[colStaff] >= 0 && !validStaffCode(e.StaffCode) {
			at(colStaff, "RosterStaffInvalid", nil)
		}
		if levels := strings.Split(e.UnitPath, " / "); e.UnitPath == "" || len(levels) < 2 || len(levels) > 6 {
			at(colUnit, "RosterUnitLevels", nil)
		}
		key := "c:" + e.StaffCode
		if e.StaffCode == "" {
			key = "n:" + e.FullName + "\x00" + e.UnitPath
		}
		if prev, ok := seen[key]; ok {
			c := colStaff
			if e.StaffCode == "" {
				c = colName
			}
			at(c, "RosterDuplicate", map[string]any{"Other": prev})
		}
		seen[key] = n
		out = append(out, e)
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return out, nil
}

// clean makes a cell text as hocso keeps all text from a person: no
// escape sequences or control characters, NFC, single spaces.
func clean(s string) string {
	c, _ := lessons.Clean(s)
	return strings.Join(strings.Fields(c), " ")
}

// NormalizeUnit writes a unit path as "Level / Level / Level", as the
// profile form does.
func NormalizeUnit(s string) string {
	var parts []string
	for _, p := range strings.Split(s, "/") {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " / ")
}

// validStaffCode follows the profile form: at most 30 ASCII letters, digits
// and - . _ /.
func validStaffCode(s string) bool {
	if len(s) > 30 {
		return false
	}
	for _, r := range s {
		if !(r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '.' || r == '_' || r == '/')) {
			return false
		}
	}
	return true
}
