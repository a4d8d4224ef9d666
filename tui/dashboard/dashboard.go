// Package dashboard is the home screen: every installed pack with its
// modules and the learner's progress in each, a way to continue where the
// learning left off, and whether the progress has left this PC.
package dashboard

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

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
		if d, err := c.Store.Lessons(c.Ctx, c.Learner.ID, e.Pack.ID); err == nil {
			ps.done = d
			if p, err := c.Store.PackProgressFrom(c.Ctx, c.Learner.ID, e.Pack, d); err == nil {
				ps.progress = p
			}
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
	case key.Matches(msg, k.Send):
		return m, common.Go(common.Place{Screen: common.ScreenSend})
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

// row is one line of the module list: a pack's title, a blank, or a line of a module.
type row struct {
	text  string
	pack  int
	title bool
	cont  bool // the second line of a module
}

// View draws the overall progress, then each pack and its modules; on a wide
// terminal the list sits beside the selected module's details (as gh-dash
// does), on a narrow one each module takes two lines. Then the sync line.
func (m *Model) View() string {
	c, s := m.c, m.c.Styles
	var course store.CourseProgress
	for _, ps := range m.packs {
		course = course.Add(ps.entry.Pack, ps.progress)
	}
	head := c.T("DashboardTotal") + " " + c.Bar(course.Fraction, 20)
	syncLine := s.Subtle.Render(common.Truncate(m.syncLine(), m.width-2))
	room := max(2, m.height-4) // the head, a blank line, a blank line and the sync line
	if m.wide() {
		listWidth := listPaneWidth(m.width)
		list := m.listRows(listWidth, true)
		left := lipgloss.NewStyle().Width(listWidth).Render(strings.Join(list, "\n"))
		right := m.details(min(common.ReadingMeasure, m.width-listWidth-5), room)
		// a rule between the panes, as gh-dash draws one; it carries no meaning
		right = lipgloss.NewStyle().Border(lipgloss.NormalBorder(), false, false, false, true).
			BorderForeground(c.Styles.Subtle.GetForeground()).PaddingLeft(2).Render(right)
		body := lipgloss.JoinHorizontal(lipgloss.Top, left, "  ", right)
		return head + "\n\n" + common.FitLines(body, room) + "\n\n" + syncLine
	}
	return head + "\n\n" + strings.Join(m.listRows(m.width, false), "\n") + "\n\n" + syncLine
}

// wide is when the details pane fits beside the list.
func (m *Model) wide() bool { return m.width >= 120 }

func listPaneWidth(width int) int { return min(72, width/2) }

// listRows are the visible rows of the module list, scrolled so that the
// selection shows; the title of the pack the first row belongs to stays on
// top, so a scrolled list still says which pack it is.
func (m *Model) listRows(width int, compact bool) []string {
	c, s := m.c, m.c.Styles
	var rows []row
	cursorRow := 0
	for pi, ps := range m.packs {
		title := ps.entry.Pack.Title.In(c.Lang())
		if mark := m.trustMark(ps.entry); mark != "" {
			title += "  " + mark
		}
		if pi > 0 {
			rows = append(rows, row{pack: pi})
		}
		rows = append(rows, row{text: s.Title.Render(common.Truncate(title, width-2)), pack: pi, title: true})
		for mi, mod := range ps.entry.Pack.Modules {
			var p store.ModuleProgress
			if mi < len(ps.progress) {
				p = ps.progress[mi]
			}
			selected := len(m.items) > 0 && m.items[m.cursor] == item{pack: pi, module: mi}
			if selected {
				cursorRow = len(rows)
			}
			for j, text := range m.moduleRows(mi, mod, p, selected, width, compact) {
				rows = append(rows, row{text: text, pack: pi, cont: j > 0})
			}
		}
	}
	room := max(2, m.height-4)
	if len(rows) <= room {
		return texts(rows)
	}
	start := min(max(0, cursorRow-room/2), len(rows)-room)
	for start < cursorRow && (rows[start].cont || rows[start].text == "" && !rows[start].title) {
		start++ // neither half a module nor the blank between packs starts the list
		room--
	}
	shown := rows[start : start+room]
	if !shown[0].title {
		// keep the title of the pack the first row belongs to on top, in
		// place of the row furthest from the selection
		var title row
		for _, r := range rows[:start] {
			if r.title && r.pack == shown[0].pack {
				title = r
			}
		}
		if cursorRow > start {
			from := start + 1
			for from < cursorRow && (rows[from].cont || rows[from].text == "" && !rows[from].title) {
				from++
			}
			shown = append([]row{title}, rows[from:start+room]...)
		} else {
			shown = append([]row{title}, rows[start:start+room-1]...)
		}
	}
	if last := shown[len(shown)-1]; !compact && !last.cont && !last.title && last.text != "" {
		shown = shown[:len(shown)-1] // a module's first line without its second: leave both out
	}
	return texts(shown)
}

func texts(rows []row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.text
	}
	return out
}

func (m *Model) moduleRows(i int, mod *lessons.Module, p store.ModuleProgress, selected bool, width int, compact bool) []string {
	c, s := m.c, m.c.Styles
	status := c.StatusWord(p.Status)
	label := fmt.Sprintf("%d. %s", i+1, mod.Title.In(c.Lang()))
	optional := ""
	if !mod.IsRequired() {
		optional = " · " + c.T("ModuleOptional")
	}
	// The optional mark is kept whole when the title is cut: it changes what the row means.
	room := width - 4 - lipgloss.Width(optional)
	if compact {
		room = width - lipgloss.Width(status) - 5 - lipgloss.Width(optional)
	}
	title := common.Truncate(label, room)
	if selected {
		title = s.Selected.Render(title)
	}
	if optional != "" {
		title += s.Subtle.Render(optional)
	}
	if compact {
		gap := max(1, width-2-lipgloss.Width(title)-lipgloss.Width(status))
		return []string{c.Cursor(selected) + title + strings.Repeat(" ", gap) + status}
	}
	detail := "    " + c.Bar(p.FractionTotal, 16) + "  " + s.Subtle.Render(strings.Join(m.parts(p), " · ")) + "  " + status
	return []string{c.Cursor(selected) + title, common.Truncate(detail, width)}
}

// parts are a module's lessons read and quiz result, in words.
func (m *Model) parts(p store.ModuleProgress) []string {
	c := m.c
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
	return parts
}

// details is the selected module in full: title, summary, its lessons with
// their marks and its quiz, wrapped to width.
func (m *Model) details(width, height int) string {
	c, s := m.c, m.c.Styles
	if len(m.items) == 0 {
		return ""
	}
	it := m.items[m.cursor]
	ps := m.packs[it.pack]
	mod := ps.entry.Pack.Modules[it.module]
	var p store.ModuleProgress
	if it.module < len(ps.progress) {
		p = ps.progress[it.module]
	}
	lang := c.Lang()
	var b strings.Builder
	b.WriteString(s.Title.Render(common.Wrap(mod.Title.In(lang), width)) + "\n")
	b.WriteString(c.Bar(p.FractionTotal, 20) + "  " + c.StatusWord(p.Status) + "\n")
	b.WriteString(s.Subtle.Render(common.Wrap(strings.Join(m.parts(p), " · "), width)) + "\n")
	if sum := mod.Summary.In(lang); sum != "" {
		b.WriteString("\n" + common.Wrap(sum, width) + "\n")
	}
	b.WriteString("\n")
	for i, l := range mod.Lessons {
		mark := s.Subtle.Render("○")
		if st, ok := ps.done[l.ID]; ok {
			mark = s.Warn.Render("◐")
			if st.CompletedAt != nil {
				mark = s.Good.Render("✓")
			}
		}
		b.WriteString(common.Hang(fmt.Sprintf("%s %d. ", mark, i+1), l.Title.In(lang), width) + "\n")
	}
	if z := mod.Quiz; z != nil {
		b.WriteString(common.Hang("✎ ", c.T("ModuleQuiz")+" · "+c.Loc.N("QuestionCount", z.Asked())+" · "+
			c.T("PassMark", map[string]any{"Percent": c.Loc.Percent(z.PassMark)}), width) + "\n")
	}
	return common.FitLines(strings.TrimRight(b.String(), "\n"), height)
}

// trustMark says, in words, that a pack was installed without a trusted signature.
func (m *Model) trustMark(e common.PackEntry) string {
	if e.Builtin || e.Trusted {
		return ""
	}
	return m.c.Styles.Warn.Render("⚠ " + m.c.T("PackUnsigned"))
}

// syncLine says when progress last left this PC and how much is waiting, so
// that a learner knows whether the office has their results.
func (m *Model) syncLine() string {
	c := m.c
	sent := c.T("SyncNever")
	if !m.sync.LastSent.IsZero() {
		sent = c.T("SyncLastSent", map[string]any{"When": c.Loc.DateTime(m.sync.LastSent.Local())})
	}
	return "⇅ " + sent + " · " + c.Loc.N("SyncPending", m.sync.Pending) + " · " + c.T("SyncSendHint")
}

// ShortHelp lists the dashboard's keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	return []key.Binding{k.Enter, k.Continue, k.Up, k.Down, k.Learners, k.Settings, k.Send, k.Quit, k.Lang, k.Help}
}

// FullHelp lists the dashboard's keys in groups.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Up, k.Down, k.Enter, k.Continue}, {k.Send, k.Learners, k.Settings, k.Report, k.Lang}, {k.Help, k.Quit}}
}
