package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"hocso/lessons"
	"hocso/store"
)

// version and commit are set at build time with -ldflags "-X main.version=…
// -X main.commit=…" (scripts/release does); commit falls back to what the Go
// toolchain records of the git checkout.
var (
	version = "0.1.0-dev"
	commit  = ""
)

func (e *env) versionCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: e.loc.T("CmdVersionShort"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			info := map[string]any{
				"version":     version,
				"go":          runtime.Version(),
				"os":          runtime.GOOS + "/" + runtime.GOARCH,
				"schema":      store.SchemaVersion(),
				"pack_format": lessons.FormatVersion,
			}
			if commit != "" {
				info["commit"] = commit
			} else if bi, ok := debug.ReadBuildInfo(); ok {
				for _, s := range bi.Settings {
					if s.Key == "vcs.revision" {
						info["commit"] = s.Value
					}
				}
			}
			if asJSON {
				return json.NewEncoder(e.stdout).Encode(info)
			}
			fmt.Fprintln(e.stdout, e.loc.T("VersionLine", map[string]any{"Version": version, "Go": info["go"], "OS": info["os"]}))
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, e.loc.T("FlagJSONUsage"))
	return cmd
}
