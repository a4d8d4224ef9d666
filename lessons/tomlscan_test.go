package lessons

import (
	"archive/zip"
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
)

func TestCheckTOMLLimits(t *testing.T) {
	lim := DefaultLimits()
	deep := func(open, close string, n int) string {
		return strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
	}
	tests := []struct {
		name, text string
		id         string // "" = within the limits
		line       int
	}{
		{"plain", "id = \"a\"\n[title]\nvi = \"x\"\n", "", 0},
		{"brackets in strings", "a = \"[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{{{{{{{{{{\"\nb = '" + strings.Repeat("a.", 50) + "'\n", "", 0},
		{"brackets in comments", "# " + strings.Repeat("[{", 100) + "\na = 1\n", "", 0},
		{"multi-line strings", "a = \"\"\"\n" + strings.Repeat("[", 100) + "\\\"\"\"\n\"\"\"\nb = '''\n]]]]'''\n" + "c = " + deep("[", "]", 11), "ProblemTOMLDepth", 6},
		{"floats and dates are not keys", "a = [1.5, 2.25, 1979-05-27T07:32:00.999999-07:00, 1979-05-27 07:32:00]\n", "", 0},
		{"the deepest the format needs", "[[question]]\nid = \"q\"\n[[question.option]]\ntext.vi = \"x\"\nx = [{text = {vi = \"y\"}}]\n", "", 0},
		{"quoted key parts", "\"a.b\".'c'.d = 1\n", "", 0},
		{"header 10,000 deep", "[" + strings.Repeat("a.", 9999) + "a]\n", "ProblemTOMLKeyParts", 1},
		{"array table 10,000 deep", "x = 1\n[[" + strings.Repeat("a.", 9999) + "a]]\n", "ProblemTOMLKeyParts", 2},
		{"dotted key of 100,000 parts", strings.Repeat("a.", 99999) + "a = 1\n", "ProblemTOMLKeyParts", 1},
		{"quoted parts count too", strings.Repeat("'a'.", 10) + "a = 1\n", "ProblemTOMLKeyParts", 1},
		{"dotted key, no value", strings.Repeat("a.", 99999) + "a\n", "ProblemTOMLKeyParts", 1},
		{"inline tables 10,000 deep", "x = " + deep("{a=", "}", 10000) + "\n", "ProblemTOMLDepth", 1},
		{"arrays 10,000 deep", "x = " + deep("[", "]", 10000) + "\n", "ProblemTOMLDepth", 1},
		{"arrays over lines", "x = [\n" + strings.Repeat("[\n", 20) + "]\n", "ProblemTOMLDepth", 10},
		{"header and key add up", "[a.b.c.d.e.f]\ng.h.i.j.k = 1\n", "ProblemTOMLDepth", 2},
		{"key and value add up", "a.b.c.d.e.f = [[[[[1]]]]]\n", "ProblemTOMLDepth", 1},
		{"inline keys add up", "a = {b.c.d = {e.f.g = {h.i.j = 1}}}\n", "ProblemTOMLDepth", 1},
		{"a long line", "a = \"" + strings.Repeat("x", 70<<10) + "\"\n", "ProblemTOMLLine", 1},
		{"a long last line", "a = 1\nb = \"" + strings.Repeat("x", 70<<10) + "\"", "ProblemTOMLLine", 2},
		{"a long line in a multi-line string", "a = \"\"\"\nx\n" + strings.Repeat("x", 70<<10) + "\n\"\"\"\n", "ProblemTOMLLine", 3},
		{"too many keys", strings.Repeat("a = 1\n", lim.MaxTOMLKeys+1), "ProblemTOMLKeys", lim.MaxTOMLKeys + 1},
		{"too many tables", strings.Repeat("[[q]]\n", lim.MaxTOMLKeys+1), "ProblemTOMLKeys", lim.MaxTOMLKeys + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkTOMLLimits(tt.text, lim)
			switch {
			case tt.id == "" && err != nil:
				t.Fatalf("refused: %s at line %d", err.ID, err.Line)
			case tt.id == "":
			case err == nil:
				t.Fatalf("accepted; want %s", tt.id)
			case err.ID != tt.id || err.Line != tt.line:
				t.Fatalf("got %s at line %d; want %s at line %d", err.ID, err.Line, tt.id, tt.line)
			}
		})
	}
}

// allocated is how many bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// hostileTOML are the shapes that cost a TOML parser gigabytes, at the sizes
// of issue 9 (a 46 KB table nested 10,000 deep, a 100,000-part dotted key).
func hostileTOML() map[string]string {
	return map[string]string{
		"nested header":  "[" + strings.Repeat("a.", 9999) + "a]\n",
		"dotted key":     strings.Repeat("a.", 99999) + "a = 1\n",
		"inline tables":  "x = " + strings.Repeat("{a=", 10000) + "1" + strings.Repeat("}", 10000) + "\n",
		"nested arrays":  "x = " + strings.Repeat("[", 10000) + "1" + strings.Repeat("]", 10000) + "\n",
		"after a header": "[title]\n" + strings.Repeat("b.", 9999) + "b = 1\n",
	}
}

// TestHostileTOMLIsRefusedInSmallMemory loads each hostile shape in every
// TOML file of a pack and in an archive's manifest, and checks that it is
// refused with a line, having allocated a few megabytes at most.
func TestHostileTOMLIsRefusedInSmallMemory(t *testing.T) {
	const budget = 8 << 20
	for shape, text := range hostileTOML() {
		for _, file := range []string{"pack.toml", "sources.toml", "glossary.toml", "modules/01-co-ban/module.toml", quizFile, lessonVI} {
			fsys := miniFS(t)
			content := text
			if file == lessonVI {
				content = "+++\n" + text + "+++\nBody.\n"
			}
			set(fsys, file, content)
			var problems Problems
			n := allocated(func() { _, problems = Load(fsys) })
			p := find(problems, "ProblemTOMLKeyParts")
			if p == nil {
				p = find(problems, "ProblemTOMLDepth")
			}
			if p == nil || p.File != file || p.Line < 1 {
				t.Errorf("%s in %s: %v", shape, file, problems)
			}
			if n > budget {
				t.Errorf("%s in %s: allocated %d bytes", shape, file, n)
			}
		}
		es := []zipEntry{plain(ManifestName, text), plain("pack.toml", "format = 1\n")}
		es[0].header.Method = zip.Store // a repeated text compresses like a bomb
		data := writeZip(t, es)
		var problems Problems
		var files *Files
		n := allocated(func() { files, problems = ReadArchive("x.hocpack", data, DefaultLimits()) })
		if files != nil || len(problems) != 1 || problems[0].File != ManifestName || problems[0].Line < 1 {
			t.Errorf("%s in the manifest: %v", shape, problems)
		}
		if n > budget {
			t.Errorf("%s in the manifest: allocated %d bytes", shape, n)
		}
	}
}

// TestManyProblemsAreCountedNotPlaced checks that a quiz with thousands of
// broken questions is reported quickly, as 20 placed problems and a count of
// the rest, and that the pack stays refused.
func TestManyProblemsAreCountedNotPlaced(t *testing.T) {
	fsys := miniFS(t)
	var b strings.Builder
	b.WriteString("id = \"q\"\npass_mark = 70\n[title]\nvi = \"Q\"\nen = \"Q\"\n")
	for i := range 3000 {
		fmt.Fprintf(&b, "[[question]]\nid = \"Bad_%d\"\ntype = \"single\"\nunknown_%d = 1\n", i, i)
	}
	set(fsys, quizFile, b.String())
	_, problems := Load(fsys)
	shown := 0
	for _, p := range problems {
		if p.File == quizFile {
			shown++
		}
	}
	more := find(problems, "ProblemMoreProblems")
	if shown != maxProblemsPerFile+1 || more == nil || more.Warning || more.Data["Count"].(int) < 3000 {
		t.Errorf("%d problems shown for the quiz, the count: %+v", shown, more)
	}
	if problems.Err() == nil {
		t.Error("the pack is accepted")
	}
}

// TestTooManyFilesSaysSo checks that a pack over the file limit is refused
// for that alone, not for what reading it in part would make it look like.
func TestTooManyFilesSaysSo(t *testing.T) {
	lim := DefaultLimits()
	dir := copyMini(t)
	for i := range lim.MaxFiles + 1 {
		writeFile(t, fmt.Sprintf("%s/modules/01-co-ban/extra-%04d.txt", dir, i), "x")
	}
	_, _, problems := LoadDir(dir)
	if len(problems) != 1 || problems[0].ID != "ProblemTooManyFiles" {
		t.Errorf("folder: %v", problems)
	}
	es := []zipEntry{plain(ManifestName, "format = 1\n")}
	for i := range lim.MaxFiles + 1 {
		es = append(es, plain(fmt.Sprintf("f%04d.txt", i), "x"))
	}
	files, problems := ReadArchive("x.hocpack", writeZip(t, es), lim)
	if files != nil || len(problems) != 1 || problems[0].ID != "ProblemTooManyFiles" {
		t.Errorf("archive: %v", problems)
	}
}

// TestBiggestAllowedTOMLStaysSmall loads TOML files at the limits in their
// most expensive shapes and checks what the parser allocates. The figure is
// the bound the limits are chosen for; see tomlscan.go.
func TestBiggestAllowedTOMLStaysSmall(t *testing.T) {
	lim := DefaultLimits()
	shapes := []struct {
		name string
		keys int // keys and tables a line adds
		line func(int) string
	}{
		{"deep tables", 2, func(i int) string { return fmt.Sprintf("[t%d.b.c.d.e]\nf.g.h.i.j = 1\n", i) }},
		{"flat keys", 1, func(i int) string { return fmt.Sprintf("k%d = %d\n", i, i) }},
		{"long lines", 1, func(i int) string { return fmt.Sprintf("k%d = %q\n", i, strings.Repeat("x", 60<<10)) }},
	}
	for _, sh := range shapes {
		var b bytes.Buffer
		for i := 0; (i+1)*sh.keys <= lim.MaxTOMLKeys && b.Len()+len(sh.line(i)) <= MaxFileSize; i++ {
			b.WriteString(sh.line(i))
		}
		if err := checkTOMLLimits(b.String(), lim); err != nil {
			t.Fatalf("%s: %s at line %d", sh.name, err.ID, err.Line)
		}
		fsys := fstest.MapFS{"pack.toml": {Data: b.Bytes()}}
		n := allocated(func() { Load(fsys) })
		t.Logf("%s: %d bytes of TOML, %d MB allocated", sh.name, b.Len(), n>>20)
		if n > 256<<20 {
			t.Errorf("%s: %d bytes of TOML allocate %d MB", sh.name, b.Len(), n>>20)
		}
	}
}
