package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// An event's id is made on its device and names one fact for ever, so an
// event that arrives again must arrive the same. One that comes with the id
// of a stored event and other content is a damaged or altered copy: the log
// keeps the event it has (what every report was made from), and the other
// version goes to event_conflicts, so that nothing sent is lost and the
// office can see it (hocso doctor counts them). The sender is still told the
// id is stored: refusing it would stop every later event of that device at
// the same place, for ever.

// Conflict is an event that came with a stored event's id and other content.
type Conflict struct {
	ID       string `json:"id"`
	DeviceID string `json:"device_id"`
}

// findConflicts compares the events of a batch that were not new (fresh
// holds the ids the batch added; an id twice in the batch is compared the
// second time) with the stored events, and keeps each differing version in
// event_conflicts. It returns the conflicts found.
func findConflicts(ctx context.Context, tx dbtx, batch []Event, fresh map[string]bool, now string) ([]Conflict, error) {
	var again []Event
	seen := make(map[string]bool, len(fresh))
	for _, ev := range batch {
		if fresh[ev.ID] && !seen[ev.ID] {
			seen[ev.ID] = true
			continue
		}
		again = append(again, ev)
	}
	var out []Conflict
	for start := 0; start < len(again); start += ingestChunk {
		part := again[start:min(start+ingestChunk, len(again))]
		stored, err := storedEvents(ctx, tx, part)
		if err != nil {
			return nil, err
		}
		for _, ev := range part {
			have, ok := stored[ev.ID]
			if !ok || sameEvent(have, ev) {
				continue
			}
			if err := keepConflict(ctx, tx, ev, now); err != nil {
				return nil, err
			}
			out = append(out, Conflict{ID: ev.ID, DeviceID: ev.DeviceID})
		}
	}
	return out, nil
}

// storedEvents reads the stored events with the ids of evs.
func storedEvents(ctx context.Context, tx dbtx, evs []Event) (map[string]Event, error) {
	args := make([]any, len(evs))
	for i, ev := range evs {
		args[i] = ev.ID
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, learner_id, device_id, kind, pack_id, pack_version, pack_hash,
		item_id, time, payload FROM events WHERE id IN (?`+strings.Repeat(",?", len(evs)-1)+`)`, args...)
	if err != nil {
		return nil, err
	}
	stored, err := scanEvents(rows)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Event, len(stored))
	for _, ev := range stored {
		out[ev.ID] = ev
	}
	return out, nil
}

// sameEvent reports whether two versions of an event say the same: the same
// fields, the same time, and payloads that are the same JSON value (however
// spaced or ordered).
func sameEvent(a, b Event) bool {
	if a.LearnerID != b.LearnerID || a.DeviceID != b.DeviceID || a.Kind != b.Kind || a.PackID != b.PackID ||
		a.PackVersion != b.PackVersion || a.PackHash != b.PackHash || a.ItemID != b.ItemID ||
		formatTime(a.Time) != formatTime(b.Time) {
		return false
	}
	pa, pb := payloadOrEmpty(a.Payload), payloadOrEmpty(b.Payload)
	if bytes.Equal(pa, pb) {
		return true
	}
	va, oka := jsonValue(pa)
	vb, okb := jsonValue(pb)
	return oka && okb && reflect.DeepEqual(va, vb)
}

func payloadOrEmpty(p json.RawMessage) []byte {
	if len(p) == 0 {
		return []byte("{}")
	}
	return p
}

func jsonValue(b []byte) (any, bool) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	return v, d.Decode(&v) == nil
}

// keepConflict stores a differing version of an event once.
func keepConflict(ctx context.Context, tx dbtx, ev Event, now string) error {
	line, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(line)
	_, err = tx.ExecContext(ctx, `INSERT INTO event_conflicts (id, digest, received_at, learner_id, device_id,
		kind, pack_id, pack_version, pack_hash, item_id, time, payload) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(id, digest) DO NOTHING`, ev.ID, hex.EncodeToString(sum[:]), now, ev.LearnerID, ev.DeviceID,
		ev.Kind, ev.PackID, ev.PackVersion, ev.PackHash, ev.ItemID, formatTime(ev.Time), string(payloadOrEmpty(ev.Payload)))
	return err
}

// ConflictEntry is a version of an event kept apart in event_conflicts,
// beside the event the log kept.
type ConflictEntry struct {
	ReceivedAt time.Time `json:"received_at"`
	// LearnerName is the stored event's learner's name, "" when unknown here.
	LearnerName string `json:"learner_name"`
	Stored      Event  `json:"stored"`
	Arrived     Event  `json:"arrived"`
	// Differs names the fields in which the two differ, as Event writes
	// them in JSON (learner_id, time, payload, …).
	Differs []string `json:"differs"`
}

// Conflicts lists the versions kept apart, oldest first.
func (s *Store) Conflicts(ctx context.Context) ([]ConflictEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.received_at, coalesce(l.full_name, ''),
			e.id, e.learner_id, e.device_id, e.kind, e.pack_id, e.pack_version, e.pack_hash, e.item_id, e.time, e.payload,
			c.learner_id, c.device_id, c.kind, c.pack_id, c.pack_version, c.pack_hash, c.item_id, c.time, c.payload
		FROM event_conflicts c JOIN events e ON e.id = c.id LEFT JOIN learners l ON l.id = e.learner_id
		ORDER BY c.received_at, c.id, c.digest`)
	if err != nil {
		return nil, fmt.Errorf("read conflicts: %w", err)
	}
	defer rows.Close()
	var out []ConflictEntry
	for rows.Next() {
		var c ConflictEntry
		var received, at1, at2, p1, p2 string
		a, b := &c.Stored, &c.Arrived
		if err := rows.Scan(&received, &c.LearnerName,
			&a.ID, &a.LearnerID, &a.DeviceID, &a.Kind, &a.PackID, &a.PackVersion, &a.PackHash, &a.ItemID, &at1, &p1,
			&b.LearnerID, &b.DeviceID, &b.Kind, &b.PackID, &b.PackVersion, &b.PackHash, &b.ItemID, &at2, &p2); err != nil {
			return nil, fmt.Errorf("read conflicts: %w", err)
		}
		b.ID = a.ID
		c.ReceivedAt, a.Time, b.Time = parseTime(received), parseTime(at1), parseTime(at2)
		a.Payload, b.Payload = json.RawMessage(p1), json.RawMessage(p2)
		c.Differs = differs(*a, *b)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read conflicts: %w", err)
	}
	return out, nil
}

// differs names the fields in which two versions of an event differ, by
// the same rules as sameEvent.
func differs(a, b Event) []string {
	var out []string
	for _, f := range []struct {
		name string
		same bool
	}{
		{"learner_id", a.LearnerID == b.LearnerID}, {"device_id", a.DeviceID == b.DeviceID},
		{"kind", a.Kind == b.Kind}, {"pack_id", a.PackID == b.PackID},
		{"pack_version", a.PackVersion == b.PackVersion}, {"pack_hash", a.PackHash == b.PackHash},
		{"item_id", a.ItemID == b.ItemID}, {"time", formatTime(a.Time) == formatTime(b.Time)},
		{"payload", sameEvent(Event{Payload: a.Payload}, Event{Payload: b.Payload})},
	} {
		if !f.same {
			out = append(out, f.name)
		}
	}
	return out
}
