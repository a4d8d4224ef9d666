// Package dashboard is the home screen: every installed pack with its
// modules and the learner's progress in each, a way to continue where the
// learning left off, and whether the progress has left this PC.
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

// packState is one pack's progress for the learner.
type packState struct {
	entry    common.PackEntry
	progress []store.ModuleProgress
	done     map[string]store.LessonState
}

// item is a selectable row: a module of a pack.
type item struct {
	pack   int
	module int
}

// Model is the dashboard.
type Model struct {
	c      *common.Common
	packs  []packState
	items  []item
	cursor int
	sync   store.SyncStatus
	width  int
	height int
	// want is the place to select once Init has read the packs.
	want common.Place
}

// New returns the dashboard with the module of selected highlighted.
func New(c *common.Common, selected common.Place) *Model {
	return &Model{c: c, want: selected}
}

// Init reads the learner's progress.
func (m *Model) Init() tea.Cmd {
	c := m.c
	m.packs, m.items = nil, nil
	for pi, e := range c.Packs {
		ps := packState{entry: e}
		if p, err := c.Store.PackProgress(c.Ctx, c.Learner.ID, e.Pack); err == nil {
			ps.progress = p
		}
		if d, err := c.Store.Lessons(c.Ctx, c.Learner.ID, e.Pack.ID); err == nil {
			ps.done = d
		}
		m.packs = append(m.packs, ps)
		for mi, mod := range e.Pack.Modules {
			if e.Pack.ID == m.want.PackID && mod.ID == m.want.ModuleID {
				m.cursor = len(m.items)
			}
			m.items = append(m.items, item{pack: pi, module: mi})
		}
	}
	if st, err := c.Store.SyncStatus(c.Ctx); err == nil {
		m.sync = st
	}
	return nil
}

// SetSize records the space the dashboard has.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

func (m *Model) selected() (*lessons.Pack, *lessons.Module) {
	it := m.items[m.cursor]
	p := m.packs[it.pack].entry.Pack
	return p, p.Modules[it.module]
}

// Update moves the selection and opens modules.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	k := m.c.Keys
	press, ok := msg.(tea.KeyPressMsg)
	if !ok || len(m.items) == 0 {
		return m, nil
	}
	switch msg := press; {
	case key.Matches(msg, k.Up):
		m.cursor = max(0, m.cursor-1)
	case key.Matches(msg, k.Down):
		m.cursor = min(len(m.items)-1, m.cursor+1)
	case key.Matches(msg, k.Enter):
		p, mod := m.selected()
		return m, common.Go(common.Place{Screen: common.ScreenModule, PackID: p.ID, ModuleID: mod.ID})
	case key.Matches(msg, k.Continue):
		return m, common.Go(m.next())
	case key.Matches(msg, k.Settings):
		return m, common.Go(common.Place{Screen: common.ScreenSettings})
	case key.Matches(msg, k.Learners):
		return m, common.Go(common.Place{Screen: common.ScreenLearners})
	case key.Matches(msg, k.Report):
		return m, common.Go(common.Place{Screen: common.ScreenReport})
	}
	return m, nil
}

// next is the next thing to do in the first pack that has one.
func (m *Model) next() common.Place {
	for _, ps := range m.packs {
		p := ps.entry.Pack
		switch mod, l := store.NextStep(p, ps.progress, ps.done); {
		case l != nil:
			return common.Place{Screen: common.ScreenReader, PackID: p.ID, ModuleID: mod.ID, LessonID: l.ID}
		case mod != nil:
			return common.Place{Screen: common.ScreenQuiz, PackID: p.ID, ModuleID: mod.ID}
		}
	}
	return common.Place{Screen: common.ScreenDashboard}
}

// View draws the overall progress, then each pack and its modules (two lines
// a module), scrolled so that the selection shows, then the sync line.
func (m *Model) View() string {
	c, s := m.c, m.c.Styles
	var total float64
	var count int
	var rows []string
	cursorRow := 0
	for pi, ps := range m.packs {
		title := ps.entry.Pack.Title.In(c.Lang())
		if mark := m.trustMark(ps.entry); mark != "" {
			title += "  " + mark
		}
		if pi > 0 {
			rows = append(rows, "")
		}
		rows = append(rows, s.Title.Render(common.Truncate(title, m.width-2)))
		for mi, mod := range ps.entry.Pack.Modules {
			var p store.ModuleProgress
			if mi < len(ps.progress) {
				p = ps.progress[mi]
			}
			total += p.FractionTotal
			count++
			selected := len(m.items) > 0 && m.items[m.cursor] == item{pack: pi, module: mi}
			if selected {
				cursorRow = len(rows)
			}
			rows = append(rows, m.moduleRows(mi, mod, p, selected)...)
		}
	}
	if count > 0 {
		total /= float64(count)
	}
	head := c.T("DashboardTotal") + " " + c.Bar(total, 20)
	syncLine := s.Subtle.Render(common.Truncate(m.syncLine(), m.width-2))
	room := max(2, m.height-4) // the head, a blank line, a blank line and the sync line
	return head + "\n\n" + strings.Join(window(rows, cursorRow, room), "\n") + "\n\n" + syncLine
}

func (m *Model) moduleRows(i int, mod *lessons.Module, p store.ModuleProgress, selected bool) []string {
	c, s := m.c, m.c.Styles
	title := common.Truncate(fmt.Sprintf("%d. %s", i+1, mod.Title.In(c.Lang())), m.width-4)
	if selected {
		title = s.Selected.Render(title)
	}
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
	detail := "    " + c.Bar(p.FractionTotal, 16) + "  " + s.Subtle.Render(strings.Join(parts, " · ")) + "  " + c.StatusWord(p.Status)
	return []string{c.Cursor(selected) + title, common.Truncate(detail, m.width)}
}

// trustMark says, in words, that a pack was installed without a trusted signature.
func (m *Model) trustMark(e common.PackEntry) string {
	if e.Builtin || e.Trusted {
		return ""
	}
	return m.c.Styles.Warn.Render("⚠ " + m.c.T("PackUnsigned"))
}

// window returns at most n of rows, keeping row at (or near) the middle.
func window(rows []string, row, n int) []string {
	if len(rows) <= n {
		return rows
	}
	start := min(max(0, row-n/2), len(rows)-n)
	return rows[start : start+n]
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
	return [][]key.Binding{{k.Up, k.Down, k.Enter, k.Continue}, {k.Learners, k.Settings, k.Report, k.Lang}, {k.Help, k.Quit}}
}
