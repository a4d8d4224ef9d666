package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// attemptStreamQuery reads a learner's attempts in a pack, oldest first,
// through the index attempts_by_time, each with its answers already encoded
// as a JSON list in the order the attempt asked the questions (found through
// the answers' primary key): one row per attempt, nothing sorted but the
// answers of one attempt.
const attemptStreamQuery = `SELECT a.id, a.learner_id, a.pack_id, a.pack_version, a.module_id, a.quiz_id, a.seed,
	a.question_ids, a.pass_mark, a.started_at, a.submitted_at, coalesce(a.score, 0), coalesce(a.max_score, 0),
	coalesce(a.passed, 0),
	(SELECT json_group_array(json_object('question_id', an.question_id, 'question_hash', an.question_hash,
		'answer', json(an.answer), 'score', an.score, 'max_score', an.max_score, 'answered_at', an.answered_at)
		ORDER BY q.key)
	FROM json_each(a.question_ids) q JOIN answers an ON an.attempt_id = a.id AND an.question_id = q.value)
	FROM attempts a WHERE a.learner_id = ? AND a.pack_id = ? ORDER BY a.started_at, a.id`

// attemptListQuery reads a learner's attempts in a pack, oldest first,
// through the index attempts_by_time, without their answers.
const attemptListQuery = `SELECT ` + attemptColumns + ` FROM attempts
	WHERE learner_id = ? AND pack_id = ? ORDER BY started_at, id`

// EachAttempt calls fn with each of a learner's attempts in a pack, oldest
// first, without their answers. One attempt is held at a time.
func (s *Store) EachAttempt(ctx context.Context, learnerID, packID string, fn func(a Attempt) error) error {
	return s.eachAttempt(ctx, attemptListQuery, learnerID, packID, nil, func(a Attempt) error { return fn(a) })
}

// EachAttemptWithAnswers calls fn with each of a learner's attempts in a
// pack, oldest first, and its answers as a JSON list of Answer in the order
// the attempt asked the questions. One attempt is held at a time, and the
// answers are encoded by the database, so a long history streams in little
// memory.
func (s *Store) EachAttemptWithAnswers(ctx context.Context, learnerID, packID string, fn func(a Attempt, answers json.RawMessage) error) error {
	var answers string
	return s.eachAttempt(ctx, attemptStreamQuery, learnerID, packID, &answers, func(a Attempt) error {
		return fn(a, json.RawMessage(answers))
	})
}

// eachAttempt runs query for a learner and a pack and calls fn with each
// attempt it reads; the column after the attempt's goes to extra, if given.
func (s *Store) eachAttempt(ctx context.Context, query, learnerID, packID string, extra any, fn func(a Attempt) error) error {
	rows, err := s.prepared().QueryContext(ctx, query, learnerID, packID)
	if err != nil {
		return fmt.Errorf("read attempts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanAttempt(rows, extra)
		if err != nil {
			return err
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read attempts: %w", err)
	}
	return nil
}

// scanAttempt reads the attemptColumns of the current row, then extra, if given.
func scanAttempt(rows *sql.Rows, extra any) (Attempt, error) {
	var a Attempt
	var ids, started string
	var submitted sql.NullString
	dest := []any{&a.ID, &a.LearnerID, &a.PackID, &a.PackVersion, &a.ModuleID, &a.QuizID, &a.Seed, &ids,
		&a.PassMark, &started, &submitted, &a.Score, &a.MaxScore, &a.Passed}
	if extra != nil {
		dest = append(dest, extra)
	}
	if err := rows.Scan(dest...); err != nil {
		return a, fmt.Errorf("read attempts: %w", err)
	}
	if err := json.Unmarshal([]byte(ids), &a.QuestionIDs); err != nil {
		return a, fmt.Errorf("read attempt %s: %w", a.ID, err)
	}
	a.StartedAt = parseTime(started)
	if submitted.Valid {
		t := parseTime(submitted.String)
		a.SubmittedAt = &t
	}
	return a, nil
}
