package attempt

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"hocso/tui/common"
)

// introRow is a choice of the start screen: start (or carry on), or review
// a submitted attempt.
type introRow struct {
	start   bool
	attempt int // index in standing.Submitted when !start
}

// rows are the start screen's choices: start or carry on when allowed, the
// last attempt, then every earlier one, newest first.
func (m *Model) rows() []introRow {
	var rows []introRow
	if m.canStart() {
		rows = append(rows, introRow{start: true})
	}
	for i := len(m.standing.Submitted) - 1; i >= 0; i-- {
		rows = append(rows, introRow{attempt: i})
	}
	return rows
}

// canStart is whether an attempt is open (or planned) or another may start.
func (m *Model) canStart() bool {
	return m.sit != nil || m.standing.Open != nil || m.standing.AttemptsLeft != 0
}

func (m *Model) updateIntro(msg tea.KeyPressMsg) tea.Cmd {
	k := m.c.Keys
	rows := m.rows()
	switch {
	case key.Matches(msg, k.Up):
		m.cursor = max(0, m.cursor-1)
	case key.Matches(msg, k.Down):
		m.cursor = min(len(rows)-1, m.cursor+1)
	case key.Matches(msg, k.Back):
		return m.toModule()
	case key.Matches(msg, k.Enter) && m.cursor < len(rows):
		r := rows[m.cursor]
		if r.start {
			return m.begin()
		}
		a := m.standing.Submitted[r.attempt]
		return common.Go(common.Place{Screen: common.ScreenResult, ModuleID: m.mod.ID, AttemptID: a.ID})
	}
	return nil
}

// introView is the start screen.
func (m *Model) introView(width int) string {
	c, s, st := m.c, m.c.Styles, m.standing
	var b strings.Builder
	b.WriteString(s.Label.Render(c.T("QuizRulesTitle")) + "\n")
	for _, r := range common.QuizRules(c, m.z, st) {
		b.WriteString(common.Hang("  • ", r, width) + "\n")
	}
	b.WriteString("\n" + s.Label.Render(c.T("QuizBest")) + " ")
	if st.HasFinal {
		b.WriteString(common.AttemptLine(c, m.attemptNumber(st.Final.ID), st.Final) + "\n")
		if st.Final.Passed && m.canStart() {
			b.WriteString(s.Subtle.Render(common.Wrap(c.T("QuizPassedNote"), width)) + "\n")
		}
	} else {
		b.WriteString(c.T("QuizNotTaken") + "\n")
	}
	if !m.canStart() {
		b.WriteString("\n" + s.Bad.Render(common.Wrap("✗ "+c.T("QuizNoAttemptsLeft", map[string]any{"Max": m.z.MaxAttempts}), width)) + "\n")
	}
	b.WriteString("\n")
	for i, r := range m.rows() {
		var label string
		switch {
		case r.start:
			label = m.startLabel()
		case r.attempt == len(st.Submitted)-1:
			label = c.T("QuizReviewLast") + " · " + common.AttemptLine(c, r.attempt+1, st.Submitted[r.attempt])
		default:
			if r.attempt == len(st.Submitted)-2 {
				b.WriteString("\n" + s.Label.Render(c.T("QuizHistory")) + "\n")
			}
			label = common.AttemptLine(c, r.attempt+1, st.Submitted[r.attempt])
		}
		b.WriteString(c.Row(i == m.cursor, label, width) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func (m *Model) startLabel() string {
	c := m.c
	switch {
	case m.sit != nil && m.sit.Started():
		return c.T("QuizResume", map[string]any{"Answered": len(m.sit.Answers), "Total": len(m.sit.Questions)})
	case m.standing.Open != nil:
		return c.T("QuizResume", map[string]any{"Answered": "…", "Total": m.z.Asked()})
	case len(m.standing.Submitted) > 0:
		return c.T("QuizStartAgain", map[string]any{"N": len(m.standing.Submitted) + 1})
	}
	return c.T("QuizStart")
}

// attemptNumber is the 1-based number of a submitted attempt.
func (m *Model) attemptNumber(id string) int {
	for i, a := range m.standing.Submitted {
		if a.ID == id {
			return i + 1
		}
	}
	return 0
}
