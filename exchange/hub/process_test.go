package hub

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"hocso/store"
	"hocso/store/pgtest"
)

// These tests run the real `hocso serve` binary.

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

func hocsoBinary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the hocso binary; skipped with -short")
	}
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "hocso-hub-test-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "hocso")
		out, err := exec.Command("go", "build", "-o", binPath, "hocso/cmd/hocso").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// hubProcess is a running `hocso serve`.
type hubProcess struct {
	cmd *exec.Cmd
	URL string
	// stored receives a value for each batch the hub logs as stored.
	stored chan struct{}
}

var listeningRE = regexp.MustCompile(`Hub listening on (\S+),`)

func startHubProcess(t testing.TB, bin, db string, extra ...string) *hubProcess {
	t.Helper()
	args := append([]string{"--lang", "en", "--db", db, "serve", "--listen", "127.0.0.1:0"}, extra...)
	cmd := exec.Command(bin, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	logs, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &hubProcess{cmd: cmd, stored: make(chan struct{}, 1000)}
	go func() {
		sc := bufio.NewScanner(logs)
		for sc.Scan() {
			if strings.Contains(sc.Text(), `msg="batch stored"`) {
				select {
				case p.stored <- struct{}{}:
				default: // nobody counts; the log must never block the hub
				}
			}
		}
	}()
	t.Cleanup(func() { p.stop() })
	line, err := bufio.NewReader(out).ReadString('\n')
	m := listeningRE.FindStringSubmatch(line)
	if err != nil || m == nil {
		t.Fatalf("hocso serve said %q, %v", line, err)
	}
	p.URL = "http://" + m[1]
	return p
}

// stop ends the process gracefully (SIGTERM) if it still runs.
func (p *hubProcess) stop() {
	if p.cmd.ProcessState == nil {
		p.cmd.Process.Signal(syscall.SIGTERM)
		p.cmd.Wait()
	}
}

func (p *hubProcess) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()
}

// Two hub processes share one PostgreSQL database: 20 clients spread over
// both, sending overlapping events, leave every event stored exactly once.
func TestTwoHubProcessesOnePostgres(t *testing.T) {
	dsn := pgtest.DSN(t)
	bin := hocsoBinary(t)
	a := startHubProcess(t, bin, dsn)
	b := startHubProcess(t, bin, dsn)
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	concurrentPushers(t, s, []string{a.URL, b.URL})
}

// syntheticEvents makes profiles and lesson events of learners in unit, fast,
// for tests and benchmarks that need many events.
func syntheticEvents(unit string, learners, perLearner int) []store.Event {
	var out []store.Event
	at := time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
	device := uuid.NewString()
	for l := range learners {
		lid := uuid.Must(uuid.NewV7()).String()
		p, _ := json.Marshal(store.ProfilePayload{FullName: fmt.Sprintf("Trần Thị %d", l), UnitPath: unit})
		out = append(out, store.Event{ID: uuid.Must(uuid.NewV7()).String(), LearnerID: lid, DeviceID: device,
			Kind: store.KindProfile, Time: at, Payload: p})
		for i := range perLearner {
			kind := store.KindLessonOpened
			if i%2 == 1 {
				kind = store.KindLessonCompleted
			}
			at = at.Add(time.Second)
			out = append(out, store.Event{ID: uuid.Must(uuid.NewV7()).String(), LearnerID: lid, DeviceID: device,
				Kind: kind, PackID: "nq52", PackVersion: "1.0.0", ItemID: fmt.Sprintf("l%d", i/2), Time: at,
				Payload: json.RawMessage(`{"module_id":"m1"}`)})
		}
	}
	return out
}

// SIGKILL of the hub while batches are being stored leaves no batch half
// stored, and after a restart the same batches sent again are all stored
// exactly once.
func TestHubKilledMidBatch(t *testing.T) {
	for name, db := range databases(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			target := db(t)
			bin := hocsoBinary(t)
			s, err := store.Open(ctx, target)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			tok, rec, _ := NewToken("Hải Phòng", "", time.Now())
			if err := s.AddHubToken(ctx, rec); err != nil {
				t.Fatal(err)
			}
			// Eight batches of 2,000 events, each learner's events in one batch.
			var batches [][]store.Event
			for range 8 {
				batches = append(batches, syntheticEvents("Hải Phòng / Xã An Hưng", 50, 39))
			}
			p := startHubProcess(t, bin, target)
			c, _ := NewClient(p.URL, tok)
			c.Attempts = 1
			var wg sync.WaitGroup
			for _, b := range batches {
				wg.Add(1)
				go func() { defer wg.Done(); c.SendBatch(ctx, b) }()
			}
			// Kill it right after it has stored its first batch, while the
			// others are being read or written.
			select {
			case <-p.stored:
			case <-time.After(time.Minute):
				t.Fatal("the hub stored no batch in a minute")
			}
			p.kill()
			wg.Wait()

			counts := batchCounts(t, s, batches)
			for i, n := range counts {
				if n != 0 && n != len(batches[i]) {
					t.Fatalf("after SIGKILL batch %d is half stored: %d of %d events", i, n, len(batches[i]))
				}
			}
			t.Logf("batches stored before the kill: %v", counts)

			// Restart and send everything again, as a device retrying would.
			p = startHubProcess(t, bin, target)
			c, _ = NewClient(p.URL, tok)
			for _, b := range batches {
				if _, err := c.SendBatch(ctx, b); err != nil {
					t.Fatal(err)
				}
			}
			for i, n := range batchCounts(t, s, batches) {
				if n != len(batches[i]) {
					t.Fatalf("after restart and retry batch %d has %d of %d events", i, n, len(batches[i]))
				}
			}
			if got, want := eventCount(t, s), 8*50*40; got != want {
				t.Fatalf("hub holds %d events; want %d, each once", got, want)
			}
		})
	}
}

// batchCounts is how many events of each batch the store holds.
func batchCounts(t testing.TB, s *store.Store, batches [][]store.Event) []int {
	have := map[string]bool{}
	for _, ev := range allEvents(t, s) {
		have[ev.ID] = true
	}
	out := make([]int, len(batches))
	for i, b := range batches {
		for _, ev := range b {
			if have[ev.ID] {
				out[i]++
			}
		}
	}
	return out
}
