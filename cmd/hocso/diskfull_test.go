package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// smallDisk mounts a tmpfs of size bytes for the test, or skips: mounting
// needs root (CI has it).
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "disk")
	os.Mkdir(dir, 0o755)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a size-limited tmpfs (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// fillDisk writes a file until the disk is full and returns its path.
func fillDisk(t *testing.T, dir, name string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	block := make([]byte, 4096)
	for {
		if _, err := f.Write(block); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			return path
		}
	}
}

// TestDiskFull puts the database on a 2 MB tmpfs, fills it in the middle of
// a quiz in accessible mode, and frees it again: every failed save is said,
// the last line does not claim everything was saved, nothing committed is
// lost, a new database on the full disk is refused as a full disk (not as
// "not a hocso database"), and once space is freed hocso saves again.
func TestDiskFull(t *testing.T) {
	needBinaryTests(t)
	disk := smallDisk(t, "2m")
	bin := buildBinary(t)
	db := learnerDBAt(t, filepath.Join(disk, "hocso.db"))

	p := startAccessible(t, bin, db)
	fresh := p.answer(p.answer(p.openFirstQuiz(), 1), 1) // two answers saved
	filler := fillDisk(t, disk, "filler")
	failures := 0
	for i := 0; i < 3; i++ {
		// The same question comes back after a failed save; if the WAL had
		// room left, the answer was saved and the next question comes.
		if m := accessibleQuestion.FindStringSubmatch(fresh); m == nil {
			t.Fatalf("no question on a full disk:\n%s", fresh)
		}
		fresh = p.answer(fresh, 1)
		if strings.Contains(fresh, "Ổ đĩa đã đầy nên việc này CHƯA được lưu") {
			failures++
		}
	}
	if failures == 0 {
		t.Fatalf("no save failed on a full disk:\n%s", p.output())
	}
	out := p.quit()
	if strings.Contains(out, "Mọi kết quả học tập đều đã được lưu") || !strings.Contains(out, "lần lưu không thành công") {
		t.Fatalf("the last line after %d failed saves:\n%s", failures, out[max(0, len(out)-600):])
	}
	confirmed := 2 + 3 - failures

	// Reading still works on the full disk; a new database there is refused
	// as a full disk. (The WAL hocso removed on closing left some room.)
	filler2 := fillDisk(t, disk, "filler2")
	if got, _, _ := storedAnswers(t, bin, db); got != confirmed {
		t.Fatalf("%d answers confirmed, %d stored", confirmed, got)
	}
	cmd := exec.Command(bin, "learner", "list")
	cmd.Env = append(os.Environ(), "HOCSO_DB="+filepath.Join(disk, "new", "hocso.db"), "HOCSO_LANG=vi")
	msg, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(msg), "hết chỗ trống") || strings.Contains(string(msg), "không phải cơ sở dữ liệu") {
		t.Fatalf("a new database on a full disk: %v %s", err, msg)
	}

	// Space freed: saving works again and nothing was lost.
	os.Remove(filler)
	os.Remove(filler2)
	p = startAccessible(t, bin, db)
	fresh = p.answer(p.prompt(), 1)
	if strings.Contains(fresh, "CHƯA được lưu") {
		t.Fatalf("saving still fails after space was freed:\n%s", fresh)
	}
	if out := p.quit(); !strings.Contains(out, "Mọi kết quả học tập đều đã được lưu") {
		t.Fatalf("the last line after space was freed:\n%s", out[max(0, len(out)-600):])
	}
	if got, _, _ := storedAnswers(t, bin, db); got != confirmed+1 {
		t.Fatalf("after freeing space: %d answers stored; want %d", got, confirmed+1)
	}
	assertSound(t, bin, db)
	t.Logf("full disk: %d of 3 saves failed and were said; %d answers confirmed, all stored", failures, confirmed)
}
