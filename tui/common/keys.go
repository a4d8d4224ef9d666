package common

import (
	"charm.land/bubbles/v2/key"

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
	Edit, Settings, Learners                           key.Binding
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
		Top:          b("KeyTop", "home/g", "home", "g"),
		Bottom:       b("KeyBottom", "end/G", "end", "G"),
		Next:         b("KeyNextLesson", "n", "n"),
		Prev:         b("KeyPrevLesson", "p", "p"),
		Toggle:       b("KeyToggle", "space", "space"),
		Submit:       b("KeySubmit", "s", "s"),
		Continue:     b("KeyContinue", "c", "c"),
		Glossary:     b("KeyGlossary", "t", "t"),
		Tab:          b("KeyNextField", "tab", "tab"),
		ShiftTab:     b("KeyPrevField", "shift+tab", "shift+tab"),
		PrevQuestion: b("KeyPrevQuestion", "←", "left"),
		NextQuestion: b("KeyNextQuestion", "→", "right"),
		Yes:          b("KeyYes", "y/c", "y", "c"),
		No:           b("KeyNo", "n/k", "n", "k", "esc"),
		Answer:       b("KeyAnswer", "enter", "enter"),
		Edit:         b("KeyEdit", "e", "e"),
		Settings:     b("KeySettings", "s", "s"),
		Learners:     b("KeyLearners", "u", "u"),
	}
}
