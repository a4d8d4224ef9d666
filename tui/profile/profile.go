// Package profile is the screen where a learner creates their profile.
package profile

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"hocso/store"
	"hocso/tui/common"
)

const (
	fieldName = iota
	fieldStaff
	fieldUnit
	fieldCount
)

// Model is the profile form.
type Model struct {
	c      *common.Common
	inputs [fieldCount]textinput.Model
	focus  int
	errs   [fieldCount]string // message ids of what is wrong with each field
	width  int
}

// New returns an empty form.
func New(c *common.Common) *Model {
	m := &Model{c: c}
	for i := range m.inputs {
		in := textinput.New()
		in.Prompt = "› "
		in.CharLimit = 120
		m.inputs[i] = in
	}
	m.setPlaceholders()
	m.inputs[fieldName].Focus()
	return m
}

func (m *Model) setPlaceholders() {
	m.inputs[fieldName].Placeholder = m.c.T("ProfileNamePlaceholder")
	m.inputs[fieldStaff].Placeholder = m.c.T("ProfileStaffPlaceholder")
	m.inputs[fieldUnit].Placeholder = m.c.T("ProfileUnitPlaceholder")
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
	case common.LangMsg:
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
		}
	}
	var cmd tea.Cmd
	m.inputs[m.focus], cmd = m.inputs[m.focus].Update(msg)
	return m, cmd
}

func (m *Model) move(d int) tea.Cmd {
	m.inputs[m.focus].Blur()
	m.focus = (m.focus + d + fieldCount) % fieldCount
	return m.inputs[m.focus].Focus()
}

func (m *Model) save() tea.Cmd {
	p := store.ProfilePayload{
		FullName:  strings.Join(strings.Fields(m.inputs[fieldName].Value()), " "),
		StaffCode: strings.TrimSpace(m.inputs[fieldStaff].Value()),
		UnitPath:  NormalizeUnitPath(m.inputs[fieldUnit].Value()),
	}
	m.errs = Validate(p)
	for i, e := range m.errs {
		if e != "" {
			m.inputs[m.focus].Blur()
			m.focus = i
			return m.inputs[i].Focus()
		}
	}
	l, err := m.c.Store.CreateLearner(m.c.Ctx, p)
	if err != nil {
		return common.Fail(err)
	}
	return func() tea.Msg { return common.LearnerMsg{Learner: l} }
}

// Validate returns, per field, the id of the message that says what is wrong ("" when fine).
func Validate(p store.ProfilePayload) (errs [fieldCount]string) {
	if utf8.RuneCountInString(p.FullName) < 2 || strings.IndexFunc(p.FullName, unicode.IsLetter) < 0 {
		errs[fieldName] = "ProfileNameInvalid"
	}
	if p.StaffCode != "" && strings.IndexFunc(p.StaffCode, func(r rune) bool {
		return !(r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '.' || r == '_' || r == '/'))
	}) >= 0 {
		errs[fieldStaff] = "ProfileStaffInvalid"
	}
	if p.UnitPath == "" {
		errs[fieldUnit] = "ProfileUnitInvalid"
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
	b.WriteString(s.Title.Render(m.c.T("ProfileTitle")) + "\n")
	b.WriteString(s.Subtle.Render(common.Wrap(m.c.T("ProfileIntro"), m.width-2)) + "\n\n")
	labels := [fieldCount]string{m.c.T("ProfileName"), m.c.T("ProfileStaff"), m.c.T("ProfileUnit")}
	for i := range m.inputs {
		label := labels[i]
		if i == m.focus {
			label = s.Selected.Render(label)
		} else {
			label = s.Label.Render(label)
		}
		b.WriteString(label + "\n" + m.inputs[i].View() + "\n")
		if m.errs[i] != "" {
			b.WriteString(s.Error.Render("✗ "+m.c.T(m.errs[i])) + "\n")
		}
		b.WriteString("\n")
	}
	b.WriteString(s.Subtle.Render(m.c.T("ProfileSaveHint")))
	return b.String()
}

// ShortHelp lists the form's keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	return []key.Binding{k.Tab, k.Enter}
}

// FullHelp lists the form's keys in groups.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }
