// Package hub is the office or province server that devices send progress
// to over HTTP, and the client they send it with. The hub keeps nothing
// outside its database, so several hub processes may serve one PostgreSQL
// database behind a load balancer.
package hub

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"hocso/store"
)

// A token is "hocso_<id>_<secret>". The id finds its record; the secret has
// 256 bits from crypto/rand. Only a SHA-256 of the whole token is stored: a
// slow password hash protects guessable secrets, and nothing can guess this
// one, so a fast hash is as safe and keeps every request cheap.
const tokenPrefix = "hocso_"

// ErrBadToken is returned for a missing, unknown, malformed or revoked token.
var ErrBadToken = errors.New("invalid or revoked token")

// NewToken makes a token for a unit and the record the hub stores for it. The
// token is shown once; the record holds only its hash.
func NewToken(unitPath, label string, now time.Time) (string, store.HubToken, error) {
	if len(unitParts(unitPath)) == 0 {
		return "", store.HubToken{}, fmt.Errorf("token needs a unit path, such as \"Hà Nội / Phường Ba Đình\"")
	}
	idBytes := make([]byte, 6)
	secret := make([]byte, 32)
	if _, err := rand.Read(idBytes); err != nil {
		return "", store.HubToken{}, err
	}
	if _, err := rand.Read(secret); err != nil {
		return "", store.HubToken{}, err
	}
	id := hex.EncodeToString(idBytes)
	token := tokenPrefix + id + "_" + base64.RawURLEncoding.EncodeToString(secret)
	return token, store.HubToken{
		ID: id, Hash: hashToken(token), UnitPath: strings.Join(unitParts(unitPath), " / "),
		Label: label, CreatedAt: now.UTC(),
	}, nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// tokenID is the id part of a well-formed token.
func tokenID(token string) (string, bool) {
	rest, ok := strings.CutPrefix(token, tokenPrefix)
	if !ok {
		return "", false
	}
	id, secret, ok := strings.Cut(rest, "_")
	return id, ok && len(id) == 12 && len(secret) == 43
}

// checkToken returns the record of a valid, unrevoked token. The hashes are
// compared in constant time.
func checkToken(ctx context.Context, s *store.Store, token string) (store.HubToken, error) {
	id, ok := tokenID(token)
	if !ok {
		return store.HubToken{}, ErrBadToken
	}
	rec, err := s.HubTokenByID(ctx, id)
	if errors.Is(err, store.ErrNoToken) {
		return store.HubToken{}, ErrBadToken
	}
	if err != nil {
		return store.HubToken{}, err
	}
	if subtle.ConstantTimeCompare([]byte(hashToken(token)), []byte(rec.Hash)) != 1 || rec.RevokedAt != nil {
		return store.HubToken{}, ErrBadToken
	}
	return rec, nil
}

// unitParts splits a unit path into its levels, trimmed and in NFC.
func unitParts(path string) []string {
	var out []string
	for _, p := range strings.Split(norm.NFC.String(path), "/") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// UnitCovers reports whether a learner in unit learner belongs to unit
// scope: scope's levels are the first levels of learner's, compared whole
// (so "Hà Nội" covers "Hà Nội / Phường Ba Đình" but not "Hà Nội Mới"),
// ignoring case and spacing around the slashes.
func UnitCovers(scope, learner string) bool {
	s, l := unitParts(scope), unitParts(learner)
	if len(s) == 0 || len(l) < len(s) {
		return false
	}
	for i := range s {
		if !strings.EqualFold(s[i], l[i]) {
			return false
		}
	}
	return true
}
