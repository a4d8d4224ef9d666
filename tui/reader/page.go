package reader

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// page is a lesson laid out for the viewport, every line padded to the
// viewport's width once, when the lesson is laid out. viewport.View measures
// and pads every visible line again on each key (about half a millisecond at
// 80 columns on an old PC); the page only joins the visible lines.
type page struct {
	width int
	lines []string // nil when a line is wider than width: then the viewport draws
	blank string
}

// newPage lays content out as the viewport shows it: tabs as four spaces
// (lipgloss's default), each line padded to width. A line wider than width,
// or a carriage return (which the viewport keeps in some lines and not in
// others), makes no page: the viewport draws those.
func newPage(content string, width int) page {
	if strings.Contains(content, "\r") {
		return page{}
	}
	content = strings.ReplaceAll(content, "\t", "    ")
	lines := strings.Split(content, "\n")
	for i, l := range lines {
		w := ansi.StringWidth(l)
		if w > width {
			return page{}
		}
		lines[i] = l + strings.Repeat(" ", width-w)
	}
	return page{width: width, lines: lines, blank: strings.Repeat(" ", width)}
}

// ok reports whether the page can draw itself.
func (p page) ok() bool { return p.lines != nil }

// view is what the viewport shows of the page from line top, height lines
// high: the lines there, then blank lines to the full height.
func (p page) view(top, height int) string {
	if p.width == 0 || height <= 0 {
		return ""
	}
	top = max(0, min(top, len(p.lines)))
	shown := p.lines[top:min(len(p.lines), top+height)]
	var b strings.Builder
	b.Grow(height * (len(p.blank) + 16))
	for i := range height {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(shown) {
			b.WriteString(shown[i])
		} else {
			b.WriteString(p.blank)
		}
	}
	return b.String()
}
