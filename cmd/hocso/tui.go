package main

import (
	"context"
	"errors"
	"os"
	"sync"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
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
	// The colour profile does not depend on the database: it is detected
	// beside its opening, on another core.
	profile := e.colourProfile()
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
		if e.started != nil {
			e.started() // a session of questions and answers: no frame to hurry
		}
		return accessible.Run(c, e.stdin, e.stdout)
	}
	// Bubble Tea restores the terminal itself, also after a panic in the
	// model, and then returns ErrProgramPanic.
	opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithInput(e.stdin), tea.WithOutput(e.term)}
	if e.term == os.Stdout {
		// lipgloss detected the colour profile of this very output when the
		// program started (or colourProfile does it again, see there); Bubble
		// Tea would detect it once more, inside tmux with another `tmux info`.
		lipgloss.Writer.Profile = profile()
		opts = append(opts, tea.WithColorProfile(lipgloss.Writer.Profile))
	}
	pace := &pacer{settled: e.started}
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

// askTmuxLater is set by main when tmuxlater hid TMUX from lipgloss's
// initialisation: lipgloss.Writer's colour profile was then detected without
// asking tmux.
var askTmuxLater bool

// colourProfile starts detecting the colour profile of standard output where
// lipgloss could not finish it (see askTmuxLater) and returns what waits for
// the answer: inside tmux that runs `tmux info`, now beside the start-up work
// rather than before main.
func (e *env) colourProfile() func() colorprofile.Profile {
	if !askTmuxLater || e.term != os.Stdout {
		return func() colorprofile.Profile { return lipgloss.Writer.Profile }
	}
	answer := make(chan colorprofile.Profile, 1)
	go func() { answer <- colorprofile.Detect(os.Stdout, os.Environ()) }()
	return sync.OnceValue(func() colorprofile.Profile { return <-answer })
}

// isTerminal reports whether f is a terminal (a console on Windows).
func isTerminal(f any) bool {
	fd, ok := f.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(fd.Fd())
}
