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
	// answers table keeps the latest answer per question).
	err = tx.QueryRowContext(ctx, `SELECT coalesce(sum(score), 0) FROM answers
		WHERE attempt_id = ? AND question_id IN (SELECT value FROM json_each(?))`, p.AttemptID, ids).Scan(&p.Score)
	if err != nil {
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
