package common

import (
	tea "charm.land/bubbletea/v2"

	"hocso/store"
)

// Screen names a screen the root can show.
type Screen string

// The screens.
const (
	ScreenProfile   Screen = "profile"
	ScreenDashboard Screen = "dashboard"
	ScreenModule    Screen = "module"
	ScreenReader    Screen = "reader"
	ScreenQuiz      Screen = "quiz"
	ScreenResult    Screen = "result"
	ScreenSettings  Screen = "settings"
	ScreenGlossary  Screen = "glossary"
	ScreenLearners  Screen = "learners"
	ScreenSources   Screen = "sources"
)

// QuizRow is the LessonID of a module place whose quiz row is selected.
const QuizRow = "quiz"

// Place is where the learner is: a screen and what it shows. Saved as the
// resume point, so it must be plain data. On the dashboard and the module
// screen, ModuleID and LessonID name the selected row.
type Place struct {
	Screen    Screen `json:"screen"`
	PackID    string `json:"pack_id,omitempty"`
	ModuleID  string `json:"module_id,omitempty"`
	LessonID  string `json:"lesson_id,omitempty"`
	AttemptID string `json:"attempt_id,omitempty"`
	// LearnerID is the profile the profile form edits ("" creates one), or
	// the one the learner picker selects.
	LearnerID string `json:"learner_id,omitempty"`
	// Cite lists the source ids the screen that opened the sources cites
	// ("S1,S7"); they are shown first.
	Cite string `json:"cite,omitempty"`
}

// GoMsg asks the root to show a place.
type GoMsg struct{ To Place }

// Go returns a command that shows a place.
func Go(p Place) tea.Cmd { return func() tea.Msg { return GoMsg{To: p} } }

// BackMsg asks the root to go back to the previous screen.
type BackMsg struct{}

// Back is a command for BackMsg.
func Back() tea.Msg { return BackMsg{} }

// LearnerMsg says a learner was created or chosen.
type LearnerMsg struct{ Learner store.Learner }

// ErrMsg carries an error to show on the status line; nothing is lost when
// it appears, the screen stays as it was.
type ErrMsg struct{ Err error }

// Fail returns a command carrying err.
func Fail(err error) tea.Cmd { return func() tea.Msg { return ErrMsg{Err: err} } }

// RestyleMsg says the language or the theme changed; screens lay out again
// what they cached.
type RestyleMsg struct{}

// SetLangMsg asks the root to switch the UI language.
type SetLangMsg struct{ Lang string }

// SetThemeMsg asks the root to switch the theme.
type SetThemeMsg struct{ Theme string }
