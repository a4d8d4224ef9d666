package common

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Theme is the handful of colours the app uses; Styles turns it into styles
// in one place. Meaning is never carried by colour alone: every coloured mark
// also has a symbol or a word.
type Theme struct {
	Accent, Subtle, Good, Bad, Warn, Text color.Color
	// Backgrounds are the terminal backgrounds the palette is made for (the
	// app never paints a background): every colour above must reach WCAG AA
	// contrast, 4.5:1, on each of them. A test computes the ratios.
	Backgrounds []color.Color
}

// Dark and light terminal backgrounds the themes are checked against: pure
// black and white, and the greys common terminal themes use.
var (
	darkBackgrounds  = []color.Color{lipgloss.Color("#000000"), lipgloss.Color("#1E1E1E"), lipgloss.Color("#282C34")}
	lightBackgrounds = []color.Color{lipgloss.Color("#FFFFFF"), lipgloss.Color("#F5F5F5"), lipgloss.Color("#EEEEEE")}
)

// DarkTheme suits a dark terminal background.
func DarkTheme() Theme {
	return Theme{
		Accent: lipgloss.Color("#7AA2F7"), Subtle: lipgloss.Color("#9BA1B5"),
		Good: lipgloss.Color("#73C991"), Bad: lipgloss.Color("#F7768E"),
		Warn: lipgloss.Color("#E0AF68"), Text: lipgloss.Color("#D8DEE9"),
		Backgrounds: darkBackgrounds,
	}
}

// LightTheme suits a light terminal background.
func LightTheme() Theme {
	return Theme{
		Accent: lipgloss.Color("#1F5FBF"), Subtle: lipgloss.Color("#5C6370"),
		Good: lipgloss.Color("#166B2E"), Bad: lipgloss.Color("#C4162A"),
		Warn: lipgloss.Color("#7E5400"), Text: lipgloss.Color("#1F2328"),
		Backgrounds: lightBackgrounds,
	}
}

// HighContrastTheme uses the strongest colours the background allows, for
// weak eyes and washed-out office screens.
func HighContrastTheme(dark bool) Theme {
	if dark {
		return Theme{
			Accent: lipgloss.Color("#FFFF00"), Subtle: lipgloss.Color("#FFFFFF"),
			Good: lipgloss.Color("#00FF00"), Bad: lipgloss.Color("#FF7373"),
			Warn: lipgloss.Color("#FFFF00"), Text: lipgloss.Color("#FFFFFF"),
			Backgrounds: darkBackgrounds,
		}
	}
	return Theme{
		Accent: lipgloss.Color("#0000CC"), Subtle: lipgloss.Color("#000000"),
		Good: lipgloss.Color("#005F00"), Bad: lipgloss.Color("#AF0000"),
		Warn: lipgloss.Color("#5F3F00"), Text: lipgloss.Color("#000000"),
		Backgrounds: lightBackgrounds,
	}
}

// Theme names as saved in the settings.
const (
	ThemeAuto     = "auto"
	ThemeDark     = "dark"
	ThemeLight    = "light"
	ThemeContrast = "contrast"
)

// ThemeNames lists the themes in the order the settings offer them.
var ThemeNames = []string{ThemeAuto, ThemeDark, ThemeLight, ThemeContrast}

// ApplyTheme rebuilds the styles and the lesson renderer from the theme
// setting, the terminal's background and NO_COLOR.
func (c *Common) ApplyTheme() {
	dark := c.DarkBackground
	switch c.ThemeName {
	case ThemeDark:
		dark = true
	case ThemeLight:
		dark = false
	}
	theme := DarkTheme()
	if !dark {
		theme = LightTheme()
	}
	if c.ThemeName == ThemeContrast {
		theme = HighContrastTheme(dark)
	}
	c.Styles = NewStyles(theme, dark)
	style := "dark"
	switch {
	case c.NoColor:
		style = "notty"
	case !dark:
		style = "light"
	}
	if c.Markdown == nil || c.Markdown.style != style {
		c.Markdown = NewMarkdown(style)
	}
}

// Styles are the lipgloss styles of every screen.
type Styles struct {
	Dark       bool
	Header     lipgloss.Style
	Title      lipgloss.Style
	Subtle     lipgloss.Style
	Selected   lipgloss.Style
	Normal     lipgloss.Style
	Good       lipgloss.Style
	Bad        lipgloss.Style
	Warn       lipgloss.Style
	Error      lipgloss.Style
	BarFull    lipgloss.Style
	BarEmpty   lipgloss.Style
	Label      lipgloss.Style
	InputFocus lipgloss.Style
	InputBlur  lipgloss.Style
	// HelpKey and HelpDesc are the help bar's key and its meaning.
	HelpKey  lipgloss.Style
	HelpDesc lipgloss.Style
}

// NewStyles turns a theme into styles.
func NewStyles(t Theme, dark bool) *Styles {
	s := lipgloss.NewStyle()
	return &Styles{
		Dark:       dark,
		Header:     s.Bold(true).Foreground(t.Accent),
		Title:      s.Bold(true),
		Subtle:     s.Foreground(t.Subtle),
		Selected:   s.Bold(true).Foreground(t.Accent),
		Normal:     s,
		Good:       s.Foreground(t.Good),
		Bad:        s.Foreground(t.Bad),
		Warn:       s.Foreground(t.Warn),
		Error:      s.Bold(true).Foreground(t.Bad),
		BarFull:    s.Foreground(t.Accent),
		BarEmpty:   s.Foreground(t.Subtle),
		Label:      s.Bold(true),
		InputFocus: s.Foreground(t.Accent),
		InputBlur:  s.Foreground(t.Subtle),
		HelpKey:    s.Bold(true).Foreground(t.Text),
		HelpDesc:   s.Foreground(t.Subtle),
	}
}
