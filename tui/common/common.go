// Package common is what every screen of the TUI shares: the size of the
// terminal, styles, keys, the localizer and the data the screens work on.
package common

import (
	"context"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"hocso/lessons"
	"hocso/locales"
	"hocso/quiz"
	"hocso/store"
)

// MinWidth and MinHeight are the smallest terminal hocso lays out for.
const (
	MinWidth  = 80
	MinHeight = 24
)

// Common is shared by pointer between the root and every screen, so a change
// of size, language or learner is seen everywhere at once.
type Common struct {
	Ctx    context.Context
	Width  int
	Height int
	Loc    *locales.Localizer
	Styles *Styles
	Keys   *KeyMap
	Store  *store.Store
	// Packs are the installed packs, the built-in one first; Pack is the one
	// whose module is open.
	Packs []PackEntry
	Pack  *lessons.Pack
	// Learner is who is learning now; empty until a profile is chosen.
	Learner store.Learner
	// Markdown renders lessons, cached per width.
	Markdown *Markdown
	// NewSeed makes the seed of a new quiz attempt; tests fix it.
	NewSeed func() int64
	// ThemeName is the theme setting (ThemeAuto…); DarkBackground is what
	// the terminal reported; NoColor is set by NO_COLOR. ApplyTheme combines them.
	ThemeName      string
	DarkBackground bool
	NoColor        bool
	// SteadyCursor stops text cursors blinking (tests: a blink is a timer).
	SteadyCursor bool
}

// NewTextInput is a text input as every screen of the app uses one.
func (c *Common) NewTextInput() textinput.Model {
	in := textinput.New()
	in.Prompt = "› "
	st := textinput.DefaultStyles(c.Styles == nil || c.Styles.Dark)
	if s := c.Styles; s != nil {
		// A focused box shows a bold marker and the cursor; a placeholder is
		// italic and subtle, and without colour also in brackets-free italic,
		// so it never reads as typed text (the profile form shows examples
		// under the label instead).
		st.Focused.Prompt, st.Blurred.Prompt = s.Selected, s.Subtle
		st.Focused.Placeholder, st.Blurred.Placeholder = s.Subtle.Italic(true), s.Subtle.Italic(true)
		st.Focused.Text, st.Blurred.Text = s.Normal, s.Normal
	}
	st.Cursor.Blink = !c.SteadyCursor
	in.SetStyles(st)
	return in
}

// PackEntry is an installed pack with where it came from.
type PackEntry struct {
	Pack    *lessons.Pack
	Builtin bool
	// Trusted is set when a trusted key signed the pack; Signer is that key's id.
	Trusted bool
	Signer  string
}

// PackByID returns the installed pack with the given id, or nil.
func (c *Common) PackByID(id string) *lessons.Pack {
	for _, e := range c.Packs {
		if e.Pack.ID == id {
			return e.Pack
		}
	}
	return nil
}

// Seed makes the seed of a new quiz attempt.
func (c *Common) Seed() int64 {
	if c.NewSeed != nil {
		return c.NewSeed()
	}
	return quiz.NewSeed()
}

// PackRef names the pack's exact content for events.
func (c *Common) PackRef() store.PackRef {
	return store.PackRef{ID: c.Pack.ID, Version: c.Pack.Version, Hash: c.Pack.Hash}
}

// T localizes a message id.
func (c *Common) T(id string, data ...any) string { return c.Loc.T(id, data...) }

// Lang is the current UI language.
func (c *Common) Lang() string { return c.Loc.Lang() }

// Component is a screen: a Bubble Tea model that renders a string (only the
// root builds the tea.View) and says which keys it takes, for the help bar.
type Component interface {
	Init() tea.Cmd
	Update(tea.Msg) (Component, tea.Cmd)
	View() string
	SetSize(width, height int)
	help.KeyMap
}

// TextEntry is implemented by screens that are taking typed text: the root
// then leaves letter keys (q, ?, L) to them.
type TextEntry interface {
	TakingText() bool
}
