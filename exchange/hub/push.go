package hub

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"hocso/store"
)

// Progress is how far a push has come, for a progress bar.
type Progress struct {
	Sent  int // events confirmed by the hub so far
	Total int // events this push sends
	// Retrying is set while a failed request waits to be tried again.
	Retrying bool
	Attempt  int
	Err      error
}

// PushResult is what a push did.
type PushResult struct {
	Sent       int `json:"sent"`       // events the hub confirmed
	New        int `json:"new"`        // of which it did not have before
	Duplicates int `json:"duplicates"` // of which it had already
	Pending    int `json:"pending"`    // events still waiting on this device
	// Conflicts counts confirmed events the hub held with other content: it
	// keeps both versions (store/conflicts.go).
	Conflicts int `json:"conflicts"`
}

// DefaultBatch is how many events a push sends per request.
const DefaultBatch = 1000

// Destination is how sync status names a hub.
func Destination(hubURL string) string {
	if u, err := url.Parse(hubURL); err == nil && u.Host != "" {
		return "hub " + u.Host
	}
	return "hub"
}

// Push sends the device's unacknowledged events to the hub in batches of
// about batch events (DefaultBatch when 0), each with the profiles of its
// learners, and acknowledges each batch once the hub has confirmed holding
// every event of it. Interrupted, it leaves the cursor after the last
// confirmed batch, so the next push resumes there. progress may be nil.
func Push(ctx context.Context, s *store.Store, c *Client, batch int, progress func(Progress)) (PushResult, error) {
	var res PushResult
	if batch <= 0 {
		batch = DefaultBatch
	}
	report := func(p Progress) {
		if progress != nil {
			progress(p)
		}
	}
	plan, err := s.PlanExport(ctx, false)
	if err != nil {
		return res, err
	}
	dest := Destination(c.URL)
	if err := s.NoteExport(ctx, dest, plan); err != nil {
		return res, err
	}
	onRetry := c.OnRetry
	defer func() { c.OnRetry = onRetry }()
	c.OnRetry = func(attempt int, wait time.Duration, err error) {
		report(Progress{Sent: res.Sent, Total: plan.Events, Retrying: true, Attempt: attempt, Err: err})
		if onRetry != nil {
			onRetry(attempt, wait, err)
		}
	}
	report(Progress{Total: plan.Events})
	for from := plan.FromSeq; from < plan.ToSeq; {
		to := min(from+int64(batch), plan.ToSeq)
		sent, err := pushRange(ctx, s, c, dest, plan.DeviceID, from, to, &res)
		var ae *APIError
		if errors.As(err, &ae) && ae.Status == http.StatusRequestEntityTooLarge && to-from > 1 {
			batch = max(1, batch/2) // the hub takes smaller batches: halve and go on
			continue
		}
		if err != nil {
			return res, err
		}
		res.Sent += sent
		report(Progress{Sent: res.Sent, Total: plan.Events})
		from = to
	}
	st, err := s.SyncStatus(ctx)
	res.Pending = st.Pending
	return res, err
}

// pushRange sends the events with seq in (from, to] and acknowledges them.
func pushRange(ctx context.Context, s *store.Store, c *Client, dest, device string, from, to int64, res *PushResult) (int, error) {
	var evs []store.Event
	var ids []string // the range's own events, which the ack covers
	r := store.ExportRange{DeviceID: device, FromSeq: from, ToSeq: to}
	err := s.ExportEvents(ctx, r, func(seq int64, ev store.Event) error {
		evs = append(evs, ev)
		if seq > from {
			ids = append(ids, ev.ID)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if len(ids) == 0 { // a gap in the sequence: nothing to send, only the cursor to move
		_, err := s.Acknowledge(ctx, store.Ack{Destination: dest, DeviceID: device, FromSeq: from, ToSeq: to})
		return 0, err
	}
	reply, err := c.SendBatch(ctx, evs)
	if err != nil {
		return 0, err
	}
	confirmed := make(map[string]bool, len(reply.Stored))
	for _, id := range reply.Stored {
		confirmed[id] = true
	}
	for _, id := range ids {
		if !confirmed[id] {
			return 0, fmt.Errorf("the hub did not confirm event %s; nothing of this batch is marked sent", id)
		}
	}
	if _, err := s.Acknowledge(ctx, store.Ack{Destination: dest, DeviceID: device, FromSeq: from, ToSeq: to, Count: len(ids)}); err != nil {
		return 0, err
	}
	res.New += reply.New
	res.Duplicates += reply.Duplicates
	res.Conflicts += len(reply.Conflicts)
	return len(ids), nil
}

// Pull brings every event the hub holds for a learner into the store, so that
// the learner can go on from where they were on another PC.
func Pull(ctx context.Context, s *store.Store, c *Client, learnerID string) (store.ImportResult, error) {
	evs, err := c.Pull(ctx, learnerID)
	if err != nil {
		return store.ImportResult{}, err
	}
	return s.ImportEvents(ctx, func(yield func(store.Event, error) bool) {
		for _, ev := range evs {
			if !yield(ev, nil) {
				return
			}
		}
	})
}
