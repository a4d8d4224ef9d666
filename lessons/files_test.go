package lessons

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// copyMini copies the mini pack into a fresh folder a test may spoil.
func copyMini(t testing.TB) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "mini")
	if err := os.CopyFS(dst, os.DirFS("testdata/mini")); err != nil {
		t.Fatal(err)
	}
	return dst
}

func writeFile(t testing.TB, name, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadDirMatchesLoad(t *testing.T) {
	dir := copyMini(t)
	writeFile(t, filepath.Join(dir, ".git", "config"), "[core]\n")
	writeFile(t, filepath.Join(dir, ".DS_Store"), "x")
	writeFile(t, filepath.Join(dir, "pack.toml~"), "backup")
	p, files, problems := LoadDir(dir)
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	want, _ := Load(os.DirFS("testdata/mini"))
	if p.Hash != want.Hash || len(p.Modules) != len(want.Modules) {
		t.Fatalf("LoadDir hash %s, Load hash %s", p.Hash, want.Hash)
	}
	for _, name := range files.Names() {
		if strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") {
			t.Errorf("hidden or backup file %s was read into the pack", name)
		}
	}
}

func TestLoadDirRefusesWhatCouldLeaveThePack(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links and FIFOs need privileges or do not exist on Windows")
	}
	outside := filepath.Join(t.TempDir(), "secret.md")
	writeFile(t, outside, "+++\nid = \"x\"\ntitle = \"x\"\n+++\nsecret\n")
	tests := []struct {
		name  string
		spoil func(t *testing.T, dir string)
		file  string
		id    string
	}{
		{"symlink to a file outside", func(t *testing.T, dir string) {
			os.Symlink(outside, filepath.Join(dir, "modules/01-co-ban/03-x.vi.md"))
		}, "modules/01-co-ban/03-x.vi.md", "ProblemSymlink"},
		{"symlink with ../", func(t *testing.T, dir string) {
			os.Symlink("../../../../etc/passwd", filepath.Join(dir, "modules/01-co-ban/notes.md"))
		}, "modules/01-co-ban/notes.md", "ProblemSymlink"},
		{"symlinked folder", func(t *testing.T, dir string) {
			os.Symlink(filepath.Dir(outside), filepath.Join(dir, "modules/03-ngoai"))
		}, "modules/03-ngoai", "ProblemSymlink"},
		{"fifo", func(t *testing.T, dir string) {
			if err := mkfifo(filepath.Join(dir, "pipe")); err != nil {
				t.Skip("mkfifo:", err)
			}
		}, "pipe", "ProblemNotRegular"},
		{"name only case tells apart", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "Pack.toml"), "x")
		}, "pack.toml", "ProblemDuplicatePath"},
		{"name Windows reserves", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "modules/01-co-ban/con.md"), "x")
		}, "modules/01-co-ban/con.md", "ProblemUnsafePath"},
		{"name with a terminal escape", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "a\x1b[31m.md"), "x")
		}, `"a\x1b[31m.md"`, "ProblemUnsafePath"},
		{"oversized file", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "big.md"), strings.Repeat("x", MaxFileSize+1))
		}, "big.md", "ProblemFileTooLarge"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyMini(t)
			tc.spoil(t, dir)
			_, files, problems := LoadDir(dir)
			got := find(problems, tc.id)
			if got == nil {
				t.Fatalf("no %s among %v", tc.id, problems)
			}
			if got.File != tc.file || got.Warning {
				t.Errorf("problem = %+v; want an error in %s", *got, tc.file)
			}
			if problems.Err() == nil {
				t.Error("the pack would be accepted")
			}
			for _, name := range files.Names() {
				if b, _ := files.bytes(name); strings.Contains(string(b), "secret") {
					t.Errorf("%s: content from outside the pack was read", name)
				}
			}
		})
	}
}

func TestReadFolderLimits(t *testing.T) {
	dir := copyMini(t)
	lim := DefaultLimits()
	lim.MaxFiles = 3
	if _, problems := ReadFolder(dir, lim); find(problems, "ProblemTooManyFiles") == nil {
		t.Errorf("file count limit: %v", problems)
	}
	lim = DefaultLimits()
	lim.MaxTotalBytes = 2000
	if _, problems := ReadFolder(dir, lim); find(problems, "ProblemPackTooLarge") == nil {
		t.Errorf("total size limit: %v", problems)
	}
}

func TestLoadDirWarnsAboutFilesItNeverReads(t *testing.T) {
	dir := copyMini(t)
	writeFile(t, filepath.Join(dir, "modules/01-co-ban/03-ghi-chu.vi.mdd"), "typo")
	_, _, problems := LoadDir(dir)
	got := find(problems, "ProblemUnusedFile")
	if got == nil || got.File != "modules/01-co-ban/03-ghi-chu.vi.mdd" || !got.Warning {
		t.Fatalf("unused file warning = %+v in %v", got, problems)
	}
	if problems.Err() != nil {
		t.Errorf("an unused file must not stop the pack: %v", problems.Err())
	}
}

func TestFilesIsAValidFS(t *testing.T) {
	_, files, _ := LoadDir("testdata/mini")
	var names []string
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, name)
		}
		return err
	})
	if err != nil || strings.Join(names, ",") != strings.Join(files.Names(), ",") {
		t.Fatalf("walk = %v, %v; want %v", names, err, files.Names())
	}
	if _, err := files.Open("../pack.toml"); err == nil {
		t.Error("opened a path outside the pack")
	}
	out := t.TempDir()
	if err := files.WriteTo(out); err != nil {
		t.Fatal(err)
	}
	p, _, problems := LoadDir(out)
	want, _ := Load(os.DirFS("testdata/mini"))
	if len(problems) > 0 || p.Hash != want.Hash {
		t.Fatalf("written copy: %v, hash %s want %s", problems, p.Hash, want.Hash)
	}
}

func TestSafePath(t *testing.T) {
	for name, want := range map[string]bool{
		"pack.toml":                     true,
		"modules/01-co-ban/quiz.toml":   true,
		"modules/01-cơ-bản/bài.vi.md":   true,
		"../evil":                       false,
		"modules/../../evil":            false,
		"/etc/passwd":                   false,
		"C:/Windows/win.ini":            false,
		`modules\..\..\evil`:            false,
		"modules//x":                    false,
		"./pack.toml":                   false,
		"aux.md":                        false,
		"modules/COM1":                  false,
		"trailing.":                     false,
		"trailing ":                     false,
		"bad\xffutf8":                   false,
		"ok/\u202etxt.md":               false,
		"ok/question?.md":               false,
		"modules/01-co-ban/comment.txt": true,
	} {
		if got := safePath(name); got != want {
			t.Errorf("safePath(%q) = %v; want %v", name, got, want)
		}
	}
}

func TestLoadDirPlacesEveryErrorOnALine(t *testing.T) {
	dir := copyMini(t)
	name := filepath.Join(dir, filepath.FromSlash(quizFile))
	b, _ := os.ReadFile(name)
	os.WriteFile(name, []byte(strings.Replace(string(b), `id = "cb-q2"`, `id = "cb-q1"`, 1)), 0o644)
	b, _ = os.ReadFile(filepath.Join(dir, filepath.FromSlash(lessonVI)))
	os.WriteFile(filepath.Join(dir, filepath.FromSlash(lessonVI)), []byte(strings.Replace(string(b), `["S1"]`, `["S1", "S9"]`, 1)), 0o644)
	_, _, problems := LoadDir(dir)
	if got := find(problems, "ProblemDuplicateID"); got == nil || got.Line != 33 {
		t.Errorf("duplicate id = %+v; want the line that repeats it, 33", got)
	}
	if got := find(problems, "ProblemUnknownSource"); got == nil || got.Line != 5 {
		t.Errorf("unknown source = %+v; want the line that cites it, 5", got)
	}
}
