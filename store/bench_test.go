package store

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"hocso/quiz"
)

// BenchmarkGradeAndRecordAnswer measures what a learner waits for after
// pressing Enter on a question: grading the answer and committing it durably
// (WAL, synchronous FULL, as Open sets them) to a database on disk. Compare
// with quiz.BenchmarkGrade, the grading alone.
func BenchmarkGradeAndRecordAnswer(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "hocso.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var sync int
	if err := s.db.QueryRow(`PRAGMA synchronous`).Scan(&sync); err != nil || sync != 2 {
		b.Fatalf("synchronous = %d, %v; want 2 (FULL)", sync, err)
	}

	weight := func(w float64) *float64 { return &w }
	questions := []quiz.Question{
		{ID: "q1", Kind: quiz.Single, Options: []quiz.Option{
			{ID: "a", Text: quiz.Text{"vi": "Hà Nội"}, Correct: true}, {ID: "b", Text: quiz.Text{"vi": "Huế"}}}},
		{ID: "q2", Kind: quiz.Multiple, Scoring: quiz.Partial, Options: []quiz.Option{
			{ID: "a", Correct: true}, {ID: "b", Correct: true}, {ID: "c", Weight: weight(-50)}}},
		{ID: "q3", Kind: quiz.Short, IgnoreDiacritics: true, Accept: map[string][]string{"vi": {"Chuyển đổi số"}}},
		{ID: "q4", Kind: quiz.Numeric, Value: weight(7.5), Tolerance: 0.1},
	}
	answers := []quiz.Answer{
		{Choices: []string{"a"}},
		{Choices: []string{"a", "c"}},
		{Text: "chuyen doi so"},
		{Text: "7,5"},
	}
	ids := make([]string, len(questions))
	for i, q := range questions {
		ids[i] = q.ID
	}
	l, err := s.CreateLearner(ctx, ProfilePayload{FullName: "Nguyễn Thị Lan"})
	if err != nil {
		b.Fatal(err)
	}
	// The dashboard reads the sync line before any quiz, so in the app the
	// pending count is already kept when an answer is recorded.
	if _, err := s.SyncStatus(ctx); err != nil {
		b.Fatal(err)
	}
	pack := PackRef{ID: "vn.gov.hocso.nq52", Version: "1.0.0", Hash: "h"}
	a, err := s.StartAttempt(ctx, l.ID, pack, "cmcn4", "cmcn4-quiz", 7, ids, 70)
	if err != nil {
		b.Fatal(err)
	}

	i := 0
	for b.Loop() {
		q, ans := &questions[i%len(questions)], answers[i%len(answers)]
		i++
		raw, err := json.Marshal(ans)
		if err != nil {
			b.Fatal(err)
		}
		p := AnsweredPayload{QuestionHash: q.Hash(), Answer: raw, Score: quiz.Grade(q, ans), MaxScore: q.MaxPoints()}
		if err := s.RecordAnswer(ctx, a, pack, q.ID, p); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()

	got, err := s.Answers(ctx, a.ID)
	if err != nil || len(got) != min(i, len(questions)) {
		b.Fatalf("answers = %d, %v; want %d", len(got), err, min(i, len(questions)))
	}
	if got["q2"].Score != 0 && i >= 2 {
		b.Fatalf("q2 scored %v; want 0 (a right and a wrong option cancel out)", got["q2"].Score)
	}
}
