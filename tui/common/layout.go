package common

import "strings"

// ReadingMeasure is the widest a line of running text gets, however wide the
// terminal: about 80–90 columns read best (glow reads at 80).
const ReadingMeasure = 86

// Measure is the width of running text on a screen width cells wide.
func (c *Common) Measure(width int) int { return max(20, min(width-2, ReadingMeasure)) }

// Margin is the left margin that centres text of the reading measure.
func (c *Common) Margin(width int) int { return max(0, (width-c.Measure(width))/2) }

// Centre shifts a block laid out at the reading measure to the middle of a
// screen width cells wide; on an 80-column screen that is one column.
func (c *Common) Centre(block string, width int) string {
	n := c.Margin(width)
	if n == 0 {
		return block
	}
	pad := strings.Repeat(" ", n)
	lines := strings.Split(block, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = pad + l
		}
	}
	return strings.Join(lines, "\n")
}

// FitLines cuts s to at most h lines (a pane's height); the lines left out
// are ones the learner reaches by moving the selection.
func FitLines(s string, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	return strings.Join(lines, "\n")
}
