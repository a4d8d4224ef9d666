package common

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// Markdown renders lesson Markdown for the terminal and keeps each rendering
// by lesson, language and width, so scrolling and switching back never wait
// for a render and a resize renders each width once.
//
// Lessons use a small part of Markdown (headings, paragraphs, lists, a quoted
// "key points" box, emphasis, code spans), so hocso renders it itself from
// goldmark's syntax tree rather than through glamour: glamour links a syntax
// highlighter whose start-up work every hocso command paid for (see
// docs/performance.md), and its wrapping did not know document symbols.
type Markdown struct {
	style string
	st    mdStyle
	md    goldmark.Markdown
	cache map[string]string
}

// mdStyle is how each element looks in one of the styles.
type mdStyle struct {
	heading, strong, emph, code, bar, bullet lipgloss.Style
	// headingMarks keeps "## " before headings: without colour, the marks
	// are the only sign of a heading besides bold.
	headingMarks bool
}

// NewMarkdown renders in one of the styles "dark", "light" or "notty" (no colour).
func NewMarkdown(style string) *Markdown {
	return &Markdown{style: style, st: markdownStyle(style), md: goldmark.New(), cache: map[string]string{}}
}

func markdownStyle(style string) mdStyle {
	plain := lipgloss.NewStyle()
	st := mdStyle{
		heading: plain.Bold(true), strong: plain.Bold(true), emph: plain.Italic(true),
		code: plain, bar: plain, bullet: plain,
	}
	switch style {
	case "notty":
		st.headingMarks = true
	case "light":
		st.heading = st.heading.Foreground(lipgloss.Color("25"))
		st.code = plain.Foreground(lipgloss.Color("124"))
		st.bar = plain.Foreground(lipgloss.Color("244"))
		st.bullet = plain.Foreground(lipgloss.Color("25"))
	default:
		st.heading = st.heading.Foreground(lipgloss.Color("39"))
		st.code = plain.Foreground(lipgloss.Color("203"))
		st.bar = plain.Foreground(lipgloss.Color("244"))
		st.bullet = plain.Foreground(lipgloss.Color("39"))
	}
	return st
}

// lessonMargin is the space left of the text, as a printed page has.
const lessonMargin = 2

// Render returns src rendered to fit width columns; key names the source (lesson and language).
func (m *Markdown) Render(key, src string, width int) (string, error) {
	ck := key + "\x00" + strconv.Itoa(width)
	if out, ok := m.cache[ck]; ok {
		return out, nil
	}
	source := []byte(src)
	doc := m.md.Parser().Parse(text.NewReader(source))
	r := mdRender{src: source, st: m.st}
	body := r.blocks(doc, max(10, width-lessonMargin), "\n\n")
	out := Indent(body, lessonMargin)
	out = strings.Join(trimRight(strings.Split(out, "\n")), "\n")
	m.cache[ck] = out
	return out, nil
}

func trimRight(lines []string) []string {
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return lines
}

// mdRender writes the blocks of one document.
type mdRender struct {
	src []byte
	st  mdStyle
}

// blocks renders the children of n, each wrapped to width, joined by sep.
func (r *mdRender) blocks(n ast.Node, width int, sep string) string {
	var out []string
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if s := r.block(c, width); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, sep)
}

func (r *mdRender) block(n ast.Node, width int) string {
	switch n := n.(type) {
	case *ast.Heading:
		t := r.inline(n)
		if r.st.headingMarks {
			t = strings.Repeat("#", n.Level) + " " + t
		}
		return styleLines(r.st.heading, Wrap(t, width))
	case *ast.Paragraph, *ast.TextBlock:
		return Wrap(r.inline(n), width)
	case *ast.List:
		return r.list(n, width)
	case *ast.Blockquote:
		bar := r.st.bar.Render("│") + " "
		body := r.blocks(n, width-2, "\n\n")
		return bar + strings.ReplaceAll(body, "\n", "\n"+bar)
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		var lines []string
		for i := 0; i < n.Lines().Len(); i++ {
			seg := n.Lines().At(i)
			lines = append(lines, r.st.code.Render(strings.TrimRight(string(seg.Value(r.src)), "\n")))
		}
		return Indent(strings.Join(lines, "\n"), 2)
	case *ast.ThematicBreak:
		return r.st.bar.Render(strings.Repeat("─", width))
	case *ast.HTMLBlock:
		var lines []string
		for i := 0; i < n.Lines().Len(); i++ {
			seg := n.Lines().At(i)
			lines = append(lines, strings.TrimRight(string(seg.Value(r.src)), "\n"))
		}
		return Wrap(strings.Join(lines, "\n"), width)
	}
	return Wrap(r.inline(n), width)
}

// list renders items with their marker and a hanging indent, so a wrapped
// item never runs back under its bullet.
func (r *mdRender) list(n *ast.List, width int) string {
	num := n.Start
	var markers []string
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if n.IsOrdered() {
			markers = append(markers, fmt.Sprintf("%d. ", num))
			num++
		} else {
			markers = append(markers, "• ")
		}
	}
	mw := 0
	for _, mk := range markers {
		mw = max(mw, lipgloss.Width(mk))
	}
	sep := "\n"
	if !n.IsTight {
		sep = "\n\n"
	}
	var items []string
	i := 0
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		mk := markers[i] + strings.Repeat(" ", mw-lipgloss.Width(markers[i]))
		body := r.blocks(c, max(10, width-mw), sep)
		items = append(items, r.st.bullet.Render(mk)+strings.ReplaceAll(body, "\n", "\n"+strings.Repeat(" ", mw)))
		i++
	}
	return strings.Join(items, sep)
}

// inline renders the inline content of n as one styled string, ready to wrap.
func (r *mdRender) inline(n ast.Node) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		r.inlineNode(&b, c)
	}
	return b.String()
}

func (r *mdRender) inlineNode(b *strings.Builder, n ast.Node) {
	switch n := n.(type) {
	case *ast.Text:
		b.Write(n.Segment.Value(r.src))
		switch {
		case n.HardLineBreak():
			b.WriteString("\n")
		case n.SoftLineBreak():
			b.WriteString(" ")
		}
	case *ast.String:
		b.Write(n.Value)
	case *ast.Emphasis:
		st := r.st.emph
		if n.Level >= 2 {
			st = r.st.strong
		}
		b.WriteString(styleWords(st, r.inline(n)))
	case *ast.CodeSpan:
		code := r.inline(n)
		if r.st.headingMarks {
			code = "`" + code + "`" // no colour: the backticks show it is typed as is
		}
		b.WriteString(styleWords(r.st.code, code))
	case *ast.Link:
		label := r.inline(n)
		b.WriteString(label)
		if dest := string(n.Destination); dest != "" && dest != label {
			b.WriteString(" (" + dest + ")")
		}
	case *ast.AutoLink:
		b.Write(n.URL(r.src))
	case *ast.Image:
		b.WriteString(r.inline(n))
	case *ast.RawHTML:
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			b.Write(seg.Value(r.src))
		}
	default:
		b.WriteString(r.inline(n))
	}
}

// styleWords styles each word on its own, so the wrapper can break between
// them without carrying a style across a line end.
func styleWords(st lipgloss.Style, s string) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		if w != "" {
			words[i] = st.Render(w)
		}
	}
	return strings.Join(words, " ")
}

// styleLines styles each line of an already wrapped block.
func styleLines(st lipgloss.Style, s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = st.Render(l)
	}
	return strings.Join(lines, "\n")
}
