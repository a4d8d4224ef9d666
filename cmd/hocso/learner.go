package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"hocso/store"
	"hocso/tui/common"
)

func (e *env) learnerCommand() *cobra.Command {
	cmd := e.groupCommand("learner", e.loc.T("CmdLearnerShort"))
	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: e.loc.T("CmdLearnerListShort"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withStore(cmd.Context(), func(s *store.Store) error {
				ls, err := s.Learners(cmd.Context())
				if err != nil {
					return err
				}
				if asJSON {
					if ls == nil {
						ls = []store.Learner{}
					}
					return writeJSON(e, ls)
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				for _, l := range ls {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", l.ID, l.FullName, l.StaffCode, l.UnitPath)
				}
				return tw.Flush()
			})
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, e.loc.T("FlagJSONUsage"))
	cmd.AddCommand(list)
	return cmd
}

// withStore opens the database for one command.
func (e *env) withStore(ctx context.Context, f func(*store.Store) error) error {
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	return f(s)
}

func writeJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// learnerProgress is one learner's record in one pack, for `progress --json`.
type learnerProgress struct {
	Learner store.Learner `json:"learner"`
	Packs   []packRecord  `json:"packs"`
}

type packRecord struct {
	PackID   string                 `json:"pack_id"`
	Version  string                 `json:"version"`
	Course   store.CourseProgress   `json:"course"` // required modules only
	Modules  []store.ModuleProgress `json:"modules"`
	Lessons  []store.LessonState    `json:"lessons"`
	Attempts []attemptRecord        `json:"attempts"`
}

type attemptRecord struct {
	store.Attempt
	Answers []store.Answer `json:"answers"`
}

func (e *env) progressCommand() *cobra.Command {
	var asJSON bool
	var learnerID string
	cmd := &cobra.Command{
		Use:   "progress",
		Short: e.loc.T("CmdProgressShort"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return e.withStore(ctx, func(s *store.Store) error {
				out, err := e.collectProgress(ctx, s, learnerID)
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(e, out)
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				for _, lp := range out {
					fmt.Fprintf(tw, "%s\t%s\n", lp.Learner.FullName, lp.Learner.UnitPath)
					for _, pr := range lp.Packs {
						for _, m := range pr.Modules {
							fmt.Fprintf(tw, "  %s\t%d/%d\t%s\t%s\n", m.ModuleID, m.LessonsDone, m.LessonsTotal,
								e.loc.Percent(m.QuizPercent), e.loc.T(common.StatusMessage(m.Status)))
						}
					}
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, e.loc.T("FlagJSONUsage"))
	stringFlag(cmd.Flags(), &learnerID, "learner", "", e.loc.T("ArgID"), "", e.loc.T("FlagLearnerUsage"))
	return cmd
}

func (e *env) collectProgress(ctx context.Context, s *store.Store, learnerID string) ([]learnerProgress, error) {
	var learners []store.Learner
	if learnerID != "" {
		l, err := s.Learner(ctx, learnerID)
		if errors.Is(err, store.ErrNoLearner) {
			return nil, fail(e.loc.T("LearnerNotFound", map[string]any{"ID": learnerID}))
		}
		if err != nil {
			return nil, err
		}
		learners = []store.Learner{l}
	} else {
		var err error
		if learners, err = s.Learners(ctx); err != nil {
			return nil, err
		}
	}
	packs, err := e.packs(ctx, s)
	if err != nil {
		return nil, err
	}
	out := []learnerProgress{}
	for _, l := range learners {
		lp := learnerProgress{Learner: l, Packs: []packRecord{}}
		for _, loaded := range packs {
			p := loaded.Pack
			mods, err := s.PackProgress(ctx, l.ID, p)
			if err != nil {
				return nil, err
			}
			rec := packRecord{PackID: p.ID, Version: p.Version, Course: store.Course(p, mods), Modules: mods, Lessons: []store.LessonState{}, Attempts: []attemptRecord{}}
			done, err := s.Lessons(ctx, l.ID, p.ID)
			if err != nil {
				return nil, err
			}
			for _, mod := range p.Modules {
				for _, les := range mod.Lessons {
					if st, ok := done[les.ID]; ok {
						rec.Lessons = append(rec.Lessons, st)
					}
				}
			}
			attempts, err := s.Attempts(ctx, l.ID, p.ID, "")
			if err != nil {
				return nil, err
			}
			for _, a := range attempts {
				answers, err := s.Answers(ctx, a.ID)
				if err != nil {
					return nil, err
				}
				ar := attemptRecord{Attempt: a, Answers: []store.Answer{}}
				for _, id := range a.QuestionIDs {
					if ans, ok := answers[id]; ok {
						ar.Answers = append(ar.Answers, ans)
					}
				}
				rec.Attempts = append(rec.Attempts, ar)
			}
			lp.Packs = append(lp.Packs, rec)
		}
		out = append(out, lp)
	}
	return out, nil
}
