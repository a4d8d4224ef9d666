// Package attempt is the screen where a learner takes a quiz: one question at
// a time, every answer committed to the store the moment it is given.
package attempt

import (
	"encoding/json"
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
	answering  state = iota
	feedback         // showing whether the last answer was right (immediate feedback)
	confirming       // every question answered: submit?
	blocked          // no attempts left
)

// Model takes one attempt.
type Model struct {
	c       *common.Common
	mod     *lessons.Module
	z       *quiz.Quiz
	attempt store.Attempt
	qs      []*quiz.Question // in the attempt's order; questions the pack no longer has are left out
	answers map[string]store.Answer
	index   int
	in      input
	state   state
	last    float64 // score of the last answer, for feedback
	width   int
	height  int
	now     time.Time
	err     error
}

type tickMsg time.Time

// New returns the quiz screen of mod; attemptID resumes that attempt when it is still open.
func New(c *common.Common, mod *lessons.Module) *Model {
	return &Model{c: c, mod: mod, z: mod.Quiz, now: c.Store.Now()}
}

// Init resumes the learner's open attempt, or starts one.
func (m *Model) Init() tea.Cmd {
	c := m.c
	open, err := c.Store.OpenAttempt(c.Ctx, c.Learner.ID, c.Pack.ID, m.z.ID)
	if err != nil {
		return common.Fail(err)
	}
	if open != nil {
		m.attempt = *open
	} else {
		if m.z.MaxAttempts > 0 {
			done, err := c.Store.Attempts(c.Ctx, c.Learner.ID, c.Pack.ID, m.z.ID)
			if err != nil {
				return common.Fail(err)
			}
			if len(done) >= m.z.MaxAttempts {
				m.state = blocked
				return nil
			}
		}
		seed := quiz.NewSeed()
		if c.NewSeed != nil {
			seed = c.NewSeed()
		}
		a, err := c.Store.StartAttempt(c.Ctx, c.Learner.ID, c.PackRef(), m.mod.ID, m.z.ID, seed, m.z.Order(seed), m.z.PassMark)
		if err != nil {
			return common.Fail(err)
		}
		m.attempt = a
	}
	for _, id := range m.attempt.QuestionIDs {
		if q := m.z.Question(id); q != nil {
			m.qs = append(m.qs, q)
		}
	}
	if m.answers, err = c.Store.Answers(c.Ctx, m.attempt.ID); err != nil {
		return common.Fail(err)
	}
	m.index = m.firstUnanswered()
	m.open(m.index)
	return m.tick()
}

// AttemptID is the attempt on screen, for the resume point.
func (m *Model) AttemptID() string { return m.attempt.ID }

func (m *Model) firstUnanswered() int {
	for i, q := range m.qs {
		if _, ok := m.answers[q.ID]; !ok {
			return i
		}
	}
	return len(m.qs)
}

// open shows question i, or the submit confirmation past the last one.
func (m *Model) open(i int) {
	if i >= len(m.qs) {
		m.index, m.state, m.in = len(m.qs), confirming, nil
		return
	}
	m.index, m.state = i, answering
	q := m.qs[i]
	var prev *quiz.Answer
	if a, ok := m.answers[q.ID]; ok {
		var qa quiz.Answer
		if json.Unmarshal(a.Answer, &qa) == nil {
			prev = &qa
		}
	}
	m.in = newInput(m.c, m.z, q, m.attempt.Seed, prev)
}

func (m *Model) tick() tea.Cmd {
	if m.z.TimeLimitMinutes <= 0 {
		return nil
	}
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return tickMsg(t) })
}

func (m *Model) deadline() time.Time {
	return m.attempt.StartedAt.Add(time.Duration(m.z.TimeLimitMinutes) * time.Minute)
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
		if m.state != blocked && !m.attempt.StartedAt.IsZero() && !m.now.Before(m.deadline()) {
			return m, m.submit()
		}
		return m, m.tick()
	case tea.KeyPressMsg:
		m.err = nil
		switch m.state {
		case blocked:
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
				m.open(len(m.qs) - 1)
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

// record grades the answer on screen and commits it before moving on.
func (m *Model) record() tea.Cmd {
	a, ok := m.in.answer()
	if !ok {
		return nil
	}
	q := m.qs[m.index]
	raw, err := json.Marshal(a)
	if err != nil {
		return common.Fail(err)
	}
	score := quiz.Grade(q, a)
	c := m.c
	p := store.AnsweredPayload{QuestionHash: q.Hash(), Answer: raw, Score: score, MaxScore: q.MaxPoints()}
	if err := c.Store.RecordAnswer(c.Ctx, m.attempt, c.PackRef(), q.ID, p); err != nil {
		m.err = err
		if errors.Is(err, store.ErrAttemptClosed) {
			return common.Go(common.Place{Screen: common.ScreenResult, ModuleID: m.mod.ID, AttemptID: m.attempt.ID})
		}
		return common.Fail(err)
	}
	m.answers[q.ID] = store.Answer{QuestionID: q.ID, QuestionHash: p.QuestionHash, Answer: raw, Score: score, MaxScore: p.MaxScore}
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
	for d := 1; d <= len(m.qs); d++ {
		i := (m.index + d) % len(m.qs)
		if _, ok := m.answers[m.qs[i].ID]; !ok {
			return i
		}
	}
	return len(m.qs)
}

// submit closes the attempt with the score of the answers recorded in it;
// unanswered questions count as zero.
func (m *Model) submit() tea.Cmd {
	c := m.c
	var score, maxScore float64
	for _, q := range m.qs {
		maxScore += q.MaxPoints()
		if a, ok := m.answers[q.ID]; ok {
			score += a.Score
		}
	}
	a, err := c.Store.SubmitAttempt(c.Ctx, m.attempt, c.PackRef(), score, maxScore, m.z.Passed(score, maxScore))
	if err != nil && !errors.Is(err, store.ErrAttemptClosed) {
		return common.Fail(err)
	}
	if err == nil {
		m.attempt = a
	}
	return common.Go(common.Place{Screen: common.ScreenResult, ModuleID: m.mod.ID, AttemptID: m.attempt.ID})
}

// ShortHelp lists the keys of the current state.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	switch m.state {
	case blocked:
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
