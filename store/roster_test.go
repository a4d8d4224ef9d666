package store

import (
	"context"
	"slices"
	"testing"
)

// TestRosterImportLinksAndResolves imports a roster twice (the second time
// changes nothing), links learners by staff code and by name within the
// unit, leaves a learner with two namesakes unlinked and listed, and links
// it when a person says which one.
func TestRosterImportLinksAndResolves(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	unit := "Hà Nội / Phường Ba Đình / UBND phường"
	byCode, _ := s.CreateLearner(ctx, ProfilePayload{FullName: "Nguyễn Thị Lan", StaffCode: "HN-001", UnitPath: "Huế / Phường X"})
	byName, _ := s.CreateLearner(ctx, ProfilePayload{FullName: "Phạm Quốc Việt", UnitPath: unit})
	twin, _ := s.CreateLearner(ctx, ProfilePayload{FullName: "Bùi Minh Tuấn", UnitPath: unit})
	rows := []RosterEntry{
		{StaffCode: "HN-001", FullName: "Nguyễn Thị Lan", Position: "Chuyên viên", UnitPath: unit},
		{FullName: "Phạm Quốc Việt", UnitPath: unit},
		{StaffCode: "HN-010", FullName: "Bùi Minh Tuấn", UnitPath: unit},
		{StaffCode: "HN-011", FullName: "Bùi Minh Tuấn", UnitPath: unit},
	}
	got, err := s.ImportRoster(ctx, rows)
	if err != nil || !slices.Equal(got, []string{RosterCreated, RosterCreated, RosterCreated, RosterCreated}) {
		t.Fatalf("first import: %v, %v", got, err)
	}
	if got, err = s.ImportRoster(ctx, rows); err != nil || slices.ContainsFunc(got, func(o string) bool { return o != RosterUnchanged }) {
		t.Fatalf("second import: %v, %v; want every row unchanged", got, err)
	}
	rows[0].Position = "Phó Chủ tịch"
	if got, _ = s.ImportRoster(ctx, rows); got[0] != RosterUpdated || got[1] != RosterUnchanged {
		t.Errorf("import after an edit: %v", got)
	}
	for _, c := range []struct{ learner, code string }{{byCode.ID, "HN-001"}, {byName.ID, ""}} {
		r, err := s.RosterEntryOf(ctx, c.learner)
		if err != nil || r == nil || r.StaffCode != c.code {
			t.Errorf("learner %s linked to %+v, %v; want the entry with code %q", c.learner, r, err, c.code)
		}
	}
	if r, _ := s.RosterEntryOf(ctx, twin.ID); r != nil {
		t.Errorf("a learner with two namesakes was linked to %+v", r)
	}
	amb, err := s.Ambiguous(ctx)
	if err != nil || len(amb) != 1 || amb[0].Learner.ID != twin.ID || len(amb[0].Candidates) != 2 {
		t.Fatalf("ambiguous: %+v, %v", amb, err)
	}
	entry, err := s.RosterEntryFor(ctx, "HN-011")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Link(ctx, twin.ID, entry.ID); err != nil {
		t.Fatal(err)
	}
	if amb, _ := s.Ambiguous(ctx); len(amb) != 0 {
		t.Errorf("still ambiguous after linking: %+v", amb)
	}
	if r, _ := s.RosterEntryOf(ctx, twin.ID); r == nil || r.StaffCode != "HN-011" {
		t.Errorf("after linking: %+v", r)
	}
}
