// Package tui is hocso's terminal interface. The root model here only routes:
// it owns the frame (header, help bar), global keys and switching screens;
// each screen lives in its own package.
package tui

import (
	"encoding/json"
	"errors"
	"os"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"hocso/lessons"
	"hocso/locales"
	"hocso/store"
	"hocso/tui/attempt"
	"hocso/tui/common"
	"hocso/tui/dashboard"
	"hocso/tui/glossary"
	"hocso/tui/learners"
	"hocso/tui/module"
	"hocso/tui/profile"
	"hocso/tui/reader"
	reportscreen "hocso/tui/report"
	"hocso/tui/result"
	"hocso/tui/send"
	"hocso/tui/settings"
	"hocso/tui/sources"
)

// frameHeight is the lines the root takes: header, a blank line, the status line and the help bar.
const frameHeight = 4

// maxStatusLines is how many lines an error may take at the bottom.
const maxStatusLines = 4

// Model is the root of the TUI.
type Model struct {
	c           *common.Common
	screen      common.Component
	place       common.Place
	prev        common.Place // where Back returns from the glossary
	help        help.Model
	showHelp    bool
	confirmQuit bool
	status      string
}

// New returns the root model. c must hold the store, pack, localizer and styles.
func New(c *common.Common) *Model {
	if c.Styles == nil {
		c.ApplyTheme()
	}
	if len(c.Packs) == 0 && c.Pack != nil {
		c.Packs = []common.PackEntry{{Pack: c.Pack, Builtin: true, Trusted: true}}
	}
	if c.Pack == nil && len(c.Packs) > 0 {
		c.Pack = c.Packs[0].Pack
	}
	h := help.New()
	h.Styles = c.HelpStyles()
	return &Model{c: c, help: h}
}

// Init opens where the current learner left off; on a PC shared by several
// learners, or when the profile has a PIN, it asks who is learning first.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.show(m.startPlace()), tea.RequestBackgroundColor)
}

func (m *Model) startPlace() common.Place {
	c := m.c
	all, err := c.Store.DeviceLearners(c.Ctx)
	if err != nil || len(all) == 0 {
		return common.Place{Screen: common.ScreenProfile}
	}
	id, _ := c.Store.CurrentLearner(c.Ctx)
	l, err := c.Store.Learner(c.Ctx, id)
	if err != nil {
		return common.Place{Screen: common.ScreenLearners}
	}
	if hasPIN, _ := c.Store.HasPIN(c.Ctx, l.ID); len(all) > 1 || hasPIN {
		return common.Place{Screen: common.ScreenLearners, LearnerID: l.ID}
	}
	c.Learner = l
	return m.resumePlace()
}

// resumePlace is the saved place of the current learner; show falls back to
// the dashboard if it no longer exists (a pack upgraded or removed since).
func (m *Model) resumePlace() common.Place {
	c := m.c
	var p common.Place
	raw, err := c.Store.ResumePoint(c.Ctx, c.Learner.ID)
	if err != nil || raw == "" || json.Unmarshal([]byte(raw), &p) != nil {
		return common.Place{Screen: common.ScreenDashboard}
	}
	return p
}

// exists reports whether everything a place names is in the installed packs.
func (m *Model) exists(p common.Place) bool {
	pack := m.c.Pack
	if p.PackID != "" {
		pack = m.c.PackByID(p.PackID)
	}
	if pack == nil {
		return false
	}
	mod := pack.Module(p.ModuleID)
	switch p.Screen {
	case common.ScreenModule:
		return mod != nil
	case common.ScreenReader:
		lmod, _ := pack.Lesson(p.LessonID)
		return lmod != nil
	case common.ScreenQuiz, common.ScreenResult:
		return mod != nil && mod.Quiz != nil
	}
	return true
}

// inPack are the screens that show something of one pack.
func inPack(s common.Screen) bool {
	switch s {
	case common.ScreenModule, common.ScreenReader, common.ScreenQuiz, common.ScreenResult, common.ScreenGlossary, common.ScreenSources:
		return true
	}
	return false
}

// show builds the screen for a place and remembers the place as the resume point.
func (m *Model) show(p common.Place) tea.Cmd {
	c := m.c
	if r, ok := m.screen.(*reader.Model); ok {
		_ = r.SavePosition()
	}
	if !m.exists(p) {
		p = common.Place{Screen: common.ScreenDashboard}
	}
	if inPack(p.Screen) {
		if pack := c.PackByID(p.PackID); pack != nil {
			c.Pack = pack
		}
		p.PackID = c.Pack.ID
	}
	var scr common.Component
	switch p.Screen {
	case common.ScreenProfile:
		var editing *store.Learner
		if l, err := c.Store.Learner(c.Ctx, p.LearnerID); p.LearnerID != "" && err == nil {
			editing = &l
		}
		scr = profile.New(c, editing)
	case common.ScreenLearners:
		scr = learners.New(c, p.LearnerID)
	case common.ScreenSettings:
		scr = settings.New(c)
	case common.ScreenSend:
		scr = send.New(c)
	case common.ScreenReport:
		scr = reportscreen.New(c)
	case common.ScreenGlossary, common.ScreenSources:
		if m.place.Screen != common.ScreenGlossary && m.place.Screen != common.ScreenSources {
			m.prev = m.place
		}
		if p.Screen == common.ScreenSources {
			scr = sources.New(c, p.Cite)
		} else {
			scr = glossary.New(c)
		}
	case common.ScreenModule:
		scr = module.New(c, c.Pack.Module(p.ModuleID), p.LessonID)
	case common.ScreenReader:
		mod, l := c.Pack.Lesson(p.LessonID)
		scr = reader.New(c, mod, l)
	case common.ScreenQuiz:
		scr = attempt.New(c, c.Pack.Module(p.ModuleID))
	case common.ScreenResult:
		scr = result.New(c, c.Pack.Module(p.ModuleID), p.AttemptID)
	default:
		p = common.Place{Screen: common.ScreenDashboard, PackID: p.PackID, ModuleID: p.ModuleID}
		scr = dashboard.New(c, p)
	}
	m.screen, m.place, m.status, m.showHelp = scr, p, "", false
	m.resize()
	cmd := scr.Init()
	if resumable(p.Screen) && c.Learner.ID != "" {
		if a, ok := scr.(*attempt.Model); ok {
			p.AttemptID = a.AttemptID()
		}
		raw, _ := json.Marshal(p)
		if err := c.Store.SaveResumePoint(c.Ctx, c.Learner.ID, string(raw)); err != nil {
			return tea.Batch(cmd, common.Fail(err))
		}
	}
	return cmd
}

// resumable screens are saved as the place to return to on the next start.
func resumable(s common.Screen) bool {
	switch s {
	case common.ScreenProfile, common.ScreenLearners, common.ScreenSettings, common.ScreenGlossary, common.ScreenSources, common.ScreenSend, common.ScreenReport:
		return false
	}
	return true
}

func (m *Model) resize() {
	if m.screen != nil && m.c.Width > 0 {
		m.screen.SetSize(m.c.Width, max(1, m.c.Height-frameHeight))
	}
	m.help.SetWidth(m.c.Width)
}

// Update routes messages: global keys here, everything else to the screen.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	c := m.c
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		c.Width, c.Height = msg.Width, msg.Height
		m.resize()
		return m, nil
	case common.GoMsg:
		return m, m.show(msg.To)
	case common.LearnerMsg:
		c.Learner = msg.Learner
		if err := c.Store.SetCurrentLearner(c.Ctx, msg.Learner.ID); err != nil {
			m.status = m.errorText(err)
		}
		return m, m.show(m.resumePlace())
	case common.BackMsg:
		return m, m.show(m.prev)
	case tea.BackgroundColorMsg:
		c.DarkBackground = msg.IsDark()
		return m, m.restyle()
	case common.SetLangMsg:
		return m, m.switchLanguage(msg.Lang)
	case common.SetThemeMsg:
		c.ThemeName = msg.Theme
		if err := c.Store.SetMeta(c.Ctx, "theme", msg.Theme); err != nil {
			m.status = m.errorText(err)
		}
		return m, m.restyle()
	case common.ErrMsg:
		m.status = m.errorText(msg.Err)
		return m, nil
	case tea.KeyPressMsg:
		if cmd, done := m.globalKey(msg); done {
			return m, cmd
		}
	}
	var cmd tea.Cmd
	m.screen, cmd = m.screen.Update(msg)
	return m, cmd
}

// globalKey handles the keys that work on every screen; done is false when
// the key belongs to the screen.
func (m *Model) globalKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.c.Keys
	if key.Matches(msg, k.ForceQuit) {
		return m.quit(), true
	}
	if m.confirmQuit {
		switch {
		case key.Matches(msg, k.Yes):
			return m.quit(), true
		case key.Matches(msg, k.No):
			m.confirmQuit = false
		}
		return nil, true
	}
	// ? is help on every screen, text boxes included: no answer, name or
	// PIN the app asks for has a question mark in it.
	if key.Matches(msg, k.Help) {
		m.showHelp = !m.showHelp
		return nil, true
	}
	if m.showHelp && key.Matches(msg, k.Back) {
		m.showHelp = false
		return nil, true
	}
	if te, ok := m.screen.(common.TextEntry); ok && te.TakingText() {
		return nil, false
	}
	switch {
	case key.Matches(msg, k.Quit):
		if a, inQuiz := m.screen.(*attempt.Model); inQuiz && a.InAttempt() {
			m.confirmQuit = true
			return nil, true
		}
		return m.quit(), true
	case key.Matches(msg, k.Lang):
		next := "en"
		if m.c.Lang() == "en" {
			next = "vi"
		}
		return m.switchLanguage(next), true
	}
	return nil, false
}

func (m *Model) switchLanguage(lang string) tea.Cmd {
	c := m.c
	c.Loc = locales.New(lang)
	c.Keys = common.NewKeyMap(c.Loc)
	if err := c.Store.SetMeta(c.Ctx, "lang", lang); err != nil {
		m.status = m.errorText(err)
	}
	return m.restyle()
}

// restyle applies a new language or theme to the frame and the screen.
func (m *Model) restyle() tea.Cmd {
	m.c.ApplyTheme()
	m.help.Styles = m.c.HelpStyles()
	var cmd tea.Cmd
	m.screen, cmd = m.screen.Update(common.RestyleMsg{})
	return cmd
}

func (m *Model) quit() tea.Cmd {
	if r, ok := m.screen.(*reader.Model); ok {
		_ = r.SavePosition()
	}
	return tea.Quit
}

// errorText says what went wrong in the learner's language; nothing they did is lost.
func (m *Model) errorText(err error) string {
	switch {
	case errors.Is(err, store.ErrAttemptClosed):
		return m.c.T("ErrorAttemptClosed")
	case errors.Is(err, store.ErrDiskFull):
		return m.c.T("ErrorDiskFull")
	case errors.Is(err, store.ErrScratch):
		return m.c.T("ErrorScratch", map[string]any{"Dir": os.TempDir()})
	}
	return m.c.T("ErrorGeneric", map[string]any{"Error": err.Error()})
}

// View draws the frame around the current screen.
func (m *Model) View() tea.View {
	v := tea.NewView(m.frame())
	v.AltScreen = true
	v.WindowTitle = "hocso"
	return v
}

func (m *Model) frame() string {
	c, s := m.c, m.c.Styles
	if c.Width == 0 {
		return ""
	}
	if c.Width < common.MinWidth || c.Height < common.MinHeight {
		return common.Wrap(c.T("TooSmall", map[string]any{
			"Width": c.Width, "Height": c.Height, "MinWidth": common.MinWidth, "MinHeight": common.MinHeight,
		}), max(10, c.Width))
	}
	status, statusLines := "", 1
	switch {
	case m.confirmQuit:
		status = s.Warn.Render(c.T("QuitConfirm"))
	case m.status != "":
		// An error says what to do at its end, so it is wrapped, not cut:
		// up to maxStatusLines lines, taken from the screen above it.
		lines := strings.Split(common.Wrap(m.status, c.Width), "\n")
		if len(lines) > maxStatusLines {
			lines = lines[:maxStatusLines]
			lines[maxStatusLines-1] = common.Truncate(lines[maxStatusLines-1]+" …", c.Width)
		}
		statusLines = len(lines)
		for i, l := range lines {
			lines[i] = s.Error.Render(l)
		}
		status = strings.Join(lines, "\n")
	}
	bodyHeight := c.Height - frameHeight - (statusLines - 1)
	var body string
	if m.showHelp {
		body = s.Title.Render(c.T("HelpTitle")) + "\n\n" + m.help.FullHelpView(m.screen.FullHelp())
	} else {
		body = m.screen.View()
	}
	body = fit(body, bodyHeight)

	helpLine := c.HelpBar(m.screen.ShortHelp(), c.Width)
	return m.header() + "\n\n" + body + "\n" + status + "\n" + helpLine
}

func (m *Model) header() string {
	c, s := m.c, m.c.Styles
	right := strings.ToUpper(c.Lang())
	if c.Learner.ID != "" {
		// Names come from the database, which another program may have written.
		right = common.Truncate(lessons.CleanLine(c.Learner.FullName), 30) + " · " + right
	}
	right = s.Subtle.Render(right)
	room := c.Width - lipgloss.Width(right) - 1
	crumbs := m.breadcrumb()
	// the place itself (the last part) matters most: leave out parts from
	// the front (the pack first) until it fits
	for len(crumbs) > 1 && lipgloss.Width("học số › "+strings.Join(crumbs, " › ")) > room {
		crumbs = crumbs[1:]
	}
	left := s.Header.Render("học số")
	if len(crumbs) > 0 {
		left += s.Subtle.Render(" › " + strings.Join(crumbs, " › "))
	}
	left = common.Truncate(left, room)
	gap := max(1, c.Width-lipgloss.Width(left)-lipgloss.Width(right))
	return left + strings.Repeat(" ", gap) + right
}

// breadcrumb names where the learner is: the pack, the module, the lesson or
// the quiz; each part is cut short so that the last one shows.
func (m *Model) breadcrumb() []string {
	c, p := m.c, m.place
	lang := c.Lang()
	// Each part gets a share of the header: whole titles on a wide screen,
	// never less than 28 columns each (the header drops front parts first).
	room := max(28, (c.Width-30)/3)
	short := func(s string) string { return common.Truncate(s, room) }
	switch p.Screen {
	case common.ScreenSettings:
		return []string{c.T("SettingsTitle")}
	case common.ScreenLearners:
		return []string{c.T("LearnersTitle")}
	case common.ScreenProfile:
		return nil // the form's title says it
	}
	if !inPack(p.Screen) || c.Pack == nil {
		return nil
	}
	crumbs := []string{short(c.Pack.Title.In(lang))}
	switch p.Screen {
	case common.ScreenGlossary:
		return append(crumbs, c.T("GlossaryTitle"))
	case common.ScreenSources:
		return append(crumbs, c.T("SourcesTitle"))
	}
	mod := c.Pack.Module(p.ModuleID)
	if mod == nil {
		return crumbs
	}
	crumbs = append(crumbs, short(mod.Title.In(lang)))
	switch p.Screen {
	case common.ScreenReader:
		if _, l := c.Pack.Lesson(p.LessonID); l != nil {
			crumbs = append(crumbs, short(l.Title.In(lang)))
		}
	case common.ScreenQuiz, common.ScreenResult:
		crumbs = append(crumbs, c.T("ModuleQuiz"))
	}
	return crumbs
}

// fit pads or cuts s to exactly h lines, so the frame never moves.
func fit(s string, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}
