package locales

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// Every command loads all message files before it prints a word, so their
// parsing is part of every start. A general TOML decoder spent about 25 ms of
// CPU on them at each start (docs/performance.md). The files use a small part
// of TOML — `ID = "text"`, multi-line """text""", and [ID] tables of plural
// forms — which quickMessages reads directly. Anything outside that part
// makes it give up, and the file goes through the TOML decoder as before, so
// a file is never read differently or accepted where TOML refuses it;
// TestQuickMessagesMatchTOML checks every embedded file both ways.

// quickMessages reads a message file in the subset of TOML described above;
// ok is false when the file uses anything else.
func quickMessages(data []byte) (msgs []*i18n.Message, ok bool) {
	if !utf8.Valid(data) || bytes.IndexByte(data, '\r') >= 0 {
		return nil, false
	}
	seen := map[string]bool{}
	var table *i18n.Message
	var tableKeys map[string]bool
	s := string(data)
	for len(s) > 0 {
		line := s
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line = s[:i]
		}
		trimmed := strings.TrimLeft(line, " \t")
		switch {
		case trimmed == "" || trimmed[0] == '#':
			s = s[len(line):]
			s = strings.TrimPrefix(s, "\n")
			continue
		case trimmed[0] == '[':
			name, rest, found := strings.Cut(trimmed[1:], "]")
			if !found || !bareKey(name) || !endOfLine(rest) || seen[name] {
				return nil, false
			}
			if table != nil && len(tableKeys) == 0 {
				return nil, false // an empty table is not a message for go-i18n
			}
			seen[name] = true
			table = &i18n.Message{ID: name}
			tableKeys = map[string]bool{}
			msgs = append(msgs, table)
			s = s[len(line):]
			s = strings.TrimPrefix(s, "\n")
			continue
		}
		s = strings.TrimLeft(s, " \t")
		key, rest, found := strings.Cut(s, "=")
		key = strings.TrimRight(key, " \t")
		if !found || !bareKey(key) {
			return nil, false
		}
		value, rest, ok := quickString(strings.TrimLeft(rest, " \t"))
		if !ok {
			return nil, false
		}
		eol := strings.IndexByte(rest, '\n')
		if eol < 0 {
			eol = len(rest)
		}
		if !endOfLine(rest[:eol]) {
			return nil, false
		}
		s = strings.TrimPrefix(rest[eol:], "\n")
		if table == nil {
			if seen[key] {
				return nil, false
			}
			seen[key] = true
			msgs = append(msgs, &i18n.Message{ID: key, Other: value})
			continue
		}
		field := messageField(table, key)
		lower := strings.ToLower(key) // go-i18n takes "one" and "ONE" alike
		if field == nil || tableKeys[lower] {
			return nil, false
		}
		tableKeys[lower] = true
		*field = value
	}
	if table != nil && len(tableKeys) == 0 {
		return nil, false
	}
	return msgs, true
}

// messageField is the field of m a message table's key sets (keys as go-i18n
// reads them, any case), or nil for a key that is not one.
func messageField(m *i18n.Message, key string) *string {
	return map[string]*string{
		"id": &m.ID, "description": &m.Description, "hash": &m.Hash,
		"leftdelim": &m.LeftDelim, "rightdelim": &m.RightDelim, "zero": &m.Zero,
		"one": &m.One, "two": &m.Two, "few": &m.Few, "many": &m.Many, "other": &m.Other,
	}[strings.ToLower(key)]
}

// bareKey reports whether k is a TOML bare key (letters, digits, _ and -).
func bareKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// endOfLine reports whether rest holds nothing but blanks and a comment.
func endOfLine(rest string) bool {
	rest = strings.TrimLeft(rest, " \t")
	if rest == "" {
		return true
	}
	if rest[0] != '#' {
		return false
	}
	for _, r := range rest {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return false
		}
	}
	return true
}

// quickString reads a basic string ("…") or a multi-line basic string
// ("""…""") at the start of s and returns its value and what follows it.
func quickString(s string) (value, rest string, ok bool) {
	if strings.HasPrefix(s, `"""`) {
		body := strings.TrimPrefix(s[3:], "\n") // a newline right after """ is not part of it
		end := strings.Index(body, `"""`)
		if end < 0 || strings.HasPrefix(body[end+3:], `"`) {
			return "", "", false // unterminated, or quotes just before the end
		}
		value, ok = unescape(body[:end], true)
		return value, body[end+3:], ok
	}
	if !strings.HasPrefix(s, `"`) {
		return "", "", false
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '\n':
			return "", "", false
		case '"':
			value, ok = unescape(s[1:i], false)
			return value, s[i+1:], ok
		}
	}
	return "", "", false
}

// unescape resolves a TOML basic string's escapes; multi-line strings may
// also hold newlines and end a line with a backslash to join the next.
func unescape(s string, multiline bool) (string, bool) {
	if !strings.ContainsRune(s, '\\') {
		return s, validChars(s, multiline)
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(s) {
			return "", false
		}
		switch s[i] {
		case 'b':
			b.WriteByte('\b')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'f':
			b.WriteByte('\f')
		case 'r':
			b.WriteByte('\r')
		case '"':
			b.WriteByte('"')
		case '\\':
			b.WriteByte('\\')
		case 'u', 'U':
			n := 4
			if s[i] == 'U' {
				n = 8
			}
			if i+1+n > len(s) {
				return "", false
			}
			code, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32)
			r := rune(code)
			if err != nil || !utf8.ValidRune(r) {
				return "", false
			}
			b.WriteRune(r)
			i += n
		case ' ', '\t', '\n':
			// A line-ending backslash: the newline and the blanks after it go.
			j := i
			for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
				j++
			}
			if !multiline || j >= len(s) || s[j] != '\n' {
				return "", false
			}
			for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n') {
				j++
			}
			i = j - 1
		default:
			return "", false
		}
	}
	out := b.String()
	return out, validChars(s, multiline)
}

// validChars reports whether raw string text holds no control character TOML
// forbids in it.
func validChars(s string, multiline bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == 0x7f || c < 0x20 && c != '\t' && !(multiline && c == '\n') {
			return false
		}
	}
	return true
}
