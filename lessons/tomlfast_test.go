package lessons

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"hocso/lessons/builtin"
	"hocso/quiz"
)

// fastTargets are the values a pack's TOML files decode into.
var fastTargets = map[string]func() any{
	"pack":         func() any { return &Pack{} },
	"module":       func() any { return &Module{} },
	"quiz":         func() any { return &quiz.Quiz{} },
	"front matter": func() any { return &frontMatter{} },
	"manifest":     func() any { return &Manifest{} },
	"sources": func() any {
		return &struct {
			Source []Source `toml:"source"`
		}{}
	},
	"glossary": func() any {
		return &struct {
			Term []Term `toml:"term"`
		}{}
	},
}

// FuzzFastTOML checks the fast path against the decoder whose messages the
// user sees: whatever go-toml decodes, BurntSushi decodes to the same value
// with no key left over; whatever it refuses, it leaves as it found.
func FuzzFastTOML(f *testing.F) {
	for _, s := range []string{
		"id = \"a\"\nformat = 1\n[title]\nvi = \"x\"", "pass_mark = 70\ndraw = 2", "pass_mark = 70.5", "draw = 1.5",
		"pass_mark = 9007199254740993", "draw = 99999999999999999999", "pass_mark = nan", "pass_mark = inf",
		"ID = \"a\"", "[title]\nVI = \"x\"", "id = 1", "required = \"yes\"", "required = false", "title = \"x\"",
		"[[question]]\nid = \"q\"\ntype = \"single\"\ntext = { vi = \"a\", vi = \"b\" }",
		"[[question]]\nvalue = 0\ncorrect = false\naccept = { vi = [\"a\", \"b\"] }\n[[question.option]]\nweight = 0.5",
		"[[question]]\nsources = []\ntags = [\"a\", 1]", "minutes = 1979-05-27", "id = \"\\u00e9\\t\\u0000\"",
		"id = '''\nx'''", "id = \"\"\"\na\\\n  b\"\"\"", "[[file]]\npath = \"a\"\nsize = 3\nsha256 = \"x\"",
		"[[source]]\nid = \"S1\"\ntitle = \"t\"\nurl = \"u\"\nextra = 1", "[[term]]\nid = \"t\"\ndefinition.vi = \"d\"",
		"id = \"\\u001b[2Jx\"\n[title]\nvi = \"a\\u202eb\"", "[[question]]\naccept = { vi = [\"\\u0085\"] }\ntext = { vi = \"e\\u0301\" }",
		"[title]", // an empty table is an empty map, not none
	} {
		f.Add(s)
	}
	addFiles := func(fsys fs.FS) {
		fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(name, ".toml") || strings.HasSuffix(name, ".md")) {
				b, _ := fs.ReadFile(fsys, name)
				if fm, _, _, ok := splitFrontMatter(string(b)); ok {
					b = []byte(fm)
				}
				f.Add(string(b))
			}
			return nil
		})
	}
	addFiles(builtin.FS)
	addFiles(os.DirFS(filepath.Join("testdata", "mini")))
	lim := DefaultLimits()
	f.Fuzz(func(t *testing.T, text string) {
		if checkTOMLLimits(text, lim) != nil {
			return
		}
		for name, newV := range fastTargets {
			fast, slow := newV(), newV()
			if !decodeTOMLFast(text, fast) {
				if !reflect.DeepEqual(fast, newV()) {
					t.Fatalf("%s: refused, but changed the value: %#v\n%q", name, fast, text)
				}
				continue
			}
			md, err := toml.Decode(text, slow)
			if err != nil {
				t.Fatalf("%s: go-toml accepts what BurntSushi refuses (%v):\n%q", name, err, text)
			}
			if u := md.Undecoded(); len(u) > 0 {
				t.Fatalf("%s: go-toml accepts keys BurntSushi does not know (%v):\n%q", name, u, text)
			}
			if !reflect.DeepEqual(fast, slow) {
				t.Fatalf("%s: the decoders differ:\n%#v\n%#v\n%q", name, fast, slow, text)
			}
			// Cleaning while storing is cleaning after.
			clean := newV()
			ok, changed := decodeTOMLFastClean(text, clean, true)
			if want := cleanStrings(reflect.ValueOf(fast)); !ok || changed != want || !reflect.DeepEqual(fast, clean) {
				t.Fatalf("%s: cleaned while stored (%v, changed %v, want %v):\n%#v\n%#v\n%q", name, ok, changed, want, clean, fast, text)
			}
		}
	})
}

// TestFastTOMLTakesThePack checks that the fast path is the one taken for
// the files of a valid pack, so FuzzFastTOML guards the path really used.
func TestFastTOMLTakesThePack(t *testing.T) {
	files, _ := fs.Glob(builtin.FS, "modules/*/*")
	files = append(files, "pack.toml", "sources.toml", "glossary.toml")
	n := 0
	for _, name := range files {
		b, err := fs.ReadFile(builtin.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		var v any
		switch base := filepath.Base(name); {
		case base == "pack.toml":
			v = &Pack{}
		case base == "module.toml":
			v = &Module{}
		case base == "quiz.toml":
			v = &quiz.Quiz{}
		case base == "sources.toml":
			v = fastTargets["sources"]()
		case base == "glossary.toml":
			v = fastTargets["glossary"]()
		case strings.HasSuffix(base, ".md"):
			text, _, _, _ = splitFrontMatter(text)
			v = &frontMatter{}
		default:
			continue
		}
		if !decodeTOMLFast(text, v) {
			t.Errorf("%s: the fast path refused it", name)
		}
		n++
	}
	if n < 10 {
		t.Fatalf("only %d files checked", n)
	}
}
