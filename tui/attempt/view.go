package attempt

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"hocso/quiz"
	"hocso/tui/common"
)

// View draws the start screen, the current question, the feedback or the
// submit confirmation, at a reading measure.
func (m *Model) View() string {
	c, s := m.c, m.c.Styles
	width := c.Measure(m.width)
	var b strings.Builder
	head := s.Title.Render(common.Truncate(m.z.Title.In(c.Lang()), width-16))
	if left := m.timeLeft(); left != "" {
		head += strings.Repeat(" ", max(1, width-lipgloss.Width(head)-lipgloss.Width(left))) + s.Warn.Render(left)
	}
	b.WriteString(head + "\n")
	switch m.state {
	case unavailable:
		return c.Centre(b.String(), m.width)
	case intro:
		b.WriteString("\n" + m.introView(width))
		return c.Centre(b.String(), m.width)
	case confirming:
		b.WriteString("\n" + m.confirmView(width))
		return c.Centre(b.String(), m.width)
	}
	q := m.sit.Questions[m.index]
	b.WriteString(s.Subtle.Render(fmt.Sprintf("%s · %s · %s",
		c.T("QuizQuestionOf", map[string]any{"N": m.index + 1, "Total": len(m.sit.Questions)}),
		c.T("Kind_"+string(q.Kind)),
		c.T("QuizAnswered", map[string]any{"Answered": len(m.sit.Answers), "Total": len(m.sit.Questions)}))) + "\n\n")
	b.WriteString(common.Wrap(q.Text.In(c.Lang()), width) + "\n\n")
	if m.state == feedback {
		b.WriteString(m.feedbackView(q, width))
		return c.Centre(b.String(), m.width)
	}
	b.WriteString(m.in.view(width))
	if m.warn != "" {
		b.WriteString("\n\n" + s.Error.Render(common.Wrap("✗ "+c.T(m.warn), width)))
	}
	if m.err != nil {
		b.WriteString("\n\n" + s.Error.Render("✗ "+c.T("AnswerNotSaved")))
	}
	return c.Centre(b.String(), m.width)
}

func (m *Model) feedbackView(q *quiz.Question, width int) string {
	c, s := m.c, m.c.Styles
	var b strings.Builder
	b.WriteString(common.Verdict(c, m.last, q.MaxPoints()) + "\n")
	if m.last < q.MaxPoints()-1e-9 {
		b.WriteString(common.RightAnswer(c, q, width) + "\n")
	}
	if ex := q.Explanation.In(c.Lang()); ex != "" {
		b.WriteString("\n" + s.Subtle.Render(common.Wrap(ex, width)) + "\n")
	}
	b.WriteString("\n" + s.Subtle.Render(c.T("FeedbackContinue")))
	return b.String()
}

// timeLeft is the countdown shown when the quiz has a time limit.
func (m *Model) timeLeft() string {
	deadline, ok := m.deadline()
	if !ok {
		return ""
	}
	limit := time.Duration(m.z.TimeLimitMinutes) * time.Minute
	left := min(limit, max(0, deadline.Sub(m.now))).Round(time.Second)
	return m.c.T("QuizTimeLeft", map[string]any{"Time": fmt.Sprintf("%02d:%02d", int(left.Minutes()), int(left.Seconds())%60)})
}
