package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sync"
)

// Each commit waits for the disk, and SQLite has one writer. Batches that
// arrive while one is being written are therefore committed together, in one
// transaction (group commit): each batch in its own savepoint, so a refused
// batch leaves the others in, one set-based projection and one disk flush for
// all of them. A batch is answered only once its transaction has committed.
// PostgreSQL gets the same, with pgWriters groups written at once: its
// server works on each transaction in a process of its own, the learners of
// a group are locked in sorted order (pgLockBatch), and the one row all
// groups update, the pending count, is written last, so two groups overlap
// in all but their commits.

type ingestRequest struct {
	evs   []Event
	allow func(LearnerUnits) error
	fresh []Event
	clash []Conflict
	err   error
	taken bool // in a group being written
	done  chan struct{}
}

// ingestQueue is the batches waiting for a writer.
type ingestQueue struct {
	pending []*ingestRequest
	writing int       // groups being written
	wake    sync.Cond // signalled when a group has been written
}

// pgWriters is how many groups one process writes at once on PostgreSQL.
const pgWriters = 3

// writers is how many groups may be written at once.
func (s *Store) writers() int {
	if s.dialect == dialectPostgres {
		return pgWriters
	}
	return 1
}

// maxGroupEvents bounds one group's transaction; a batch larger alone is
// still written, alone.
const maxGroupEvents = 50000

// ingestGrouped queues a batch and waits until its group has committed. A
// waiting request that finds a writer free writes the next group, the first
// batches in the queue, and goes on writing groups until its own is written,
// so that no request waits on groups after its own however busy the hub is.
func (s *Store) ingestGrouped(ctx context.Context, evs []Event, allow func(LearnerUnits) error) (IngestResult, error) {
	r := &ingestRequest{evs: evs, allow: allow, done: make(chan struct{})}
	q := &s.ingest
	s.ingestMu.Lock()
	if q.wake.L == nil {
		q.wake.L = &s.ingestMu
	}
	q.pending = append(q.pending, r)
	for !r.taken {
		if q.writing == s.writers() {
			q.wake.Wait()
			continue
		}
		q.writing++
		group := q.takeGroup()
		s.ingestMu.Unlock()
		s.commitGroup(context.WithoutCancel(ctx), group)
		s.ingestMu.Lock()
		q.writing--
		q.wake.Broadcast()
	}
	s.ingestMu.Unlock()
	<-r.done
	if r.err != nil {
		return IngestResult{}, r.err
	}
	res := ingestResult(evs, r.fresh)
	res.Conflicts = r.clash
	return res, nil
}

// takeGroup takes the first batches of the queue, at least one and up to
// maxGroupEvents events.
func (q *ingestQueue) takeGroup() []*ingestRequest {
	n, i := 0, 0
	for i < len(q.pending) && (i == 0 || n+len(q.pending[i].evs) <= maxGroupEvents) {
		n += len(q.pending[i].evs)
		i++
	}
	group := q.pending[:i:i]
	q.pending = q.pending[i:]
	for _, r := range group {
		r.taken = true
	}
	return group
}

// commitGroup writes a group of batches in one transaction and tells each
// its outcome. When the group as a whole fails, each batch is tried again
// alone, so that one batch the database cannot take fails only itself.
func (s *Store) commitGroup(ctx context.Context, group []*ingestRequest) {
	err := s.writeGroup(ctx, group)
	if err != nil && len(group) > 1 {
		for _, r := range group {
			r.fresh, r.clash, r.err = nil, nil, nil
			s.commitGroup(ctx, []*ingestRequest{r})
		}
		return
	}
	for _, r := range group {
		if err != nil {
			r.fresh, r.clash, r.err = nil, nil, cmp.Or(r.err, err)
		}
		close(r.done)
	}
}

// ingestCache gives a hub's writing connection the page cache an import
// uses (see importCacheKiB): a hub's log only grows, and its indexes are
// written all over. About 15% less CPU per event at 200,000 events.
var ingestCache = fmt.Sprintf(`PRAGMA cache_size = -%d`, importCacheKiB)

func (s *Store) writeGroup(ctx context.Context, group []*ingestRequest) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store events: %w", err)
	}
	defer tx.Rollback()
	var since int64
	if s.dialect == dialectPostgres {
		if err := pgLockBatch(ctx, tx, group); err != nil {
			return fmt.Errorf("store events: %w", err)
		}
	} else if _, err := tx.ExecContext(ctx, ingestCache); err != nil {
		return fmt.Errorf("store events: %w", err)
	} else if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM events`).Scan(&since); err != nil {
		return fmt.Errorf("store events: %w", err)
	}
	// Batches of a full chunk's size share one prepared insert.
	c := newStmtCache(tx)
	defer c.Close()
	added := 0
	for _, r := range group {
		if _, err := tx.ExecContext(ctx, `SAVEPOINT batch`); err != nil {
			return fmt.Errorf("store events: %w", err)
		}
		r.fresh, r.clash, r.err = s.ingestBatch(ctx, c, r.evs, r.allow)
		if r.err != nil {
			r.fresh, r.clash = nil, nil
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO batch`); err != nil {
				return fmt.Errorf("store events: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `RELEASE batch`); err != nil {
			return fmt.Errorf("store events: %w", err)
		}
		added += len(r.fresh)
	}
	if s.dialect == dialectPostgres {
		err = pgProject(ctx, tx, pgProjectIngested, 0)
	} else {
		err = projectSince(ctx, tx, since)
	}
	if err != nil {
		return fmt.Errorf("store events: %w", err)
	}
	if err := s.addPending(ctx, tx, added); err != nil {
		return fmt.Errorf("store events: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store events: %w", err)
	}
	return nil
}

// pgLockBatch takes the locks a PostgreSQL ingest holds until it commits:
// the log's writers lock, shared (see pgLockImport), and each learner of
// the group, in sorted order so that two processes never wait for each other.
func pgLockBatch(ctx context.Context, tx *sql.Tx, group []*ingestRequest) error {
	if _, err := tx.ExecContext(ctx, pgLockImportShared); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, pgIngestTable); err != nil {
		return err
	}
	var learners []string
	for _, r := range group {
		learners = append(learners, batchLearners(r.evs)...)
	}
	slices.Sort(learners)
	_, err := tx.ExecContext(ctx, pgLockLearners, slices.Compact(learners))
	return err
}
