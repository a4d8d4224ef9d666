package report

import (
	"errors"
	"io"
	"os"

	tea "charm.land/bubbletea/v2"

	"hocso/report"
)

type progressMsg struct{ done int }

type exportedMsg struct {
	path string
	err  error
}

// export writes the built report to a file in the background; the writer's
// progress arrives as messages that move the bar.
func (m *Model) export(path string) tea.Cmd {
	r, format, c := m.built.rep, m.format, m.c
	if format == "pdf" {
		if _, err := report.FindFont("", os.Getenv); err != nil {
			m.mode = browsing
			return func() tea.Msg { return exportedMsg{err: errors.New(c.T("ReportNoFont"))} }
		}
	}
	m.mode, m.done, m.status = exporting, 0, ""
	m.events = make(chan tea.Msg, 1)
	events := m.events
	r.Progress = func(n int) {
		select { // never hold the writer up for the screen
		case events <- progressMsg{n}:
		default:
		}
	}
	go func() {
		err := report.WriteFile(path, func(w io.Writer) error {
			return r.Write(c.Ctx, w, format, report.WriteOptions{})
		})
		r.Progress = nil
		events <- exportedMsg{path: path, err: err}
	}()
	return m.wait()
}

// wait delivers the export's next message.
func (m *Model) wait() tea.Cmd {
	events := m.events
	return func() tea.Msg {
		msg := <-events
		if p, ok := msg.(progressMsg); ok {
			return p
		}
		// The last message may sit behind a progress one; drain to it.
		return msg
	}
}
