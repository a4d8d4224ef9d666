package hub

import (
	"context"
	"errors"
	"strings"

	"hocso/store"
)

// Device settings that name the hub this PC sends to (settings, not events).
const (
	MetaURL   = "hub_url"
	MetaToken = "hub_token"
)

// ErrNotSetUp is returned when no hub is set up on this PC.
var ErrNotSetUp = errors.New("no hub set up")

// Save checks the address and saves the hub and token as this PC's settings.
func Save(ctx context.Context, s *store.Store, baseURL, token string) (*Client, error) {
	c, err := NewClient(baseURL, strings.TrimSpace(token))
	if err != nil {
		return nil, err
	}
	if err := s.SetMeta(ctx, MetaURL, c.URL); err != nil {
		return nil, err
	}
	return c, s.SetMeta(ctx, MetaToken, c.Token)
}

// FromSettings is a client for the hub set up on this PC, or ErrNotSetUp.
func FromSettings(ctx context.Context, s *store.Store) (*Client, error) {
	url, err := s.Meta(ctx, MetaURL)
	if err != nil {
		return nil, err
	}
	token, err := s.Meta(ctx, MetaToken)
	if err != nil {
		return nil, err
	}
	if url == "" || token == "" {
		return nil, ErrNotSetUp
	}
	return NewClient(url, token)
}
