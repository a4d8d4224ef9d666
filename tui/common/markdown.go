package common

import (
	"fmt"
	"strings"

	"charm.land/glamour/v2"
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
		r, err = glamour.NewTermRenderer(glamour.WithStandardStyle(m.style), glamour.WithWordWrap(width))
		if err != nil {
			return "", fmt.Errorf("markdown renderer: %w", err)
		}
		m.renderers[width] = r
	}
	out, err := r.Render(src)
	if err != nil {
		return "", fmt.Errorf("render lesson: %w", err)
	}
	out = strings.Trim(out, "\n")
	m.cache[ck] = out
	return out, nil
}
