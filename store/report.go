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
// none; each person gives one row of its own and one row per module for
// lessons and for quizzes, grouped from the progress tables through their
// indexes (a roster entry over all its linked learners, one per PC). Rows
// come ordered by unit, name and person, so a reader merges them one person
// at a time and memory does not grow with the roster.
const reportSQL = `
SELECT pid, on_roster, full_name, staff_code, position, unit_path, module_id, done, done_at, best, passed, passed_at
FROM (
	SELECT r.id AS pid, 1 AS on_roster, r.full_name, r.staff_code, r.position, r.unit_path,
		'' AS module_id, 0 AS done, NULL AS done_at, NULL AS best, 0 AS passed, NULL AS passed_at
	FROM roster r
	UNION ALL
	SELECT l.id, 0, l.full_name, l.staff_code, '', l.unit_path, '', 0, NULL, NULL, 0, NULL
	FROM learners l WHERE NOT EXISTS (SELECT 1 FROM roster_links k WHERE k.learner_id = l.id)
	UNION ALL
	SELECT r.id, 1, r.full_name, r.staff_code, r.position, r.unit_path, p.module_id,
		count(DISTINCT CASE WHEN p.completed_at >= {from} AND p.completed_at < {to} THEN p.lesson_id END),
		max(CASE WHEN p.completed_at >= {from} AND p.completed_at < {to} THEN p.completed_at END), NULL, 0, NULL
	FROM roster r JOIN roster_links k ON k.roster_id = r.id JOIN lesson_progress p ON p.learner_id = k.learner_id
	WHERE p.pack_id = {pack} AND p.opened_at < {to} AND p.lesson_id IN ({lessons})
	GROUP BY r.id, p.module_id
	UNION ALL
	SELECT l.id, 0, l.full_name, l.staff_code, '', l.unit_path, p.module_id,
		count(CASE WHEN p.completed_at >= {from} AND p.completed_at < {to} THEN 1 END),
		max(CASE WHEN p.completed_at >= {from} AND p.completed_at < {to} THEN p.completed_at END), NULL, 0, NULL
	FROM learners l JOIN lesson_progress p ON p.learner_id = l.id
	WHERE NOT EXISTS (SELECT 1 FROM roster_links k WHERE k.learner_id = l.id)
		AND p.pack_id = {pack} AND p.opened_at < {to} AND p.lesson_id IN ({lessons})
	GROUP BY l.id, p.module_id
	UNION ALL
	SELECT r.id, 1, r.full_name, r.staff_code, r.position, r.unit_path, a.module_id, 0, NULL, {best}, {passed}, {passedAt}
	FROM roster r JOIN roster_links k ON k.roster_id = r.id JOIN attempts a ON a.learner_id = k.learner_id
	WHERE a.pack_id = {pack} AND a.started_at < {to} AND a.quiz_id IN ({quizzes})
	GROUP BY r.id, a.module_id
	UNION ALL
	SELECT l.id, 0, l.full_name, l.staff_code, '', l.unit_path, a.module_id, 0, NULL, {best}, {passed}, {passedAt}
	FROM learners l JOIN attempts a ON a.learner_id = l.id
	WHERE NOT EXISTS (SELECT 1 FROM roster_links k WHERE k.learner_id = l.id)
		AND a.pack_id = {pack} AND a.started_at < {to} AND a.quiz_id IN ({quizzes})
	GROUP BY l.id, a.module_id
) AS rows
WHERE ({unit} = '' OR unit_path = {unit} OR unit_path LIKE {unitLike} ESCAPE '\')
	AND ({person} = '' OR pid = {person})
ORDER BY unit_path, full_name, staff_code, pid, module_id`

// Aggregates of the quiz rows, over submissions inside the period.
const (
	sqlBest = `max(CASE WHEN a.submitted_at >= {from} AND a.submitted_at < {to} AND a.max_score > 0
		THEN a.score * 100.0 / a.max_score END)`
	sqlPassed   = `max(CASE WHEN a.submitted_at >= {from} AND a.submitted_at < {to} AND a.passed = 1 THEN 1 ELSE 0 END)`
	sqlPassedAt = `min(CASE WHEN a.submitted_at >= {from} AND a.submitted_at < {to} AND a.passed = 1 THEN a.submitted_at END)`
)

// ReportSQL returns the report query with its arguments, for a floor
// measurement by another SQL client. It is what ReportRows runs.
func ReportSQL(q ReportQuery) (string, []any) {
	from, to := "", "9999"
	if !q.From.IsZero() {
		from = formatTime(q.From)
	}
	if !q.To.IsZero() {
		to = formatTime(q.To)
	}
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
		"from": {from}, "to": {to}, "pack": {q.PackID}, "lessons": lessonIDs, "quizzes": quizIDs,
		"unit": {unit}, "unitLike": {escapeLike(unit) + " / %"}, "person": {q.Person},
	}
	text := strings.NewReplacer("{best}", sqlBest, "{passed}", sqlPassed, "{passedAt}", sqlPassedAt).Replace(reportSQL)
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
	var cur *PersonProgress
	for rows.Next() {
		var r reportRow
		if err := rows.Scan(&r.key, &r.onRoster, &r.fullName, &r.staffCode, &r.position, &r.unitPath,
			&r.moduleID, &r.done, &r.doneAt, &r.best, &r.passed, &r.passedAt); err != nil {
			return fmt.Errorf("report query: %w", err)
		}
		if cur != nil && cur.Key != r.key {
			if err := fn(cur); err != nil {
				return err
			}
			cur = nil
		}
		if cur == nil {
			cur = &PersonProgress{Key: r.key, OnRoster: r.onRoster == 1, FullName: r.fullName, StaffCode: r.staffCode,
				Position: r.position, UnitPath: r.unitPath, Modules: map[string]ModuleTally{}}
		}
		r.addTo(cur)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("report query: %w", err)
	}
	if cur != nil {
		return fn(cur)
	}
	return nil
}

type reportRow struct {
	key, fullName, staffCode, position, unitPath, moduleID string
	onRoster, done, passed                                 int
	doneAt, passedAt                                       sql.NullString
	best                                                   sql.NullFloat64
}

// addTo merges one row into its person. The lesson and the quiz halves of a
// module come as two rows.
func (r *reportRow) addTo(p *PersonProgress) {
	if r.moduleID == "" {
		return
	}
	t := p.Modules[r.moduleID]
	t.Started = true
	t.LessonsDone += r.done
	if r.doneAt.Valid {
		t.LessonsDoneAt = parseTime(r.doneAt.String)
	}
	if r.best.Valid {
		t.HasScore, t.Best = true, r.best.Float64
	}
	if r.passed == 1 {
		t.Passed = true
		if r.passedAt.Valid {
			t.PassedAt = parseTime(r.passedAt.String)
		}
	}
	p.Modules[r.moduleID] = t
}
