package common

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"hocso/locales"
)

// KeyMap is every key binding of the app. Screens pick from it for their help,
// so the help bar shows exactly the keys that work.
type KeyMap struct {
	Up, Down, Enter, Back, Quit, ForceQuit, Help, Lang key.Binding
	PageUp, PageDown, Top, Bottom, Next, Prev          key.Binding
	Toggle, Submit, Continue, Glossary                 key.Binding
	Tab, ShiftTab                                      key.Binding
	PrevQuestion, NextQuestion, Yes, No, Answer        key.Binding
	Edit, Settings, Learners, Sources, Search, Delete  key.Binding
}

// NewKeyMap makes the bindings with help text in the localizer's language.
func NewKeyMap(loc *locales.Localizer) *KeyMap {
	b := func(help, label string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(label, loc.T(help)))
	}
	return &KeyMap{
		Up:           b("KeyUp", "↑/k", "up", "k"),
		Down:         b("KeyDown", "↓/j", "down", "j"),
		Enter:        b("KeyEnter", "enter", "enter"),
		Back:         b("KeyBack", "esc", "esc"),
		Quit:         b("KeyQuit", "q", "q"),
		ForceQuit:    key.NewBinding(key.WithKeys("ctrl+c")),
		Help:         b("KeyHelp", "?", "?"),
		Lang:         b("KeyLang", "L", "L"),
		PageUp:       b("KeyPageUp", "pgup/b", "pgup", "b"),
		PageDown:     b("KeyPageDown", "pgdn/space", "pgdown", "space", "f"),
		Top:          b("KeyTop", "home", "home"),
		Bottom:       b("KeyBottom", "end", "end"),
		Next:         b("KeyNextLesson", "n", "n"),
		Prev:         b("KeyPrevLesson", "p", "p"),
		Toggle:       b("KeyToggle", "space", "space"),
		Submit:       b("KeySubmit", "s", "s"),
		Continue:     b("KeyContinue", "c", "c"),
		Glossary:     b("KeyGlossary", "t", "t"),
		Tab:          b("KeyNextField", "tab", "tab"),
		ShiftTab:     b("KeyPrevField", "shift+tab", "shift+tab"),
		PrevQuestion: b("KeyPrevQuestion", "←", "left", "shift+tab"),
		NextQuestion: b("KeyNextQuestion", "→", "right", "tab"),
		Yes:          b("KeyYes", "y/c", "y", "c"),
		No:           b("KeyNo", "n/k", "n", "k", "esc"),
		Answer:       b("KeyAnswer", "enter", "enter"),
		Edit:         b("KeyEdit", "e", "e"),
		Settings:     b("KeySettings", "s", "s"),
		Learners:     b("KeyLearners", "u", "u"),
		Sources:      b("KeySources", "o", "o"),
		Search:       b("KeySearch", "/", "/"),
		Delete:       b("KeyDelete", "x", "x", "delete"),
	}
}

// Scroll moves vp for a scrolling key (line, page, top, end) and reports
// whether msg was one, so every scrolling screen takes the same keys.
func (k *KeyMap) Scroll(vp *viewport.Model, msg tea.KeyPressMsg) bool {
	switch {
	case key.Matches(msg, k.Up):
		vp.ScrollUp(1)
	case key.Matches(msg, k.Down):
		vp.ScrollDown(1)
	case key.Matches(msg, k.PageUp):
		vp.PageUp()
	case key.Matches(msg, k.PageDown):
		vp.PageDown()
	case key.Matches(msg, k.Top):
		vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		vp.GotoBottom()
	default:
		return false
	}
	return true
}
