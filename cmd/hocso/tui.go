package main

import (
	"context"
	"errors"
	"os"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/term"

	"hocso/locales"
	"hocso/tui"
	"hocso/tui/accessible"
	"hocso/tui/common"
)

// runTUI opens the learning interface on the first installed pack.
func (e *env) runTUI(ctx context.Context) error {
	// The full-screen interface draws on a terminal and reads its keys; with
	// input or output redirected it would draw into a pipe and wait for keys
	// that never come. Accessible mode reads lines, so it works there.
	if !e.accessible && (!isTerminal(e.stdin) || !isTerminal(e.term)) {
		return fail(e.loc.T("TUINeedsTerminal"))
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	packs, err := e.packs(ctx, s)
	if err != nil {
		return err
	}
	loc := locales.New(e.uiLang(ctx, s))
	theme, _ := s.Meta(ctx, "theme")
	if theme == "" {
		theme = common.ThemeAuto
	}
	c := &common.Common{
		Ctx:            ctx,
		Loc:            loc,
		Keys:           common.NewKeyMap(loc),
		Store:          s,
		ThemeName:      theme,
		DarkBackground: true, // until the terminal answers the background query
		NoColor:        e.getenv("NO_COLOR") != "",
	}
	c.Sender = e.newSender(ctx, s)
	for _, p := range packs {
		c.Packs = append(c.Packs, common.PackEntry{Pack: p.Pack, Builtin: p.Builtin, Trusted: p.Trusted, Signer: p.Signer})
	}
	c.Pack = c.Packs[0].Pack
	c.ApplyTheme()
	if e.accessible {
		return accessible.Run(c, e.stdin, e.stdout)
	}
	// Bubble Tea restores the terminal itself, also after a panic in the
	// model, and then returns ErrProgramPanic.
	opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithInput(e.stdin), tea.WithOutput(e.term)}
	if e.term == os.Stdout {
		// lipgloss detected the colour profile of this very output when the
		// program started (inside tmux by running `tmux info`); Bubble Tea
		// would detect it a second time, with a second external process.
		opts = append(opts, tea.WithColorProfile(lipgloss.Writer.Profile))
	}
	pace := &pacer{}
	p := tea.NewProgram(pacedModel{Model: tui.New(c), pace: pace}, opts...)
	pace.prog = p
	_, err = p.Run()
	pace.stop()
	switch {
	case err == nil, errors.Is(err, tea.ErrInterrupted), errors.Is(err, context.Canceled):
		return nil
	case errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil:
		return nil // SIGTERM or SIGHUP: every answer was committed when given
	}
	return err
}

// isTerminal reports whether f is a terminal (a console on Windows).
func isTerminal(f any) bool {
	fd, ok := f.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(fd.Fd())
}
