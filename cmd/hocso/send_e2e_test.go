package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEndToEndSendResults is the USB path on the real binary: a learner
// answers a question, installs the office key and presses g to write an
// encrypted bundle to a folder; the office imports it with the CLI and puts
// the receipt beside it; the learner presses g again, the receipt is read,
// and the dashboard says the results were sent with nothing waiting.
func TestEndToEndSendResults(t *testing.T) {
	needEndToEnd(t)
	bin := buildBinary(t)
	dir := t.TempDir()
	db, office, usb := filepath.Join(dir, "pc", "hocso.db"), filepath.Join(dir, "office.db"), filepath.Join(dir, "usb")
	os.MkdirAll(usb, 0o755)
	key := filepath.Join(dir, "office.key")
	cli := func(args ...string) string {
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("hocso %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	cli("--db", office, "sync", "keygen", "-o", key)

	s := startTmux(t, bin, db)
	s.createProfile("Trần Văn Bình", "CB-0456", "Huế / Phường Thuận Hóa / UBND phường")
	s.waitFor("Chưa gửi kết quả lần nào")
	// Module 1, then its quiz below its four lessons; one answer.
	s.send("Enter")
	s.waitFor("Bài kiểm tra")
	s.send("Down", "Down", "Down", "Down", "Enter")
	s.waitFor("Bắt đầu làm bài")
	s.send("Enter")
	s.waitFor("Câu 1/")
	s.answerCurrent()
	s.waitFor("đã trả lời 1/")
	escapeTo(s, "✎ Bài kiểm tra")
	escapeTo(s, "Tiến độ chung")
	s.waitFor("bản ghi chờ gửi", "g: gửi kết quả")

	// No office key yet: the screen offers to install it from the .pub file.
	s.send("g")
	s.waitFor("Gửi kết quả", "Cài khóa của cơ quan…")
	s.send("Enter", key+".pub", "Enter")
	s.waitFor("Đã cài khóa của cơ quan")
	// "Thư mục khác…" is the last row, whatever drives this machine has.
	s.send("Down", "Down", "Down", "Down", "Down", "Down", "Down", "Down", "Enter", usb, "Enter")
	s.waitFor("Đã ghi", "Hãy mang ổ USB đến cơ quan")
	bundles, _ := filepath.Glob(filepath.Join(usb, "*.hocsync"))
	if len(bundles) != 1 {
		t.Fatalf("bundles in the folder: %v", bundles)
	}

	out := cli("--db", office, "sync", "import", bundles[0], "--key", key)
	wantIn(t, out, "Trần Văn Bình (CB-0456)", "Huế / Phường Thuận Hóa / UBND phường")

	// Back at the PC: the remembered folder is the row above "Thư mục khác…".
	escapeTo(s, "Tiến độ chung")
	s.send("g")
	s.waitFor("đã dùng lần trước")
	s.send("Down", "Down", "Down", "Down", "Down", "Down", "Down", "Down", "Up", "Enter")
	s.waitFor("Đã đọc 1 biên nhận", "Mọi kết quả trên máy này đã được cơ quan xác nhận")
	escapeTo(s, "Tiến độ chung")
	s.waitFor("Kết quả đã gửi lúc", "0 bản ghi chờ gửi")
	if left, _ := filepath.Glob(filepath.Join(usb, "*")); len(left) != 0 {
		t.Errorf("the acknowledged bundle and its receipt are still on the drive: %v", left)
	}
	s.kill()
}

// escapeTo presses Escape until want shows: an Escape typed while the screen
// is still busy with the previous key can arrive as part of another sequence.
func escapeTo(s *tmuxSession, want string) {
	s.t.Helper()
	for range 5 {
		s.send("Escape")
		time.Sleep(400 * time.Millisecond)
		if strings.Contains(s.screen(), want) {
			return
		}
	}
	s.waitFor(want)
}
