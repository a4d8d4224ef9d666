package gift

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// escapeText turns literal text into Markdown that shows exactly that text.
// It escapes only what Markdown could read as syntax, so that ordinary
// sentences stay readable in quiz.toml. A line break written as \n in GIFT
// (hardBreak) stays a line break; a wrapped source line reads as a space, and
// an empty line starts a paragraph.
func escapeText(s string) string {
	type line struct {
		text string
		hard bool // ends with a GIFT \n
	}
	var lines []line
	for _, l := range strings.Split(s, "\n") {
		parts := strings.Split(l, string(hardBreak))
		for i, p := range parts {
			lines = append(lines, line{strings.TrimSpace(p), i < len(parts)-1})
		}
	}
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(escapeLine(l.text, ' ', ' ', true))
		// A backslash before an empty line or the end would be shown, not a break.
		if l.hard && l.text != "" && i+1 < len(lines) && lines[i+1].text != "" {
			b.WriteByte('\\')
		}
	}
	return strings.Trim(b.String(), "\n")
}

var entityRef = lazyRegexp(`^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)

// escapeLine escapes one line of literal text. before and after are the
// characters assumed just outside it (a space for a real line boundary), and
// lineStart says whether the text begins a Markdown line.
func escapeLine(s string, before, after rune, lineStart bool) string {
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s) + 8)
	start := -1 // index of the first non-blank rune, where block syntax lives
	if lineStart {
		for i, r := range rs {
			if r != ' ' && r != '\t' {
				start = i
				break
			}
		}
	}
	// A line of only -, :, | and spaces under a line with | makes a table.
	pipes := lineStart && strings.ContainsRune(s, '|') && strings.ContainsRune(s, '-') &&
		strings.Trim(s, "-:| \t") == ""
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if i == start {
			if n := blockSyntax(rs[i:]); n >= 0 {
				b.WriteString(string(rs[i : i+n]))
				b.WriteByte('\\')
				b.WriteRune(rs[i+n])
				i += n
				continue
			}
		}
		switch r {
		case '\\', '`', '[', ']':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '<':
			// Only < before a letter, /, ! or ? can open HTML or an autolink.
			if i+1 < len(rs) && rs[i+1] < utf8.RuneSelf && startsTag(byte(rs[i+1])) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		case '|':
			if pipes {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		case '&':
			if entityRef().MatchString(string(rs[i:min(len(rs), i+40)])) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		case '*', '_', '~':
			j := i
			for j < len(rs) && rs[j] == r {
				j++
			}
			prev, next := before, after
			if i > 0 {
				prev = rs[i-1]
			}
			if j < len(rs) {
				next = rs[j]
			}
			escape := !(unicode.IsSpace(prev) && unicode.IsSpace(next)) &&
				!(r == '_' && isWordRune(prev) && isWordRune(next))
			for k := i; k < j; k++ {
				if escape {
					b.WriteByte('\\')
				}
				b.WriteRune(r)
			}
			i = j - 1
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// blockSyntax reports where a line starting with rs would begin a heading,
// quote, list, thematic break or setext underline: the offset of the rune to
// escape, or -1 if the line is ordinary text.
func blockSyntax(rs []rune) int {
	if len(rs) == 0 {
		return -1
	}
	spaceAt := func(i int) bool { return i >= len(rs) || rs[i] == ' ' || rs[i] == '\t' }
	switch rs[0] {
	case '#', '>':
		return 0
	case '-', '+', '*', '_', '~':
		if spaceAt(1) || onlyRunesOf(rs, rs[0]) {
			return 0
		}
	case '=':
		if onlyRunesOf(rs, '=') {
			return 0
		}
	}
	// An ordered list item: up to nine digits, then . or ) and a space.
	n := 0
	for n < len(rs) && n < 10 && rs[n] >= '0' && rs[n] <= '9' {
		n++
	}
	if n > 0 && n < 10 && n < len(rs) && (rs[n] == '.' || rs[n] == ')') && spaceAt(n+1) {
		return n
	}
	return -1
}

func onlyRunesOf(rs []rune, c rune) bool {
	for _, r := range rs {
		if r != c && r != ' ' && r != '\t' {
			return false
		}
	}
	return true
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

var (
	fence    = lazyRegexp("^ {0,3}(`{3,}|~{3,})")
	autolink = lazyRegexp(`^<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*|[A-Za-z0-9.!#$%&'*+/=?^_{|}~\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*)>`)
)

// neutraliseHTML keeps Markdown as written but escapes every < that could
// start raw HTML, outside code, so that no HTML reaches the renderer.
// Autolinks such as <https://…> stay.
func neutraliseHTML(md string) string {
	lines := strings.Split(md, "\n")
	var open string // the fence of the code block we are in, or ""
	for i, line := range lines {
		if m := fence().FindStringSubmatch(line); m != nil {
			switch {
			case open == "":
				open = m[1]
				continue
			case m[1][0] == open[0] && len(m[1]) >= len(open) && strings.TrimSpace(line[len(m[0]):]) == "":
				open = ""
				continue
			}
		}
		if open != "" {
			continue
		}
		lines[i] = neutraliseLine(line)
	}
	return strings.Join(lines, "\n")
}

func neutraliseLine(line string) string {
	var b strings.Builder
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == '\\' && i+1 < len(line):
			// An escaped character stays escaped, whatever it is.
			_, size := utf8.DecodeRuneInString(line[i+1:])
			b.WriteString(line[i : i+1+size])
			i += 1 + size
		case c == '`':
			n := runLength(line[i:], '`')
			if end := closingRun(line[i+n:], n); end >= 0 {
				span := line[i : i+n+end+n]
				b.WriteString(span)
				i += len(span)
				continue
			}
			b.WriteString(line[i : i+n])
			i += n
		case c == '<':
			if m := autolink().FindString(line[i:]); m != "" {
				b.WriteString(m)
				i += len(m)
				continue
			}
			if i+1 < len(line) && startsTag(line[i+1]) {
				b.WriteByte('\\')
			}
			b.WriteByte(c)
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

func startsTag(c byte) bool {
	return c == '/' || c == '!' || c == '?' || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

func runLength(s string, c byte) int {
	n := 0
	for n < len(s) && s[n] == c {
		n++
	}
	return n
}

// closingRun is the offset in s of the first run of exactly n backticks, or -1.
func closingRun(s string, n int) int {
	for i := 0; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		k := runLength(s[i:], '`')
		if k == n {
			return i
		}
		i += k
	}
	return -1
}
