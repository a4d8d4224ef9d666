// Package glossary shows the pack's Vietnamese–English terms, one key away
// from the reader.
package glossary

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"hocso/tui/common"
)

// Model is the glossary.
type Model struct {
	c     *common.Common
	vp    viewport.Model
	width int
}

// New returns the glossary of the current pack.
func New(c *common.Common) *Model {
	m := &Model{c: c, vp: viewport.New()}
	m.vp.KeyMap = viewport.KeyMap{}
	return m
}

// Init lays the terms out.
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
	width := min(m.width-4, 96)
	var b strings.Builder
	if len(c.Pack.Glossary) == 0 {
		b.WriteString(s.Subtle.Render(c.T("GlossaryEmpty")))
	}
	for _, t := range c.Pack.Glossary {
		first, second := t.VI, t.EN
		if c.Lang() == "en" {
			first, second = t.EN, t.VI
		}
		b.WriteString(s.Label.Render(first) + s.Subtle.Render(" — "+second) + "\n")
		if d := t.Definition.In(c.Lang()); d != "" {
			b.WriteString("  " + strings.ReplaceAll(common.Wrap(d, width), "\n", "\n  ") + "\n")
		}
		b.WriteString("\n")
	}
	m.vp.SetContent(strings.TrimRight(b.String(), "\n"))
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
		case key.Matches(msg, k.Back, k.Glossary):
			return m, common.Back
		}
	}
	return m, nil
}

// View draws the title and the terms.
func (m *Model) View() string {
	c, s := m.c, m.c.Styles
	return s.Title.Render(c.T("GlossaryTitle")) + s.Subtle.Render(" · "+c.Loc.N("GlossaryCount", len(c.Pack.Glossary))) + "\n" + m.vp.View()
}

// ShortHelp lists the glossary keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	return []key.Binding{k.Down, k.PageDown, k.Back, k.Help}
}

// FullHelp lists the glossary keys in groups.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Back, k.Help, k.Quit}}
}
