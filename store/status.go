package store

import (
	"context"

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

// ModuleProgress is a learner's standing in one module, derived from the read
// model and the module's completion rule.
type ModuleProgress struct {
	ModuleID      string  `json:"module_id"`
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

// Overall is the progress over modules, each weighted by its units.
func Overall(progress ...[]ModuleProgress) float64 {
	var done, total int
	for _, ps := range progress {
		for _, p := range ps {
			done += p.UnitsDone
			total += p.Units
		}
	}
	if total == 0 {
		return 0
	}
	return float64(done) / float64(total)
}

// PackProgress computes a learner's progress in every module of a pack.
func (s *Store) PackProgress(ctx context.Context, learnerID string, p *lessons.Pack) ([]ModuleProgress, error) {
	done, err := s.Lessons(ctx, learnerID, p.ID)
	if err != nil {
		return nil, err
	}
	attempts, err := s.Attempts(ctx, learnerID, p.ID, "")
	if err != nil {
		return nil, err
	}
	out := make([]ModuleProgress, 0, len(p.Modules))
	for _, m := range p.Modules {
		out = append(out, moduleProgress(m, done, attempts))
	}
	return out, nil
}

func moduleProgress(m *lessons.Module, done map[string]LessonState, attempts []Attempt) ModuleProgress {
	mp := ModuleProgress{ModuleID: m.ID, LessonsTotal: len(m.Lessons), AttemptsLeft: -1}
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
		var submitted []Attempt
		for _, a := range attempts {
			if a.QuizID != m.Quiz.ID {
				continue
			}
			opened = true
			if a.SubmittedAt == nil {
				mp.OpenAttempt = true
				continue
			}
			submitted = append(submitted, a)
		}
		mp.Attempts = len(submitted)
		if final, ok := FinalAttempt(m.Quiz.Grading, submitted); ok {
			mp.QuizPercent = quiz.Percent(final.Score, final.MaxScore)
			mp.QuizPassed = final.Passed
		}
		if m.Quiz.MaxAttempts > 0 {
			mp.AttemptsLeft = max(0, m.Quiz.MaxAttempts-len(submitted))
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

// NextStep is what a learner should do next in a pack: the first unread
// lesson of the first unfinished module, or that module's quiz (lesson nil).
// mod is nil when everything is done.
func NextStep(p *lessons.Pack, progress []ModuleProgress, done map[string]LessonState) (mod *lessons.Module, lesson *lessons.Lesson) {
	for i, m := range p.Modules {
		if i < len(progress) && (progress[i].Status == Completed || progress[i].Status == Passed) {
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
