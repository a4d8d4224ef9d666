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

// reportSQL is the one query every report format is made from. It is plain
// SQL with ? placeholders: people are roster entries (with each linked
// learner) and unlinked learners; progress is grouped per learner and module
// and joined on. Rows come ordered by person, so a reader merges them one
// person at a time and memory does not grow with the roster.
const reportSQL = `
WITH people AS (
	SELECT r.id AS pid, 1 AS on_roster, r.full_name, r.staff_code, r.position, r.unit_path FROM roster r
	UNION ALL
	SELECT l.id, 0, l.full_name, l.staff_code, '', l.unit_path
	FROM learners l WHERE NOT EXISTS (SELECT 1 FROM roster_links k WHERE k.learner_id = l.id)
),
prog AS (
	SELECT coalesce(k.roster_id, p.learner_id) AS pid, p.module_id,
		count(DISTINCT CASE WHEN p.completed_at >= ? AND p.completed_at < ? THEN p.lesson_id END) AS done,
		max(CASE WHEN p.completed_at >= ? AND p.completed_at < ? THEN p.completed_at END) AS done_at,
		NULL AS best, 0 AS passed, NULL AS passed_at
	FROM lesson_progress p LEFT JOIN roster_links k ON k.learner_id = p.learner_id
	WHERE p.pack_id = ? AND p.opened_at < ? AND p.lesson_id IN (%s)
	GROUP BY coalesce(k.roster_id, p.learner_id), p.module_id
	UNION ALL
	SELECT coalesce(k.roster_id, a.learner_id), a.module_id, 0, NULL,
		max(CASE WHEN a.submitted_at >= ? AND a.submitted_at < ? AND a.max_score > 0 THEN a.score * 100.0 / a.max_score END),
		max(CASE WHEN a.submitted_at >= ? AND a.submitted_at < ? AND a.passed = 1 THEN 1 ELSE 0 END),
		min(CASE WHEN a.submitted_at >= ? AND a.submitted_at < ? AND a.passed = 1 THEN a.submitted_at END)
	FROM attempts a LEFT JOIN roster_links k ON k.learner_id = a.learner_id
	WHERE a.pack_id = ? AND a.started_at < ? AND a.quiz_id IN (%s)
	GROUP BY coalesce(k.roster_id, a.learner_id), a.module_id
)
SELECT p.pid, p.on_roster, p.full_name, p.staff_code, p.position, p.unit_path,
	coalesce(g.module_id, ''), coalesce(g.done, 0), g.done_at, g.best, coalesce(g.passed, 0), g.passed_at
FROM people p LEFT JOIN prog g ON g.pid = p.pid
WHERE (? = '' OR p.unit_path = ? OR p.unit_path LIKE ? ESCAPE '\')
	AND (? = '' OR p.pid = ?)
ORDER BY p.unit_path, p.full_name, p.staff_code, p.pid`

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
	// IN () is not SQL; a value no id can have keeps the list non-empty.
	if len(lessonIDs) == 0 {
		lessonIDs = []any{"\x00"}
	}
	if len(quizIDs) == 0 {
		quizIDs = []any{"\x00"}
	}
	text := fmt.Sprintf(reportSQL, placeholders(len(lessonIDs)), placeholders(len(quizIDs)))
	args := []any{from, to, from, to, q.PackID, to}
	args = append(args, lessonIDs...)
	args = append(args, from, to, from, to, from, to, q.PackID, to)
	args = append(args, quizIDs...)
	unit := strings.TrimSpace(q.UnitPrefix)
	args = append(args, unit, unit, escapeLike(unit)+" / %", q.Person, q.Person)
	return text, args
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
