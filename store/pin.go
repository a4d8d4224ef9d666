package store

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
)

// A learner's PIN guards their profile on a shared PC against the colleague
// at the next desk, as a phone's lock screen does: it never leaves the
// device (it is not an event), it is kept only as a slow salted hash, and
// wrong tries lock it for growing delays recorded in the database, so that
// restarting hocso does not reset them. A 4-digit PIN cannot resist an
// attacker who copies the file and tries all 10,000 offline, whatever the
// hash; the hash's cost makes that take a while, the lockout makes guessing
// at the PC impractical.

// Argon2id parameters for new PINs: 64 MiB and 2 passes, 2.8 times the cost
// of OWASP's minimum (19 MiB, 2 passes) that hocso used first; an old office
// PC verifies one in well under a second (BenchmarkPINVerify).
const (
	pinTime    = 2
	pinMemory  = 64 * 1024
	pinThreads = 1
	pinKeyLen  = 32
)

// Bounds on the stored parameters a PIN is verified with: the file may have
// been edited, and t=0 would panic while a huge m would exhaust memory.
const (
	minPINMemory = 8 * 1024
	maxPINMemory = 256 * 1024
	maxPINTime   = 16
	maxPINLanes  = 8
)

// Lockout: after maxPINTries wrong PINs in a row, each further try waits
// firstLockout, doubled at every wrong PIN after that, up to maxLockout.
const (
	maxPINTries  = 5
	firstLockout = 30 * time.Second
	maxLockout   = time.Hour
)

// ErrPINData says a learner's stored PIN cannot be checked: its record is
// damaged or was edited to parameters outside safe bounds.
var ErrPINData = errors.New("stored PIN data is damaged")

// PINLockedError is returned by CheckPIN while wrong tries lock the PIN.
type PINLockedError struct {
	// Wait is how long until the next try is checked.
	Wait time.Duration
}

func (e *PINLockedError) Error() string {
	return fmt.Sprintf("PIN locked for %s after too many wrong tries", e.Wait.Round(time.Second))
}

func pinKey(learnerID string) string   { return "pin:" + learnerID }
func triesKey(learnerID string) string { return "pin_tries:" + learnerID }

// SetPIN sets, or with pin "" removes, a learner's PIN, and clears its lockout.
func (s *Store) SetPIN(ctx context.Context, learnerID, pin string) error {
	if pin == "" {
		_, err := s.db.ExecContext(ctx, `DELETE FROM meta WHERE key IN (?, ?)`, pinKey(learnerID), triesKey(learnerID))
		return err
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return fmt.Errorf("make PIN salt: %w", err)
	}
	p := pinParams{memory: pinMemory, time: pinTime, lanes: pinThreads}
	hash := argon2.IDKey([]byte(pin), salt, p.time, p.memory, p.lanes, pinKeyLen)
	enc := base64.RawStdEncoding
	value := fmt.Sprintf("argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", p.memory, p.time, p.lanes,
		enc.EncodeToString(salt), enc.EncodeToString(hash))
	if err := s.SetMeta(ctx, pinKey(learnerID), value); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, triesKey(learnerID))
	return err
}

// HasPIN reports whether a learner has a PIN.
func (s *Store) HasPIN(ctx context.Context, learnerID string) (bool, error) {
	v, err := s.Meta(ctx, pinKey(learnerID))
	return v != "", err
}

// CheckPIN reports whether pin is the learner's PIN; a learner without one
// passes. While the PIN is locked it returns a *PINLockedError without
// checking; the wrong try that locks it returns one too. A PIN hashed with
// older parameters is hashed again with the current ones when it matches.
func (s *Store) CheckPIN(ctx context.Context, learnerID, pin string) (bool, error) {
	v, err := s.Meta(ctx, pinKey(learnerID))
	if err != nil || v == "" {
		return v == "", err
	}
	tries, err := s.pinTries(ctx, learnerID)
	if err != nil {
		return false, err
	}
	if wait := tries.until.Sub(s.now()); wait > 0 {
		return false, &PINLockedError{Wait: wait}
	}
	stored, err := parsePIN(v)
	if err != nil {
		return false, fmt.Errorf("PIN of %s: %w", learnerID, err)
	}
	got := argon2.IDKey([]byte(pin), stored.salt, stored.time, stored.memory, stored.lanes, uint32(len(stored.hash)))
	if subtle.ConstantTimeCompare(got, stored.hash) == 1 {
		if stored.pinParams != (pinParams{memory: pinMemory, time: pinTime, lanes: pinThreads}) {
			return true, s.SetPIN(ctx, learnerID, pin)
		}
		if tries.fails > 0 {
			_, err = s.db.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, triesKey(learnerID))
		}
		return true, err
	}
	tries.fails++
	var lock error
	if tries.fails >= maxPINTries {
		wait := min(firstLockout<<min(tries.fails-maxPINTries, 20), maxLockout)
		tries.until = s.now().Add(wait)
		lock = &PINLockedError{Wait: wait}
	}
	if err := s.SetMeta(ctx, triesKey(learnerID), fmt.Sprintf("%d,%s", tries.fails, formatTime(tries.until))); err != nil {
		return false, err
	}
	return false, lock
}

type pinTries struct {
	fails int
	until time.Time
}

func (s *Store) pinTries(ctx context.Context, learnerID string) (pinTries, error) {
	v, err := s.Meta(ctx, triesKey(learnerID))
	if err != nil || v == "" {
		return pinTries{}, err
	}
	n, at, _ := strings.Cut(v, ",")
	fails, _ := strconv.Atoi(n)
	return pinTries{fails: max(fails, 0), until: parseTime(at)}, nil
}

type pinParams struct {
	memory, time uint32
	lanes        uint8
}

type storedPIN struct {
	pinParams
	salt, hash []byte
}

// parsePIN reads a stored PIN hash and refuses parameters outside safe bounds.
func parsePIN(v string) (storedPIN, error) {
	var p storedPIN
	parts := strings.Split(v, "$")
	if len(parts) != 5 || parts[0] != "argon2id" || parts[1] != "v=19" {
		return p, fmt.Errorf("unknown format: %w", ErrPINData)
	}
	var m, t, l uint64
	if _, err := fmt.Sscanf(parts[2], "m=%d,t=%d,p=%d", &m, &t, &l); err != nil {
		return p, fmt.Errorf("parameters %q: %w", parts[2], ErrPINData)
	}
	if m < minPINMemory || m > maxPINMemory || t < 1 || t > maxPINTime || l < 1 || l > maxPINLanes || m < 8*l {
		return p, fmt.Errorf("parameters m=%d, t=%d, p=%d out of bounds: %w", m, t, l, ErrPINData)
	}
	p.memory, p.time, p.lanes = uint32(m), uint32(t), uint8(l)
	enc := base64.RawStdEncoding
	var err1, err2 error
	p.salt, err1 = enc.DecodeString(parts[3])
	p.hash, err2 = enc.DecodeString(parts[4])
	if err1 != nil || err2 != nil || len(p.salt) < 8 || len(p.hash) < 16 || len(p.hash) > 64 {
		return p, fmt.Errorf("salt or hash: %w", ErrPINData)
	}
	return p, nil
}
