package accessible

import (
	"os"

	"github.com/charmbracelet/x/term"
)

// askSecret asks for a PIN. On a terminal the typed digits are not echoed:
// a blind learner cannot see who else is looking at the screen. Elsewhere
// (a pipe, a test) it is an ordinary line.
//
// Reading the terminal directly is safe next to the line reader: a terminal
// in line mode hands over one line per read, so the reader never holds
// typed-ahead input.
func (s *session) askSecret(prompt string) (string, error) {
	f, ok := s.rawIn.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return s.ask(prompt)
	}
	state, err := term.GetState(f.Fd())
	if err != nil {
		return s.ask(prompt)
	}
	s.prompt(prompt)
	got := make(chan scanned, 1)
	go func() {
		b, err := term.ReadPassword(f.Fd())
		got <- scanned{string(b), err == nil}
	}()
	select {
	case <-s.ctx.Done():
		// ReadPassword restores echo only when it returns, which a read
		// abandoned here never does before the program exits.
		_ = term.Restore(f.Fd(), state)
		s.write("\n")
		return "", errStop
	case r := <-got:
		s.write("\n") // the Enter was not echoed either
		if !r.ok {
			return "", errStop
		}
		return clean(r.line), nil
	}
}
