package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrustIsTheWholeKey: re-adding a key changes nothing, a different key
// with a trusted id is refused, and a pack stays trusted only while the very
// key that verified it is trusted, not another key given the same id.
func TestTrustIsTheWholeKey(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	real := TrustedKey{KeyID: "00000000000000AB", PublicKey: "real", Comment: "Sở Nội vụ"}
	rogue := TrustedKey{KeyID: "00000000000000AB", PublicKey: "rogue", Comment: "Sở Nội vụ"}
	if added, err := s.TrustKey(ctx, real); !added || err != nil {
		t.Fatalf("first add: %v, %v", added, err)
	}
	if added, err := s.TrustKey(ctx, real); added || err != nil {
		t.Fatalf("the same key again: %v, %v", added, err)
	}
	_, err := s.TrustKey(ctx, rogue)
	var conflict *KeyIDConflictError
	if !errors.As(err, &conflict) || conflict.Trusted.PublicKey != "real" || conflict.Trusted.Comment != "Sở Nội vụ" {
		t.Fatalf("a different key with the same id: %v", err)
	}
	if keys, _ := s.TrustedKeys(ctx); len(keys) != 1 || keys[0].PublicKey != "real" {
		t.Fatalf("trusted keys = %+v", keys)
	}

	src := packVersion(t, nil)
	src.SignerKeyID, src.SignerPublicKey, src.Trusted = real.KeyID, real.PublicKey, true
	if _, _, err := s.InstallPack(ctx, src); err != nil {
		t.Fatal(err)
	}
	trusted := func() bool {
		p, err := s.InstalledPack(ctx, src.Pack.ID)
		if err != nil {
			t.Fatal(err)
		}
		return p.Trusted
	}
	if !trusted() {
		t.Fatal("a pack verified by a trusted key is not trusted")
	}
	s.UntrustKey(ctx, real.KeyID)
	if added, err := s.TrustKey(ctx, rogue); !added || err != nil {
		t.Fatalf("adding a key after removing the old one: %v, %v", added, err)
	}
	if trusted() {
		t.Error("a pack verified by the removed key is trusted through another key with its id")
	}
}

// TestMigrationPadsKeyIDsAndRemembersSigners runs the trust migration over a
// database written before it: key ids as minisign prints them, and each
// signed pack remembers the whole key trusted under its signer's id.
func TestMigrationPadsKeyIDsAndRemembersSigners(t *testing.T) {
	step := -1
	for i, m := range migrations {
		if strings.Contains(m, "ADD COLUMN signer_public_key") {
			step = i
		}
	}
	if step < 0 {
		t.Fatal("no migration adds signer_public_key")
	}
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "old.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, m := range migrations[:step] {
		if _, err := db.Exec(m); err != nil {
			t.Fatal(err)
		}
	}
	mustExec := func(q string) {
		t.Helper()
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	mustExec(`INSERT INTO trusted_keys VALUES ('AB', 'keyAB', '', '2026-01-01T00:00:00Z'), ('FF23167466BAF0A1', 'keyFF', '', '2026-01-01T00:00:00Z')`)
	mustExec(`INSERT INTO installed_packs (id, version, directory, hash, signer_key_id, trusted, installed_at, active) VALUES
		('a', '1.0.0', 'a', 'h', 'AB', 1, '2026-01-01T00:00:00Z', 1),
		('b', '1.0.0', 'b', 'h', '', 0, '2026-01-01T00:00:00Z', 1),
		('c', '1.0.0', 'c', 'h', 'C0FFEE', 1, '2026-01-01T00:00:00Z', 1)`)
	mustExec(migrations[step])
	rows, err := db.Query(`SELECT id, signer_key_id, signer_public_key FROM installed_packs ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var id, key, pub string
		rows.Scan(&id, &key, &pub)
		got = append(got, id+":"+key+":"+pub)
	}
	want := "a:00000000000000AB:keyAB b:: c:0000000000C0FFEE:"
	if strings.Join(got, " ") != want {
		t.Errorf("installed packs = %v; want %s", got, want)
	}
	var ids []string
	rows, _ = db.Query(`SELECT key_id FROM trusted_keys ORDER BY key_id`)
	for rows.Next() {
		var id string
		rows.Scan(&id)
		ids = append(ids, id)
	}
	if strings.Join(ids, " ") != "00000000000000AB FF23167466BAF0A1" {
		t.Errorf("trusted key ids = %v", ids)
	}
}
