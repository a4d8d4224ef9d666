package accessible

import (
	"database/sql"
	"strings"
	"testing"

	"hocso/lessons"
	"hocso/store"
)

// TestHostileNamesNeverReachTheTranscript plants names full of escapes,
// C1 and bidi controls in the database, as a foreign program could, and runs
// the accessible mode through the learner list and the welcome.
func TestHostileNamesNeverReachTheTranscript(t *testing.T) {
	c, _ := newCommon(t, "vi")
	withLearner(t, c)
	other, err := c.Store.CreateLearner(c.Ctx, store.ProfilePayload{FullName: "x", UnitPath: "a / b"})
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", c.Store.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec(`UPDATE learners SET full_name = ?, unit_path = ? WHERE id = ?`,
		"\x1b]8;;https://x\x1b\\Trần\x1b]8;;\x1b\\ \u202eHuy\u009b31m\nGiả", "Hà Nội \x1b]52;c;eA==\x07/ Phường\u2066 Láng", other.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := transcript(t, c, "u", "2")
	if lessons.HasUnsafe(got) || strings.Contains(got, "\u202e") {
		t.Fatalf("the transcript holds a control character:\n%q", got)
	}
	contains(t, got, "Trần Huy Giả", "Hà Nội / Phường Láng")
}
