package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"hocso/store"
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
