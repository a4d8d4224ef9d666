// Package attempt is the screen of a module's quiz: a start screen with the
// rules and the learner's attempts, then one question at a time, every
// answer committed to the store the moment it is given, and a submit
// confirmation that lists what is not answered.
//
// One focus rule holds on every question: ←/→ and Tab/Shift+Tab move between
// questions, Enter saves the answer, Esc leaves the quiz, ? shows the help.
// In a short-answer box letters (q and L too) are typed into the answer; in a
// number box, which takes only numbers, they keep their global meaning.
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
	intro       state = iota // the start screen: rules, attempts, review
	answering                // a question on screen
	feedback                 // whether the last answer was right (immediate feedback)
	confirming               // submit? with the unanswered questions listed
	unavailable              // the attempts could not be read; the status line says why
)

// Model takes one attempt.
type Model struct {
	c        *common.Common
	mod      *lessons.Module
	z        *quiz.Quiz
	standing store.QuizStanding
	sit      *store.Sitting
	state    state
	cursor   int // the selected row of the start screen or the confirmation
	index    int
	in       input
	warn     string  // message id: why Enter saved nothing
	last     float64 // score of the last answer, for feedback
	width    int
	height   int
	now      time.Time
	err      error
}

type tickMsg time.Time

// New returns the quiz screen of mod.
func New(c *common.Common, mod *lessons.Module) *Model {
	return &Model{c: c, mod: mod, z: mod.Quiz, now: c.Store.Now()}
}

// Init reads the learner's attempts. An open attempt is resumed at once (the
// learner chose to start it); otherwise the start screen waits for a choice,
// so looking at a quiz starts nothing.
func (m *Model) Init() tea.Cmd {
	if err := m.readStanding(); err != nil {
		m.state = unavailable
		return common.Fail(err)
	}
	if m.standing.Open != nil {
		return m.begin()
	}
	m.state = intro
	return nil
}

func (m *Model) readStanding() error {
	c := m.c
	st, err := c.Store.QuizStanding(c.Ctx, c.Learner.ID, c.Pack.ID, m.z)
	if err == nil {
		m.standing = st
	}
	return err
}

// begin resumes the open attempt or plans a new one (store.SitQuiz, the one
// place attempts start) and shows its first unanswered question.
func (m *Model) begin() tea.Cmd {
	c := m.c
	if m.sit == nil {
		sit, err := c.Store.SitQuiz(c.Ctx, c.Learner.ID, c.PackRef(), m.mod, c.Seed)
		if err != nil {
			m.state = intro
			return common.Fail(err)
		}
		m.sit = sit
	}
	m.open(m.sit.FirstUnanswered())
	return m.tick()
}

// AttemptID is the attempt on screen, for the resume point ("" when none).
func (m *Model) AttemptID() string {
	if m.sit == nil {
		return ""
	}
	return m.sit.Attempt.ID
}

// InAttempt reports whether an attempt is on screen (quitting asks first).
func (m *Model) InAttempt() bool { return m.state != intro && m.state != unavailable }

// open shows question i, or the submit confirmation past the last one.
func (m *Model) open(i int) {
	qs := m.sit.Questions
	m.warn = ""
	if i >= len(qs) {
		m.index, m.state, m.in, m.cursor = len(qs), confirming, nil, 0
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
	switch msg := msg.(type) {
	case tickMsg:
		m.now = m.c.Store.Now()
		if deadline, ok := m.deadline(); ok && !m.now.Before(deadline) && m.sit.Started() {
			if err := m.keep(); err != nil && !errors.Is(err, store.ErrAttemptClosed) {
				return m, m.failed(err)
			}
			return m, m.submit()
		}
		return m, m.tick()
	case tea.KeyPressMsg:
		m.err = nil
		switch m.state {
		case intro:
			return m, m.updateIntro(msg)
		case unavailable:
			if key.Matches(msg, m.c.Keys.Back, m.c.Keys.Enter) {
				return m, m.toModule()
			}
		case feedback:
			switch {
			case key.Matches(msg, m.c.Keys.Enter, m.c.Keys.NextQuestion):
				m.open(m.nextIndex())
			case key.Matches(msg, m.c.Keys.Sources) && len(m.c.Pack.Sources) > 0:
				q := m.sit.Questions[m.index]
				return m, common.Go(common.Place{Screen: common.ScreenSources, Cite: m.c.Cited(q.Explanation.In(m.c.Lang()))})
			}
		case confirming:
			return m, m.updateConfirm(msg)
		case answering:
			return m, m.updateAnswering(msg)
		}
	}
	return m, nil
}

func (m *Model) toModule() tea.Cmd {
	return common.Go(common.Place{Screen: common.ScreenModule, ModuleID: m.mod.ID, LessonID: common.QuizRow})
}

// leave goes back to the start screen; every answer is already saved.
func (m *Model) leave() tea.Cmd {
	m.state, m.cursor, m.in = intro, 0, nil
	if err := m.readStanding(); err != nil {
		return common.Fail(err)
	}
	return nil
}

func (m *Model) updateAnswering(msg tea.KeyPressMsg) tea.Cmd {
	k := m.c.Keys
	switch {
	case key.Matches(msg, k.Enter):
		return m.record()
	case key.Matches(msg, k.Back):
		if err := m.keep(); err != nil {
			return m.failed(err)
		}
		return m.leave()
	case key.Matches(msg, k.PrevQuestion):
		if m.index > 0 {
			if err := m.keep(); err != nil {
				return m.failed(err)
			}
			m.open(m.index - 1)
		}
		return nil
	case key.Matches(msg, k.NextQuestion):
		if err := m.keep(); err != nil {
			return m.failed(err)
		}
		m.open(m.index + 1)
		return nil
	}
	used, cmd := m.in.update(msg)
	if used {
		m.warn = ""
	}
	return cmd
}

// keep saves the answer on screen when the learner moves away from the
// question without pressing Enter: what was typed or chosen is not lost by
// going to another question, leaving the quiz or running out of time. An
// answer that is not complete, or is the one already saved, is left alone.
func (m *Model) keep() error {
	if m.state != answering || m.in == nil || m.index >= len(m.sit.Questions) {
		return nil
	}
	a, problem := m.in.answer()
	if problem != "" {
		return nil
	}
	q := m.sit.Questions[m.index]
	if saved, ok := m.sit.Given(q); ok && saved.Equal(a) {
		return nil
	}
	_, err := m.sit.Answer(m.c.Ctx, q, a)
	return err
}

// failed shows why an answer could not be saved; a closed attempt shows its
// result instead.
func (m *Model) failed(err error) tea.Cmd {
	if errors.Is(err, store.ErrAttemptClosed) {
		return m.showResult()
	}
	m.err = err
	return common.Fail(err)
}

// record grades the answer on screen and commits it before moving on; an
// answer not yet complete is not saved and the screen says why.
func (m *Model) record() tea.Cmd {
	a, problem := m.in.answer()
	if problem != "" {
		m.warn = problem
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
	if m.sit == nil || !m.sit.Started() {
		return time.Time{}, false
	}
	return m.sit.Deadline()
}

// ShortHelp lists the keys of the current state, the most needed first: the
// root shows as many as the width allows.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	switch m.state {
	case intro:
		return []key.Binding{k.Up, k.Down, m.openKey(), k.Back, k.Help, k.Quit}
	case unavailable:
		return []key.Binding{k.Back}
	case feedback:
		next := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", m.c.T("KeyNextQuestion")))
		return []key.Binding{next, k.Sources, k.Help}
	case confirming:
		if len(m.sit.Unanswered()) > 0 {
			return []key.Binding{k.Submit, k.Up, k.Down, m.jumpKey(), k.Back, k.Help}
		}
		return []key.Binding{k.Submit, k.PrevQuestion, k.Back, k.Help}
	}
	keys := m.in.keys()
	keys = append(keys, m.questionsKey(), m.leaveKey(), k.Help)
	if !m.in.takingText() {
		keys = append(keys, k.Quit)
	}
	return keys
}

func (m *Model) openKey() key.Binding {
	return key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", m.c.T("KeyOpen")))
}

func (m *Model) jumpKey() key.Binding {
	return key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", m.c.T("KeyJump")))
}

// questionsKey is ←/→/Tab shown as one entry.
func (m *Model) questionsKey() key.Binding {
	return key.NewBinding(key.WithKeys("left", "right", "tab"), key.WithHelp("←/→", m.c.T("KeyQuestions")))
}

func (m *Model) leaveKey() key.Binding {
	return key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", m.c.T("KeyLeaveQuiz")))
}

// FullHelp lists the keys in groups.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	if m.state == answering {
		return [][]key.Binding{m.in.keys(), {k.PrevQuestion, k.NextQuestion, m.leaveKey()}, {k.Lang, k.Help, k.Quit}}
	}
	return [][]key.Binding{m.ShortHelp(), {k.Lang, k.Help, k.Quit}}
}
