package main

import (
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"hocso/store"
)

// learnerDB is a new database with one learner and no PIN, so accessible
// mode opens straight on the dashboard.
func learnerDB(t *testing.T) string {
	t.Helper()
	return learnerDBAt(t, filepath.Join(t.TempDir(), "hocso.db"))
}

func learnerDBAt(t *testing.T, db string) string {
	t.Helper()
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	l, err := s.CreateLearner(context.Background(), store.ProfilePayload{
		FullName: "Nguyễn Thị Lan", UnitPath: "Hà Nội / Phường Ba Đình"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetCurrentLearner(context.Background(), l.ID); err != nil {
		t.Fatal(err)
	}
	return db
}

func needBinaryTests(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the real binary: skipped in -short mode")
	}
}

// TestTwoProcessesOneAttempt is issue 9's first finding with two real hocso
// processes in accessible mode on one database: B answers every question,
// A (the same learner, resuming the same attempt) then answers every one
// differently, and B — whose memory still holds its own answers — submits.
// The recorded score is that of the stored answers, which are A's.
func TestTwoProcessesOneAttempt(t *testing.T) {
	needBinaryTests(t)
	bin := buildBinary(t)
	db := learnerDB(t)

	b := startAccessible(t, bin, db)
	b.answerAll(b.openFirstQuiz(), 1)
	bDone := time.Now().UTC()

	a := startAccessible(t, bin, db)
	// A starts where the learner left off: B's open attempt, or the
	// dashboard when B's place was not saved yet.
	fresh := a.prompt()
	if !strings.Contains(fresh, "Nộp bài? (c/k):") {
		a.send("1") // the first module
		a.prompt()
		a.send("5") // its quiz
		fresh = a.startIfAsked(a.prompt())
	}
	if !strings.Contains(fresh, "Nộp bài? (c/k):") {
		t.Fatalf("A did not resume B's attempt with every question answered:\n%s", fresh)
	}
	for q := 1; ; q++ {
		a.send(strconv.Itoa(q)) // answer question q again
		fresh = a.prompt()
		if !accessibleQuestion.MatchString(fresh) {
			break // past the last question: the number was refused
		}
		for !strings.Contains(fresh, "Nộp bài? (c/k):") {
			fresh = a.answer(fresh, 2)
		}
	}
	a.quit()

	b.send("c")
	out := b.quit()
	if !strings.Contains(out, "Điểm") {
		t.Fatalf("B's submission shows no result:\n%s", out[max(0, len(out)-2000):])
	}
	lp := progressJSON(t, bin, db)
	att := lp[0].Packs[0].Attempts[0]
	if att.SubmittedAt == nil {
		t.Fatalf("not submitted: %+v", att)
	}
	var sum float64
	for _, ans := range att.Answers {
		sum += ans.Score
		if !ans.AnsweredAt.After(bDone) {
			t.Errorf("question %s keeps B's answer, given before A answered", ans.QuestionID)
		}
	}
	if math.Abs(att.Score-sum) > 1e-9 || len(att.Answers) != len(att.QuestionIDs) {
		t.Fatalf("recorded score %v, stored answers add up to %v (%d of %d answered)", att.Score, sum, len(att.Answers), len(att.QuestionIDs))
	}
	t.Logf("B submitted %v/%v; the stored answers (A's) add up to %v", att.Score, att.MaxScore, sum)
}

// rounds is how many times a race or crash test repeats: short in the
// normal suite, long with HOCSO_LONG=1.
func rounds(short, long int) int {
	if os.Getenv("HOCSO_LONG") == "1" {
		return long
	}
	return short
}

// TestFirstStartsOfProcessesAtOnce starts several real hocso processes on
// one new database at once; none may fail. HOCSO_LONG=1 runs 100 rounds.
func TestFirstStartsOfProcessesAtOnce(t *testing.T) {
	needBinaryTests(t)
	bin := buildBinary(t)
	n := rounds(5, 100)
	failed := 0
	for round := 0; round < n; round++ {
		db := filepath.Join(t.TempDir(), "new", "hocso.db")
		cmds := make([]*exec.Cmd, 3)
		outs := make([]*strings.Builder, len(cmds))
		for i := range cmds {
			cmds[i] = exec.Command(bin, "learner", "list", "--json")
			cmds[i].Env = []string{"HOCSO_DB=" + db, "HOCSO_LANG=en"}
			outs[i] = &strings.Builder{}
			cmds[i].Stdout, cmds[i].Stderr = outs[i], outs[i]
		}
		for _, c := range cmds {
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
		}
		for i, c := range cmds {
			if err := c.Wait(); err != nil || strings.TrimSpace(outs[i].String()) != "[]" {
				failed++
				t.Errorf("round %d, process %d: %v %s", round, i, err, outs[i])
			}
		}
	}
	t.Logf("%d rounds of 3 processes creating one database at once: %d failed", n, failed)
}

// TestTUIWithCLIReaders answers a quiz in the real TUI while CLI processes
// read the same database over and over (progress --json, learner list,
// doctor): no reader fails, and every answer the screen confirmed is stored.
func TestTUIWithCLIReaders(t *testing.T) {
	needTmux(t)
	needBinaryTests(t)
	bin := buildBinary(t)
	db := learnerDB(t)
	s := startTmux(t, bin, db)
	s.waitFor("Tiến độ chung")
	s.send("Enter")
	s.waitFor("Bài kiểm tra · ")
	s.send("Down", "Down", "Down", "Down", "Enter")
	s.waitFor("Bắt đầu làm bài")
	s.send("Enter")
	s.waitFor("Câu 1/")

	stop := make(chan struct{})
	type result struct{ runs, failures int }
	done := make(chan result)
	go func() {
		var r result
		for i := 0; ; i++ {
			select {
			case <-stop:
				done <- r
				return
			default:
			}
			args := [][]string{{"progress", "--json"}, {"learner", "list", "--json"}, {"doctor", "--json"}}[i%3]
			cmd := exec.Command(bin, args...)
			cmd.Env = append(os.Environ(), "HOCSO_DB="+db)
			if out, err := cmd.CombinedOutput(); err != nil {
				r.failures++
				t.Errorf("hocso %v while the TUI writes: %v\n%s", args, err, out)
			}
			r.runs++
		}
	}()
	answered := 0
	for i := 0; i < rounds(6, 17) && !strings.Contains(s.screen(), "Nộp bài để chấm điểm?"); i++ {
		s.answerCurrent()
		answered++
	}
	close(stop)
	r := <-done
	if got, _, _ := storedAnswers(t, bin, db); got != answered {
		t.Fatalf("the TUI confirmed %d answers; %d are stored", answered, got)
	}
	t.Logf("TUI answered %d questions while %d CLI reads ran: %d failed", answered, r.runs, r.failures)
}
