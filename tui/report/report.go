// Package report is the office's report screen: choose the grouping and the
// unit, scroll the summary and the list of who has not started, and export
// the same report to CSV, Excel, HTML, PDF or JSON with a progress bar.
package report

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	"charm.land/bubbles/v2/textinput"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"hocso/report"
	"hocso/store"
	"hocso/tui/common"
)

// Groupings the screen cycles through with one key.
var groupings = []string{"unit", "level:1", "level:2", "module", "learner"}

// mode is what the keyboard is doing: browsing, typing a unit, picking a
// format, typing a file name, or waiting for an export.
type mode int

const (
	browsing mode = iota
	typingUnit
	pickingFormat
	typingFile
	exporting
)

// Model is the report screen.
type Model struct {
	c       *common.Common
	keys    keyMap
	vp      viewport.Model
	input   textinput.Model
	bar     progress.Model
	width   int
	group   int
	unit    string
	showNot bool // the not-started list instead of the summary
	mode    mode
	format  string
	built   *built
	status  string
	done    int
	events  chan tea.Msg
}

// built is a report made for the screen: its summary and who has not started.
type built struct {
	rep        *report.Report
	notStarted []report.LearnerRow
	more       int // not-started rows left out of the list
}

// maxListed bounds the not-started list kept in memory; the export has all.
const maxListed = 2000

type builtMsg struct {
	b   *built
	err error
}

// New returns the report screen over the current pack.
func New(c *common.Common) *Model {
	m := &Model{c: c, keys: newKeyMap(c), vp: viewport.New(), input: c.NewTextInput(),
		bar: progress.New(progress.WithWidth(40), progress.WithoutPercentage())}
	m.vp.KeyMap = viewport.KeyMap{}
	return m
}

// Init builds the first report.
func (m *Model) Init() tea.Cmd { return m.build() }

func (m *Model) options() report.Options {
	g, _ := report.ParseGrouping(groupings[m.group])
	return report.Options{By: g, Pack: m.c.Pack, UnitPrefix: m.unit, Unit: m.unit, Lang: m.c.Lang(),
		Place: strings.Split(m.unit, " / ")[0]}
}

// build runs the report query off the UI loop.
func (m *Model) build() tea.Cmd {
	m.status = m.c.T("ReportScreenBuilding")
	opt, c := m.options(), m.c
	return func() tea.Msg {
		r, err := report.Build(c.Ctx, c.Store, opt)
		if err != nil {
			return builtMsg{err: err}
		}
		b := &built{rep: r}
		err = r.Learners(func(row report.LearnerRow) error {
			if row.Status == store.NotStarted {
				if len(b.notStarted) < maxListed {
					b.notStarted = append(b.notStarted, row)
				} else {
					b.more++
				}
			}
			return nil
		})
		return builtMsg{b: b, err: err}
	}
}

// SetSize fits the table to the terminal.
func (m *Model) SetSize(w, h int) {
	m.width = w
	m.vp.SetWidth(w)
	m.vp.SetHeight(max(1, h-4))
	m.bar.SetWidth(min(40, w-20))
	m.layout()
}

// Update handles the screen's keys and the report's messages.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case common.RestyleMsg:
		m.keys = newKeyMap(m.c)
		return m, m.rebuild()
	case builtMsg:
		if msg.err != nil {
			m.status = ""
			return m, common.Fail(msg.err)
		}
		m.close()
		m.built, m.status = msg.b, ""
		m.layout()
	case progressMsg:
		m.done = msg.done
		return m, m.wait()
	case exportedMsg:
		m.mode = browsing
		if msg.err != nil {
			m.status = ""
			return m, common.Fail(msg.err)
		}
		m.status = m.c.T("ReportScreenExported", map[string]any{"Path": msg.path})
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return m, nil
}

func (m *Model) rebuild() tea.Cmd {
	m.layout()
	return m.build()
}

func (m *Model) key(msg tea.KeyPressMsg) (common.Component, tea.Cmd) {
	k := m.c.Keys
	switch m.mode {
	case typingUnit, typingFile:
		return m.typing(msg)
	case pickingFormat:
		return m.pickFormat(msg)
	case exporting:
		return m, nil
	}
	switch {
	case k.Scroll(&m.vp, msg):
	case key.Matches(msg, m.keys.Group):
		m.group = (m.group + 1) % len(groupings)
		return m, m.rebuild()
	case key.Matches(msg, m.keys.View):
		m.showNot = !m.showNot
		m.layout()
		m.vp.GotoTop()
	case key.Matches(msg, m.keys.Filter):
		m.mode = typingUnit
		m.input.SetValue(m.unit)
		m.input.CursorEnd()
		return m, m.input.Focus()
	case key.Matches(msg, m.keys.Export) && m.built != nil:
		m.mode = pickingFormat
	case key.Matches(msg, k.Back):
		m.close()
		return m, common.Go(common.Place{Screen: common.ScreenDashboard})
	}
	return m, nil
}

func (m *Model) typing(msg tea.KeyPressMsg) (common.Component, tea.Cmd) {
	switch msg.String() {
	case "esc":
		m.mode = browsing
		m.input.Blur()
		return m, nil
	case "enter":
		value := strings.TrimSpace(m.input.Value())
		m.input.Blur()
		if m.mode == typingUnit {
			m.mode, m.unit = browsing, report.NormalizeUnit(value)
			return m, m.rebuild()
		}
		if value == "" {
			return m, nil
		}
		return m, m.export(value)
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}

func (m *Model) pickFormat(msg tea.KeyPressMsg) (common.Component, tea.Cmd) {
	s := msg.String()
	if s == "esc" {
		m.mode = browsing
		return m, nil
	}
	for i, f := range report.Formats {
		if s == fmt.Sprint(i+1) {
			m.format, m.mode = f, typingFile
			m.input.SetValue(m.c.T("ReportFileStem") + "-" + time.Now().Format("2006-01-02") + "." + f)
			m.input.CursorEnd()
			return m, m.input.Focus()
		}
	}
	return m, nil
}

// TakingText says the unit or file name is being typed, so letters are not keys.
func (m *Model) TakingText() bool { return m.mode == typingUnit || m.mode == typingFile }

// close removes the report's spool file.
func (m *Model) close() {
	if m.built != nil && m.mode != exporting {
		m.built.rep.Close()
	}
}
