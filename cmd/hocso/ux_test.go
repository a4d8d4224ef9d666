package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hocso/store"
)

// --lang accepts what people write (en-US) and refuses what hocso does not
// speak, in the user's language, with exit code 2.
func TestLangFlag(t *testing.T) {
	env := map[string]string{"HOCSO_DB": filepath.Join(t.TempDir(), "hocso.db")}
	if code, out, errOut := hocso(t, env, "--lang", "en-US", "learner", "list"); code != 0 || !strings.Contains(out, "no learners") {
		t.Fatalf("--lang en-US = %d %q %q", code, out, errOut)
	}
	code, _, errOut := hocso(t, env, "--lang", "fr", "learner", "list")
	if code != 2 || !strings.Contains(errOut, "“fr”") || !strings.Contains(errOut, "vi, en") {
		t.Fatalf("--lang fr = %d %q", code, errOut)
	}
	if code, _, errOut := hocso(t, env, "--lang=fr", "progress"); code != 2 || !strings.Contains(errOut, "không có giao diện") {
		t.Fatalf("--lang=fr in Vietnamese = %d %q", code, errOut)
	}
}

// A --db in a missing folder or naming a folder is refused and nothing is
// created; the default path is still created on first use.
func TestDBPathRefused(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "khong-co", "hocso.db")
	code, _, errOut := hocso(t, map[string]string{}, "--db", missing, "learner", "list")
	if code != 2 || !strings.Contains(errOut, "không tồn tại") {
		t.Fatalf("--db in a missing folder = %d %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Dir(missing)); !os.IsNotExist(err) {
		t.Fatalf("the missing folder was created: %v", err)
	}
	code, _, errOut = hocso(t, map[string]string{"LANG": "en_US.UTF-8"}, "--db", dir, "progress")
	if code != 2 || !strings.Contains(errOut, "is a folder") {
		t.Fatalf("--db a folder = %d %q", code, errOut)
	}
	home := t.TempDir()
	code, _, errOut = hocso(t, map[string]string{"HOME": home, "XDG_DATA_HOME": filepath.Join(home, "data")}, "learner", "list")
	if code != 0 {
		t.Fatalf("default path on first run = %d %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(home, "data", "hocso", "hocso.db")); err != nil {
		t.Fatalf("default database not created: %v", err)
	}
}

// Empty results say so; --learner takes an id, a staff code or a unique
// name, and lists the learners an ambiguous name matches.
func TestLearnerLookupAndEmpty(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hocso.db")
	env := map[string]string{"HOCSO_DB": db}
	for _, args := range [][]string{{"learner", "list"}, {"progress"}} {
		if code, out, _ := hocso(t, env, args...); code != 0 || !strings.Contains(out, "Chưa có học viên nào") {
			t.Fatalf("%v on an empty database = %d %q", args, code, out)
		}
	}
	ctx := context.Background()
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	lan, _ := s.CreateLearner(ctx, store.ProfilePayload{FullName: "Nguyễn Thị Lan", StaffCode: "CB-0123", UnitPath: "Hà Nội / Ba Đình"})
	s.CreateLearner(ctx, store.ProfilePayload{FullName: "Trần Văn Bình", UnitPath: "Huế / Thuận Hóa"})
	s.CreateLearner(ctx, store.ProfilePayload{FullName: "Trần Văn Bình", UnitPath: "Huế / Phú Xuân"})
	s.Close()

	for _, q := range []string{lan.ID, "cb-0123", "nguyễn thị  lan"} {
		code, out, errOut := hocso(t, env, "progress", "--learner", q)
		if code != 0 || !strings.Contains(out, "Nguyễn Thị Lan (CB-0123)") || strings.Contains(out, "Bình") {
			t.Fatalf("--learner %q = %d %q %q", q, code, out, errOut)
		}
		if !strings.Contains(out, "Học phần") || !strings.Contains(out, "Chưa bắt đầu") {
			t.Fatalf("progress is not a table with a header:\n%s", out)
		}
	}
	code, _, errOut := hocso(t, env, "progress", "--learner", "Trần Văn Bình")
	if code != 2 || strings.Count(errOut, "Trần Văn Bình") != 3 || !strings.Contains(errOut, "Phú Xuân") {
		t.Fatalf("ambiguous name = %d %q", code, errOut)
	}
	code, out, _ := hocso(t, env, "learner", "list")
	if code != 0 || !strings.HasPrefix(out, "Họ và tên") || !strings.Contains(out, "CB-0123") {
		t.Fatalf("learner list = %d\n%s", code, out)
	}
}

// pack list says what the counts are, in words.
func TestPackListInWords(t *testing.T) {
	env := map[string]string{"HOCSO_DB": filepath.Join(t.TempDir(), "hocso.db")}
	code, out, _ := hocso(t, env, "pack", "list")
	if code != 0 || !strings.Contains(out, "học phần,") || !strings.Contains(out, "câu hỏi") {
		t.Fatalf("pack list = %d\n%s", code, out)
	}
}
