package lessons

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRefusedFileIsNotAlsoMissing checks that a file of the pack refused as
// it is read (an archive entry compressed in a way hocso does not read, a
// folder's file over the size limit) is reported for that alone: not also
// as missing, nor through what depends on it (a module without its quiz,
// citations of a sources.toml that could not be read).
func TestRefusedFileIsNotAlsoMissing(t *testing.T) {
	for _, name := range []string{"pack.toml", "sources.toml", practiceModule, quizFile} {
		t.Run(name, func(t *testing.T) {
			es := entries(t, miniArchive(t))
			for i := range es {
				if es[i].header.Name == name {
					es[i].header.Method, es[i].raw = 99, true
				}
			}
			archive := filepath.Join(t.TempDir(), "x.hocpack")
			if err := os.WriteFile(archive, writeZip(t, es), 0o644); err != nil {
				t.Fatal(err)
			}
			_, _, _, problems := LoadPath(archive)
			onlyRefusal(t, "archive", problems, "ProblemZipMethod")

			dir := copyMini(t)
			writeFile(t, filepath.Join(dir, name), strings.Repeat("#", MaxFileSize+1))
			_, _, problems = LoadDir(dir)
			onlyRefusal(t, "folder", problems, "ProblemFileTooLarge")
		})
	}
}

func onlyRefusal(t *testing.T, where string, problems Problems, id string) {
	t.Helper()
	if len(problems) != 1 || problems[0].ID != id {
		t.Errorf("%s: want %s alone, got %v", where, id, problems)
	}
}
