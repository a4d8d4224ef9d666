package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"hocso/store"
)

// syncConflictsCommand lists the versions of events kept apart because they
// came with a stored event's id and other content (see store.Conflicts):
// who sent them, when, and what differs, for the person in charge to check.
func (e *env) syncConflictsCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "conflicts",
		Short: e.loc.T("CmdSyncConflictsShort"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return e.withStore(ctx, func(s *store.Store) error {
				list, err := s.Conflicts(ctx)
				if err != nil {
					return err
				}
				if asJSON {
					if list == nil {
						list = []store.ConflictEntry{}
					}
					return writeJSON(e, list)
				}
				if len(list) == 0 {
					fmt.Fprintln(e.stdout, e.loc.T("SyncConflictsNone"))
					return nil
				}
				fmt.Fprintln(e.stdout, e.loc.N("SyncConflictsHeader", len(list)))
				for _, c := range list {
					learner := c.LearnerName
					if learner == "" {
						learner = c.Stored.LearnerID
					}
					fields := make([]string, len(c.Differs))
					for i, f := range c.Differs {
						fields[i] = e.loc.T(conflictFields[f])
					}
					fmt.Fprintln(e.stdout, e.loc.T("SyncConflictLine", map[string]any{
						"ID": c.Stored.ID, "Kind": clean(c.Stored.Kind), "Learner": clean(learner),
						"Device": clean(c.Arrived.DeviceID), "When": e.loc.DateTime(c.ReceivedAt.Local()),
						"Fields": strings.Join(fields, ", ")}))
				}
				fmt.Fprintln(e.stdout, e.loc.T("SyncConflictsMore"))
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, e.loc.T("FlagJSONUsage"))
	return cmd
}

// conflictFields names each field store.ConflictEntry.Differs lists.
var conflictFields = map[string]string{
	"learner_id": "SyncConflictField_learner_id", "device_id": "SyncConflictField_device_id",
	"kind": "SyncConflictField_kind", "pack_id": "SyncConflictField_pack_id",
	"pack_version": "SyncConflictField_pack_version", "pack_hash": "SyncConflictField_pack_hash",
	"item_id": "SyncConflictField_item_id", "time": "SyncConflictField_time", "payload": "SyncConflictField_payload",
}
