package store

import (
	"context"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// TestProfilesAreStoredCleanAndNFC: whatever interface typed a profile, its
// text is stored without escapes or bidi controls, on one line, in NFC.
func TestProfilesAreStoredCleanAndNFC(t *testing.T) {
	s, _ := openTemp(t)
	l, err := s.CreateLearner(context.Background(), ProfilePayload{
		FullName:  norm.NFD.String("Nguyễn \u202eThị\x1b[31m Lan"),
		StaffCode: "CB\u2066-01\x1b]52;c;eA==\x07",
		UnitPath:  norm.NFD.String("Hà Nội / Phường\nBa Đình\u200f"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if l.FullName != "Nguyễn Thị Lan" || l.StaffCode != "CB-01" || l.UnitPath != "Hà Nội / Phường Ba Đình" {
		t.Errorf("stored %q, %q, %q", l.FullName, l.StaffCode, l.UnitPath)
	}
}
