package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"hocso/lessons"
	"hocso/store"
)

// TestHostileDataNeverReachesTheTerminal plants escapes, C1 and bidi
// controls in every text column a command prints (a learner's name, unit
// and staff code, a trusted key's comment), as a foreign program or an older
// hocso could write them, and runs every command that prints them.
func TestHostileDataNeverReachesTheTerminal(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hocso.db")
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	l, err := s.CreateLearner(ctx, store.ProfilePayload{FullName: "x", UnitPath: "a / b"})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	hostile := "\x1b]8;;https://gia-mao.example\x1b\\Nguyễn\x1b]8;;\x1b\\ \u202eVăn\x1b[31m A\u009b2J\x1b]52;c;cm0=\x07\u2066\u200f"
	for _, q := range []string{
		`UPDATE learners SET full_name = ?1, staff_code = ?1, unit_path = ?1 WHERE id = ?2`,
		`INSERT INTO trusted_keys (key_id, public_key, comment, added_at) VALUES ('00000000000000AB', 'RWQ', ?1, '2026-01-01T00:00:00Z')`,
	} {
		if _, err := db.Exec(q, hostile, l.ID); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	env := map[string]string{"HOCSO_DB": path, "HOCSO_LANG": "vi"}
	for _, args := range [][]string{
		{"learner", "list"}, {"learner", "list", "--json"},
		{"progress"}, {"progress", "--json"}, {"progress", "--learner", l.ID},
		{"pack", "trust", "list"}, {"pack", "trust", "list", "--json"}, {"pack", "list"},
		{"progress", "--learner", hostile},
	} {
		_, out, errOut := hocso(t, env, args...)
		if lessons.HasUnsafe(out) || lessons.HasUnsafe(errOut) {
			t.Errorf("hocso %s printed a control character:\n%q\n%q", strings.Join(args, " "), out, errOut)
		}
	}
	_, out, _ := hocso(t, env, "learner", "list")
	wantIn(t, out, "Nguyễn Văn A")
	var buf strings.Builder
	code := run(ctx, []string{"--accessible"}, strings.NewReader(""), &buf, &buf, func(k string) string { return env[k] })
	if code != 0 || lessons.HasUnsafe(buf.String()) {
		t.Errorf("accessible mode = %d:\n%q", code, buf.String())
	}
}

func TestCleanWriterKeepsCharactersSplitBetweenWrites(t *testing.T) {
	var b strings.Builder
	w := newCleanWriter(&b)
	text := []byte("Nguyễn \x1b[31mThị\x1b[0m Lan\u202e")
	for i := range text {
		w.Write(text[i : i+1])
	}
	w.Flush()
	if got := b.String(); got != "Nguyễn [31mThị[0m Lan" && got != "Nguyễn Thị Lan" {
		t.Errorf("got %q", got)
	}
	if lessons.HasUnsafe(b.String()) {
		t.Errorf("a control character got through: %q", b.String())
	}
}
