package common

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"hocso/store"
)

// Bar draws a progress bar of width cells for a fraction in [0, 1], with the
// percentage after it so that it reads without colour.
func (c *Common) Bar(fraction float64, width int) string {
	fraction = max(0, min(1, fraction))
	full := int(fraction*float64(width) + 0.5)
	// The percentage right-aligned in four cells ("  7%", "100%"), padded
	// by hand: a lipgloss style measures and wraps, nine times a dashboard.
	pct := c.Loc.Number(fraction*100, 0) + "%"
	pct = strings.Repeat(" ", max(0, 4-ansi.StringWidth(pct))) + pct
	return c.Styles.BarFull.Render(strings.Repeat("█", full)) +
		c.Styles.BarEmpty.Render(strings.Repeat("░", width-full)) + " " + pct
}

// StatusMessage is the id of the message naming a module status.
func StatusMessage(st store.Status) string { return st.MessageID() }

// StatusWord is a module status as a word with its mark: the mark and the word
// carry the meaning, the colour only repeats it.
func (c *Common) StatusWord(st store.Status) string {
	word := c.T(StatusMessage(st))
	switch st {
	case store.Passed, store.Completed:
		return c.Styles.Good.Render("✓ " + word)
	case store.InProgress:
		return c.Styles.Warn.Render("◐ " + word)
	}
	return c.Styles.Subtle.Render("○ " + word)
}

// Row is a selectable row: the selection mark, then label, wrapped with a
// hanging indent. The mark shows the focus without colour; the colour and
// weight only repeat it.
func (c *Common) Row(selected bool, label string, width int) string {
	label = Wrap(label, width-2)
	if selected {
		label = c.Styles.Selected.Render(label)
	}
	return Prefix(c.Cursor(selected), label)
}

// Cursor returns the selection mark for a row.
func (c *Common) Cursor(selected bool) string {
	if selected {
		return c.Styles.Selected.Render("›") + " "
	}
	return "  "
}
