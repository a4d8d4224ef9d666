package common

import (
	"fmt"
	"image/color"
	"sort"
	"testing"

	"charm.land/lipgloss/v2"
)

func themes() map[string]Theme {
	return map[string]Theme{
		"dark": DarkTheme(), "light": LightTheme(),
		"contrast-dark": HighContrastTheme(true), "contrast-light": HighContrastTheme(false),
	}
}

func hex(c color.Color) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02X%02X%02X", r>>8, g>>8, b>>8)
}

// Every colour of every theme, the help bar's and the footer's included,
// reaches WCAG AA (4.5:1) on every background the theme is made for. Run
// with -v to print the ratios.
func TestThemesMeetWCAGAA(t *testing.T) {
	names := []string{"dark", "light", "contrast-dark", "contrast-light"}
	for _, name := range names {
		th := themes()[name]
		cols := th.Colours()
		keys := make([]string, 0, len(cols))
		for k := range cols {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, bg := range th.Backgrounds {
			line := fmt.Sprintf("%-15s on %s:", name, hex(bg))
			for _, k := range keys {
				r := ContrastRatio(cols[k], bg)
				line += fmt.Sprintf(" %s %.1f", k, r)
				if r < 4.5 {
					t.Errorf("%s: %s %s on %s is %.2f:1; want ≥ 4.5:1", name, k, hex(cols[k]), hex(bg), r)
				}
			}
			t.Log(line)
		}
	}
}

func TestContrastRatioKnownValues(t *testing.T) {
	black, white := lipgloss.Color("#000000"), lipgloss.Color("#FFFFFF")
	if r := ContrastRatio(black, white); r < 20.99 || r > 21.01 {
		t.Fatalf("black on white = %.3f; want 21", r)
	}
	if r := ContrastRatio(lipgloss.Color("#777777"), white); r < 4.47 || r > 4.49 {
		t.Fatalf("#777 on white = %.3f; want 4.48", r)
	}
}

// The help bar and the footer use the theme's text and subtle colours (not
// a fixed dim grey), so the check above covers them.
func TestHelpUsesThemeColours(t *testing.T) {
	for name, th := range themes() {
		s := NewStyles(th, name != "light")
		if s.HelpDesc.GetForeground() != th.Subtle || s.HelpKey.GetForeground() != th.Text {
			t.Errorf("%s: help colours are not the theme's", name)
		}
	}
}
