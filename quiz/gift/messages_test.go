package gift

import (
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"hocso/locales"
)

// messageCases, with the warning and error cases of the other tests, give
// between them every message the package reports.
var messageCases = []struct {
	name  string
	parse func(io.Reader, string, string) (*Result, error)
	src   string
}{
	{"no GIFT questions", ParseGIFT, "// chỉ có chú thích"},
	{"no Aiken questions", ParseAiken, ""},
	{"UTF-16", ParseGIFT, "\xff\xfeA\x00"},
	{"not UTF-8", ParseGIFT, "C\xe0u h\xf4i?{T}"},
	{"too large", ParseGIFT, strings.Repeat("a", maxFileSize+1)},
	{"categories", ParseGIFT, "$CATEGORY: A\n::Q::A?{T}"},
	{"untitled questions", ParseGIFT, "A?{T}\n\nB?{F}"},
	{"duplicate titles", ParseGIFT, "::Q::A?{T}\n\n::Q::B?{F}"},
	{"HTML content dropped", ParseGIFT, "::Q::[html]A<script>x</script><style>p</style><iframe src=x></iframe>" +
		"<object>o</object><embed src=x><video>v</video><audio>a</audio><svg></svg><canvas></canvas>" +
		"<math><mi>x</mi></math><table><tr><td>b</td></tr></table>?{T}"},
}

// TestMessagesReadWell renders every warning and error the package reports,
// in every language, as `hocso pack import-gift` shows it: a known message,
// with every blank filled and every piece of data shown, in the plural form
// when it has a Count.
func TestMessagesReadWell(t *testing.T) {
	texts := map[string]map[string]any{}
	for _, lang := range locales.Languages {
		m := map[string]any{}
		names, err := filepath.Glob(filepath.Join("..", "..", "locales", "*."+lang+".toml"))
		if err != nil || len(names) == 0 {
			t.Fatalf("no %s message files: %v", lang, err)
		}
		for _, name := range names {
			if _, err := toml.DecodeFile(name, &m); err != nil {
				t.Fatal(err)
			}
		}
		texts[lang] = m
	}
	type message struct {
		id   string
		data map[string]any
	}
	var got []message
	collect := func(res *Result, err error) {
		if res != nil {
			for _, w := range res.Warnings {
				got = append(got, message{w.ID, w.Data})
			}
		}
		var list ErrorList
		var one *Error
		switch {
		case errors.As(err, &list):
			for _, e := range list {
				got = append(got, message{e.ID, e.Data})
			}
		case errors.As(err, &one):
			got = append(got, message{one.ID, one.Data})
		case err != nil:
			t.Errorf("unexpected error %v", err)
		}
	}
	for _, c := range giftWarningCases {
		collect(ParseGIFT(strings.NewReader(c.src), "q.gift", "vi"))
	}
	for _, c := range giftErrorCases {
		collect(ParseGIFT(strings.NewReader(c.src), "q.gift", "vi"))
	}
	for _, c := range aikenErrorCases {
		collect(ParseAiken(strings.NewReader(c.src), "x.txt", "vi"))
	}
	for _, c := range messageCases {
		collect(c.parse(strings.NewReader(c.src), "q", "vi"))
	}

	seen := map[string]bool{}
	for _, m := range got {
		seen[m.id] = true
		keys := slices.Sorted(maps.Keys(m.data))
		for _, lang := range locales.Languages {
			raw, ok := texts[lang][m.id]
			if !ok {
				t.Errorf("%s: no message %s in the %s message files", lang, m.id, lang)
				continue
			}
			count, hasCount := m.data["Count"].(int)
			forms, plural := raw.(map[string]any)
			if plural != hasCount {
				t.Errorf("%s/%s: plural message %v, but data %v", lang, m.id, plural, m.data)
				continue
			}
			other, _ := raw.(string)
			var n *int
			if plural {
				other, _ = forms["other"].(string)
				n = &count
			}
			if fields := templateFields(other); !slices.Equal(fields, keys) {
				t.Errorf("%s/%s: the message shows %v, the data is %v", lang, m.id, fields, keys)
			}
			s, err := locales.New(lang).Localize(m.id, n, m.data)
			if err != nil || s == "" || strings.Contains(s, "<no value>") {
				t.Errorf("%s/%s: %q, %v", lang, m.id, s, err)
			}
			if lang == "vi" {
				if old := oldTonePlacement.FindString(other); old != "" {
					t.Errorf("vi/%s: %q uses the old tone placement (write hóa, khóa, thủy, not hoá, khoá, thuỷ)", m.id, old)
				}
			}
		}
	}
	for _, id := range sourceMessageIDs(t) {
		if !seen[id] {
			t.Errorf("no test case gives %s: add one to messageCases", id)
		}
	}
}

var (
	templateField    = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)
	oldTonePlacement = regexp.MustCompile(`(?i)(?:^|[^q])(?:o[àáảãạèéẻẽẹ]|u[ỳýỷỹỵ])(?:$|\PL)`)
	messageID        = regexp.MustCompile(`"(Gift[A-Z][A-Za-z0-9]*)"`)
)

// templateFields are the data fields a message shows, sorted, each once.
func templateFields(text string) []string {
	var out []string
	for _, m := range templateField.FindAllStringSubmatch(text, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	sort.Strings(out)
	return out
}

// sourceMessageIDs are the message ids written in the package's code.
func sourceMessageIDs(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range messageID.FindAllStringSubmatch(string(b), -1) {
			if !slices.Contains(ids, m[1]) {
				ids = append(ids, m[1])
			}
		}
	}
	if len(ids) < 50 {
		t.Fatalf("found only %d message ids in the code; the scan is broken", len(ids))
	}
	sort.Strings(ids)
	return ids
}
