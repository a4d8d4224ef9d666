package locales

import (
	"fmt"
	"io/fs"
	"reflect"
	"sort"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// viaTOML is what go-i18n's own TOML path makes of a file, sorted by id.
func viaTOML(data []byte, name string) ([]i18n.Message, error) {
	mf, err := i18n.ParseMessageFileBytes(data, name, map[string]i18n.UnmarshalFunc{"toml": toml.Unmarshal})
	if err != nil {
		return nil, err
	}
	return sorted(mf.Messages), nil
}

func sorted(ms []*i18n.Message) []i18n.Message {
	out := make([]i18n.Message, len(ms))
	for i, m := range ms {
		out[i] = *m
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// TestQuickMessagesMatchTOML reads every embedded message file both ways:
// quickMessages must take each one and give exactly what TOML gives.
func TestQuickMessagesMatchTOML(t *testing.T) {
	names, err := fs.Glob(files, "*.toml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no message files: %v", err)
	}
	for _, name := range names {
		data, err := fs.ReadFile(files, name)
		if err != nil {
			t.Fatal(err)
		}
		want, err := viaTOML(data, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, ok := quickMessages(data)
		if !ok {
			t.Errorf("%s: quickMessages gave up; the file uses TOML outside the subset of quick.go and is parsed slowly at every start", name)
			continue
		}
		if g := sorted(got); !reflect.DeepEqual(g, want) {
			for i := range min(len(g), len(want)) {
				if g[i] != want[i] {
					t.Errorf("%s: first difference\n quick %+v\n  TOML %+v", name, g[i], want[i])
					break
				}
			}
			t.Errorf("%s: %d messages quick, %d by TOML", name, len(g), len(want))
		}
	}
}

// TestQuickMessages covers the subset's edge cases against TOML, and what
// must make quickMessages give up (TOML then reads it, or refuses it).
func TestQuickMessages(t *testing.T) {
	same := []string{
		"A = \"x\"\n",
		"A = \"x\"", // no final newline
		"# c\n\n  A=\"x\"   # comment \"q\"\nB = \"\"\n",
		`A = "tab\there \"q\" back\\slash \u00e9 \U0001F600 nl\n"` + "\n",
		"A = \"\"\"\nfirst\n  second \"quoted\" \"\"\n\"\"\"\n",
		"A = \"\"\"one \\\n    two \\\n\n   three\"\"\"\n",
		"A = \"\"\"no newline after quotes\"\"\"\n",
		"[Count]\none = \"{{.Count}} cái\"\nother = \"{{.Count}} cái\"\n\n[Other]\nOTHER = \"x\" # case\ndescription = \"d\"\n",
		"Top = \"t\"\n[T]\nother = \"o\"\nid = \"Renamed\"\n",
		"A = \"Tiếng Việt có dấu: Ưu tiên ổn định\"\n",
	}
	for i, in := range same {
		t.Run(fmt.Sprintf("same%d", i), func(t *testing.T) {
			want, err := viaTOML([]byte(in), "x.vi.toml")
			if err != nil {
				t.Fatalf("TOML refuses %q: %v", in, err)
			}
			got, ok := quickMessages([]byte(in))
			if !ok {
				t.Fatalf("quickMessages gave up on %q", in)
			}
			if g := sorted(got); !reflect.DeepEqual(g, want) {
				t.Errorf("%q\n quick %+v\n  TOML %+v", in, g, want)
			}
		})
	}
	giveUp := []string{
		"A = 'literal'\n",
		"A = 1\n",
		"a.b = \"dotted\"\n",
		"\"quoted\" = \"x\"\n",
		"A = \"x\"\nA = \"again\"\n",
		"[T]\nother = \"x\"\n[T]\none = \"y\"\n",
		"[T]\n",
		"[T]\nother = \"a\"\nOTHER = \"b\"\n",
		"[T]\nnested = \"x\"\n",
		"[T.U]\nother = \"x\"\n",
		"A = \"x\" trailing\n",
		"A = \"unterminated\n",
		"A = \"\"\"unterminated\n",
		"A = \"\"\"four quotes\"\"\"\"\n",
		"A = \"bad \\q escape\"\n",
		"A = \"bad \\u12 escape\"\n",
		"A = \"\\uD800 surrogate\"\n",
		"A = \"control \x01\"\n",
		"A = \"x\"\r\n",
		"A = \"x\" # \x01\n",
		"A = \"\xff\"\n",
		"A = \"line \\ \nbreak in a one-line string\"\n",
	}
	for i, in := range giveUp {
		t.Run(fmt.Sprintf("giveUp%d", i), func(t *testing.T) {
			if got, ok := quickMessages([]byte(in)); ok {
				t.Errorf("quickMessages took %q as %+v; TOML must decide", in, sorted(got))
			}
		})
	}
}

// TestLoadMessageFileFallsBack checks a file outside the subset still loads
// through TOML, and a broken one is still refused.
func TestLoadMessageFileFallsBack(t *testing.T) {
	b := i18n.NewBundle(language.Vietnamese)
	if _, err := b.ParseMessageFileBytes([]byte("A = 'literal'\n"), "x.vi.toml"); err == nil {
		t.Fatal("bundle without a TOML decoder took TOML") // guards the test itself
	}
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for in, wantErr := range map[string]bool{"A = 'literal'\n": false, "A = \"x\"\nA = \"again\"\n": true} {
		err := addMessages(b, "vi", "x.vi.toml", []byte(in))
		if (err != nil) != wantErr {
			t.Errorf("%q: error %v, want error %v", in, err, wantErr)
		}
	}
	l := i18n.NewLocalizer(b, "vi")
	if s, err := l.Localize(&i18n.LocalizeConfig{MessageID: "A"}); err != nil || s != "literal" {
		t.Errorf("A = %q, %v", s, err)
	}
}

// BenchmarkLoadMessages measures reading every message file, both ways.
func BenchmarkLoadMessages(b *testing.B) {
	names, _ := fs.Glob(files, "*.toml")
	var all [][]byte
	for _, n := range names {
		d, _ := fs.ReadFile(files, n)
		all = append(all, d)
	}
	b.Run("quick", func(b *testing.B) {
		for range b.N {
			for _, d := range all {
				if _, ok := quickMessages(d); !ok {
					b.Fatal("gave up")
				}
			}
		}
	})
	b.Run("toml", func(b *testing.B) {
		for range b.N {
			for i, d := range all {
				if _, err := viaTOML(d, names[i]); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
