package store

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Meta keys of the sync cursor: the last event sequence number an office
// acknowledged, and when progress last left this device.
const (
	metaAckedSeq = "sync_acked_seq"
	metaLastSent = "sync_last_sent"
)

// SyncStatus is what the dashboard says about progress leaving this PC.
type SyncStatus struct {
	// Pending is how many records are waiting to be sent.
	Pending int `json:"pending"`
	// LastSent is when progress last left the device; zero when never.
	LastSent time.Time `json:"last_sent"`
}

// SyncStatus counts the events not yet acknowledged by an office.
func (s *Store) SyncStatus(ctx context.Context) (SyncStatus, error) {
	var st SyncStatus
	acked, err := s.Meta(ctx, metaAckedSeq)
	if err != nil {
		return st, err
	}
	seq, _ := strconv.ParseInt(acked, 10, 64)
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE seq > ?`, seq).Scan(&st.Pending); err != nil {
		return st, fmt.Errorf("count pending records: %w", err)
	}
	if sent, err := s.Meta(ctx, metaLastSent); err == nil && sent != "" {
		st.LastSent = parseTime(sent)
	}
	return st, nil
}
