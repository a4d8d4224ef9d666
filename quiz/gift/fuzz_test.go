package gift

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// validID is what the pack format allows, narrowed to what this package makes.
var validID = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func addSeeds(f *testing.F, patterns ...string) {
	for _, pattern := range patterns {
		files, _ := filepath.Glob(pattern)
		for _, path := range files {
			if b, err := os.ReadFile(path); err == nil {
				f.Add(string(b))
			}
		}
	}
}

// FuzzParseGIFT checks that no input makes the parser panic, and that what it
// returns is always safe to show and store: no raw HTML, no control
// characters, unique valid ids, every question with text.
func FuzzParseGIFT(f *testing.F) {
	addSeeds(f, "testdata/*.gift", filepath.Join(corpusDir, "*.gift"))
	for _, s := range []string{
		"", "{", "}", "::", "::a::", "{}", "{#}", "{#..}", "{#1..}", "{=}", "{~}", "{=a->}", "a{T#", "a{T##}",
		"::t::[html]<script>{=a ~b}", "[markdown]<b>x</b>{T}", "a\\", "a{~%%b =c}", "a{~%-%b =c}",
		"$CATEGORY:\n::x::y{T}", "// [id:]\na{T}", "a{=b -> }", "a{#1:-1}", "a{#1e400}", "\xff",
		"\ufeff::Q::Câu hỏi {=Hà Nội ~Huế} nhé.", "a{=b#c#d ~e}####f", "[html]<pre>`</pre>{T}",
		"[html]<a href='https://x'>a<b>b</a>c</b>{T}", "[html]<ol><li><ul><li>x<pre>y</pre></ul></ol>{T}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		res, err := ParseGIFT(strings.NewReader(src), "f.gift", "vi")
		if res == nil {
			if err == nil {
				t.Fatal("no result and no error")
			}
			return
		}
		checkResult(t, res)
	})
}

// FuzzParseAiken is the same for Aiken files.
func FuzzParseAiken(f *testing.F) {
	addSeeds(f, "testdata/*.aiken.txt")
	f.Add("Q?\nA. <b>a</b>\nB) `b`\nANSWER: A")
	f.Fuzz(func(t *testing.T, src string) {
		res, err := ParseAiken(strings.NewReader(src), "f.txt", "vi")
		if res == nil {
			if err == nil {
				t.Fatal("no result and no error")
			}
			return
		}
		checkResult(t, res)
	})
}

func checkResult(t *testing.T, res *Result) {
	t.Helper()
	assertSafe(t, res)
	if len(res.Origins) != len(res.Questions) {
		t.Fatalf("%d origins for %d questions", len(res.Origins), len(res.Questions))
	}
	seen := map[string]bool{}
	for _, q := range res.Questions {
		if !validID.MatchString(q.ID) || seen[q.ID] {
			t.Errorf("id %q is invalid or repeated", q.ID)
		}
		seen[q.ID] = true
		if strings.TrimSpace(q.Text["vi"]) == "" {
			t.Errorf("question %s has no text", q.ID)
		}
		if q.Kind == "" {
			t.Errorf("question %s has no type", q.ID)
		}
	}
}
