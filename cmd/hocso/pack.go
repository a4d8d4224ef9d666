package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"hocso/lessons"
	"hocso/quiz"
)

func (e *env) packCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "pack", Short: "lesson packs: list, validate, build, sign, install"}
	cmd.AddCommand(e.packListCommand())
	return cmd
}

// packInfo is what `pack list --json` says of a pack.
type packInfo struct {
	ID       string                    `json:"id"`
	Version  string                    `json:"version"`
	Title    quiz.Text                 `json:"title"`
	Builtin  bool                      `json:"builtin"`
	Hash     string                    `json:"hash"`
	Counts   map[string]lessons.Counts `json:"counts"`
	Language []string                  `json:"languages"`
}

func (e *env) packListCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "list the installed packs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			packs, err := e.packs()
			if err != nil {
				return err
			}
			infos := make([]packInfo, 0, len(packs))
			for i, p := range packs {
				infos = append(infos, packInfo{ID: p.ID, Version: p.Version, Title: p.Title, Builtin: i == 0,
					Hash: p.Hash, Counts: p.CountsByLanguage(), Language: p.Languages})
			}
			if asJSON {
				return writeJSON(e, infos)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			for _, in := range infos {
				c := in.Counts[e.loc.Lang()]
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d/%d/%d\n", in.ID, in.Version, in.Title.In(e.loc.Lang()), c.Modules, c.Lessons, c.Questions)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
