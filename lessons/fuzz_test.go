package lessons

import (
	"path"
	"reflect"
	"testing"
	"testing/fstest"

	"github.com/BurntSushi/toml"

	"hocso/locales"
)

// The fuzz targets of what a pack brings in: TOML (scanned, then parsed),
// every text file of a pack, and a whole .hocpack from its bytes. go test
// runs their seeds; go test -fuzz=FuzzX -fuzztime=60s ./lessons explores.

// FuzzTOMLLimits checks that the pre-scan never lets through what it exists
// to stop: whatever TOML it accepts decodes to a value nested within the
// limits (an array of tables adds one level per header part, hence twice).
func FuzzTOMLLimits(f *testing.F) {
	for _, s := range []string{
		"a = 1", "[a.b]\nc.d = [[1], {e = 2}]", "[[q]]\n[[q.o]]\nt.vi = '''x'''", `a = "[[[{{{"`,
		"a = \"\"\"\n[[[\n\"\"\"\nb = [[[[1]]]]", "'a'.\"b\".c = {d.e = {f = 1}}", "x = [\n[\n[\n1]]]",
		"[" + "a.a.a.a.a.a.a" + "]", "a = 1979-05-27 07:32:00.5", "a = \"\\\n[[[[", "#[[[[[[\n[a]",
	} {
		f.Add(s)
	}
	lim := DefaultLimits()
	f.Fuzz(func(t *testing.T, text string) {
		if checkTOMLLimits(text, lim) != nil {
			return
		}
		var v map[string]any
		if _, err := toml.Decode(text, &v); err != nil {
			return
		}
		if d := depth(reflect.ValueOf(v)); d > 2*lim.MaxTOMLDepth {
			t.Fatalf("the scan accepted TOML nested %d deep:\n%q", d, text)
		}
	})
}

// depth is how many maps and slices nest in v.
func depth(v reflect.Value) int {
	for v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	d := 0
	switch v.Kind() {
	case reflect.Map:
		for _, k := range v.MapKeys() {
			d = max(d, depth(v.MapIndex(k)))
		}
		return d + 1
	case reflect.Slice:
		for i := range v.Len() {
			d = max(d, depth(v.Index(i)))
		}
		return d + 1
	}
	return 0
}

// packFiles are the mini pack's files a fuzzed text takes the place of.
var packFiles = []string{"pack.toml", "sources.toml", "glossary.toml", "modules/01-co-ban/module.toml", quizFile, lessonVI}

// FuzzLoadPackFile puts fuzzed text in one file of a valid pack (the
// manifest, a module, a quiz, a lesson's Markdown) and loads it: Load must
// not panic, every problem must have a message in both languages, and a pack
// without errors holds only clean text.
func FuzzLoadPackFile(f *testing.F) {
	mini := miniFS(f)
	for i, name := range packFiles {
		f.Add(uint8(i), string(mini[name].Data))
	}
	f.Add(uint8(0), "format = 1\nid = \"x\"\nversion = \"1.0.0\"\nmin_hocso = \"99.0.0\"\n[title]\nvi = \"\\u001b]8;;x\\u0007T\"")
	f.Add(uint8(4), "id = \"q\"\npass_mark = nan\n[[question]]\nid = \"a\"\ntype = \"numeric\"\nvalue = 1e308\npoints = inf")
	f.Add(uint8(5), "+++\nid = \"x\"\ntitle = \"\\u202eT\"\nminutes = -1\n+++\n# \x1b[31mH\n\n[a](javascript:x)")
	locs := []*locales.Localizer{locales.New("vi"), locales.New("en")}
	f.Fuzz(func(t *testing.T, which uint8, text string) {
		fsys := fstest.MapFS{}
		for k, v := range mini {
			fsys[k] = v
		}
		name := packFiles[int(which)%len(packFiles)]
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
		p, problems := Load(fsys)
		for _, pr := range problems {
			if pr.ID == "" || pr.File == "" {
				t.Fatalf("a problem without a message or a file: %+v", pr)
			}
			for _, loc := range locs {
				data := map[string]any{}
				for k, v := range pr.Data {
					if w, ok := v.(Word); ok {
						v = loc.T(string(w))
					}
					data[k] = v
				}
				var count *int
				if n, ok := pr.Data["Count"].(int); ok && pr.ID == "ProblemMoreProblems" {
					count = &n
				}
				if _, err := loc.Localize(pr.ID, count, data); err != nil {
					t.Fatalf("%s: %v", pr, err)
				}
			}
		}
		if p != nil && problems.Err() == nil {
			if s := unsafeString(reflect.ValueOf(p)); s != "" {
				t.Fatalf("%s: a valid pack holds %q", path.Base(name), s)
			}
		}
	})
}

// unsafeString returns a string reachable from v that Clean would change, or "".
func unsafeString(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return unsafeString(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				if s := unsafeString(v.Field(i)); s != "" {
					return s
				}
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if s := unsafeString(v.Index(i)); s != "" {
				return s
			}
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			if s := unsafeString(v.MapIndex(k)); s != "" {
				return s
			}
		}
	case reflect.String:
		if HasUnsafe(v.String()) {
			return v.String()
		}
	}
	return ""
}

// FuzzReadArchive reads fuzzed bytes as a .hocpack and loads what it holds:
// no panic, no file outside the pack, every problem placed in a file.
func FuzzReadArchive(f *testing.F) {
	f.Add(miniArchive(f))
	f.Add([]byte("PK\x05\x06" + string(make([]byte, 18))))
	f.Add([]byte("not a zip"))
	f.Fuzz(func(t *testing.T, data []byte) {
		files, problems := ReadArchive("f.hocpack", data, DefaultLimits())
		for _, pr := range problems {
			if pr.ID == "" || pr.File == "" {
				t.Fatalf("a problem without a message or a file: %+v", pr)
			}
		}
		if files == nil {
			return
		}
		for _, name := range files.Names() {
			if !safePath(name) {
				t.Fatalf("an unsafe path was accepted: %q", name)
			}
		}
		LoadFiles(files)
	})
}
