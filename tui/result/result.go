// Package result shows a submitted attempt: the score, pass or fail, each
// question with the learner's answer, the right one and why, and the
// history of the learner's attempts at the quiz.
package result

import (
	"encoding/json"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"hocso/lessons"
	"hocso/quiz"
	"hocso/store"
	"hocso/tui/common"
)

// Model is the result and review of one attempt.
type Model struct {
	c         *common.Common
	mod       *lessons.Module
	attemptID string
	attempt   store.Attempt
	answers   map[string]store.Answer
	history   []store.Attempt
	vp        viewport.Model
	width     int
	height    int
}

// New returns the result screen of an attempt.
func New(c *common.Common, mod *lessons.Module, attemptID string) *Model {
	m := &Model{c: c, mod: mod, attemptID: attemptID, vp: viewport.New()}
	m.vp.KeyMap = viewport.KeyMap{}
	return m
}

// Init reads the attempt, its answers and the history.
func (m *Model) Init() tea.Cmd {
	c := m.c
	var err error
	if m.attempt, err = c.Store.Attempt(c.Ctx, m.attemptID); err != nil {
		return common.Fail(err)
	}
	if m.answers, err = c.Store.Answers(c.Ctx, m.attemptID); err != nil {
		return common.Fail(err)
	}
	if m.history, err = c.Store.Attempts(c.Ctx, c.Learner.ID, c.Pack.ID, m.attempt.QuizID); err != nil {
		return common.Fail(err)
	}
	m.layout()
	return nil
}

// SetSize fits the review to the terminal.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.vp.SetWidth(w)
	m.vp.SetHeight(max(1, h-4))
	m.layout()
}

func (m *Model) layout() {
	if m.width == 0 || m.attempt.ID == "" {
		return
	}
	m.vp.SetContent(m.review())
}

// Update scrolls the review and leaves.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	k := m.c.Keys
	switch msg := msg.(type) {
	case common.RestyleMsg:
		m.layout()
	case tea.KeyPressMsg:
		switch {
		case k.Scroll(&m.vp, msg):
		case key.Matches(msg, k.Enter, k.Back):
			return m, common.Go(common.Place{Screen: common.ScreenModule, ModuleID: m.mod.ID, LessonID: common.QuizRow})
		}
	}
	return m, nil
}

// View draws the verdict above the scrolling review.
func (m *Model) View() string {
	c, s, a := m.c, m.c.Styles, m.attempt
	if a.ID == "" {
		return ""
	}
	verdict := s.Bad.Render("✗ " + c.T("ResultFailed"))
	if a.Passed {
		verdict = s.Good.Render("✓ " + c.T("ResultPassed"))
	}
	title := c.T("ResultTitle", map[string]any{"Quiz": m.mod.Quiz.Title.In(c.Lang())})
	line := c.T("ResultScore", map[string]any{
		"Score":    c.Loc.Number(a.Score, 2),
		"Max":      c.Loc.Number(a.MaxScore, 2),
		"Percent":  c.Loc.Percent(quiz.Percent(a.Score, a.MaxScore)),
		"PassMark": c.Loc.Percent(a.PassMark),
	})
	return s.Title.Render(common.Truncate(title, m.width-2)) + "\n" + verdict + "  " + line + "\n\n" + m.vp.View()
}

// review is every question of the attempt with its verdict, then the history.
func (m *Model) review() string {
	c, s := m.c, m.c.Styles
	lang := c.Lang()
	width := min(m.width-2, 100)
	var b strings.Builder
	for i, id := range m.attempt.QuestionIDs {
		q := m.mod.Quiz.Question(id)
		if q == nil {
			continue
		}
		ans := m.answers[id]
		var given quiz.Answer
		_ = json.Unmarshal(ans.Answer, &given)
		b.WriteString(s.Label.Render(fmt.Sprintf("%d. ", i+1)) + common.Wrap(q.Text.In(lang), width-4) + "\n")
		b.WriteString("   " + common.Verdict(c, ans.Score, q.MaxPoints()) + "\n")
		b.WriteString("   " + common.Wrap(c.T("ReviewYourAnswer")+" "+common.DescribeAnswer(c, q, given), width-4) + "\n")
		if ans.Score < q.MaxPoints()-1e-9 {
			b.WriteString("   " + common.Wrap(c.T("ReviewRightAnswer")+" "+common.CorrectAnswer(c, q), width-4) + "\n")
		}
		if ex := q.Explanation.In(lang); ex != "" {
			b.WriteString(s.Subtle.Render("   "+strings.ReplaceAll(common.Wrap(ex, width-4), "\n", "\n   ")) + "\n")
		}
		if ans.QuestionHash != "" && ans.QuestionHash != q.Hash() {
			b.WriteString(s.Warn.Render("   "+c.T("ReviewChanged")) + "\n")
		}
		b.WriteString("\n")
	}
	b.WriteString(s.Label.Render(c.T("ResultHistory")) + "\n")
	for i, h := range m.history {
		row := fmt.Sprintf("%d. %s", i+1, c.Loc.DateTime(h.StartedAt.Local()))
		switch {
		case h.SubmittedAt == nil:
			row += " · " + c.T("QuizInProgress")
		case h.Passed:
			row += " · " + c.Loc.Percent(quiz.Percent(h.Score, h.MaxScore)) + " · " + s.Good.Render("✓ "+c.T("ResultPassed"))
		default:
			row += " · " + c.Loc.Percent(quiz.Percent(h.Score, h.MaxScore)) + " · " + s.Bad.Render("✗ "+c.T("ResultFailed"))
		}
		if h.ID == m.attempt.ID {
			row += s.Subtle.Render(" ← " + c.T("ResultThisAttempt"))
		}
		b.WriteString("   " + row + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// ShortHelp lists the result screen's keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	return []key.Binding{k.Down, k.PageDown, k.Enter, k.Help, k.Quit}
}

// FullHelp lists the keys in groups.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Enter, k.Back}, {k.Lang, k.Help, k.Quit}}
}
