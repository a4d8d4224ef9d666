package main

import (
	"github.com/spf13/cobra"

	"hocso/store"
)

// syncCommand is `hocso sync`. The bundle commands join it from their own file.
func (e *env) syncCommand() *cobra.Command {
	cmd := e.groupCommand("sync", e.loc.T("CmdSyncShort"))
	var hubURL, token string
	setup := &cobra.Command{
		Use:   "setup",
		Short: e.loc.T("CmdSyncSetupShort"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if hubURL == "" || token == "" {
				return fail(e.loc.T("HubSetupNeedsBoth"))
			}
			return e.withStore(cmd.Context(), func(s *store.Store) error { return e.setupHub(cmd.Context(), s, hubURL, token) })
		},
	}
	stringFlag(setup.Flags(), &hubURL, "hub", "", e.loc.T("ArgURL"), "", e.loc.T("FlagHubUsage"))
	stringFlag(setup.Flags(), &token, "token", "", e.loc.T("ArgToken"), "", e.loc.T("FlagTokenUsage"))
	cmd.AddCommand(setup)
	cmd.AddCommand(e.syncHubCommands()...)
	return cmd
}
