package locales

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"golang.org/x/text/unicode/norm"
)

// messages reads every message file of one language as id → plain text or
// plural forms; an id defined in two files is an error.
func messages(t *testing.T, lang string) map[string]any {
	t.Helper()
	names, err := messageFiles(lang)
	if err != nil || len(names) == 0 {
		t.Fatalf("no message files for %s: %v", lang, err)
	}
	m := map[string]any{}
	where := map[string]string{}
	for _, name := range names {
		b, err := files.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !norm.NFC.IsNormal(b) {
			t.Errorf("%s is not NFC", name)
		}
		one := map[string]any{}
		if _, err := toml.Decode(string(b), &one); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for id, v := range one {
			if prev, dup := where[id]; dup {
				t.Errorf("%s: message %s is also in %s", name, id, prev)
			}
			where[id] = name
			m[id] = v
		}
	}
	return m
}

// TestEveryFileHasItsTwin checks that each area's message file exists in
// every language, so a missing translation file cannot hide behind the check
// of single ids.
func TestEveryFileHasItsTwin(t *testing.T) {
	areas := map[string]int{}
	for _, lang := range Languages {
		names, _ := messageFiles(lang)
		for _, n := range names {
			areas[strings.TrimSuffix(n, "."+lang+".toml")]++
		}
	}
	for area, n := range areas {
		if n != len(Languages) {
			t.Errorf("message area %q has files in %d of %d languages", area, n, len(Languages))
		}
	}
}

var templateField = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

// TestEveryMessageInEveryLanguage checks that each id exists in both files,
// with the same plural shape and the same template fields, and that it
// localizes without error for the counts 0, 1 and 2.
func TestEveryMessageInEveryLanguage(t *testing.T) {
	all := map[string]map[string]any{}
	ids := map[string]bool{}
	for _, lang := range Languages {
		all[lang] = messages(t, lang)
		for id := range all[lang] {
			ids[id] = true
		}
	}
	sorted := make([]string, 0, len(ids))
	for id := range ids {
		sorted = append(sorted, id)
	}
	sort.Strings(sorted)
	fields := func(v any) []string {
		var text string
		switch v := v.(type) {
		case string:
			text = v
		case map[string]any:
			text = v["other"].(string)
		}
		var out []string
		for _, m := range templateField.FindAllStringSubmatch(text, -1) {
			out = append(out, m[1])
		}
		sort.Strings(out)
		return out
	}
	for _, id := range sorted {
		vi, en := all["vi"][id], all["en"][id]
		if vi == nil || en == nil {
			t.Errorf("%s: missing in vi (%v) or en (%v)", id, vi != nil, en != nil)
			continue
		}
		if strings.Join(fields(vi), ",") != strings.Join(fields(en), ",") {
			t.Errorf("%s: template fields differ: vi %v, en %v", id, fields(vi), fields(en))
		}
		data := map[string]any{}
		for _, f := range fields(vi) {
			data[f] = "x"
		}
		for _, lang := range Languages {
			loc := New(lang)
			_, plural := all[lang][id].(map[string]any)
			if !plural {
				s, err := loc.Localize(id, nil, data)
				if err != nil || s == "" || strings.Contains(s, "<no value>") {
					t.Errorf("%s/%s: %q, %v", lang, id, s, err)
				}
				continue
			}
			forms := all[lang][id].(map[string]any)
			if forms["one"] == nil || forms["other"] == nil {
				t.Errorf("%s/%s: plural message needs both one and other", lang, id)
			}
			for _, n := range []int{0, 1, 2} {
				d := map[string]any{"Count": n}
				for k, v := range data {
					if k != "Count" {
						d[k] = v
					}
				}
				s, err := loc.Localize(id, &n, d)
				if err != nil || s == "" || strings.Contains(s, "<no value>") {
					t.Errorf("%s/%s count %d: %q, %v", lang, id, n, s, err)
				}
			}
		}
	}
}

func TestFormatting(t *testing.T) {
	vi, en := New("vi"), New("en")
	day := time.Date(2019, 9, 27, 14, 5, 0, 0, time.UTC)
	cases := []struct{ got, want string }{
		{vi.Date(day), "27/9/2019"},
		{en.Date(day), "27 Sep 2019"},
		{vi.Percent(7.5), "7,5%"},
		{en.Percent(7.5), "7.5%"},
		{vi.Percent(70), "70%"},
		{vi.Number(2.0/3, 2), "0,67"},
		{vi.Number(-0.0001, 2), "0"},
		{vi.N("QuestionCount", 1), "1 câu hỏi"},
		{en.N("QuestionCount", 1), "1 question"},
		{en.N("QuestionCount", 12), "12 questions"},
		{vi.T("NoSuchMessage"), "NoSuchMessage"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q; want %q", c.got, c.want)
		}
	}
}

func TestFromEnv(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, "vi"},
		{map[string]string{"LANG": "en_US.UTF-8"}, "en"},
		{map[string]string{"LANG": "vi_VN.UTF-8"}, "vi"},
		{map[string]string{"LANG": "C"}, "vi"},
		{map[string]string{"LANG": "fr_FR.UTF-8"}, "vi"},
		{map[string]string{"LANG": "vi_VN.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"},
		{map[string]string{"LANG": "en_US.UTF-8", "HOCSO_LANG": "vi"}, "vi"},
		{map[string]string{"HOCSO_LANG": "EN"}, "en"},
	}
	for _, c := range cases {
		if got := FromEnv(func(k string) string { return c.env[k] }); got != c.want {
			t.Errorf("FromEnv(%v) = %s; want %s", c.env, got, c.want)
		}
	}
}

// TestCodeUsesOnlyKnownMessages finds the message ids the Go code passes to
// the localizer, and the problem ids packs report, and checks each exists.
func TestCodeUsesOnlyKnownMessages(t *testing.T) {
	known := messages(t, "vi")
	call := regexp.MustCompile(`\b(?:T|N|Localize)\("([A-Z][A-Za-z_]+)"\s*[,)]`)
	literal := regexp.MustCompile(`"((?:Problem|Profile|Status|Kind_[a-z])[A-Za-z_]*|AnswerEmpty|NumericInvalid)"`)
	seen := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, re := range []*regexp.Regexp{call, literal} {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				seen++
				if known[m[1]] == nil {
					t.Errorf("%s uses message %q, which no vi message file has", path, m[1])
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"single", "multiple", "truefalse", "short", "numeric", "matching", "ordering"} {
		if known["Kind_"+kind] == nil {
			t.Errorf("no message Kind_%s", kind)
		}
	}
	if seen < 50 {
		t.Fatalf("found only %d message uses; the scan is broken", seen)
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]string{"vi": "vi", "en": "en", "en-US": "en", "EN_gb.UTF-8": "en", "vi_VN.UTF-8": "vi", " VI ": "vi"} {
		if got, ok := Parse(in); !ok || got != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"fr", "", "C", "zh-CN", "english"} {
		if _, ok := Parse(in); ok {
			t.Errorf("Parse(%q) accepted", in)
		}
	}
}
