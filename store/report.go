package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
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

// reportSQL is the one query every report format is made from: plain SQL
// with ? placeholders, written for SQLite and run on PostgreSQL with
// group_concat spelled string_agg. People are roster entries and the
// learners linked to none, one row each, in the order of unit, name and
// person, read from an index. A person's progress comes along in the same
// row as two lists, built by two index searches: the lessons opened and the
// quiz attempts started, of all the person's learners (a roster entry's over
// every PC). Fields are separated by {fs} and records by {rs}, control
// characters that no pack id and no stored time contains. ReportRows folds the lists one person at a time, so
// memory does not grow with the roster, the database sorts nothing, and no
// row is read twice.
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

// ReportRows runs the report query and calls fn once per person, in the
// order of unit path, then name. It links learners who arrived since the
// roster was imported first, so a person is counted once.
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
	text, args := ReportSQL(q)
	if s.dialect == dialectPostgres {
		text = strings.ReplaceAll(text, "group_concat(", "string_agg(")
	}
	rows, err := s.db.QueryContext(ctx, text, args...)
	if err != nil {
		return fmt.Errorf("report query: %w", err)
	}
	defer rows.Close()
	f := newFolder(q)
	var lessons, attempts sql.NullString
	for rows.Next() {
		p := &PersonProgress{}
		if err := rows.Scan(&p.Key, &p.OnRoster, &p.FullName, &p.StaffCode, &p.Position, &p.UnitPath,
			&lessons, &attempts); err != nil {
			return fmt.Errorf("report query: %w", err)
		}
		if err := f.fold(p, lessons.String, attempts.String); err != nil {
			return fmt.Errorf("report query: person %s: %w", p.Key, err)
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("report query: %w", err)
	}
	return nil
}

// folder folds a person's lists into their tallies. Only the lessons and
// quizzes of the pack's modules count, so progress in lessons an upgrade
// removed is left out; a lesson counts once however many of the person's
// learners completed it, as done when the first of them completed it in the
// period, so the tally does not depend on the order the lists come in. Its
// state is reused from one person to the next, so folding allocates only the
// person's map of tallies.
type folder struct {
	from, to string
	modules  []string
	// items maps module id + fieldSep + lesson or quiz id, the way a record
	// begins, to the module and the item's slot in firstDone.
	items map[string]item
	// firstDone is, for each item, the current person's first completion
	// of it in the period ("" for none).
	firstDone []string
	slotOf    []int // the module of each slot
	entries   []entry
}

type item struct{ module, slot int }

// entry is a module's tally while a person is folded: times stay as stored
// text, which orders as the times do, and are parsed once per module.
type entry struct {
	ModuleTally
	touched             bool
	lessonsDone, passed string
}

func newFolder(q ReportQuery) *folder {
	f := &folder{from: from(q), to: to(q), items: map[string]item{}, entries: make([]entry, len(q.Modules))}
	add := func(m int, id string) {
		key := q.Modules[m].ID + fieldSep + id
		if _, ok := f.items[key]; !ok {
			f.items[key] = item{module: m, slot: len(f.items)}
			f.slotOf = append(f.slotOf, m)
		}
	}
	for i, m := range q.Modules {
		f.modules = append(f.modules, m.ID)
		for _, id := range m.LessonIDs {
			add(i, id)
		}
		if m.QuizID != "" {
			add(i, m.QuizID)
		}
	}
	f.firstDone = make([]string, len(f.items))
	return f
}

// in reports whether a completion at (a stored time, "" for none) falls in
// the period.
func (f *folder) in(at string) bool { return at != "" && at >= f.from && at < f.to }

// attemptFields is how many fields an attempt record has (see attemptRecord).
const attemptFields = 7

func (f *folder) fold(p *PersonProgress, lessons, attempts string) error {
	clear(f.firstDone)
	clear(f.entries)
	for rec := range strings.SplitSeq(lessons, recordSep) {
		// A record that does not split cleanly has a separator inside an id
		// (a bundle may carry anything) and so is none of the pack's lessons,
		// whose ids are slugs.
		key, done, ok := cutLesson(rec)
		if !ok {
			continue
		}
		it, ok := f.items[key]
		if !ok {
			continue
		}
		e := &f.entries[it.module]
		e.touched, e.Started = true, true
		if first := &f.firstDone[it.slot]; f.in(done) && (*first == "" || done < *first) {
			*first = done
		}
	}
	for slot, first := range f.firstDone {
		if first != "" {
			e := &f.entries[f.slotOf[slot]]
			e.LessonsDone++
			e.lessonsDone = max(e.lessonsDone, first)
		}
	}
	var fields [attemptFields]string
	for rec := range strings.SplitSeq(attempts, recordSep) {
		if !splitFields(rec, fields[:]) {
			continue // as above: not one of the pack's quizzes
		}
		started, submitted := fields[2], fields[3]
		// Progress begun after the period is not seen at all.
		it, ok := f.items[rec[:len(fields[0])+len(fieldSep)+len(fields[1])]]
		if !ok || started >= f.to {
			continue
		}
		e := &f.entries[it.module]
		e.touched, e.Started = true, true
		if !f.in(submitted) {
			continue
		}
		score, err1 := parseScore(fields[4])
		maxScore, err2 := parseScore(fields[5])
		if err := errors.Join(err1, err2); err != nil {
			return err
		}
		if maxScore > 0 {
			if pct := score * 100 / maxScore; !e.HasScore || pct > e.Best {
				e.HasScore, e.Best = true, pct
			}
		}
		if fields[6] == "1" && (!e.Passed || submitted < e.passed) {
			e.Passed, e.passed = true, submitted
		}
	}
	n := 0
	for i := range f.entries {
		if f.entries[i].touched {
			n++
		}
	}
	p.Modules = make(map[string]ModuleTally, n)
	for i := range f.entries {
		e := &f.entries[i]
		if !e.touched {
			continue
		}
		if e.lessonsDone != "" {
			e.LessonsDoneAt = parseTime(e.lessonsDone)
		}
		if e.passed != "" {
			e.PassedAt = parseTime(e.passed)
		}
		p.Modules[f.modules[i]] = e.ModuleTally
	}
	return nil
}

// cutLesson splits a lesson record into its key (module and lesson) and its
// completion time; ok is false unless it has exactly three fields.
func cutLesson(rec string) (key, done string, ok bool) {
	i := strings.Index(rec, fieldSep)
	if i < 0 {
		return "", "", false
	}
	j := strings.Index(rec[i+1:], fieldSep)
	if j < 0 {
		return "", "", false
	}
	key, done = rec[:i+1+j], rec[i+1+j+1:]
	return key, done, !strings.Contains(done, fieldSep)
}

// splitFields splits a record into exactly len(fields) fields, without
// allocating; ok is false for any other count.
func splitFields(rec string, fields []string) bool {
	for i := range len(fields) - 1 {
		var ok bool
		fields[i], rec, ok = strings.Cut(rec, fieldSep)
		if !ok {
			return false
		}
	}
	fields[len(fields)-1] = rec
	return !strings.Contains(rec, fieldSep)
}

// parseScore reads a score as the database printed it; "" is no score.
func parseScore(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	return strconv.ParseFloat(s, 64)
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
