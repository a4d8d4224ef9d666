package main

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"hocso/store"
)

// crashRounds is how many SIGKILLs a crash test deals: a few in the normal
// suite, HOCSO_CRASH_ROUNDS (100 for the figure) when set.
func crashRounds() int {
	if n, err := strconv.Atoi(os.Getenv("HOCSO_CRASH_ROUNDS")); err == nil && n > 0 {
		return n
	}
	return 3
}

// storedAnswers is how many answers the open (or last) attempt has, read
// through the real binary.
func storedAnswers(t *testing.T, bin, db string) (answered, total int, submitted bool) {
	t.Helper()
	lp := progressJSON(t, bin, db)
	if len(lp) == 0 || len(lp[0].Packs) == 0 || len(lp[0].Packs[0].Attempts) == 0 {
		return 0, 0, false
	}
	as := lp[0].Packs[0].Attempts
	a := as[len(as)-1]
	return len(a.Answers), len(a.QuestionIDs), a.SubmittedAt != nil
}

// assertSound fails unless `hocso doctor --json` finds the file whole:
// integrity_check ok, hocso's application id and schema.
func assertSound(t *testing.T, bin, db string) {
	t.Helper()
	cmd := exec.Command(bin, "doctor", "--json")
	cmd.Env = append(os.Environ(), "HOCSO_DB="+db)
	out, _ := cmd.Output()
	var h store.Health
	if err := json.Unmarshal(out, &h); err != nil {
		t.Fatalf("doctor --json: %v\n%s", err, out)
	}
	if h.Verdict != store.VerdictOK || len(h.Integrity) != 1 || h.Integrity[0] != "ok" || h.Schema != store.SchemaVersion() {
		t.Fatalf("after SIGKILL the database is not sound: %+v", h)
	}
}

func needTmux(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: the end-to-end and crash tests need it (apt-get install tmux; .ci/run installs it)")
	}
}

var answeredOnScreen = regexp.MustCompile(`đã trả lời (\d+)/(\d+)`)

// TestCrashTUI kills the real TUI with SIGKILL at random moments while a
// learner answers a quiz, HOCSO_CRASH_ROUNDS times (3 by default). After every
// kill each answer the screen confirmed is stored, integrity_check is ok, and
// the restarted program resumes the attempt at the first unanswered question.
func TestCrashTUI(t *testing.T) {
	needTmux(t)
	needBinaryTests(t)
	bin := buildBinary(t)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 9))
	n := crashRounds()
	var db string
	var s *tmuxSession
	lost, kills := 0, 0
	for round := 0; round < n; round++ {
		if db == "" {
			db = filepath.Join(t.TempDir(), "hocso.db")
			s = startTmux(t, bin, db)
			s.createProfile("Nguyễn Thị Lan", "", "Hà Nội / Phường Ba Đình")
			s.send("Enter") // the first module
			s.waitFor("Bài kiểm tra · ")
			s.send("Down", "Down", "Down", "Down", "Enter")
		} else {
			s = startTmux(t, bin, db)
		}
		// A quiz with no answer stored yet has recorded nothing: it opens
		// on its start screen, where Enter starts it.
		if scr := s.waitForAny("đã trả lời ", "Bắt đầu làm bài"); !strings.Contains(scr, "đã trả lời ") {
			s.send("Enter")
		}
		scr := s.waitFor("Câu ", "đã trả lời ")
		m := answeredOnScreen.FindStringSubmatch(scr)
		stored, _, _ := storedAnswers(t, bin, db)
		if round > 0 && m[1] != strconv.Itoa(stored) {
			t.Fatalf("round %d: resumed showing %s answered; %d are stored", round, m[1], stored)
		}
		for k := rng.IntN(3); k > 0 && !strings.Contains(s.screen(), "Nộp bài để chấm điểm?"); k-- {
			s.answerCurrent()
		}
		confirmed := 0
		if m := answeredOnScreen.FindStringSubmatch(s.screen()); m != nil {
			confirmed, _ = strconv.Atoi(m[1])
		}
		if !strings.Contains(s.screen(), "Nộp bài để chấm điểm?") {
			s.send("1", "Enter") // an answer in flight when the kill comes
		}
		time.Sleep(time.Duration(rng.IntN(60)) * time.Millisecond)
		s.kill()
		kills++
		got, total, _ := storedAnswers(t, bin, db)
		if got < confirmed {
			lost += confirmed - got
			t.Errorf("round %d: the screen confirmed %d answers, %d are stored", round, confirmed, got)
		}
		assertSound(t, bin, db)
		if got >= total-1 {
			db = "" // the attempt is (nearly) done: the next round starts a fresh file
		}
	}
	t.Logf("TUI: %d SIGKILLs, %d confirmed answers lost", kills, lost)
}

// TestCrashAccessible is TestCrashTUI for accessible mode, driven through
// pipes.
func TestCrashAccessible(t *testing.T) {
	needBinaryTests(t)
	bin := buildBinary(t)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 11))
	n := crashRounds()
	var db string
	lost, kills := 0, 0
	for round := 0; round < n; round++ {
		var p *pipeSession
		var fresh string
		if db == "" {
			db = learnerDB(t)
			p = startAccessible(t, bin, db)
			fresh = p.openFirstQuiz()
		} else {
			p = startAccessible(t, bin, db)
			fresh = p.startIfAsked(p.prompt())
		}
		stored, _, _ := storedAnswers(t, bin, db)
		if m := accessibleQuestion.FindStringSubmatch(fresh); m == nil || m[1] != strconv.Itoa(stored+1) {
			t.Fatalf("round %d: %d answers stored, but the restart did not resume at question %d:\n%s", round, stored, stored+1, fresh)
		}
		confirmed := stored
		for k := rng.IntN(3); k > 0 && !strings.Contains(fresh, "Nộp bài?"); k-- {
			fresh = p.answer(fresh, 1)
			confirmed++
		}
		if !strings.Contains(fresh, "Nộp bài?") {
			p.send("1") // an answer in flight when the kill comes
		}
		time.Sleep(time.Duration(rng.IntN(60)) * time.Millisecond)
		p.kill()
		kills++
		got, total, _ := storedAnswers(t, bin, db)
		if got < confirmed {
			lost += confirmed - got
			t.Errorf("round %d: %d answers were confirmed, %d are stored", round, confirmed, got)
		}
		assertSound(t, bin, db)
		if got >= total-1 {
			db = ""
		}
	}
	t.Logf("accessible mode: %d SIGKILLs, %d confirmed answers lost", kills, lost)
}
