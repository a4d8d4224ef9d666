package attempt

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"hocso/tui/common"
)

// updateConfirm handles the submit confirmation: s submits; while questions
// are unanswered, Enter opens the selected one instead of submitting.
func (m *Model) updateConfirm(msg tea.KeyPressMsg) tea.Cmd {
	k := m.c.Keys
	open := m.sit.Unanswered()
	switch {
	case key.Matches(msg, k.Submit):
		return m.submit()
	case key.Matches(msg, k.Enter) && len(open) == 0:
		return m.submit()
	case key.Matches(msg, k.Enter):
		m.open(open[min(m.cursor, len(open)-1)])
	case key.Matches(msg, k.Up):
		m.cursor = max(0, m.cursor-1)
	case key.Matches(msg, k.Down):
		m.cursor = min(max(0, len(open)-1), m.cursor+1)
	case key.Matches(msg, k.PrevQuestion):
		m.open(len(m.sit.Questions) - 1)
	case key.Matches(msg, k.Back):
		return m.leave()
	}
	return nil
}

// confirmView asks to submit and lists every unanswered question.
func (m *Model) confirmView(width int) string {
	c, s := m.c, m.c.Styles
	total := len(m.sit.Questions)
	open := m.sit.Unanswered()
	var b strings.Builder
	if len(open) == 0 {
		b.WriteString(common.Wrap(c.T("QuizAllAnswered", map[string]any{"Answered": len(m.sit.Answers), "Total": total}), width) + "\n\n")
		b.WriteString(s.Label.Render(c.T("QuizSubmitPrompt")) + "\n")
		b.WriteString(s.Subtle.Render(common.Wrap(c.T("QuizSubmitHint"), width)))
		return b.String()
	}
	b.WriteString(s.Warn.Render(common.Wrap("⚠ "+c.T("QuizUnanswered", map[string]any{"Count": len(open), "Total": total}), width)) + "\n")
	room := max(3, m.height-8)
	start := min(max(0, m.cursor-room/2), max(0, len(open)-room))
	for i := start; i < min(len(open), start+room); i++ {
		q := m.sit.Questions[open[i]]
		label := fmt.Sprintf("%s · %s", c.T("QuizQuestionOf", map[string]any{"N": open[i] + 1, "Total": total}), q.Text.In(c.Lang()))
		b.WriteString(c.Row(i == m.cursor, common.Truncate(label, width-2), width) + "\n")
	}
	b.WriteString("\n" + s.Label.Render(c.T("QuizSubmitPrompt")) + "\n")
	b.WriteString(s.Subtle.Render(common.Wrap(c.T("QuizJumpHint"), width)))
	return b.String()
}
