package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
)

// ReportQuery says which progress a completion report reads.
type ReportQuery struct {
	PackID string
	// Modules are the pack's modules; only these lessons and quizzes count, so
	// progress in lessons an upgrade removed is left out.
	Modules []ReportModule
	// UnitPrefix keeps people whose unit path is it or lies below it.
	UnitPrefix string
	// From and To bound when a lesson or a quiz counts as done (To exclusive);
	// zero means open. Progress after To is not seen at all, so a report "to"
	// a date shows everyone as they stood then.
	From, To time.Time
	// Person keeps one person only: a roster id or a learner id (a linked
	// learner stands for their roster entry).
	Person string
}

// ReportModule is what the query needs of a module.
type ReportModule struct {
	ID        string
	LessonIDs []string
	QuizID    string // "" when the module has no quiz
}

// PersonProgress is one person of a report: a roster entry with the progress
// of every learner linked to it, or a learner who is on no roster.
type PersonProgress struct {
	// Key is the roster id, or the learner id of a learner on no roster.
	Key       string
	OnRoster  bool
	FullName  string
	StaffCode string
	Position  string
	UnitPath  string
	Modules   map[string]ModuleTally
}

// ModuleTally is what a person did in one module, over all their learners.
type ModuleTally struct {
	Started       bool
	LessonsDone   int
	LessonsDoneAt time.Time // when the last lesson counted was completed
	HasScore      bool
	Best          float64 // best submitted quiz score, percent
	Passed        bool
	PassedAt      time.Time // first passing submission
}

// reportSQL reads the people of a unit, or one person, for a report
// (reportPeople; a report of the whole SQLite database scans instead, see
// reportScan): plain SQL with ? placeholders, written for SQLite and run on
// PostgreSQL with group_concat spelled string_agg. People are roster
// entries and the learners linked to none, one row each, read from an index
// in the order of its columns (the sort after it gives the report's order,
// which no index holds). A person's progress comes along in the same row as
// two lists, built by two index searches: the lessons opened and the quiz
// attempts started, of all the person's learners (a roster entry's over
// every PC). Fields are separated by {fs} and records by {rs}, control
// characters that no pack id and no stored time contains.
const reportSQL = `
SELECT r.id AS pid, 1 AS on_roster, r.full_name, r.staff_code, r.position, r.unit_path,
	(SELECT group_concat(p.module_id || {fs} || p.lesson_id || {fs} || coalesce(p.completed_at, ''), {rs})
	 FROM roster_links k JOIN lesson_progress p ON p.pack_id = {pack} AND p.learner_id = k.learner_id
	 WHERE k.roster_id = r.id AND p.opened_at < {to}) AS lessons,
	(SELECT group_concat({attempt}, {rs})
	 FROM roster_links k JOIN attempts a ON a.pack_id = {pack} AND a.learner_id = k.learner_id
	 WHERE k.roster_id = r.id) AS attempts
FROM roster r WHERE {inR}
UNION ALL
SELECT l.id, 0, l.full_name, l.staff_code, '', l.unit_path,
	(SELECT group_concat(p.module_id || {fs} || p.lesson_id || {fs} || coalesce(p.completed_at, ''), {rs})
	 FROM lesson_progress p WHERE p.pack_id = {pack} AND p.learner_id = l.id AND p.opened_at < {to}),
	(SELECT group_concat({attempt}, {rs})
	 FROM attempts a WHERE a.pack_id = {pack} AND a.learner_id = l.id)
FROM learners l WHERE {inL} AND NOT EXISTS (SELECT 1 FROM roster_links k WHERE k.learner_id = l.id)
ORDER BY unit_path, full_name, staff_code, pid`

// attemptRecord is an attempt as one record of a report row. The period is
// applied to it in Go: a condition on started_at in SQL would lead the
// database to an index that does not hold the other columns.
const attemptRecord = `a.module_id || {fs} || a.quiz_id || {fs} || a.started_at || {fs} || coalesce(a.submitted_at, '') || {fs} ||
		coalesce(CAST(a.score AS TEXT), '') || {fs} || coalesce(CAST(a.max_score AS TEXT), '') || {fs} ||
		CAST(coalesce(a.passed, 0) AS TEXT)`

// Separators of the lists in a report row.
const (
	fieldSep  = "\x1f"
	recordSep = "\x1e"
)

// sqlInUnit keeps the people of the unit (and below) and the person asked
// for; X stands for the arm's table.
const sqlInUnit = `({unit} = '' OR X.unit_path = {unit} OR X.unit_path LIKE {unitLike} ESCAPE '\') AND ({person} = '' OR X.id = {person})`

// ReportSQL returns the report query with its arguments, for a floor
// measurement by another SQL client. It is what ReportRows runs.
func ReportSQL(q ReportQuery) (string, []any) {
	unit := strings.TrimSpace(q.UnitPrefix)
	values := map[string][]any{
		"to": {to(q)}, "pack": {q.PackID}, "fs": {fieldSep}, "rs": {recordSep},
		"unit": {unit}, "unitLike": {escapeLike(unit) + " / %"}, "person": {q.Person},
	}
	// Each arm filters its own people, so the database can merge the arms in
	// order from the indexes instead of sorting their union.
	text := strings.NewReplacer("{inR}", strings.ReplaceAll(sqlInUnit, "X.", "r."),
		"{inL}", strings.ReplaceAll(sqlInUnit, "X.", "l."), "{attempt}", attemptRecord).Replace(reportSQL)
	return bind(text, values)
}

// bind turns {name} into ? placeholders (one per value, comma-separated for
// a list) and returns the arguments in the order they appear.
func bind(text string, values map[string][]any) (string, []any) {
	var b strings.Builder
	var args []any
	for {
		i := strings.IndexByte(text, '{')
		j := strings.IndexByte(text[i+1:], '}')
		if i < 0 || j < 0 {
			b.WriteString(text)
			return b.String(), args
		}
		name := text[i+1 : i+1+j]
		vs, ok := values[name]
		if !ok {
			panic("report query: no value for {" + name + "}")
		}
		b.WriteString(text[:i])
		b.WriteString(placeholders(len(vs)))
		args = append(args, vs...)
		text = text[i+j+2:]
	}
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// ReportRows calls fn once per person, in report order: by unit, level by
// level, then by given name and full name, in Vietnamese alphabetical order
// (see appendPersonKey). It links learners who arrived since the roster was
// imported first, so a person is counted once.
//
// The database reads every person's lists, in whatever order is cheapest
// for it, into an external sort keyed by the person, so memory does not
// grow with the roster and no order the database cannot give is asked of
// it; the lists of each person then come back together and are folded into
// their tallies. All reads share one snapshot of the database.
func (s *Store) ReportRows(ctx context.Context, q ReportQuery, fn func(*PersonProgress) error) error {
	if err := s.LinkRoster(ctx); err != nil {
		return err
	}
	if q.Person != "" {
		// A linked learner's progress is reported under their roster entry.
		if r, err := s.RosterEntryOf(ctx, q.Person); err != nil {
			return err
		} else if r != nil {
			q.Person = r.ID
		}
	}
	how := readPeople
	if s.dialect == dialectSQLite && q.UnitPrefix == "" && q.Person == "" {
		how = readScan
	}
	if err := s.reportRows(ctx, q, how, fn); err != nil {
		return fmt.Errorf("report query: %w", err)
	}
	return nil
}

// How a report reads the database (ReportRows chooses; tests try each).
type reportRead int

const (
	readPeople     reportRead = iota // reportSQL, person by person
	readScan                         // reportScan, its lists read beside the learners
	readScanSerial                   // reportScan on one connection
)

// sortChunk is the memory a report's sorter holds before it writes a run.
var sortChunk = 4 << 20

func (s *Store) reportRows(ctx context.Context, q ReportQuery, how reportRead, fn func(*PersonProgress) error) error {
	f := newFolder(q)
	srt := newSorter(sortChunk)
	defer srt.close()
	var err error
	switch how {
	case readScan, readScanSerial:
		err = s.reportScan(ctx, q, f, srt, how == readScan)
	default:
		err = s.reportPeople(ctx, q, f, srt)
	}
	if err != nil {
		return err
	}
	return foldBeside(ctx, f, srt, fn)
}

// foldBeside folds the sorted records in a goroutine of its own, handing
// the people over in batches, so that reading the sort back and folding run
// beside what fn does with each person (a report's rows and spool).
func foldBeside(ctx context.Context, f *folder, srt *sorter, fn func(*PersonProgress) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	const batch = 256
	ch := make(chan []*PersonProgress, 4)
	var foldErr error
	go func() {
		defer close(ch)
		var b []*PersonProgress
		send := func() error {
			select {
			case ch <- b:
				b = make([]*PersonProgress, 0, batch)
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		foldErr = foldSorted(ctx, f, srt, func(p *PersonProgress) error {
			if b = append(b, p); len(b) == batch {
				return send()
			}
			return nil
		})
		if foldErr == nil && len(b) > 0 {
			foldErr = send()
		}
	}()
	for people := range ch {
		for _, p := range people {
			if err := fn(p); err != nil {
				cancel()
				for range ch {
					// let the goroutine see the cancel and end
				}
				return err
			}
		}
	}
	return foldErr
}

// The kinds of record a report sorts, in the order a person's records come
// back: the person, with their own partial tallies (see reportfold.go), then
// the partial tallies of other learners of theirs.
const (
	recPerson byte = iota
	recLists
)

// sortRec is a record for the report's sorter: the person's key and the
// kind make the key; a person record's value holds the person, then
// partial tallies, which are all a lists record holds.
type sortRec struct {
	key, val []byte
	units    map[string][]byte // the keys of units met lately: a unit has many people
}

// personKey sets the key to the person's.
func (r *sortRec) personKey(unit, name, staff, pid string, kind byte) {
	uk, ok := r.units[unit]
	if !ok {
		if r.units == nil || len(r.units) >= 4096 {
			r.units = make(map[string][]byte) // bounded, whatever the number of units
		}
		uk = appendUnitKey(nil, unit)
		r.units[unit] = uk
	}
	r.key = append(appendPersonName(append(r.key[:0], uk...), name, staff, pid), kind)
}

func (r *sortRec) person(pid string, onRoster bool, name, staff, position, unit string) {
	r.personKey(unit, name, staff, pid, recPerson)
	r.val = r.val[:0]
	for _, f := range []string{pid, name, staff, position, unit} {
		r.val = appendBytes(r.val, f)
	}
	if onRoster {
		r.val = append(r.val, 1)
	} else {
		r.val = append(r.val, 0)
	}
}

func (r *sortRec) lists(pid, name, staff, unit string) {
	r.personKey(unit, name, staff, pid, recLists)
	r.val = r.val[:0]
}

func (r *sortRec) add(srt *sorter, parts ...[]byte) error {
	var buf [4][]byte
	return srt.add(r.key, append(append(buf[:0], r.val), parts...)...)
}

func appendBytes[T string | []byte](b []byte, s T) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// reportPeople reads the people of a unit, or one person, with their lists
// by index searches (reportSQL): the cheapest way when they are a part of
// the database, and the one way on PostgreSQL.
func (s *Store) reportPeople(ctx context.Context, q ReportQuery, f *folder, srt *sorter) error {
	text, args := ReportSQL(q)
	if s.dialect == dialectPostgres {
		text = strings.ReplaceAll(text, "group_concat(", "string_agg(")
	}
	rows, err := s.db.QueryContext(ctx, text, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var r sortRec
	var pid, name, staff, position, unit string
	var onRoster bool
	var lessons, attempts sql.RawBytes
	var part []byte
	scratch := make([]quizScratch, len(f.modules))
	for rows.Next() {
		if err := rows.Scan(&pid, &onRoster, &name, &staff, &position, &unit, &lessons, &attempts); err != nil {
			return err
		}
		part = f.appendLessons(part[:0], lessons)
		if part, err = f.appendAttempts(part, attempts, scratch); err != nil {
			return fmt.Errorf("person %s: %w", pid, err)
		}
		r.person(pid, onRoster, name, staff, position, unit)
		if err := r.add(srt, part); err != nil {
			return err
		}
	}
	return rows.Err()
}

// cutBytes reads a length-prefixed field from b and returns it and the rest.
func cutBytes(b []byte) ([]byte, []byte) {
	n, k := binary.Uvarint(b)
	return b[k : k+int(n)], b[k+int(n):]
}

// from and to bound the period as stored times compare: from is inclusive,
// to exclusive, and progress opened after to is not read at all.
func from(q ReportQuery) string {
	if q.From.IsZero() {
		return ""
	}
	return formatTime(q.From)
}

func to(q ReportQuery) string {
	if q.To.IsZero() {
		return "9999"
	}
	return formatTime(q.To)
}
