package gift

import (
	"slices"
	"strings"
	"unicode"
)

// block is the source of one GIFT question: lines up to a blank line, with the
// comment lines taken out.
type block struct {
	line     int      // line of the first line kept
	lines    []string // the lines kept, in order
	nums     []int    // nums[i] is the line number of lines[i]
	category string   // a leading $CATEGORY: line, if any
	id       string   // Moodle's [id:…] from a comment above the question
	tags     []string // Moodle's [tag:…] from comments above the question
	settings string   // hocso's own [hocso:…] from a comment above the question (see WriteGIFT)
}

var (
	// Moodle's [id:…] and [tag:…]; a "]" inside is written "\]".
	idComment  = lazyRegexp(`\[id:((?:\\.|[^\]\\])+)\]`)
	tagComment = lazyRegexp(`\[tag:((?:\\.|[^\]\\])+)\]`)
	// hocsoComment carries what GIFT cannot say; WriteGIFT writes it.
	hocsoComment = lazyRegexp(`\[hocso:((?:\\.|[^\]\\])*)\]`)
)

const categoryPrefix = "$CATEGORY:"

// unescapeComment resolves the backslash escapes of an [id:] or [tag:] value.
func unescapeComment(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	escaped := false
	for _, r := range s {
		if r == '\\' && !escaped {
			escaped = true
			continue
		}
		escaped = false
		b.WriteRune(r)
	}
	return b.String()
}

// splitBlocks cuts a GIFT file into question blocks. Like Moodle, a blank line
// ends a question and a line starting with // is a comment wherever it is.
func splitBlocks(lines []string) []block {
	var (
		blocks []block
		cur    block
	)
	flush := func() {
		if len(cur.lines) > 0 || cur.category != "" {
			blocks = append(blocks, cur)
			cur = block{}
		}
		// An [id:] or [tag:] comment followed by a blank line still belongs
		// to the next question, so cur keeps them.
	}
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			flush()
		case strings.HasPrefix(trimmed, "//"):
			if m := idComment().FindStringSubmatch(trimmed); m != nil {
				cur.id = strings.TrimSpace(unescapeComment(m[1]))
			}
			if m := hocsoComment().FindStringSubmatch(trimmed); m != nil {
				cur.settings = unescapeComment(m[1])
			}
			for _, m := range tagComment().FindAllStringSubmatch(trimmed, -1) {
				if tag := strings.TrimSpace(unescapeComment(m[1])); tag != "" && !slices.Contains(cur.tags, tag) {
					cur.tags = append(cur.tags, tag)
				}
			}
		case len(cur.lines) == 0 && strings.HasPrefix(trimmed, categoryPrefix):
			// Moodle wants $CATEGORY: alone in its block; taking only its line
			// also imports a question written right under it.
			cur.category = strings.TrimSpace(trimmed[len(categoryPrefix):])
			if cur.line == 0 {
				cur.line = i + 1
			}
		default:
			if len(cur.lines) == 0 {
				cur.line = i + 1
			}
			cur.lines = append(cur.lines, line)
			cur.nums = append(cur.nums, i+1)
		}
	}
	flush()
	return blocks
}

// char is one character of a question after escapes are resolved.
type char struct {
	r    rune
	line int
	lit  bool // written with a backslash: always text, never GIFT syntax
}

// chars is question text that remembers, per character, its line and whether
// it was escaped, so that only unescaped characters act as syntax.
type chars []char

// unescape joins a block's lines and resolves GIFT's escapes: \~ \= \# \{ \}
// \: \\ stand for the character itself and \n for a line break. A backslash
// before anything else is kept as it is, as Moodle does.
func (b block) unescape() chars {
	var out chars
	for i, line := range b.lines {
		n := b.nums[i]
		rs := []rune(line)
		for j := 0; j < len(rs); j++ {
			r := rs[j]
			if r == '\\' && j+1 < len(rs) {
				switch next := rs[j+1]; next {
				case '\\', '~', '=', '#', '{', '}', ':':
					out = append(out, char{r: next, line: n, lit: true})
					j++
					continue
				case 'n':
					out = append(out, char{r: '\n', line: n, lit: true})
					j++
					continue
				}
			}
			out = append(out, char{r: r, line: n})
		}
		if i < len(b.lines)-1 {
			out = append(out, char{r: '\n', line: n})
		}
	}
	return out
}

// String is the text of cs, with an escaped \n as hardBreak.
func (cs chars) String() string {
	var b strings.Builder
	for _, c := range cs {
		if c.r == '\n' && c.lit {
			b.WriteRune(hardBreak)
			continue
		}
		b.WriteRune(c.r)
	}
	return b.String()
}

// lineAt is the line of the character at i, or of the nearest one before it.
func (cs chars) lineAt(i int) int {
	if len(cs) == 0 {
		return 0
	}
	return cs[min(max(i, 0), len(cs)-1)].line
}

func (cs chars) trim() chars {
	start, end := 0, len(cs)
	for start < end && unicode.IsSpace(cs[start].r) {
		start++
	}
	for end > start && unicode.IsSpace(cs[end-1].r) {
		end--
	}
	return cs[start:end]
}

// index is the position of the first unescaped r at or after from, or -1.
func (cs chars) index(r rune, from int) int {
	for i := max(from, 0); i < len(cs); i++ {
		if cs[i].r == r && !cs[i].lit {
			return i
		}
	}
	return -1
}

// indexAny is the position of the first unescaped rune of set, or -1.
func (cs chars) indexAny(set string) int {
	for i, c := range cs {
		if !c.lit && strings.ContainsRune(set, c.r) {
			return i
		}
	}
	return -1
}

// has reports whether cs holds an unescaped r.
func (cs chars) has(r rune) bool { return cs.index(r, 0) >= 0 }

// indexSeq is the position of the first unescaped seq at or after from, or -1.
func (cs chars) indexSeq(seq string, from int) int {
	rs := []rune(seq)
	for i := max(from, 0); i+len(rs) <= len(cs); i++ {
		if cs.matchAt(i, rs) {
			return i
		}
	}
	return -1
}

// lastIndexSeq is the position of the last unescaped seq, or -1.
func (cs chars) lastIndexSeq(seq string) int {
	rs := []rune(seq)
	for i := len(cs) - len(rs); i >= 0; i-- {
		if cs.matchAt(i, rs) {
			return i
		}
	}
	return -1
}

func (cs chars) matchAt(i int, rs []rune) bool {
	for k, r := range rs {
		if cs[i+k].r != r || cs[i+k].lit {
			return false
		}
	}
	return true
}

// hasPrefix reports whether cs starts with an unescaped seq.
func (cs chars) hasPrefix(seq string) bool {
	rs := []rune(seq)
	return len(cs) >= len(rs) && cs.matchAt(0, rs)
}

// cutAny splits cs before each unescaped rune of seps. Every piece but the
// first starts with the separator that began it.
func (cs chars) cutAny(seps string) []chars {
	var pieces []chars
	start := 0
	for i, c := range cs {
		if !c.lit && strings.ContainsRune(seps, c.r) {
			pieces = append(pieces, cs[start:i])
			start = i
		}
	}
	return append(pieces, cs[start:])
}

// cut splits cs around the first unescaped sep.
func (cs chars) cut(sep rune) (before, after chars, found bool) {
	if i := cs.index(sep, 0); i >= 0 {
		return cs[:i], cs[i+1:], true
	}
	return cs, nil, false
}
