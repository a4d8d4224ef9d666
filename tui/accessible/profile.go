package accessible

import (
	"strings"

	"hocso/store"
	"hocso/tui/profile"
)

// The fields in the order profile.Validate reports them.
const (
	fieldName = iota
	fieldStaff
	fieldUnit
)

// createProfile asks for each field in turn, with the checks of the TUI's
// form, says what is wrong in words and asks again until the field is right;
// then for an optional PIN.
func (s *session) createProfile() error {
	c := s.c
	s.say("", c.T("ProfileTitle"), c.T("ProfileIntro"))
	var p store.ProfilePayload
	fields := []struct {
		index          int
		label, example string
		set            func(string)
	}{
		{fieldName, "ProfileName", "ProfileNamePlaceholder", func(v string) { p.FullName = strings.Join(strings.Fields(v), " ") }},
		{fieldStaff, "ProfileStaff", "ProfileStaffPlaceholder", func(v string) { p.StaffCode = v }},
		{fieldUnit, "ProfileUnit", "ProfileUnitPlaceholder", func(v string) { p.UnitPath = profile.NormalizeUnitPath(v) }},
	}
	for _, f := range fields {
		s.say("", c.T(f.label), c.T(f.example))
		for {
			v, err := s.ask(c.T(f.label) + ":")
			if err != nil {
				return err
			}
			f.set(v)
			problem := profile.Validate(p)[f.index]
			if problem == "" {
				break
			}
			s.say(c.T(problem))
		}
	}
	pin, err := s.askPIN()
	if err != nil {
		return err
	}
	l, err := c.Store.CreateLearner(s.ctx, p)
	if err != nil {
		return s.stopped(err)
	}
	s.useLearner(l)
	if pin != "" {
		if err := c.Store.SetPIN(s.ctx, l.ID, pin); err != nil {
			s.fail(err)
		}
	}
	s.say(c.T("AccessibleProfileSaved", map[string]any{"Name": l.FullName}))
	return nil
}

// askPIN asks for the optional PIN that guards the profile on a shared PC.
func (s *session) askPIN() (string, error) {
	c := s.c
	s.say("", c.T("ProfilePIN"), c.T("ProfilePINPlaceholder"))
	for {
		pin, err := s.askSecret(c.T("ProfilePIN") + ":")
		if err != nil {
			return "", err
		}
		if !profile.ValidPIN(pin) {
			s.say(c.T("ProfilePINInvalid"))
			continue
		}
		if pin == "" {
			return "", nil
		}
		again, err := s.askSecret(c.T("ProfilePINAgain") + ":")
		if err != nil {
			return "", err
		}
		if again == pin {
			return pin, nil
		}
		s.say(c.T("ProfilePINMismatch"))
	}
}
