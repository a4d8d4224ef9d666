package main

import (
	"context"
	"errors"
	"os"

	"hocso/exchange/bundle"
	"hocso/exchange/hub"
	"hocso/store"
	"hocso/tui/common"
)

// sender gives the TUI the bundle functions (the TUI does not import exchange).
type sender struct {
	ctx    context.Context
	s      *store.Store
	e      *env
	getenv func(string) string
}

var _ common.Sender = (*sender)(nil)

func (e *env) newSender(ctx context.Context, s *store.Store) *sender {
	return &sender{ctx: ctx, s: s, e: e, getenv: e.getenv}
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

func (x *sender) HubURL() string {
	u, _ := x.s.Meta(x.ctx, hub.MetaURL)
	return u
}

func (x *sender) Push(progress func(sent, total int)) (common.SendReport, error) {
	c, err := x.e.hubClient(x.ctx, x.s)
	if err != nil {
		return common.SendReport{Hub: true}, err
	}
	res, err := hub.Push(x.ctx, x.s, c, 0, func(p hub.Progress) { progress(p.Sent, p.Total) })
	return common.SendReport{Hub: true, Written: res.Sent, Acked: res.Sent, Pending: res.Pending, Conflicts: res.Conflicts}, err
}
