// Package sources lists the pack's sources (sources.toml): what a citation
// such as "(Nguồn: S7)" in a lesson or an explanation refers to.
package sources

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"hocso/lessons"
	"hocso/tui/common"
)

// Model is the list of sources, the cited ones first.
type Model struct {
	c     *common.Common
	cited map[string]bool
	vp    viewport.Model
	width int
}

// New returns the sources of the current pack; cite lists ids ("S1,S7") to show first.
func New(c *common.Common, cite string) *Model {
	m := &Model{c: c, cited: map[string]bool{}, vp: viewport.New()}
	m.vp.KeyMap = viewport.KeyMap{}
	for _, id := range strings.Split(cite, ",") {
		if id = strings.TrimSpace(id); id != "" {
			m.cited[id] = true
		}
	}
	return m
}

// Init lays the list out.
func (m *Model) Init() tea.Cmd { m.layout(); return nil }

// SetSize fits the list to the terminal.
func (m *Model) SetSize(w, h int) {
	m.width = w
	m.vp.SetWidth(w)
	m.vp.SetHeight(max(1, h-2))
	m.layout()
}

func (m *Model) layout() {
	if m.width == 0 {
		return
	}
	c, s := m.c, m.c.Styles
	width := c.Measure(m.width)
	var cited, rest []lessons.Source
	for _, src := range c.Pack.Sources {
		if m.cited[src.ID] {
			cited = append(cited, src)
		} else {
			rest = append(rest, src)
		}
	}
	var b strings.Builder
	b.WriteString(s.Subtle.Render(common.Wrap(c.T("SourcesHint"), width)) + "\n\n")
	if len(c.Pack.Sources) == 0 {
		b.WriteString(c.T("SourcesEmpty"))
	}
	section := func(title string, list []lessons.Source) {
		if len(list) == 0 {
			return
		}
		b.WriteString(s.Label.Render(title) + "\n")
		for _, src := range list {
			b.WriteString(common.Hang(s.Label.Render(src.ID)+"  ", src.Title, width) + "\n")
			if src.URL != "" {
				b.WriteString(common.Indent(s.Subtle.Render(common.Wrap(src.URL, width-4)), 4) + "\n")
			}
		}
		b.WriteString("\n")
	}
	if len(cited) > 0 {
		section(c.T("SourcesCited"), cited)
		section(c.T("SourcesAll"), rest)
	} else {
		section(c.T("SourcesAll"), rest)
	}
	m.vp.SetContent(c.Centre(strings.TrimRight(b.String(), "\n"), m.width))
}

// Update scrolls and goes back.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	k := m.c.Keys
	switch msg := msg.(type) {
	case common.RestyleMsg:
		m.layout()
	case tea.KeyPressMsg:
		switch {
		case k.Scroll(&m.vp, msg):
		case key.Matches(msg, k.Back, k.Sources):
			return m, common.Back
		}
	}
	return m, nil
}

// View draws the title and the list.
func (m *Model) View() string {
	c, s := m.c, m.c.Styles
	return c.Centre(s.Title.Render(c.T("SourcesTitle"))+s.Subtle.Render(" · "+c.Pack.Title.In(c.Lang())), m.width) + "\n" + m.vp.View()
}

// ShortHelp lists the keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	return []key.Binding{k.Back, k.Down, k.PageDown, k.Help}
}

// FullHelp lists the keys in groups.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Back, k.Lang, k.Help, k.Quit}}
}
