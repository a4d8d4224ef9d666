package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"hocso/quiz"
)

// sealSubmission fills a quiz.submitted event's score and verdict from the
// answers stored for the attempt, inside the transaction that records it.
// The submitting screen only proposes the attempt's maximum: its own memory of
// the answers may be stale (another process on the same database may have
// answered since), so the score a learner is given always agrees with the
// answers anyone can read back.
func sealSubmission(ctx context.Context, tx dbtx, ev *Event) error {
	var p SubmittedPayload
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		return fmt.Errorf("submit payload: %w", err)
	}
	var ids string
	var passMark float64
	err := tx.QueryRowContext(ctx, `SELECT question_ids, pass_mark FROM attempts WHERE id = ?`, p.AttemptID).
		Scan(&ids, &passMark)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNoAttempt
	}
	if err != nil {
		return err
	}
	// Only answers to the attempt's own questions count, each once (the
	// answers table keeps the latest answer per question). The sum is made
	// here rather than with json_each, which PostgreSQL does not share.
	var own []string
	if err := json.Unmarshal([]byte(ids), &own); err != nil {
		return fmt.Errorf("attempt %s questions: %w", p.AttemptID, err)
	}
	asked := make(map[string]bool, len(own))
	for _, id := range own {
		asked[id] = true
	}
	rows, err := tx.QueryContext(ctx, `SELECT question_id, score FROM answers WHERE attempt_id = ?`, p.AttemptID)
	if err != nil {
		return err
	}
	defer rows.Close()
	p.Score = 0
	for rows.Next() {
		var q string
		var score float64
		if err := rows.Scan(&q, &score); err != nil {
			return err
		}
		if asked[q] {
			p.Score += score
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if p.MaxScore < p.Score {
		p.MaxScore = p.Score // a screen that proposed too little cannot make a score above 100%
	}
	p.Passed = (&quiz.Quiz{PassMark: passMark}).Passed(p.Score, p.MaxScore)
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encode submit payload: %w", err)
	}
	ev.Payload = b
	return nil
}
