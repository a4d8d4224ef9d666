package store

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestCheckText(t *testing.T) {
	good := Event{ID: "0193a000-0000-7000-8000-000000000001", LearnerID: "l1", Kind: KindLessonOpened,
		ItemID: "bài-1", Payload: json.RawMessage(`{"module_id":"m1","note":"a\\u0000 is six characters"}`)}
	if err := good.CheckText(); err != nil {
		t.Fatalf("a clean event: %v", err)
	}
	for name, spoil := range map[string]func(*Event){
		"NUL in learner_id":    func(ev *Event) { ev.LearnerID = "l\x001" },
		"NUL in item_id":       func(ev *Event) { ev.ItemID = "bài\x00" },
		"pack_id not UTF-8":    func(ev *Event) { ev.PackID = "g\xffi" },
		"escaped NUL":          func(ev *Event) { ev.Payload = json.RawMessage(`{"module_id":"m\u0000"}`) },
		"escaped NUL after \\": func(ev *Event) { ev.Payload = json.RawMessage(`{"module_id":"\\\u0000"}`) },
		"payload not UTF-8":    func(ev *Event) { ev.Payload = json.RawMessage("{\"module_id\":\"\xc3\"}") },
	} {
		ev := good
		spoil(&ev)
		if err := ev.CheckText(); !errors.Is(err, ErrEventText) {
			t.Errorf("%s: CheckText = %v; want ErrEventText", name, err)
		}
	}
}

// An event PostgreSQL could not hold is refused by every way into a store,
// on both databases, and nothing of its batch or bundle is kept.
func TestEventTextRefusedEverywhere(t *testing.T) {
	ctx := context.Background()
	dev, _ := openTemp(t)
	simulateLearning(t, dev, rand.New(rand.NewPCG(7, 8)), 1)
	all, _ := exported(t, dev, true)
	bad := slices.Clone(all)
	bad[len(bad)-1].ItemID += "\x00"
	for name, open := range targets(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			if _, err := s.Ingest(ctx, bad, nil); !errors.Is(err, ErrEventText) {
				t.Errorf("Ingest = %v; want ErrEventText", err)
			}
			if _, err := s.ImportEvents(ctx, eventsOf(bad)); !errors.Is(err, ErrEventText) {
				t.Errorf("ImportEvents = %v; want ErrEventText", err)
			}
			if n := count(t, s, "events"); n != 0 {
				t.Fatalf("%d events stored from refused input", n)
			}
			ev := bad[len(bad)-1]
			ev.ID = "0193a000-0000-7000-8000-0000000000ff"
			if err := s.Record(ctx, ev); !errors.Is(err, ErrEventText) {
				t.Errorf("Record = %v; want ErrEventText", err)
			}
		})
	}
}
