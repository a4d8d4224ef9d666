package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/aymanbagabas/go-udiff"
	"github.com/spf13/cobra"

	"hocso/lessons"
	"hocso/store"
)

// diffChange is one change with the learners it concerns: those who completed
// a changed or removed lesson, passed a changed or removed quiz, or answered
// a removed question or an earlier wording of a changed one.
type diffChange struct {
	lessons.ItemChange
	Learners int `json:"learners"`
}

// diffReport is what `pack diff --json` prints.
type diffReport struct {
	PackID     string       `json:"pack_id"`
	OldVersion string       `json:"old_version"`
	NewVersion string       `json:"new_version"`
	Changes    []diffChange `json:"changes"`
}

func (e *env) packDiffCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "diff " + e.loc.T("ArgOld") + " " + e.loc.T("ArgNew"),
		Short: e.loc.T("CmdPackDiffShort"),
		Long:  e.loc.T("CmdPackDiffLong", map[string]any{"Old": e.loc.T("ArgOld"), "New": e.loc.T("ArgNew")}),
		Args:  e.exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return e.withReadStore(ctx, func(s *store.Store) error {
				old, err := e.resolvePack(ctx, s, args[0])
				if err != nil {
					return err
				}
				new, err := e.resolvePack(ctx, s, args[1])
				if err != nil {
					return err
				}
				if old.ID != new.ID {
					return fail(e.loc.T("DiffOtherPack", map[string]any{"Old": old.ID, "New": new.ID}))
				}
				d := lessons.DiffPacks(old, new)
				if asJSON {
					rep, err := diffLearners(ctx, s, d)
					if err != nil {
						return err
					}
					return writeJSON(e, rep)
				}
				return e.printDiff(ctx, s, d)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, e.loc.T("FlagJSONUsage"))
	return cmd
}

// resolvePack loads one side of a diff: a path if it exists, else the
// installed (or built-in) pack with that id.
func (e *env) resolvePack(ctx context.Context, s *store.Store, arg string) (*lessons.Pack, error) {
	if _, err := os.Stat(arg); err == nil {
		p, _, _, problems := lessons.LoadPath(arg)
		if err := problems.Err(); err != nil || p == nil {
			e.printProblems(problems.Errors())
			return nil, fail(e.loc.T("DiffInvalid", map[string]any{"Path": arg}))
		}
		return p, nil
	}
	if builtin, err := lessons.Builtin(); err == nil && builtin.ID == arg {
		return builtin, nil
	}
	ip, err := s.InstalledPack(ctx, arg)
	if err != nil {
		return nil, err
	}
	if ip == nil {
		return nil, fail(e.loc.T("DiffNotFound", map[string]any{"Arg": oneLine(arg)}))
	}
	p, _, problems := lessons.LoadDir(ip.Dir)
	if err := problems.Err(); err != nil || p == nil {
		e.printProblems(problems.Errors())
		return nil, fail(e.loc.T("DiffInvalid", map[string]any{"Path": ip.Dir}))
	}
	return p, nil
}

// diffLearners counts, for each change, the learners on this device it concerns.
func diffLearners(ctx context.Context, s *store.Store, d lessons.Diff) (diffReport, error) {
	rep := diffReport{PackID: d.PackID, OldVersion: d.OldVersion, NewVersion: d.NewVersion, Changes: []diffChange{}}
	completed, err := s.LessonCompletions(ctx, d.PackID)
	if err != nil {
		return rep, err
	}
	passed, err := s.QuizPasses(ctx, d.PackID)
	if err != nil {
		return rep, err
	}
	answered, err := s.QuestionLearners(ctx, d.PackID)
	if err != nil {
		return rep, err
	}
	for _, c := range d.Changes {
		dc := diffChange{ItemChange: c}
		switch {
		case c.Change == lessons.Added:
		case c.Kind == lessons.ItemLesson:
			dc.Learners = completed[c.ID]
		case c.Kind == lessons.ItemQuiz:
			dc.Learners = passed[c.ID]
		case c.Kind == lessons.ItemQuestion && c.Change == lessons.Removed:
			dc.Learners = len(answered[c.ID])
		case c.Kind == lessons.ItemQuestion:
			for _, hashes := range answered[c.ID] {
				for _, h := range hashes {
					if h != c.Hash {
						dc.Learners++
						break
					}
				}
			}
		}
		rep.Changes = append(rep.Changes, dc)
	}
	return rep, nil
}

var diffSign = map[lessons.Change]string{lessons.Added: "+", lessons.Changed: "~", lessons.Removed: "-"}

// printDiff writes a diff for people: one line per change with the learners
// it concerns, and a reminder that progress is kept.
func (e *env) printDiff(ctx context.Context, s *store.Store, d lessons.Diff) error {
	rep, err := diffLearners(ctx, s, d)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, e.loc.T("DiffHeader", map[string]any{"ID": rep.PackID, "Old": rep.OldVersion, "New": rep.NewVersion}))
	if len(rep.Changes) == 0 {
		fmt.Fprintln(e.stdout, "  "+e.loc.T("DiffNone"))
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, c := range rep.Changes {
		note := ""
		if c.Learners > 0 {
			switch {
			case c.Kind == lessons.ItemLesson:
				note = e.loc.N("DiffCompleted", c.Learners)
			case c.Kind == lessons.ItemQuiz:
				note = e.loc.N("DiffPassed", c.Learners)
			case c.Change == lessons.Removed:
				note = e.loc.N("DiffAnswered", c.Learners)
			default:
				note = e.loc.N("DiffAnsweredOld", c.Learners)
			}
			if c.Change == lessons.Removed {
				note += "; " + e.loc.T("DiffHistoryKept")
			}
		}
		row := fmt.Sprintf("  %s\t%s\t%s\t%s", diffSign[c.Change], e.loc.T("DiffKind_"+c.Kind), c.ID,
			e.loc.T("DiffInModule", map[string]any{"Module": c.Module}))
		if note != "" {
			row += "\t" + note
		}
		fmt.Fprintln(tw, row)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, e.loc.T("DiffLegend"))
	for _, c := range rep.Changes {
		if c.Change == lessons.Changed {
			e.printWordingDiff(c.ItemChange)
		}
	}
	return nil
}

// wordingContext is how many unchanged lines stand around each change.
const wordingContext = 2

// printWordingDiff shows how a changed item's wording changed: a unified
// diff, "-" the old line, "+" the new one, with a little context, under a
// heading that names the item. The text is the pack's, so it is cleaned.
func (e *env) printWordingDiff(c lessons.ItemChange) {
	u, err := udiff.ToUnifiedDiff(c.ID, c.ID, c.Before, udiff.Lines(c.Before, c.After), wordingContext)
	if err != nil || len(u.Hunks) == 0 {
		return // only the module it belongs to changed: the list above says so
	}
	fmt.Fprintln(e.stdout)
	fmt.Fprintln(e.stdout, e.loc.T("DiffWordingHeader", map[string]any{"Kind": e.loc.T("DiffKind_" + c.Kind), "ID": oneLine(c.ID)}))
	for i, h := range u.Hunks {
		if i > 0 {
			fmt.Fprintln(e.stdout, "  …")
		}
		for _, l := range h.Lines {
			mark := " "
			switch l.Kind {
			case udiff.Delete:
				mark = "-"
			case udiff.Insert:
				mark = "+"
			}
			text, _ := lessons.Clean(strings.TrimRight(l.Content, "\n"))
			fmt.Fprintf(e.stdout, "  %s %s\n", mark, text)
		}
	}
}
