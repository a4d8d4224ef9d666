package lessons

import (
	"reflect"
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/text/unicode/norm"
)

// Clean makes untrusted text safe to show: terminal escape sequences are
// removed, then every control character but newline and tab, and the result
// is normalised to NFC so that the same word is always the same bytes.
// Windows line ends become plain newlines.
// changed reports whether anything had to be done.
func Clean(s string) (clean string, changed bool) {
	s = strings.ReplaceAll(s, "\r\n", "\n") // Windows line ends are not a change worth a warning
	if strings.IndexFunc(s, isUnsafeControl) < 0 && norm.NFC.IsNormalString(s) {
		return s, false // the common case: every escape sequence starts with a control character
	}
	out := ansi.Strip(s)
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

func isUnsafeControl(r rune) bool {
	if r == '\n' || r == '\t' {
		return false
	}
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
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
