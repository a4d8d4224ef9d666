// Package settings is the settings screen: the language and the theme, both
// applied at once and remembered on this device.
package settings

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"hocso/locales"
	"hocso/tui/common"
)

const (
	rowLang = iota
	rowTheme
	rowCount
)

// Model is the settings screen.
type Model struct {
	c      *common.Common
	cursor int
	width  int
}

// New returns the settings screen.
func New(c *common.Common) *Model { return &Model{c: c} }

// Init does nothing: settings are read from Common.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize records the width.
func (m *Model) SetSize(w, h int) { m.width = w }

// Update moves between settings and changes them.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	k := m.c.Keys
	if msg, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(msg, k.Up):
			m.cursor = max(0, m.cursor-1)
		case key.Matches(msg, k.Down):
			m.cursor = min(rowCount-1, m.cursor+1)
		case key.Matches(msg, k.Back):
			return m, common.Go(common.Place{Screen: common.ScreenDashboard})
		case key.Matches(msg, k.Enter, k.Toggle, k.NextQuestion):
			return m, m.change(1)
		case key.Matches(msg, k.PrevQuestion):
			return m, m.change(-1)
		}
	}
	return m, nil
}

func (m *Model) change(d int) tea.Cmd {
	switch m.cursor {
	case rowLang:
		next := cycle(locales.Languages, m.c.Lang(), d)
		return func() tea.Msg { return common.SetLangMsg{Lang: next} }
	default:
		next := cycle(common.ThemeNames, m.c.ThemeName, d)
		return func() tea.Msg { return common.SetThemeMsg{Theme: next} }
	}
}

func cycle(values []string, current string, d int) string {
	for i, v := range values {
		if v == current {
			return values[(i+d+len(values))%len(values)]
		}
	}
	return values[0]
}

// View lists the settings with their values.
func (m *Model) View() string {
	c, s := m.c, m.c.Styles
	var b strings.Builder
	b.WriteString(s.Title.Render(c.T("SettingsTitle")) + "\n\n")
	rows := []struct{ label, value string }{
		{c.T("SettingsLanguage"), c.T("LanguageName_" + c.Lang())},
		{c.T("SettingsTheme"), c.T("ThemeName_" + c.ThemeName)},
	}
	for i, r := range rows {
		line := r.label + ": ‹ " + r.value + " ›"
		if i == m.cursor {
			line = s.Selected.Render(line)
		}
		b.WriteString(c.Cursor(i == m.cursor) + line + "\n")
	}
	b.WriteString("\n" + common.Wrap(c.T("SettingsOfficeKey")+": "+officeKey(c), m.width-2) + "\n")
	b.WriteString("\n" + s.Subtle.Render(common.Wrap(c.T("SettingsHint"), m.width-2)))
	if c.NoColor {
		b.WriteString("\n" + s.Subtle.Render(common.Wrap(c.T("SettingsNoColor"), m.width-2)))
	}
	return b.String()
}

// officeKey is the office public key bundles are encrypted to, as set up here.
func officeKey(c *common.Common) string {
	if c.Sender != nil {
		if k := c.Sender.OfficeKey(); k != "" {
			return k
		}
	}
	return c.T("SettingsOfficeKeyNone")
}

// ShortHelp lists the settings keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	change := key.NewBinding(key.WithKeys("enter", "left", "right"), key.WithHelp("←/→/enter", m.c.T("KeyChange")))
	return []key.Binding{k.Up, k.Down, change, k.Back}
}

// FullHelp lists the settings keys in groups.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{m.ShortHelp(), {k.Help, k.Quit}}
}
