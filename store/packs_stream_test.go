package store

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"hocso/lessons"
)

// TestInstallStreamedPack installs a pack loaded module by module, its
// snapshot written as it loaded: the snapshot ends up beside the files, the
// next load takes it as it is, and it holds the pack a whole load gives.
func TestInstallStreamedPack(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	whole := packVersion(t, nil)
	snap, err := s.CreatePackSnapshot(whole.Files)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Remove()
	p, problems := lessons.LoadFilesEach(whole.Files, snap.Module)
	if problems.Err() != nil {
		t.Fatal(problems)
	}
	path, err := snap.Finish(p)
	if err != nil {
		t.Fatal(err)
	}
	ins, _, err := s.InstallPack(ctx, PackSource{Files: whole.Files, Pack: p, Snapshot: path})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the snapshot file is still in the packs folder: %v", err)
	}
	saved := filepath.Join(ins.Dir, lessons.SnapshotName)
	before, err := os.ReadFile(saved)
	if err != nil {
		t.Fatal(err)
	}
	loaded, problems := lessons.LoadInstalled(ins.Dir)
	got, _ := json.Marshal(loaded)
	want, _ := json.Marshal(whole.Pack)
	if problems.Err() != nil || string(got) != string(want) {
		t.Fatalf("the installed pack differs from the one loaded whole (%v)", problems)
	}
	if after, _ := os.ReadFile(saved); string(after) != string(before) {
		t.Error("the snapshot written while loading was not taken: the pack was parsed again")
	}
}
