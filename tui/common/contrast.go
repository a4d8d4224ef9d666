package common

import (
	"image/color"
	"math"
)

// ContrastRatio is the WCAG 2 contrast ratio of two colours, from 1 to 21.
func ContrastRatio(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is WCAG 2's relative luminance of an sRGB colour.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		x := float64(v) / 0xffff
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// Colours names a theme's text colours, for checks and reports.
func (t Theme) Colours() map[string]color.Color {
	return map[string]color.Color{"text": t.Text, "subtle": t.Subtle, "accent": t.Accent, "good": t.Good, "bad": t.Bad, "warn": t.Warn}
}
