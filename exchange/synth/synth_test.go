package synth

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"hocso/lessons"
	"hocso/store"
)

func plan(t testing.TB, learners, devices int, seed uint64) *Plan {
	t.Helper()
	pack, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPlan(Options{Learners: learners, Devices: devices, Seed: seed, Pack: pack})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestProvincesAfter2025(t *testing.T) {
	if len(provinces) != 34 {
		t.Fatalf("%d provincial units, want 34", len(provinces))
	}
	seen := map[string]bool{}
	for _, p := range provinces {
		if seen[p.Name] || len(p.Communes) == 0 {
			t.Errorf("province %q repeated or without communes", p.Name)
		}
		seen[p.Name] = true
		for _, c := range append([]string{p.Name}, p.Communes...) {
			if !norm.NFC.IsNormalString(c) {
				t.Errorf("%q is not NFC", c)
			}
		}
		for _, c := range p.Communes {
			if !strings.HasPrefix(c, "Phường ") && !strings.HasPrefix(c, "Xã ") && !strings.HasPrefix(c, "Đặc khu ") {
				t.Errorf("%q is not a commune, ward or special zone", c)
			}
		}
	}
}

func TestSameSeedSameRecords(t *testing.T) {
	ctx := context.Background()
	collect := func(p *Plan) []store.Event {
		var evs []store.Event
		for d := range p.Devices {
			if err := p.Events(ctx, d, func(ev store.Event) error { evs = append(evs, ev); return nil }); err != nil {
				t.Fatal(err)
			}
		}
		return evs
	}
	a, b := collect(plan(t, 12, 3, 7)), collect(plan(t, 12, 3, 7))
	c := collect(plan(t, 12, 3, 8))
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("%d and %d events from the same seed", len(a), len(b))
	}
	for i := range a {
		if a[i].ID != b[i].ID || string(a[i].Payload) != string(b[i].Payload) {
			t.Fatalf("event %d differs between runs with the same seed", i)
		}
	}
	if len(c) > 0 && c[0].ID == a[0].ID {
		t.Error("another seed gave the same first event")
	}
}

// TestRecordsLookReal imports a plan and checks what a report would show:
// every learner with a Vietnamese name and a unit, progress that varies,
// attempts that pass and fail, and a read model the store accepts as is.
func TestRecordsLookReal(t *testing.T) {
	ctx := context.Background()
	p := plan(t, 60, 4, 1)
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "office.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for d := range p.Devices {
		if _, err := s.ImportEvents(ctx, p.Seq(ctx, d)); err != nil {
			t.Fatal(err)
		}
	}
	ls, err := s.Learners(ctx)
	if err != nil || len(ls) != 60 {
		t.Fatalf("%d learners, %v", len(ls), err)
	}
	units := map[string]bool{}
	passed, failed, open := 0, 0, 0
	for _, l := range ls {
		if len(strings.Fields(l.FullName)) < 3 || !norm.NFC.IsNormalString(l.FullName) || strings.Count(l.UnitPath, " / ") != 2 {
			t.Errorf("learner %+v", l)
		}
		units[l.UnitPath] = true
		as, err := s.Attempts(ctx, l.ID, p.opt.Pack.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range as {
			switch {
			case a.SubmittedAt == nil:
				open++
			case a.Passed:
				passed++
			default:
				failed++
			}
		}
	}
	if len(units) < 2 || passed == 0 || failed == 0 || open == 0 {
		t.Errorf("too uniform: %d units, %d passed, %d failed, %d open attempts", len(units), passed, failed, open)
	}
}
