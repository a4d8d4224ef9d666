package store

import (
	"context"
	"fmt"

	"hocso/lessons"
	"hocso/quiz"
)

// Status is where a learner stands in a module.
type Status string

// Module statuses, from nothing done to completed with the quiz passed.
const (
	NotStarted Status = "not_started"
	InProgress Status = "in_progress"
	Completed  Status = "completed" // the module's rule is met
	Passed     Status = "passed"    // the rule is met and the quiz is passed
)

// MessageID is the id of the message (in locales) that names the status, so
// the app, accessible mode, the CLI and reports all say it the same way.
func (st Status) MessageID() string {
	switch st {
	case Passed:
		return "StatusPassed"
	case Completed:
		return "StatusCompleted"
	case InProgress:
		return "StatusInProgress"
	}
	return "StatusNotStarted"
}

// ModuleProgress is a learner's standing in one module, derived from the read
// model and the module's completion rule.
type ModuleProgress struct {
	ModuleID      string  `json:"module_id"`
	Required      bool    `json:"required"` // counts towards completing the course
	LessonsDone   int     `json:"lessons_done"`
	LessonsTotal  int     `json:"lessons_total"`
	Attempts      int     `json:"attempts"`
	HasQuiz       bool    `json:"has_quiz"`
	QuizPercent   float64 `json:"quiz_percent"` // the grade under the quiz's rule (highest or last)
	QuizPassed    bool    `json:"quiz_passed"`
	OpenAttempt   bool    `json:"open_attempt"`
	AttemptsLeft  int     `json:"attempts_left"` // -1 when unlimited
	Status        Status  `json:"status"`
	FractionTotal float64 `json:"fraction"` // 0..1, what a progress bar shows
	// Units weigh the module in overall progress: one per lesson and one per
	// question the quiz asks, so a long module counts for more than a short
	// one. UnitsDone are those earned: read lessons, and the questions of a
	// passed quiz; all of them once the module is completed.
	Units     int `json:"units"`
	UnitsDone int `json:"units_done"`
}

// weight is a module's units and the part of them done, for overall
// progress; a module without lessons or questions weighs one unit.
func (p ModuleProgress) weight() (units, done float64) {
	if p.Units == 0 {
		return 1, p.FractionTotal
	}
	return float64(p.Units), float64(p.UnitsDone)
}

// PackProgress computes a learner's progress in every module of a pack. It
// reads the learner's lessons in the pack, the stored attempt totals of the
// pack's quizzes and, per quiz, the one attempt that counts, so its cost
// follows the course, not how many attempts the learner has made.
func (s *Store) PackProgress(ctx context.Context, learnerID string, p *lessons.Pack) ([]ModuleProgress, error) {
	done, err := s.Lessons(ctx, learnerID, p.ID)
	if err != nil {
		return nil, err
	}
	return s.PackProgressFrom(ctx, learnerID, p, done)
}

// PackProgressFrom is PackProgress from the learner's lessons in the pack as
// Lessons returned them, for a screen that shows both and reads them once.
func (s *Store) PackProgressFrom(ctx context.Context, learnerID string, p *lessons.Pack, done map[string]LessonState) ([]ModuleProgress, error) {
	totals, err := s.quizTotals(ctx, learnerID, p.ID)
	if err != nil {
		return nil, err
	}
	out := make([]ModuleProgress, 0, len(p.Modules))
	for _, m := range p.Modules {
		var r quizResult
		if m.Quiz != nil {
			if r, err = s.finalResult(ctx, learnerID, p.ID, m.Quiz, totals[m.Quiz.ID]); err != nil {
				return nil, err
			}
		}
		out = append(out, moduleProgress(m, done, r))
	}
	return out, nil
}

// quizResult is what a module's progress needs of a learner's attempts at its
// quiz: how many were submitted, whether one is open, and the final one.
type quizResult struct {
	quizCounts
	final    Attempt // its Score, MaxScore and Passed; valid when hasFinal
	hasFinal bool
}

// quizCounts are a learner's submitted and open attempts at one quiz.
type quizCounts struct{ submitted, open int }

// quizTotalsQuery reads the counts of every quiz of a pack at once, through
// quiz_totals' primary key.
const quizTotalsQuery = `SELECT quiz_id, submitted, open FROM quiz_totals WHERE learner_id = ? AND pack_id = ?`

// finalQuery picks the attempt FinalAttempt would pick, through the indexes
// attempts_best and attempts_last: the best percentage, earliest of equals
// (the same arithmetic as quiz.Percent), or the last one started.
var finalQuery = map[bool]string{
	false: `SELECT coalesce(score, 0), coalesce(max_score, 0), coalesce(passed, 0) FROM attempts
		WHERE learner_id = ? AND pack_id = ? AND quiz_id = ? AND submitted_at IS NOT NULL
		ORDER BY (CASE WHEN max_score > 0 THEN 100 * coalesce(score, 0) / max_score ELSE 0 END) DESC, started_at, id LIMIT 1`,
	true: `SELECT coalesce(score, 0), coalesce(max_score, 0), coalesce(passed, 0) FROM attempts
		WHERE learner_id = ? AND pack_id = ? AND quiz_id = ? AND submitted_at IS NOT NULL
		ORDER BY started_at DESC, id DESC LIMIT 1`,
}

func (s *Store) quizTotals(ctx context.Context, learnerID, packID string) (map[string]quizCounts, error) {
	rows, err := s.prepared().QueryContext(ctx, quizTotalsQuery, learnerID, packID)
	if err != nil {
		return nil, fmt.Errorf("read quiz totals: %w", err)
	}
	defer rows.Close()
	out := map[string]quizCounts{}
	for rows.Next() {
		var id string
		var c quizCounts
		if err := rows.Scan(&id, &c.submitted, &c.open); err != nil {
			return nil, fmt.Errorf("read quiz totals: %w", err)
		}
		out[id] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read quiz totals: %w", err)
	}
	return out, nil
}

// quizResult reads one quiz's result on its own.
func (s *Store) quizResult(ctx context.Context, learnerID, packID string, z *quiz.Quiz) (quizResult, error) {
	totals, err := s.quizTotals(ctx, learnerID, packID)
	if err != nil {
		return quizResult{}, err
	}
	return s.finalResult(ctx, learnerID, packID, z, totals[z.ID])
}

// finalResult adds to a quiz's counts the attempt that counts, if any was submitted.
func (s *Store) finalResult(ctx context.Context, learnerID, packID string, z *quiz.Quiz, c quizCounts) (quizResult, error) {
	r := quizResult{quizCounts: c}
	if r.submitted == 0 {
		return r, nil
	}
	err := s.prepared().QueryRowContext(ctx, finalQuery[z.Grading == quiz.GradeLast], learnerID, packID, z.ID).
		Scan(&r.final.Score, &r.final.MaxScore, &r.final.Passed)
	if err != nil {
		return r, fmt.Errorf("read final attempt: %w", err)
	}
	r.hasFinal = true
	return r, nil
}

func moduleProgress(m *lessons.Module, done map[string]LessonState, r quizResult) ModuleProgress {
	mp := ModuleProgress{ModuleID: m.ID, Required: m.IsRequired(), LessonsTotal: len(m.Lessons), AttemptsLeft: -1}
	opened := false
	for _, l := range m.Lessons {
		if st, ok := done[l.ID]; ok {
			opened = true
			if st.CompletedAt != nil {
				mp.LessonsDone++
			}
		}
	}
	if m.Quiz != nil {
		mp.HasQuiz = true
		opened = opened || r.submitted+r.open > 0
		mp.OpenAttempt = r.open > 0
		mp.Attempts = r.submitted
		if r.hasFinal {
			mp.QuizPercent = quiz.Percent(r.final.Score, r.final.MaxScore)
			mp.QuizPassed = r.final.Passed
		}
		if m.Quiz.MaxAttempts > 0 {
			mp.AttemptsLeft = max(0, m.Quiz.MaxAttempts-r.submitted)
		}
	}
	lessonsDone := mp.LessonsDone == mp.LessonsTotal
	var met bool
	switch m.CompleteWhen {
	case lessons.CompleteWhenCompleted:
		met = lessonsDone
	case lessons.CompleteWhenPassed:
		met = mp.QuizPassed
	default:
		met = lessonsDone && (mp.QuizPassed || !mp.HasQuiz)
	}
	switch {
	case met && mp.QuizPassed:
		mp.Status = Passed
	case met:
		mp.Status = Completed
	case opened:
		mp.Status = InProgress
	default:
		mp.Status = NotStarted
	}
	// The bar counts each lesson and, when there is one, the quiz as one step.
	steps, got := mp.LessonsTotal, mp.LessonsDone
	if mp.HasQuiz {
		steps++
		if mp.QuizPassed {
			got++
		}
	}
	if met {
		mp.FractionTotal = 1
	} else if steps > 0 {
		mp.FractionTotal = float64(got) / float64(steps)
	}
	mp.Units, mp.UnitsDone = mp.LessonsTotal, mp.LessonsDone
	if m.Quiz != nil {
		mp.Units += m.Quiz.Asked()
		if mp.QuizPassed {
			mp.UnitsDone += m.Quiz.Asked()
		}
	}
	if met {
		mp.UnitsDone = mp.Units
	}
	return mp
}

// FinalAttempt picks the submitted attempt that counts under the quiz's
// grading rule: the highest score (the earliest of equals) or the last one.
func FinalAttempt(grading string, submitted []Attempt) (Attempt, bool) {
	if len(submitted) == 0 {
		return Attempt{}, false
	}
	if grading == quiz.GradeLast {
		return submitted[len(submitted)-1], true
	}
	best := submitted[0]
	for _, a := range submitted[1:] {
		if quiz.Percent(a.Score, a.MaxScore) > quiz.Percent(best.Score, best.MaxScore) {
			best = a
		}
	}
	return best, true
}

// Done reports whether the module's completion rule is met.
func (mp ModuleProgress) Done() bool { return mp.Status == Completed || mp.Status == Passed }

// NextStep is what a learner should do next in a pack: the first unread
// lesson of the first unfinished required module, or that module's quiz
// (lesson nil). Optional modules are never proposed: the learner opens them
// by choice. mod is nil when every required module is done.
func NextStep(p *lessons.Pack, progress []ModuleProgress, done map[string]LessonState) (mod *lessons.Module, lesson *lessons.Lesson) {
	for i, m := range p.Modules {
		if !m.IsRequired() || (i < len(progress) && progress[i].Done()) {
			continue
		}
		for _, l := range m.Lessons {
			if st, ok := done[l.ID]; !ok || st.CompletedAt == nil {
				return m, l
			}
		}
		if m.Quiz != nil {
			return m, nil
		}
	}
	return nil, nil
}

// CourseProgress is a learner's standing in one or more whole packs. Only
// required modules count, so an optional module neither holds back nor
// speeds up completing the course; each counts by its units (lessons and
// questions), so a long module weighs more than a short one.
type CourseProgress struct {
	Required int `json:"required_modules"` // required modules counted
	Done     int `json:"done_modules"`     // of those, the ones whose rule is met
	// Fraction is 0..1: the required modules' units done over their units
	// (a lesson or a quiz question each), so a 2-lesson module weighs less
	// than a 5-lesson one.
	Fraction float64 `json:"fraction"`
	Complete bool    `json:"complete"` // every required module is done
	units    float64
	done     float64
}

// Course sums the required modules of p from progress (as PackProgress returns it).
func Course(p *lessons.Pack, progress []ModuleProgress) CourseProgress {
	var c CourseProgress
	return c.Add(p, progress)
}

// Add returns c with the required modules of another pack counted in, so
// that a screen showing several packs shows one overall figure.
func (c CourseProgress) Add(p *lessons.Pack, progress []ModuleProgress) CourseProgress {
	for i, m := range p.Modules {
		if !m.IsRequired() {
			continue
		}
		c.Required++
		if i >= len(progress) {
			c.units++ // not read yet: one unit, none done
			continue
		}
		units, done := progress[i].weight()
		c.units += units
		c.done += done
		if progress[i].Done() {
			c.Done++
		}
	}
	if c.units > 0 {
		c.Fraction = c.done / c.units
	}
	c.Complete = c.Done == c.Required
	return c
}
