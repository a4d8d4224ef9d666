package hub

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"hocso/store"
	"hocso/store/pgtest"
)

// testHub is a hub serving on a real loopback socket.
type testHub struct {
	URL   string
	Store *store.Store
}

// startHub serves a hub on target (a SQLite path or a postgres:// DSN) until
// the test ends.
func startHub(t testing.TB, target string, limits Limits) *testHub {
	t.Helper()
	s, err := store.Open(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, ListenConfig{Addr: "127.0.0.1:0", Ready: func(a net.Addr) { addr <- a }},
			NewServer(s, nil, limits).Handler(), slogDiscard())
	}()
	var a net.Addr
	select {
	case a = <-addr:
	case err := <-done:
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("hub stopped with %v", err)
		}
		s.Close()
	})
	return &testHub{URL: "http://" + a.String(), Store: s}
}

// token makes a token of unit on the hub.
func (h *testHub) token(t testing.TB, unit string) string {
	t.Helper()
	tok, rec, err := NewToken(unit, "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Store.AddHubToken(context.Background(), rec); err != nil {
		t.Fatal(err)
	}
	return tok
}

func (h *testHub) client(t testing.TB, token string) *Client {
	t.Helper()
	c, err := NewClient(h.URL, token)
	if err != nil {
		t.Fatal(err)
	}
	c.Attempts, c.Backoff = 1, time.Millisecond
	return c
}

// databases are the hub databases this machine can test: a SQLite file, and
// PostgreSQL when HOCSO_TEST_POSTGRES names a server.
func databases(t *testing.T) map[string]func(t *testing.T) string {
	out := map[string]func(t *testing.T) string{
		"sqlite": func(t *testing.T) string { return filepath.Join(t.TempDir(), "hub.db") },
	}
	if pgtest.Configured() {
		out["postgres"] = func(t *testing.T) string { return pgtest.DSN(t) }
	} else {
		t.Logf("PostgreSQL runs skipped: %s is not set (bash .ci/postgres starts a server)", pgtest.EnvVar)
	}
	return out
}

// device makes a device database whose learners live in unit and have
// learned a little, and returns it.
func device(t testing.TB, unit string, learners int, seed uint64) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "device.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	rng := rand.New(rand.NewPCG(seed, 7))
	pack := store.PackRef{ID: "nq52", Version: "1.0.0", Hash: "sha256:x"}
	check := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := range learners {
		l, err := s.CreateLearner(ctx, store.ProfilePayload{FullName: fmt.Sprintf("Nguyễn Văn %d", i), UnitPath: unit})
		check(err)
		for m := range 2 {
			mod := fmt.Sprintf("m%d", m)
			for les := range 3 {
				check(s.OpenLesson(ctx, l.ID, pack, mod, fmt.Sprintf("%s-l%d", mod, les)))
				check(s.CompleteLesson(ctx, l.ID, pack, mod, fmt.Sprintf("%s-l%d", mod, les)))
			}
			a, err := s.StartAttempt(ctx, l.ID, pack, mod, mod+"-quiz", rng.Int64(), []string{"q1", "q2", "q3"}, 0.7)
			check(err)
			for _, q := range a.QuestionIDs {
				check(s.RecordAnswer(ctx, a, pack, q, store.AnsweredPayload{QuestionHash: "h", Answer: json.RawMessage(`{"choices":["a"]}`),
					Score: float64(rng.IntN(2)), MaxScore: 1}))
			}
			_, err = s.SubmitAttempt(ctx, a, pack, 3)
			check(err)
		}
	}
	return s
}

func allEvents(t testing.TB, s *store.Store) []store.Event {
	t.Helper()
	evs, err := s.Events(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// post sends a raw body and returns the status.
func post(t testing.TB, url, token string, body []byte, gz bool) (int, http.Header) {
	t.Helper()
	if gz {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(body)
		zw.Close()
		body = b.Bytes()
	}
	req, _ := http.NewRequest(http.MethodPost, url+"/api/v1/events", bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if gz {
		req.Header.Set("Content-Encoding", "gzip")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header
}

func lines(t testing.TB, evs []store.Event) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, ev := range evs {
		if err := enc.Encode(ev); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

func eventCount(t testing.TB, s *store.Store) int {
	return len(allEvents(t, s))
}

func TestRefusals(t *testing.T) {
	for name, db := range databases(t) {
		t.Run(name, func(t *testing.T) {
			limits := DefaultLimits
			limits.MaxBody, limits.MaxDecoded = 64<<10, 256<<10
			h := startHub(t, db(t), limits)
			good := h.token(t, "Hà Nội")
			revoked := h.token(t, "Hà Nội")
			id, _ := tokenID(revoked)
			if err := h.Store.RevokeHubToken(context.Background(), id); err != nil {
				t.Fatal(err)
			}
			other := h.token(t, "Huế")
			evs := allEvents(t, device(t, "Hà Nội / Phường Ba Đình / UBND phường", 1, 1))
			body := lines(t, evs)

			for _, tc := range []struct {
				name, token string
				want        int
			}{
				{"no token", "", http.StatusUnauthorized},
				{"malformed token", "hello", http.StatusUnauthorized},
				{"wrong secret", good[:len(good)-3] + "AAA", http.StatusUnauthorized},
				{"revoked", revoked, http.StatusUnauthorized},
				{"another unit", other, http.StatusForbidden},
			} {
				if got, _ := post(t, h.URL, tc.token, body, true); got != tc.want {
					t.Errorf("%s: status %d; want %d", tc.name, got, tc.want)
				}
			}
			if n := eventCount(t, h.Store); n != 0 {
				t.Fatalf("%d events stored by refused requests", n)
			}

			// Too large: as sent, and once unpacked (a gzip bomb).
			big := bytes.Repeat([]byte(" "), 128<<10)
			if got, _ := post(t, h.URL, good, big, false); got != http.StatusRequestEntityTooLarge {
				t.Errorf("oversized body: status %d; want 413", got)
			}
			bomb := append(bytes.Repeat([]byte("\n"), 1<<20), body...)
			if got, _ := post(t, h.URL, good, bomb, true); got != http.StatusRequestEntityTooLarge {
				t.Errorf("body past the unpacked limit: status %d; want 413", got)
			}
			if got, _ := post(t, h.URL, good, []byte(`{"id":"x"}`+"\n"), true); got != http.StatusBadRequest {
				t.Errorf("malformed event: status %d; want 400", got)
			}
			// Text PostgreSQL cannot hold is refused on both databases, as a
			// bad request rather than a failure of the hub.
			for name, spoil := range map[string]func(*store.Event){
				"NUL in a field":     func(ev *store.Event) { ev.ItemID = "câu\x00hỏi" },
				"NUL in the payload": func(ev *store.Event) { ev.Payload = json.RawMessage(`{"module_id":"m\u0000"}`) },
			} {
				bad := slices.Clone(evs)
				spoil(&bad[len(bad)-1])
				if got, _ := post(t, h.URL, good, lines(t, bad), true); got != http.StatusBadRequest {
					t.Errorf("%s: status %d; want 400", name, got)
				}
			}
			if n := eventCount(t, h.Store); n != 0 {
				t.Fatalf("%d events stored by refused requests", n)
			}

			// The right unit, at a level above the learner's, is accepted.
			reply, err := h.client(t, good).SendBatch(context.Background(), evs)
			if err != nil || len(reply.Stored) != len(evs) || reply.New != len(evs) {
				t.Fatalf("SendBatch = %+v, %v; want all %d stored", reply, err, len(evs))
			}
		})
	}
}

// A learner's unit is checked against every unit the hub knows for them: a
// token cannot move a stored learner in or out of its unit, and cannot send
// events of a learner whose profile neither the hub nor the batch holds.
func TestUnitOfLearner(t *testing.T) {
	h := startHub(t, filepath.Join(t.TempDir(), "hub.db"), DefaultLimits)
	ctx := context.Background()
	hn := h.client(t, h.token(t, "Hà Nội"))
	hue := h.client(t, h.token(t, "Huế"))
	dev := device(t, "Hà Nội / Phường Hoàn Kiếm", 1, 2)
	evs := allEvents(t, dev)
	if _, err := hn.SendBatch(ctx, evs); err != nil {
		t.Fatal(err)
	}
	learner := evs[0].LearnerID
	// Huế's token moving the learner to Huế: refused, the learner is Hà Nội's.
	move, _ := dev.NewEvent(store.KindProfile, learner, store.ProfilePayload{FullName: "X", UnitPath: "Huế / Phường Thuận Hóa"})
	if _, err := hue.SendBatch(ctx, []store.Event{move}); !isStatus(err, http.StatusForbidden) {
		t.Fatalf("moving another unit's learner = %v; want 403", err)
	}
	// Hà Nội's token moving them out to Huế: refused too.
	if _, err := hn.SendBatch(ctx, []store.Event{move}); !isStatus(err, http.StatusForbidden) {
		t.Fatalf("moving a learner out of the unit = %v; want 403", err)
	}
	// No profile anywhere: refused.
	stray, _ := dev.NewEvent(store.KindLessonOpened, "no-such-learner", store.LessonPayload{ModuleID: "m"})
	if _, err := hn.SendBatch(ctx, []store.Event{stray}); !isStatus(err, http.StatusForbidden) {
		t.Fatalf("learner without a profile = %v; want 403", err)
	}
	// "Hà Nội" does not cover "Hà Nội Mới".
	if UnitCovers("Hà Nội", "Hà Nội Mới / Xã A") || !UnitCovers("hà nội/ phường a", "Hà Nội / Phường A / UBND") {
		t.Fatal("UnitCovers compares whole levels, ignoring case and spacing")
	}
}

func isStatus(err error, status int) bool {
	ae, ok := err.(*APIError)
	return ok && ae.Status == status
}

func TestFloodingIsRateLimited(t *testing.T) {
	limits := DefaultLimits
	limits.Rate, limits.Burst = 2, 3
	h := startHub(t, filepath.Join(t.TempDir(), "hub.db"), limits)
	tok := h.token(t, "Hà Nội")
	body := lines(t, allEvents(t, device(t, "Hà Nội / Xã A", 1, 3)))
	limited := 0
	for range 20 {
		status, hdr := post(t, h.URL, tok, body, true)
		if status == http.StatusTooManyRequests {
			limited++
			if hdr.Get("Retry-After") == "" {
				t.Fatal("429 without Retry-After")
			}
		} else if status != http.StatusOK {
			t.Fatalf("status %d", status)
		}
	}
	if limited < 10 {
		t.Fatalf("%d of 20 rapid requests were limited; want most", limited)
	}
	// Another token has its own allowance.
	if status, _ := post(t, h.URL, h.token(t, "Hà Nội"), body, true); status != http.StatusOK {
		t.Fatalf("a second token's first request: %d", status)
	}
}

// Twenty devices push at once, each also sending events the others send; the
// hub holds every event exactly once and the read model of one import.
func TestConcurrentPushersOverlapping(t *testing.T) {
	for name, db := range databases(t) {
		t.Run(name, func(t *testing.T) {
			h := startHub(t, db(t), DefaultLimits)
			concurrentPushers(t, h.Store, []string{h.URL})
		})
	}
}

// concurrentPushers runs 20 clients, each with its own token, against the
// hub URLs in turn; every client sends all the events of four devices in its
// own random batches and order, each batch with its learners' profiles, as
// devices do. hubStore is the hubs' database.
func concurrentPushers(t *testing.T, hubStore *store.Store, urls []string) {
	ctx := context.Background()
	var pool []store.Event
	for d := range 4 {
		pool = append(pool, allEvents(t, device(t, "Hà Nội / Phường "+fmt.Sprint(d), 3, uint64(d)))...)
	}
	profiles := map[string][]store.Event{}
	for _, ev := range pool {
		if ev.Kind == store.KindProfile {
			profiles[ev.LearnerID] = append(profiles[ev.LearnerID], ev)
		}
	}
	want, err := store.Open(ctx, filepath.Join(t.TempDir(), "want.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer want.Close()
	if _, err := want.Ingest(ctx, pool, nil); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	stored := 0
	for i := range 20 {
		tok, rec, _ := NewToken("Hà Nội", fmt.Sprint("pusher ", i), time.Now())
		if err := hubStore.AddHubToken(ctx, rec); err != nil {
			t.Fatal(err)
		}
		c, _ := NewClient(urls[i%len(urls)], tok)
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 20))
			evs := slices.Clone(pool)
			rng.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
			for len(evs) > 0 {
				n := min(len(evs), 1+rng.IntN(120))
				batch := withProfiles(evs[:n], profiles)
				reply, err := c.SendBatch(ctx, batch)
				if err != nil {
					t.Error(err)
					return
				}
				if len(reply.Stored) != len(uniqueIDs(batch)) {
					t.Errorf("hub confirmed %d of %d events", len(reply.Stored), len(uniqueIDs(batch)))
				}
				mu.Lock()
				stored += reply.New
				mu.Unlock()
				evs = evs[n:]
			}
		}()
	}
	wg.Wait()
	if stored != len(pool) {
		t.Errorf("the hub reported %d new events over all batches; want %d (each once)", stored, len(pool))
	}
	got := allEvents(t, hubStore)
	if a, b := uniqueIDs(got), uniqueIDs(pool); len(got) != len(pool) || !slices.Equal(a, b) {
		t.Fatalf("hub holds %d events (%d distinct); want the %d sent, each once", len(got), len(a), len(b))
	}
	if w, g := modelOf(t, want), modelOf(t, hubStore); w != g {
		t.Fatalf("hub read model differs from one import:\nwant\n%s\ngot\n%s", w, g)
	}
}

func withProfiles(evs []store.Event, profiles map[string][]store.Event) []store.Event {
	seen := map[string]bool{}
	var out []store.Event
	for _, ev := range evs {
		if !seen[ev.LearnerID] {
			seen[ev.LearnerID] = true
			out = append(out, profiles[ev.LearnerID]...)
		}
	}
	return append(out, evs...)
}

func uniqueIDs(evs []store.Event) []string {
	ids := make([]string, len(evs))
	for i, ev := range evs {
		ids[i] = ev.ID
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// modelOf is a store's read model through its public API, as text.
func modelOf(t testing.TB, s *store.Store) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	ls, err := s.Learners(ctx)
	if err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(&b)
	for _, l := range ls {
		lessons, err1 := s.Lessons(ctx, l.ID, "nq52")
		attempts, err2 := s.Attempts(ctx, l.ID, "nq52", "")
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		enc.Encode(l)
		enc.Encode(lessons)
		for _, a := range attempts {
			ans, err := s.Answers(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			enc.Encode(a)
			enc.Encode(ans)
		}
	}
	return b.String()
}

func slogDiscard() *slog.Logger { return slog.New(slog.DiscardHandler) }

func pgDSN(tb testing.TB) string { return pgtest.DSN(tb) }

func jsonDecode(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }

// An event sent again with other content is confirmed (the device must not
// be stopped at it for ever) and named as a conflict; the hub keeps both
// versions (store/conflicts.go).
func TestConflictingCopyIsNamed(t *testing.T) {
	for name, db := range databases(t) {
		t.Run(name, func(t *testing.T) {
			h := startHub(t, db(t), DefaultLimits)
			c := h.client(t, h.token(t, "Hà Nội"))
			evs := allEvents(t, device(t, "Hà Nội / Phường Ba Đình / UBND phường", 1, 1))
			ctx := context.Background()
			if _, err := c.SendBatch(ctx, evs); err != nil {
				t.Fatal(err)
			}
			alt := evs[len(evs)-1]
			alt.ItemID += "-sửa"
			reply, err := c.SendBatch(ctx, []store.Event{alt, evs[0]})
			if err != nil || len(reply.Stored) != 2 || !slices.Equal(reply.Conflicts, []string{alt.ID}) {
				t.Fatalf("SendBatch = %+v, %v; want both stored and %s named as a conflict", reply, err, alt.ID)
			}
		})
	}
}
