package store

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// A learner's PIN guards their profile on a shared PC. It never leaves the
// device (it is not an event) and is kept only as a slow salted hash.

// Argon2id parameters: OWASP's minimum (19 MiB, 2 passes), which an old
// office PC computes in well under a second.
const (
	pinTime    = 2
	pinMemory  = 19 * 1024
	pinThreads = 1
	pinKeyLen  = 32
)

func pinKey(learnerID string) string { return "pin:" + learnerID }

// SetPIN sets, or with pin "" removes, a learner's PIN.
func (s *Store) SetPIN(ctx context.Context, learnerID, pin string) error {
	if pin == "" {
		_, err := s.db.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, pinKey(learnerID))
		return err
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return fmt.Errorf("make PIN salt: %w", err)
	}
	hash := argon2.IDKey([]byte(pin), salt, pinTime, pinMemory, pinThreads, pinKeyLen)
	enc := base64.RawStdEncoding
	value := fmt.Sprintf("argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", pinMemory, pinTime, pinThreads,
		enc.EncodeToString(salt), enc.EncodeToString(hash))
	return s.SetMeta(ctx, pinKey(learnerID), value)
}

// HasPIN reports whether a learner has a PIN.
func (s *Store) HasPIN(ctx context.Context, learnerID string) (bool, error) {
	v, err := s.Meta(ctx, pinKey(learnerID))
	return v != "", err
}

// CheckPIN reports whether pin is the learner's PIN; a learner without one passes.
func (s *Store) CheckPIN(ctx context.Context, learnerID, pin string) (bool, error) {
	v, err := s.Meta(ctx, pinKey(learnerID))
	if err != nil || v == "" {
		return v == "", err
	}
	parts := strings.Split(v, "$")
	if len(parts) != 5 || parts[0] != "argon2id" {
		return false, fmt.Errorf("PIN of %s: unknown format", learnerID)
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, fmt.Errorf("PIN of %s: %w", learnerID, err)
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[3])
	want, err2 := enc.DecodeString(parts[4])
	if err1 != nil || err2 != nil {
		return false, fmt.Errorf("PIN of %s: bad encoding", learnerID)
	}
	got := argon2.IDKey([]byte(pin), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
