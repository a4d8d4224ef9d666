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
		case key.Matches(msg, k.Sources) && len(m.c.Pack.Sources) > 0:
			return m, common.Go(common.Place{Screen: common.ScreenSources, Cite: m.c.Cited(m.explanations()...)})
		case key.Matches(msg, k.Enter, k.Back):
			// back to the quiz's start screen, which lists every attempt
			return m, common.Go(common.Place{Screen: common.ScreenQuiz, ModuleID: m.mod.ID})
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
	head := s.Title.Render(common.Wrap(title, c.Measure(m.width))) + "\n" + common.Wrap(verdict+"  "+line, c.Measure(m.width))
	return c.Centre(head, m.width) + "\n\n" + m.vp.View()
}

// explanations are the explanations of the attempt's questions, for the sources they cite.
func (m *Model) explanations() []string {
	var out []string
	for _, id := range m.attempt.QuestionIDs {
		if q := m.mod.Quiz.Question(id); q != nil {
			out = append(out, q.Explanation.In(m.c.Lang()))
		}
	}
	return out
}

// review is every question of the attempt with its verdict, then the history.
func (m *Model) review() string {
	c, s := m.c, m.c.Styles
	lang := c.Lang()
	width := c.Measure(m.width)
	var b strings.Builder
	for i, id := range m.attempt.QuestionIDs {
		q := m.mod.Quiz.Question(id)
		if q == nil {
			continue
		}
		ans := m.answers[id]
		var given quiz.Answer
		_ = json.Unmarshal(ans.Answer, &given)
		b.WriteString(common.Prefix(s.Label.Render(fmt.Sprintf("%-3s", fmt.Sprintf("%d.", i+1))), common.Wrap(q.Text.In(lang), width-4)) + "\n")
		b.WriteString("   " + common.Verdict(c, ans.Score, q.MaxPoints()) + "\n")
		b.WriteString(common.Indent(common.YourAnswer(c, q, given, width-4), 3) + "\n")
		if ans.Score < q.MaxPoints()-1e-9 {
			b.WriteString(common.Indent(common.RightAnswer(c, q, width-4), 3) + "\n")
		}
		if ex := q.Explanation.In(lang); ex != "" {
			b.WriteString(s.Subtle.Render(common.Indent(common.Wrap(ex, width-4), 3)) + "\n")
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
		b.WriteString(common.Hang("   ", row, width) + "\n")
	}
	return c.Centre(strings.TrimRight(b.String(), "\n"), m.width)
}

// ShortHelp lists the result screen's keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	return []key.Binding{m.backKey(), k.Down, k.PageDown, k.Sources, k.Help, k.Quit}
}

// backKey is Enter or Esc, both back to the quiz's start screen.
func (m *Model) backKey() key.Binding {
	return key.NewBinding(key.WithKeys("enter", "esc"), key.WithHelp("enter/esc", m.c.T("KeyBackResult")))
}

// FullHelp lists the keys in groups.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {m.backKey(), k.Sources}, {k.Lang, k.Help, k.Quit}}
}
