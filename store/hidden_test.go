package store

import (
	"context"
	"testing"
)

// A removed profile leaves the picker, keeps its events, and forgets its PIN.
func TestHideLearnerKeepsEvents(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	an, _ := s.CreateLearner(ctx, ProfilePayload{FullName: "Lê Văn An"})
	binh, _ := s.CreateLearner(ctx, ProfilePayload{FullName: "Trần Thị Bình"})
	s.SetPIN(ctx, an.ID, "1234")
	s.SetCurrentLearner(ctx, an.ID)
	before, _ := s.Events(ctx, an.ID)

	if err := s.HideLearner(ctx, an.ID); err != nil {
		t.Fatal(err)
	}
	ls, err := s.DeviceLearners(ctx)
	if err != nil || len(ls) != 1 || ls[0].ID != binh.ID {
		t.Fatalf("device learners = %+v, %v", ls, err)
	}
	after, _ := s.Events(ctx, an.ID)
	if len(before) == 0 || len(after) != len(before) {
		t.Fatalf("events %d → %d; want kept", len(before), len(after))
	}
	if all, _ := s.Learners(ctx); len(all) != 2 {
		t.Fatalf("Learners lists %d; the office's view keeps both", len(all))
	}
	if has, _ := s.HasPIN(ctx, an.ID); has {
		t.Fatal("PIN kept after removal")
	}
	if cur, _ := s.CurrentLearner(ctx); cur != "" {
		t.Fatalf("current learner = %q; want none", cur)
	}
}
