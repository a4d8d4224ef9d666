package hub

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"hocso/store"
)

// FuzzPostEvents sends arbitrary bodies to the events handler. Whatever the
// body, the hub answers 200, 400, 403 or 413, never fails, and after a 200
// holds every event it confirmed.
func FuzzPostEvents(f *testing.F) {
	dev := device(f, "Hà Nội / Phường Ba Đình", 1, 9)
	evs := allEvents(f, dev)
	f.Add(lines(f, evs))
	f.Add(lines(f, evs[:1]))
	f.Add(lines(f, evs[1:3])) // no profile in the batch
	f.Add([]byte(`{"id":"0190b0a0-0000-7000-8000-000000000000","learner_id":"x","kind":"lesson.opened","time":"2026-01-01T00:00:00Z","payload":[]}`))
	f.Add([]byte(`{"id":"0190b0a0-0000-7000-8000-000000000001","learner_id":"x","kind":"learner.profile","time":"2026-01-01T00:00:00Z","payload":{"unit_path":"Hà Nội"}}` + "\n" +
		`{"id":"0190b0a0-0000-7000-8000-000000000002","learner_id":"x","kind":"quiz.answered","time":"2026-01-01T00:00:01Z","payload":{"attempt_id":1}}`))
	f.Add([]byte("\n\n"))
	f.Add([]byte(`{"id":`))
	s, err := store.Open(context.Background(), filepath.Join(f.TempDir(), "hub.db"))
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	tok, rec, _ := NewToken("Hà Nội", "", time.Now())
	if err := s.AddHubToken(context.Background(), rec); err != nil {
		f.Fatal(err)
	}
	limits := DefaultLimits
	limits.Rate = 0
	h := NewServer(s, nil, limits).Handler()
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/events", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		switch w.Code {
		case http.StatusOK:
			var reply BatchReply
			if err := jsonDecode(w.Body, &reply); err != nil {
				t.Fatalf("200 with body %q: %v", w.Body, err)
			}
			have := map[string]bool{}
			for _, ev := range allEvents(t, s) {
				have[ev.ID] = true
			}
			for _, id := range reply.Stored {
				if !have[id] {
					t.Fatalf("hub confirmed %s but does not hold it", id)
				}
			}
		case http.StatusBadRequest, http.StatusForbidden, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("status %d for body %q: %s", w.Code, body, w.Body)
		}
	})
}

// FuzzReadBatch fuzzes the request reading alone (gzip or not, limits, event
// checks), without a database, so that it runs many more inputs per second
// than FuzzPostEvents: every body yields events that pass the checks, or an
// error, never a panic; and an accepted event survives a round trip.
func FuzzReadBatch(f *testing.F) {
	evs := allEvents(f, device(f, "Hà Nội / Phường Ba Đình", 1, 9))
	f.Add(lines(f, evs), false)
	f.Add(gzipped(lines(f, evs[:2])), true)
	f.Add([]byte(`{"id":"0190b0a0-0000-7000-8000-000000000000","learner_id":"x","kind":"k","time":"2026-01-01T00:00:00Z"}`), false)
	f.Add([]byte("\x1f\x8b\x08\x00"), true)
	limits := DefaultLimits
	limits.MaxBody, limits.MaxDecoded, limits.MaxEvents = 64<<10, 256<<10, 100
	srv := NewServer(nil, nil, limits)
	f.Fuzz(func(t *testing.T, body []byte, gz bool) {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/events", bytes.NewReader(body))
		if gz {
			req.Header.Set("Content-Encoding", "gzip")
		}
		got, err := srv.readBatch(httptest.NewRecorder(), req)
		if err != nil {
			return
		}
		if len(got) == 0 || len(got) > limits.MaxEvents {
			t.Fatalf("%d events accepted; limits allow 1..%d", len(got), limits.MaxEvents)
		}
		for _, ev := range got {
			b, _ := json.Marshal(ev)
			if _, err := decodeEvent(b); err != nil {
				t.Fatalf("accepted event does not survive a round trip: %v\n%s", err, b)
			}
		}
	})
}

func gzipped(b []byte) []byte {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(b)
	zw.Close()
	return out.Bytes()
}
