package store

import (
	"context"
	"database/sql"
	"errors"
)

// Events merged from several bundles can arrive in any order: an answer or a
// submission may come before the start of its attempt. Such an event is kept
// in sync_orphans and applied when the start arrives, so that the read model
// is the same whatever the order.

// keepIfOrphan remembers an answer or submission that changed nothing because
// its attempt is not known yet.
func keepIfOrphan(ctx context.Context, tx dbtx, res sql.Result, attemptID, eventID string) error {
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM attempts WHERE id = ?`, attemptID).Scan(&one)
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO sync_orphans(attempt_id, event_id) VALUES (?, ?)
		ON CONFLICT DO NOTHING`, attemptID, eventID)
	return err
}

// adoptOrphans applies what arrived early for an attempt that has just started:
// answers before the submission, as Rebuild orders them.
func adoptOrphans(ctx context.Context, tx dbtx, attemptID string) error {
	rows, err := tx.QueryContext(ctx, `SELECT e.id, e.learner_id, e.device_id, e.kind, e.pack_id, e.pack_version,
		e.pack_hash, e.item_id, e.time, e.payload FROM sync_orphans o JOIN events e ON e.id = o.event_id
		WHERE o.attempt_id = ? ORDER BY CASE e.kind WHEN 'quiz.submitted' THEN 1 ELSE 0 END, e.time, e.id`, attemptID)
	if err != nil {
		return err
	}
	evs, err := scanEvents(rows)
	if err != nil || len(evs) == 0 {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sync_orphans WHERE attempt_id = ?`, attemptID); err != nil {
		return err
	}
	for _, ev := range evs {
		if err := apply(ctx, tx, ev); err != nil {
			return err
		}
	}
	return nil
}
