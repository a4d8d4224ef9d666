package tui

import (
	"database/sql"
	"regexp"
	"testing"

	"hocso/lessons"
	"hocso/store"
)

// hostileProfile is what another program may have written into a database:
// escapes, C1 controls, bidirectional overrides and line breaks.
var hostileProfile = store.ProfilePayload{
	FullName:  "\x1b]8;;https://gia-mao.example\x1b\\Nguyễn\x1b]8;;\x1b\\ \u202eVăn\u202c\x1b[31m A\u009b2J\nDòng giả",
	StaffCode: "CB\x1b]52;c;cm0gLXJm\x07-1",
	UnitPath:  "Hà Nội\u2066 / Phường\x1bP+q\x1b\\ Ba Đình\u2069 / UBND\u200f",
}

// plantHostile writes a hostile profile straight into the database, as a
// foreign program or an older hocso could, past every check of hocso's own.
func plantHostile(t *testing.T, s *store.Store, learnerID string) {
	t.Helper()
	db, err := sql.Open("sqlite", s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec(`UPDATE learners SET full_name = ?, staff_code = ?, unit_path = ? WHERE id = ?`,
		hostileProfile.FullName, hostileProfile.StaffCode, hostileProfile.UnitPath, learnerID)
	if err != nil {
		t.Fatal(err)
	}
}

// sgr matches the colour and weight sequences the interface itself writes.
var sgr = regexp.MustCompile(`\x1b\[[0-9;:]*m`)

// assertNoHostile fails when a frame holds anything but the interface's own
// styling: no other escape sequence, no C0 or C1 control, no bidi control.
func assertNoHostile(t *testing.T, screen, frame string) {
	t.Helper()
	if lessons.HasUnsafe(sgr.ReplaceAllString(frame, "")) {
		t.Fatalf("%s: the frame holds an escape, control or bidi character:\n%q", screen, frame)
	}
}

// TestHostileNamesAreCleanedOnEveryScreen plants hostile names in the
// database and renders every screen that shows them: the header, the
// learner picker, the PIN prompt and the profile form.
func TestHostileNamesAreCleanedOnEveryScreen(t *testing.T) {
	for _, noColor := range []bool{true, false} {
		h := newStyledHarness(t, "vi", 120, 40, noColor)
		ctx := h.c.Ctx
		other, err := h.c.Store.CreateLearner(ctx, store.ProfilePayload{FullName: "Lê Văn Tám", UnitPath: "Hà Nội / Phường Ba Đình"})
		if err != nil {
			t.Fatal(err)
		}
		l, err := h.c.Store.CreateLearner(ctx, store.ProfilePayload{FullName: "x", UnitPath: "a / b"})
		if err != nil {
			t.Fatal(err)
		}
		plantHostile(t, h.c.Store, l.ID)
		h.c.Store.SetPIN(ctx, l.ID, "2468")
		h.c.Store.SetCurrentLearner(ctx, other.ID)
		h.restart()
		h.contains("Lê Văn Tám")
		assertNoHostile(t, "dashboard", h.rendered())

		h.keys("u")
		h.contains("Nguyễn Văn A Dòng giả")
		assertNoHostile(t, "learner picker", h.rendered())
		h.keys("up", "enter")
		assertNoHostile(t, "PIN prompt", h.rendered())
		h.keys("2468", "enter")
		h.contains("Nguyễn Văn A Dòng giả · VI") // the header names the learner, cleaned
		assertNoHostile(t, "header", h.rendered())
		h.keys("e")
		assertNoHostile(t, "profile form", h.rendered())
	}
}
