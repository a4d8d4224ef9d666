// Package learners is the profile picker of a shared PC: choose who is
// learning, create a profile, or edit one; a profile's PIN is asked first.
package learners

import (
	"errors"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"hocso/lessons"
	"hocso/store"
	"hocso/tui/common"
)

type intent int

const (
	choosing      intent = iota
	openPIN              // PIN before opening the profile
	editPIN              // PIN before editing it
	deletePIN            // PIN before removing it from this PC
	confirmDelete        // removing it: yes or no
)

// Model is the picker.
type Model struct {
	c        *common.Common
	learners []store.Learner
	hasPIN   map[string]bool
	cursor   int
	intent   intent
	pin      textinput.Model
	problem  string // what is wrong, in the learner's language
	selected string
	// lockedTo is when the stored lockout after wrong PINs ends: until then
	// nothing is typed, so the PIN typed after the wait is exactly the PIN.
	lockedTo time.Time
}

// New returns the picker with a learner selected: selected, else the current one.
func New(c *common.Common, selected string) *Model {
	pin := c.NewTextInput()
	pin.EchoMode = textinput.EchoPassword
	pin.EchoCharacter = '•'
	pin.CharLimit = 8
	if selected == "" {
		selected = c.Learner.ID
	}
	return &Model{c: c, pin: pin, hasPIN: map[string]bool{}, selected: selected}
}

// Init reads the learners of this device.
func (m *Model) Init() tea.Cmd {
	c := m.c
	ls, err := c.Store.DeviceLearners(c.Ctx)
	if err != nil {
		return common.Fail(err)
	}
	m.learners = ls
	for i, l := range ls {
		if has, err := c.Store.HasPIN(c.Ctx, l.ID); err == nil {
			m.hasPIN[l.ID] = has
		}
		if l.ID == m.selected {
			m.cursor = i
		}
	}
	return nil
}

// TakingText is true while a PIN is typed.
func (m *Model) TakingText() bool { return m.intent != choosing && m.intent != confirmDelete }

// SetSize does nothing: the list is short.
func (m *Model) SetSize(w, h int) {}

// Update moves, opens, edits and checks PINs.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	k := m.c.Keys
	key, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	if m.intent == confirmDelete {
		return m, m.updateConfirm(key)
	}
	if m.intent != choosing {
		return m, m.updatePIN(key)
	}
	m.problem = ""
	switch {
	case keyMatches(key, k.Up):
		m.cursor = max(0, m.cursor-1)
	case keyMatches(key, k.Down):
		m.cursor = min(len(m.learners), m.cursor+1)
	case keyMatches(key, k.Enter):
		if m.cursor == len(m.learners) {
			return m, common.Go(common.Place{Screen: common.ScreenProfile})
		}
		return m, m.ask(openPIN)
	case keyMatches(key, k.Edit) && m.cursor < len(m.learners):
		return m, m.ask(editPIN)
	case keyMatches(key, k.Delete) && m.cursor < len(m.learners):
		return m, m.ask(deletePIN)
	case keyMatches(key, k.Back) && m.c.Learner.ID != "":
		return m, common.Go(common.Place{Screen: common.ScreenDashboard})
	}
	return m, nil
}

func keyMatches(msg tea.KeyPressMsg, b key.Binding) bool { return key.Matches(msg, b) }

// ask asks for the selected learner's PIN, or goes straight on without one.
func (m *Model) ask(i intent) tea.Cmd {
	if !m.hasPIN[m.learners[m.cursor].ID] {
		return m.proceed(i)
	}
	m.intent = i
	m.pin.Reset()
	return m.pin.Focus()
}

func (m *Model) proceed(i intent) tea.Cmd {
	l := m.learners[m.cursor]
	if i == deletePIN {
		m.intent = confirmDelete
		return nil
	}
	if i == editPIN {
		return common.Go(common.Place{Screen: common.ScreenProfile, LearnerID: l.ID})
	}
	return func() tea.Msg { return common.LearnerMsg{Learner: l} }
}

func (m *Model) updatePIN(msg tea.KeyPressMsg) tea.Cmd {
	k := m.c.Keys
	switch {
	case key.Matches(msg, k.Back):
		m.intent, m.problem = choosing, ""
		return nil
	case m.c.Store.Now().Before(m.lockedTo):
		m.pin.Reset()
		return nil
	case key.Matches(msg, k.Enter):
		// Wrong tries and the lockout they cause are kept in the database.
		ok, err := m.c.Store.CheckPIN(m.c.Ctx, m.learners[m.cursor].ID, m.pin.Value())
		if !ok {
			m.problem = common.PINRefusal(m.c, err)
			var locked *store.PINLockedError
			if errors.As(err, &locked) {
				m.lockedTo = m.c.Store.Now().Add(locked.Wait)
			}
			m.pin.Reset()
			return nil
		}
		i := m.intent
		m.intent, m.problem = choosing, ""
		return m.proceed(i)
	}
	if strings.IndexFunc(msg.Text, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return nil // a PIN is digits only
	}
	m.problem = ""
	var cmd tea.Cmd
	m.pin, cmd = m.pin.Update(msg)
	return cmd
}

// updateConfirm removes the selected profile from this PC on yes.
func (m *Model) updateConfirm(msg tea.KeyPressMsg) tea.Cmd {
	k := m.c.Keys
	switch {
	case key.Matches(msg, k.Yes):
		c := m.c
		l := m.learners[m.cursor]
		m.intent = choosing
		if err := c.Store.HideLearner(c.Ctx, l.ID); err != nil {
			return common.Fail(err)
		}
		if c.Learner.ID == l.ID {
			c.Learner = store.Learner{}
		}
		m.selected = ""
		m.cursor = 0
		return m.Init()
	case key.Matches(msg, k.No):
		m.intent = choosing
	}
	return nil
}

// View lists the learners, or asks for a PIN.
func (m *Model) View() string {
	c, s := m.c, m.c.Styles
	var b strings.Builder
	b.WriteString(s.Title.Render(c.T("LearnersTitle")) + "\n")
	b.WriteString(s.Subtle.Render(c.T("LearnersIntro")) + "\n\n")
	for i, l := range m.learners {
		name := lessons.CleanLine(l.FullName) // from the database: cleaned where it is shown
		row := name
		if unit := lessons.CleanLine(l.UnitPath); unit != "" {
			row += s.Subtle.Render(" · " + unit)
		}
		if m.hasPIN[l.ID] {
			row += s.Subtle.Render(" · " + c.T("LearnersHasPIN"))
		}
		if i == m.cursor {
			row = s.Selected.Render(name) + strings.TrimPrefix(row, name)
		}
		b.WriteString(c.Cursor(i == m.cursor) + common.Truncate(row, c.Width-4) + "\n")
	}
	add := "+ " + c.T("LearnersNew")
	if m.cursor == len(m.learners) {
		add = s.Selected.Render(add)
	}
	b.WriteString(c.Cursor(m.cursor == len(m.learners)) + add + "\n")
	switch m.intent {
	case choosing:
	case confirmDelete:
		b.WriteString("\n" + s.Warn.Render(common.Wrap("⚠ "+c.T("LearnerDeleteConfirm", map[string]any{"Name": lessons.CleanLine(m.learners[m.cursor].FullName)}), c.Width-2)) + "\n")
	default:
		b.WriteString("\n" + s.Label.Render(c.T("PINPrompt", map[string]any{"Name": lessons.CleanLine(m.learners[m.cursor].FullName)})) + "\n")
		b.WriteString(m.pin.View() + "\n")
	}
	if m.problem != "" {
		b.WriteString("\n" + s.Error.Render("✗ "+m.problem))
	}
	return strings.TrimRight(b.String(), "\n")
}

// ShortHelp lists the picker keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	switch m.intent {
	case confirmDelete:
		return []key.Binding{k.Yes, k.No}
	case choosing:
	default:
		return []key.Binding{k.Enter, k.Back}
	}
	keys := []key.Binding{k.Enter, k.Up, k.Down, k.Edit, k.Delete}
	if m.c.Learner.ID != "" {
		keys = append(keys, k.Back)
	}
	return append(keys, k.Help, k.Quit)
}

// FullHelp lists the picker keys in groups.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Up, k.Down, k.Enter, k.Edit, k.Delete, k.Back}, {k.Lang, k.Help, k.Quit}}
}
