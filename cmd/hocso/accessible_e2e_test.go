package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// pipeSession is the real hocso binary in accessible mode, driven through
// pipes as a screen-reader user's terminal would be: it types a line when
// the program waits at a prompt, and reads what it printed.
type pipeSession struct {
	t     *testing.T
	cmd   *exec.Cmd
	stdin io.WriteCloser
	mu    sync.Mutex
	out   bytes.Buffer
	seen  int // output before this offset was already acted on
	done  chan struct{}
}

func startAccessible(t *testing.T, bin, db string) *pipeSession {
	t.Helper()
	p := &pipeSession{t: t, done: make(chan struct{})}
	p.cmd = exec.Command(bin, "--accessible")
	p.cmd.Env = append(os.Environ(), "HOCSO_DB="+db, "HOCSO_LANG=vi", "LANG=C.UTF-8")
	var err error
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stderr = p.writer()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		io.Copy(p.writer(), stdout)
		p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() { p.cmd.Process.Kill() })
	return p
}

type lockedWriter struct{ p *pipeSession }

func (w lockedWriter) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	return w.p.out.Write(b)
}

func (p *pipeSession) writer() io.Writer { return lockedWriter{p} }

func (p *pipeSession) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// prompt waits until the program, having printed something new, waits at a
// prompt (its output ends in ": " and stays so), and returns the new output.
func (p *pipeSession) prompt() string {
	p.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	last := ""
	for {
		out := p.output()
		if len(out) > p.seen && strings.HasSuffix(out, ": ") && out == last {
			fresh := out[p.seen:]
			p.seen = len(out)
			return fresh
		}
		select {
		case <-p.done:
			p.t.Fatalf("hocso ended while a prompt was expected:\n%s", p.output()[p.seen:])
		default:
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("no prompt came:\n%s", out[p.seen:])
		}
		last = out
		time.Sleep(30 * time.Millisecond)
	}
}

func (p *pipeSession) send(line string) {
	p.t.Helper()
	if _, err := io.WriteString(p.stdin, line+"\n"); err != nil {
		p.t.Fatalf("typing %q: %v", line, err)
	}
}

// quit closes the input, as Ctrl+D would, and returns the whole output once
// the program has ended.
func (p *pipeSession) quit() string {
	p.t.Helper()
	p.stdin.Close()
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		p.t.Fatalf("hocso did not end after its input did:\n%s", p.output())
	}
	return p.output()
}

func (p *pipeSession) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

var (
	accessibleQuestion = regexp.MustCompile(`Câu (\d+)/(\d+)\.`)
	orderCount         = regexp.MustCompile(`Xin gõ đủ (\d+) số`)
)

// openFirstQuiz goes from the dashboard to the first module's quiz and
// returns the output up to its first prompt there.
func (p *pipeSession) openFirstQuiz() string {
	p.t.Helper()
	p.prompt()
	p.send("1") // the first module
	p.prompt()
	p.send("5") // its quiz, after its four lessons
	return p.startIfAsked(p.prompt())
}

// startIfAsked answers a quiz's start screen, if fresh ends with one, by
// choosing its first item (start the attempt), and returns the next prompt.
func (p *pipeSession) startIfAsked(fresh string) string {
	p.t.Helper()
	if strings.Contains(fresh, "Bắt đầu làm bài") || strings.Contains(fresh, "Bắt đầu lượt") {
		p.send("1")
		return p.prompt()
	}
	return fresh
}

// answer types an answer to the question the output ends with: choice
// number pick for choices and matching, the items in order (rotated by
// pick-1) for ordering, pick as text otherwise. It returns the output up to
// the next prompt.
func (p *pipeSession) answer(fresh string, pick int) string {
	p.t.Helper()
	for {
		switch {
		case strings.Contains(fresh, "Nộp bài? (c/k):"):
			return fresh
		case strings.HasSuffix(fresh, "theo đúng thứ tự, cách nhau bằng dấu cách hoặc dấu phẩy: "):
			p.send("1") // asks again, saying how many items there are
			fresh = p.prompt()
			m := orderCount.FindStringSubmatch(fresh)
			if m == nil {
				p.t.Fatalf("ordering question without a count:\n%s", fresh)
			}
			n, _ := strconv.Atoi(m[1])
			var items []string
			for i := 0; i < n; i++ {
				items = append(items, fmt.Sprint((i+pick-1)%n+1))
			}
			p.send(strings.Join(items, " "))
		default:
			p.send(fmt.Sprint(pick))
		}
		next := p.prompt()
		if !strings.Contains(next, "ghép với mục số") || accessibleQuestion.MatchString(next) ||
			strings.Contains(next, "Nộp bài?") {
			return next
		}
		fresh = next // the next item of a matching question
	}
}

// answerAll answers every question up to the submit prompt.
func (p *pipeSession) answerAll(fresh string, pick int) {
	p.t.Helper()
	for i := 0; !strings.Contains(fresh, "Nộp bài? (c/k):"); i++ {
		if i > 200 {
			p.t.Fatalf("the quiz never reached its end:\n%s", p.output())
		}
		fresh = p.answer(fresh, pick)
	}
}
