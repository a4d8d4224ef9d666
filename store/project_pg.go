package store

import (
	"context"
	"fmt"
	"strings"
)

// PostgreSQL's version of projectSince: the same rules, one statement per
// read-model table for a whole batch, with each payload parsed once as jsonb.
// The events to apply are those of the log after a seq for an import, which
// holds the log to itself, or the rows a hub group has just added while other
// processes' groups commit alongside.
//
// Scalars come from jsonb; the answer and the question ids are taken as the
// payload's own text (json, not jsonb, which would re-space them), which is
// what apply stores. Casts are lenient, as SQLite's are: a value of the wrong
// JSON type gives the column's zero rather than an error that would refuse
// every batch committed with it.

const (
	// batchEvents is replaced by the events to apply, as a table e and the
	// start of a WHERE clause with one parameter.
	batchEvents = "BATCH"
	// pgLogAfter is the events of the log after a seq.
	pgLogAfter = "events e WHERE e.seq > ?"
	// pgIngested is the rows a hub group has just added, which pgInsertEvents
	// copies to a temporary table: each step reads them there, instead of
	// finding each of them again in the log's index. Its parameter is 0.
	pgIngested = "pg_temp.ingest_new e WHERE e.seq > ?"
)

// pgIngestTable holds a transaction's new rows (see pgIngested).
const pgIngestTable = `CREATE TEMP TABLE IF NOT EXISTS ingest_new (LIKE events) ON COMMIT DELETE ROWS`

// pgNum and pgInt read a JSON number at path, or 0 for anything else.
func pgNum(field string) string {
	return fmt.Sprintf(`CASE WHEN jsonb_typeof(p->'%[1]s') = 'number' THEN (p->>'%[1]s')::float8 ELSE 0 END`, field)
}

func pgInt(field string) string {
	return fmt.Sprintf(`CASE WHEN jsonb_typeof(p->'%[1]s') = 'number'
		AND (p->>'%[1]s')::numeric BETWEEN -9223372036854775808 AND 9223372036854775807
		THEN trunc((p->>'%[1]s')::numeric)::bigint ELSE 0 END`, field)
}

// pgText reads a JSON string (or any scalar, as its text) at path.
func pgText(field string) string {
	return fmt.Sprintf(`coalesce(p->>'%s', '')`, field)
}

var pgProjectSteps = []struct{ name, sql string }{
	{"profiles", `INSERT INTO learners (id, full_name, staff_code, unit_path, created_at, updated_at, profile_event)
		SELECT learner_id, ` + pgText("full_name") + `, ` + pgText("staff_code") + `, ` + pgText("unit_path") + `,
			first, time, id
		FROM (SELECT e.learner_id, e.payload::jsonb AS p, e.time, e.id,
				row_number() OVER (PARTITION BY e.learner_id ORDER BY e.time DESC, e.id DESC) AS rn,
				min(e.time) OVER (PARTITION BY e.learner_id) AS first
			FROM BATCH AND e.kind = 'learner.profile') AS x
		WHERE rn = 1` + upsertProfileSet},
	{"lessons", `INSERT INTO lesson_progress (learner_id, pack_id, module_id, lesson_id, opened_at, completed_at)
		SELECT learner_id, pack_id, coalesce(min(module_id), ''), item_id, min(time),
			min(CASE kind WHEN 'lesson.completed' THEN time END)
		FROM (SELECT e.learner_id, e.pack_id, e.item_id, e.kind, e.time,
				(e.payload::jsonb->>'module_id') COLLATE "C" AS module_id
			FROM BATCH AND e.kind IN ('lesson.opened', 'lesson.completed')) AS x
		GROUP BY learner_id, pack_id, item_id` + upsertLessonSet},
	{"attempts", `INSERT INTO attempts
			(id, learner_id, pack_id, pack_version, module_id, quiz_id, seed, question_ids, pass_mark, started_at)
		SELECT ` + pgText("attempt_id") + `, learner_id, pack_id, pack_version, ` + pgText("module_id") + `, item_id,
			` + pgInt("seed") + `, coalesce((j->'question_ids')::text, 'null'), ` + pgNum("pass_mark") + `, time
		FROM (SELECT e.seq, e.learner_id, e.pack_id, e.pack_version, e.item_id, e.time,
				e.payload::jsonb AS p, e.payload::json AS j
			FROM BATCH AND e.kind = 'quiz.started') AS x
		ORDER BY seq
		ON CONFLICT(id) DO NOTHING`},
	// Answers of attempts that are open (or were submitted after the answer),
	// the newest per question, from this batch and from the orphans of the
	// attempts it starts (no other orphan can have an attempt by now).
	{"answers", `WITH b AS (SELECT e.id, e.kind, e.item_id, e.time, e.payload FROM BATCH
			AND e.kind IN ('quiz.answered', 'quiz.started')),
		c AS (SELECT id, item_id, time, payload FROM b WHERE kind = 'quiz.answered'
			UNION ALL
			SELECT e.id, e.item_id, e.time, e.payload FROM sync_orphans o JOIN events e ON e.id = o.event_id
			WHERE e.kind = 'quiz.answered' AND o.attempt_id IN
				(SELECT (payload::jsonb->>'attempt_id') COLLATE "C" FROM b WHERE kind = 'quiz.started')),
		d AS (SELECT c.id, c.item_id, c.time, c.payload::jsonb AS p, c.payload::json AS j,
				coalesce(c.payload::jsonb->>'attempt_id', '') COLLATE "C" AS attempt_id FROM c)
		INSERT INTO answers
			(attempt_id, question_id, question_hash, answer, score, max_score, answered_at, event_id)
		SELECT attempt_id, item_id, ` + pgText("question_hash") + `, coalesce((j->'answer')::text, 'null'),
			` + pgNum("score") + `, ` + pgNum("max_score") + `, time, id
		FROM (SELECT d.*, row_number() OVER (PARTITION BY d.attempt_id, d.item_id ORDER BY d.time DESC, d.id DESC) AS rn
			FROM d JOIN attempts a ON a.id = d.attempt_id
			WHERE a.submitted_at IS NULL OR a.submitted_at >= d.time) AS x
		WHERE rn = 1
		ON CONFLICT(attempt_id, question_id) DO UPDATE SET
			question_hash = excluded.question_hash, answer = excluded.answer,
			score = excluded.score, max_score = excluded.max_score,
			answered_at = excluded.answered_at, event_id = excluded.event_id
		WHERE (excluded.answered_at, excluded.event_id) > (answers.answered_at, answers.event_id)`},
	// The first submission of each attempt in log order closes it.
	{"submissions", `WITH b AS (SELECT e.seq, e.kind, e.time, e.payload FROM BATCH
			AND e.kind IN ('quiz.submitted', 'quiz.started')),
		c AS (SELECT seq, time, payload FROM b WHERE kind = 'quiz.submitted'
			UNION ALL
			SELECT e.seq, e.time, e.payload FROM sync_orphans o JOIN events e ON e.id = o.event_id
			WHERE e.kind = 'quiz.submitted' AND o.attempt_id IN
				(SELECT (payload::jsonb->>'attempt_id') COLLATE "C" FROM b WHERE kind = 'quiz.started')),
		s AS (SELECT * FROM (SELECT seq, time, p, coalesce(p->>'attempt_id', '') COLLATE "C" AS attempt_id,
				row_number() OVER (PARTITION BY p->>'attempt_id' ORDER BY seq) AS rn
			FROM (SELECT seq, time, payload::jsonb AS p FROM c) AS c2) AS x WHERE rn = 1)
		UPDATE attempts SET submitted_at = s.time,
			score = ` + strings.ReplaceAll(pgNum("score"), "p->", "s.p->") + `,
			max_score = ` + strings.ReplaceAll(pgNum("max_score"), "p->", "s.p->") + `,
			passed = CASE WHEN s.p->'passed' = 'true'::jsonb THEN 1 ELSE 0 END
		FROM s WHERE attempts.id = s.attempt_id AND attempts.submitted_at IS NULL`},
	{"orphans kept", `INSERT INTO sync_orphans (attempt_id, event_id)
		SELECT attempt_id, id FROM (SELECT e.id, coalesce(e.payload::jsonb->>'attempt_id', '') COLLATE "C" AS attempt_id
			FROM BATCH AND e.kind IN ('quiz.answered', 'quiz.submitted')) AS x
		WHERE NOT EXISTS (SELECT 1 FROM attempts a WHERE a.id = x.attempt_id)
		ON CONFLICT DO NOTHING`},
	{"orphans adopted", `DELETE FROM sync_orphans o
		WHERE o.attempt_id IN (SELECT (e.payload::jsonb->>'attempt_id') COLLATE "C" FROM BATCH
			AND e.kind = 'quiz.started')
			AND EXISTS (SELECT 1 FROM attempts a WHERE a.id = o.attempt_id)`},
}

// pgProjectSQL is pgProjectSteps reading the events of batch.
func pgProjectSQL(batch string) []string {
	out := make([]string, len(pgProjectSteps))
	for i, step := range pgProjectSteps {
		out[i] = strings.ReplaceAll(step.sql, batchEvents, batch)
	}
	return out
}

var (
	pgProjectAfter    = pgProjectSQL(pgLogAfter)
	pgProjectIngested = pgProjectSQL(pgIngested)
)

// pgProject applies the events steps read (with arg) to the read model.
func pgProject(ctx context.Context, tx dbtx, steps []string, arg any) error {
	for i, q := range steps {
		if _, err := tx.ExecContext(ctx, q, arg); err != nil {
			return fmt.Errorf("project %s: %w", pgProjectSteps[i].name, err)
		}
	}
	return nil
}
