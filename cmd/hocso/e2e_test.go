package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// tmuxSession runs the real hocso binary in a detached tmux session of its
// own server, 80×24, so the test types and reads as a person would.
type tmuxSession struct {
	t      *testing.T
	socket string
	name   string
}

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hocso")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func startTmux(t *testing.T, bin, db string, args ...string) *tmuxSession {
	t.Helper()
	s := &tmuxSession{t: t, socket: fmt.Sprintf("hocso-e2e-%d", time.Now().UnixNano()), name: "hocso"}
	// exec, so that the pane's pid is hocso's own and SIGKILL reaches it.
	command := fmt.Sprintf("exec env HOCSO_DB=%q HOCSO_LANG=vi TERM=xterm-256color LANG=C.UTF-8 %q", db, bin)
	for _, a := range args {
		command += fmt.Sprintf(" %q", a)
	}
	if len(args) > 0 {
		// A command that ends: keep the pane, and what it printed, on screen.
		command = strings.TrimPrefix(command, "exec ") + "; sleep 60"
	}
	s.tmux("new-session", "-d", "-s", s.name, "-x", "80", "-y", "24", command)
	t.Cleanup(func() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	return s
}

func (s *tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-u", "-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (s *tmuxSession) screen() string { return s.tmux("capture-pane", "-p", "-t", s.name) }

// send types keys: tmux key names ("Enter", "Escape", "Down") or literal text.
func (s *tmuxSession) send(keys ...string) {
	s.t.Helper()
	for _, k := range keys {
		switch k {
		case "Enter", "Escape", "Down", "Up", "End", "Space", "Left", "Right", "Tab":
			s.tmux("send-keys", "-t", s.name, k)
		default:
			s.tmux("send-keys", "-t", s.name, "-l", k)
		}
		time.Sleep(15 * time.Millisecond)
	}
}

// waitFor polls the screen until every string shows, and returns it.
func (s *tmuxSession) waitFor(want ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		scr := s.screen()
		missing := ""
		for _, w := range want {
			if !strings.Contains(scr, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("screen never showed %q:\n%s", missing, scr)
		}
		time.Sleep(40 * time.Millisecond)
	}
}

// waitForAny waits until the screen shows one of want, and returns it.
func (s *tmuxSession) waitForAny(want ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		scr := s.screen()
		for _, w := range want {
			if strings.Contains(scr, w) {
				return scr
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("screen never showed any of %q:\n%s", want, scr)
		}
		time.Sleep(40 * time.Millisecond)
	}
}

// needEndToEnd skips an end-to-end test where tmux is missing or in -short mode.
func needEndToEnd(t *testing.T) {
	t.Helper()
	needTmux(t)
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
}

// createProfile fills in the first start's profile form (no PIN) and waits
// for the dashboard.
func (s *tmuxSession) createProfile(name, staffCode, unit string) string {
	s.t.Helper()
	s.waitFor("Tạo hồ sơ học viên")
	s.send(name, "Enter", staffCode, "Enter", unit, "Enter", "Enter", "Enter")
	return s.waitFor("Tiến độ chung")
}

// panePID is the pid of the pane's process: hocso's own (startTmux execs it).
func (s *tmuxSession) panePID() string {
	s.t.Helper()
	pid := strings.TrimSpace(s.tmux("list-panes", "-t", s.name, "-F", "#{pane_pid}"))
	if _, err := strconv.Atoi(pid); err != nil {
		s.t.Fatalf("pane pid %q: %v", pid, err)
	}
	return pid
}

func (s *tmuxSession) kill() {
	s.t.Helper()
	if err := exec.Command("kill", "-KILL", s.panePID()).Run(); err != nil {
		s.t.Fatal(err)
	}
	exec.Command("tmux", "-L", s.socket, "kill-server").Run()
}

var questionLine = regexp.MustCompile(`Câu (\d+)/(\d+) · ([^·]+) · đã trả lời (\d+)/(\d+)`)

// answerCurrent answers whatever question is on screen, by its type, and
// returns the type shown.
func (s *tmuxSession) answerCurrent() string {
	s.t.Helper()
	scr := s.waitFor("Câu ")
	m := questionLine.FindStringSubmatch(scr)
	if m == nil {
		s.t.Fatalf("no question on screen:\n%s", scr)
	}
	kind := strings.TrimSpace(m[3])
	switch kind {
	case "Chọn một đáp án", "Đúng hay sai":
		s.send("1", "Enter")
	case "Chọn tất cả đáp án đúng":
		s.send("1", "2", "Enter")
	case "Trả lời ngắn":
		s.send("câu trả lời thử", "Enter")
	case "Trả lời bằng số":
		s.send("7,5", "Enter")
	case "Ghép cặp":
		for i := 0; i < strings.Count(scr, "[?]"); i++ {
			s.send("1")
		}
		s.send("Enter")
	case "Sắp xếp theo thứ tự":
		s.send("Enter")
	default:
		s.t.Fatalf("unknown question type %q", kind)
	}
	answered, _ := strconv.Atoi(m[4])
	total, _ := strconv.Atoi(m[5])
	if answered+1 < total {
		s.waitFor(fmt.Sprintf("đã trả lời %d/%d", answered+1, total))
	} else {
		s.waitFor("Nộp bài để chấm điểm?")
	}
	return kind
}

// progressJSON is `hocso progress --json --answers` decoded.
func progressJSON(t *testing.T, bin, db string) []learnerProgress {
	t.Helper()
	cmd := exec.Command(bin, "progress", "--json", "--answers")
	cmd.Env = append(os.Environ(), "HOCSO_DB="+db)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("hocso progress: %v", err)
	}
	var lp []learnerProgress
	if err := json.Unmarshal(out, &lp); err != nil {
		t.Fatalf("progress JSON: %v\n%s", err, out)
	}
	return lp
}

// TestEndToEndLearnerSurvivesKill is the main learner path on the real
// binary: create a profile, read a lesson, answer two questions, get killed
// with SIGKILL, start again — the answers are there and the quiz resumes at
// question three; then continue with the dashboard's Continue action.
func TestEndToEndLearnerSurvivesKill(t *testing.T) {
	needEndToEnd(t)
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "data", "hocso.db")

	s := startTmux(t, bin, db)
	s.createProfile("Nguyễn Thị Lan", "CB-0123", "Hà Nội / Phường Ba Đình / UBND phường")
	s.waitFor("Cách mạng công nghiệp lần thứ tư", "Nguyễn Thị Lan")

	// The dashboard's Continue action opens the first lesson.
	s.send("c")
	s.waitFor("Dòng ")
	s.send("End")
	s.waitFor("Đã đọc xong")
	s.send("Escape")
	s.waitFor("✓ 1.")
	s.send("Down", "Down", "Down", "Down", "Enter") // the module's quiz, below its four lessons
	s.waitFor("Bắt đầu làm bài")                    // its start screen: nothing started yet
	s.send("Enter")
	s.waitFor("Câu 1/")
	seen := map[string]bool{}
	seen[s.answerCurrent()] = true
	seen[s.answerCurrent()] = true
	before := s.waitFor("Câu ", "đã trả lời 2/")

	s.kill()

	lp := progressJSON(t, bin, db)
	if len(lp) != 1 || len(lp[0].Packs) == 0 || len(lp[0].Packs[0].Attempts) != 1 {
		t.Fatalf("after SIGKILL: %+v", lp)
	}
	attempt := lp[0].Packs[0].Attempts[0]
	if len(attempt.Answers) != 2 || attempt.SubmittedAt != nil {
		t.Fatalf("after SIGKILL the attempt has %d answers (want 2), submitted %v", len(attempt.Answers), attempt.SubmittedAt)
	}
	if attempt.Answers[0].QuestionID != attempt.QuestionIDs[0] || attempt.Answers[1].QuestionID != attempt.QuestionIDs[1] {
		t.Fatalf("answers are not the first two questions of the attempt: %+v", attempt)
	}
	if done := lp[0].Packs[0].Lessons; len(done) != 1 || done[0].CompletedAt == nil {
		t.Fatalf("the lesson read to the end is not completed: %+v", done)
	}

	s = startTmux(t, bin, db)
	after := s.waitFor("Câu 3/", "đã trả lời 2/")
	if questionLine.FindString(before) == "" || !strings.Contains(after, "Kiểm tra") {
		t.Fatalf("resumed screen:\n%s", after)
	}

	// Answer the rest, making sure a multiple-choice and a short-answer
	// question went through the real keyboard path, then submit.
	for !strings.Contains(s.screen(), "Nộp bài để chấm điểm?") {
		seen[s.answerCurrent()] = true
	}
	for _, kind := range []string{"Chọn tất cả đáp án đúng", "Trả lời ngắn"} {
		if !seen[kind] {
			t.Errorf("the quiz asked no %q question (seen %v)", kind, seen)
		}
	}
	s.send("s")
	s.waitFor("kết quả", "Điểm ")

	s.send("q")
	deadline := time.Now().Add(5 * time.Second)
	for exec.Command("tmux", "-L", s.socket, "has-session", "-t", s.name).Run() == nil {
		if time.Now().After(deadline) {
			t.Fatalf("q did not quit:\n%s", s.screen())
		}
		time.Sleep(40 * time.Millisecond)
	}
	lp = progressJSON(t, bin, db)
	a := lp[0].Packs[0].Attempts[0]
	if a.SubmittedAt == nil || len(a.Answers) != len(a.QuestionIDs) {
		t.Fatalf("after submitting: %+v", a)
	}
	if !bytes.Contains([]byte(fmt.Sprint(a.QuestionIDs)), []byte("cmcn4-")) {
		t.Fatalf("attempt is not of the first module's quiz: %v", a.QuestionIDs)
	}
}

// Closing the terminal window (tmux sends SIGHUP to the pane) ends hocso as
// q does: the database is closed cleanly, its log checkpointed and removed,
// so the next start has nothing to recover and no integrity check to run.
func TestClosingTheTerminalClosesCleanly(t *testing.T) {
	needEndToEnd(t)
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "data", "hocso.db")
	s := startTmux(t, bin, db)
	s.createProfile("Trần Văn Nam", "CB-0456", "Huế / Phường Thuận Hóa / UBND phường")
	pid := s.panePID()
	if wal, err := os.Stat(db + "-wal"); err != nil || wal.Size() == 0 {
		t.Fatalf("while running, the database has no write-ahead log (%v): the test would prove nothing", err)
	}
	exec.Command("tmux", "-L", s.socket, "kill-server").Run()
	deadline := time.Now().Add(10 * time.Second)
	for exec.Command("kill", "-0", pid).Run() == nil {
		if time.Now().After(deadline) {
			t.Fatal("hocso still runs 10 s after its terminal closed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if wal, err := os.Stat(db + "-wal"); err == nil && wal.Size() > 0 {
		t.Fatalf("after the terminal closed, %d bytes of log are left: the database was not closed", wal.Size())
	}
}
