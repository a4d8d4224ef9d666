package common

import (
	"fmt"
	"regexp"
	"strings"

	"charm.land/glamour/v2"
	gansi "charm.land/glamour/v2/ansi"
	"charm.land/glamour/v2/styles"
)

// Markdown renders lesson Markdown with glamour and keeps each rendering by
// lesson, language and width, so scrolling and switching back never wait for
// a render and a resize renders each width once.
type Markdown struct {
	style     string
	renderers map[int]*glamour.TermRenderer
	cache     map[string]string
}

// NewMarkdown renders in a glamour standard style: "dark", "light" or "notty" (no colour).
func NewMarkdown(style string) *Markdown {
	return &Markdown{style: style, renderers: map[int]*glamour.TermRenderer{}, cache: map[string]string{}}
}

// Render returns src rendered to fit width columns; key names the source (lesson and language).
func (m *Markdown) Render(key, src string, width int) (string, error) {
	ck := fmt.Sprintf("%s\x00%d", key, width)
	if out, ok := m.cache[ck]; ok {
		return out, nil
	}
	r, ok := m.renderers[width]
	if !ok {
		var err error
		r, err = glamour.NewTermRenderer(glamour.WithStyles(styleConfig(m.style)), glamour.WithWordWrap(width))
		if err != nil {
			return "", fmt.Errorf("markdown renderer: %w", err)
		}
		m.renderers[width] = r
	}
	out, err := r.Render(Protect(src))
	if err != nil {
		return "", fmt.Errorf("render lesson: %w", err)
	}
	out = Unprotect(trailingPad.ReplaceAllString(strings.Trim(out, "\n"), ""))
	m.cache[ck] = out
	return out, nil
}

// trailingPad matches the spaces glamour pads every line with (each in its own
// style sequence): they cost bytes on slow consoles and hide nothing.
var trailingPad = regexp.MustCompile(`(?m)(?:\x1b\[[0-9;]*m *\x1b\[m| +)+$`)

// styleConfig is a glamour standard style; with colour, headings show by
// colour and weight, so the Markdown "##" marks are dropped. Without colour
// they stay: they are then the only sign of a heading.
func styleConfig(name string) gansi.StyleConfig {
	var cfg gansi.StyleConfig
	switch name {
	case "light":
		cfg = styles.LightStyleConfig
	case "notty":
		return styles.NoTTYStyleConfig
	default:
		cfg = styles.DarkStyleConfig
	}
	for _, h := range []*gansi.StyleBlock{&cfg.H2, &cfg.H3, &cfg.H4, &cfg.H5, &cfg.H6} {
		h.Prefix = ""
	}
	return cfg
}
