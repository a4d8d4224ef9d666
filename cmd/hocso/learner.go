package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"
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
			return e.withReadStore(cmd.Context(), func(s *store.Store) error {
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
				if len(ls) == 0 {
					fmt.Fprintln(e.stdout, e.loc.T("LearnersEmpty", map[string]any{"Path": e.dbPath}))
					return nil
				}
				return e.learnerTable(ls)
			})
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, e.loc.T("FlagJSONUsage"))
	cmd.AddCommand(list, e.learnerImportCommand(), e.learnerLinkCommand())
	return cmd
}

// withStore opens the database for one command that may write.
func (e *env) withStore(ctx context.Context, f func(*store.Store) error) error {
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	return f(s)
}

// withReadStore opens the database for a command that only reads. A file
// hocso cannot write (on a read-only share, a CD, a locked-down PC, a full
// disk) is then opened read-only, without changing it, rather than refused.
func (e *env) withReadStore(ctx context.Context, f func(*store.Store) error) error {
	if err := e.needDB(); err != nil {
		return err
	}
	if err := e.checkDBPath(); err != nil {
		return err
	}
	s, err := store.Open(ctx, e.dbPath)
	if errors.Is(err, store.ErrReadOnly) || errors.Is(err, store.ErrDiskFull) {
		if ro, roErr := store.OpenReadOnly(ctx, e.dbPath); roErr == nil {
			s, err = ro, nil
		}
	}
	if err != nil {
		return e.storeError(err)
	}
	defer s.Close()
	e.placePacks(s)
	return f(s)
}

func writeJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// learnerProgress is one learner's record in every pack: what `progress
// --json` writes (see streamProgress) and the table shows.
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
	// Answers, in the order the attempt asked the questions, are written
	// with --answers only.
	Answers []store.Answer `json:"answers,omitempty"`
	// AnswersWithheld is set for a PIN-protected learner whose PIN was not
	// given: the office sees scores and statuses, not the answers themselves.
	AnswersWithheld bool `json:"answers_withheld,omitempty"`
}

func (e *env) progressCommand() *cobra.Command {
	var asJSON, withAnswers bool
	var learnerID string
	cmd := &cobra.Command{
		Use:   "progress",
		Short: e.loc.T("CmdProgressShort"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if withAnswers && !asJSON {
				return usageFail(e.loc.T("ProgressAnswersNeedJSON"))
			}
			return e.withReadStore(ctx, func(s *store.Store) error {
				if asJSON {
					learners, err := e.progressLearners(ctx, s, learnerID)
					if err != nil {
						return err
					}
					return e.streamProgressJSON(ctx, s, learners, withAnswers, learnerID == "")
				}
				out, err := e.collectProgress(ctx, s, learnerID)
				if err != nil {
					return err
				}
				if len(out) == 0 {
					fmt.Fprintln(e.stdout, e.loc.T("LearnersEmpty", map[string]any{"Path": e.dbPath}))
					return nil
				}
				return e.progressTable(ctx, s, out)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, e.loc.T("FlagJSONUsage"))
	cmd.Flags().BoolVar(&withAnswers, "answers", false, e.loc.T("FlagProgressAnswersUsage"))
	stringFlag(cmd.Flags(), &learnerID, "learner", "", e.loc.T("ArgID"), "", e.loc.T("FlagLearnerUsage"))
	return cmd
}

// progressLearners is the one learner asked for (by id, staff code or a
// unique name, after their PIN if they have one), or everyone.
func (e *env) progressLearners(ctx context.Context, s *store.Store, learnerID string) ([]store.Learner, error) {
	if learnerID == "" {
		return s.Learners(ctx)
	}
	l, err := e.findLearner(ctx, s, learnerID)
	if err != nil {
		return nil, err
	}
	if err := e.unlockLearner(ctx, s, l); err != nil {
		return nil, err
	}
	return []store.Learner{l}, nil
}

// collectProgress gathers what the human table shows: every learner's
// modules in every pack, whose cost follows the course, not the history.
func (e *env) collectProgress(ctx context.Context, s *store.Store, learnerID string) ([]learnerProgress, error) {
	learners, err := e.progressLearners(ctx, s, learnerID)
	if err != nil {
		return nil, err
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
			lp.Packs = append(lp.Packs, packRecord{PackID: p.ID, Version: p.Version, Course: store.Course(p, mods), Modules: mods})
		}
		out = append(out, lp)
	}
	return out, nil
}

// unlockLearner asks for a PIN-protected learner's PIN before their answers
// are shown, as the learner picker does: on a terminal it is typed without
// echo; without a terminal to ask on, the command is refused. Wrong tries
// count towards the same lockout as in the learning interface.
func (e *env) unlockLearner(ctx context.Context, s *store.Store, l store.Learner) error {
	has, err := s.HasPIN(ctx, l.ID)
	if err != nil || !has {
		return err
	}
	f, ok := e.stdin.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return fail(e.loc.T("ProgressPINNeeded", map[string]any{"Name": l.FullName, "ID": l.ID}))
	}
	fmt.Fprint(e.stderr, e.loc.T("PINPrompt", map[string]any{"Name": l.FullName})+" ")
	pin, err := term.ReadPassword(f.Fd())
	fmt.Fprintln(e.stderr)
	if err != nil {
		return err
	}
	if ok, err = s.CheckPIN(ctx, l.ID, strings.TrimSpace(string(pin))); ok {
		return nil
	}
	return fail(common.PINRefusal(&common.Common{Loc: e.loc}, err))
}
