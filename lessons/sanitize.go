package lessons

import (
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
