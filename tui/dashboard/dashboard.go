// Package dashboard is the home screen: the pack's modules with the learner's
// progress in each, and a way to continue where the learning left off.
package dashboard

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"hocso/lessons"
	"hocso/store"
	"hocso/tui/common"
)

// Model is the dashboard.
type Model struct {
	c        *common.Common
	cursor   int
	progress []store.ModuleProgress
	done     map[string]store.LessonState
	sync     store.SyncStatus
	width    int
	height   int
}

// New returns the dashboard with module selected; Init loads the progress.
func New(c *common.Common, module string) *Model {
	m := &Model{c: c}
	for i, mod := range c.Pack.Modules {
		if mod.ID == module {
			m.cursor = i
		}
	}
	return m
}

// Init reads the learner's progress.
func (m *Model) Init() tea.Cmd {
	m.Refresh()
	return nil
}

// Refresh re-reads progress from the store (after a lesson or a quiz).
func (m *Model) Refresh() {
	c := m.c
	p, err := c.Store.PackProgress(c.Ctx, c.Learner.ID, c.Pack)
	if err == nil {
		m.progress = p
	}
	if d, err := c.Store.Lessons(c.Ctx, c.Learner.ID, c.Pack.ID); err == nil {
		m.done = d
	}
	if st, err := c.Store.SyncStatus(c.Ctx); err == nil {
		m.sync = st
	}
}

// SetSize records the space the dashboard has.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Update moves the selection and opens modules.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	k := m.c.Keys
	if msg, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(msg, k.Up):
			m.cursor = max(0, m.cursor-1)
		case key.Matches(msg, k.Down):
			m.cursor = min(len(m.c.Pack.Modules)-1, m.cursor+1)
		case key.Matches(msg, k.Enter):
			return m, common.Go(common.Place{Screen: common.ScreenModule, ModuleID: m.c.Pack.Modules[m.cursor].ID})
		case key.Matches(msg, k.Continue):
			return m, common.Go(Next(m.c.Pack, m.progress, m.done))
		case key.Matches(msg, k.Settings):
			return m, common.Go(common.Place{Screen: common.ScreenSettings})
		case key.Matches(msg, k.Learners):
			return m, common.Go(common.Place{Screen: common.ScreenLearners})
		}
	}
	return m, nil
}

// Next is the next thing to do: the first unread lesson of the first
// unfinished module, else its quiz, else the dashboard itself.
func Next(p *lessons.Pack, progress []store.ModuleProgress, done map[string]store.LessonState) common.Place {
	for i, mod := range p.Modules {
		if i < len(progress) && (progress[i].Status == store.Completed || progress[i].Status == store.Passed) {
			continue
		}
		for _, l := range mod.Lessons {
			if st, ok := done[l.ID]; !ok || st.CompletedAt == nil {
				return common.Place{Screen: common.ScreenReader, ModuleID: mod.ID, LessonID: l.ID}
			}
		}
		if mod.Quiz != nil {
			return common.Place{Screen: common.ScreenQuiz, ModuleID: mod.ID}
		}
	}
	return common.Place{Screen: common.ScreenDashboard}
}

// View draws the modules, two lines each.
func (m *Model) View() string {
	c, s := m.c, m.c.Styles
	var b strings.Builder
	total := 0.0
	for _, p := range m.progress {
		total += p.FractionTotal
	}
	if len(m.progress) > 0 {
		total /= float64(len(m.progress))
	}
	b.WriteString(s.Title.Render(common.Truncate(c.Pack.Title.In(c.Lang()), m.width-2)) + "\n")
	b.WriteString(c.T("DashboardTotal") + " " + c.Bar(total, 20) + "\n\n")
	barWidth := 16
	for i, mod := range c.Pack.Modules {
		var p store.ModuleProgress
		if i < len(m.progress) {
			p = m.progress[i]
		}
		title := fmt.Sprintf("%d. %s", i+1, mod.Title.In(c.Lang()))
		title = common.Truncate(title, m.width-4)
		if i == m.cursor {
			title = s.Selected.Render(title)
		}
		b.WriteString(c.Cursor(i == m.cursor) + title + "\n")
		var parts []string
		if p.LessonsTotal > 0 {
			parts = append(parts, c.Loc.N("DashboardLessons", p.LessonsTotal, map[string]any{"Done": p.LessonsDone}))
		}
		switch {
		case p.HasQuiz && p.Attempts > 0:
			parts = append(parts, c.T("DashboardQuizScore", map[string]any{"Percent": c.Loc.Percent(p.QuizPercent)}))
		case p.HasQuiz:
			parts = append(parts, c.T("DashboardQuizNone"))
		}
		detail := strings.Join(parts, " · ")
		b.WriteString("    " + c.Bar(p.FractionTotal, barWidth) + "  " + s.Subtle.Render(detail) + "  " + c.StatusWord(p.Status) + "\n")
	}
	b.WriteString("\n" + s.Subtle.Render(common.Truncate(m.syncLine(), m.width-2)))
	return b.String()
}

// syncLine says when progress last left this PC and how much is waiting, so
// that a learner knows whether the office has their results.
func (m *Model) syncLine() string {
	c := m.c
	sent := c.T("SyncNever")
	if !m.sync.LastSent.IsZero() {
		sent = c.T("SyncLastSent", map[string]any{"When": c.Loc.DateTime(m.sync.LastSent.Local())})
	}
	return "⇅ " + sent + " · " + c.Loc.N("SyncPending", m.sync.Pending)
}

// ShortHelp lists the dashboard's keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	return []key.Binding{k.Up, k.Down, k.Enter, k.Continue, k.Learners, k.Settings, k.Lang, k.Help, k.Quit}
}

// FullHelp lists the dashboard's keys in groups.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Up, k.Down, k.Enter, k.Continue}, {k.Learners, k.Settings, k.Lang}, {k.Help, k.Quit}}
}
