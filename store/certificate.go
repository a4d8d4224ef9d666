package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Certificate is a certificate of completion as issued by an office.
type Certificate struct {
	Number      string          `json:"number"`
	Person      string          `json:"person"` // roster id, or learner id
	FullName    string          `json:"full_name"`
	StaffCode   string          `json:"staff_code"`
	UnitPath    string          `json:"unit_path"`
	PackID      string          `json:"pack_id"`
	PackVersion string          `json:"pack_version"`
	CompletedAt time.Time       `json:"completed_at"`
	IssuedAt    time.Time       `json:"issued_at"`
	Details     json.RawMessage `json:"details"`
}

// ErrNoCertificate is returned when no certificate has the number asked for.
var ErrNoCertificate = errors.New("no such certificate")

// IssueCertificate records a certificate with a fresh number, or returns the
// one already issued to the same person for the same pack, so printing a
// certificate again never makes a second number.
func (s *Store) IssueCertificate(ctx context.Context, c Certificate) (Certificate, error) {
	old, err := s.queryCertificate(ctx, `WHERE person = ? AND pack_id = ?`, c.Person, c.PackID)
	if err == nil {
		return old, nil
	}
	if !errors.Is(err, ErrNoCertificate) {
		return Certificate{}, err
	}
	c.IssuedAt = s.now()
	if len(c.Details) == 0 {
		c.Details = json.RawMessage("{}")
	}
	for range 5 { // a clash of 40 random bits is unlikely; retry rather than fail
		c.Number = certificateNumber(c.IssuedAt)
		_, err = s.db.ExecContext(ctx, `INSERT INTO certificates(number, person, full_name, staff_code, unit_path,
			pack_id, pack_version, completed_at, issued_at, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`,
			c.Number, c.Person, c.FullName, c.StaffCode, c.UnitPath, c.PackID, c.PackVersion,
			formatTime(c.CompletedAt), formatTime(c.IssuedAt), string(c.Details))
		if err != nil {
			return Certificate{}, fmt.Errorf("issue certificate: %w", err)
		}
		// Whoever inserted first — this call or another at the same moment — wins.
		if got, err := s.queryCertificate(ctx, `WHERE person = ? AND pack_id = ?`, c.Person, c.PackID); err == nil {
			return got, nil
		}
	}
	return Certificate{}, errors.New("issue certificate: no free number")
}

// certificateNumber is HS-YYYY- and eight characters of Crockford base32
// (no I, L, O, U), easy to read aloud and to type.
func certificateNumber(at time.Time) string {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	b := make([]byte, 8)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[b[i]%32]
	}
	return fmt.Sprintf("HS-%d-%s", at.Year(), b)
}

// Certificate returns the certificate with a number, in any case.
func (s *Store) Certificate(ctx context.Context, number string) (Certificate, error) {
	return s.queryCertificate(ctx, `WHERE number = ?`, strings.ToUpper(strings.TrimSpace(number)))
}

func (s *Store) queryCertificate(ctx context.Context, where string, args ...any) (Certificate, error) {
	var c Certificate
	var completed, issued, details string
	err := s.db.QueryRowContext(ctx, `SELECT number, person, full_name, staff_code, unit_path, pack_id, pack_version,
		completed_at, issued_at, details FROM certificates `+where, args...).
		Scan(&c.Number, &c.Person, &c.FullName, &c.StaffCode, &c.UnitPath, &c.PackID, &c.PackVersion, &completed, &issued, &details)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNoCertificate
	}
	if err != nil {
		return c, fmt.Errorf("read certificate: %w", err)
	}
	c.CompletedAt, c.IssuedAt, c.Details = parseTime(completed), parseTime(issued), json.RawMessage(details)
	return c, nil
}

// PersonFor finds the person a learner id or a staff code names: the roster
// entry (linked or by code), else the learner on no roster.
func (s *Store) PersonFor(ctx context.Context, idOrCode string) (string, error) {
	if l, err := s.Learner(ctx, idOrCode); err == nil {
		if r, err := s.RosterEntryOf(ctx, l.ID); err != nil || r != nil {
			if r != nil {
				return r.ID, nil
			}
			return "", err
		}
		return l.ID, nil
	}
	if r, err := s.RosterEntryFor(ctx, idOrCode); err == nil {
		return r.ID, nil
	}
	var id string
	err := s.db.QueryRowContext(ctx, `SELECT id FROM learners WHERE staff_code = ? AND staff_code <> ''
		ORDER BY updated_at DESC LIMIT 1`, idOrCode).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("%s: %w", idOrCode, ErrNoLearner)
	}
	if err != nil {
		return "", fmt.Errorf("find learner: %w", err)
	}
	return id, nil
}
