// Package accessible is hocso's mode for screen readers: the whole learner
// path of the TUI as plain lines printed one after another, with numbered
// choices and answers read a line at a time. Nothing is redrawn, nothing
// moves the cursor, and no colour, box or escape sequence is ever written, so
// a screen reader or a braille display reads exactly what a sighted learner
// sees.
package accessible

import (
	"context"
	"encoding/json"
	"errors"
	"io"

	"hocso/lessons"
	"hocso/store"
	"hocso/tui/common"
)

// errStop ends the session: the input reached its end or the context was
// cancelled (Ctrl+C). Every answer is committed when given, so nothing is
// lost by stopping anywhere.
var errStop = errors.New("session stopped")

// session is one run of the accessible mode.
type session struct {
	c     *common.Common
	ctx   context.Context
	in    *lineReader
	rawIn io.Reader // for reading a PIN without echo
	out   io.Writer
	err   error // the first failed write: the output is gone, so is the session

	// unsaved counts what the learner was told was not saved, so that the
	// last line never says everything was saved when it was not.
	unsaved int
}

// Run takes the learner through profile, modules, lessons and quizzes,
// reading answers from in and writing plain text to out. It returns nil when
// in ends or c.Ctx is cancelled; c must hold the store, the localizer and
// the installed packs (or just Pack).
func Run(c *common.Common, in io.Reader, out io.Writer) error {
	ctx := c.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	if len(c.Packs) == 0 && c.Pack != nil {
		c.Packs = []common.PackEntry{{Pack: c.Pack, Builtin: true, Trusted: true}}
	}
	if len(c.Packs) == 0 {
		return errors.New("accessible mode: no lesson pack")
	}
	if c.Pack == nil {
		c.Pack = c.Packs[0].Pack
	}
	s := &session{c: c, ctx: ctx, in: newLineReader(in), rawIn: in, out: out}
	err := s.run()
	if errors.Is(err, errStop) {
		if s.unsaved > 0 {
			s.say("", c.Loc.N("AccessibleByeUnsaved", s.unsaved))
		} else {
			s.say("", c.T("AccessibleBye"))
		}
		err = nil
	}
	if err == nil {
		err = s.err
	}
	return err
}

func (s *session) run() error {
	s.say(s.c.T("AccessibleIntro"))
	if err := s.startLearner(); err != nil {
		return err
	}
	if err := s.resume(); err != nil {
		return err
	}
	return s.home()
}

// resume returns to the module, lesson or open quiz the learner was in last
// time, in this mode or in the TUI: both save the same resume point.
func (s *session) resume() error {
	c := s.c
	raw, err := c.Store.ResumePoint(s.ctx, c.Learner.ID)
	if err != nil || raw == "" {
		return nil
	}
	var p common.Place
	if json.Unmarshal([]byte(raw), &p) != nil {
		return nil
	}
	pack := c.PackByID(p.PackID)
	if p.PackID == "" {
		pack = c.Packs[0].Pack // saved before places named their pack
	}
	if pack == nil || pack.Module(p.ModuleID) == nil {
		return nil
	}
	mod := pack.Module(p.ModuleID)
	switch p.Screen {
	case common.ScreenModule, common.ScreenResult:
		return s.module(pack, mod, "")
	case common.ScreenReader:
		if m, _ := pack.Lesson(p.LessonID); m == mod {
			return s.module(pack, mod, p.LessonID)
		}
		return s.module(pack, mod, "")
	case common.ScreenQuiz:
		// Only an attempt already open is resumed: starting a new one is the
		// learner's choice, never a side effect of starting the program.
		if mod.Quiz != nil {
			if open, err := c.Store.OpenAttempt(s.ctx, c.Learner.ID, pack.ID, mod.Quiz.ID); err == nil && open != nil {
				return s.module(pack, mod, common.QuizRow)
			}
		}
		return s.module(pack, mod, "")
	}
	return nil
}

// savePlace remembers where the learner is, for the next start. A failure
// only loses that convenience, so it is not reported.
func (s *session) savePlace(p common.Place) {
	c := s.c
	if p.Screen != common.ScreenDashboard {
		p.PackID = c.Pack.ID
	}
	raw, _ := json.Marshal(p)
	_ = c.Store.SaveResumePoint(s.ctx, c.Learner.ID, string(raw))
}

// fail says what went wrong in the learner's language; what was saved stays
// saved, and what was not is counted for the last line.
func (s *session) fail(err error) {
	if errors.Is(err, store.ErrAttemptClosed) {
		s.say(s.c.T("ErrorAttemptClosed"))
		return
	}
	s.unsaved++
	if errors.Is(err, store.ErrDiskFull) {
		s.say(s.c.T("ErrorDiskFull"))
		return
	}
	s.say(s.c.T("ErrorGeneric", map[string]any{"Error": err.Error()}))
}

// stopped turns a store error caused by the context's cancellation into errStop.
func (s *session) stopped(err error) error {
	if s.ctx.Err() != nil {
		return errStop
	}
	return err
}

// lessonState is a learner's progress in every lesson of a pack they
// opened, by lesson id.
func (s *session) lessonState(packID string) map[string]store.LessonState {
	c := s.c
	done, err := c.Store.Lessons(s.ctx, c.Learner.ID, packID)
	if err != nil {
		return map[string]store.LessonState{}
	}
	return done
}

func lessonDone(done map[string]store.LessonState, l *lessons.Lesson) bool {
	st, ok := done[l.ID]
	return ok && st.CompletedAt != nil
}
