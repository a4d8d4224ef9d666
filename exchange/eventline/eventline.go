// Package eventline reads and writes an event as one line of JSON, the form
// events travel in between a device and the office: in bundles and in the
// hub's requests.
package eventline

import (
	"bytes"
	"encoding/json"
	"errors"
	"time"
	"unicode/utf8"

	"hocso/internal/jsontext"
	"hocso/store"
)

// Event lines are most of what a hub or a bundle import reads and a device
// writes, and encoding/json's reflection was the larger part of each. These
// two functions
// handle the shape events always have; anything else (escapes, null, keys in
// another case, invalid UTF-8) goes to encoding/json, so that an event means
// exactly what encoding/json would make of it.

// errSlowPath sends a line to encoding/json.
var errSlowPath = errors.New("not the usual shape")

// Unmarshal decodes one JSON event line as json.Unmarshal would.
func Unmarshal(b []byte, ev *store.Event) error {
	if err := fastUnmarshalEvent(b, ev); err == nil {
		return nil
	}
	*ev = store.Event{}
	return json.Unmarshal(b, ev)
}

func fastUnmarshalEvent(b []byte, ev *store.Event) error {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return errSlowPath
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		i++
	} else {
		for {
			key, next, ok := plainString(b, i)
			if !ok {
				return errSlowPath
			}
			i = skipSpace(b, next)
			if i >= len(b) || b[i] != ':' {
				return errSlowPath
			}
			i = skipSpace(b, i+1)
			if i, ok = eventField(b, i, string(key), ev); !ok {
				return errSlowPath
			}
			i = skipSpace(b, i)
			if i < len(b) && b[i] == ',' {
				i = skipSpace(b, i+1)
				continue
			}
			if i < len(b) && b[i] == '}' {
				i++
				break
			}
			return errSlowPath
		}
	}
	if skipSpace(b, i) != len(b) {
		return errSlowPath
	}
	return nil
}

// eventField reads the value of key at b[i:] into ev and returns where it ends.
func eventField(b []byte, i int, key string, ev *store.Event) (int, bool) {
	if key == "payload" {
		end, ok := objectEnd(b, i)
		if !ok || !json.Valid(b[i:end]) {
			return 0, false
		}
		ev.Payload = append(json.RawMessage(nil), b[i:end]...)
		return end, true
	}
	s, end, ok := plainString(b, i)
	if !ok {
		return 0, false
	}
	switch key {
	case "id":
		ev.ID = string(s)
	case "learner_id":
		ev.LearnerID = string(s)
	case "device_id":
		ev.DeviceID = string(s)
	case "kind":
		ev.Kind = string(s)
	case "pack_id":
		ev.PackID = string(s)
	case "pack_version":
		ev.PackVersion = string(s)
	case "pack_hash":
		ev.PackHash = string(s)
	case "item_id":
		ev.ItemID = string(s)
	case "time":
		if ev.Time.UnmarshalText(s) != nil {
			return 0, false
		}
	default:
		return 0, false
	}
	return end, true
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// plainString reads a JSON string at b[i:] with no escapes, no control
// characters and valid UTF-8, returning its contents and where it ends.
func plainString(b []byte, i int) ([]byte, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, 0, false
	}
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			s := b[i+1 : j]
			return s, j + 1, utf8.Valid(s)
		case c == '\\' || c < 0x20:
			return nil, 0, false
		}
	}
	return nil, 0, false
}

// objectEnd finds the end of the JSON object at b[i:], minding strings; the
// caller checks that what it spans is valid JSON.
func objectEnd(b []byte, i int) (int, bool) {
	if i >= len(b) || b[i] != '{' {
		return 0, false
	}
	depth := 0
	for j := i; j < len(b); j++ {
		switch b[j] {
		case '"':
			for j++; j < len(b) && b[j] != '"'; j++ {
				if b[j] == '\\' {
					j++
				}
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return j + 1, true
			}
		}
	}
	return 0, false
}

// Append appends ev as one JSON line, the form json.Encoder writes
// (its payload compacted), for any event json.Marshal can encode.
func Append(dst []byte, ev store.Event) ([]byte, error) {
	dst = append(dst, `{"id":`...)
	dst = jsontext.AppendString(dst, ev.ID)
	dst = append(dst, `,"learner_id":`...)
	dst = jsontext.AppendString(dst, ev.LearnerID)
	dst = append(dst, `,"device_id":`...)
	dst = jsontext.AppendString(dst, ev.DeviceID)
	dst = append(dst, `,"kind":`...)
	dst = jsontext.AppendString(dst, ev.Kind)
	for _, f := range [...]struct{ key, v string }{{`,"pack_id":`, ev.PackID}, {`,"pack_version":`, ev.PackVersion},
		{`,"pack_hash":`, ev.PackHash}, {`,"item_id":`, ev.ItemID}} {
		if f.v != "" {
			dst = jsontext.AppendString(append(dst, f.key...), f.v)
		}
	}
	if y := ev.Time.Year(); y < 0 || y > 9999 {
		return dst, errors.New("event time outside years 0–9999")
	}
	dst = append(dst, `,"time":"`...)
	dst = ev.Time.AppendFormat(dst, time.RFC3339Nano)
	dst = append(dst, `","payload":`...)
	if len(ev.Payload) == 0 {
		dst = append(dst, "null"...)
	} else {
		buf := bytes.NewBuffer(dst)
		if err := json.Compact(buf, ev.Payload); err != nil {
			return dst, err
		}
		dst = buf.Bytes()
	}
	return append(dst, "}\n"...), nil
}
