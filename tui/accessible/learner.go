package accessible

import (
	"strings"

	"hocso/lessons"
	"hocso/store"
	"hocso/tui/common"
)

// startLearner settles who is learning, as the TUI does on start: the only
// profile of this PC opens at once unless it has a PIN; with several, or a
// PIN, the learner picks their profile first; with none, they create one.
func (s *session) startLearner() error {
	c := s.c
	all, err := c.Store.DeviceLearners(s.ctx)
	if err != nil {
		return s.stopped(err)
	}
	if len(all) == 0 {
		return s.createProfile()
	}
	id, _ := c.Store.CurrentLearner(s.ctx)
	l, err := c.Store.Learner(s.ctx, id)
	if err == nil && len(all) == 1 {
		if hasPIN, err := c.Store.HasPIN(s.ctx, l.ID); err == nil && !hasPIN {
			c.Learner = l
			s.say(c.T("AccessibleWelcome", map[string]any{"Name": lessons.CleanLine(l.FullName)}))
			return nil
		}
	}
	_, err = s.pickLearner()
	return err
}

// pickLearner lists the profiles of this PC and opens the one chosen, after
// its PIN; or creates a new one. picked is false when the learner went back
// (possible only when someone is already learning).
func (s *session) pickLearner() (picked bool, err error) {
	c := s.c
	for {
		all, err := c.Store.DeviceLearners(s.ctx)
		if err != nil {
			return false, s.stopped(err)
		}
		var items []string
		for _, l := range all {
			var parts []string
			if l.UnitPath != "" {
				parts = append(parts, lessons.CleanLine(l.UnitPath))
			}
			if has, _ := c.Store.HasPIN(s.ctx, l.ID); has {
				parts = append(parts, c.T("LearnersHasPIN"))
			}
			if len(parts) == 0 {
				items = append(items, lessons.CleanLine(l.FullName))
				continue
			}
			items = append(items, s.item(lessons.CleanLine(l.FullName), strings.Join(parts, ", ")))
		}
		items = append(items, c.T("LearnersNew"))
		if c.Learner.ID != "" {
			items = append(items, c.T("AccessibleBackToModules"))
		}
		s.say("", c.T("LearnersTitle"), c.T("LearnersIntro"))
		i, err := s.choose("", items)
		if err != nil {
			return false, err
		}
		switch {
		case i == len(all):
			return true, s.createProfile()
		case i > len(all):
			return false, nil
		}
		ok, err := s.checkPIN(all[i])
		if err != nil {
			return false, err
		}
		if ok {
			s.useLearner(all[i])
			s.say(c.T("AccessibleWelcome", map[string]any{"Name": lessons.CleanLine(all[i].FullName)}))
			return true, nil
		}
	}
}

// checkPIN asks for l's PIN until it is right; an empty answer goes back to
// the list (ok false). A learner without a PIN passes at once.
func (s *session) checkPIN(l store.Learner) (ok bool, err error) {
	c := s.c
	if has, err := c.Store.HasPIN(s.ctx, l.ID); err != nil || !has {
		return err == nil, s.stopped(err)
	}
	for {
		pin, err := s.askSecret(c.T("PINPrompt", map[string]any{"Name": lessons.CleanLine(l.FullName)}))
		if err != nil || pin == "" {
			return false, err
		}
		// Wrong tries and the lockout they cause are kept in the database,
		// shared with the TUI and surviving a restart.
		ok, err := c.Store.CheckPIN(s.ctx, l.ID, pin)
		if ok {
			return true, nil
		}
		if s.ctx.Err() != nil {
			return false, errStop
		}
		s.say(common.PINRefusal(c, err))
	}
}

// useLearner makes l the learner of this session and of this PC.
func (s *session) useLearner(l store.Learner) {
	c := s.c
	c.Learner = l
	if err := c.Store.SetCurrentLearner(s.ctx, l.ID); err != nil {
		s.fail(err)
	}
}
