package hub

import (
	"context"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"hocso/store"
)

// Stopping the hub (SIGINT/SIGTERM cancel Serve's context) lets a batch that
// is being stored finish and be answered before Serve returns.
func TestShutdownFinishesBatchesInFlight(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tok, rec, _ := NewToken("Hà Nội", "", time.Now())
	if err := s.AddHubToken(ctx, rec); err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{}, 1)
	h := NewServer(s, nil, DefaultLimits).Handler()
	wrapped := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		h.ServeHTTP(w, r)
	})
	serveCtx, stop := context.WithCancel(ctx)
	addr := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- Serve(serveCtx, ListenConfig{Addr: "127.0.0.1:0", Ready: func(a net.Addr) { addr <- a }}, wrapped, slogDiscard())
	}()
	c, _ := NewClient("http://"+(<-addr).String(), tok)
	c.Attempts = 1
	batch := syntheticEvents("Hà Nội / Xã A", 100, 49)
	replied := make(chan error, 1)
	go func() {
		reply, err := c.SendBatch(ctx, batch)
		if err == nil && len(reply.Stored) != len(batch) {
			t.Errorf("hub confirmed %d of %d", len(reply.Stored), len(batch))
		}
		replied <- err
	}()
	<-started
	stop() // as SIGTERM would, while the batch is being read and stored
	if err := <-replied; err != nil {
		t.Fatalf("the batch in flight when the hub stopped: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if n := eventCount(t, s); n != len(batch) {
		t.Fatalf("hub holds %d events after shutdown; want %d", n, len(batch))
	}
}
