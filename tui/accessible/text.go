package accessible

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// textWidth is where text would wrap: nowhere. A screen reader reads a
// line as a unit, so a sentence split across lines ("Chưa bắt" / "đầu)") is
// read as two; each logical line is printed whole and the console wraps it.
const textWidth = 1 << 30

var (
	markdown  = goldmark.New(goldmark.WithExtensions(extension.GFM))
	lineBreak = regexp.MustCompile(`(?i)^<br\s*/?>$`)
)

// plainText renders lesson Markdown as plain text lines of at most width
// columns: headings are their text on a line of their own, list items start
// with "- " (or their number), quotes such as "Ghi nhớ" become plain lines,
// emphasis marks go, and a blank line separates blocks. heading marks the
// lines of headings, which a page must not end with.
func plainText(src string, width int) (lines []string, heading map[int]bool) {
	b := []byte(src)
	p := &plain{src: b, width: width, heading: map[int]bool{}}
	p.blocks(markdown.Parser().Parse(text.NewReader(b)), "")
	for len(p.out) > 0 && p.out[len(p.out)-1] == "" {
		p.out = p.out[:len(p.out)-1]
	}
	return p.out, p.heading
}

type plain struct {
	src     []byte
	width   int
	out     []string
	heading map[int]bool
}

func (p *plain) blocks(parent ast.Node, indent string) {
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		p.block(n, indent)
	}
}

// gap starts a new block with a blank line, unless one is there already.
func (p *plain) gap() {
	if len(p.out) > 0 && p.out[len(p.out)-1] != "" {
		p.out = append(p.out, "")
	}
}

func (p *plain) block(n ast.Node, indent string) {
	switch n := n.(type) {
	case *ast.Heading:
		p.gap()
		from := len(p.out)
		p.para(p.inline(n), indent, indent)
		for i := from; i < len(p.out); i++ {
			p.heading[i] = true
		}
	case *ast.Paragraph, *ast.TextBlock:
		p.gap()
		p.para(p.inline(n), indent, indent)
	case *ast.List:
		p.gap()
		p.list(n, indent)
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		p.gap()
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			p.out = append(p.out, indent+strings.TrimRight(string(seg.Value(p.src)), " \r\n"))
		}
	case *extast.Table:
		p.gap()
		p.table(n, indent)
	case *ast.ThematicBreak:
		p.gap()
	case *ast.HTMLBlock:
		// raw HTML is markup, not text
	default: // blockquotes and anything else: their content, unmarked
		p.blocks(n, indent)
	}
}

// list writes items one per line, "- " or "1. " first and continuation lines
// under the item's text; nested lists indent by the marker's width.
func (p *plain) list(l *ast.List, indent string) {
	num := l.Start
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		marker := "- "
		if l.IsOrdered() {
			marker = strconv.Itoa(num) + ". "
			num++
		}
		pad := indent + strings.Repeat(" ", len(marker))
		first := indent + marker
		for c := item.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.TextBlock, *ast.Paragraph:
				p.para(p.inline(c), first, pad)
			case *ast.List:
				if first != pad {
					p.out = append(p.out, first)
				}
				p.list(c, pad)
			default:
				p.block(c, pad)
			}
			first = pad
		}
		if first != pad {
			p.out = append(p.out, strings.TrimRight(first, " "))
		}
	}
}

// table writes each body row as "heading: cell; heading: cell", which reads
// aloud better than columns.
func (p *plain) table(t *extast.Table, indent string) {
	var heads []string
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		var cells []string
		for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
			cells = append(cells, p.inline(cell))
		}
		if _, ok := row.(*extast.TableHeader); ok {
			heads = cells
			continue
		}
		for i := range cells {
			if i < len(heads) && heads[i] != "" {
				cells[i] = heads[i] + ": " + cells[i]
			}
		}
		p.para(strings.Join(cells, "; "), indent+"- ", indent+"  ")
	}
}

// para wraps text to the width, first before its first line and rest before
// the others; a hard line break starts a new line.
func (p *plain) para(s, first, rest string) {
	for _, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		p.out = append(p.out, wrapText(line, p.width, first, rest)...)
		first = rest
	}
}

// wrapText wraps one line of text at spaces to width columns, first before
// its first line and rest before the others; runs of spaces become one.
func wrapText(s string, width int, first, rest string) []string {
	s = strings.Join(strings.Fields(s), " ")
	wrapped := ansi.Wordwrap(s, max(20, width-ansi.StringWidth(rest)), "")
	var out []string
	prefix := first
	for _, w := range strings.Split(wrapped, "\n") {
		out = append(out, prefix+strings.TrimRight(w, " "))
		prefix = rest
	}
	return out
}

// listMarker is the number or dash that starts a list line.
var listMarker = regexp.MustCompile(`^(?:\d+\.|-) `)

// wrapLine wraps a line that is wider than textWidth, so that an 80-column
// console never cuts a word in two (a screen reader would read two halves);
// a numbered or dashed line continues under its text.
func wrapLine(line string) []string {
	if ansi.StringWidth(line) <= textWidth {
		return []string{line}
	}
	marker := listMarker.FindString(line)
	return wrapText(line[len(marker):], textWidth, marker, strings.Repeat(" ", len(marker)))
}

// inline is the text of a block's inline content, without markup.
func (p *plain) inline(n ast.Node) string {
	var b strings.Builder
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				v := c.Segment.Value(p.src)
				if !c.IsRaw() {
					v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
				}
				b.Write(v)
				switch {
				case c.HardLineBreak():
					b.WriteByte('\n')
				case c.SoftLineBreak():
					b.WriteByte(' ')
				}
			case *ast.String:
				b.Write(c.Value)
			case *ast.AutoLink:
				b.Write(c.URL(p.src))
			case *ast.RawHTML:
				// markup, not text; but a <br> still breaks the line
				var tag []byte
				for i := 0; i < c.Segments.Len(); i++ {
					seg := c.Segments.At(i)
					tag = append(tag, seg.Value(p.src)...)
				}
				if lineBreak.Match(tag) {
					b.WriteByte('\n')
				}
			case *ast.Link:
				before := b.Len()
				walk(c)
				if dest := string(c.Destination); dest != "" && !strings.Contains(b.String()[before:], dest) {
					b.WriteString(" (" + dest + ")")
				}
			default: // emphasis, code, images (their alt text), struck text
				walk(c)
			}
		}
	}
	walk(n)
	return b.String()
}
