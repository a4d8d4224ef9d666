package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"hocso/lessons"
	"hocso/store/pgtest"
)

// packVersion copies the lessons test pack, lets edit change it, and loads it.
func packVersion(t *testing.T, edit func(dir string)) PackSource {
	t.Helper()
	src, problems := loadCopy(t, edit)
	if err := problems.Err(); err != nil {
		t.Fatal(err)
	}
	return src
}

func loadCopy(t *testing.T, edit func(dir string)) (PackSource, lessons.Problems) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "pack")
	if err := os.CopyFS(dir, os.DirFS("../lessons/testdata/mini")); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(dir)
	}
	p, files, problems := lessons.LoadDir(dir)
	return PackSource{Files: files, Pack: p}, problems
}

func replaceIn(t *testing.T, name, old, new string) {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil || !strings.Contains(string(b), old) {
		t.Fatalf("%s has no %q (%v)", name, old, err)
	}
	os.WriteFile(name, []byte(strings.Replace(string(b), old, new, 1)), 0o644)
}

func version11(t *testing.T) PackSource {
	return packVersion(t, func(dir string) {
		replaceIn(t, filepath.Join(dir, "pack.toml"), `"1.0.0"`, `"1.1.0"`)
	})
}

// packDirs lists what the packs folder holds.
func packDirs(t *testing.T, s *Store) []string {
	t.Helper()
	entries, err := os.ReadDir(s.PacksDir())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestInstallAndUpgradePack(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	v1 := packVersion(t, nil)
	ins, prev, err := s.InstallPack(ctx, v1)
	if err != nil || prev != nil {
		t.Fatalf("install 1.0: %v, previous %v", err, prev)
	}
	if ins.Version != "1.0.0" || filepath.Dir(ins.Dir) != s.PacksDir() || ins.Trusted {
		t.Errorf("installed = %+v", ins)
	}
	if p, _, problems := lessons.LoadDir(ins.Dir); len(problems) > 0 || p.Hash != v1.Pack.Hash {
		t.Fatalf("installed folder: %v", problems)
	}

	v2 := version11(t)
	v2.SignerKeyID, v2.SignerPublicKey, v2.Trusted = "ABC", "x", true
	s.TrustKey(ctx, TrustedKey{KeyID: "ABC", PublicKey: "x"})
	ins2, prev, err := s.InstallPack(ctx, v2)
	if err != nil || prev == nil || prev.Version != "1.0.0" {
		t.Fatalf("upgrade: %v, previous %+v", err, prev)
	}
	if _, err := os.Stat(ins.Dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the previous version's folder was kept after the switch: %v", err)
	}
	active, err := s.InstalledPacks(ctx)
	if err != nil || len(active) != 1 || active[0].Version != "1.1.0" || active[0].Dir != ins2.Dir ||
		active[0].SignerKeyID != "ABC" || !active[0].Trusted {
		t.Fatalf("active = %+v, %v", active, err)
	}
	if dirs := packDirs(t, s); len(dirs) != 1 || dirs[0] != filepath.Base(ins2.Dir) {
		t.Errorf("packs folder holds %v", dirs)
	}
	history, _ := s.PackHistory(ctx, "test.mini")
	if len(history) != 2 || history[0].Active || !history[1].Active {
		t.Errorf("history = %+v", history)
	}

	// Reinstalling the same version (a repair) gets a fresh folder.
	ins3, _, err := s.InstallPack(ctx, v2)
	if err != nil || ins3.Dir == ins2.Dir {
		t.Fatalf("reinstall: %v, dir %s", err, ins3.Dir)
	}

	if err := s.UntrustKey(ctx, "ABC"); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.InstalledPack(ctx, "test.mini"); p.Trusted || p.SignerKeyID != "ABC" {
		t.Errorf("after the key was removed: %+v", p)
	}
	if err := s.UntrustKey(ctx, "ABC"); !errors.Is(err, ErrKeyNotTrusted) {
		t.Errorf("removing an unknown key: %v", err)
	}
}

// TestInstallFailureKeepsPreviousVersion fails the upgrade at every step and
// checks that 1.0 is still installed, whole and loadable, with nothing of 1.1
// left behind.
func TestInstallFailureKeepsPreviousVersion(t *testing.T) {
	ctx := context.Background()
	for _, step := range []string{"written", "checked", "placed", "switch"} {
		t.Run(step, func(t *testing.T) {
			s, _ := openTemp(t)
			ins, _, err := s.InstallPack(ctx, packVersion(t, nil))
			if err != nil {
				t.Fatal(err)
			}
			v2 := version11(t)
			boom := errors.New("power cut")
			v2.failAt = func(at string) error {
				if at == step {
					return boom
				}
				return nil
			}
			if _, _, err := s.InstallPack(ctx, v2); !errors.Is(err, boom) {
				t.Fatalf("install = %v; want the failure", err)
			}
			assertStillV1(t, s, ins)
		})
	}
	t.Run("content differs from what was checked", func(t *testing.T) {
		s, _ := openTemp(t)
		ins, _, _ := s.InstallPack(ctx, packVersion(t, nil))
		v2 := version11(t)
		v2.Pack = packVersion(t, func(dir string) {
			replaceIn(t, filepath.Join(dir, "pack.toml"), `"1.0.0"`, `"1.2.0"`)
		}).Pack
		if _, _, err := s.InstallPack(ctx, v2); err == nil {
			t.Fatal("installed files that are not the pack that was checked")
		}
		assertStillV1(t, s, ins)
	})
	t.Run("content invalid once unpacked", func(t *testing.T) {
		s, _ := openTemp(t)
		ins, _, _ := s.InstallPack(ctx, packVersion(t, nil))
		bad := packVersion(t, func(dir string) {
			replaceIn(t, filepath.Join(dir, "pack.toml"), `"1.0.0"`, `"1.1.0"`)
		})
		broken, _ := loadCopy(t, func(dir string) {
			replaceIn(t, filepath.Join(dir, "pack.toml"), `version = "1.0.0"`, `version = "one"`)
		})
		bad.Files = broken.Files
		if _, _, err := s.InstallPack(ctx, bad); err == nil || !strings.Contains(err.Error(), "invalid pack") {
			t.Fatalf("install = %v; want the pack refused", err)
		}
		assertStillV1(t, s, ins)
	})
}

func assertStillV1(t *testing.T, s *Store, v1 InstalledPack) {
	t.Helper()
	cur, err := s.InstalledPack(context.Background(), "test.mini")
	if err != nil || cur == nil || cur.Version != "1.0.0" || cur.Dir != v1.Dir {
		t.Fatalf("installed now = %+v, %v; want 1.0.0 in %s", cur, err, v1.Dir)
	}
	if p, _, problems := lessons.LoadDir(cur.Dir); len(problems) > 0 || p.Version != "1.0.0" {
		t.Fatalf("1.0.0 no longer loads: %v", problems)
	}
	if dirs := packDirs(t, s); len(dirs) != 1 || dirs[0] != filepath.Base(v1.Dir) {
		t.Errorf("packs folder holds %v; want only %s", dirs, filepath.Base(v1.Dir))
	}
}

func TestRemovePackKeepsProgress(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	src := packVersion(t, nil)
	ins, _, err := s.InstallPack(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	l, _ := s.CreateLearner(ctx, ProfilePayload{FullName: "Trần Văn Bình"})
	ref := PackRef{ID: src.Pack.ID, Version: src.Pack.Version, Hash: src.Pack.Hash}
	if err := s.CompleteLesson(ctx, l.ID, ref, "co-ban", "co-ban-mo-dau"); err != nil {
		t.Fatal(err)
	}
	removed, err := s.RemovePack(ctx, "test.mini")
	if err != nil || removed.Version != "1.0.0" {
		t.Fatalf("remove: %+v, %v", removed, err)
	}
	if _, err := os.Stat(ins.Dir); !errors.Is(err, os.ErrNotExist) {
		t.Error("the folder is still there")
	}
	if active, _ := s.InstalledPacks(ctx); len(active) != 0 {
		t.Errorf("still active: %+v", active)
	}
	if done, _ := s.LessonCompletions(ctx, "test.mini"); done["co-ban-mo-dau"] != 1 {
		t.Errorf("progress lost on removal: %v", done)
	}
	if _, err := s.RemovePack(ctx, "test.mini"); !errors.Is(err, ErrPackNotInstalled) {
		t.Errorf("removing twice: %v", err)
	}
}

func TestInstallSweepsLeftovers(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	os.MkdirAll(filepath.Join(s.PacksDir(), ".install-123", "modules"), 0o755)
	os.MkdirAll(filepath.Join(s.PacksDir(), "test.mini@0.9.0-abc-1"), 0o755)
	os.MkdirAll(filepath.Join(s.PacksDir(), ".install-fresh"), 0o755)
	os.MkdirAll(filepath.Join(s.PacksDir(), "notes"), 0o755)
	old := time.Now().Add(-2 * time.Hour)
	os.Chtimes(filepath.Join(s.PacksDir(), ".install-123"), old, old)
	os.Chtimes(filepath.Join(s.PacksDir(), "test.mini@0.9.0-abc-1"), old, old)
	ins, _, err := s.InstallPack(ctx, packVersion(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(packDirs(t, s), " ")
	want := strings.Join([]string{".install-fresh", "notes", filepath.Base(ins.Dir)}, " ")
	if got != want {
		t.Errorf("packs folder = %s; want %s", got, want)
	}
}

func TestProgressCountsForDiff(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	ref := PackRef{ID: "test.mini", Version: "1.0.0", Hash: "h"}
	for i, name := range []string{"Lê Thị Hoa", "Phạm Văn Nam"} {
		l, _ := s.CreateLearner(ctx, ProfilePayload{FullName: name})
		s.CompleteLesson(ctx, l.ID, ref, "co-ban", "co-ban-mo-dau")
		a, err := s.StartAttempt(ctx, l.ID, ref, "co-ban", "co-ban-quiz", 1, []string{"cb-q1", "cb-q2"}, 50)
		if err != nil {
			t.Fatal(err)
		}
		s.RecordAnswer(ctx, a, ref, "cb-q1", AnsweredPayload{QuestionHash: []string{"old", "new"}[i], Answer: []byte(`{}`), Score: float64(1 - i), MaxScore: 1})
		s.SubmitAttempt(ctx, a, ref, 2)
	}
	done, _ := s.LessonCompletions(ctx, "test.mini")
	passed, _ := s.QuizPasses(ctx, "test.mini")
	answered, _ := s.QuestionLearners(ctx, "test.mini")
	if done["co-ban-mo-dau"] != 2 || passed["co-ban-quiz"] != 1 || len(answered["cb-q1"]) != 2 || len(answered["cb-q2"]) != 0 {
		t.Errorf("done %v, passed %v, answered %v", done, passed, answered)
	}
}

// oldDatabase makes a file as an older build left it, with these statements.
func oldDatabase(t *testing.T, statements ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range statements {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// TestMigrateKeepsSchema1Data opens a file made by a build that knew only
// schema 1: it is migrated, and its learners stay.
func TestMigrateKeepsSchema1Data(t *testing.T) {
	path := oldDatabase(t, migrations[0], `PRAGMA user_version = 1`,
		`INSERT INTO learners VALUES ('l1', 'Đỗ Minh Châu', '', '', '2025-01-01T00:00:00.000000000Z', '2025-01-01T00:00:00.000000000Z', 'e1')`)
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if l, err := s.Learner(context.Background(), "l1"); err != nil || l.FullName != "Đỗ Minh Châu" {
		t.Fatalf("learner after migration: %+v, %v", l, err)
	}
	if ps, err := s.InstalledPacks(context.Background()); err != nil || len(ps) != 0 {
		t.Fatalf("installed packs after migration: %v, %v", ps, err)
	}
}

// A PostgreSQL database has no folder beside it: packs are installed only
// into a folder named for it, never into a path made from its address
// (which once left postgres:/… folders wherever a test ran).
func TestPostgresPacksFolder(t *testing.T) {
	if !pgtest.Configured() {
		t.Skipf("PostgreSQL part skipped: %s is not set", pgtest.EnvVar)
	}
	ctx := context.Background()
	s := openPostgresTemp(t)
	cwd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadDir(cwd)
	if _, _, err := s.InstallPack(ctx, packVersion(t, nil)); !errors.Is(err, ErrNoPacksDir) {
		t.Fatalf("InstallPack with no packs folder = %v; want ErrNoPacksDir", err)
	}
	if after, _ := os.ReadDir(cwd); len(after) != len(before) {
		t.Fatalf("the install wrote into the current folder: %d entries, were %d", len(after), len(before))
	}
	dir := t.TempDir()
	s.SetPacksDir(dir)
	ins, _, err := s.InstallPack(ctx, packVersion(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(ins.Dir) != dir {
		t.Fatalf("installed into %s; want a folder in %s", ins.Dir, dir)
	}
	got, err := s.InstalledPacks(ctx)
	if err != nil || len(got) != 1 || got[0].Dir != ins.Dir {
		t.Fatalf("InstalledPacks = %+v, %v; want the one in %s", got, err, ins.Dir)
	}
}

// TestMigrationClustersLessonProgress opens a file of the schema before
// lesson progress became one B-tree: its rows stay, in a WITHOUT ROWID table
// without the report's copy of it.
func TestMigrationClustersLessonProgress(t *testing.T) {
	step := 9
	path := oldDatabase(t, append(slices.Clone(migrations[:step]), fmt.Sprintf(`PRAGMA user_version = %d`, step),
		`INSERT INTO lesson_progress VALUES ('l1', 'p', 'm1', 'les1', '2025-01-01T00:00:00.000000000Z', NULL),
			('l1', 'p', 'm1', 'les2', '2025-01-01T00:00:00.000000000Z', '2025-01-02T00:00:00.000000000Z')`)...)
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var rows int
	var ddl string
	if err := s.db.QueryRow(`SELECT count(*), (SELECT sql FROM sqlite_schema WHERE name = 'lesson_progress')
		FROM lesson_progress WHERE learner_id = 'l1'`).Scan(&rows, &ddl); err != nil ||
		rows != 2 || !strings.Contains(ddl, "WITHOUT ROWID") {
		t.Fatalf("lesson_progress after migration: %d rows, %q, %v", rows, ddl, err)
	}
	var left int
	if err := s.db.QueryRow(`SELECT count(*) FROM sqlite_schema
		WHERE name IN ('lesson_progress_report', 'attempts_learner', 'lesson_progress_new')`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("%d of the dropped indexes and tables are left, %v", left, err)
	}
}
