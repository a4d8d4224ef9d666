package hub

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"hocso/store"
)

// FuzzPostEvents sends arbitrary bodies to a real `hocso serve` on loopback.
// Whatever the body, the hub answers 200, 400, 403 or 413, never fails; it
// accepts exactly the bodies its reader accepts; and after a 200 it holds,
// for pulls, every event it confirmed.
//
// The hub and its SQLite database run in their own process, built without
// the fuzzer's coverage instrumentation. In the fuzzing process the SQLite
// engine's coverage changed with every insert (the file grows, its b-trees
// split), so nearly every input looked new and was minimised for a minute:
// fuzzing stalled after ten runs. Guidance now comes from the hub's own
// request reader, run here on the same body.
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
	bin := hocsoBinary(f)
	db := filepath.Join(f.TempDir(), "hub.db")
	s, err := store.Open(context.Background(), db)
	if err != nil {
		f.Fatal(err)
	}
	tok, rec, _ := NewToken("Hà Nội", "", time.Now())
	err = s.AddHubToken(context.Background(), rec)
	s.Close()
	if err != nil {
		f.Fatal(err)
	}
	hub := startHubProcess(f, bin, db, "--rate", "0")
	client, err := NewClient(hub.URL, tok)
	if err != nil {
		f.Fatal(err)
	}
	client.Attempts = 1
	reader := NewServer(nil, nil, DefaultLimits)
	confirmed := map[string]string{} // event id → learner, of every 200 so far
	f.Fuzz(func(t *testing.T, body []byte) {
		sent, readErr := reader.readBatch(httptest.NewRecorder(),
			httptest.NewRequest(http.MethodPost, "/api/v1/events", bytes.NewReader(body)))
		status, reply := postBody(t, hub.URL, tok, body)
		switch status {
		case http.StatusOK:
			if readErr != nil {
				t.Fatalf("hub stored a body its reader refuses (%v): %q", readErr, body)
			}
			// An id the hub already held came with its first learner: a
			// later event reusing it is a duplicate, whatever it says.
			learners := batchLearners(sent)
			for _, id := range reply.Stored {
				if l, ok := confirmed[id]; ok && !slices.Contains(learners, l) {
					learners = append(learners, l)
				}
			}
			have := map[string]string{}
			for _, id := range learners {
				pulled, err := client.Pull(context.Background(), id)
				if isStatus(err, http.StatusNotFound) {
					continue // all its events were duplicates of another learner's ids
				}
				if err != nil {
					t.Fatalf("pull %s after a 200: %v", id, err)
				}
				for _, ev := range pulled {
					have[ev.ID] = ev.LearnerID
				}
			}
			for _, id := range reply.Stored {
				if _, ok := have[id]; !ok {
					t.Fatalf("hub confirmed %s but does not hold it", id)
				}
				confirmed[id] = have[id]
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			if readErr == nil {
				t.Fatalf("status %d for a body the reader accepts: %q", status, body)
			}
		case http.StatusForbidden:
		default:
			t.Fatalf("status %d for body %q", status, body)
		}
	})
}

// postBody posts a plain body of event lines and reads a 200's reply.
func postBody(t *testing.T, url, token string, body []byte) (int, BatchReply) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/api/v1/events", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var reply BatchReply
	if resp.StatusCode == http.StatusOK {
		if err := jsonDecode(resp.Body, &reply); err != nil {
			t.Fatalf("200 with a reply that is not JSON: %v", err)
		}
	}
	return resp.StatusCode, reply
}

// batchLearners lists the learners of a batch once each.
func batchLearners(evs []store.Event) []string {
	var ids []string
	for _, ev := range evs {
		if !slices.Contains(ids, ev.LearnerID) {
			ids = append(ids, ev.LearnerID)
		}
	}
	return ids
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
