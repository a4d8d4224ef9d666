package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// The three lists reportScan merges, each in the order of learner ids: the
// learners with the roster entry each is linked to, and their lessons and
// attempts, grouped by learner straight from the covering indexes. The
// planner would read the learners from the primary key's index and look
// each row up in the table, at half the speed, so the index is named.
const (
	scanLearners = `SELECT l.id, l.full_name, l.staff_code, l.unit_path, coalesce(r.id, ''),
	coalesce(r.full_name, ''), coalesce(r.staff_code, ''), coalesce(r.unit_path, '')
FROM learners l INDEXED BY learners_by_id
	LEFT JOIN roster_links k ON k.learner_id = l.id LEFT JOIN roster r ON r.id = k.roster_id
ORDER BY l.id`
	scanLessons = `SELECT p.learner_id, group_concat(p.module_id || {fs} || p.lesson_id || {fs} || coalesce(p.completed_at, ''), {rs})
FROM lesson_progress p WHERE p.pack_id = {pack} AND p.opened_at < {to}
GROUP BY p.learner_id ORDER BY p.learner_id`
	scanAttempts = `SELECT a.learner_id, group_concat({attempt}, {rs})
FROM attempts a WHERE a.pack_id = {pack}
GROUP BY a.learner_id ORDER BY a.learner_id`
	scanRoster = `SELECT id, full_name, staff_code, position, unit_path FROM roster`
)

// scanSQL returns one of reportScan's queries with its arguments.
func scanSQL(text string, q ReportQuery) (string, []any) {
	text = strings.ReplaceAll(text, "{attempt}", attemptRecord)
	return bind(text, map[string][]any{"to": {to(q)}, "pack": {q.PackID}, "fs": {fieldSep}, "rs": {recordSep}})
}

// reportScan reads the whole database's people and lists with one pass over
// each index, in index order, merging them by learner id: a report of
// everyone reads each page once, where searches person by person read most
// of them several times. The lessons and the attempts are read on
// connections of their own, beside the learners, when the three can be given
// one snapshot of the database (see snapshotTxs); otherwise all three are
// read in turn on one connection. SQLite only: PostgreSQL keeps one query
// open per connection and reads reportSQL fast enough.
func (s *Store) reportScan(ctx context.Context, q ReportQuery, f *folder, srt *sorter, parallel bool) error {
	n := 1
	if parallel {
		n = 3
	}
	txs, err := s.snapshotTxs(ctx, n)
	if err != nil {
		return err
	}
	defer func() {
		for _, tx := range txs {
			tx.Rollback() // read only: nothing to keep
		}
	}()
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	// Each list is cut down to partial tallies by whoever reads it.
	cutLessons := func(dst, list []byte) ([]byte, error) { return f.appendLessons(dst, list), nil }
	cutAttempts := func() func(dst, list []byte) ([]byte, error) {
		scratch := make([]quizScratch, len(f.modules))
		return func(dst, list []byte) ([]byte, error) { return f.appendAttempts(dst, list, scratch) }
	}
	var lessons, attempts *listStream
	// The learners are read in the transaction begun last: were the
	// snapshots not one, they would show a learner whose progress the lists
	// lack (TestReportScanOneSnapshot looks for that).
	tx := txs[len(txs)-1]
	if len(txs) == 3 {
		lessons = streamList(ctx, &wg, txs[0], scanLessons, q, cutLessons)
		attempts = streamList(ctx, &wg, txs[1], scanAttempts, q, cutAttempts())
	} else {
		if lessons, err = queryList(ctx, tx, scanLessons, q, cutLessons); err != nil {
			return err
		}
		defer lessons.rows.Close()
		if attempts, err = queryList(ctx, tx, scanAttempts, q, cutAttempts()); err != nil {
			return err
		}
		defer attempts.rows.Close()
	}
	var r sortRec
	// Every roster entry is a person, with or without learners.
	rows, err := tx.QueryContext(ctx, scanRoster)
	if err != nil {
		return err
	}
	var pid, name, staff, position, unit string
	for rows.Next() {
		if err := rows.Scan(&pid, &name, &staff, &position, &unit); err != nil {
			rows.Close()
			return err
		}
		r.person(pid, true, name, staff, position, unit)
		if err := r.add(srt, nil, nil); err != nil {
			rows.Close()
			return err
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	learners, err := tx.QueryContext(ctx, scanLearners)
	if err != nil {
		return err
	}
	defer learners.Close()
	var id, rid, rname, rstaff, runit string
	for learners.Next() {
		if err := learners.Scan(&id, &name, &staff, &unit, &rid, &rname, &rstaff, &runit); err != nil {
			return err
		}
		ls, err := lessons.of(id)
		if err != nil {
			return err
		}
		as, err := attempts.of(id)
		if err != nil {
			return err
		}
		if rid == "" {
			r.person(id, false, name, staff, "", unit)
		} else if len(ls) > 0 || len(as) > 0 {
			r.lists(rid, rname, rstaff, runit)
		} else {
			continue
		}
		if err := r.add(srt, ls, as); err != nil {
			return err
		}
	}
	if err := learners.Err(); err != nil {
		return err
	}
	// Read the lists to their ends, so an error in either is not missed.
	_, err1 := lessons.of("\xff")
	_, err2 := attempts.of("\xff")
	return errors.Join(err1, err2)
}

// snapshotTxs begins n read transactions that see the same state of the
// database, or returns one when it cannot tell they would. SQLite gives each
// transaction the state of its first read, so the same last event in each,
// read after all have begun, means nothing was written in between: every
// change to the progress a report reads comes with an event. A writer that
// keeps committing between the reads makes it give up after a few tries and
// return a single transaction.
func (s *Store) snapshotTxs(ctx context.Context, n int) ([]*sql.Tx, error) {
	begin := func() (*sql.Tx, int64, error) {
		tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return nil, 0, err
		}
		var last int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM events`).Scan(&last); err != nil {
			tx.Rollback()
			return nil, 0, err
		}
		return tx, last, nil
	}
	for range 5 {
		var txs []*sql.Tx
		same := true
		var first int64
		for i := range n {
			tx, last, err := begin()
			if err != nil {
				for _, tx := range txs {
					tx.Rollback()
				}
				return nil, err
			}
			txs = append(txs, tx)
			if i == 0 {
				first = last
			}
			same = same && last == first
		}
		if same {
			return txs, nil
		}
		for _, tx := range txs {
			tx.Rollback()
		}
	}
	tx, _, err := begin()
	if err != nil {
		return nil, err
	}
	return []*sql.Tx{tx}, nil
}

// listStream gives one of reportScan's lists, learner by learner in id
// order: from a query on a connection of its own, read by a goroutine in
// batches, or from a query read in turn with others on one connection.
type listStream struct {
	// read by a goroutine: batches come on ch, and go back on free once read.
	ch, free chan *listBatch
	err      error // the goroutine's error, set before ch is closed
	batch    *listBatch
	i        int
	// read in turn
	rows *sql.Rows
	cut  func(dst, list []byte) ([]byte, error)
	part []byte // the partial tally of the list read last
	// the learner read last, and their list, waiting for of to reach them
	learner, list []byte
	held, done    bool
}

// listBatch holds learners' lists read by a goroutine: item i is the
// learner id data[items[i-1][1]:items[i][0]] and the list
// data[items[i][0]:items[i][1]].
type listBatch struct {
	data  []byte
	items [][2]int
}

// listBatchBytes is how much a batch holds before it is handed over; with
// the channel's few batches, it bounds what a goroutine reads ahead.
const listBatchBytes = 256 << 10

func streamList(ctx context.Context, wg *sync.WaitGroup, tx *sql.Tx, text string, q ReportQuery,
	cut func(dst, list []byte) ([]byte, error)) *listStream {
	st := &listStream{ch: make(chan *listBatch, 2), free: make(chan *listBatch, 4), cut: cut}
	text, args := scanSQL(text, q)
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(st.ch)
		st.err = st.read(ctx, tx, text, args)
	}()
	return st
}

func (st *listStream) read(ctx context.Context, tx *sql.Tx, text string, args []any) error {
	rows, err := tx.QueryContext(ctx, text, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var id, list sql.RawBytes
	b := &listBatch{}
	send := func() error {
		select {
		case st.ch <- b:
		case <-ctx.Done():
			return ctx.Err()
		}
		select {
		case b = <-st.free:
			b.data, b.items = b.data[:0], b.items[:0]
		default:
			b = &listBatch{}
		}
		return nil
	}
	for rows.Next() {
		if err := rows.Scan(&id, &list); err != nil {
			return err
		}
		b.data = append(b.data, id...)
		i := len(b.data)
		if b.data, err = st.cut(b.data, list); err != nil {
			return fmt.Errorf("learner %s: %w", id, err)
		}
		b.items = append(b.items, [2]int{i, len(b.data)})
		if len(b.data) >= listBatchBytes {
			if err := send(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(b.items) > 0 {
		return send()
	}
	return nil
}

func queryList(ctx context.Context, tx *sql.Tx, text string, q ReportQuery,
	cut func(dst, list []byte) ([]byte, error)) (*listStream, error) {
	text, args := scanSQL(text, q)
	rows, err := tx.QueryContext(ctx, text, args...)
	if err != nil {
		return nil, err
	}
	return &listStream{rows: rows, cut: cut}, nil
}

// next reads the next learner and the partial tally of their list; the slices stay valid until the
// next call.
func (st *listStream) next() (learner, list []byte, ok bool, err error) {
	if st.rows != nil {
		if !st.rows.Next() {
			return nil, nil, false, st.rows.Err()
		}
		var id, l sql.RawBytes
		if err := st.rows.Scan(&id, &l); err != nil {
			return nil, nil, false, err
		}
		if st.part, err = st.cut(st.part[:0], l); err != nil {
			return nil, nil, false, fmt.Errorf("learner %s: %w", id, err)
		}
		return id, st.part, true, nil
	}
	for st.batch == nil || st.i == len(st.batch.items) {
		if st.batch != nil {
			select {
			case st.free <- st.batch:
			default:
			}
			st.batch = nil
		}
		b, ok := <-st.ch
		if !ok {
			return nil, nil, false, st.err
		}
		st.batch, st.i = b, 0
	}
	start := 0
	if st.i > 0 {
		start = st.batch.items[st.i-1][1]
	}
	it := st.batch.items[st.i]
	st.i++
	return st.batch.data[start:it[0]], st.batch.data[it[0]:it[1]], true, nil
}

// of returns the list of learner id, or nil; ids must come in ascending
// order. Lists of learners with no profile (progress that came before the
// learner) are passed over, as every report leaves them out.
func (st *listStream) of(id string) ([]byte, error) {
	for !st.done {
		if st.held {
			switch c := strings.Compare(string(st.learner), id); {
			case c == 0:
				st.held = false
				return st.list, nil
			case c > 0:
				return nil, nil
			}
		}
		learner, list, ok, err := st.next()
		if err != nil || !ok {
			st.done = true
			return nil, err
		}
		st.learner, st.list, st.held = learner, list, true
	}
	return nil, nil
}
