package lessons

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"hocso/lessons/builtin"
)

var updateSnapshot = flag.Bool("update", false, "rewrite lessons/builtin/pack.snapshot")

// TestBuiltinSnapshot checks that the embedded snapshot is the built-in
// course as Load reads it now; -update rewrites it after the course changed.
func TestBuiltinSnapshot(t *testing.T) {
	parsed, problems := Load(builtin.FS)
	if err := problems.Err(); err != nil {
		t.Fatal(err)
	}
	digest, err := FilesDigest(builtin.FS)
	if err != nil {
		t.Fatal(err)
	}
	if *updateSnapshot {
		b, err := EncodeSnapshot(parsed, digest)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("builtin", "pack.snapshot"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	snap, ok := DecodeSnapshot(builtin.Snapshot, digest)
	if !ok {
		t.Fatal("lessons/builtin/pack.snapshot does not match the course: run go test ./lessons -run TestBuiltinSnapshot -update")
	}
	want, _ := json.Marshal(parsed)
	got, _ := json.Marshal(snap)
	if string(got) != string(want) {
		t.Fatal("the snapshot decodes to another pack than the files give: run go test ./lessons -run TestBuiltinSnapshot -update")
	}
	fromBuiltin, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(fromBuiltin); string(b) != string(want) {
		t.Fatal("Builtin() gives another pack than Load")
	}
}

// TestSnapshotOnlyForItsFiles checks that a snapshot is refused for files
// with another digest, for another format, and when it is damaged.
func TestSnapshotOnlyForItsFiles(t *testing.T) {
	p, _ := Load(miniFS(t))
	b, err := EncodeSnapshot(p, "abc")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := DecodeSnapshot(b, "abc"); !ok {
		t.Fatal("a snapshot is refused for its own digest")
	}
	if _, ok := DecodeSnapshot(b, "abd"); ok {
		t.Error("a snapshot is used for other files")
	}
	if _, ok := DecodeSnapshot(b[:len(b)/2], "abc"); ok {
		t.Error("a truncated snapshot is used")
	}
	if _, ok := DecodeSnapshot(nil, "abc"); ok {
		t.Error("an empty snapshot is used")
	}
}

// TestLoadInstalledUsesAndRenewsSnapshot loads a pack folder twice (the second
// time from the snapshot left by the first) and once more after a file
// changed, which must be parsed, not taken from the old snapshot.
func TestLoadInstalledUsesAndRenewsSnapshot(t *testing.T) {
	dir := t.TempDir()
	for name, f := range miniFS(t) {
		path := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	first, problems := LoadInstalled(dir)
	if first == nil || problems.Err() != nil {
		t.Fatalf("first load: %v", problems)
	}
	if _, err := os.Stat(filepath.Join(dir, SnapshotName)); err != nil {
		t.Fatalf("no snapshot left: %v", err)
	}
	second, _ := LoadInstalled(dir)
	a, _ := json.Marshal(first)
	b, _ := json.Marshal(second)
	if string(a) != string(b) {
		t.Error("the snapshot gives another pack than the files")
	}
	quiz := filepath.Join(dir, "modules", "01-co-ban", "quiz.toml")
	text, _ := os.ReadFile(quiz)
	os.WriteFile(quiz, []byte(string(text)+"\n# đổi\n"), 0o644)
	third, _ := LoadInstalled(dir)
	if third == nil || third.Hash == first.Hash {
		t.Error("a changed file was not parsed again: the old snapshot was used")
	}
}

// TestLoadedFrom checks that a pack is taken for the files it was loaded
// from and for no others: a changed or missing file, or a pack that Load did
// not make, is refused.
func TestLoadedFrom(t *testing.T) {
	dir := t.TempDir()
	fsys := miniFS(t)
	for name, f := range fsys {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files, problems := ReadFolder(dir, DefaultLimits())
	if problems.Err() != nil {
		t.Fatal(problems.Err())
	}
	p, _ := Load(files)
	snap, _ := DecodeSnapshot(mustSnapshot(t, p), "d")
	copyDir := filepath.Join(t.TempDir(), "copy")
	if err := os.CopyFS(copyDir, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	changed := filepath.Join(copyDir, "pack.toml")
	b, _ := os.ReadFile(changed)
	if err := os.WriteFile(changed, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	other, _ := ReadFolder(copyDir, DefaultLimits())
	tests := []struct {
		name  string
		pack  *Pack
		files *Files
		want  bool
	}{
		{"its own files", p, files, true},
		{"one file changed", p, other, false},
		{"no files", p, nil, false},
		{"a pack from a snapshot", snap, files, false},
	}
	for _, tc := range tests {
		if got := tc.pack.LoadedFrom(tc.files); got != tc.want {
			t.Errorf("%s: LoadedFrom = %v; want %v", tc.name, got, tc.want)
		}
	}
	// A folder's files are read again when needed: changed on disk since
	// they were checked, they are no longer those the pack was loaded from.
	if err := os.WriteFile(filepath.Join(dir, "pack.toml"), append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	if p.LoadedFrom(files) {
		t.Error("a file changed on disk after the check: LoadedFrom = true")
	}
	if err := files.WriteTo(t.TempDir()); !errors.Is(err, errChanged) {
		t.Errorf("writing a file changed on disk since the check: %v", err)
	}
}

func mustSnapshot(t *testing.T, p *Pack) []byte {
	t.Helper()
	b, err := EncodeSnapshot(p, "d")
	if err != nil {
		t.Fatal(err)
	}
	return b
}
