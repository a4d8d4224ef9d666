package reader

import (
	"fmt"
	"testing"

	"charm.land/bubbles/v2/viewport"

	"hocso/lessons"
	"hocso/tui/common"
)

// TestPageDrawsWhatTheViewportDraws compares the page with viewport.View for
// every lesson of the built-in pack, in colour and without, at several
// sizes and scroll positions, and for text with tabs and fewer lines than
// the screen.
func TestPageDrawsWhatTheViewportDraws(t *testing.T) {
	p, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	c := &common.Common{}
	type text struct{ name, content string }
	var texts []text
	for _, style := range []string{"dark", "notty"} {
		md := common.NewMarkdown(style)
		for _, w := range []int{30, 80, 200} {
			for _, mod := range p.Modules {
				for _, l := range mod.Lessons {
					for _, lang := range []string{"vi", "en"} {
						out, err := md.Render(l.ID+"\x00"+lang, l.Body.In(lang), c.Measure(w))
						if err != nil {
							t.Fatal(err)
						}
						texts = append(texts, text{fmt.Sprintf("%s %s %s at %d", l.ID, lang, style, w), out})
					}
				}
			}
		}
	}
	texts = append(texts, text{"tabs", "a\tb\nc\td\n\nlast"}, text{"empty", ""})
	for _, tx := range texts {
		for _, width := range []int{22, 40, 82} {
			for _, height := range []int{3, 22, 58} {
				vp := viewport.New()
				vp.SetWidth(width)
				vp.SetHeight(height)
				vp.SetContent(tx.content)
				pg := newPage(tx.content, width)
				if !pg.ok() {
					continue // the viewport draws: nothing to compare
				}
				total := vp.TotalLineCount()
				for _, off := range []int{0, 1, total / 2, total - height, total} {
					vp.SetYOffset(off)
					if got, want := pg.view(vp.YOffset(), vp.Height()), vp.View(); got != want {
						t.Fatalf("%s, %d×%d from line %d:\npage:\n%q\nviewport:\n%q", tx.name, width, height, vp.YOffset(), got, want)
					}
				}
			}
		}
	}
}

// A line wider than the viewport, or a carriage return, makes no page: the
// viewport draws those.
func TestPageRefusesWideLines(t *testing.T) {
	if newPage("short\nthis line is far too wide", 10).ok() {
		t.Fatal("a page was made with a line wider than its width")
	}
	if newPage("windows\r\nline ends", 10).ok() {
		t.Fatal("a page was made of text with carriage returns")
	}
	if !newPage("fits\nexactly10c", 10).ok() {
		t.Fatal("no page for lines that fit")
	}
}
