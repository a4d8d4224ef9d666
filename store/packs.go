package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"hocso/lessons"
)

// Installed packs live in a packs folder beside the database file, one folder
// per installed version: packs/<id>@<version>-<hash>. Installing unpacks into
// a temporary folder there, checks it again from disk, renames it into place
// and only then switches the active version in one transaction; the previous
// version's folder is removed after the switch commits. Whatever fails before
// the commit leaves the previous version installed and working.

// Errors of installing and removing packs.
var (
	ErrPackNotInstalled = errors.New("pack not installed")
	ErrKeyNotTrusted    = errors.New("key not trusted")
)

// InstalledPack is a pack version installed on this device.
type InstalledPack struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	// Dir is the folder holding the pack's files.
	Dir  string `json:"dir"`
	Hash string `json:"hash"`
	// SignerKeyID is the key whose signature was verified at install, "" when
	// the pack was installed unsigned (or signed by a key not trusted then).
	SignerKeyID string `json:"signer_key_id,omitempty"`
	// SignerPublicKey is that whole key (the base64 line of its .pub file).
	SignerPublicKey string `json:"signer_public_key,omitempty"`
	// Trusted is true while that very key (not only its id) is still trusted here.
	Trusted     bool      `json:"trusted"`
	InstalledAt time.Time `json:"installed_at"`
	Active      bool      `json:"active"`
}

// TrustedKey is a minisign public key whose signatures this device accepts.
type TrustedKey struct {
	KeyID     string    `json:"key_id"`
	PublicKey string    `json:"public_key"` // the base64 line of the .pub file
	Comment   string    `json:"comment,omitempty"`
	AddedAt   time.Time `json:"added_at"`
}

// PackSource is a pack ready to install: its files, read and checked, the pack
// loaded from them without errors, and who signed it.
type PackSource struct {
	Files           *lessons.Files
	Pack            *lessons.Pack
	SignerKeyID     string
	SignerPublicKey string
	Trusted         bool
	// Snapshot is a file holding the snapshot of Pack, written while it
	// was loaded module by module (see CreatePackSnapshot); InstallPack moves
	// it beside the files. Empty: InstallPack writes it from Pack, which must
	// then hold its modules whole.
	Snapshot string

	// failAt lets tests fail the install at a named step.
	failAt func(step string) error
}

func (src PackSource) step(name string) error {
	if src.failAt == nil {
		return nil
	}
	return src.failAt(name)
}

// PacksDir is the folder installed packs live in: beside a database file, or
// the one SetPacksDir gave a PostgreSQL database ("" before).
func (s *Store) PacksDir() string {
	if s.packs == "" && s.dialect == dialectSQLite {
		return filepath.Join(filepath.Dir(s.path), "packs")
	}
	return s.packs
}

// SetPacksDir names the folder of installed packs of a PostgreSQL database,
// which has no folder of its own: each machine that installs packs or reads
// them for this database keeps them in one (packs are files; the database
// holds which are installed). The folder must be this database's alone: an
// install removes the folders in it that the database does not name.
func (s *Store) SetPacksDir(dir string) { s.packs = dir }

// ErrNoPacksDir is a pack operation on a PostgreSQL database with no packs
// folder set.
var ErrNoPacksDir = errors.New("no folder for installed packs: a PostgreSQL database needs one set (SetPacksDir)")

// CreatePackSnapshot starts, in the packs folder, the snapshot of the pack in
// files, for a caller to write while it loads the pack module by module and
// pass as PackSource.Snapshot. One an install does not use is swept later,
// like an interrupted install.
func (s *Store) CreatePackSnapshot(files *lessons.Files) (*lessons.SnapshotFile, error) {
	if s.PacksDir() == "" {
		return nil, ErrNoPacksDir
	}
	if err := os.MkdirAll(s.PacksDir(), 0o755); err != nil {
		return nil, fmt.Errorf("create packs folder: %w", err)
	}
	return lessons.CreateSnapshotFile(s.PacksDir(), ".install-snapshot-*", files)
}

// InstallPack installs src as the active version of its pack and returns it
// with the version it replaced (nil if none). It unpacks into a temporary
// folder, checks the files there are the ones checked, moves the folder into place and
// switches versions in one transaction; only after that commits is the
// previous version's folder removed. On any error the previous version stays
// installed and nothing of the new one is left behind.
func (s *Store) InstallPack(ctx context.Context, src PackSource) (InstalledPack, *InstalledPack, error) {
	root := s.PacksDir()
	if root == "" {
		return InstalledPack{}, nil, ErrNoPacksDir
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return InstalledPack{}, nil, fmt.Errorf("create packs folder: %w", err)
	}
	if !src.Pack.LoadedFrom(src.Files) {
		return InstalledPack{}, nil, fmt.Errorf("invalid pack %s: its files are not those it was checked from", src.Pack.ID)
	}
	s.sweepPacks(ctx)
	tmp, err := os.MkdirTemp(root, ".install-*")
	if err != nil {
		return InstalledPack{}, nil, fmt.Errorf("create install folder: %w", err)
	}
	placed := tmp // whatever holds the new files until the switch commits
	committed := false
	defer func() {
		if !committed {
			os.RemoveAll(placed)
		}
	}()

	if err := src.Files.WriteTo(tmp); err != nil {
		return InstalledPack{}, nil, fmt.Errorf("unpack: %w", err)
	}
	if err := src.step("written"); err != nil {
		return InstalledPack{}, nil, err
	}
	// The files were checked and the pack loaded from them already: reading
	// them back and comparing digests proves the disk holds the same, without
	// parsing the pack again; the snapshot spares the next start a parse.
	if err := lessons.VerifyFolder(tmp, src.Files); err != nil {
		return InstalledPack{}, nil, fmt.Errorf("check unpacked pack: %w", err)
	}
	p := src.Pack
	if src.Snapshot != "" {
		err = os.Rename(src.Snapshot, filepath.Join(tmp, lessons.SnapshotName))
	} else {
		err = lessons.SaveSnapshot(tmp, p, src.Files)
	}
	if err != nil {
		return InstalledPack{}, nil, fmt.Errorf("save pack snapshot: %w", err)
	}
	if err := src.step("checked"); err != nil {
		return InstalledPack{}, nil, err
	}

	name := packDirName(p, s.now())
	final := filepath.Join(root, name)
	if err := os.Rename(tmp, final); err != nil {
		return InstalledPack{}, nil, fmt.Errorf("move pack into place: %w", err)
	}
	placed = final
	syncDir(root)
	if err := src.step("placed"); err != nil {
		return InstalledPack{}, nil, err
	}

	ins := InstalledPack{ID: p.ID, Version: p.Version, Dir: final, Hash: p.Hash, SignerKeyID: src.SignerKeyID,
		SignerPublicKey: src.SignerPublicKey, Trusted: src.Trusted && src.SignerKeyID != "", InstalledAt: s.now(), Active: true}
	previous, err := s.switchPack(ctx, ins, name, src)
	if err != nil {
		return InstalledPack{}, nil, err
	}
	committed = true
	if previous != nil {
		os.RemoveAll(previous.Dir) // a failure here leaves an unused folder, swept later
	}
	return ins, previous, nil
}

// switchPack makes ins the active version of its pack in one transaction and
// returns the version it replaced, if any.
func (s *Store) switchPack(ctx context.Context, ins InstalledPack, dirName string, src PackSource) (*InstalledPack, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("switch pack version: %w", err)
	}
	defer tx.Rollback()
	prev, err := s.queryInstalled(ctx, tx, `WHERE p.id = ? AND p.active = 1`, ins.ID)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE installed_packs SET active = 0 WHERE id = ? AND active = 1`, ins.ID); err != nil {
		return nil, fmt.Errorf("switch pack version: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO installed_packs
		(id, version, directory, hash, signer_key_id, signer_public_key, trusted, installed_at, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)`,
		ins.ID, ins.Version, dirName, ins.Hash, ins.SignerKeyID, ins.SignerPublicKey, ins.Trusted, formatTime(ins.InstalledAt)); err != nil {
		return nil, fmt.Errorf("switch pack version: %w", err)
	}
	if err := src.step("switch"); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("switch pack version: %w", err)
	}
	if len(prev) == 0 {
		return nil, nil
	}
	return &prev[0], nil
}

// packDirName names an installation's folder: the id, version, content hash
// and install time, so that reinstalling the same version (to repair it) never
// meets the folder in use. One level, nothing Windows refuses: ids and
// versions are plain ASCII and the name ends in a base-36 digit.
func packDirName(p *lessons.Pack, at time.Time) string {
	return p.ID + "@" + p.Version + "-" + p.Hash[:12] + "-" + strconv.FormatInt(at.UnixNano(), 36)
}

// sweepPacks removes, best effort, what interrupted installs and removals
// left in the packs folder: temporary folders and version folders that no
// active row names. Recent ones are spared, as another hocso may be installing.
func (s *Store) sweepPacks(ctx context.Context) {
	if s.PacksDir() == "" {
		return
	}
	entries, err := os.ReadDir(s.PacksDir())
	if err != nil {
		return
	}
	active := map[string]bool{}
	rows, err := s.db.QueryContext(ctx, `SELECT directory FROM installed_packs WHERE active = 1`)
	if err != nil {
		return
	}
	for rows.Next() {
		var d string
		if rows.Scan(&d) == nil {
			active[d] = true
		}
	}
	rows.Close()
	if rows.Err() != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		ours := strings.HasPrefix(name, ".install-") || strings.Contains(name, "@")
		if !ours || active[name] {
			continue
		}
		if info, err := e.Info(); err == nil && s.now().Sub(info.ModTime()) > time.Hour {
			os.RemoveAll(filepath.Join(s.PacksDir(), name))
		}
	}
}

// syncDir flushes a folder's entries (a rename) to disk where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// A pack is trusted while the very key that verified it is trusted: a key
// trusted later under the same id does not make it trusted again. (CASE
// rather than a boolean expression, so PostgreSQL reads it as SQLite does.)
const installedColumns = `p.id, p.version, p.directory, p.hash, p.signer_key_id, p.signer_public_key,
	CASE WHEN p.trusted = 1 AND EXISTS (SELECT 1 FROM trusted_keys k WHERE k.key_id = p.signer_key_id AND k.public_key = p.signer_public_key) THEN 1 ELSE 0 END,
	p.installed_at, p.active`

// InstalledPacks returns the active installed packs, by id.
func (s *Store) InstalledPacks(ctx context.Context) ([]InstalledPack, error) {
	return s.queryInstalled(ctx, s.db, `WHERE p.active = 1 ORDER BY p.id`)
}

// PackHistory returns every installation of a pack, oldest first.
func (s *Store) PackHistory(ctx context.Context, id string) ([]InstalledPack, error) {
	return s.queryInstalled(ctx, s.db, `WHERE p.id = ? ORDER BY p.seq`, id)
}

// InstalledPack returns the active version of a pack, or nil when it is not installed.
func (s *Store) InstalledPack(ctx context.Context, id string) (*InstalledPack, error) {
	ps, err := s.queryInstalled(ctx, s.db, `WHERE p.id = ? AND p.active = 1`, id)
	if err != nil || len(ps) == 0 {
		return nil, err
	}
	return &ps[0], nil
}

// querier is a database or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (s *Store) queryInstalled(ctx context.Context, q querier, where string, args ...any) ([]InstalledPack, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+installedColumns+` FROM installed_packs p `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read installed packs: %w", err)
	}
	defer rows.Close()
	var out []InstalledPack
	for rows.Next() {
		var p InstalledPack
		var dir, at string
		if err := rows.Scan(&p.ID, &p.Version, &dir, &p.Hash, &p.SignerKeyID, &p.SignerPublicKey, &p.Trusted, &at, &p.Active); err != nil {
			return nil, fmt.Errorf("read installed packs: %w", err)
		}
		if s.PacksDir() != "" { // else no folder: loading it fails and says so
			p.Dir = filepath.Join(s.PacksDir(), dir)
		}
		p.InstalledAt = parseTime(at)
		out = append(out, p)
	}
	return out, rows.Err()
}

// RemovePack uninstalls a pack: it is no longer offered, its folder is
// removed, and learners' progress in it stays in the log (installing it again
// brings it back).
func (s *Store) RemovePack(ctx context.Context, id string) (InstalledPack, error) {
	cur, err := s.InstalledPack(ctx, id)
	if err != nil {
		return InstalledPack{}, err
	}
	if cur == nil {
		return InstalledPack{}, fmt.Errorf("%s: %w", id, ErrPackNotInstalled)
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE installed_packs SET active = 0 WHERE id = ? AND active = 1`, id); err != nil {
		return InstalledPack{}, fmt.Errorf("remove pack %s: %w", id, err)
	}
	os.RemoveAll(cur.Dir) // a failure leaves an unused folder, swept later
	cur.Active = false
	return *cur, nil
}

// KeyIDConflictError is a key refused because a different key with the same
// id is already trusted. Whoever makes a key chooses its id, so the new key
// may be an impostor's; a trainer who really replaced their key removes the
// old one first.
type KeyIDConflictError struct {
	Trusted TrustedKey // the key already trusted under that id
}

func (e *KeyIDConflictError) Error() string {
	return fmt.Sprintf("a different key with id %s is already trusted", e.Trusted.KeyID)
}

// TrustKey adds a public key to the trusted ones. It reports whether the key
// was added: adding a key already trusted changes nothing. A different key
// whose id is already trusted is refused with a *KeyIDConflictError.
func (s *Store) TrustKey(ctx context.Context, k TrustedKey) (added bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("trust key %s: %w", k.KeyID, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO trusted_keys(key_id, public_key, comment, added_at) VALUES (?, ?, ?, ?)
		ON CONFLICT(key_id) DO NOTHING`, k.KeyID, k.PublicKey, k.Comment, formatTime(s.now()))
	if err != nil {
		return false, fmt.Errorf("trust key %s: %w", k.KeyID, err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return true, tx.Commit()
	}
	var old TrustedKey
	var at string
	err = tx.QueryRowContext(ctx, `SELECT key_id, public_key, comment, added_at FROM trusted_keys WHERE key_id = ?`, k.KeyID).
		Scan(&old.KeyID, &old.PublicKey, &old.Comment, &at)
	if err != nil {
		return false, fmt.Errorf("trust key %s: %w", k.KeyID, err)
	}
	old.AddedAt = parseTime(at)
	if old.PublicKey != k.PublicKey {
		return false, &KeyIDConflictError{Trusted: old}
	}
	return false, nil
}

// TrustedKeys returns the trusted keys, by key id.
func (s *Store) TrustedKeys(ctx context.Context) ([]TrustedKey, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT key_id, public_key, comment, added_at FROM trusted_keys ORDER BY key_id`)
	if err != nil {
		return nil, fmt.Errorf("read trusted keys: %w", err)
	}
	defer rows.Close()
	var out []TrustedKey
	for rows.Next() {
		var k TrustedKey
		var at string
		if err := rows.Scan(&k.KeyID, &k.PublicKey, &k.Comment, &at); err != nil {
			return nil, fmt.Errorf("read trusted keys: %w", err)
		}
		k.AddedAt = parseTime(at)
		out = append(out, k)
	}
	return out, rows.Err()
}

// UntrustKey removes a trusted key. Packs it signed stay installed but are
// no longer shown as trusted.
func (s *Store) UntrustKey(ctx context.Context, keyID string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM trusted_keys WHERE key_id = ?`, keyID)
	if err != nil {
		return fmt.Errorf("remove key %s: %w", keyID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%s: %w", keyID, ErrKeyNotTrusted)
	}
	return nil
}

// LessonCompletions counts, per lesson id, the learners who completed the
// lesson in a pack (whatever version they read).
func (s *Store) LessonCompletions(ctx context.Context, packID string) (map[string]int, error) {
	return s.countBy(ctx, `SELECT lesson_id, count(DISTINCT learner_id) FROM lesson_progress
		WHERE pack_id = ? AND completed_at IS NOT NULL GROUP BY lesson_id`, packID)
}

// QuizPasses counts, per quiz id, the learners with a passed attempt in a pack.
func (s *Store) QuizPasses(ctx context.Context, packID string) (map[string]int, error) {
	return s.countBy(ctx, `SELECT quiz_id, count(DISTINCT learner_id) FROM attempts
		WHERE pack_id = ? AND passed = 1 GROUP BY quiz_id`, packID)
}

func (s *Store) countBy(ctx context.Context, query string, args ...any) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read progress: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("read progress: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}

// QuestionLearners lists, per question id of a pack, the learners who
// answered it and the hashes of the wordings each answered, so that a caller
// can tell who answered a question as it was before a change.
func (s *Store) QuestionLearners(ctx context.Context, packID string) (map[string]map[string][]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT an.question_id, at.learner_id, an.question_hash
		FROM answers an JOIN attempts at ON at.id = an.attempt_id WHERE at.pack_id = ?
		ORDER BY an.question_id, at.learner_id, an.question_hash`, packID)
	if err != nil {
		return nil, fmt.Errorf("read answers: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string][]string{}
	for rows.Next() {
		var q, learner, hash string
		if err := rows.Scan(&q, &learner, &hash); err != nil {
			return nil, fmt.Errorf("read answers: %w", err)
		}
		if out[q] == nil {
			out[q] = map[string][]string{}
		}
		out[q][learner] = append(out[q][learner], hash)
	}
	return out, rows.Err()
}
