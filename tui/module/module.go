// Package module is the screen of one module: its lessons and its quiz.
package module

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"hocso/lessons"
	"hocso/quiz"
	"hocso/store"
	"hocso/tui/common"
)

// Model lists a module's lessons, then its quiz.
type Model struct {
	c        *common.Common
	mod      *lessons.Module
	cursor   int
	done     map[string]store.LessonState
	progress store.ModuleProgress
	width    int
}

// New returns the screen of mod with the row of item selected (a lesson id,
// common.QuizRow, or "" for the first row).
func New(c *common.Common, mod *lessons.Module, item string) *Model {
	m := &Model{c: c, mod: mod}
	for i, l := range mod.Lessons {
		if l.ID == item {
			m.cursor = i
		}
	}
	if item == common.QuizRow && mod.Quiz != nil {
		m.cursor = len(mod.Lessons)
	}
	return m
}

// Init reads the learner's progress in the module.
func (m *Model) Init() tea.Cmd {
	c := m.c
	if d, err := c.Store.Lessons(c.Ctx, c.Learner.ID, c.Pack.ID); err == nil {
		m.done = d
	}
	if all, err := c.Store.PackProgressFrom(c.Ctx, c.Learner.ID, c.Pack, m.done); err == nil {
		for _, p := range all {
			if p.ModuleID == m.mod.ID {
				m.progress = p
			}
		}
	}
	return nil
}

// SetSize records the width for truncating titles.
func (m *Model) SetSize(w, h int) { m.width = w }

func (m *Model) rows() int {
	n := len(m.mod.Lessons)
	if m.mod.Quiz != nil {
		n++
	}
	return n
}

// Update moves the selection and opens a lesson or the quiz.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	k := m.c.Keys
	if msg, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(msg, k.Up):
			m.cursor = max(0, m.cursor-1)
		case key.Matches(msg, k.Down):
			m.cursor = min(m.rows()-1, m.cursor+1)
		case key.Matches(msg, k.Back):
			return m, common.Go(common.Place{Screen: common.ScreenDashboard, PackID: m.c.Pack.ID, ModuleID: m.mod.ID})
		case key.Matches(msg, k.Enter):
			if m.cursor < len(m.mod.Lessons) {
				return m, common.Go(common.Place{Screen: common.ScreenReader, ModuleID: m.mod.ID, LessonID: m.mod.Lessons[m.cursor].ID})
			}
			return m, common.Go(common.Place{Screen: common.ScreenQuiz, ModuleID: m.mod.ID})
		}
	}
	return m, nil
}

// View draws the module's summary and items.
func (m *Model) View() string {
	c, s := m.c, m.c.Styles
	width := c.Measure(m.width)
	var b strings.Builder
	b.WriteString(s.Title.Render(common.Wrap(m.mod.Title.In(c.Lang()), width)) + "\n")
	if sum := m.mod.Summary.In(c.Lang()); sum != "" {
		b.WriteString(s.Subtle.Render(common.Wrap(sum, width)) + "\n")
	}
	if !m.mod.IsRequired() {
		b.WriteString(s.Subtle.Render(common.Wrap(m.c.T("ModuleOptionalNote"), min(m.width-2, 78))) + "\n")
	}
	b.WriteString("\n")
	for i, l := range m.mod.Lessons {
		mark := s.Subtle.Render("○")
		if st, ok := m.done[l.ID]; ok {
			mark = s.Warn.Render("◐")
			if st.CompletedAt != nil {
				mark = s.Good.Render("✓")
			}
		}
		title := l.Title.In(c.Lang())
		if l.Minutes > 0 {
			title += s.Subtle.Render(" · " + c.Loc.N("Minutes", l.Minutes))
		}
		row := common.Hang(fmt.Sprintf("%s %d. ", mark, i+1), title, width-2)
		if i == m.cursor {
			row = s.Selected.Render(row)
		}
		b.WriteString(common.Prefix(c.Cursor(i == m.cursor), row) + "\n")
	}
	if z := m.mod.Quiz; z != nil {
		i := len(m.mod.Lessons)
		b.WriteString("\n" + common.Prefix(c.Cursor(i == m.cursor), common.Wrap(m.quizLine(z), width-2)) + "\n")
	}
	return c.Centre(strings.TrimRight(b.String(), "\n"), m.width)
}

func (m *Model) quizLine(z *quiz.Quiz) string {
	c, s, p := m.c, m.c.Styles, m.progress
	line := "✎ " + c.T("ModuleQuiz") + " · " + c.Loc.N("QuestionCount", z.Asked()) + " · " +
		c.T("PassMark", map[string]any{"Percent": c.Loc.Percent(z.PassMark)})
	switch {
	case p.Attempts > 0 && p.QuizPassed:
		// a pass stays a pass while a further attempt is open
		line += " · " + s.Good.Render("✓ "+c.T("QuizPassedScore", map[string]any{"Percent": c.Loc.Percent(p.QuizPercent)}))
		if p.OpenAttempt {
			line += " · " + s.Warn.Render(c.T("QuizInProgress"))
		}
	case p.OpenAttempt:
		line += " · " + s.Warn.Render(c.T("QuizInProgress"))
	case p.Attempts > 0:
		line += " · " + s.Bad.Render("✗ "+c.T("QuizFailedScore", map[string]any{"Percent": c.Loc.Percent(p.QuizPercent)}))
	}
	return line
}

// ShortHelp lists the module screen's keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	return []key.Binding{k.Enter, k.Back, k.Up, k.Down, k.Quit, k.Help}
}

// FullHelp lists the module screen's keys in groups.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Up, k.Down, k.Enter, k.Back}, {k.Lang, k.Help, k.Quit}}
}
