package locales

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestEveryMessageIsUsed finds each message id in hocso's Go source (tests
// aside) as a quoted string: a message no code asks for is a translation
// kept up for nothing, and often the sign of a screen that lost a line. An
// id with an underscore may be asked for by its prefix ("Kind_" + kind).
func TestEveryMessageIsUsed(t *testing.T) {
	var src strings.Builder
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		src.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	code := src.String()
	if !strings.Contains(code, `"TUINeedsTerminal"`) {
		t.Fatal("the source of cmd/hocso was not read: run the test from the repository")
	}
	for _, id := range slices.Sorted(maps.Keys(messages(t, Default))) {
		used := strings.Contains(code, `"`+id+`"`)
		if i := strings.LastIndexByte(id, '_'); !used && i > 0 {
			used = strings.Contains(code, `"`+id[:i+1]+`"`)
		}
		if !used {
			t.Errorf("message %s is in the message files but no code asks for it: remove it from every language", id)
		}
	}
}
