// Package report makes completion reports for offices: one query of the
// progress read model gives rows, and every writer (CSV, XLSX, HTML, PDF,
// JSON) draws the same rows, so the formats can never disagree.
package report

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"hocso/lessons"
	"hocso/locales"
	"hocso/store"
)

// Grouping is how summary rows are made.
type Grouping struct {
	Kind  string // GroupLearner, GroupUnit, GroupLevel or GroupModule
	Level int    // for GroupLevel: how many levels of the unit path, from the top
}

// Groupings.
const (
	GroupLearner = "learner"
	GroupUnit    = "unit"
	GroupLevel   = "level"
	GroupModule  = "module"
)

// ErrBadGrouping is returned for a --by value that is none of the groupings.
var ErrBadGrouping = errors.New("grouping must be learner, unit, level:N (N from 1 to 6) or module")

// ParseGrouping reads learner, unit, level:N or module.
func ParseGrouping(s string) (Grouping, error) {
	switch s {
	case "", GroupLearner:
		return Grouping{Kind: GroupLearner}, nil
	case GroupUnit, GroupModule:
		return Grouping{Kind: s}, nil
	}
	if n, ok := strings.CutPrefix(s, GroupLevel+":"); ok {
		if lv, err := strconv.Atoi(n); err == nil && lv >= 1 && lv <= 6 {
			return Grouping{Kind: GroupLevel, Level: lv}, nil
		}
	}
	return Grouping{}, fmt.Errorf("%q: %w", s, ErrBadGrouping)
}

func (g Grouping) String() string {
	if g.Kind == GroupLevel {
		return fmt.Sprintf("%s:%d", g.Kind, g.Level)
	}
	return g.Kind
}

// Options choose what a report covers and how it reads.
type Options struct {
	By         Grouping
	Pack       *lessons.Pack
	UnitPrefix string
	// From and To are calendar days, both included; zero means open.
	From, To time.Time
	Lang     string
	// Unit is the reporting unit named in the heading; UnitPrefix when empty.
	Unit string
	// Place is where the report is signed, for the date line ("Hà Nội, ngày …").
	Place string
	// Now is when the report is made; time.Now when zero.
	Now time.Time
	// Person keeps one person only (a roster id or learner id); for certificates.
	Person string
}

// Module is a column group of the learner table.
type Module struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Cell is one person's standing in one module.
type Cell struct {
	Status      store.Status `json:"status"`
	CompletedAt time.Time    `json:"completed_at,omitzero"`
	Score       float64      `json:"best_score"`
	HasScore    bool         `json:"has_score"`
}

// Done says whether the module's completion rule is met.
func (c Cell) Done() bool { return c.Status == store.Completed || c.Status == store.Passed }

// LearnerRow is one person of the report.
type LearnerRow struct {
	FullName    string       `json:"full_name"`
	StaffCode   string       `json:"staff_code"`
	Position    string       `json:"position"`
	UnitPath    string       `json:"unit_path"`
	OnRoster    bool         `json:"on_roster"`
	Modules     []Cell       `json:"modules"`
	Percent     float64      `json:"percent"` // modules done, 0..100
	Status      store.Status `json:"status"`  // of the whole course
	CompletedAt time.Time    `json:"completed_at,omitzero"`
}

// GroupRow is one summary line.
type GroupRow struct {
	Name       string `json:"name"`
	People     int    `json:"people"`
	NotStarted int    `json:"not_started"`
	InProgress int    `json:"in_progress"`
	Completed  int    `json:"completed"`
	scoreSum   float64
	scoreN     int
}

// Rate is the share of people who completed, 0..100.
func (g GroupRow) Rate() float64 {
	if g.People == 0 {
		return 0
	}
	return float64(g.Completed) * 100 / float64(g.People)
}

// AverageScore is the mean best quiz score of those who have one.
func (g GroupRow) AverageScore() (float64, bool) {
	if g.scoreN == 0 {
		return 0, false
	}
	return g.scoreSum / float64(g.scoreN), true
}

func (g *GroupRow) add(st store.Status, score float64, hasScore bool) {
	g.People++
	switch st {
	case store.Completed, store.Passed:
		g.Completed++
	case store.InProgress:
		g.InProgress++
	default:
		g.NotStarted++
	}
	if hasScore {
		g.scoreSum += score
		g.scoreN++
	}
}

// cellFor applies the module's completion rule to what a person did, as
// store.PackProgress does for one learner on a device.
func cellFor(m *lessons.Module, t store.ModuleTally) Cell {
	c := Cell{Status: store.NotStarted, Score: t.Best, HasScore: t.HasScore}
	lessonsDone := t.LessonsDone >= len(m.Lessons)
	var met bool
	var at time.Time
	switch {
	case m.CompleteWhen == lessons.CompleteWhenCompleted || m.Quiz == nil:
		met, at = lessonsDone, t.LessonsDoneAt
	case m.CompleteWhen == lessons.CompleteWhenPassed:
		met, at = t.Passed, t.PassedAt
	default:
		met, at = lessonsDone && t.Passed, later(t.LessonsDoneAt, t.PassedAt)
	}
	switch {
	case met && t.Passed:
		c.Status, c.CompletedAt = store.Passed, at
	case met:
		c.Status, c.CompletedAt = store.Completed, at
	case t.Started:
		c.Status = store.InProgress
	}
	return c
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// learnerRow turns one person's tallies into a row.
func learnerRow(p *lessons.Pack, pp *store.PersonProgress) LearnerRow {
	r := LearnerRow{FullName: pp.FullName, StaffCode: pp.StaffCode, Position: pp.Position, UnitPath: pp.UnitPath,
		OnRoster: pp.OnRoster, Modules: make([]Cell, len(p.Modules)), Status: store.NotStarted}
	done, started := 0, false
	for i, m := range p.Modules {
		t := pp.Modules[m.ID]
		c := cellFor(m, t)
		r.Modules[i] = c
		started = started || t.Started
		if c.Done() {
			done++
			r.CompletedAt = later(r.CompletedAt, c.CompletedAt)
		}
	}
	if len(p.Modules) > 0 {
		r.Percent = float64(done) * 100 / float64(len(p.Modules))
	}
	switch {
	case len(p.Modules) > 0 && done == len(p.Modules):
		r.Status = store.Completed
	case started:
		r.Status, r.CompletedAt = store.InProgress, time.Time{}
	default:
		r.CompletedAt = time.Time{}
	}
	return r
}

// Score is the mean of the person's best quiz scores, over the modules with one.
func (r LearnerRow) Score() (float64, bool) {
	var sum float64
	n := 0
	for _, c := range r.Modules {
		if c.HasScore {
			sum += c.Score
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return sum / float64(n), true
}

// unitLevels returns the first n levels of a unit path.
func unitLevels(path string, n int) string {
	parts := strings.Split(path, " / ")
	if len(parts) > n {
		parts = parts[:n]
	}
	return strings.Join(parts, " / ")
}

// StatusWord is a status in the report's language.
func StatusWord(loc *locales.Localizer, st store.Status) string { return loc.T(st.MessageID()) }

// statuses are the statuses a report shows.
var statuses = []store.Status{store.NotStarted, store.InProgress, store.Completed, store.Passed}

// statusWords looks every status up once, not once per cell.
func statusWords(loc *locales.Localizer) map[store.Status]string {
	words := make(map[store.Status]string, len(statuses))
	for _, st := range statuses {
		words[st] = StatusWord(loc, st)
	}
	return words
}

// statusWord is StatusWord in the report's language.
func (r *Report) statusWord(st store.Status) string {
	if w, ok := r.words[st]; ok {
		return w
	}
	return StatusWord(r.loc, st)
}
