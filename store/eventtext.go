package store

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrEventText is an event whose text no hub database can hold as it is.
var ErrEventText = errors.New("event text cannot be stored")

// CheckText reports why ev's text cannot be stored on every database an
// event may travel to: a field or the payload holding a NUL character
// (PostgreSQL's text and jsonb cannot hold one; SQLite can, so a device would
// keep an event its office's hub then refuses for ever), or bytes that are
// not UTF-8. The error names the event and the field as they are spelt in
// the event's JSON, and wraps ErrEventText.
func (ev Event) CheckText() error {
	for _, f := range [...]struct{ name, value string }{
		{"id", ev.ID}, {"learner_id", ev.LearnerID}, {"device_id", ev.DeviceID}, {"kind", ev.Kind},
		{"pack_id", ev.PackID}, {"pack_version", ev.PackVersion}, {"pack_hash", ev.PackHash}, {"item_id", ev.ItemID},
	} {
		switch {
		case strings.IndexByte(f.value, 0) >= 0:
			return fmt.Errorf("event %s: %s holds a NUL character: %w", ev.ID, f.name, ErrEventText)
		case !utf8.ValidString(f.value):
			return fmt.Errorf("event %s: %s is not UTF-8 text: %w", ev.ID, f.name, ErrEventText)
		}
	}
	switch {
	case !utf8.Valid(ev.Payload):
		return fmt.Errorf("event %s: payload is not UTF-8 text: %w", ev.ID, ErrEventText)
	case jsonHasNUL(ev.Payload):
		return fmt.Errorf("event %s: payload holds a NUL character (\\u0000): %w", ev.ID, ErrEventText)
	}
	return nil
}

// jsonHasNUL reports whether JSON text holds a NUL, raw or as the escape
// \u0000 (and not, say, an escaped backslash followed by "u0000").
func jsonHasNUL(b []byte) bool {
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case 0:
			return true
		case '\\':
			if i+5 < len(b) && b[i+1] == 'u' && string(b[i+2:i+6]) == "0000" {
				return true
			}
			i++ // the escaped character, whatever it is
		}
	}
	return false
}
