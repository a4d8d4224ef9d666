package common

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
)

// helpSep separates the keys of the help bar.
const helpSep = " · "

// HelpBar draws a screen's keys on one line of at most width cells, by
// design rather than by cutting: screens list their keys most needed first,
// the bar takes as many as fit, and "? help" always stays (it lists the rest).
func (c *Common) HelpBar(bindings []key.Binding, width int) string {
	s := c.Styles
	var helpItem string
	var items []string
	for _, b := range bindings {
		if !b.Enabled() || b.Help().Key == "" {
			continue
		}
		item := s.HelpKey.Render(b.Help().Key) + " " + s.HelpDesc.Render(b.Help().Desc)
		if b.Help().Key == c.Keys.Help.Help().Key {
			helpItem = item
			continue
		}
		items = append(items, item)
	}
	sep := s.HelpDesc.Render(helpSep)
	room := width
	if helpItem != "" {
		room -= lipgloss.Width(helpItem) + lipgloss.Width(sep)
	}
	var out []string
	used := 0
	for _, it := range items {
		w := lipgloss.Width(it)
		if len(out) > 0 {
			w += lipgloss.Width(sep)
		}
		if used+w > room {
			break
		}
		out = append(out, it)
		used += w
	}
	if helpItem != "" {
		out = append(out, helpItem)
	}
	return strings.Join(out, sep)
}

// HelpStyles are the full help's styles from the theme: keys and words in
// colours that meet the contrast of running text, never a dim grey.
func (c *Common) HelpStyles() help.Styles {
	s := c.Styles
	return help.Styles{
		Ellipsis:       s.HelpDesc,
		ShortKey:       s.HelpKey,
		ShortDesc:      s.HelpDesc,
		ShortSeparator: s.HelpDesc,
		FullKey:        s.HelpKey,
		FullDesc:       s.HelpDesc,
		FullSeparator:  s.HelpDesc,
	}
}
