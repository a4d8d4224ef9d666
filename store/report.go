package store

import (
	"context"
	"database/sql"
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

// reportSQL is the one query every report format is made from: plain SQL
// with ? placeholders. People are roster entries and the learners linked to
// none; each person gives one row of its own, one per lesson opened and one
// per quiz attempt (a roster entry's over all its linked learners, one per
// PC), each reached through an index. Rows come ordered by unit, name and
// person, and ReportRows folds them one person at a time, so memory does not
// grow with the roster and the database does no grouping.
const reportSQL = `
SELECT r.id AS pid, 1 AS on_roster, r.full_name, r.staff_code, r.position, r.unit_path,
	0 AS kind, '' AS module_id, '' AS item, CAST(NULL AS TEXT) AS at, CAST(NULL AS REAL) AS score,
	CAST(NULL AS REAL) AS max_score, 0 AS passed
FROM roster r WHERE {inR}
UNION ALL
SELECT l.id, 0, l.full_name, l.staff_code, '', l.unit_path, 0, '', '', NULL, NULL, NULL, 0
FROM learners l WHERE {inL} AND NOT EXISTS (SELECT 1 FROM roster_links k WHERE k.learner_id = l.id)
UNION ALL
SELECT r.id, 1, r.full_name, r.staff_code, r.position, r.unit_path, 1, p.module_id, p.lesson_id, p.completed_at, NULL, NULL, 0
FROM roster r JOIN roster_links k ON k.roster_id = r.id JOIN lesson_progress p ON p.learner_id = k.learner_id
WHERE {inR} AND p.pack_id = {pack} AND p.opened_at < {to} AND p.lesson_id IN ({lessons})
UNION ALL
SELECT l.id, 0, l.full_name, l.staff_code, '', l.unit_path, 1, p.module_id, p.lesson_id, p.completed_at, NULL, NULL, 0
FROM learners l JOIN lesson_progress p ON p.learner_id = l.id
WHERE {inL} AND NOT EXISTS (SELECT 1 FROM roster_links k WHERE k.learner_id = l.id)
	AND p.pack_id = {pack} AND p.opened_at < {to} AND p.lesson_id IN ({lessons})
UNION ALL
SELECT r.id, 1, r.full_name, r.staff_code, r.position, r.unit_path, 2, a.module_id, a.quiz_id, a.submitted_at,
	a.score, a.max_score, coalesce(a.passed, 0)
FROM roster r JOIN roster_links k ON k.roster_id = r.id JOIN attempts a ON a.learner_id = k.learner_id
WHERE {inR} AND a.pack_id = {pack} AND a.started_at < {to} AND a.quiz_id IN ({quizzes})
UNION ALL
SELECT l.id, 0, l.full_name, l.staff_code, '', l.unit_path, 2, a.module_id, a.quiz_id, a.submitted_at,
	a.score, a.max_score, coalesce(a.passed, 0)
FROM learners l JOIN attempts a ON a.learner_id = l.id
WHERE {inL} AND NOT EXISTS (SELECT 1 FROM roster_links k WHERE k.learner_id = l.id)
	AND a.pack_id = {pack} AND a.started_at < {to} AND a.quiz_id IN ({quizzes})
ORDER BY unit_path, full_name, staff_code, pid`

// sqlInUnit keeps the people of the unit (and below) and the person asked
// for; X stands for the arm's table.
const sqlInUnit = `({unit} = '' OR X.unit_path = {unit} OR X.unit_path LIKE {unitLike} ESCAPE '\') AND ({person} = '' OR X.id = {person})`

// ReportSQL returns the report query with its arguments, for a floor
// measurement by another SQL client. It is what ReportRows runs.
func ReportSQL(q ReportQuery) (string, []any) {
	var lessonIDs, quizIDs []any
	for _, m := range q.Modules {
		for _, id := range m.LessonIDs {
			lessonIDs = append(lessonIDs, id)
		}
		if m.QuizID != "" {
			quizIDs = append(quizIDs, m.QuizID)
		}
	}
	// IN () is not SQL; the empty id, which nothing has, keeps the list non-empty.
	if len(lessonIDs) == 0 {
		lessonIDs = []any{""}
	}
	if len(quizIDs) == 0 {
		quizIDs = []any{""}
	}
	unit := strings.TrimSpace(q.UnitPrefix)
	values := map[string][]any{
		"to": {to(q)}, "pack": {q.PackID}, "lessons": lessonIDs, "quizzes": quizIDs,
		"unit": {unit}, "unitLike": {escapeLike(unit) + " / %"}, "person": {q.Person},
	}
	// Each arm filters its own people, so the database can merge the arms in
	// order from the indexes instead of sorting their union.
	text := strings.NewReplacer("{inR}", strings.ReplaceAll(sqlInUnit, "X.", "r."),
		"{inL}", strings.ReplaceAll(sqlInUnit, "X.", "l.")).Replace(reportSQL)
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
	rows, err := s.db.QueryContext(ctx, text, args...)
	if err != nil {
		return fmt.Errorf("report query: %w", err)
	}
	defer rows.Close()
	f := folder{from: from(q), to: to(q)}
	// The person's columns repeat on each of their rows: read as raw bytes,
	// they become strings once per person, not once per row.
	var key, fullName, staffCode, position, unitPath sql.RawBytes
	var r reportRow
	for rows.Next() {
		if err := rows.Scan(&key, &r.onRoster, &fullName, &staffCode, &position, &unitPath,
			&r.kind, &r.moduleID, &r.item, &r.at, &r.score, &r.maxScore, &r.passed); err != nil {
			return fmt.Errorf("report query: %w", err)
		}
		if f.cur != nil && f.cur.Key != string(key) {
			if err := fn(f.done()); err != nil {
				return err
			}
		}
		if f.cur == nil {
			r.key, r.fullName, r.staffCode = string(key), string(fullName), string(staffCode)
			r.position, r.unitPath = string(position), string(unitPath)
		}
		f.add(&r)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("report query: %w", err)
	}
	if f.cur != nil {
		return fn(f.done())
	}
	return nil
}

type reportRow struct {
	key, fullName, staffCode, position, unitPath, moduleID, item string
	onRoster, kind, passed                                       int
	at                                                           sql.NullString
	score, maxScore                                              sql.NullFloat64
}

// Row kinds of the report query.
const (
	rowPerson = iota
	rowLesson
	rowAttempt
)

// folder folds a person's rows into their tallies: lessons are counted once
// however many of the person's learners completed them.
type folder struct {
	from, to string
	cur      *PersonProgress
	lessons  map[string]bool
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

func (f *folder) add(r *reportRow) {
	if f.cur == nil {
		f.cur = &PersonProgress{Key: r.key, OnRoster: r.onRoster == 1, FullName: r.fullName, StaffCode: r.staffCode,
			Position: r.position, UnitPath: r.unitPath, Modules: map[string]ModuleTally{}}
		clear(f.lessons)
	}
	if r.kind == rowPerson {
		return
	}
	t := f.cur.Modules[r.moduleID]
	t.Started = true
	// Only what was done inside the period counts.
	in := r.at.Valid && r.at.String >= f.from && r.at.String < f.to
	switch r.kind {
	case rowLesson:
		if in && !f.lessons[r.item+"\x00"+r.moduleID] {
			if f.lessons == nil {
				f.lessons = map[string]bool{}
			}
			f.lessons[r.item+"\x00"+r.moduleID] = true
			t.LessonsDone++
			if at := parseTime(r.at.String); at.After(t.LessonsDoneAt) {
				t.LessonsDoneAt = at
			}
		}
	case rowAttempt:
		if in && r.maxScore.Valid && r.maxScore.Float64 > 0 {
			if pct := r.score.Float64 * 100 / r.maxScore.Float64; !t.HasScore || pct > t.Best {
				t.HasScore, t.Best = true, pct
			}
		}
		if in && r.passed == 1 {
			if at := parseTime(r.at.String); !t.Passed || at.Before(t.PassedAt) {
				t.Passed, t.PassedAt = true, at
			}
		}
	}
	f.cur.Modules[r.moduleID] = t
}

// done hands over the person folded so far and starts afresh.
func (f *folder) done() *PersonProgress {
	p := f.cur
	f.cur = nil
	return p
}
