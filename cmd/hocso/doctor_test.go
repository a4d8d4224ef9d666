package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hocso/store"
)

// damagedDatabase is a hocso database of 300 learners with pages in its
// middle overwritten, as a failing disk leaves one.
func damagedDatabase(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hocso.db")
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 300; i++ {
		if _, err := s.CreateLearner(ctx, store.ProfilePayload{FullName: fmt.Sprintf("Học viên %03d", i),
			UnitPath: strings.Repeat("Hà Nội / Phường Ba Đình / ", 8)}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	f, _ := os.OpenFile(path, os.O_RDWR, 0)
	fi, _ := f.Stat()
	f.WriteAt(bytes.Repeat([]byte{0xA5}, 4096), fi.Size()/4096/2*4096)
	f.Close()
	return path
}

func TestDoctorReportsAndRepairs(t *testing.T) {
	db := damagedDatabase(t)
	before, _ := os.ReadFile(db)
	env := map[string]string{"HOCSO_DB": db, "HOCSO_LANG": "vi"}

	code, _, errOut := hocso(t, env, "learner", "list")
	if code == 0 || !strings.Contains(errOut, "bị hỏng") || !strings.Contains(errOut, "hocso doctor --repair") {
		t.Fatalf("learner list on a damaged file: exit %d, %q", code, errOut)
	}
	code, out, _ := hocso(t, env, "doctor")
	if code != 1 || !strings.Contains(out, "Kiểm tra toàn vẹn: có lỗi") || !strings.Contains(out, "hocso doctor --repair") {
		t.Fatalf("doctor: exit %d\n%s", code, out)
	}
	copyPath := filepath.Join(t.TempDir(), "saved.db")
	code, out, errOut = hocso(t, env, "doctor", "--repair", "--out", copyPath, "--json")
	var rep doctorReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 || rep.Repair == nil {
		t.Fatalf("doctor --repair: exit %d, %v\n%s%s", code, err, out, errOut)
	}
	if rep.Verdict != store.VerdictDamaged || rep.Repair.Events < 250 || rep.Repair.Learners != rep.Repair.Events {
		t.Fatalf("doctor --repair = %+v, %+v", rep.Health, *rep.Repair)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		t.Fatal("doctor changed the original")
	}
	code, out, errOut = hocso(t, map[string]string{"HOCSO_DB": copyPath}, "learner", "list", "--json")
	var ls []store.Learner
	if json.Unmarshal([]byte(out), &ls); code != 0 || len(ls) != rep.Repair.Learners {
		t.Fatalf("learner list on the copy: exit %d, %d learners, %s", code, len(ls), errOut)
	}
	code, out, _ = hocso(t, map[string]string{"HOCSO_DB": copyPath, "HOCSO_LANG": "en"}, "doctor")
	if code != 0 || !strings.Contains(out, "Verdict: the database is in good order.") {
		t.Fatalf("doctor on the copy: exit %d\n%s", code, out)
	}
	t.Logf("300 learners, one page overwritten: %d records copied, %d unreadable", rep.Repair.Events, rep.Repair.Lost)
}

func TestDoctorOnForeignAndMissingFiles(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "none", "hocso.db")
	code, out, _ := hocso(t, map[string]string{"HOCSO_DB": missing, "HOCSO_LANG": "en"}, "doctor")
	if code != 0 || !strings.Contains(out, "does not exist yet") {
		t.Fatalf("doctor on a missing file: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Dir(missing)); err == nil {
		t.Fatal("doctor created the folder")
	}
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("không phải cơ sở dữ liệu"), 0o644)
	code, out, errOut := hocso(t, map[string]string{"HOCSO_DB": text, "HOCSO_LANG": "vi"}, "doctor", "--repair")
	if code != 1 || !strings.Contains(out, "không phải cơ sở dữ liệu SQLite") || !strings.Contains(errOut, "Không có gì để cứu") {
		t.Fatalf("doctor --repair on a text file: exit %d\n%s\n%s", code, out, errOut)
	}
}
