package hub

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"hocso/store"
)

// BenchmarkHubIngest measures events stored per second with 20 clients
// sending batches of 1,000 at once: "http" through a real server on a
// loopback socket (gzip JSON lines, token check, unit check), against two
// floors in the same run: "direct", the same batches given to store.Ingest
// by 20 goroutines in the same process, and "transport", the same clients
// and requests against a loopback server that reads and checks each batch
// and confirms it without storing it.
//
// Each client has its own connection, as 20 PCs would.
//
//	go test ./exchange/hub/ -run '^$' -bench HubIngest -benchtime 100000x
func BenchmarkHubIngest(b *testing.B) {
	const clients, batch = 20, 1000
	for _, db := range []string{"sqlite", "postgres"} {
		for _, mode := range []string{"transport", "direct", "http"} {
			if mode == "transport" && db == "postgres" {
				continue // no database involved
			}
			b.Run(db+"/"+mode, func(b *testing.B) {
				target := b.TempDir() + "/hub.db"
				if db == "postgres" {
					target = pgDSN(b)
				}
				h := startHub(b, target, DefaultLimits)
				// Each client's learners are its own; batches of 1,000 events.
				work := make([][][]store.Event, clients)
				per := max(b.N/clients, batch)
				for i := range work {
					evs := syntheticEvents(fmt.Sprintf("Hà Nội / Phường %d", i), per/40+1, 39)[:per]
					for len(evs) > 0 {
						n := min(batch, len(evs))
						work[i] = append(work[i], evs[:n])
						evs = evs[n:]
					}
				}
				send := func(i int, evs []store.Event) error {
					_, err := h.Store.Ingest(context.Background(), evs, nil)
					return err
				}
				if mode == "transport" {
					srv := NewServer(nil, nil, DefaultLimits)
					ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						evs, err := srv.readBatch(w, r)
						if err != nil {
							http.Error(w, err.Error(), http.StatusBadRequest)
							return
						}
						reply := BatchReply{New: len(evs)}
						for _, ev := range evs {
							reply.Stored = append(reply.Stored, ev.ID)
						}
						writeJSON(w, http.StatusOK, reply)
					}))
					b.Cleanup(ts.Close)
					cs := make([]*Client, clients)
					for i := range cs {
						cs[i], _ = NewClient(ts.URL, "")
						cs[i].HTTP = ownTransport()
					}
					send = func(i int, evs []store.Event) error {
						_, err := cs[i].SendBatch(context.Background(), evs)
						return err
					}
				}
				if mode == "http" {
					cs := make([]*Client, clients)
					for i := range cs {
						cs[i] = h.client(b, h.token(b, "Hà Nội"))
						cs[i].Attempts = 5
						cs[i].HTTP = ownTransport()
					}
					send = func(i int, evs []store.Event) error {
						_, err := cs[i].SendBatch(context.Background(), evs)
						return err
					}
				}
				b.ResetTimer()
				start, cpu0 := time.Now(), cpuTime()
				var wg sync.WaitGroup
				for i := range work {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for _, evs := range work[i] {
							if err := send(i, evs); err != nil {
								b.Error(err)
								return
							}
						}
					}()
				}
				wg.Wait()
				b.StopTimer()
				b.ReportMetric(float64(clients*per)/time.Since(start).Seconds(), "events/s")
				// CPU of this process (clients, hub, SQLite; not a PostgreSQL
				// server's) per event: steadier than events/s on a busy machine.
				b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(clients*per), "cpu-µs/event")
			})
		}
	}
}

// ownTransport is an HTTP client with a connection of its own, as on a PC:
// clients sharing http.DefaultTransport would keep only two idle connections
// between them and dial again for most requests.
func ownTransport() *http.Client {
	return &http.Client{Timeout: 2 * time.Minute, Transport: http.DefaultTransport.(*http.Transport).Clone()}
}
