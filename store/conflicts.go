package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"strings"
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
