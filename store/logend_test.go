package store

import (
	"context"
	"testing"
	"time"
)

// On PostgreSQL a seq is taken when a row is inserted, not when it commits:
// a cursor planned while a transaction holds a lower seq uncommitted must not
// pass it, or the xAPI push and exports would skip that event for ever.
func TestPlanExportWaitsForUncommittedSeqs(t *testing.T) {
	ctx := context.Background()
	s := openPostgresTemp(t)
	l, err := s.CreateLearner(ctx, ProfilePayload{FullName: "Lê Văn Tám", UnitPath: "Huế"})
	must(t, err)
	pack := PackRef{ID: "nq52", Version: "1.0.0", Hash: "sha256:x"}

	// An appending transaction takes a seq and has not committed yet.
	slow, err := s.db.BeginTx(ctx, nil)
	must(t, err)
	defer slow.Rollback()
	must(t, s.lockLogShared(ctx, slow))
	ev, err := s.NewEvent(KindLessonOpened, l.ID, LessonPayload{ModuleID: "m1"})
	must(t, err)
	ev.PackID, ev.ItemID = pack.ID, "l1"
	if _, err := insertEvent(ctx, slow, ev); err != nil {
		t.Fatal(err)
	}
	var slowSeq int64
	must(t, slow.QueryRowContext(ctx, `SELECT seq FROM events WHERE id = ?`, ev.ID).Scan(&slowSeq))
	// Another commits a higher seq meanwhile.
	must(t, s.OpenLesson(ctx, l.ID, pack, "m1", "l2"))

	planned := make(chan ExportRange, 1)
	go func() {
		r, err := s.PlanExport(ctx, true)
		if err != nil {
			t.Error(err)
		}
		planned <- r
	}()
	select {
	case r := <-planned:
		if r.ToSeq >= slowSeq {
			t.Fatalf("planned up to seq %d while seq %d was uncommitted below it", r.ToSeq, slowSeq)
		}
	case <-time.After(300 * time.Millisecond):
		// Waiting for the open transaction, as it should.
	}
	must(t, slow.Commit())
	var r ExportRange
	select {
	case r = <-planned:
	case <-time.After(time.Minute):
		t.Fatal("PlanExport still waits after the transaction committed")
	}
	var n int
	must(t, s.db.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE seq > ? AND seq <= ?`, r.FromSeq, r.ToSeq).Scan(&n))
	if r.Events != n {
		t.Fatalf("plan counts %d events in (%d, %d], the log holds %d", r.Events, r.FromSeq, r.ToSeq, n)
	}
}
