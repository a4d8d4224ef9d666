package quiz

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// poolQuiz has n single-choice questions q01…qn, each with four options.
func poolQuiz(n int, shuffle bool) *Quiz {
	z := &Quiz{ID: "ngan-hang", PassMark: 70, ShuffleQuestions: shuffle, ShuffleOptions: shuffle}
	for i := 1; i <= n; i++ {
		z.Questions = append(z.Questions, Question{
			ID: fmt.Sprintf("q%02d", i), Kind: Single, Text: vi(fmt.Sprint("Câu ", i)),
			Options: []Option{
				{ID: "a", Text: vi("A"), Correct: true}, {ID: "b", Text: vi("B")},
				{ID: "c", Text: vi("C")}, {ID: "d", Text: vi("D")},
			},
		})
	}
	return z
}

func packOrder(z *Quiz) []string {
	ids := make([]string, len(z.Questions))
	for i, q := range z.Questions {
		ids[i] = q.ID
	}
	return ids
}

// learnerSeeds returns n seeds as NewSeed hands them out, but reproducibly.
func learnerSeeds(n int) []int64 {
	r := rand.New(rand.NewPCG(2019, 52))
	out := make([]int64, n)
	for i := range out {
		out[i] = r.Int64()
	}
	return out
}

func isPermutation(idx []int, n int) bool {
	if len(idx) != n {
		return false
	}
	s := slices.Clone(idx)
	slices.Sort(s)
	for i, v := range s {
		if v != i {
			return false
		}
	}
	return true
}

// A resumed or reviewed attempt is rebuilt from its stored seed, so the same
// seed must give the same questions, in the same order, with the same choices.
func TestSameSeedSameAttempt(t *testing.T) {
	for _, seed := range append(learnerSeeds(200), 0, -1, 1) {
		z, again := poolQuiz(10, true), poolQuiz(10, true) // as loaded twice
		z.Draw, again.Draw = 6, 6
		order := z.Order(seed)
		if got := again.Order(seed); !slices.Equal(got, order) {
			t.Fatalf("seed %d: Order = %v, then %v", seed, order, got)
		}
		for _, id := range order {
			if a, b := z.Arrangement(z.Question(id), seed), again.Arrangement(again.Question(id), seed); !slices.Equal(a, b) {
				t.Fatalf("seed %d, %s: Arrangement = %v, then %v", seed, id, a, b)
			}
		}
		for _, q := range []*Question{ptr(matchingQuestion()), ptr(orderingQuestion(5))} {
			if a, b := z.Arrangement(q, seed), z.Arrangement(q, seed); !slices.Equal(a, b) {
				t.Fatalf("seed %d, %s: Arrangement = %v, then %v", seed, q.Kind, a, b)
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestDifferentLearnersDifferentOrders(t *testing.T) {
	z := poolQuiz(10, true)
	seeds := learnerSeeds(2000)
	differ, adjacentDiffer := 0, 0
	for i := 0; i < 1000; i++ {
		if !slices.Equal(z.Order(seeds[2*i]), z.Order(seeds[2*i+1])) {
			differ++
		}
		if !slices.Equal(z.Order(int64(i)), z.Order(int64(i+1))) {
			adjacentDiffer++
		}
	}
	if differ < 990 || adjacentDiffer < 990 {
		t.Fatalf("of 1000 seed pairs, %d random and %d adjacent pairs gave different orders; want ≥ 99%%", differ, adjacentDiffer)
	}
	// Every question must be able to come first: a shuffle, not a rotation.
	first := map[string]int{}
	for _, s := range seeds {
		first[z.Order(s)[0]]++
	}
	for _, id := range packOrder(z) {
		if first[id] < 100 { // 200 expected
			t.Errorf("%s came first in %d of %d attempts", id, first[id], len(seeds))
		}
	}
}

// Group sessions follow the trainer's order: with shuffle_questions = false
// every learner gets the pack's order.
func TestFixedOrderWhenNotShuffled(t *testing.T) {
	z := poolQuiz(10, false)
	want := packOrder(z)
	for _, seed := range learnerSeeds(500) {
		if got := z.Order(seed); !slices.Equal(got, want) {
			t.Fatalf("seed %d: Order = %v; want the pack's order %v", seed, got, want)
		}
		q := &z.Questions[0]
		if got := z.Arrangement(q, seed); !slices.Equal(got, []int{0, 1, 2, 3}) {
			t.Fatalf("seed %d: options arranged %v with shuffle_options = false", seed, got)
		}
	}
}

func TestDraw(t *testing.T) {
	for _, shuffle := range []bool{true, false} {
		z := poolQuiz(12, shuffle)
		z.Draw = 5
		pos := map[string]int{}
		for i, id := range packOrder(z) {
			pos[id] = i
		}
		drawn := map[string]int{}
		for _, seed := range learnerSeeds(1000) {
			got := z.Order(seed)
			if len(got) != z.Draw {
				t.Fatalf("seed %d: drew %d questions; want %d", seed, len(got), z.Draw)
			}
			seen := map[string]bool{}
			for _, id := range got {
				if _, ok := pos[id]; !ok || seen[id] {
					t.Fatalf("seed %d: drew %v: unknown or repeated %s", seed, got, id)
				}
				seen[id] = true
				drawn[id]++
			}
			if !shuffle && !slices.IsSortedFunc(got, func(a, b string) int { return pos[a] - pos[b] }) {
				t.Fatalf("seed %d: drew %v out of the pack's order with shuffle_questions = false", seed, got)
			}
		}
		for id := range pos {
			if drawn[id] < 300 { // 5/12 of 1000 ≈ 417 expected
				t.Errorf("shuffle=%v: %s drawn in %d of 1000 attempts", shuffle, id, drawn[id])
			}
		}
	}

	// A draw of the whole pool, or more, asks every question.
	z := poolQuiz(4, false)
	for _, d := range []int{0, 4, 9} {
		z.Draw = d
		if got := z.Order(7); !slices.Equal(got, packOrder(z)) {
			t.Errorf("draw %d of 4: Order = %v; want all, in order", d, got)
		}
	}
}

func orderingQuestion(n int) Question {
	q := Question{ID: fmt.Sprint("thu-tu-", n), Kind: Ordering, Text: vi("?")}
	for i := 1; i <= n; i++ {
		q.Items = append(q.Items, Item{ID: fmt.Sprint(i), Text: vi(fmt.Sprint("Bước ", i))})
	}
	return q
}

// An ordering question shown in the right order would need no answer.
func TestOrderingNeverShownSolved(t *testing.T) {
	z := poolQuiz(1, false) // options not shuffled: ordering shuffles regardless
	for n := 2; n <= 6; n++ {
		q := orderingQuestion(n)
		for _, seed := range append(learnerSeeds(5000), 0, 1, -1) {
			got := z.Arrangement(&q, seed)
			if !isPermutation(got, n) {
				t.Fatalf("%d items, seed %d: arrangement %v is not a permutation", n, seed, got)
			}
			if identity(got) {
				t.Fatalf("%d items, seed %d: items shown in the right order %v", n, seed, got)
			}
		}
	}
}

// The right-hand column of a matching question is shuffled even when the quiz
// does not shuffle options: it lines up with the left no more often than
// chance (1 in n!), so its order tells the learner nothing.
func TestMatchingRightColumnShuffled(t *testing.T) {
	z := poolQuiz(1, false)
	for n := 3; n <= 6; n++ {
		q := Question{ID: fmt.Sprint("ghep-", n), Kind: Matching, Text: vi("?")}
		for i := 1; i <= n; i++ {
			q.Pairs = append(q.Pairs, Pair{ID: fmt.Sprint(i), Left: vi(fmt.Sprint("T", i)), Right: vi(fmt.Sprint("P", i))})
		}
		seeds := learnerSeeds(1000)
		shuffled := 0
		for _, seed := range seeds {
			got := z.Arrangement(&q, seed)
			if !isPermutation(got, n) {
				t.Fatalf("%d pairs, seed %d: arrangement %v is not a permutation", n, seed, got)
			}
			if !identity(got) {
				shuffled++
			}
		}
		chance := 1.0
		for k := 2; k <= n; k++ {
			chance /= float64(k)
		}
		if limit := 1000*chance + 50; float64(1000-shuffled) > limit {
			t.Errorf("%d pairs: right column lined up with the left in %d of 1000 attempts (chance: %.0f)", n, 1000-shuffled, 1000*chance)
		}
	}
}

func TestOptionsShuffledWhenAsked(t *testing.T) {
	z := poolQuiz(1, true)
	q := &z.Questions[0]
	moved, firstSeen := 0, map[int]bool{}
	for _, seed := range learnerSeeds(1000) {
		got := z.Arrangement(q, seed)
		if !isPermutation(got, 4) {
			t.Fatalf("seed %d: arrangement %v is not a permutation", seed, got)
		}
		if !identity(got) {
			moved++
		}
		firstSeen[got[0]] = true
	}
	// 1 in 24 shuffles keeps the pack's order, which is fine for options.
	if moved < 900 || len(firstSeen) != 4 {
		t.Errorf("options moved in %d of 1000 attempts, first option drawn from %v", moved, firstSeen)
	}
	tf := &Question{ID: "tf", Kind: TrueFalse, Correct: boolp(true)}
	if got := z.Arrangement(tf, 1); len(got) != 0 {
		t.Errorf("true/false arrangement = %v; want none", got)
	}
}
