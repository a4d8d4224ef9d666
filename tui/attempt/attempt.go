// Package attempt is the screen where a learner takes a quiz: one question at
// a time, every answer committed to the store the moment it is given.
package attempt

import (
	"errors"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"hocso/lessons"
	"hocso/quiz"
	"hocso/store"
	"hocso/tui/common"
)

type state int

const (
	answering   state = iota
	feedback          // showing whether the last answer was right (immediate feedback)
	confirming        // every question answered: submit?
	blocked           // no attempts left
	unavailable       // the attempt could not be read; the status line says why
)

// Model takes one attempt.
type Model struct {
	c      *common.Common
	mod    *lessons.Module
	z      *quiz.Quiz
	sit    *store.Sitting
	index  int
	in     input
	state  state
	last   float64 // score of the last answer, for feedback
	width  int
	height int
	now    time.Time
	err    error
}

type tickMsg time.Time

// New returns the quiz screen of mod; attemptID resumes that attempt when it is still open.
func New(c *common.Common, mod *lessons.Module) *Model {
	return &Model{c: c, mod: mod, z: mod.Quiz, now: c.Store.Now()}
}

// Init resumes the learner's open attempt, or starts one.
func (m *Model) Init() tea.Cmd {
	c := m.c
	sit, err := c.Store.SitQuiz(c.Ctx, c.Learner.ID, c.PackRef(), m.mod, c.Seed)
	if errors.Is(err, store.ErrNoAttemptsLeft) {
		m.state = blocked
		return nil
	}
	if err != nil {
		m.state = unavailable
		return common.Fail(err)
	}
	m.sit = sit
	m.open(sit.FirstUnanswered())
	return m.tick()
}

// AttemptID is the attempt on screen, for the resume point ("" when none).
func (m *Model) AttemptID() string {
	if m.sit == nil {
		return ""
	}
	return m.sit.Attempt.ID
}

// open shows question i, or the submit confirmation past the last one.
func (m *Model) open(i int) {
	qs := m.sit.Questions
	if i >= len(qs) {
		m.index, m.state, m.in = len(qs), confirming, nil
		return
	}
	m.index, m.state = i, answering
	var prev *quiz.Answer
	if a, ok := m.sit.Given(qs[i]); ok {
		prev = &a
	}
	m.in = newInput(m.c, m.z, qs[i], m.sit.Attempt.Seed, prev)
}

func (m *Model) tick() tea.Cmd {
	if m.z.TimeLimitMinutes <= 0 {
		return nil
	}
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// TakingText says whether typed letters belong to the answer.
func (m *Model) TakingText() bool { return m.state == answering && m.in != nil && m.in.takingText() }

// SetSize records the space the screen has.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Update answers, moves between questions and submits.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	k := m.c.Keys
	switch msg := msg.(type) {
	case tickMsg:
		m.now = m.c.Store.Now()
		if deadline, ok := m.deadline(); ok && !m.now.Before(deadline) {
			return m, m.submit()
		}
		return m, m.tick()
	case tea.KeyPressMsg:
		m.err = nil
		switch m.state {
		case blocked, unavailable:
			if key.Matches(msg, k.Back, k.Enter) {
				return m, common.Go(common.Place{Screen: common.ScreenModule, ModuleID: m.mod.ID, LessonID: common.QuizRow})
			}
		case feedback:
			if key.Matches(msg, k.Enter, k.NextQuestion) {
				m.open(m.nextIndex())
			}
		case confirming:
			switch {
			case key.Matches(msg, k.Enter, k.Submit):
				return m, m.submit()
			case key.Matches(msg, k.PrevQuestion, k.Back):
				m.open(len(m.sit.Questions) - 1)
			}
		case answering:
			return m, m.updateAnswering(msg)
		}
	}
	return m, nil
}

func (m *Model) updateAnswering(msg tea.KeyPressMsg) tea.Cmd {
	k := m.c.Keys
	switch {
	case key.Matches(msg, k.Enter):
		return m.record()
	case key.Matches(msg, k.Back):
		return common.Go(common.Place{Screen: common.ScreenModule, ModuleID: m.mod.ID, LessonID: common.QuizRow})
	case key.Matches(msg, k.PrevQuestion) && !m.in.takingText():
		if m.index > 0 {
			m.open(m.index - 1)
		}
		return nil
	case key.Matches(msg, k.NextQuestion) && !m.in.takingText():
		m.open(m.index + 1)
		return nil
	}
	_, cmd := m.in.update(msg)
	return cmd
}

// record grades the answer on screen and commits it before moving on; if
// that fails the answer stays on screen to try again.
func (m *Model) record() tea.Cmd {
	a, ok := m.in.answer()
	if !ok {
		return nil
	}
	score, err := m.sit.Answer(m.c.Ctx, m.sit.Questions[m.index], a)
	if errors.Is(err, store.ErrAttemptClosed) {
		return m.showResult()
	}
	if err != nil {
		m.err = err
		return common.Fail(err)
	}
	m.last = score
	if m.z.Feedback == quiz.FeedbackImmediate {
		m.state = feedback
		return nil
	}
	m.open(m.nextIndex())
	return nil
}

// nextIndex is the next unanswered question after the current one, wrapping
// round, or past the end when all are answered.
func (m *Model) nextIndex() int {
	qs := m.sit.Questions
	for d := 1; d <= len(qs); d++ {
		i := (m.index + d) % len(qs)
		if _, ok := m.sit.Answers[qs[i].ID]; !ok {
			return i
		}
	}
	return len(qs)
}

// submit closes the attempt and shows its result.
func (m *Model) submit() tea.Cmd {
	if _, err := m.sit.Submit(m.c.Ctx); err != nil {
		return common.Fail(err)
	}
	return m.showResult()
}

func (m *Model) showResult() tea.Cmd {
	return common.Go(common.Place{Screen: common.ScreenResult, ModuleID: m.mod.ID, AttemptID: m.sit.Attempt.ID})
}

// deadline is when a timed attempt ends; ok is false without a time limit
// or while there is no attempt on screen.
func (m *Model) deadline() (time.Time, bool) {
	if m.sit == nil {
		return time.Time{}, false
	}
	return m.sit.Deadline()
}

// ShortHelp lists the keys of the current state.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	switch m.state {
	case blocked, unavailable:
		return []key.Binding{k.Back}
	case feedback:
		return []key.Binding{k.Enter}
	case confirming:
		return []key.Binding{k.Submit, k.PrevQuestion}
	}
	keys := m.in.keys()
	if !m.in.takingText() {
		keys = append(keys, k.PrevQuestion, k.NextQuestion)
	}
	return append(keys, k.Back)
}

// FullHelp lists the keys in groups.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{m.ShortHelp(), {k.Lang, k.Help, k.Quit}}
}
