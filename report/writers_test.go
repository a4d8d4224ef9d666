package report

import (
	"bufio"
	"bytes"
	"html/template"
	"testing"
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
