package main

import (
	"context"
	"fmt"

	"hocso/lessons"
	"hocso/store"
)

// loadedPack is a pack ready for learners, with where it came from.
type loadedPack struct {
	Pack    *lessons.Pack
	Builtin bool
	Signer  string // trusted key id, "" if unsigned or untrusted
	Trusted bool
}

// packs returns the built-in pack first, then every active installed pack,
// loaded from its folder. An installed pack that no longer loads is left out
// with a warning, so one damaged folder never keeps learners from the rest; one
// whose files changed since it was installed loads, but is no longer trusted.
func (e *env) packs(ctx context.Context, s *store.Store) ([]loadedPack, error) {
	builtin, err := lessons.Builtin()
	if err != nil {
		return nil, err
	}
	out := []loadedPack{{Pack: builtin, Builtin: true, Trusted: true}}
	installed, err := s.InstalledPacks(ctx)
	if err != nil {
		return nil, err
	}
	for _, ip := range installed {
		var p *lessons.Pack
		var problems lessons.Problems
		if ip.Dir != "" { // "": no packs folder is known on this machine
			p, problems = lessons.LoadInstalled(ip.Dir)
		}
		if err := problems.Err(); err != nil || p == nil {
			fmt.Fprintln(e.stderr, e.loc.T("PackBroken", map[string]any{
				"ID": ip.ID, "Version": ip.Version, "Dir": ip.Dir, "Count": len(problems.Errors())}))
			continue
		}
		lp := loadedPack{Pack: p}
		if ip.Trusted && p.Hash == ip.Hash {
			lp.Signer, lp.Trusted = ip.SignerKeyID, true
		}
		if p.Hash != ip.Hash {
			fmt.Fprintln(e.stderr, e.loc.T("PackChangedOnDisk", map[string]any{"ID": ip.ID, "Version": ip.Version, "Dir": ip.Dir}))
		}
		out = append(out, lp)
	}
	return out, nil
}
