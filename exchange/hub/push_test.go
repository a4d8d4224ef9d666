package hub

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"hocso/store"
)

func pending(t testing.TB, s *store.Store) int {
	t.Helper()
	st, err := s.SyncStatus(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st.Pending
}

func TestPushSendsEverythingOnceAndResumes(t *testing.T) {
	ctx := context.Background()
	h := startHub(t, filepath.Join(t.TempDir(), "hub.db"), DefaultLimits)
	tok := h.token(t, "Đà Nẵng")
	dev := device(t, "Đà Nẵng / Phường Hải Châu", 3, 4)
	total := pending(t, dev)

	// A connection that fails after three batches: the push stops with an
	// error, and what was confirmed stays confirmed.
	var calls atomic.Int32
	flaky := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) > 3 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		forward(t, w, r, h.URL)
	}))
	defer flaky.Close()
	c, _ := NewClient(flaky.URL, tok)
	c.Attempts, c.Backoff = 2, time.Millisecond
	var seen []Progress
	res, err := Push(ctx, dev, c, 10, func(p Progress) { seen = append(seen, p) })
	if err == nil {
		t.Fatal("push through a failing connection returned nil")
	}
	if res.Sent != 30 || pending(t, dev) != total-30 {
		t.Fatalf("after 3 confirmed batches of 10: sent %d, pending %d of %d", res.Sent, pending(t, dev), total)
	}
	if !seen[len(seen)-1].Retrying {
		t.Fatalf("progress did not report the retry: %+v", seen[len(seen)-1])
	}

	// Again, on a good connection: it resumes after the confirmed batches.
	res, err = Push(ctx, dev, h.client(t, tok), 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != total-30 || res.Pending != 0 || pending(t, dev) != 0 {
		t.Fatalf("resumed push = %+v, pending %d; want the other %d sent and 0 pending", res, pending(t, dev), total-30)
	}
	if got := eventCount(t, h.Store); got != total {
		t.Fatalf("hub holds %d events; want %d", got, total)
	}
	if a, b := modelOf(t, dev), modelOf(t, h.Store); a != b {
		t.Fatalf("hub read model differs from the device's:\ndevice\n%s\nhub\n%s", a, b)
	}
	// Nothing left: a further push sends nothing.
	if res, err := Push(ctx, dev, h.client(t, tok), 10, nil); err != nil || res.Sent != 0 {
		t.Fatalf("push with nothing pending = %+v, %v", res, err)
	}
}

// A hub that confirms less than it was sent gets nothing of that batch
// acknowledged.
func TestPushAcknowledgesOnlyWhatTheHubConfirmed(t *testing.T) {
	ctx := context.Background()
	h := startHub(t, filepath.Join(t.TempDir(), "hub.db"), DefaultLimits)
	tok := h.token(t, "Đà Nẵng")
	dev := device(t, "Đà Nẵng / Phường Hải Châu", 1, 5)
	total := pending(t, dev)
	forgetful := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		forward(t, rec, r, h.URL)
		var reply BatchReply
		json.Unmarshal(rec.Body.Bytes(), &reply)
		reply.Stored = reply.Stored[1:]
		json.NewEncoder(w).Encode(reply)
	}))
	defer forgetful.Close()
	c, _ := NewClient(forgetful.URL, tok)
	if _, err := Push(ctx, dev, c, 1000, nil); err == nil {
		t.Fatal("push to a hub that confirmed less returned nil")
	}
	if got := pending(t, dev); got != total {
		t.Fatalf("pending = %d after an unconfirmed batch; want all %d still pending", got, total)
	}
}

func TestPullLetsALearnerGoOnElsewhere(t *testing.T) {
	ctx := context.Background()
	h := startHub(t, filepath.Join(t.TempDir(), "hub.db"), DefaultLimits)
	tok := h.token(t, "Cần Thơ")
	first := device(t, "Cần Thơ / Phường Ninh Kiều", 2, 6)
	if _, err := Push(ctx, first, h.client(t, tok), 0, nil); err != nil {
		t.Fatal(err)
	}
	ls, _ := first.Learners(ctx)
	other, err := store.Open(ctx, filepath.Join(t.TempDir(), "other.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	res, err := Pull(ctx, other, h.client(t, tok), ls[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.New == 0 {
		t.Fatal("pull brought nothing")
	}
	a, _ := first.Attempts(ctx, ls[0].ID, "nq52", "")
	b, _ := other.Attempts(ctx, ls[0].ID, "nq52", "")
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("attempts on the other PC: %d; want %d", len(b), len(a))
	}
	if l, err := other.Learner(ctx, ls[0].ID); err != nil || l.FullName != ls[0].FullName {
		t.Fatalf("learner on the other PC = %+v, %v", l, err)
	}
	// Another unit's token cannot pull them; an unknown learner is 404.
	if _, err := h.client(t, h.token(t, "Huế")).Pull(ctx, ls[0].ID); !isStatus(err, http.StatusForbidden) {
		t.Fatalf("pull with another unit's token = %v; want 403", err)
	}
	if _, err := h.client(t, tok).Pull(ctx, "nobody"); !isStatus(err, http.StatusNotFound) {
		t.Fatalf("pull of an unknown learner = %v; want 404", err)
	}
}

// forward passes a request on to the hub at base and copies the answer.
func forward(t testing.TB, w http.ResponseWriter, r *http.Request, base string) {
	body, _ := io.ReadAll(r.Body)
	req, _ := http.NewRequestWithContext(r.Context(), r.Method, base+r.URL.RequestURI(), bytes.NewReader(body))
	req.Header = r.Header.Clone()
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}
