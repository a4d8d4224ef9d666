package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"hocso/lessons"
	"hocso/quiz"
)

// rounds is how many times a race test repeats: a few in the normal suite,
// many with HOCSO_LONG=1.
func rounds(short, long int) int {
	if os.Getenv("HOCSO_LONG") == "1" {
		return long
	}
	if n, err := strconv.Atoi(os.Getenv("HOCSO_ROUNDS")); err == nil && n > 0 {
		return n
	}
	return short
}

// fourQuestions is a quiz of four true/false questions whose right answer is "true".
func fourQuestions() *lessons.Module {
	yes := true
	z := &quiz.Quiz{ID: "q", PassMark: 50}
	for i := 1; i <= 4; i++ {
		z.Questions = append(z.Questions, quiz.Question{ID: fmt.Sprintf("q%d", i), Kind: quiz.TrueFalse, Correct: &yes})
	}
	return &lessons.Module{ID: "m", Quiz: z}
}

// twoStores opens one database file twice, as two hocso processes would.
func twoStores(t *testing.T) (a, b *Store) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hocso.db")
	var err error
	if a, err = Open(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if b, err = Open(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return a, b
}

func storedScore(t *testing.T, s *Store, attemptID string) float64 {
	t.Helper()
	ans, err := s.Answers(context.Background(), attemptID)
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, a := range ans {
		sum += a.Score
	}
	return sum
}

// TestSubmitScoresStoredAnswers is issue 9's first finding: B answers every
// question right, A (another process, same learner, same attempt) then answers
// every question wrong, B submits. The score is that of the stored answers,
// not of B's memory.
func TestSubmitScoresStoredAnswers(t *testing.T) {
	ctx := context.Background()
	a, b := twoStores(t)
	l, _ := a.CreateLearner(ctx, ProfilePayload{FullName: "Trần Văn Bình"})
	pack, mod := PackRef{ID: "p", Version: "1"}, fourQuestions()
	seed := func() int64 { return 3 }
	right, wrong := true, false

	sitB, err := b.SitQuiz(ctx, l.ID, pack, mod, seed)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range sitB.Questions {
		if _, err := sitB.Answer(ctx, q, quiz.Answer{Bool: &right}); err != nil {
			t.Fatal(err)
		}
	}
	sitA, err := a.SitQuiz(ctx, l.ID, pack, mod, seed)
	if err != nil || !sitA.Resumed || sitA.Attempt.ID != sitB.Attempt.ID {
		t.Fatalf("A did not resume B's attempt: %+v, %v", sitA, err)
	}
	for _, q := range sitA.Questions {
		if _, err := sitA.Answer(ctx, q, quiz.Answer{Bool: &wrong}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := sitB.Submit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.Score != 0 || got.MaxScore != 4 || got.Passed {
		t.Fatalf("submitted %v/%v passed=%v; every stored answer is wrong", got.Score, got.MaxScore, got.Passed)
	}
	if s := storedScore(t, a, got.ID); s != got.Score {
		t.Fatalf("score %v disagrees with stored answers %v", got.Score, s)
	}
	if given, ok := sitB.Given(sitB.Questions[0]); !ok || given.Bool == nil || *given.Bool {
		t.Fatalf("after Submit, B's sitting still shows its own stale answer: %+v", given)
	}

	// A, not knowing, answers again and submits: the attempt is closed and
	// stays as submitted.
	if _, err := sitA.Answer(ctx, sitA.Questions[0], quiz.Answer{Bool: &right}); !errors.Is(err, ErrAttemptClosed) {
		t.Fatalf("answer to a submitted attempt = %v; want ErrAttemptClosed", err)
	}
	again, err := sitA.Submit(ctx)
	if err != nil || again.Score != 0 || *again.SubmittedAt != *got.SubmittedAt {
		t.Fatalf("second submit = %+v, %v", again, err)
	}
}

// TestRebuildKeepsSealedScore: the score written into the submit event is the
// one Rebuild projects, so a rebuilt read model agrees too.
func TestRebuildKeepsSealedScore(t *testing.T) {
	ctx := context.Background()
	a, b := twoStores(t)
	l, _ := a.CreateLearner(ctx, ProfilePayload{FullName: "Đỗ Thị Mai"})
	pack, mod := PackRef{ID: "p", Version: "1"}, fourQuestions()
	right, wrong := true, false
	sitA, _ := a.SitQuiz(ctx, l.ID, pack, mod, func() int64 { return 1 })
	sitB, _ := b.SitQuiz(ctx, l.ID, pack, mod, func() int64 { return 1 })
	for i, q := range sitA.Questions {
		sitA.Answer(ctx, q, quiz.Answer{Bool: &right})
		if i%2 == 0 {
			sitB.Answer(ctx, q, quiz.Answer{Bool: &wrong})
		}
	}
	got, err := sitA.Submit(ctx)
	if err != nil || got.Score != 2 || !got.Passed {
		t.Fatalf("submit = %+v, %v; want 2/4 passed", got, err)
	}
	if err := b.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	if r, _ := b.Attempt(ctx, got.ID); r.Score != 2 || !r.Passed || storedScore(t, b, got.ID) != 2 {
		t.Fatalf("after Rebuild: %+v, stored %v", r, storedScore(t, b, got.ID))
	}
}

// TestTwoWritersAnswerAndSubmitAtOnce races two stores on one file: both sit
// the same quiz at once, answer every question concurrently, and both submit.
// Every round: one attempt, no error but ErrAttemptClosed, and a score equal
// to the stored answers.
func TestTwoWritersAnswerAndSubmitAtOnce(t *testing.T) {
	n := rounds(5, 100)
	ctx := context.Background()
	for round := 0; round < n; round++ {
		a, b := twoStores(t)
		l, _ := a.CreateLearner(ctx, ProfilePayload{FullName: "Vũ Văn Hải"})
		pack, mod := PackRef{ID: "p", Version: "1"}, fourQuestions()
		var wg, seated sync.WaitGroup
		seated.Add(2)
		sits := make([]*Sitting, 2)
		errs := make([]error, 2)
		for i, s := range []*Store{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sit, err := s.SitQuiz(ctx, l.ID, pack, mod, func() int64 { return int64(i) })
				seated.Done()
				seated.Wait() // both are on the quiz before either answers
				if err != nil {
					errs[i] = err
					return
				}
				sits[i] = sit
				v := i == 0
				for _, q := range sit.Questions {
					if _, err := sit.Answer(ctx, q, quiz.Answer{Bool: &v}); err != nil && !errors.Is(err, ErrAttemptClosed) {
						errs[i] = err
						return
					}
				}
				if _, err := sit.Submit(ctx); err != nil {
					errs[i] = err
				}
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		as, _ := a.Attempts(ctx, l.ID, "p", "q")
		if len(as) != 1 || as[0].SubmittedAt == nil {
			t.Fatalf("round %d: %d attempts (want 1, submitted): %+v", round, len(as), as)
		}
		if s := storedScore(t, b, as[0].ID); s != as[0].Score {
			t.Fatalf("round %d: score %v, stored answers %v", round, as[0].Score, s)
		}
		if sits[0].Attempt.Score != as[0].Score || sits[1].Attempt.Score != as[0].Score {
			t.Fatalf("round %d: screens show %v and %v, stored %v", round, sits[0].Attempt.Score, sits[1].Attempt.Score, as[0].Score)
		}
		a.Close()
		b.Close()
	}
	t.Logf("%d rounds of two writers: 0 errors, scores agree with answers", n)
}
