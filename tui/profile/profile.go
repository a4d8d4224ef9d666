// Package profile is the form where a learner creates or edits their profile.
package profile

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"hocso/lessons"
	"hocso/store"
	"hocso/tui/common"
)

const (
	fieldName = iota
	fieldStaff
	fieldUnit
	fieldPIN
	fieldPINAgain
	fieldCount
)

// Model is the profile form.
type Model struct {
	c       *common.Common
	editing *store.Learner // nil when creating
	inputs  [fieldCount]textinput.Model
	focus   int
	errs    [fieldCount]string // message ids of what is wrong with each field
	width   int
	// canGoBack is set when there is a learner list to go back to.
	canGoBack bool
}

// New returns the form: empty to create a learner, or filled with editing's profile.
func New(c *common.Common, editing *store.Learner) *Model {
	m := &Model{c: c, editing: editing}
	for i := range m.inputs {
		in := c.NewTextInput()
		in.CharLimit = 120
		m.inputs[i] = in
	}
	for _, f := range []int{fieldPIN, fieldPINAgain} {
		m.inputs[f].EchoMode = textinput.EchoPassword
		m.inputs[f].EchoCharacter = '•'
		m.inputs[f].CharLimit = 8
	}
	if editing != nil {
		m.inputs[fieldName].SetValue(lessons.CleanLine(editing.FullName))
		m.inputs[fieldStaff].SetValue(lessons.CleanLine(editing.StaffCode))
		m.inputs[fieldUnit].SetValue(lessons.CleanLine(editing.UnitPath))
	}
	ls, err := c.Store.DeviceLearners(c.Ctx)
	m.canGoBack = editing != nil || (err == nil && len(ls) > 0)
	m.setPlaceholders()
	m.inputs[fieldName].Focus()
	return m
}

// setPlaceholders does nothing but keep the boxes empty: the examples are
// shown under each label instead, so that without colour an example never
// reads as typed text.
func (m *Model) setPlaceholders() {
	for i := range m.inputs {
		m.inputs[i].Placeholder = ""
	}
}

// examples are the hint under each field's label.
func (m *Model) examples() [fieldCount]string {
	pin := m.c.T("ProfilePINPlaceholder")
	if m.editing != nil {
		pin = m.c.T("ProfilePINKeepOrRemove")
	}
	return [fieldCount]string{m.c.T("ProfileNamePlaceholder"), m.c.T("ProfileStaffPlaceholder"),
		m.c.T("ProfileUnitPlaceholder"), pin, m.c.T("ProfilePINAgainHint")}
}

// Init starts the cursor.
func (m *Model) Init() tea.Cmd { return textinput.Blink }

// TakingText is always true: every key is typing.
func (m *Model) TakingText() bool { return true }

// SetSize fits the inputs to the width.
func (m *Model) SetSize(w, h int) {
	m.width = w
	for i := range m.inputs {
		m.inputs[i].SetWidth(min(60, w-6))
	}
}

// Update handles typing, moving between fields and saving.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case common.RestyleMsg:
		m.setPlaceholders()
		return m, nil
	case tea.KeyPressMsg:
		k := m.c.Keys
		switch {
		case key.Matches(msg, k.Tab, k.Down):
			return m, m.move(1)
		case key.Matches(msg, k.ShiftTab, k.Up):
			return m, m.move(-1)
		case key.Matches(msg, k.Enter):
			if m.focus < fieldCount-1 {
				return m, m.move(1)
			}
			return m, m.save()
		case key.Matches(msg, k.Back):
			if m.canGoBack {
				return m, common.Go(common.Place{Screen: common.ScreenLearners})
			}
			return m, nil
		}
	}
	if k, ok := msg.(tea.KeyPressMsg); ok && m.focus >= fieldPIN && strings.IndexFunc(k.Text, notDigit) >= 0 {
		m.errs[m.focus] = "ProfilePINDigits" // a PIN is digits only: letters are not typed in
		return m, nil
	}
	var cmd tea.Cmd
	m.inputs[m.focus], cmd = m.inputs[m.focus].Update(msg)
	return m, cmd
}

func notDigit(r rune) bool { return r < '0' || r > '9' }

func (m *Model) move(d int) tea.Cmd {
	m.inputs[m.focus].Blur()
	m.focus = (m.focus + d + fieldCount) % fieldCount
	return m.inputs[m.focus].Focus()
}

func (m *Model) save() tea.Cmd {
	// What a person types (or pastes) is stored cleaned and in NFC, so that
	// the same name is the same bytes in reports and sync.
	p := store.ProfilePayload{
		FullName:  lessons.CleanLine(m.inputs[fieldName].Value()),
		StaffCode: lessons.CleanLine(m.inputs[fieldStaff].Value()),
		UnitPath:  NormalizeUnitPath(lessons.CleanLine(m.inputs[fieldUnit].Value())),
	}
	pin := m.inputs[fieldPIN].Value()
	m.errs = Validate(p)
	switch {
	case pin == RemovePIN && m.editing != nil:
	case !ValidPIN(pin):
		m.errs[fieldPIN] = "ProfilePINInvalid"
	case pin != m.inputs[fieldPINAgain].Value():
		m.errs[fieldPINAgain] = "ProfilePINMismatch"
		m.inputs[fieldPINAgain].Reset()
	}
	for i, e := range m.errs {
		if e != "" {
			m.inputs[m.focus].Blur()
			m.focus = i
			return m.inputs[i].Focus()
		}
	}
	c := m.c
	var l store.Learner
	var err error
	if m.editing == nil {
		l, err = c.Store.CreateLearner(c.Ctx, p)
	} else {
		l = *m.editing
		if p.FullName != l.FullName || p.StaffCode != l.StaffCode || p.UnitPath != l.UnitPath {
			if err = c.Store.SaveProfile(c.Ctx, l.ID, p); err == nil {
				l, err = c.Store.Learner(c.Ctx, l.ID)
			}
		}
	}
	switch {
	case err != nil:
	case pin == RemovePIN:
		// the picker asked for the old PIN before it opened this form
		err = c.Store.SetPIN(c.Ctx, l.ID, "")
	case pin != "":
		err = c.Store.SetPIN(c.Ctx, l.ID, pin)
	}
	if err != nil {
		return common.Fail(err)
	}
	return func() tea.Msg { return common.LearnerMsg{Learner: l} }
}

// RemovePIN typed as the new PIN of a profile being edited removes its PIN.
const RemovePIN = "0000"

// ValidPIN accepts no PIN, or 4 to 8 digits.
func ValidPIN(pin string) bool {
	if pin == "" {
		return true
	}
	if len(pin) < 4 || len(pin) > 8 {
		return false
	}
	return strings.IndexFunc(pin, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

// Validate returns, per field, the id of the message that says what is wrong
// ("" when fine). A unit path has two to six levels, from the province down,
// since reports group learners by any of them; p must be normalised first.
func Validate(p store.ProfilePayload) (errs [fieldCount]string) {
	if utf8.RuneCountInString(p.FullName) < 2 || strings.IndexFunc(p.FullName, unicode.IsLetter) < 0 {
		errs[fieldName] = "ProfileNameInvalid"
	}
	if len(p.StaffCode) > 30 || (p.StaffCode != "" && strings.IndexFunc(p.StaffCode, func(r rune) bool {
		return !(r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '.' || r == '_' || r == '/'))
	}) >= 0) {
		errs[fieldStaff] = "ProfileStaffInvalid"
	}
	levels := strings.Split(p.UnitPath, " / ")
	switch {
	case p.UnitPath == "":
		errs[fieldUnit] = "ProfileUnitInvalid"
	case len(levels) < 2 || len(levels) > 6:
		errs[fieldUnit] = "ProfileUnitLevels"
	default:
		for _, l := range levels {
			if utf8.RuneCountInString(l) > 100 || strings.IndexFunc(l, unicode.IsLetter) < 0 {
				errs[fieldUnit] = "ProfileUnitLevels"
			}
		}
	}
	return errs
}

// NormalizeUnitPath writes a unit path as "Level / Level / Level": levels
// separated by "/", trimmed, empty levels dropped.
func NormalizeUnitPath(s string) string {
	var parts []string
	for _, p := range strings.Split(s, "/") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " / ")
}

// View draws the form.
func (m *Model) View() string {
	s := m.c.Styles
	var b strings.Builder
	title := m.c.T("ProfileTitle")
	if m.editing != nil {
		title = m.c.T("ProfileEditTitle")
	}
	b.WriteString(s.Title.Render(title) + "\n")
	b.WriteString(s.Subtle.Render(common.Wrap(m.c.T("ProfileIntro"), m.width-2)) + "\n\n")
	labels := [fieldCount]string{m.c.T("ProfileName"), m.c.T("ProfileStaff"), m.c.T("ProfileUnit"), m.c.T("ProfilePIN"), m.c.T("ProfilePINAgain")}
	examples := m.examples()
	for i := range m.inputs {
		// the focused field is marked by "›" before its label and its box,
		// and the cursor: visible without colour
		label := "  " + labels[i]
		if i == m.focus {
			label = s.Selected.Render("› " + labels[i])
		} else {
			label = s.Label.Render(label)
		}
		m.inputs[i].Prompt = "  "
		if i == m.focus {
			m.inputs[i].Prompt = "› "
		}
		b.WriteString(common.Wrap(label+s.Subtle.Render(" — "+examples[i]), m.width-2) + "\n" + m.inputs[i].View() + "\n")
		if m.errs[i] != "" {
			b.WriteString(s.Error.Render("✗ "+m.c.T(m.errs[i])) + "\n")
		}
		if i < fieldPIN {
			b.WriteString("\n")
		}
	}
	b.WriteString(s.Subtle.Render(m.c.T("ProfileSaveHint")))
	return b.String()
}

// ShortHelp lists the form's keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	enter := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", m.c.T("KeyNextOrSave")))
	if m.canGoBack {
		return []key.Binding{enter, k.Tab, k.Back, k.Help}
	}
	return []key.Binding{enter, k.Tab, k.Help}
}

// FullHelp lists the form's keys in groups.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }
