// Package xapi turns hocso's events into xAPI 1.0.3 statements and sends
// them to a Learning Record Store. Each event becomes one statement whose id
// is the event id, so an LRS deduplicates exactly as the hub does.
package xapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"hocso/store"
)

// Version is the xAPI version of the statements and of the LRS requests.
const Version = "1.0.3"

// Statement is an xAPI statement, with the parts hocso fills in.
type Statement struct {
	ID        string   `json:"id"`
	Actor     Agent    `json:"actor"`
	Verb      Verb     `json:"verb"`
	Object    Activity `json:"object"`
	Result    *Result  `json:"result,omitempty"`
	Context   *Context `json:"context,omitempty"`
	Timestamp string   `json:"timestamp"`
}

// Agent identifies a learner by an account on the organisation's system:
// no name or e-mail leaves the office.
type Agent struct {
	ObjectType string  `json:"objectType"`
	Account    Account `json:"account"`
}

// Account is an xAPI account.
type Account struct {
	HomePage string `json:"homePage"`
	Name     string `json:"name"`
}

// Verb is an ADL verb.
type Verb struct {
	ID      string            `json:"id"`
	Display map[string]string `json:"display"`
}

// Activity is what the statement is about.
type Activity struct {
	ObjectType string      `json:"objectType"`
	ID         string      `json:"id"`
	Definition *Definition `json:"definition,omitempty"`
}

// Definition names an activity in Vietnamese and English and gives its type.
type Definition struct {
	Name map[string]string `json:"name,omitempty"`
	Type string            `json:"type,omitempty"`
}

// Result is the outcome of an answer or an attempt.
type Result struct {
	Score      *Score `json:"score,omitempty"`
	Success    *bool  `json:"success,omitempty"`
	Completion *bool  `json:"completion,omitempty"`
	Response   string `json:"response,omitempty"`
	Duration   string `json:"duration,omitempty"`
}

// Score is a score with its range.
type Score struct {
	Scaled float64 `json:"scaled"`
	Raw    float64 `json:"raw"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
}

// Context places the statement: the attempt it belongs to and its parents.
type Context struct {
	Registration      string             `json:"registration,omitempty"`
	Platform          string             `json:"platform"`
	Language          string             `json:"language"`
	ContextActivities *ContextActivities `json:"contextActivities,omitempty"`
}

// ContextActivities lists the module and the pack a statement happened in.
type ContextActivities struct {
	Parent []Activity `json:"parent,omitempty"`
}

// ADL verbs and activity types used.
const (
	adl          = "http://adlnet.gov/expapi/verbs/"
	typeCourse   = "http://adlnet.gov/expapi/activities/course"
	typeModule   = "http://adlnet.gov/expapi/activities/module"
	typeLesson   = "http://adlnet.gov/expapi/activities/lesson"
	typeQuiz     = "http://adlnet.gov/expapi/activities/assessment"
	typeQuestion = "http://adlnet.gov/expapi/activities/cmi.interaction"
)

var verbs = map[string]Verb{
	"experienced": {ID: adl + "experienced", Display: map[string]string{"en-US": "experienced", "vi-VN": "đã học"}},
	"completed":   {ID: adl + "completed", Display: map[string]string{"en-US": "completed", "vi-VN": "đã hoàn thành"}},
	"attempted":   {ID: adl + "attempted", Display: map[string]string{"en-US": "attempted", "vi-VN": "đã bắt đầu làm"}},
	"answered":    {ID: adl + "answered", Display: map[string]string{"en-US": "answered", "vi-VN": "đã trả lời"}},
	"passed":      {ID: adl + "passed", Display: map[string]string{"en-US": "passed", "vi-VN": "đã đạt"}},
	"failed":      {ID: adl + "failed", Display: map[string]string{"en-US": "failed", "vi-VN": "chưa đạt"}},
}

// Mapper turns events into statements.
type Mapper struct {
	// HomePage is the organisation's site, the homePage of every actor's account.
	HomePage string
	// Base is the IRI activity ids start with; HomePage + "/xapi" when empty.
	Base string
	// Names gives activities their names; nil names them by id.
	Names *Catalog
	// Store answers what an event alone does not say: the learner's staff
	// code, the attempt an answer belongs to.
	Store *store.Store
	// Language is the language the learner used (the statement's context.language).
	Language string

	staff    map[string]string
	attempts map[string]store.Attempt
}

// ErrNoStatement is returned for an event that is no learning experience
// (a profile change): it has no statement.
var ErrNoStatement = errors.New("event has no xAPI statement")

// CheckHomePage refuses a homePage that is not an absolute http(s) URL.
func CheckHomePage(home string) error {
	u, err := url.Parse(home)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("homePage %q: use the organisation's address, such as https://example.gov.vn", home)
	}
	return nil
}

// Statement maps one event.
func (m *Mapper) Statement(ctx context.Context, ev store.Event) (Statement, error) {
	actor, err := m.actor(ctx, ev.LearnerID)
	if err != nil {
		return Statement{}, err
	}
	st := Statement{ID: ev.ID, Actor: actor, Timestamp: ev.Time.UTC().Format(time.RFC3339Nano)}
	pack := m.activity(typeCourse, ev.PackID, "packs", ev.PackID)
	switch ev.Kind {
	case store.KindLessonOpened, store.KindLessonCompleted:
		var p store.LessonPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return st, fmt.Errorf("event %s: %w", ev.ID, err)
		}
		st.Verb = verbs["experienced"]
		if ev.Kind == store.KindLessonCompleted {
			st.Verb = verbs["completed"]
			st.Result = &Result{Completion: ptr(true)}
		}
		st.Object = m.activity(typeLesson, ev.PackID, "lessons", ev.ItemID)
		st.Context = m.context("", m.module(ev.PackID, p.ModuleID), pack)
	case store.KindQuizStarted:
		var p store.QuizStartedPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return st, fmt.Errorf("event %s: %w", ev.ID, err)
		}
		st.Verb = verbs["attempted"]
		st.Object = m.activity(typeQuiz, ev.PackID, "quizzes", ev.ItemID)
		st.Context = m.context(p.AttemptID, m.module(ev.PackID, p.ModuleID), pack)
	case store.KindQuizAnswered:
		var p store.AnsweredPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return st, fmt.Errorf("event %s: %w", ev.ID, err)
		}
		a := m.attempt(ctx, p.AttemptID)
		st.Verb = verbs["answered"]
		st.Object = m.activity(typeQuestion, ev.PackID, "questions", ev.ItemID)
		st.Result = &Result{Score: score(p.Score, p.MaxScore), Success: ptr(p.MaxScore > 0 && p.Score >= p.MaxScore),
			Response: string(p.Answer)}
		st.Context = m.context(p.AttemptID, m.module(ev.PackID, a.ModuleID), pack)
	case store.KindQuizSubmitted:
		var p store.SubmittedPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return st, fmt.Errorf("event %s: %w", ev.ID, err)
		}
		a := m.attempt(ctx, p.AttemptID)
		st.Verb = verbs["failed"]
		if p.Passed {
			st.Verb = verbs["passed"]
		}
		st.Object = m.activity(typeQuiz, ev.PackID, "quizzes", ev.ItemID)
		st.Result = &Result{Score: score(p.Score, p.MaxScore), Success: ptr(p.Passed), Completion: ptr(true)}
		if !a.StartedAt.IsZero() && ev.Time.After(a.StartedAt) {
			st.Result.Duration = Duration(ev.Time.Sub(a.StartedAt))
		}
		st.Context = m.context(p.AttemptID, m.module(ev.PackID, a.ModuleID), pack)
	default:
		return st, ErrNoStatement
	}
	return st, nil
}

func ptr[T any](v T) *T { return &v }

func score(raw, maxScore float64) *Score {
	s := &Score{Raw: raw, Min: 0, Max: maxScore}
	if maxScore > 0 {
		s.Scaled = min(1, max(-1, raw/maxScore))
	}
	return s
}

// Duration writes d as an ISO 8601 duration (PT1H2M3.5S).
func Duration(d time.Duration) string {
	d = d.Round(10 * time.Millisecond)
	h := int(d / time.Hour)
	d -= time.Duration(h) * time.Hour
	m := int(d / time.Minute)
	d -= time.Duration(m) * time.Minute
	var b strings.Builder
	b.WriteString("PT")
	if h > 0 {
		fmt.Fprintf(&b, "%dH", h)
	}
	if m > 0 {
		fmt.Fprintf(&b, "%dM", m)
	}
	secs := strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", d.Seconds()), "0"), ".")
	if secs != "0" || (h == 0 && m == 0) {
		fmt.Fprintf(&b, "%sS", secs)
	}
	return b.String()
}

func (m *Mapper) context(registration string, parents ...Activity) *Context {
	lang := m.Language
	if lang == "" {
		lang = "vi-VN"
	}
	return &Context{Registration: registration, Platform: "hocso", Language: lang,
		ContextActivities: &ContextActivities{Parent: parents}}
}

func (m *Mapper) module(packID, moduleID string) Activity {
	return m.activity(typeModule, packID, "modules", moduleID)
}

// activity builds the IRI base/packs/PACK[/KIND/ID] and the definition.
func (m *Mapper) activity(typ, packID, kind, id string) Activity {
	base := m.Base
	if base == "" {
		base = strings.TrimRight(m.HomePage, "/") + "/xapi"
	}
	iri := base + "/packs/" + url.PathEscape(packID)
	if kind != "packs" {
		iri += "/" + kind + "/" + url.PathEscape(id)
	}
	name := m.Names.name(packID, kind, id)
	return Activity{ObjectType: "Activity", ID: iri, Definition: &Definition{Name: name, Type: typ}}
}

// actor is the learner's account: the staff code when they have one, else
// their learner id.
func (m *Mapper) actor(ctx context.Context, learnerID string) (Agent, error) {
	if m.staff == nil {
		m.staff = map[string]string{}
	}
	name, ok := m.staff[learnerID]
	if !ok {
		name = learnerID
		if m.Store != nil {
			l, err := m.Store.Learner(ctx, learnerID)
			if err != nil && !errors.Is(err, store.ErrNoLearner) {
				return Agent{}, err
			}
			if strings.TrimSpace(l.StaffCode) != "" {
				name = strings.TrimSpace(l.StaffCode)
			}
		}
		m.staff[learnerID] = name
	}
	return Agent{ObjectType: "Agent", Account: Account{HomePage: m.HomePage, Name: name}}, nil
}

// attempt looks an attempt up once; an unknown one reads as empty.
func (m *Mapper) attempt(ctx context.Context, id string) store.Attempt {
	if m.attempts == nil {
		m.attempts = map[string]store.Attempt{}
	}
	if a, ok := m.attempts[id]; ok {
		return a
	}
	var a store.Attempt
	if m.Store != nil {
		a, _ = m.Store.Attempt(ctx, id)
	}
	if len(m.attempts) > 10000 {
		clear(m.attempts)
	}
	m.attempts[id] = a
	return a
}
