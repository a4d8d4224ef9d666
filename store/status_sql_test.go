package store

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"hocso/lessons"
	"hocso/quiz"
)

// TestQuizResultIsFinalAttempt checks that the aggregates PackProgress reads
// (stored totals, the final attempt through an index) say what the learner's
// attempts say when read one by one, under both grading rules, after a
// rebuild and after the events are imported into another database.
func TestQuizResultIsFinalAttempt(t *testing.T) {
	ctx := context.Background()
	for _, grading := range []string{quiz.GradeHighest, quiz.GradeLast} {
		t.Run(grading, func(t *testing.T) {
			s, _ := openTemp(t)
			l, err := s.CreateLearner(ctx, ProfilePayload{FullName: "Trần Văn Bình"})
			if err != nil {
				t.Fatal(err)
			}
			ref := PackRef{ID: "p", Version: "1.0.0", Hash: "h"}
			z := &quiz.Quiz{ID: "q", Grading: grading}
			check := func(s *Store, when string) {
				t.Helper()
				all, err := s.Attempts(ctx, l.ID, ref.ID, z.ID)
				if err != nil {
					t.Fatal(err)
				}
				var submitted []Attempt
				open := 0
				for _, a := range all {
					if a.SubmittedAt == nil {
						open++
					} else {
						submitted = append(submitted, a)
					}
				}
				want, hasFinal := FinalAttempt(grading, submitted)
				got, err := s.quizResult(ctx, l.ID, ref.ID, z)
				if err != nil {
					t.Fatal(err)
				}
				if got.submitted != len(submitted) || got.open != open || got.hasFinal != hasFinal ||
					got.final.Score != want.Score || got.final.MaxScore != want.MaxScore || got.final.Passed != want.Passed {
					t.Fatalf("%s: quizResult = %+v; want %d submitted, %d open, final %+v (%v)", when, got, len(submitted), open, want, hasFinal)
				}
			}
			check(s, "no attempts")
			// Equal best scores on different scales (7/10 and 14/20) keep the earlier one.
			for _, sc := range [][2]float64{{3, 10}, {7, 10}, {14, 20}, {5, 10}, {0, 0}, {2, 10}} {
				a, err := s.StartAttempt(ctx, l.ID, ref, "m", z.ID, 1, []string{"q1"}, 50)
				if err != nil {
					t.Fatal(err)
				}
				// The score is the stored answers' (issue 9): one answer worth sc[0] of sc[1].
				if sc[1] > 0 {
					if err := s.RecordAnswer(ctx, a, ref, "q1", AnsweredPayload{QuestionHash: "h", Answer: []byte(`{}`), Score: sc[0], MaxScore: sc[1]}); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := s.SubmitAttempt(ctx, a, ref, sc[1]); err != nil {
					t.Fatal(err)
				}
				check(s, "after a submission")
			}
			if _, err := s.StartAttempt(ctx, l.ID, ref, "m", z.ID, 2, []string{"q1"}, 50); err != nil {
				t.Fatal(err)
			}
			check(s, "with an open attempt")
			if err := s.Rebuild(ctx); err != nil {
				t.Fatal(err)
			}
			check(s, "after a rebuild")

			events, err := s.Events(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			other, _ := openTemp(t)
			var seq iter.Seq2[Event, error] = func(yield func(Event, error) bool) {
				for i := len(events) - 1; i >= 0; i-- { // newest first: the import must not care
					if !yield(events[i], nil) {
						return
					}
				}
			}
			if _, err := other.ImportEvents(ctx, seq); err != nil {
				t.Fatal(err)
			}
			check(other, "after an import")
		})
	}
}

// TestDashboardQueriesUseIndexes checks the plan of every query the first
// frame, the dashboard, the module screen, the reader and progress run: it
// calls what they call on a learner with a history, then explains every
// statement the store prepared for them. None may read a history table
// (events, attempts, answers, lesson_progress) from end to end, with or
// without an index, or sort a whole result: each finds its rows through an
// index (SEARCH), so none reads a learner's whole history, let alone
// everyone's.
func TestDashboardQueriesUseIndexes(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	l, err := s.CreateLearner(ctx, ProfilePayload{FullName: "Đỗ Thị Mai"})
	if err != nil {
		t.Fatal(err)
	}
	mod := sittingModule()
	last := sittingModule()
	last.ID, last.Quiz.ID, last.Quiz.Grading = "m2", "q2", quiz.GradeLast
	p := &lessons.Pack{ID: "p", Version: "1.0.0", Modules: []*lessons.Module{mod, last}}
	ref := PackRef{ID: p.ID, Version: p.Version}
	for _, m := range p.Modules {
		a, err := s.StartAttempt(ctx, l.ID, ref, m.ID, m.Quiz.ID, 1, []string{"q1", "q2"}, 50)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RecordAnswer(ctx, a, ref, "q1", AnsweredPayload{QuestionHash: "h", Answer: []byte(`{}`), Score: 1, MaxScore: 1}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SubmitAttempt(ctx, a, ref, 2); err != nil {
			t.Fatal(err)
		}
	}
	// What the screens call, in the order they call it.
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = s.DeviceLearners(ctx)
	must(err)
	must(s.SetCurrentLearner(ctx, l.ID))
	_, err = s.CurrentLearner(ctx)
	must(err)
	_, err = s.Learner(ctx, l.ID)
	must(err)
	_, err = s.HasPIN(ctx, l.ID)
	must(err)
	_, err = s.ResumePoint(ctx, l.ID)
	must(err)
	must(s.SaveResumePoint(ctx, l.ID, "{}"))
	done, err := s.Lessons(ctx, l.ID, p.ID)
	must(err)
	_, err = s.PackProgressFrom(ctx, l.ID, p, done)
	must(err)
	_, err = s.SyncStatus(ctx)
	must(err)
	must(s.OpenLesson(ctx, l.ID, ref, mod.ID, "l1"))
	must(s.CompleteLesson(ctx, l.ID, ref, mod.ID, "l1"))
	_, err = s.ReadingPosition(ctx, l.ID, p.ID, "l1")
	must(err)
	must(s.SaveReadingPosition(ctx, l.ID, p.ID, "l1", 3))
	as, err := s.Attempts(ctx, l.ID, p.ID, "")
	must(err)
	_, err = s.OpenAttempt(ctx, l.ID, p.ID, mod.Quiz.ID)
	must(err)
	_, err = s.Answers(ctx, as[0].ID)
	must(err)
	must(s.EachAttempt(ctx, l.ID, p.ID, func(Attempt) error { return nil }))
	must(s.EachAttemptWithAnswers(ctx, l.ID, p.ID, func(Attempt, json.RawMessage) error { return nil }))

	s.reads.mu.Lock()
	queries := make([]string, 0, len(s.reads.stmts))
	for q := range s.reads.stmts {
		queries = append(queries, q)
	}
	s.reads.mu.Unlock()
	for _, q := range []string{lessonsQuery, quizTotalsQuery, finalQuery[false], finalQuery[true], attemptStreamQuery, attemptListQuery} {
		if !slices.Contains(queries, q) {
			t.Fatalf("the screens' calls did not run %q", q)
		}
	}
	// A sort of the whole result means reading all of it first; one attempt's
	// answers sorted for json_group_array are a few rows. Other tables (the
	// learners, the settings) grow with the people, not with the history.
	history := regexp.MustCompile(`\bSCAN (events|attempts|answers|lesson_progress)\b|TEMP B-TREE FOR (ORDER|GROUP|DISTINCT)`)
	reads := regexp.MustCompile(`\b(FROM|JOIN) (events|attempts|answers|lesson_progress)\b`)
	for _, q := range queries {
		p := queryPlan(t, s, q)
		if reads.MatchString(q) && (history.MatchString(p) || !strings.Contains(p, "SEARCH")) {
			t.Errorf("this query reads more than it needs: %s\n%s", p, q)
		}
	}
}

// queryPlan is SQLite's plan for q, its steps joined by "; ".
func queryPlan(t *testing.T, s *Store, q string) string {
	t.Helper()
	args := make([]any, strings.Count(q, "?"))
	for i := range args {
		args[i] = "x"
	}
	rows, err := s.db.QueryContext(context.Background(), `EXPLAIN QUERY PLAN `+q, args...)
	if err != nil {
		t.Fatalf("%v: %s", err, q)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, "; ")
}

// TestPackProgressCostFollowsTheCourse checks that PackProgress answers the
// same for a learner with a long history as the attempts say, module by module.
func TestPackProgressCountsAttempts(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	l, _ := s.CreateLearner(ctx, ProfilePayload{FullName: "Lê Thị Hoa"})
	mod := sittingModule()
	mod.Quiz.MaxAttempts = 30
	p := &lessons.Pack{ID: "p", Version: "1.0.0", Modules: []*lessons.Module{mod}}
	ref := PackRef{ID: p.ID, Version: p.Version}
	for i := range 25 {
		a, err := s.StartAttempt(ctx, l.ID, ref, mod.ID, mod.Quiz.ID, int64(i), []string{"q1"}, 50)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RecordAnswer(ctx, a, ref, "q1", AnsweredPayload{QuestionHash: "h", Answer: []byte(`{}`), Score: float64(i % 3), MaxScore: 2}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SubmitAttempt(ctx, a, ref, 2); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.PackProgress(ctx, l.ID, p)
	if err != nil {
		t.Fatal(err)
	}
	if m := got[0]; m.Attempts != 25 || m.AttemptsLeft != 5 || m.QuizPercent != 100 || !m.QuizPassed || m.OpenAttempt {
		t.Fatalf("progress = %+v; want 25 attempts, 5 left, best 100%% passed", m)
	}
}

// TestEachAttemptStreamsWhatAttemptsHold checks that both streams give every
// attempt, oldest first, one with the answers Answers gives, in the order
// asked.
func TestEachAttemptStreamsWhatAttemptsHold(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	l, _ := s.CreateLearner(ctx, ProfilePayload{FullName: "Phạm Minh Châu"})
	ref := PackRef{ID: "p", Version: "1.0.0"}
	for i := range 3 {
		// One quiz per attempt: a learner has one open attempt at a quiz.
		a, err := s.StartAttempt(ctx, l.ID, ref, "m", fmt.Sprintf("q%d", i), int64(i), []string{"z3", "a1", "m2"}, 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"m2", "z3"} { // answered out of order, one left out
			if err := s.RecordAnswer(ctx, a, ref, q, AnsweredPayload{QuestionHash: "h" + q,
				Answer: json.RawMessage(`{"choices":["b"]}`), Score: 1, MaxScore: 2}); err != nil {
				t.Fatal(err)
			}
		}
		if i == 1 {
			if _, err := s.SubmitAttempt(ctx, a, ref, 6); err != nil {
				t.Fatal(err)
			}
		}
	}
	want, _ := s.Attempts(ctx, l.ID, ref.ID, "")
	var got []Attempt
	err := s.EachAttemptWithAnswers(ctx, l.ID, ref.ID, func(a Attempt, raw json.RawMessage) error {
		var answers []Answer
		if err := json.Unmarshal(raw, &answers); err != nil {
			return err
		}
		stored, _ := s.Answers(ctx, a.ID)
		if len(answers) != 2 || answers[0].QuestionID != "z3" || answers[1].QuestionID != "m2" {
			t.Errorf("attempt %s answers = %+v; want z3 then m2", a.ID, answers)
		}
		for _, an := range answers {
			st := stored[an.QuestionID]
			if an.QuestionHash != st.QuestionHash || an.Score != st.Score || an.MaxScore != st.MaxScore ||
				!an.AnsweredAt.Equal(st.AnsweredAt) || string(an.Answer) != string(st.Answer) {
				t.Errorf("answer %+v; stored %+v", an, st)
			}
		}
		got = append(got, a)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("streamed %d attempts; want %d", len(got), len(want))
	}
	var plain []Attempt
	if err := s.EachAttempt(ctx, l.ID, ref.ID, func(a Attempt) error { plain = append(plain, a); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(plain) != len(want) {
		t.Fatalf("streamed %d attempts without answers; want %d", len(plain), len(want))
	}
	for i := range got {
		if got[i].ID != want[i].ID || len(got[i].QuestionIDs) != 3 {
			t.Fatalf("attempt %d = %+v; want %+v", i, got[i], want[i])
		}
		if !reflect.DeepEqual(plain[i], want[i]) {
			t.Fatalf("attempt %d without answers = %+v; want %+v", i, plain[i], want[i])
		}
	}
}
