package store

import (
	"context"
	"strings"
	"testing"
)

func TestPIN(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	l, _ := s.CreateLearner(ctx, ProfilePayload{FullName: "Vũ Thị Hoa"})
	if ok, _ := s.CheckPIN(ctx, l.ID, "anything"); !ok {
		t.Fatal("a learner without a PIN must pass")
	}
	if err := s.SetPIN(ctx, l.ID, "2468"); err != nil {
		t.Fatal(err)
	}
	stored, _ := s.Meta(ctx, "pin:"+l.ID)
	if strings.Contains(stored, "2468") || !strings.HasPrefix(stored, "argon2id$") {
		t.Fatalf("PIN stored as %q", stored)
	}
	for pin, want := range map[string]bool{"2468": true, "2469": false, "": false, "24680": false} {
		if ok, err := s.CheckPIN(ctx, l.ID, pin); ok != want || err != nil {
			t.Errorf("CheckPIN(%q) = %v, %v; want %v", pin, ok, err, want)
		}
	}
	if has, _ := s.HasPIN(ctx, l.ID); !has {
		t.Fatal("HasPIN = false after SetPIN")
	}
	s.SetPIN(ctx, l.ID, "")
	if has, _ := s.HasPIN(ctx, l.ID); has {
		t.Fatal("HasPIN = true after removing the PIN")
	}
	events, _ := s.Events(ctx, l.ID)
	for _, ev := range events {
		if strings.Contains(string(ev.Payload), "argon2") {
			t.Fatal("the PIN hash went into the event log, which travels")
		}
	}
}
