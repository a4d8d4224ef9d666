package attempt

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"hocso/quiz"
	"hocso/tui/common"
)

// View draws the current question, the feedback or the submit confirmation.
func (m *Model) View() string {
	c, s := m.c, m.c.Styles
	var b strings.Builder
	title := common.Truncate(m.z.Title.In(c.Lang()), m.width-16)
	head := s.Title.Render(title)
	if left := m.timeLeft(); left != "" {
		head += strings.Repeat(" ", max(1, m.width-lipgloss.Width(head)-lipgloss.Width(left)-1)) + s.Warn.Render(left)
	}
	b.WriteString(head + "\n")
	switch m.state {
	case unavailable:
		return b.String()
	case blocked:
		b.WriteString("\n" + s.Bad.Render(common.Wrap("✗ "+c.T("QuizNoAttemptsLeft", map[string]any{"Max": m.z.MaxAttempts}), m.width-2)))
		return b.String()
	case confirming:
		answered := len(m.sit.Answers)
		width := min(m.width-2, 100)
		b.WriteString("\n" + common.Wrap(c.T("QuizAllAnswered", map[string]any{"Answered": answered, "Total": len(m.sit.Questions)}), width) + "\n\n")
		b.WriteString(s.Label.Render(c.T("QuizSubmitPrompt")) + "\n")
		b.WriteString(s.Subtle.Render(common.Wrap(c.T("QuizSubmitHint"), width)))
		return b.String()
	}
	q := m.sit.Questions[m.index]
	b.WriteString(s.Subtle.Render(fmt.Sprintf("%s · %s · %s",
		c.T("QuizQuestionOf", map[string]any{"N": m.index + 1, "Total": len(m.sit.Questions)}),
		c.T("Kind_"+string(q.Kind)),
		c.T("QuizAnswered", map[string]any{"Answered": len(m.sit.Answers), "Total": len(m.sit.Questions)}))) + "\n\n")
	b.WriteString(common.Wrap(q.Text.In(c.Lang()), min(m.width-2, 100)) + "\n\n")
	if m.state == feedback {
		b.WriteString(m.feedbackView(q))
		return b.String()
	}
	b.WriteString(m.in.view(m.width))
	if m.err != nil {
		b.WriteString("\n\n" + s.Error.Render("✗ "+c.T("AnswerNotSaved")))
	}
	return b.String()
}

func (m *Model) feedbackView(q *quiz.Question) string {
	c, s := m.c, m.c.Styles
	var b strings.Builder
	b.WriteString(common.Verdict(c, m.last, q.MaxPoints()) + "\n")
	if m.last < q.MaxPoints()-1e-9 {
		b.WriteString(common.Wrap(c.T("ReviewRightAnswer")+" "+common.CorrectAnswer(c, q), min(m.width-2, 100)) + "\n")
	}
	if ex := q.Explanation.In(c.Lang()); ex != "" {
		b.WriteString("\n" + s.Subtle.Render(common.Wrap(ex, min(m.width-2, 100))) + "\n")
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
