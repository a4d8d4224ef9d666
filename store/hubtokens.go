package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// HubToken is a hub's record of one access token. The token itself is never
// stored: Hash is its SHA-256, made by the hub.
type HubToken struct {
	ID        string     `json:"id"`
	Hash      string     `json:"-"`
	UnitPath  string     `json:"unit_path"`
	Label     string     `json:"label,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// ErrNoToken is returned for a token id this database does not know.
var ErrNoToken = errors.New("no such token")

// AddHubToken saves a new token record.
func (s *Store) AddHubToken(ctx context.Context, t HubToken) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO hub_tokens (id, hash, unit_path, label, created_at) VALUES (?, ?, ?, ?, ?)`,
		t.ID, t.Hash, t.UnitPath, t.Label, formatTime(t.CreatedAt))
	if err != nil {
		return fmt.Errorf("save token: %w", err)
	}
	return nil
}

// HubTokenByID returns one token record, revoked or not.
func (s *Store) HubTokenByID(ctx context.Context, id string) (HubToken, error) {
	ts, err := s.queryHubTokens(ctx, `WHERE id = ?`, id)
	if err != nil {
		return HubToken{}, err
	}
	if len(ts) == 0 {
		return HubToken{}, fmt.Errorf("token %s: %w", id, ErrNoToken)
	}
	return ts[0], nil
}

// HubTokens returns every token record, oldest first.
func (s *Store) HubTokens(ctx context.Context) ([]HubToken, error) {
	return s.queryHubTokens(ctx, `ORDER BY created_at, id`)
}

// RevokeHubToken stops a token from working; its record stays for the list.
func (s *Store) RevokeHubToken(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE hub_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?`,
		formatTime(s.now()), id)
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("token %s: %w", id, ErrNoToken)
	}
	return nil
}

func (s *Store) queryHubTokens(ctx context.Context, where string, args ...any) ([]HubToken, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, hash, unit_path, label, created_at, revoked_at FROM hub_tokens `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read tokens: %w", err)
	}
	defer rows.Close()
	var out []HubToken
	for rows.Next() {
		var t HubToken
		var created string
		var revoked sql.NullString
		if err := rows.Scan(&t.ID, &t.Hash, &t.UnitPath, &t.Label, &created, &revoked); err != nil {
			return nil, fmt.Errorf("read tokens: %w", err)
		}
		t.CreatedAt = parseTime(created)
		if revoked.Valid {
			at := parseTime(revoked.String)
			t.RevokedAt = &at
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
