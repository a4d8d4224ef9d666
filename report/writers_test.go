package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"html/template"
	"testing"
	"time"

	"hocso/store"
)

// TestHTMLRowAsTemplate checks the learner rows written by hand against
// the template they replaced, on text that needs escaping.
func TestHTMLRowAsTemplate(t *testing.T) {
	tmpl := template.Must(template.New("row").Parse(
		`<tr>{{range .}}<td{{if .Class}} class="{{.Class}}"{{end}}>{{.Text}}</td>{{end}}</tr>` + "\n"))
	cells := []htmlCell{{Text: "1", Class: "num"}, {Text: `Lê "Bé" <Tí> & O'Neil +1`}, {Text: "a\x00b", Class: `x" onclick="y`},
		{Text: "Đặng Thị Hà · Phó Chủ tịch"}, {Text: ""}, {Text: "–", Class: "st st-not_started"}}
	var want, got bytes.Buffer
	if err := tmpl.Execute(&want, cells); err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(&got)
	writeHTMLRow(w, cells)
	w.Flush()
	if got.String() != want.String() {
		t.Errorf("row:\n got %s\nwant %s", got.String(), want.String())
	}
}

// TestXMLText checks the escaping of spreadsheet text, and that plain text
// comes back as it is.
func TestXMLText(t *testing.T) {
	for in, want := range map[string]string{
		"Đặng Thị Hà":         "Đặng Thị Hà",
		`A & B <c> "d" 'e'`:   `A &amp; B &lt;c&gt; &quot;d&quot; 'e'`,
		"tab\there\nline\r":   "tab&#9;here&#10;line&#13;",
		"bell\x07 \uFFFE x":   "bell\uFFFD \uFFFD x",
		"bad \xff byte":       "bad \uFFFD byte",
		"already \uFFFD kept": "already \uFFFD kept",
	} {
		if got := xmlText(in); got != want {
			t.Errorf("xmlText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRowJSONAsMarshal checks the JSON rows written by hand against
// json.Marshal, on text that needs escaping and on every kind of cell.
func TestRowJSONAsMarshal(t *testing.T) {
	day := time.Date(2026, 11, 20, 9, 30, 0, 123, time.UTC)
	rows := []LearnerRow{
		{FullName: "Đặng Thị Hà", StaffCode: "HN-001", Position: "Phó Chủ tịch", UnitPath: "Hà Nội / Phường Ba Đình",
			OnRoster: true, Percent: 33.3, Status: store.InProgress, Modules: []Cell{
				{Status: store.Passed, CompletedAt: day, Score: 87.46, HasScore: true},
				{Status: store.NotStarted}, {Status: store.InProgress, Score: 0, HasScore: true}}},
		{FullName: `Lê "Tí" <b> & \ O'Neil`, StaffCode: "a\tb\x01", Position: "x\u2028y", UnitPath: "bad \xff",
			Percent: 100, Status: store.Completed, CompletedAt: day, Modules: []Cell{}},
		{FullName: "", Percent: 0, Status: store.NotStarted},
		{FullName: "tiny", Percent: 1e-9, Status: store.NotStarted, Modules: []Cell{{Status: store.Completed, Score: 1e22, HasScore: true}}},
	}
	for _, row := range rows {
		want, err := json.Marshal(row)
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendRowJSON(nil, row)
		if err != nil || string(got) != string(want) {
			t.Errorf("row %q:\n got %s %v\nwant %s", row.FullName, got, err, want)
		}
	}
}
