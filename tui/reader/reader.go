// Package reader is the lesson reader: Markdown rendered to the terminal's
// width, scrolled with the keyboard, its position kept per lesson.
package reader

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"hocso/lessons"
	"hocso/tui/common"
)

// savePositionDelay lets a run of scrolling keys end in one write.
const savePositionDelay = 400 * time.Millisecond

// Model reads one lesson.
type Model struct {
	c         *common.Common
	mod       *lessons.Module
	lesson    *lessons.Lesson
	vp        viewport.Model
	page      page // what vp shows, laid out once per render
	width     int
	height    int
	completed bool
	restore   int // line to scroll to once the content is laid out
	saveSeq   int
	saved     int
	err       error
}

type savePositionMsg struct{ seq int }

// New opens lesson of mod at the learner's saved position.
func New(c *common.Common, mod *lessons.Module, lesson *lessons.Lesson) *Model {
	m := &Model{c: c, mod: mod, lesson: lesson, vp: viewport.New()}
	m.vp.KeyMap = viewport.KeyMap{} // the reader handles keys itself, from the app's key map
	return m
}

// Init records the opening and restores the reading position.
func (m *Model) Init() tea.Cmd {
	c := m.c
	if err := c.Store.OpenLesson(c.Ctx, c.Learner.ID, c.PackRef(), m.mod.ID, m.lesson.ID); err != nil {
		return common.Fail(err)
	}
	if line, err := c.Store.ReadingPosition(c.Ctx, c.Learner.ID, c.Pack.ID, m.lesson.ID); err == nil {
		m.restore, m.saved = line, line
	}
	if st, err := c.Store.Lessons(c.Ctx, c.Learner.ID, c.Pack.ID); err == nil {
		if s, ok := st[m.lesson.ID]; ok && s.CompletedAt != nil {
			m.completed = true
		}
	}
	m.render()
	m.vp.SetYOffset(m.restore)
	return m.checkEnd()
}

// SetSize re-lays the lesson for a new terminal size, keeping the reader at
// the same place in the text.
func (m *Model) SetSize(w, h int) {
	if w == m.width && h == m.height {
		return
	}
	var frac float64
	if total := m.vp.TotalLineCount(); total > 0 {
		frac = float64(m.vp.YOffset()) / float64(total)
	}
	m.width, m.height = w, h
	// the viewport is as wide as the text (the measure and glamour's margin),
	// and View centres it: scrolling then lays out ~86 columns, not 200
	m.vp.SetWidth(min(w, m.c.Measure(w)+2))
	m.vp.SetHeight(max(1, h-2))
	if m.vp.TotalLineCount() > 0 {
		m.render()
		m.vp.SetYOffset(int(frac*float64(m.vp.TotalLineCount()) + 0.5))
		// a window made larger may show the end: that is reading it too
		m.err = errOf(m.checkEnd())
	}
}

// errOf runs a command that can only report an error, for the places that
// cannot return one (SetSize).
func errOf(cmd tea.Cmd) error {
	if cmd == nil {
		return nil
	}
	if e, ok := cmd().(common.ErrMsg); ok {
		return e.Err
	}
	return nil
}

// render lays the lesson out for the current width and language.
func (m *Model) render() {
	if m.width == 0 {
		return
	}
	lang := m.c.Lang()
	// at the reading measure, centred: lines of about 80 columns at any width
	out, err := m.c.Markdown.Render(m.lesson.ID+"\x00"+lang, m.lesson.Body.In(lang), m.c.Measure(m.width))
	if err != nil {
		m.err = err
		out = common.Wrap(m.lesson.Body.In(lang), m.c.Measure(m.width))
	}
	off := m.vp.YOffset()
	m.vp.SetContent(out)
	m.vp.SetYOffset(off)
	m.page = newPage(out, m.vp.Width())
}

// Update scrolls and moves between lessons.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	k := m.c.Keys
	switch msg := msg.(type) {
	case common.RestyleMsg:
		m.render()
		return m, m.checkEnd()
	case savePositionMsg:
		if msg.seq == m.saveSeq {
			return m, m.savePosition()
		}
		return m, nil
	case tea.KeyPressMsg:
		before := m.vp.YOffset()
		switch {
		case k.Scroll(&m.vp, msg):
		case key.Matches(msg, k.Back):
			return m, tea.Batch(m.savePosition(), common.Go(common.Place{Screen: common.ScreenModule, ModuleID: m.mod.ID, LessonID: m.lesson.ID}))
		case key.Matches(msg, k.Next):
			return m, tea.Batch(m.savePosition(), m.step(1))
		case key.Matches(msg, k.Prev):
			return m, tea.Batch(m.savePosition(), m.step(-1))
		case key.Matches(msg, k.Glossary) && len(m.c.Pack.Glossary) > 0:
			return m, common.Go(common.Place{Screen: common.ScreenGlossary})
		case key.Matches(msg, k.Sources) && len(m.c.Pack.Sources) > 0:
			return m, common.Go(common.Place{Screen: common.ScreenSources, Cite: strings.Join(m.lesson.Sources, ",")})
		}
		if m.vp.YOffset() != before {
			m.saveSeq++
			seq := m.saveSeq
			return m, tea.Batch(m.checkEnd(), tea.Tick(savePositionDelay, func(time.Time) tea.Msg { return savePositionMsg{seq} }))
		}
	}
	return m, nil
}

// Position is the first visible line, what is saved and restored.
func (m *Model) Position() int { return m.vp.YOffset() }

// SavePosition writes the reading position now (the root calls it on quit).
func (m *Model) SavePosition() error {
	c := m.c
	if m.vp.YOffset() == m.saved {
		return nil
	}
	m.saved = m.vp.YOffset()
	return c.Store.SaveReadingPosition(c.Ctx, c.Learner.ID, c.Pack.ID, m.lesson.ID, m.saved)
}

func (m *Model) savePosition() tea.Cmd {
	if err := m.SavePosition(); err != nil {
		return common.Fail(err)
	}
	return nil
}

// checkEnd marks the lesson completed once its end has been on screen.
func (m *Model) checkEnd() tea.Cmd {
	if m.completed || m.vp.TotalLineCount() == 0 || !m.vp.AtBottom() {
		return nil
	}
	m.completed = true
	c := m.c
	if err := c.Store.CompleteLesson(c.Ctx, c.Learner.ID, c.PackRef(), m.mod.ID, m.lesson.ID); err != nil {
		return common.Fail(err)
	}
	return nil
}

// step opens the next or previous lesson of the module; past the last
// lesson comes the quiz.
func (m *Model) step(d int) tea.Cmd {
	for i, l := range m.mod.Lessons {
		if l.ID != m.lesson.ID {
			continue
		}
		j := i + d
		switch {
		case j >= 0 && j < len(m.mod.Lessons):
			return common.Go(common.Place{Screen: common.ScreenReader, ModuleID: m.mod.ID, LessonID: m.mod.Lessons[j].ID})
		case j == len(m.mod.Lessons) && m.mod.Quiz != nil:
			return common.Go(common.Place{Screen: common.ScreenQuiz, ModuleID: m.mod.ID})
		}
	}
	return nil
}

// View draws the title, the text and where the reader is in it.
func (m *Model) View() string {
	c, s := m.c, m.c.Styles
	title := common.Truncate(m.lesson.Title.In(c.Lang()), c.Measure(m.width))
	var b strings.Builder
	b.WriteString(c.Centre(s.Title.Render(title), m.width) + "\n")
	b.WriteString(common.Indent(m.body(), (m.width-m.vp.Width())/2) + "\n")
	// the last line on screen, and how much of the lesson has been on
	// screen: "line 18/60 · 30%", 100% exactly when the end shows
	total := m.vp.TotalLineCount()
	seen := min(m.vp.YOffset()+m.vp.Height(), total)
	percent := 100.0
	if total > 0 && !m.vp.AtBottom() {
		percent = min(99, float64(seen)*100/float64(total))
	}
	pos := c.T("ReaderPosition", map[string]any{
		"Line":    c.Loc.Number(float64(seen), 0),
		"Total":   c.Loc.Number(float64(total), 0),
		"Percent": c.Loc.Number(percent, 0),
	})
	if m.completed {
		pos += " · " + s.Good.Render("✓ "+c.T("ReaderCompleted"))
	}
	b.WriteString(c.Centre(s.Subtle.Render(pos), m.width))
	return b.String()
}

// body is the visible part of the lesson: the page, laid out for the
// viewport's width, or the viewport's own drawing when there is no page.
func (m *Model) body() string {
	if m.page.ok() && m.page.width == m.vp.Width() {
		return m.page.view(m.vp.YOffset(), m.vp.Height())
	}
	return m.vp.View()
}

// ShortHelp lists the reader's keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	return []key.Binding{k.Down, k.PageDown, k.Next, k.Back, k.Glossary, k.Sources, k.Prev, k.Help}
}

// FullHelp lists the reader's keys in groups.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Next, k.Prev, k.Glossary, k.Sources, k.Back}, {k.Lang, k.Help, k.Quit}}
}
