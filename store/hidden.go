package store

import (
	"context"
	"fmt"
	"strings"
)

// A profile removed from a shared PC is hidden on this device only: a
// device-local flag, not an event. Its events stay in the log and still
// reach the office (the person's results are the office's record, and a
// removal on one PC must not spread to others through sync); the picker no
// longer lists it, and its PIN is forgotten.

const hiddenPrefix = "hidden_learner:"

// HideLearner removes a learner from this device's list of profiles.
func (s *Store) HideLearner(ctx context.Context, id string) error {
	if _, err := s.Learner(ctx, id); err != nil {
		return err
	}
	if err := s.SetMeta(ctx, hiddenPrefix+id, s.now().Format("2006-01-02T15:04:05Z")); err != nil {
		return fmt.Errorf("hide learner %s: %w", id, err)
	}
	if cur, err := s.CurrentLearner(ctx); err == nil && cur == id {
		if err := s.SetCurrentLearner(ctx, ""); err != nil {
			return err
		}
	}
	return s.SetPIN(ctx, id, "")
}

// DeviceLearners are the learners this device's picker lists: every learner
// known here but those hidden with HideLearner, by name.
func (s *Store) DeviceLearners(ctx context.Context) ([]Learner, error) {
	all, err := s.Learners(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.prepared().QueryContext(ctx, `SELECT key FROM meta WHERE key LIKE ?`, hiddenPrefix+"%")
	if err != nil {
		return nil, fmt.Errorf("read hidden learners: %w", err)
	}
	defer rows.Close()
	hidden := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("read hidden learners: %w", err)
		}
		hidden[strings.TrimPrefix(k, hiddenPrefix)] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := all[:0]
	for _, l := range all {
		if !hidden[l.ID] {
			out = append(out, l)
		}
	}
	return out, nil
}
