package main

import (
	"context"
	"errors"
	"os"

	"hocso/exchange/bundle"
	"hocso/store"
	"hocso/tui/common"
)

// sender gives the TUI the bundle functions (the TUI does not import exchange).
type sender struct {
	ctx    context.Context
	s      *store.Store
	getenv func(string) string
}

var _ common.Sender = (*sender)(nil)

func (e *env) newSender(ctx context.Context, s *store.Store) *sender {
	return &sender{ctx: ctx, s: s, getenv: e.getenv}
}

func (x *sender) OfficeKey() string {
	k, _ := x.s.Meta(x.ctx, bundle.MetaOfficeKey)
	return k
}

func (x *sender) SetOfficeKey(path string) (string, error) {
	pub, err := bundle.ReadPublicKey(path)
	switch {
	case errors.Is(err, bundle.ErrPrivateGiven):
		return "", common.ErrPrivateKey
	case errors.Is(err, os.ErrNotExist):
		return "", err
	case err != nil:
		return "", common.ErrNotPublicKey
	}
	return pub.String(), x.s.SetMeta(x.ctx, bundle.MetaOfficeKey, pub.String())
}

func (x *sender) Folders() []common.SendFolder {
	var out []common.SendFolder
	for _, f := range bundle.Folders(x.ctx, x.s, x.getenv) {
		out = append(out, common.SendFolder{Path: f.Path, Removable: f.Removable, Remembered: f.Remembered})
	}
	return out
}

func (x *sender) SendToFolder(dir string) (common.SendReport, error) {
	r, err := bundle.SendToFolder(x.ctx, x.s, dir)
	if errors.Is(err, bundle.ErrNoOfficeKey) {
		err = common.ErrNoOfficeKey
	}
	return common.SendReport{Path: r.Path, Written: r.Written, Receipts: r.Receipts, Acked: r.Acked, Pending: r.Pending}, err
}
