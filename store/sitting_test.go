package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"hocso/lessons"
	"hocso/quiz"
)

func sittingModule() *lessons.Module {
	yes := true
	return &lessons.Module{ID: "m", Lessons: []*lessons.Lesson{{ID: "l1"}}, Quiz: &quiz.Quiz{
		ID: "q", PassMark: 50, MaxAttempts: 1, Questions: []quiz.Question{
			{ID: "q1", Kind: quiz.TrueFalse, Correct: &yes},
			{ID: "q2", Kind: quiz.TrueFalse, Correct: &yes},
		}}}
}

func TestSittingResumesGradesSubmitsAndLimits(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	l, _ := s.CreateLearner(ctx, ProfilePayload{FullName: "Hoàng Văn Nam"})
	pack, mod := PackRef{ID: "p", Version: "1"}, sittingModule()
	seed := func() int64 { return 7 }

	sit, err := s.SitQuiz(ctx, l.ID, pack, mod, seed)
	if err != nil || sit.Resumed || sit.Attempt.Seed != 7 || len(sit.Questions) != 2 {
		t.Fatalf("first sitting = %+v, %v", sit, err)
	}
	yes := true
	if score, err := sit.Answer(ctx, sit.Questions[0], quiz.Answer{Bool: &yes}); err != nil || score != 1 {
		t.Fatalf("Answer = %v, %v", score, err)
	}

	again, err := s.SitQuiz(ctx, l.ID, pack, mod, seed)
	if err != nil || !again.Resumed || again.Attempt.ID != sit.Attempt.ID || again.FirstUnanswered() != 1 {
		t.Fatalf("resumed sitting = %+v, %v", again, err)
	}
	if a, ok := again.Given(again.Questions[0]); !ok || a.Bool == nil || !*a.Bool {
		t.Fatalf("Given = %+v, %v", a, ok)
	}
	a, err := again.Submit(ctx)
	if err != nil || a.Score != 1 || a.MaxScore != 2 || !a.Passed {
		t.Fatalf("Submit = %+v, %v", a, err)
	}
	if a, err := sit.Submit(ctx); err != nil || a.Score != 1 {
		t.Fatalf("submitting again returns the attempt as submitted: %+v, %v", a, err)
	}
	if _, err := s.SitQuiz(ctx, l.ID, pack, mod, seed); !errors.Is(err, ErrNoAttemptsLeft) {
		t.Fatalf("a second attempt past max_attempts = %v", err)
	}
}

func TestNextStep(t *testing.T) {
	mod := sittingModule()
	p := &lessons.Pack{Modules: []*lessons.Module{mod}}
	if m, l := NextStep(p, nil, nil); m != mod || l == nil || l.ID != "l1" {
		t.Fatalf("fresh: %v %v", m, l)
	}
	done := map[string]LessonState{"l1": {CompletedAt: &[]time.Time{{}}[0]}}
	if m, l := NextStep(p, nil, done); m != mod || l != nil {
		t.Fatalf("lessons read: want the quiz, got %v %v", m, l)
	}
	if m, _ := NextStep(p, []ModuleProgress{{Status: Passed}}, done); m != nil {
		t.Fatalf("all done: %v", m)
	}
}

// Opening a quiz and leaving it records nothing: the attempt is recorded with
// its first answer, and QuizStanding only reads.
func TestSittingRecordsNothingUntilAnswered(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	l, _ := s.CreateLearner(ctx, ProfilePayload{FullName: "Hoàng Văn Nam"})
	pack, mod := PackRef{ID: "p", Version: "1"}, sittingModule()
	mod.Quiz.MaxAttempts = 0
	seed := func() int64 { return 7 }

	sit, err := s.SitQuiz(ctx, l.ID, pack, mod, seed)
	if err != nil || sit.Started() || len(sit.Unanswered()) != 2 {
		t.Fatalf("planned sitting = %+v, %v", sit, err)
	}
	st, err := s.QuizStanding(ctx, l.ID, pack.ID, mod.Quiz)
	if err != nil || st.Open != nil || len(st.Submitted) != 0 || st.HasFinal || st.AttemptsLeft != -1 {
		t.Fatalf("standing after looking = %+v, %v", st, err)
	}
	yes := true
	if _, err := sit.Answer(ctx, sit.Questions[1], quiz.Answer{Bool: &yes}); err != nil || !sit.Started() {
		t.Fatalf("first answer: %v (started %v)", err, sit.Started())
	}
	if u := sit.Unanswered(); len(u) != 1 || u[0] != 0 {
		t.Fatalf("unanswered = %v; want [0]", u)
	}
	st, _ = s.QuizStanding(ctx, l.ID, pack.ID, mod.Quiz)
	if st.Open == nil || st.Open.ID != sit.Attempt.ID {
		t.Fatalf("standing after an answer = %+v", st)
	}
	if _, err := sit.Submit(ctx); err != nil {
		t.Fatal(err)
	}
	st, _ = s.QuizStanding(ctx, l.ID, pack.ID, mod.Quiz)
	if st.Open != nil || len(st.Submitted) != 1 || !st.HasFinal || st.Final.Score != 1 {
		t.Fatalf("standing after submitting = %+v", st)
	}
}

// Overall progress weighs each module by its lessons and questions: two
// lessons read of a 2-lesson module and none of a 5-lesson one is 2/7, not 50%.
func TestOverallWeighsModules(t *testing.T) {
	short := ModuleProgress{Units: 2, UnitsDone: 2, Status: Completed}
	long := ModuleProgress{Units: 5}
	p := &lessons.Pack{Modules: []*lessons.Module{{ID: "a"}, {ID: "b"}}}
	if got := Course(p, []ModuleProgress{short, long}).Fraction; got < 2.0/7-1e-9 || got > 2.0/7+1e-9 {
		t.Fatalf("Course fraction = %v; want 2/7 (not the 50%% a mean of modules gives)", got)
	}
	two := Course(p, []ModuleProgress{short, long}).Add(p, []ModuleProgress{long, short})
	if got := two.Fraction; got < 4.0/14-1e-9 || got > 4.0/14+1e-9 {
		t.Fatalf("two packs = %v; want 4/14", got)
	}
	mod := sittingModule() // 1 lesson, a 2-question quiz
	mp := moduleProgress(mod, map[string]LessonState{"l1": {CompletedAt: &time.Time{}}}, quizResult{})
	if mp.Units != 3 || mp.UnitsDone != 1 {
		t.Fatalf("units = %d/%d; want 1/3", mp.UnitsDone, mp.Units)
	}
}
