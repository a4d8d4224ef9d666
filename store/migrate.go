package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/google/uuid"
)

// migrations are applied in order; migration i leaves the file at user_version i+1.
// Never edit a released step: append a new one.
var migrations = []string{
	// 1: the event log, learners, the progress read model and device state.
	`
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- The event log: immutable facts, the unit of sync. seq is this file's own
-- order, used by sync cursors; id is global.
CREATE TABLE events (
	seq          INTEGER PRIMARY KEY AUTOINCREMENT,
	id           TEXT NOT NULL UNIQUE,
	learner_id   TEXT NOT NULL,
	device_id    TEXT NOT NULL,
	kind         TEXT NOT NULL,
	pack_id      TEXT NOT NULL DEFAULT '',
	pack_version TEXT NOT NULL DEFAULT '',
	pack_hash    TEXT NOT NULL DEFAULT '',
	item_id      TEXT NOT NULL DEFAULT '',
	time         TEXT NOT NULL,
	payload      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_learner ON events(learner_id, kind);

-- Read model: rebuilt from events by Rebuild.
CREATE TABLE learners (
	id          TEXT PRIMARY KEY,
	full_name   TEXT NOT NULL,
	staff_code  TEXT NOT NULL DEFAULT '',
	unit_path   TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL,
	profile_event TEXT NOT NULL
);

CREATE TABLE lesson_progress (
	learner_id   TEXT NOT NULL,
	pack_id      TEXT NOT NULL,
	module_id    TEXT NOT NULL,
	lesson_id    TEXT NOT NULL,
	opened_at    TEXT NOT NULL,
	completed_at TEXT,
	PRIMARY KEY (learner_id, pack_id, lesson_id)
);

CREATE TABLE attempts (
	id           TEXT PRIMARY KEY,
	learner_id   TEXT NOT NULL,
	pack_id      TEXT NOT NULL,
	pack_version TEXT NOT NULL,
	module_id    TEXT NOT NULL,
	quiz_id      TEXT NOT NULL,
	seed         INTEGER NOT NULL,
	question_ids TEXT NOT NULL,
	pass_mark    REAL NOT NULL,
	started_at   TEXT NOT NULL,
	submitted_at TEXT,
	score        REAL,
	max_score    REAL,
	passed       INTEGER
);
CREATE INDEX attempts_learner ON attempts(learner_id, pack_id, quiz_id);

CREATE TABLE answers (
	attempt_id    TEXT NOT NULL REFERENCES attempts(id),
	question_id   TEXT NOT NULL,
	question_hash TEXT NOT NULL,
	answer        TEXT NOT NULL,
	score         REAL NOT NULL,
	max_score     REAL NOT NULL,
	answered_at   TEXT NOT NULL,
	event_id      TEXT NOT NULL,
	PRIMARY KEY (attempt_id, question_id)
);

-- Device state that never travels: where each learner was, reading positions.
CREATE TABLE reading_positions (
	learner_id TEXT NOT NULL,
	pack_id    TEXT NOT NULL,
	lesson_id  TEXT NOT NULL,
	line       INTEGER NOT NULL,
	PRIMARY KEY (learner_id, pack_id, lesson_id)
);
CREATE TABLE resume_points (
	learner_id TEXT PRIMARY KEY,
	place      TEXT NOT NULL
);
`,
	// 2: installed lesson packs and the keys their signatures are checked with.
	`
-- One row per installation; the active row of a pack id is the version in use.
-- Older rows stay as the pack's install history. directory is relative to the
-- packs folder beside the database file.
CREATE TABLE installed_packs (
	seq           INTEGER PRIMARY KEY AUTOINCREMENT,
	id            TEXT NOT NULL,
	version       TEXT NOT NULL,
	directory     TEXT NOT NULL,
	hash          TEXT NOT NULL,
	signer_key_id TEXT NOT NULL DEFAULT '',
	trusted       INTEGER NOT NULL DEFAULT 0,
	installed_at  TEXT NOT NULL,
	active        INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX installed_packs_active ON installed_packs(id) WHERE active = 1;

-- Public keys (minisign) whose signatures this device accepts.
CREATE TABLE trusted_keys (
	key_id     TEXT PRIMARY KEY,
	public_key TEXT NOT NULL,
	comment    TEXT NOT NULL DEFAULT '',
	added_at   TEXT NOT NULL
);
`,
	// 3: trust is the whole public key, not its id (which whoever makes a key
	// chooses): an installed pack remembers the key that verified it, and key
	// ids are written as minisign prints them, 16 hexadecimal digits.
	`
ALTER TABLE installed_packs ADD COLUMN signer_public_key TEXT NOT NULL DEFAULT '';
UPDATE trusted_keys SET key_id = substr('0000000000000000' || key_id, -16) WHERE length(key_id) < 16;
UPDATE installed_packs SET signer_key_id = substr('0000000000000000' || signer_key_id, -16)
	WHERE signer_key_id != '' AND length(signer_key_id) < 16;
UPDATE installed_packs SET signer_public_key =
	COALESCE((SELECT public_key FROM trusted_keys k WHERE k.key_id = installed_packs.signer_key_id), '')
	WHERE signer_key_id != '';
`,
	// 4: answers and submissions that arrived before the start of their
	// attempt, applied when the start arrives, so that events merged from
	// bundles in any order give the same read model.
	`
CREATE TABLE sync_orphans (
	attempt_id TEXT NOT NULL,
	event_id   TEXT NOT NULL,
	PRIMARY KEY (attempt_id, event_id)
) WITHOUT ROWID;
`,
	// 5: tokens that devices send events to this database's hub with. Only
	// a hash of each token is kept; unit_path limits whose events it may send.
	`
CREATE TABLE hub_tokens (
	id         TEXT PRIMARY KEY,
	hash       TEXT NOT NULL,
	unit_path  TEXT NOT NULL,
	label      TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	revoked_at TEXT
);
`,
	// 6: the office's roster, its links to learners who arrive by sync, and
	// issued certificates. Office data: none of it is an event, none travels.
	`
-- One row per person the office expects to train. A row with a staff code is
-- found again by it; one without, by name within the unit.
CREATE TABLE roster (
	id          TEXT PRIMARY KEY,
	staff_code  TEXT NOT NULL DEFAULT '',
	full_name   TEXT NOT NULL,
	position    TEXT NOT NULL DEFAULT '',
	unit_path   TEXT NOT NULL,
	imported_at TEXT NOT NULL
);
CREATE UNIQUE INDEX roster_staff_code ON roster(staff_code) WHERE staff_code <> '';
CREATE UNIQUE INDEX roster_name_unit ON roster(full_name, unit_path) WHERE staff_code = '';

-- Which roster person a learner is; several learners (one per PC) may be one person.
CREATE TABLE roster_links (
	learner_id TEXT PRIMARY KEY,
	roster_id  TEXT NOT NULL REFERENCES roster(id),
	how        TEXT NOT NULL,
	linked_at  TEXT NOT NULL
);
CREATE INDEX roster_links_roster ON roster_links(roster_id);

-- Certificates of completion, as issued; verify reads them back.
CREATE TABLE certificates (
	number       TEXT PRIMARY KEY,
	person       TEXT NOT NULL,
	full_name    TEXT NOT NULL,
	staff_code   TEXT NOT NULL DEFAULT '',
	unit_path    TEXT NOT NULL DEFAULT '',
	pack_id      TEXT NOT NULL,
	pack_version TEXT NOT NULL,
	completed_at TEXT NOT NULL,
	issued_at    TEXT NOT NULL,
	details      TEXT NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX certificates_person ON certificates(person, pack_id);

-- The report reads people in report order and each one's progress by
-- learner, all from these covering indexes: no sort, no row lookups.
CREATE INDEX roster_report ON roster(unit_path, full_name, staff_code, id, position);
CREATE INDEX learners_report ON learners(unit_path, full_name, staff_code, id);
CREATE INDEX lesson_progress_report ON lesson_progress(learner_id, pack_id, lesson_id, module_id, opened_at, completed_at);
CREATE INDEX attempts_report ON attempts(learner_id, pack_id, quiz_id, module_id, started_at, submitted_at, score, max_score, passed);
`,
	// 7: what the dashboard and progress read costs what the course costs,
	// not what the history costs. quiz_totals counts each learner's attempts
	// at each quiz, kept by triggers whatever writes attempts (a recorded
	// event, an import, a rebuild); the indexes find an open attempt, the
	// last and the best submitted one without reading the others.
	`
CREATE TABLE quiz_totals (
	learner_id TEXT NOT NULL,
	pack_id    TEXT NOT NULL,
	quiz_id    TEXT NOT NULL,
	submitted  INTEGER NOT NULL DEFAULT 0,
	open       INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (learner_id, pack_id, quiz_id)
) WITHOUT ROWID;
INSERT INTO quiz_totals (learner_id, pack_id, quiz_id, submitted, open)
	SELECT learner_id, pack_id, quiz_id, count(submitted_at), count(*) - count(submitted_at)
	FROM attempts GROUP BY learner_id, pack_id, quiz_id;

CREATE TRIGGER quiz_totals_insert AFTER INSERT ON attempts BEGIN
	INSERT OR IGNORE INTO quiz_totals (learner_id, pack_id, quiz_id) VALUES (new.learner_id, new.pack_id, new.quiz_id);
	UPDATE quiz_totals SET submitted = submitted + (new.submitted_at IS NOT NULL), open = open + (new.submitted_at IS NULL)
		WHERE learner_id = new.learner_id AND pack_id = new.pack_id AND quiz_id = new.quiz_id;
END;
CREATE TRIGGER quiz_totals_update AFTER UPDATE OF submitted_at ON attempts BEGIN
	UPDATE quiz_totals SET
		submitted = submitted + (new.submitted_at IS NOT NULL) - (old.submitted_at IS NOT NULL),
		open = open + (new.submitted_at IS NULL) - (old.submitted_at IS NULL)
		WHERE learner_id = new.learner_id AND pack_id = new.pack_id AND quiz_id = new.quiz_id;
END;
CREATE TRIGGER quiz_totals_delete AFTER DELETE ON attempts BEGIN
	UPDATE quiz_totals SET submitted = submitted - (old.submitted_at IS NOT NULL), open = open - (old.submitted_at IS NULL)
		WHERE learner_id = old.learner_id AND pack_id = old.pack_id AND quiz_id = old.quiz_id;
END;

CREATE INDEX attempts_open ON attempts(learner_id, pack_id, quiz_id, started_at, id) WHERE submitted_at IS NULL;
CREATE INDEX attempts_last ON attempts(learner_id, pack_id, quiz_id, started_at, id) WHERE submitted_at IS NOT NULL;
CREATE INDEX attempts_best ON attempts(learner_id, pack_id, quiz_id,
	(CASE WHEN max_score > 0 THEN 100 * coalesce(score, 0) / max_score ELSE 0 END) DESC, started_at, id)
	WHERE submitted_at IS NOT NULL;
CREATE INDEX attempts_by_time ON attempts(learner_id, pack_id, started_at, id);
`,
	// 8: an event that arrived again with a stored event's id and other
	// content: the log keeps the first, this table each other version (see
	// conflicts.go).
	`
CREATE TABLE event_conflicts (
	id           TEXT NOT NULL,
	digest       TEXT NOT NULL,
	received_at  TEXT NOT NULL,
	learner_id   TEXT NOT NULL,
	device_id    TEXT NOT NULL,
	kind         TEXT NOT NULL,
	pack_id      TEXT NOT NULL DEFAULT '',
	pack_version TEXT NOT NULL DEFAULT '',
	pack_hash    TEXT NOT NULL DEFAULT '',
	item_id      TEXT NOT NULL DEFAULT '',
	time         TEXT NOT NULL,
	payload      TEXT NOT NULL,
	PRIMARY KEY (id, digest)
);
`,
	// 9: the report reaches a roster person's learners from a covering
	// index, not by looking each link up in the table; the index it replaces
	// was this one without learner_id.
	`
CREATE INDEX roster_links_report ON roster_links(roster_id, learner_id);
DROP INDEX roster_links_roster;
`,
	// 10: a report of the whole database reads the learners in the order of
	// their ids, merged with their progress in the same order (reportScan),
	// from an index that holds what it needs rather than row by row from
	// the table.
	`
CREATE INDEX learners_by_id ON learners(id, unit_path, full_name, staff_code);
`,
	// 11: an answer writes three pages, not seven (see stepFewerPagesPerEvent).
	stepFewerPagesPerEvent,
	// 12: lesson progress is one B-tree, clustered by its key (learner, pack,
	// lesson), which is also the order the report reads it in, so
	// lesson_progress_report, a copy of the whole table in that order, goes;
	// attempts_learner, a prefix of attempts_report, goes too. Every
	// imported lesson event wrote three B-trees and every attempt eight.
	`
CREATE TABLE lesson_progress_new (
	learner_id TEXT NOT NULL, pack_id TEXT NOT NULL, module_id TEXT NOT NULL, lesson_id TEXT NOT NULL,
	opened_at TEXT NOT NULL, completed_at TEXT,
	PRIMARY KEY (learner_id, pack_id, lesson_id)
) WITHOUT ROWID;
INSERT INTO lesson_progress_new (learner_id, pack_id, module_id, lesson_id, opened_at, completed_at)
	SELECT learner_id, pack_id, module_id, lesson_id, opened_at, completed_at FROM lesson_progress;
DROP TABLE lesson_progress;
ALTER TABLE lesson_progress_new RENAME TO lesson_progress;
DROP INDEX attempts_learner;
`,
}

// stepFewerPagesPerEvent is migration 11: recording an answer writes three
// pages of the file instead of seven (each page is one more write to the log
// before the flush a learner waits for).
//   - events.seq without AUTOINCREMENT: a new row takes the highest seq plus
//     one, as before, but no longer updates sqlite_sequence on its own page.
//     Events are never deleted, so seq still only grows and is never given
//     twice; and it has no gaps from here on, which lets the sync line's
//     pending count be the log's end minus a stored base (see pendingTx)
//     instead of a counter in meta written with every event.
//   - the index on (learner_id, kind) only ever served finding learners'
//     profile events for an export: it now holds those alone, so other
//     events do not write it.
//   - answers is keyed by (attempt_id, question_id) itself (WITHOUT ROWID),
//     one b-tree instead of a table and its primary key index.
//
// PostgreSQL runs pgStepFewerPagesPerEvent instead (see pgStep).
const stepFewerPagesPerEvent = `
CREATE TABLE events_new (
	seq          INTEGER PRIMARY KEY,
	id           TEXT NOT NULL UNIQUE,
	learner_id   TEXT NOT NULL,
	device_id    TEXT NOT NULL,
	kind         TEXT NOT NULL,
	pack_id      TEXT NOT NULL DEFAULT '',
	pack_version TEXT NOT NULL DEFAULT '',
	pack_hash    TEXT NOT NULL DEFAULT '',
	item_id      TEXT NOT NULL DEFAULT '',
	time         TEXT NOT NULL,
	payload      TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO events_new (seq, id, learner_id, device_id, kind, pack_id, pack_version, pack_hash, item_id, time, payload)
	SELECT seq, id, learner_id, device_id, kind, pack_id, pack_version, pack_hash, item_id, time, payload
	FROM events ORDER BY seq;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
CREATE INDEX events_profiles ON events(learner_id) WHERE kind = 'learner.profile';

CREATE TABLE answers_new (
	attempt_id    TEXT NOT NULL REFERENCES attempts(id),
	question_id   TEXT NOT NULL,
	question_hash TEXT NOT NULL,
	answer        TEXT NOT NULL,
	score         REAL NOT NULL,
	max_score     REAL NOT NULL,
	answered_at   TEXT NOT NULL,
	event_id      TEXT NOT NULL,
	PRIMARY KEY (attempt_id, question_id)
) WITHOUT ROWID;
INSERT INTO answers_new (attempt_id, question_id, question_hash, answer, score, max_score, answered_at, event_id)
	SELECT attempt_id, question_id, question_hash, answer, score, max_score, answered_at, event_id FROM answers;
DROP TABLE answers;
ALTER TABLE answers_new RENAME TO answers;

-- The pending counter becomes a base: pending = the log's end - base.
INSERT INTO meta (key, value)
	SELECT 'sync_pending_base', (SELECT coalesce(max(seq), 0) FROM events) - CAST(value AS INTEGER)
	FROM meta WHERE key = 'sync_pending';
DELETE FROM meta WHERE key = 'sync_pending';
`

// pgStepFewerPagesPerEvent is migration 11 on PostgreSQL, where seq comes
// from an identity sequence (which has gaps: a conflict or a rollback uses a
// number) and so keeps its counter, and a table has no rowid: only the index
// changes.
const pgStepFewerPagesPerEvent = `
DROP INDEX events_learner;
CREATE INDEX events_profiles ON events(learner_id) WHERE kind = 'learner.profile';
`

// pgStep is a migration step as PostgreSQL runs it: a translation of the
// SQLite step, or for a step that rebuilds SQLite tables, its own text.
func pgStep(step string) string {
	if step == stepFewerPagesPerEvent {
		return pgStepFewerPagesPerEvent
	}
	return pgDDL(step)
}

// SchemaVersion is the schema version this build writes.
func SchemaVersion() int { return len(migrations) }

// migrate brings the file to the current schema, and makes a new file
// hocso's (application id, marker, device id), in one BEGIN IMMEDIATE
// transaction that reads the version again under the write lock: two
// processes opening a new file at once both succeed, the second finding the
// work done. A file already current is only read.
func (s *Store) migrate(ctx context.Context) error {
	if _, ok, err := s.isCurrent(ctx, s.db); err != nil || ok {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("open database %s: %w", s.path, classify(err))
	}
	defer tx.Rollback()
	current, ok, err := s.isCurrent(ctx, tx)
	if err != nil || ok {
		return err
	}
	if current == 0 {
		// Checked before, without the lock: still nothing but SQLite's header?
		tables, err := tableColumns(ctx, tx)
		if err != nil {
			return fmt.Errorf("open database %s: %w", s.path, classify(err))
		}
		if len(tables) > 0 {
			return fmt.Errorf("%s: %w", s.path, ErrForeign)
		}
	}
	for v := current; v < len(migrations); v++ {
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			return fmt.Errorf("migrate %s to schema %d: %w", s.path, v+1, classify(err))
		}
	}
	for _, q := range []string{
		fmt.Sprintf(`PRAGMA application_id = %d`, ApplicationID),
		fmt.Sprintf(`PRAGMA user_version = %d`, len(migrations)),
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("migrate %s: %w", s.path, classify(err))
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES ('format', ?), ('device_id', ?)
		ON CONFLICT(key) DO NOTHING`, formatMarker, uuid.Must(uuid.NewV7()).String()); err != nil {
		return fmt.Errorf("migrate %s: %w", s.path, classify(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate %s: %w", s.path, classify(err))
	}
	return nil
}

type queryer interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

// isCurrent reads the schema version and reports whether nothing needs
// writing: the schema is current and the file carries hocso's application id.
func (s *Store) isCurrent(ctx context.Context, q queryer) (version int, ok bool, err error) {
	var v, appID int64
	if err := q.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
		return 0, false, fmt.Errorf("open database %s: %w", s.path, classify(err))
	}
	if err := q.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&appID); err != nil {
		return 0, false, fmt.Errorf("open database %s: %w", s.path, classify(err))
	}
	if appID != 0 && appID != ApplicationID {
		return 0, false, fmt.Errorf("%s: application id %#x: %w", s.path, uint32(appID), ErrForeign)
	}
	if v < 0 || v > int64(len(migrations)) {
		return 0, false, &SchemaError{Path: s.path, Found: int(int32(v)), Supported: len(migrations)}
	}
	return int(v), v == int64(len(migrations)) && appID == ApplicationID, nil
}

// slowUpgradeBytes is the file size above which bringing a file to this
// schema is worth a word first: migration 11 rewrites the event log, about
// a minute for each million events on an office PC.
var slowUpgradeBytes int64 = 256 << 20

// SlowUpgrade reports whether opening the SQLite file at path will first
// bring a large file to this build's schema, a one-time rewrite that can
// take minutes: hocso says so before it starts, so nobody stops it halfway.
func SlowUpgrade(path string) bool {
	if IsPostgresDSN(path) {
		return false
	}
	h, err := readHeader(path)
	return err == nil && !h.empty && h.fileSize > slowUpgradeBytes && int(h.userVersion) < SchemaVersion()
}
