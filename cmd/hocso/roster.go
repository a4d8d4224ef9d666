package main

import (
	"errors"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"hocso/report"
	"hocso/store"
)

func (e *env) learnerImportCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "import " + e.loc.T("ArgRosterFile"),
		Short: e.loc.T("CmdLearnerImportShort"),
		Long:  e.loc.T("CmdLearnerImportLong"),
		Args:  e.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			path := args[0]
			f, err := os.Open(path)
			if err != nil {
				return fail(e.loc.T("RosterOpenFailed", map[string]any{"Path": path, "Error": err.Error()}))
			}
			defer f.Close()
			rows, err := report.ReadRoster(path, f)
			var problems report.RosterProblems
			if errors.As(err, &problems) {
				for _, p := range problems {
					fmt.Fprintln(e.stderr, path+": "+p.Text(e.loc))
				}
				return fail(e.loc.N("RosterInvalid", len(problems), map[string]any{"Path": path}))
			}
			if err != nil {
				return fail(e.loc.T("RosterOpenFailed", map[string]any{"Path": path, "Error": err.Error()}))
			}
			return e.withStore(ctx, func(s *store.Store) error {
				outcomes, err := s.ImportRoster(ctx, rows)
				if err != nil {
					return err
				}
				count := map[string]int{}
				for _, o := range outcomes {
					count[o]++
				}
				fmt.Fprintln(e.stdout, e.loc.N("RosterImported", len(rows), map[string]any{"Path": path,
					"Created": count[store.RosterCreated], "Updated": count[store.RosterUpdated],
					"Unchanged": count[store.RosterUnchanged]}))
				return e.printAmbiguous(cmd, s)
			})
		},
	}
}

func (e *env) learnerLinkCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "link [" + e.loc.T("ArgLearnerID") + " " + e.loc.T("ArgStaffCode") + "]",
		Short: e.loc.T("CmdLearnerLinkShort"),
		Long:  e.loc.T("CmdLearnerLinkLong"),
		Args: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return nil
			}
			return e.exactArgs(2)(c, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return e.withStore(ctx, func(s *store.Store) error {
				if len(args) == 0 {
					if err := s.LinkRoster(ctx); err != nil {
						return err
					}
					amb, err := s.Ambiguous(ctx)
					if err != nil {
						return err
					}
					if len(amb) == 0 {
						fmt.Fprintln(e.stdout, e.loc.T("LinkNoneAmbiguous"))
						return nil
					}
					return e.printAmbiguous(cmd, s)
				}
				r, err := s.RosterEntryFor(ctx, args[1])
				if errors.Is(err, store.ErrNoRosterEntry) {
					return fail(e.loc.T("LinkNoRosterEntry", map[string]any{"Code": args[1]}))
				}
				if err != nil {
					return err
				}
				err = s.Link(ctx, args[0], r.ID)
				if errors.Is(err, store.ErrNoLearner) {
					return fail(e.loc.T("LearnerNotFound", map[string]any{"ID": args[0]}))
				}
				if err != nil {
					return err
				}
				fmt.Fprintln(e.stdout, e.loc.T("LinkDone", map[string]any{"ID": args[0], "Name": r.FullName,
					"Code": r.StaffCode, "Unit": r.UnitPath}))
				return nil
			})
		},
	}
}

// printAmbiguous lists learners who match several roster entries, each
// with the command that links them to one.
func (e *env) printAmbiguous(cmd *cobra.Command, s *store.Store) error {
	amb, err := s.Ambiguous(cmd.Context())
	if err != nil || len(amb) == 0 {
		return err
	}
	fmt.Fprintln(e.stdout, e.loc.N("LinkAmbiguousHeader", len(amb)))
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, a := range amb {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", a.Learner.ID, clean(a.Learner.FullName), clean(a.Learner.UnitPath))
		for _, c := range a.Candidates {
			code := c.StaffCode
			if code == "" {
				code = c.ID
			}
			fmt.Fprintf(tw, "\t→ hocso learner link %s %s\t%s, %s\n", a.Learner.ID, code, clean(c.FullName), clean(c.Position))
		}
	}
	return tw.Flush()
}
