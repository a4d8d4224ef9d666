package gift

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlToMarkdown converts an HTML fragment to Markdown. Paragraphs, line
// breaks, bold, italics, lists, links, inline code and preformatted blocks
// become their Markdown forms; script and style disappear with their content;
// every other tag is dropped with its attributes and its text kept. No HTML
// survives. dropped holds the ids of the warnings about content lost
// (images, scripts…), each once.
func htmlToMarkdown(src string) (md string, dropped []string) {
	w := &mdWriter{lineStart: true}
	z := html.NewTokenizer(strings.NewReader(src))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(w.finish()), w.dropped
		case html.TextToken:
			w.text(string(z.Text()))
		case html.StartTagToken:
			w.start(z, false)
		case html.SelfClosingTagToken:
			w.start(z, true)
		case html.EndTagToken:
			name, _ := z.TagName()
			w.end(atom.Lookup(name))
		}
	}
}

// htmlToText is the text a reader of src sees, on one line: what a learner
// would type to answer a short question written in HTML.
func htmlToText(src string) string {
	var b strings.Builder
	skip := 0
	z := html.NewTokenizer(strings.NewReader(src))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			tt := z.Token()
			if skipContent[tt.DataAtom] && tt.Type == html.StartTagToken {
				skip++
			}
			if isBlock(tt.DataAtom) || tt.DataAtom == atom.Br {
				b.WriteByte(' ')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if skipContent[a] && skip > 0 {
				skip--
			}
			if isBlock(a) {
				b.WriteByte(' ')
			}
		}
	}
}

// skipContent are elements whose content is not text for a reader.
var skipContent = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Head: true, atom.Title: true,
	atom.Template: true, atom.Noscript: true, atom.Iframe: true, atom.Object: true,
	atom.Svg: true, atom.Math: true, atom.Textarea: true, atom.Select: true,
	atom.Video: true, atom.Audio: true, atom.Canvas: true,
}

// droppedWarning is the warning about content that a text-only pack loses,
// one message id per kind of content, so each language can name it.
var droppedWarning = map[atom.Atom]string{
	atom.Img: "GiftDroppedImage", atom.Script: "GiftDroppedScript", atom.Style: "GiftDroppedStyle",
	atom.Iframe: "GiftDroppedPage", atom.Object: "GiftDroppedObject", atom.Embed: "GiftDroppedObject",
	atom.Video: "GiftDroppedVideo", atom.Audio: "GiftDroppedAudio", atom.Svg: "GiftDroppedDrawing",
	atom.Canvas: "GiftDroppedDrawing", atom.Math: "GiftDroppedFormula", atom.Table: "GiftDroppedTable",
}

// maxNesting bounds open emphasis and lists: deeper nesting shows nothing
// more, and hostile input must not make the conversion slow.
const maxNesting = 16

// inline is an emphasis or link opened in the HTML and not yet closed.
type inline struct {
	tag     atom.Atom
	open    string // Markdown that opens it: "**", "*", "["
	close   string // Markdown that closes it: "**", "*", "](url)"
	written bool   // whether open has been written (it waits for text)
}

// list is an open <ul> or <ol>.
type list struct {
	ordered bool
	n       int // items so far
	width   int // width of the current item's marker, the indent of its other lines
}

// mdWriter builds Markdown from a stream of HTML tokens. Whitespace, breaks
// and opening markers are held back until text arrives, so that empty
// elements and runs of whitespace leave nothing behind.
type mdWriter struct {
	out       strings.Builder
	lineStart bool   // the next text begins a Markdown line
	space     bool   // a space is due before the next text
	brk       int    // a break is due before the next text: 1 line, 2 paragraph
	hard      bool   // the due line break is a <br>
	bullet    string // a list marker is due before the next text
	inlines   []inline
	lists     []list
	skip      int              // depth inside elements whose content is dropped
	code      *strings.Builder // inside inline <code>
	pre       *strings.Builder // inside <pre>
	dropped   []string
}

func (w *mdWriter) finish() string {
	for i := len(w.inlines) - 1; i >= 0; i-- {
		if w.inlines[i].written {
			w.out.WriteString(w.inlines[i].close)
		}
	}
	w.inlines = nil
	return w.out.String()
}

func (w *mdWriter) drop(what string) {
	for _, d := range w.dropped {
		if d == what {
			return
		}
	}
	w.dropped = append(w.dropped, what)
}

func (w *mdWriter) breakLine(n int, hard bool) {
	if len(w.lists) > 0 && n == 2 {
		// A blank line inside a list would end the item or loosen the list.
		n, hard = 1, true
	}
	if n > w.brk {
		w.brk, w.hard = n, hard
	} else if n == w.brk && n == 1 {
		w.hard = w.hard || hard
	}
}

func (w *mdWriter) start(z *html.Tokenizer, selfClosing bool) {
	name, hasAttr := z.TagName()
	a := atom.Lookup(name)
	attrs := map[string]string{}
	for hasAttr {
		var k, v []byte
		k, v, hasAttr = z.TagAttr()
		attrs[string(k)] = string(v)
	}
	if d, ok := droppedWarning[a]; ok {
		w.drop(d)
	}
	if skipContent[a] {
		if !selfClosing {
			w.skip++
		}
		return
	}
	if w.skip > 0 {
		return
	}
	if w.pre != nil {
		if a == atom.Br {
			w.pre.WriteByte('\n')
		}
		return
	}
	if w.code != nil {
		if isBlock(a) || a == atom.Br {
			w.code.WriteByte(' ')
		}
		return
	}
	switch a {
	case atom.Br:
		w.breakLine(1, true)
	case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Blockquote,
		atom.Table, atom.Hr, atom.Dl:
		w.breakLine(2, false)
		if isHeading(a) {
			w.push(inline{tag: a, open: "**", close: "**"})
		}
	case atom.Div, atom.Tr, atom.Dt, atom.Dd, atom.Section, atom.Article, atom.Header, atom.Footer:
		w.breakLine(1, true)
	case atom.Td, atom.Th:
		w.space = true
	case atom.Ul, atom.Ol:
		w.breakLine(2, false)
		if len(w.lists) < maxNesting {
			w.lists = append(w.lists, list{ordered: a == atom.Ol})
		}
	case atom.Li:
		w.breakLine(1, false)
		w.bullet = "- "
		if n := len(w.lists); n > 0 {
			l := &w.lists[n-1]
			l.n++
			if l.ordered {
				w.bullet = fmt.Sprintf("%d. ", l.n)
			}
			l.width = len(w.bullet)
		}
	case atom.B, atom.Strong:
		w.push(inline{tag: a, open: "**", close: "**"})
	case atom.I, atom.Em:
		w.push(inline{tag: a, open: "*", close: "*"})
	case atom.Sup:
		w.push(inline{tag: a, open: "^"})
	case atom.A:
		if href, ok := safeURL(attrs["href"]); ok && !selfClosing {
			w.push(inline{tag: a, open: "[", close: "](" + href + ")"})
		}
	case atom.Code, atom.Kbd, atom.Samp, atom.Tt:
		if !selfClosing {
			w.code = &strings.Builder{}
		}
	case atom.Pre:
		if !selfClosing {
			w.pre = &strings.Builder{}
		}
	}
}

func (w *mdWriter) end(a atom.Atom) {
	if skipContent[a] {
		if w.skip > 0 {
			w.skip--
		}
		return
	}
	if w.skip > 0 {
		return
	}
	switch {
	case w.pre != nil:
		if a == atom.Pre {
			w.writePre()
		}
		return
	case w.code != nil:
		if a == atom.Code || a == atom.Kbd || a == atom.Samp || a == atom.Tt {
			w.writeCode()
		} else if isBlock(a) {
			w.code.WriteByte(' ')
		}
		return
	}
	switch a {
	case atom.P, atom.Blockquote, atom.Table, atom.Dl:
		w.breakLine(2, false)
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		w.closeInline(a)
		w.breakLine(2, false)
	case atom.Div, atom.Tr, atom.Dt, atom.Dd, atom.Section, atom.Article, atom.Header, atom.Footer:
		w.breakLine(1, true)
	case atom.Li:
		w.breakLine(1, false)
	case atom.Ul, atom.Ol:
		if n := len(w.lists); n > 0 {
			w.lists = w.lists[:n-1]
		}
		w.bullet = ""
		w.breakLine(2, false)
	case atom.B, atom.Strong, atom.I, atom.Em, atom.Sup, atom.A:
		w.closeInline(a)
	}
}

func (w *mdWriter) push(in inline) {
	if len(w.inlines) < maxNesting {
		w.inlines = append(w.inlines, in)
	}
}

// closeInline closes the innermost open a; if no text came since it opened,
// it leaves nothing at all.
func (w *mdWriter) closeInline(a atom.Atom) {
	for i := len(w.inlines) - 1; i >= 0; i-- {
		if w.inlines[i].tag != a {
			continue
		}
		if w.inlines[i].written {
			w.out.WriteString(w.inlines[i].close)
		}
		w.inlines = append(w.inlines[:i], w.inlines[i+1:]...)
		return
	}
}

// flush writes what is due before text: a break with the list indent, a
// list marker, a space and the opening markers waiting for text.
func (w *mdWriter) flush() {
	if w.brk > 0 && w.out.Len() > 0 {
		if w.brk == 2 {
			// Emphasis cannot span paragraphs: close it here, reopen after.
			for i := len(w.inlines) - 1; i >= 0; i-- {
				if w.inlines[i].written {
					w.out.WriteString(w.inlines[i].close)
					w.inlines[i].written = false
				}
			}
			w.out.WriteString("\n\n")
		} else if w.hard && w.bullet == "" {
			w.out.WriteString("\\\n")
		} else {
			w.out.WriteString("\n")
		}
		w.out.WriteString(w.indent())
		w.lineStart, w.space = true, false
	}
	w.brk, w.hard = 0, false
	if w.bullet != "" {
		if !w.lineStart && w.out.Len() > 0 {
			w.out.WriteString("\n" + w.indent())
		}
		w.out.WriteString(w.bullet)
		w.bullet, w.lineStart, w.space = "", true, false
	}
	if w.space && !w.lineStart && w.out.Len() > 0 {
		w.out.WriteByte(' ')
	}
	w.space = false
	for i := range w.inlines {
		if !w.inlines[i].written {
			w.out.WriteString(w.inlines[i].open)
			w.inlines[i].written = true
		}
	}
}

// indent is the indent of a line inside the open list items: the marker
// widths of all enclosing items, but not the item whose marker is due.
func (w *mdWriter) indent() string {
	n := len(w.lists)
	if w.bullet != "" {
		n--
	}
	width := 0
	for _, l := range w.lists[:max(n, 0)] {
		width += l.width
	}
	return strings.Repeat(" ", width)
}

func (w *mdWriter) text(s string) {
	switch {
	case w.skip > 0:
		return
	case w.pre != nil:
		w.pre.WriteString(s)
		return
	case w.code != nil:
		w.code.WriteString(s)
		return
	}
	words := strings.FieldsFunc(s, unicode.IsSpace)
	if len(words) == 0 {
		if s != "" {
			w.space = true
		}
		return
	}
	if unicode.IsSpace(firstRune(s)) {
		w.space = true
	}
	trailing := unicode.IsSpace(lastRune(s))
	w.flush()
	before := ' '
	if !w.lineStart {
		before = lastRune(w.out.String())
	}
	after := '!' // unknown: assume the worst, so markers get escaped
	if trailing {
		after = ' '
	}
	w.out.WriteString(escapeLine(strings.Join(words, " "), before, after, w.lineStart))
	w.lineStart = false
	w.space = trailing
}

// writeCode writes the inline code just closed as a code span.
func (w *mdWriter) writeCode() {
	content := strings.Join(strings.Fields(w.code.String()), " ")
	w.code = nil
	if content == "" {
		return
	}
	w.flush()
	ticks := strings.Repeat("`", longestRun(content, '`')+1)
	pad := ""
	if strings.HasPrefix(content, "`") || strings.HasSuffix(content, "`") {
		pad = " "
	}
	w.out.WriteString(ticks + pad + content + pad + ticks)
	w.lineStart = false
}

// writePre writes the preformatted block just closed as a fenced code block.
func (w *mdWriter) writePre() {
	content := strings.TrimRight(strings.TrimPrefix(w.pre.String(), "\n"), " \t\n")
	w.pre = nil
	if strings.TrimSpace(content) == "" {
		return
	}
	w.breakLine(2, false)
	if len(w.lists) > 0 {
		w.brk, w.hard = 1, false
	}
	w.flush()
	ticks := strings.Repeat("`", max(3, longestRun(content, '`')+1))
	indent := w.indent()
	w.out.WriteString(ticks + "\n")
	for _, line := range strings.Split(content, "\n") {
		w.out.WriteString(indent + line + "\n")
	}
	w.out.WriteString(indent + ticks)
	w.lineStart = false
	w.breakLine(2, false)
}

func isHeading(a atom.Atom) bool {
	return a == atom.H1 || a == atom.H2 || a == atom.H3 || a == atom.H4 || a == atom.H5 || a == atom.H6
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Li, atom.Ul, atom.Ol, atom.Tr, atom.Td, atom.Th, atom.Table,
		atom.Blockquote, atom.Pre, atom.Hr, atom.Dl, atom.Dt, atom.Dd:
		return true
	}
	return isHeading(a)
}

// safeURL returns href fit for a Markdown link if it is a web or mail link.
func safeURL(href string) (string, bool) {
	href = strings.TrimSpace(href)
	lower := strings.ToLower(href)
	if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") && !strings.HasPrefix(lower, "mailto:") {
		return "", false
	}
	var b strings.Builder
	for _, r := range href {
		switch {
		case r == ' ' || r == '(' || r == ')' || r == '<' || r == '>' || r == '"' || r == '`' || r == '\\':
			fmt.Fprintf(&b, "%%%02X", r)
		case unicode.IsControl(r) || unicode.IsSpace(r):
			// Dropped: a URL has no business holding them.
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), true
}

func longestRun(s string, c rune) int {
	best, cur := 0, 0
	for _, r := range s {
		if r == c {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}
