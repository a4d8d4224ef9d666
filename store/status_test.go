package store

import (
	"context"
	"testing"
	"time"

	"hocso/lessons"
)

// optionalPack has a required module of one lesson, an optional module of
// one lesson between, and a second required module of one lesson, none with
// a quiz, so that reading a lesson completes its module.
func optionalPack() *lessons.Pack {
	no := false
	mod := func(id string, required *bool) *lessons.Module {
		return &lessons.Module{ID: id, CompleteWhen: lessons.CompleteWhenCompleted, Required: required,
			Lessons: []*lessons.Lesson{{ID: id + "-l1"}}}
	}
	return &lessons.Pack{ID: "p", Version: "1.0.0", Modules: []*lessons.Module{
		mod("a", nil), mod("b", &no), mod("c", nil)}}
}

func TestOptionalModulesDoNotCountTowardsTheCourse(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	l, err := s.CreateLearner(ctx, ProfilePayload{FullName: "Đỗ Thị Hà"})
	if err != nil {
		t.Fatal(err)
	}
	p := optionalPack()
	ref := PackRef{ID: p.ID, Version: p.Version}
	course := func() (CourseProgress, []ModuleProgress) {
		t.Helper()
		progress, err := s.PackProgress(ctx, l.ID, p)
		if err != nil {
			t.Fatal(err)
		}
		return Course(p, progress), progress
	}

	c, progress := course()
	if c.Required != 2 || c.Done != 0 || c.Complete || c.Fraction != 0 {
		t.Fatalf("fresh course = %+v", c)
	}
	if progress[1].Required || !progress[0].Required {
		t.Fatalf("Required flags = %v, %v", progress[0].Required, progress[1].Required)
	}

	// Finishing only the optional module moves nothing.
	if err := s.CompleteLesson(ctx, l.ID, ref, "b", "b-l1"); err != nil {
		t.Fatal(err)
	}
	if c, _ = course(); c.Done != 0 || c.Fraction != 0 || c.Complete {
		t.Fatalf("after the optional module = %+v; want nothing counted", c)
	}

	if err := s.CompleteLesson(ctx, l.ID, ref, "a", "a-l1"); err != nil {
		t.Fatal(err)
	}
	if c, _ = course(); c.Done != 1 || c.Fraction != 0.5 || c.Complete {
		t.Fatalf("after one of two required = %+v", c)
	}
	if err := s.CompleteLesson(ctx, l.ID, ref, "c", "c-l1"); err != nil {
		t.Fatal(err)
	}
	if c, _ = course(); c.Done != 2 || c.Fraction != 1 || !c.Complete {
		t.Fatalf("after both required = %+v; want complete", c)
	}
}

func TestCourseCompleteWithoutTheOptionalModule(t *testing.T) {
	p := optionalPack()
	progress := []ModuleProgress{{Status: Completed, Units: 1, UnitsDone: 1}, {Status: NotStarted, Units: 1}, {Status: Passed, Units: 1, UnitsDone: 1}}
	if c := Course(p, progress); !c.Complete || c.Fraction != 1 {
		t.Fatalf("course = %+v; want complete with the optional module untouched", c)
	}
}

func TestCourseAddsPacks(t *testing.T) {
	p := optionalPack()
	half := []ModuleProgress{{Status: Completed, Units: 2, UnitsDone: 2}, {Units: 1}, {Status: InProgress, Units: 2, UnitsDone: 1}}
	none := []ModuleProgress{{Units: 2}, {Units: 1, UnitsDone: 1, Status: Completed}, {Units: 2}}
	c := Course(p, half).Add(p, none)
	if c.Required != 4 || c.Done != 1 || c.Fraction != 3.0/8 || c.Complete {
		t.Fatalf("two packs = %+v", c)
	}
	if c := (CourseProgress{}).Add(&lessons.Pack{}, nil); !c.Complete || c.Fraction != 0 {
		t.Fatalf("no modules = %+v", c)
	}
}

func TestNextStepSkipsOptionalModules(t *testing.T) {
	p := optionalPack()
	read := func(ids ...string) map[string]LessonState {
		done := map[string]LessonState{}
		for _, id := range ids {
			done[id] = LessonState{CompletedAt: &[]time.Time{{}}[0]}
		}
		return done
	}
	progress := []ModuleProgress{{Status: Completed}, {Status: NotStarted}, {Status: NotStarted}}
	if m, l := NextStep(p, progress, read("a-l1")); m != p.Modules[2] || l == nil || l.ID != "c-l1" {
		t.Fatalf("after module a: %v %v; want module c, skipping the optional b", m, l)
	}
	progress[2].Status = Completed
	if m, l := NextStep(p, progress, read("a-l1", "c-l1")); m != nil || l != nil {
		t.Fatalf("required modules done: %v %v; want nothing left", m, l)
	}
}
