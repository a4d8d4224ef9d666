package gift

import (
	"regexp"
	"strings"
	"sync"
)

// textFormat is how a piece of GIFT text is written, set by a leading marker
// such as [html]. Answers and feedback default to their question's format.
type textFormat int

const (
	formatMoodle   textFormat = iota // Moodle's default: plain text that may hold HTML
	formatHTML                       // [html]
	formatPlain                      // [plain]: shown exactly as written
	formatMarkdown                   // [markdown]
)

var formatNames = map[string]textFormat{
	"moodle": formatMoodle, "html": formatHTML, "plain": formatPlain, "markdown": formatMarkdown,
}

// splitFormat trims s and takes off a leading format marker, returning the
// format it names or def. An unknown [word] is text, as in Moodle.
func splitFormat(s string, def textFormat) (textFormat, string) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "[") {
		return def, s
	}
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return def, s
	}
	f, ok := formatNames[strings.ToLower(s[1:end])]
	if !ok {
		return def, s
	}
	return f, strings.TrimSpace(s[end+1:])
}

// htmlLike spots HTML in Moodle-format text, which Moodle renders as HTML.
var htmlLike = lazyRegexp(`(?i)<(/?(p|br|b|strong|i|em|u|s|ul|ol|li|a|code|pre|div|span|img|sub|sup|h[1-6]|table|tr|td|th|font|script|style|blockquote|hr|iframe|object|embed|svg|video|audio|tt|small|big|center|strike)\b[^<>]*>|!--)|&(#[0-9]+|#x[0-9a-f]+|[a-z]+);`)

// toMarkdown converts text written in f to safe Markdown. notes are the ids
// of warnings the trainer should read: content left out, such as images, or
// HTML shown as text.
func toMarkdown(s string, f textFormat) (md string, notes []string) {
	switch {
	case f == formatMarkdown:
		md = strings.TrimSpace(newlines(s, "\n"))
		if safe := neutraliseHTML(md); safe != md {
			return safe, []string{"GiftHTMLInMarkdown"}
		}
		return md, nil
	case isHTML(s, f):
		return htmlToMarkdown(newlines(s, "\n"))
	}
	return escapeText(trimLines(s)), nil
}

// toPlain is the text a learner would type for s: one line, no markup.
func toPlain(s string, f textFormat) string {
	s = newlines(s, " ")
	if isHTML(s, f) {
		return htmlToText(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

func isHTML(s string, f textFormat) bool {
	return f == formatHTML || (f == formatMoodle && htmlLike().MatchString(s))
}

// newlines replaces the line breaks written as \n with sep.
func newlines(s, sep string) string { return strings.ReplaceAll(s, string(hardBreak), sep) }

// trimLines trims every line, as Moodle does for text that is not Markdown,
// so indentation in the GIFT file does not turn into Markdown code blocks.
func trimLines(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, line := range lines {
		lines[i] = strings.TrimSpace(line)
	}
	return strings.Join(lines, "\n")
}

// lazyRegexp compiles a regular expression when it is first used. The
// package is linked into every hocso command, and compiling its expressions
// in the package's initialisation cost about 0.7 ms of every start, for
// commands that never read GIFT or Aiken too.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
