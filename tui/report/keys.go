package report

import (
	"charm.land/bubbles/v2/key"

	"hocso/tui/common"
)

// keyMap is the report screen's own keys; scrolling and Back are the app's.
type keyMap struct {
	Group, Filter, View, Export key.Binding
}

func newKeyMap(c *common.Common) keyMap {
	b := func(help, label string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(label, c.T(help)))
	}
	return keyMap{
		Group:  b("KeyReportGroup", "n", "n"),
		Filter: b("KeyReportFilter", "/", "/"),
		View:   b("KeyReportView", "tab", "tab"),
		Export: b("KeyReportExport", "x", "x"),
	}
}

// ShortHelp lists the keys that work now.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	switch m.mode {
	case typingUnit, typingFile:
		return []key.Binding{k.Enter, k.Back}
	case pickingFormat, exporting:
		return []key.Binding{k.Back}
	}
	return []key.Binding{m.keys.Group, m.keys.Filter, m.keys.View, m.keys.Export, k.Down, k.Back, k.Help}
}

// FullHelp lists every key of the screen.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{m.keys.Group, m.keys.Filter, m.keys.View, m.keys.Export},
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Back, k.Help, k.Quit}}
}
