package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"hocso/lessons"
)

// hostileCase is one hostile pack: how to spoil a good one, and whether
// hocso must refuse it or may install it neutralised (escapes stripped,
// text normalised) with a warning.
type hostileCase struct {
	kind    string
	refuse  bool
	folder  func(dir string)                  // changes the pack folder before it is archived
	archive func(zw *zip.Writer, good []byte) // adds entries to a copy of the good archive
	want    string                            // in the output
}

// TestHostileCorpus builds hostile packs of every kind issue 9 names, in the
// test (no binaries are committed), installs each with --allow-unsigned (so
// that nothing but the pack's own content can stop it), and checks that
// each is refused with a message, or neutralised, and that a refused one
// leaves nothing in the packs folder or the database.
func TestHostileCorpus(t *testing.T) {
	tr := newTrainer(t)
	tr.ok("pack", "new", tr.path("goi"), "--id", "vn.gov.thu")
	quizzes, _ := filepath.Glob(tr.path("goi/modules/*/quiz.toml"))
	lessonsVI, _ := filepath.Glob(tr.path("goi/modules/*/*.vi.md"))
	quiz, lesson := quizzes[0], lessonsVI[0]
	appendTo := func(file, text string) func(string) {
		return func(dir string) {
			f, _ := os.OpenFile(filepath.Join(dir, file), os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString(text)
			f.Close()
		}
	}
	rel := func(p string) string { r, _ := filepath.Rel(tr.path("goi"), p); return r }
	replace := func(file, old, new string) func(string) {
		return func(dir string) {
			p := filepath.Join(dir, file)
			b, _ := os.ReadFile(p)
			if !bytes.Contains(b, []byte(old)) {
				t.Fatalf("%s has no %q", file, old)
			}
			os.WriteFile(p, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644)
		}
	}
	entry := func(name string, data []byte, mode fs.FileMode) func(*zip.Writer, []byte) {
		return func(zw *zip.Writer, _ []byte) {
			h := &zip.FileHeader{Name: name, Method: zip.Deflate}
			h.SetMode(mode)
			w, _ := zw.CreateHeader(h)
			w.Write(data)
		}
	}
	cases := []hostileCase{
		{kind: "zip slip", refuse: true, archive: entry("../../evil.txt", []byte("x"), 0o644), want: "không được phép trong gói"},
		{kind: "absolute path", refuse: true, archive: entry("/etc/evil", []byte("x"), 0o644), want: "không được phép trong gói"},
		{kind: "windows path", refuse: true, archive: entry(`modules\..\..\evil.txt`, []byte("x"), 0o644), want: "không được phép trong gói"},
		{kind: "symlink", refuse: true, archive: entry("modules/link", []byte("/etc/passwd"), fs.ModeSymlink|0o777), want: "liên kết tượng trưng"},
		{kind: "zip bomb", refuse: true, archive: entry("bomb.txt", make([]byte, 2<<20-1), 0o644), want: "bom zip"},
		{kind: "10,000 files", refuse: true, archive: func(zw *zip.Writer, _ []byte) {
			for i := range 10000 {
				entry(fmt.Sprintf("extra/f%05d.txt", i), []byte("x"), 0o644)(zw, nil)
			}
		}, want: "hơn 5000 tệp"},
		{kind: "invalid UTF-8", refuse: true, folder: appendTo(rel(quiz), "\n# \xff\xfe\n"), want: "không được mã hóa UTF-8"},
		{kind: "huge line", refuse: true, folder: appendTo("pack.toml", "\nlicense2 = \""+noise(70<<10)+"\"\n"), want: "dài hơn 64 KiB"},
		{kind: "deep nesting", refuse: true, folder: appendTo("pack.toml", "\n["+strings.Repeat("a.", 9999)+"a]\n"), want: "hơn 6 phần"},
		{kind: "deep inline tables", refuse: true, folder: appendTo(rel(quiz), "\nx = "+strings.Repeat("{a=", 10000)+"1"+strings.Repeat("}", 10000)+"\n"), want: "sâu hơn 10 cấp"},
		{kind: "NaN pass mark", refuse: true, folder: replace(rel(quiz), "pass_mark = 70", "pass_mark = nan"), want: "NaN"},
		{kind: "Inf points", refuse: true, folder: replace(rel(quiz), `kind = "recall"`, "kind = \"recall\"\npoints = inf"), want: "points"},
		{kind: "huge number", refuse: true, folder: replace(rel(quiz), `kind = "recall"`, "kind = \"recall\"\npoints = 1e308"), want: "1e+308"},
		{kind: "duplicate key", refuse: true, folder: replace("pack.toml", `version = "1.0.0"`, "version = \"1.0.0\"\nversion = \"2.0.0\""), want: "version"},
		{kind: "OSC 52, OSC 8 and C1 escapes", folder: replace("pack.toml", `vi = "Gói bài học mới"`,
			`vi = "Gói \u001b]52;c;cm0gLXJmIH4=\u0007mới \u001b]8;;https://x.example\u001b\\liên kết\u001b]8;;\u001b\\ \u009b2J\u202e"`), want: "Đã cài đặt gói"},
		{kind: "NFD text", folder: func(dir string) {
			p := filepath.Join(dir, rel(lesson))
			b, _ := os.ReadFile(p)
			os.WriteFile(p, norm.NFD.Bytes(b), 0o644)
		}, want: "Đã cài đặt gói"},
	}
	counts := map[string]int{}
	for i, c := range cases {
		t.Run(c.kind, func(t *testing.T) {
			dir := tr.path(fmt.Sprintf("case%02d", i))
			copyDir(t, tr.path("goi"), dir)
			if c.folder != nil {
				c.folder(dir)
			}
			files, _ := lessons.ReadFolder(dir, lessons.DefaultLimits())
			var good bytes.Buffer
			if err := lessons.WriteArchive(&good, files, "test"); err != nil {
				t.Fatal(err)
			}
			data := good.Bytes()
			if c.archive != nil {
				data = withEntries(t, data, c.archive)
			}
			pack := dir + ".hocpack"
			os.WriteFile(pack, data, 0o644)
			code, out, errOut := hocso(t, tr.env, "pack", "install", pack, "--allow-unsigned", "--force")
			text := out + errOut
			if !strings.Contains(text, c.want) || lessons.HasUnsafe(text) {
				t.Errorf("install: exit %d, output lacks %q or holds a control character:\n%s", code, c.want, text)
			}
			if c.refuse {
				if code != 1 {
					t.Errorf("installed (exit %d):\n%s", code, text)
				}
				if got := tr.installed(); len(got) != 0 {
					t.Errorf("the database lists installed packs: %+v", got)
				}
				if names := packDirEntries(tr.path("data/packs")); len(names) != 0 {
					t.Errorf("the packs folder holds %v", names)
				}
				counts["refused: "+c.kind]++
				return
			}
			if code != 0 {
				t.Fatalf("a pack that can be neutralised was refused:\n%s", text)
			}
			counts["neutralised: "+c.kind]++
			for _, ip := range tr.installed() {
				listed := tr.ok("pack", "list")
				if lessons.HasUnsafe(listed) {
					t.Errorf("pack list shows a control character: %q", listed)
				}
				p, _, problems := lessons.LoadDir(filepath.Join(tr.path("data/packs"), filepath.Base(ip.Dir)))
				if p == nil || unsafeIn(p) {
					t.Errorf("the installed pack holds unsafe or unloadable text: %v", problems)
				}
			}
			tr.ok("pack", "remove", "vn.gov.thu")
		})
	}
	kinds := make([]string, 0, len(counts))
	for k, n := range counts {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, n))
	}
	sort.Strings(kinds)
	t.Logf("hostile inputs by kind: %s", strings.Join(kinds, "; "))
}

// noise is n letters that do not compress like a bomb.
func noise(n int) string {
	b := make([]byte, n)
	x := uint32(1)
	for i := range b {
		x = x*1664525 + 1013904223
		b[i] = 'a' + byte(x>>24)%26
	}
	return string(b)
}

func unsafeIn(p *lessons.Pack) bool {
	for _, s := range []string{p.Title["vi"], p.Title["en"]} {
		if lessons.HasUnsafe(s) || !norm.NFC.IsNormalString(s) {
			return true
		}
	}
	for _, m := range p.Modules {
		for _, l := range m.Lessons {
			for _, b := range l.Body {
				if lessons.HasUnsafe(b) || !norm.NFC.IsNormalString(b) {
					return true
				}
			}
		}
	}
	return false
}

// withEntries copies an archive and lets add append entries to it.
func withEntries(t *testing.T, data []byte, add func(*zip.Writer, []byte)) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	add(zw, data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func copyDir(t *testing.T, src, dst string) {
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		r, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, r), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, r), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// packDirEntries lists what the packs folder holds, hidden entries included.
func packDirEntries(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
