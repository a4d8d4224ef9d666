package store

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"
)

// An event that arrives again with other content is a conflict: the log and
// the read model keep the stored event, the other version is kept apart
// once, and the sender is told the id is stored. The same content spelt
// otherwise (keys in another order, other spacing) is no conflict. Through
// the hub's Ingest and the bundle import, on both databases.
func TestConflictingCopiesKeptApart(t *testing.T) {
	ctx := context.Background()
	dev, _ := openTemp(t)
	simulateLearning(t, dev, rand.New(rand.NewPCG(9, 10)), 2)
	all, _ := exported(t, dev, true)
	want, _ := openTemp(t)
	if _, err := want.ImportEvents(ctx, eventsOf(all)); err != nil {
		t.Fatal(err)
	}
	// An answer with another response, and the same event respelt.
	var altered, respelt Event
	for _, ev := range all {
		if ev.Kind == KindQuizAnswered && altered.ID == "" {
			altered = ev
			var p map[string]any
			must(t, json.Unmarshal(ev.Payload, &p))
			p["tampered"] = true
			altered.Payload, _ = json.Marshal(p)
		} else if len(ev.Payload) > 2 && respelt.ID == "" {
			respelt = ev
			var p map[string]any
			must(t, json.Unmarshal(ev.Payload, &p))
			respelt.Payload, _ = json.MarshalIndent(p, "", "   ")
		}
	}
	if altered.ID == "" || respelt.ID == "" {
		t.Fatal("the simulated device answered no question")
	}
	for name, open := range targets(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			if _, err := s.Ingest(ctx, all, nil); err != nil {
				t.Fatal(err)
			}
			res, err := s.Ingest(ctx, []Event{altered, respelt, all[0]}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.New) != 0 || res.Duplicates != 3 || len(res.Conflicts) != 1 || res.Conflicts[0].ID != altered.ID {
				t.Fatalf("Ingest = %+v; want 3 duplicates, one of them a conflict (%s)", res, altered.ID)
			}
			// Sent again, and in a bundle: reported each time, kept once.
			if res, err := s.Ingest(ctx, []Event{altered}, nil); err != nil || len(res.Conflicts) != 1 {
				t.Fatalf("Ingest again = %+v, %v; want the conflict reported", res, err)
			}
			imp, err := s.ImportEvents(ctx, eventsOf([]Event{altered, respelt}))
			if err != nil || imp.Duplicate != 2 || len(imp.Conflicts) != 1 {
				t.Fatalf("ImportEvents = %+v, %v; want 2 duplicates, 1 conflict", imp, err)
			}
			if n := count(t, s, "event_conflicts"); n != 1 {
				t.Fatalf("%d versions kept apart; want 1", n)
			}
			sameReadModel(t, want, s, "after conflicting copies")

			// Two versions of a new event in one batch: the first is stored.
			fresh := all[len(all)-1]
			fresh.ID = "0193a000-0000-7000-8000-00000000c0de"
			other := fresh
			other.ItemID += "-khác"
			res, err = s.Ingest(ctx, []Event{fresh, other}, nil)
			if err != nil || len(res.New) != 1 || len(res.Conflicts) != 1 {
				t.Fatalf("Ingest of two versions = %+v, %v; want 1 new, 1 conflict", res, err)
			}
			stored, err := storedEvents(ctx, s.db, []Event{fresh})
			if err != nil || stored[fresh.ID].ItemID != fresh.ItemID {
				t.Fatalf("stored %+v, %v; want the first version", stored[fresh.ID], err)
			}
			if n := count(t, s, "event_conflicts"); n != 2 {
				t.Fatalf("%d versions kept apart; want 2", n)
			}
			if !slices.ContainsFunc(res.Conflicts, func(c Conflict) bool { return c.DeviceID == other.DeviceID }) {
				t.Fatalf("the conflict does not name the sending device: %+v", res.Conflicts)
			}

			// Both versions listed, oldest first, with what differs.
			list, err := s.Conflicts(ctx)
			if err != nil || len(list) != 2 {
				t.Fatalf("Conflicts = %d, %v; want 2", len(list), err)
			}
			first, second := list[0], list[1]
			if first.Stored.ID != altered.ID || !slices.Equal(first.Differs, []string{"payload"}) ||
				!sameEvent(first.Arrived, altered) || sameEvent(first.Stored, altered) || first.LearnerName == "" {
				t.Errorf("first conflict: %+v", first)
			}
			if second.Stored.ID != fresh.ID || !slices.Equal(second.Differs, []string{"item_id"}) ||
				second.Arrived.ItemID != other.ItemID || second.Stored.ItemID != fresh.ItemID {
				t.Errorf("second conflict: %+v", second)
			}
		})
	}
}
