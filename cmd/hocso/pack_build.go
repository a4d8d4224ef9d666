package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"hocso/lessons"
)

func (e *env) packBuildCommand() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "build " + e.loc.T("ArgDir") + " -o " + e.loc.T("ArgPackFile"),
		Short: e.loc.T("CmdPackBuildShort"),
		Args:  e.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if err := e.checkExists(dir); err != nil {
				return err
			}
			if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
				return fail(e.loc.T("PackBuildNeedsDir", map[string]any{"Path": dir}))
			}
			p, files, problems := lessons.LoadDir(dir)
			problems = requireHocso(p, problems)
			e.printProblems(problems)
			if err := problems.Err(); err != nil || p == nil {
				return fail(e.loc.N("PackBuildRefused", len(problems.Errors()), map[string]any{"Path": dir}))
			}
			if out == "" {
				out = p.ID + "-" + p.Version + lessons.ArchiveExt
			}
			if err := lessons.BuildArchive(out, files, "hocso "+version); err != nil {
				return fail(e.loc.T("PackBuildFailed", map[string]any{"File": out, "Error": err.Error()}))
			}
			size := int64(0)
			if fi, err := os.Stat(out); err == nil {
				size = fi.Size()
			}
			fmt.Fprintln(e.stdout, e.loc.T("PackBuilt", map[string]any{
				"File": out, "Arg": shellArg(out), "ID": p.ID, "Version": p.Version, "Files": len(files.Names()),
				"Size": e.loc.Number(float64(size)/1024, 1)}))
			return nil
		},
	}
	stringFlag(cmd.Flags(), &out, "output", "o", e.loc.T("ArgPackFile"), "", e.loc.T("FlagBuildOutputUsage"))
	return cmd
}
