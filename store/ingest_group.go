package store

import (
	"context"
	"fmt"
)

// SQLite has one writer, and each commit waits for the disk. Batches that
// arrive while one is being written are therefore committed together, in one
// transaction (group commit): each batch in its own savepoint, so a refused
// batch leaves the others in, and one disk flush for all of them.

type ingestRequest struct {
	evs   []Event
	allow func(LearnerUnits) error
	fresh []Event
	err   error
	done  chan struct{}
}

// ingestQueue is the batches waiting for the writer.
type ingestQueue struct {
	pending []*ingestRequest
	leading bool // a goroutine is writing groups
}

func (s *Store) ingestGrouped(ctx context.Context, evs []Event, allow func(LearnerUnits) error) (IngestResult, error) {
	r := &ingestRequest{evs: evs, allow: allow, done: make(chan struct{})}
	s.ingestMu.Lock()
	s.ingest.pending = append(s.ingest.pending, r)
	lead := !s.ingest.leading
	s.ingest.leading = true
	s.ingestMu.Unlock()
	if lead {
		// Write groups until none is waiting; the request's own batch is in the first.
		for {
			s.ingestMu.Lock()
			group := s.ingest.pending
			s.ingest.pending = nil
			if len(group) == 0 {
				s.ingest.leading = false
				s.ingestMu.Unlock()
				break
			}
			s.ingestMu.Unlock()
			s.commitGroup(context.WithoutCancel(ctx), group)
		}
	}
	<-r.done
	if r.err != nil {
		return IngestResult{}, r.err
	}
	return ingestResult(evs, r.fresh), nil
}

// commitGroup writes a group of batches in one transaction and tells each
// its outcome.
func (s *Store) commitGroup(ctx context.Context, group []*ingestRequest) {
	err := s.writeGroup(ctx, group)
	for _, r := range group {
		if err != nil && r.err == nil {
			r.err = err
		}
		close(r.done)
	}
}

func (s *Store) writeGroup(ctx context.Context, group []*ingestRequest) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store events: %w", err)
	}
	defer tx.Rollback()
	var since int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM events`).Scan(&since); err != nil {
		return fmt.Errorf("store events: %w", err)
	}
	added := 0
	for _, r := range group {
		if _, err := tx.ExecContext(ctx, `SAVEPOINT batch`); err != nil {
			return fmt.Errorf("store events: %w", err)
		}
		r.fresh, r.err = ingestBatch(ctx, tx, r.evs, r.allow)
		if r.err != nil {
			r.fresh = nil
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO batch`); err != nil {
				return fmt.Errorf("store events: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `RELEASE batch`); err != nil {
			return fmt.Errorf("store events: %w", err)
		}
		added += len(r.fresh)
	}
	if err := projectSince(ctx, tx, since); err != nil {
		return fmt.Errorf("store events: %w", err)
	}
	if err := addPending(ctx, tx, added); err != nil {
		return fmt.Errorf("store events: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store events: %w", err)
	}
	return nil
}
