package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hocso/store/pgtest"
)

// oldSchemaDatabase makes a database at the schema before
// stepFewerPagesPerEvent, holding what a few learners did there, with the
// pending counter and the AUTOINCREMENT gaps that schema left: an event
// recorded twice used a seq, the last one too, so sqlite_sequence is past
// the log's last row.
func oldSchemaDatabase(t *testing.T) (path string, acked int64) {
	t.Helper()
	ctx := context.Background()
	step := -1
	for i, m := range migrations {
		if m == stepFewerPagesPerEvent {
			step = i
		}
	}
	if step < 0 {
		t.Fatal("no migration is stepFewerPagesPerEvent")
	}
	path = filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", dsn(path, url.Values{"_pragma": {"journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)"},
		"_txlock": {"immediate"}}))
	must(t, err)
	for _, q := range append(append([]string{}, migrations[:step]...),
		fmt.Sprintf(`PRAGMA application_id = %d`, ApplicationID), fmt.Sprintf(`PRAGMA user_version = %d`, step),
		`INSERT INTO meta(key, value) VALUES ('format', 'hocso'), ('device_id', 'old-device')`) {
		_, err := db.Exec(q)
		must(t, err)
	}
	old := &Store{db: db, path: path, deviceID: "old-device", Now: time.Now}
	simulateLearning(t, old, rand.New(rand.NewPCG(11, 12)), 3)
	evs, err := old.Events(ctx, "")
	must(t, err)
	for _, ev := range []Event{evs[3], evs[len(evs)-1]} {
		must(t, old.Record(ctx, ev)) // already there: changes nothing, uses a seq
	}
	var maxSeq, autoinc int64
	must(t, db.QueryRow(`SELECT max(seq), (SELECT seq FROM sqlite_sequence WHERE name = 'events') FROM events`).Scan(&maxSeq, &autoinc))
	if autoinc <= maxSeq {
		t.Fatalf("sqlite_sequence = %d, last seq %d; want a seq used past the last row", autoinc, maxSeq)
	}
	acked = maxSeq / 2
	var pending int
	must(t, db.QueryRow(`SELECT count(*) FROM events WHERE seq > ?`, acked).Scan(&pending))
	for k, v := range map[string]string{metaAckedSeq: fmt.Sprint(acked), metaPending: fmt.Sprint(pending)} {
		_, err := db.Exec(`INSERT INTO meta(key, value) VALUES (?, ?)`, k, v)
		must(t, err)
	}
	must(t, db.Close())
	return path, acked
}

func seqsAndIDs(t *testing.T, db *sql.DB) string {
	t.Helper()
	rows, err := db.Query(`SELECT seq, id, kind, payload FROM events ORDER BY seq`)
	must(t, err)
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var seq int64
		var id, kind, payload string
		must(t, rows.Scan(&seq, &id, &kind, &payload))
		fmt.Fprintln(&b, seq, id, kind, payload)
	}
	return b.String()
}

// A database of the schema before keeps every event with its seq, the same
// read model and the same pending count; new events follow the last one.
func TestMigrationToFewerPagesKeepsData(t *testing.T) {
	ctx := context.Background()
	path, acked := oldSchemaDatabase(t)
	raw, err := sql.Open("sqlite", path)
	must(t, err)
	defer raw.Close()
	events := seqsAndIDs(t, raw)
	var pending int
	var end int64
	must(t, raw.QueryRow(`SELECT count(*), (SELECT max(seq) FROM events) FROM events WHERE seq > ?`, acked).Scan(&pending, &end))
	before := readModel(t, &Store{db: raw})

	s, err := Open(ctx, path)
	must(t, err)
	defer s.Close()
	if got := seqsAndIDs(t, s.db); got != events {
		t.Fatalf("events after migration:\n%s\nwant\n%s", got, events)
	}
	if got := readModel(t, s); got != before {
		t.Fatalf("read model after migration:\n%s\nwant\n%s", got, before)
	}
	var schema string
	must(t, s.db.QueryRow(`SELECT group_concat(sql, ';') FROM sqlite_schema WHERE tbl_name IN ('events', 'answers')`).Scan(&schema))
	if strings.Contains(schema, "AUTOINCREMENT") || !strings.Contains(schema, "WITHOUT ROWID") ||
		strings.Contains(schema, "events_learner") || !strings.Contains(schema, "events_profiles") {
		t.Errorf("schema after migration: %s", schema)
	}
	lines, err := integrity(ctx, s.db, "integrity_check")
	if err != nil || len(lines) != 1 || lines[0] != "ok" {
		t.Fatalf("integrity_check = %v, %v", lines, err)
	}
	if v, _ := s.Meta(ctx, metaPending); v != "" {
		t.Errorf("the counter %s = %q is left beside the base", metaPending, v)
	}
	st, err := s.SyncStatus(ctx)
	must(t, err)
	if st.Pending != pending || st.AckedSeq != acked {
		t.Fatalf("sync status = %+v; want %d pending after %d", st, pending, acked)
	}
	_, err = s.CreateLearner(ctx, ProfilePayload{FullName: "Đỗ Văn Nam"})
	must(t, err)
	var last int64
	must(t, s.db.QueryRow(`SELECT max(seq) FROM events`).Scan(&last))
	if last != end+1 {
		t.Errorf("new event's seq = %d; want %d", last, end+1)
	}
	if st, _ := s.SyncStatus(ctx); st.Pending != pending+1 {
		t.Errorf("pending after one more event = %d; want %d", st.Pending, pending+1)
	}
	evs, r := exported(t, s, false)
	if r.FromSeq != acked || r.ToSeq != last || r.Events != pending+1 || len(evs) != r.Total() {
		t.Errorf("export after migration = %+v", r)
	}
}

// The pending count follows the log without a counter: after answers, after
// events arriving twice, after a receipt, and after an import of events of
// which some are already here.
func TestPendingFollowsTheLog(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	count := func() int {
		var acked int64
		var n int
		v, _ := s.Meta(ctx, metaAckedSeq)
		fmt.Sscan(v, &acked)
		must(t, s.db.QueryRow(`SELECT count(*) FROM events WHERE seq > ?`, acked).Scan(&n))
		return n
	}
	check := func(what string) {
		t.Helper()
		st, err := s.SyncStatus(ctx)
		must(t, err)
		if want := count(); st.Pending != want {
			t.Fatalf("%s: pending = %d; want %d", what, st.Pending, want)
		}
	}
	check("empty")
	simulateLearning(t, s, rand.New(rand.NewPCG(3, 4)), 2)
	check("after learning")
	evs, err := s.Events(ctx, "")
	must(t, err)
	must(t, s.Record(ctx, evs[2]))
	check("after an event recorded again")
	_, r := exported(t, s, false)
	_, err = s.Acknowledge(ctx, Ack{DeviceID: s.DeviceID(), FromSeq: r.FromSeq, ToSeq: r.ToSeq - 3, Count: r.Events - 3})
	must(t, err)
	check("after a receipt")
	other, _ := openTemp(t)
	simulateLearning(t, other, rand.New(rand.NewPCG(5, 6)), 2)
	theirs, _ := exported(t, other, true)
	_, err = s.ImportEvents(ctx, eventsOf(append(theirs, evs[:5]...)))
	must(t, err)
	check("after an import with duplicates")
	_, err = s.ImportEvents(ctx, eventsOf(theirs))
	must(t, err)
	check("after the same import again")
}

// walFrames is how many pages the write-ahead log of path holds.
func walFrames(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path + "-wal")
	if err != nil {
		return 0
	}
	return max(0, fi.Size()-32) / (4096 + 24)
}

// An answer writes the event's row, its id's index entry and the answer's
// row: three pages of the log, now and then one more when a page splits.
func TestAnswerWritesFewPages(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	l, err := s.CreateLearner(ctx, ProfilePayload{FullName: "Nguyễn Thị Lan"})
	must(t, err)
	if _, err := s.SyncStatus(ctx); err != nil { // as the dashboard does first
		t.Fatal(err)
	}
	pack := PackRef{ID: "nq52", Version: "1.0.0", Hash: "h"}
	const n = 60
	qs := make([]string, n)
	for i := range qs {
		qs[i] = fmt.Sprintf("q%d", i)
	}
	a, err := s.StartAttempt(ctx, l.ID, pack, "m1", "m1-quiz", 1, qs, 70)
	must(t, err)
	before := walFrames(t, path)
	for _, q := range qs {
		must(t, s.RecordAnswer(ctx, a, pack, q, AnsweredPayload{QuestionHash: "h", Answer: []byte(`{"choices":["a"]}`),
			Score: 1, MaxScore: 1}))
	}
	frames := walFrames(t, path) - before
	if frames <= 0 || frames > n*7/2 {
		t.Fatalf("%d answers wrote %d pages to the log; want at most 3.5 each", n, frames)
	}
	t.Logf("%d answers, %d pages (%.2f each)", n, frames, float64(frames)/n)
}

// A copy that lost the log's last events, which a receipt had acknowledged,
// brings the cursor back to its last event: events recorded in the copy
// take the seqs after it and must still be sent.
func TestCopyOutBringsCursorBackToLostEnd(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	simulateLearning(t, s, rand.New(rand.NewPCG(9, 10)), 2)
	_, r := exported(t, s, false)
	_, err := s.Acknowledge(ctx, Ack{DeviceID: s.DeviceID(), FromSeq: r.FromSeq, ToSeq: r.ToSeq, Count: r.Events})
	must(t, err)
	s.Close()
	// The last five events are lost: as if their page had been cut off.
	raw, err := sql.Open("sqlite", path)
	must(t, err)
	_, err = raw.Exec(`DELETE FROM events WHERE seq > ?`, r.ToSeq-5)
	must(t, err)
	raw.Close()

	dst := filepath.Join(t.TempDir(), "copy.db")
	_, err = CopyOut(ctx, path, dst)
	must(t, err)
	c, err := Open(ctx, dst)
	must(t, err)
	defer c.Close()
	st, err := c.SyncStatus(ctx)
	must(t, err)
	if st.AckedSeq != r.ToSeq-5 || st.Pending != 0 {
		t.Fatalf("copy's sync status = %+v; want acknowledged up to %d, none pending", st, r.ToSeq-5)
	}
	_, err = c.CreateLearner(ctx, ProfilePayload{FullName: "Trần Văn Bình"})
	must(t, err)
	evs, r2 := exported(t, c, false)
	if r2.Events != 1 || evs[len(evs)-1].Kind != KindProfile {
		t.Fatalf("export from the copy = %+v; want the new learner's profile", r2)
	}
}

// On PostgreSQL the step changes the index only; the data, the read model
// and the pending counter stay.
func TestPostgresMigrationToFewerPages(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	db, err := openPostgres(ctx, dsn)
	must(t, err)
	defer db.Close()
	step := 0
	for step < len(migrations) && migrations[step] != stepFewerPagesPerEvent {
		step++
	}
	for _, q := range []string{`CREATE TABLE hocso_schema (version BIGINT NOT NULL)`,
		fmt.Sprintf(`INSERT INTO hocso_schema VALUES (%d)`, step), pgPrelude} {
		_, err := db.Exec(q)
		must(t, err)
	}
	for _, m := range migrations[:step] {
		_, err := db.Exec(pgStep(m))
		must(t, err)
	}
	_, err = db.Exec(`INSERT INTO meta(key, value) VALUES ('device_id', 'old-hub')`)
	must(t, err)
	old := &Store{db: db, path: "old", dialect: dialectPostgres, deviceID: "old-hub", Now: time.Now}
	simulateLearning(t, old, rand.New(rand.NewPCG(13, 14)), 2)
	st, err := old.SyncStatus(ctx)
	must(t, err)
	simulateLearning(t, old, rand.New(rand.NewPCG(15, 16)), 1)
	before := readModel(t, old)
	var n int
	must(t, db.QueryRow(`SELECT count(*) FROM events`).Scan(&n))
	if st.Pending == 0 || st.Pending >= n {
		t.Fatalf("pending before = %d of %d events; want some counted before the last learner", st.Pending, n)
	}

	s := openAt(t, dsn)
	if got := readModel(t, s); got != before {
		t.Fatalf("read model after migration:\n%s\nwant\n%s", got, before)
	}
	var indexes string
	must(t, s.db.QueryRow(`SELECT string_agg(indexname, ' ' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'events'`).Scan(&indexes))
	if strings.Contains(indexes, "events_learner") || !strings.Contains(indexes, "events_profiles") {
		t.Errorf("indexes of events after migration: %s", indexes)
	}
	if st, err := s.SyncStatus(ctx); err != nil || st.Pending != n {
		t.Fatalf("pending after migration = %d, %v; want %d", st.Pending, err, n)
	}
}

// openTwoQuestionAttempt makes a learner with an open attempt at a quiz of
// two questions, and an answer to record.
func openTwoQuestionAttempt(t *testing.T, s *Store) (Learner, PackRef, Attempt, AnsweredPayload) {
	t.Helper()
	ctx := context.Background()
	l, err := s.CreateLearner(ctx, ProfilePayload{FullName: "Vũ Thị Mai"})
	must(t, err)
	pack := PackRef{ID: "nq52", Version: "1.0.0", Hash: "h"}
	a, err := s.StartAttempt(ctx, l.ID, pack, "m1", "m1-quiz", 1, []string{"q1", "q2"}, 70)
	must(t, err)
	return l, pack, a, AnsweredPayload{QuestionHash: "h", Answer: []byte(`{"choices":["a"]}`), Score: 1, MaxScore: 1}
}

// Recording runs on a connection of its own (inWrite): a refused or
// cancelled recording leaves no transaction open on it, the next one
// commits, and closing the store closes it, as a clean end must.
func TestRecordingConnection(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	l, pack, a, p := openTwoQuestionAttempt(t, s)
	must(t, s.RecordAnswer(ctx, a, pack, "q1", p))
	var sync int
	if err := s.writer.conn.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&sync); err != nil || sync != 2 {
		t.Fatalf("recording connection: synchronous = %d, %v; want 2 (FULL)", sync, err)
	}
	_, err := s.SubmitAttempt(ctx, a, pack, 2)
	must(t, err)
	if err := s.RecordAnswer(ctx, a, pack, "q2", p); !errors.Is(err, ErrAttemptClosed) {
		t.Fatalf("answer to a submitted attempt = %v; want ErrAttemptClosed", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.StartAttempt(cancelled, l.ID, pack, "m1", "m1-quiz", 2, []string{"q1"}, 70); err == nil {
		t.Fatal("a recording with a cancelled context succeeded")
	}
	// Another connection writes at once: no transaction was left holding the lock.
	other, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(0)")
	must(t, err)
	defer other.Close()
	_, err = other.Exec(`INSERT INTO meta(key, value) VALUES ('probe', '1')`)
	must(t, err)
	b, err := s.StartAttempt(ctx, l.ID, pack, "m1", "m1-quiz", 3, []string{"q1"}, 70)
	must(t, err)
	must(t, s.RecordAnswer(ctx, b, pack, "q1", p))
	if got, err := s.Answers(ctx, b.ID); err != nil || len(got) != 1 {
		t.Fatalf("answers of the new attempt = %v, %v", got, err)
	}
	other.Close()
	must(t, s.Close())
	if _, err := os.Stat(path + "-wal"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a -wal file is left after Close: %v", err)
	}
}

// An answer of this device is checked as it is applied: to an attempt not
// known here, or submitted, it is refused, and its event is not kept.
func TestOwnAnswerRefusedLeavesNoEvent(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	_, pack, a, p := openTwoQuestionAttempt(t, s)
	count := func() (n int) {
		must(t, s.db.QueryRow(`SELECT count(*) FROM events WHERE kind = ?`, KindQuizAnswered).Scan(&n))
		return n
	}
	unknown := a
	unknown.ID = "no-such-attempt"
	if err := s.RecordAnswer(ctx, unknown, pack, "q1", p); !errors.Is(err, ErrNoAttempt) {
		t.Fatalf("answer to an unknown attempt = %v; want ErrNoAttempt", err)
	}
	must(t, s.RecordAnswer(ctx, a, pack, "q1", p))
	_, err := s.SubmitAttempt(ctx, a, pack, 2)
	must(t, err)
	if err := s.RecordAnswer(ctx, a, pack, "q2", p); !errors.Is(err, ErrAttemptClosed) {
		t.Fatalf("answer to a submitted attempt = %v; want ErrAttemptClosed", err)
	}
	if n := count(); n != 1 {
		t.Fatalf("%d answer events in the log; want 1 (the refused ones rolled back)", n)
	}
	if got, err := s.Answers(ctx, a.ID); err != nil || len(got) != 1 {
		t.Fatalf("answers = %v, %v; want q1 only", got, err)
	}
}

// An export finds the earlier profiles of its learners through the index of
// profile events, not by reading the log before its range.
func TestExportFindsProfilesThroughIndex(t *testing.T) {
	s, _ := openTemp(t)
	rows, err := s.db.Query(`EXPLAIN QUERY PLAN SELECT count(*), min(time), max(time) FROM events `+profilesAlong, 10, 10, 20)
	must(t, err)
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		must(t, rows.Scan(&id, &parent, &notused, &detail))
		plan = append(plan, detail)
	}
	if got := strings.Join(plan, "; "); !strings.Contains(got, "USING INDEX events_profiles") || strings.Contains(got, "SCAN events") {
		t.Fatalf("plan of the profiles sent along: %s", got)
	}
}
