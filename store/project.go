package store

import (
	"context"
	"fmt"
)

// projectSince applies every event with seq > since to the read model in a
// few set-based statements: the bulk path of ImportEvents. It gives the read
// model that apply gives for the same events one by one in seq order (the
// sync tests compare the two): profiles newest-wins, lessons by earliest
// time, attempts first-start-wins, answers newest-wins while the attempt is
// open, submissions first-wins, and early answers and submissions kept in
// sync_orphans until their attempt starts. PostgreSQL's version of the same
// statements is in project_pg.go.

// projectNew applies the events with seq > since, which the caller's
// transaction has just added, to the read model, set-based on both databases.
func (s *Store) projectNew(ctx context.Context, tx dbtx, since int64) error {
	if s.dialect == dialectSQLite {
		return projectSince(ctx, tx, since)
	}
	return pgProject(ctx, tx, pgProjectAfter, since)
}

func projectSince(ctx context.Context, tx dbtx, since int64) error {
	for _, step := range projectSteps {
		if _, err := tx.ExecContext(ctx, step.sql, since); err != nil {
			return fmt.Errorf("project %s: %w", step.name, err)
		}
	}
	return nil
}

var projectSteps = []struct{ name, sql string }{
	// NOT INDEXED: left to itself, SQLite reads the profiles in learner order
	// from events_learner, the whole log's index, to spare the window its
	// sort; the seq range is a few rows of it.
	{"profiles", `INSERT INTO learners (id, full_name, staff_code, unit_path, created_at, updated_at, profile_event)
		SELECT learner_id, coalesce(payload->>'full_name', ''), coalesce(payload->>'staff_code', ''),
			coalesce(payload->>'unit_path', ''), first, time, id
		FROM (SELECT learner_id, payload, time, id,
				row_number() OVER (PARTITION BY learner_id ORDER BY time DESC, id DESC) AS rn,
				min(time) OVER (PARTITION BY learner_id) AS first
			FROM events NOT INDEXED WHERE seq > ?1 AND kind = 'learner.profile')
		WHERE rn = 1` + upsertProfileSet},
	{"lessons", `INSERT INTO lesson_progress (learner_id, pack_id, module_id, lesson_id, opened_at, completed_at)
		SELECT learner_id, pack_id, coalesce(min(payload->>'module_id'), ''), item_id, min(time),
			min(CASE kind WHEN 'lesson.completed' THEN time END)
		FROM events WHERE seq > ?1 AND kind IN ('lesson.opened', 'lesson.completed')
		GROUP BY learner_id, pack_id, item_id` + upsertLessonSet},
	{"attempts", `INSERT INTO attempts
			(id, learner_id, pack_id, pack_version, module_id, quiz_id, seed, question_ids, pass_mark, started_at)
		SELECT coalesce(payload->>'attempt_id', ''), learner_id, pack_id, pack_version,
			coalesce(payload->>'module_id', ''), item_id, coalesce(payload->>'seed', 0),
			coalesce(payload->'question_ids', 'null'), coalesce(payload->>'pass_mark', 0), time
		FROM events WHERE seq > ?1 AND kind = 'quiz.started' ORDER BY seq
		ON CONFLICT(id) DO NOTHING`},
	// Answers of attempts that are open (or were submitted after the answer),
	// the newest per question, from this import and from earlier orphans. The
	// upsert keeps the newest whatever the order it meets them in, so the
	// events need no sorting: SQLite applies each row in turn, also when one
	// statement gives a question several answers.
	{"answers", `INSERT INTO answers
			(attempt_id, question_id, question_hash, answer, score, max_score, answered_at, event_id)
		SELECT a.id, e.item_id, ` + answerColumns + `
		FROM events e JOIN attempts a ON a.id = e.payload->>'attempt_id'
		WHERE e.seq > ?1 AND e.kind = 'quiz.answered' AND (a.submitted_at IS NULL OR a.submitted_at >= e.time)` +
		upsertAnswerSet},
	{"orphan answers", `INSERT INTO answers
			(attempt_id, question_id, question_hash, answer, score, max_score, answered_at, event_id)
		SELECT a.id, e.item_id, ` + answerColumns + `
		FROM sync_orphans o JOIN events e ON e.id = o.event_id JOIN attempts a ON a.id = o.attempt_id
		WHERE e.seq <= ?1 AND e.kind = 'quiz.answered' AND (a.submitted_at IS NULL OR a.submitted_at >= e.time)` +
		upsertAnswerSet},
	// The first submission of each attempt in log order closes it.
	{"submissions", `UPDATE attempts SET submitted_at = s.time, score = coalesce(s.payload->>'score', 0),
			max_score = coalesce(s.payload->>'max_score', 0), passed = coalesce(s.payload->>'passed', 0)
		FROM (SELECT c.*, row_number() OVER (PARTITION BY attempt_id ORDER BY seq) AS rn
			FROM (SELECT e.seq, e.time, e.payload, e.payload->>'attempt_id' AS attempt_id
				FROM events e WHERE e.seq > ?1 AND e.kind = 'quiz.submitted'
				UNION ALL
				SELECT e.seq, e.time, e.payload, o.attempt_id
				FROM sync_orphans o JOIN events e ON e.id = o.event_id
				WHERE e.seq <= ?1 AND e.kind = 'quiz.submitted') AS c) AS s
		WHERE s.rn = 1 AND attempts.id = s.attempt_id AND attempts.submitted_at IS NULL`},
	{"orphans kept", `INSERT INTO sync_orphans (attempt_id, event_id)
		SELECT payload->>'attempt_id', id FROM events
		WHERE seq > ?1 AND kind IN ('quiz.answered', 'quiz.submitted')
			AND NOT EXISTS (SELECT 1 FROM attempts WHERE attempts.id = events.payload->>'attempt_id')
		ON CONFLICT DO NOTHING`},
	{"orphans adopted", `DELETE FROM sync_orphans
		WHERE ?1 >= 0 AND EXISTS (SELECT 1 FROM attempts WHERE attempts.id = sync_orphans.attempt_id)`},
}

// answerColumns are the columns of an answer after its attempt and question,
// from the quiz.answered event e.
const answerColumns = `coalesce(e.payload->>'question_hash', ''), coalesce(e.payload->'answer', 'null'),
			coalesce(e.payload->>'score', 0), coalesce(e.payload->>'max_score', 0), e.time, e.id`
