package lessons

import (
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/text/unicode/norm"
)

// Clean makes untrusted text safe to show: terminal escape sequences are
// removed, then every control character but newline and tab, and the result
// is normalised to NFC so that the same word is always the same bytes.
// Windows line ends become plain newlines.
// changed reports whether anything had to be done.
//
// Clean is hocso's one sanitiser for text that reaches a terminal, whatever
// its source (a pack, a person, the database, a bundle, the network): every
// printing package calls it, or CleanLine, at the edge where it prints.
// What it removes:
//   - ANSI escape sequences (CSI, OSC such as OSC 8 links and OSC 52
//     clipboard writes, DCS, APC, PM, SOS), then any control character left:
//     C0 (but \n and \t), DEL and C1 (U+0080–U+009F, so also the one-byte
//     CSI U+009B);
//   - the bidirectional controls that reorder what is shown, so that a name
//     cannot make text after it read backwards: embeddings and overrides
//     (U+202A–U+202E), isolates (U+2066–U+2069) and the marks U+200E, U+200F
//     and U+061C, which Vietnamese and English text never needs;
//   - the line and paragraph separators U+2028 and U+2029.
func Clean(s string) (clean string, changed bool) {
	if plainText(s) {
		return s, false // most text of a pack, found in one pass over its bytes
	}
	s = strings.ReplaceAll(s, "\r\n", "\n") // Windows line ends are not a change worth a warning
	if strings.IndexFunc(s, isUnsafeControl) < 0 && norm.NFC.IsNormalString(s) {
		return s, false // the common case: every escape sequence starts with a control character
	}
	out := ansi.Strip(sevenBit(s))
	if strings.IndexFunc(out, isUnsafeControl) >= 0 {
		out = strings.Map(func(r rune) rune {
			if isUnsafeControl(r) {
				return -1
			}
			return r
		}, out)
	}
	out = norm.NFC.String(out)
	return out, out != s
}

// CleanLine is Clean for text shown on one line (a name, a unit, a staff
// code, a key's comment): runs of white space, line breaks included, become
// one space, and the ends are trimmed, so that a value cannot fake a line.
func CleanLine(s string) string {
	s, _ = Clean(s)
	return strings.Join(strings.Fields(s), " ")
}

// plainText reports whether Clean would leave s as it is, for the text a
// pack is mostly made of: printable ASCII, newlines and tabs, and characters
// of plainRune. Anything else (invalid UTF-8 too) it leaves to Clean's full
// checks.
func plainText(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !plainRune(r) {
			return false
		}
		i += n
	}
	return true
}

// plainRune reports whether r is in the Latin, Vietnamese, punctuation and
// currency blocks where every character is printable, in NFC and starts a new
// segment (cannot combine with what comes before it): text made of these
// only is in NFC, each character being so alone (TestPlainRunes).
func plainRune(r rune) bool {
	switch {
	case r >= 0xa0 && r <= 0x24f, // Latin-1 letters and signs, Latin Extended-A and -B (ă, đ, ơ, ư)
		r >= 0x1e00 && r <= 0x1eff, // Latin Extended Additional (ạ, ế, ở, ỹ…)
		r >= 0x2010 && r <= 0x2027, // dashes, quotation marks, bullet, ellipsis
		r >= 0x2030 && r <= 0x205e, // per mille, primes, guillemets
		r >= 0x20a0 && r <= 0x20c0: // currency signs (₫)
		return true
	}
	return false
}

// sevenBit writes the C1 controls U+0080–U+009F as the two-character escape
// sequences they stand for (U+009B is ESC [), so that a sequence introduced
// by one is removed whole, parameters and all, rather than leaving "2J".
func sevenBit(s string) string {
	if strings.IndexFunc(s, isC1) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isC1(r) {
			b.WriteByte(0x1b)
			r -= 0x40
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isC1(r rune) bool { return r >= 0x80 && r <= 0x9f }

// HasUnsafe reports whether s holds a character Clean removes: a control
// character other than newline and tab (so any escape sequence), or a
// bidirectional control. Tests use it to check what reaches a terminal.
func HasUnsafe(s string) bool { return strings.IndexFunc(s, isUnsafeControl) >= 0 }

func isUnsafeControl(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case unicode.IsControl(r):
		return true
	}
	switch r {
	case '\u2028', '\u2029', '\u200e', '\u200f', '\u061c':
		return true
	}
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// cleanStrings sanitises every string reachable from v in place.
func cleanStrings(v reflect.Value) (changed bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			changed = cleanStrings(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() && cleanStrings(v.Field(i)) {
				changed = true
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if cleanStrings(v.Index(i)) {
				changed = true
			}
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			if cleanStrings(e) {
				v.SetMapIndex(k, e)
				changed = true
			}
		}
	case reflect.String:
		if v.CanSet() {
			if s, c := Clean(v.String()); c {
				v.SetString(s)
				changed = true
			}
		}
	}
	return changed
}
