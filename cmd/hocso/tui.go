package main

import (
	"context"
	"errors"

	tea "charm.land/bubbletea/v2"

	"hocso/locales"
	"hocso/tui"
	"hocso/tui/common"
)

// runTUI opens the learning interface on the first installed pack.
func (e *env) runTUI(ctx context.Context) error {
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	packs, err := e.packs()
	if err != nil {
		return err
	}
	loc := locales.New(e.uiLang(ctx, s))
	dark := true
	style := "dark"
	if e.getenv("NO_COLOR") != "" {
		style = "notty"
	}
	c := &common.Common{
		Ctx:      ctx,
		Loc:      loc,
		Keys:     common.NewKeyMap(loc),
		Styles:   common.NewStyles(common.DarkTheme(), dark),
		Store:    s,
		Pack:     packs[0],
		Markdown: common.NewMarkdown(style),
	}
	in, out := e.stdin, e.stdout
	p := tea.NewProgram(tui.New(c), tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out))
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, context.Canceled) {
		if errors.Is(err, tea.ErrInterrupted) {
			return nil
		}
		return err
	}
	return nil
}
