// Package glossary shows the pack's Vietnamese–English terms, one key away
// from the reader, with a search (/) that ignores case and diacritics.
package glossary

import (
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"golang.org/x/text/unicode/norm"

	"hocso/lessons"
	"hocso/tui/common"
)

// Model is the glossary.
type Model struct {
	c         *common.Common
	vp        viewport.Model
	search    textinput.Model
	searching bool
	width     int
}

// New returns the glossary of the current pack.
func New(c *common.Common) *Model {
	m := &Model{c: c, vp: viewport.New(), search: c.NewTextInput()}
	m.vp.KeyMap = viewport.KeyMap{}
	m.search.CharLimit = 60
	return m
}

// Init lays the terms out.
func (m *Model) Init() tea.Cmd { m.layout(); return nil }

// TakingText is true while a search is typed.
func (m *Model) TakingText() bool { return m.searching }

// SetSize fits the list to the terminal.
func (m *Model) SetSize(w, h int) {
	m.width = w
	m.vp.SetWidth(w)
	m.vp.SetHeight(max(1, h-4))
	m.search.SetWidth(min(40, w-12))
	m.layout()
}

// Fold is s in lower case without diacritics ("Chuyển đổi" → "chuyen doi"),
// so that a search typed without Vietnamese input still finds a term.
func Fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			b.WriteRune('d')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Matches reports whether t contains the folded query (see Fold).
func Matches(t lessons.Term, lang, query string) bool {
	if query == "" {
		return true
	}
	return strings.Contains(Fold(t.VI+" "+t.EN+" "+t.Definition.In(lang)), query)
}

func (m *Model) layout() {
	if m.width == 0 {
		return
	}
	c, s := m.c, m.c.Styles
	width := c.Measure(m.width)
	query := Fold(strings.TrimSpace(m.search.Value()))
	var b strings.Builder
	if len(c.Pack.Glossary) == 0 {
		b.WriteString(s.Subtle.Render(c.T("GlossaryEmpty")))
	}
	found := 0
	for _, t := range c.Pack.Glossary {
		if !Matches(t, c.Lang(), query) {
			continue
		}
		found++
		first, second := t.VI, t.EN
		if c.Lang() == "en" {
			first, second = t.EN, t.VI
		}
		// the heading wraps like any text: a long English name is never cut
		b.WriteString(s.Label.Render(common.Wrap(first, width)) + "\n")
		b.WriteString(common.Indent(s.Subtle.Render(common.Wrap(second, width-2)), 2) + "\n")
		if d := t.Definition.In(c.Lang()); d != "" {
			b.WriteString(common.Indent(common.Wrap(d, width-2), 2) + "\n")
		}
		b.WriteString("\n")
	}
	if found == 0 && query != "" {
		b.WriteString(common.Wrap(c.T("GlossaryNoMatch", map[string]any{"Query": m.search.Value()}), width))
	}
	m.vp.SetContent(c.Centre(strings.TrimRight(b.String(), "\n"), m.width))
	m.vp.GotoTop()
}

// Update scrolls, searches and goes back.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	k := m.c.Keys
	switch msg := msg.(type) {
	case common.RestyleMsg:
		m.layout()
	case tea.KeyPressMsg:
		if m.searching {
			return m, m.updateSearch(msg)
		}
		switch {
		case k.Scroll(&m.vp, msg):
		case key.Matches(msg, k.Search):
			m.searching = true
			return m, m.search.Focus()
		case key.Matches(msg, k.Back) && m.search.Value() != "":
			m.search.Reset()
			m.layout()
		case key.Matches(msg, k.Back, k.Glossary):
			return m, common.Back
		}
	}
	return m, nil
}

// updateSearch types the query; Enter keeps it and goes back to scrolling,
// Esc clears it. ↑/↓ still scroll the terms found.
func (m *Model) updateSearch(msg tea.KeyPressMsg) tea.Cmd {
	k := m.c.Keys
	switch {
	case key.Matches(msg, k.Enter):
		m.searching = false
		m.search.Blur()
		return nil
	case key.Matches(msg, k.Back):
		m.searching = false
		m.search.Blur()
		m.search.Reset()
		m.layout()
		return nil
	case msg.Code == tea.KeyUp || msg.Code == tea.KeyDown || msg.Code == tea.KeyPgUp || msg.Code == tea.KeyPgDown:
		k.Scroll(&m.vp, msg)
		return nil
	}
	var cmd tea.Cmd
	m.search, cmd = m.search.Update(msg)
	m.layout()
	return cmd
}

// View draws the title, the search and the terms.
func (m *Model) View() string {
	c, s := m.c, m.c.Styles
	width := c.Measure(m.width)
	head := common.Wrap(s.Title.Render(c.T("GlossaryTitle"))+s.Subtle.Render(" · "+c.Loc.N("GlossaryCount", len(c.Pack.Glossary))), width)
	search := s.Subtle.Render(c.T("GlossarySearchPrompt"))
	if m.searching || m.search.Value() != "" {
		search += m.search.View()
	} else {
		search += s.Subtle.Render(c.T("GlossarySearchHint"))
	}
	return c.Centre(head+"\n"+search, m.width) + "\n\n" + m.vp.View()
}

// ShortHelp lists the glossary keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	if m.searching {
		return []key.Binding{k.Enter, k.Back, k.Help}
	}
	return []key.Binding{k.Search, k.Back, k.Down, k.PageDown, k.Help}
}

// FullHelp lists the glossary keys in groups.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Search, k.Back, k.Help, k.Quit}}
}
