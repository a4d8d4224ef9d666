package main

import (
	"encoding/json"
	"fmt"
	"iter"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"hocso/lessons"
	"hocso/store"
)

// devHistoryCommand makes one learner with a history of any length: the
// measure of whether screens cost what the course costs or what the history
// costs (docs/performance.md).
func (e *env) devHistoryCommand() *cobra.Command {
	events := 100_000
	cmd := &cobra.Command{
		Use:   "history --events " + e.loc.T("ArgCount") + " --db " + e.loc.T("ArgFile"),
		Short: e.loc.T("CmdDevHistoryShort"),
		Long:  e.loc.T("CmdDevHistoryLong"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if events < 1 {
				return fail(e.loc.T("DevGenerateCounts"))
			}
			p, err := lessons.Builtin()
			if err != nil {
				return err
			}
			return e.withStore(ctx, func(s *store.Store) error {
				name := "Nguyễn Thị Lịch Sử"
				l, err := s.CreateLearner(ctx, store.ProfilePayload{FullName: name, UnitPath: "Hà Nội / Phường Ba Đình"})
				if err != nil {
					return err
				}
				if err := s.SetCurrentLearner(ctx, l.ID); err != nil {
					return err
				}
				res, err := s.ImportEvents(ctx, longHistory(s, l.ID, p, events-1))
				if err != nil {
					return err
				}
				fmt.Fprintln(e.stdout, e.loc.N("DevHistoryDone", res.New+1, map[string]any{"Name": name, "Path": s.Path()}))
				return nil
			})
		},
	}
	cmd.Flags().IntVar(&events, "events", events, e.loc.T("FlagDevEventsUsage"))
	_ = cmd.Flags().SetAnnotation("events", valueNameAnnotation, []string{e.loc.T("ArgCount")})
	return cmd
}

// longHistory yields n events of one learner in p: every lesson opened and
// completed, then the quizzes taken in turn, every question answered (right
// every other attempt), each attempt submitted, a minute apart.
func longHistory(s *store.Store, learnerID string, p *lessons.Pack, n int) iter.Seq2[store.Event, error] {
	return func(yield func(store.Event, error) bool) {
		ref := store.PackRef{ID: p.ID, Version: p.Version, Hash: p.Hash}
		at := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
		emit := func(kind, item string, payload any) bool {
			if n <= 0 {
				return false
			}
			n--
			b, err := json.Marshal(payload)
			ev := store.Event{ID: uuid.Must(uuid.NewV7()).String(), LearnerID: learnerID, DeviceID: s.DeviceID(),
				Kind: kind, PackID: ref.ID, PackVersion: ref.Version, PackHash: ref.Hash, ItemID: item, Time: at, Payload: b}
			at = at.Add(time.Minute)
			return yield(ev, err)
		}
		for _, m := range p.Modules {
			for _, l := range m.Lessons {
				if !emit(store.KindLessonOpened, l.ID, store.LessonPayload{ModuleID: m.ID}) ||
					!emit(store.KindLessonCompleted, l.ID, store.LessonPayload{ModuleID: m.ID}) {
					return
				}
			}
		}
		for round := 0; ; round++ {
			for _, m := range p.Modules {
				if m.Quiz == nil {
					continue
				}
				if !takeQuiz(m, round, emit) {
					return
				}
			}
		}
	}
}

func takeQuiz(m *lessons.Module, round int, emit func(kind, item string, payload any) bool) bool {
	z := m.Quiz
	id := uuid.Must(uuid.NewV7()).String()
	var ids []string
	for i := range z.Questions[:z.Asked()] {
		ids = append(ids, z.Questions[i].ID)
	}
	if !emit(store.KindQuizStarted, z.ID, store.QuizStartedPayload{AttemptID: id, ModuleID: m.ID, Seed: int64(round),
		QuestionIDs: ids, PassMark: z.PassMark}) {
		return false
	}
	var score, total float64
	for i, qid := range ids {
		q := &z.Questions[i]
		got := 0.0
		if (round+i)%2 == 0 {
			got = q.MaxPoints()
		}
		score, total = score+got, total+q.MaxPoints()
		if !emit(store.KindQuizAnswered, qid, store.AnsweredPayload{AttemptID: id, QuestionHash: q.Hash(),
			Answer: json.RawMessage(`{"choices":["a"]}`), Score: got, MaxScore: q.MaxPoints()}) {
			return false
		}
	}
	return emit(store.KindQuizSubmitted, z.ID, store.SubmittedPayload{AttemptID: id, Score: score, MaxScore: total,
		Passed: z.Passed(score, total)})
}
