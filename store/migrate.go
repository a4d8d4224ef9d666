package store

import (
	"context"
	"fmt"
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
	// sync: answers and submissions that arrived before the start of their
	// attempt, applied when the start arrives, so that events merged from
	// bundles in any order give the same read model.
	`
CREATE TABLE sync_orphans (
	attempt_id TEXT NOT NULL,
	event_id   TEXT NOT NULL,
	PRIMARY KEY (attempt_id, event_id)
) WITHOUT ROWID;
`,
	// perf: what the dashboard and progress read costs what the course costs,
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
}

// SchemaVersion is the schema version this build writes.
func SchemaVersion() int { return len(migrations) }

func (s *Store) migrate(ctx context.Context) error {
	var current int
	if err := s.db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&current); err != nil {
		return fmt.Errorf("open database %s: %w", s.path, ErrNotDatabase)
	}
	if current > len(migrations) {
		return &SchemaError{Path: s.path, Found: current, Supported: len(migrations)}
	}
	for v := current; v < len(migrations); v++ {
		if err := s.step(ctx, v); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) step(ctx context.Context, v int) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate to schema %d: %w", v+1, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
		return fmt.Errorf("migrate to schema %d: %w", v+1, err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, v+1)); err != nil {
		return fmt.Errorf("migrate to schema %d: %w", v+1, err)
	}
	return tx.Commit()
}
