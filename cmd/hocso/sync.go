package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"filippo.io/age"
	"github.com/spf13/cobra"

	"hocso/exchange/bundle"
	"hocso/lessons"
	"hocso/store"
)

func (e *env) syncCommand() *cobra.Command {
	cmd := e.groupCommand("sync", e.loc.T("CmdSyncShort"))
	cmd.AddCommand(e.syncKeygenCommand(), e.syncSetupCommand(), e.syncExportCommand(),
		e.syncImportCommand(), e.syncAckCommand(), e.syncStatusCommand(), e.syncConflictsCommand())
	cmd.AddCommand(e.syncHubCommands()...)
	return cmd
}

func (e *env) syncKeygenCommand() *cobra.Command {
	out := "hocso-office.key"
	cmd := &cobra.Command{
		Use:   "keygen",
		Short: e.loc.T("CmdSyncKeygenShort"),
		Long:  e.loc.T("CmdSyncKeygenLong"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pub, err := bundle.GenerateKey(out, time.Now())
			if errors.Is(err, os.ErrExist) {
				return fail(e.loc.T("SyncKeyExists", map[string]any{"Path": out}))
			}
			if err != nil {
				return fail(e.loc.T("SyncKeyWriteFailed", map[string]any{"Path": out, "Error": err.Error()}))
			}
			fmt.Fprintln(e.stdout, e.loc.T("SyncKeyMade", map[string]any{"Path": out, "Public": out + ".pub", "Key": pub.String()}))
			return nil
		},
	}
	stringFlag(cmd.Flags(), &out, "output", "o", e.loc.T("ArgFile"), out, e.loc.T("FlagSyncKeyOutUsage"))
	return cmd
}

func (e *env) syncSetupCommand() *cobra.Command {
	var keyFile, hubURL, token string
	cmd := &cobra.Command{
		Use:   "setup --office-key " + e.loc.T("ArgFile"),
		Short: e.loc.T("CmdSyncSetupShort"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if hubURL != "" || token != "" {
				if hubURL == "" || token == "" {
					return fail(e.loc.T("HubSetupNeedsBoth"))
				}
				if err := e.withStore(ctx, func(s *store.Store) error { return e.setupHub(ctx, s, hubURL, token) }); err != nil || keyFile == "" {
					return err
				}
			}
			if keyFile == "" {
				return fail(e.loc.T("SyncSetupNothing"))
			}
			pub, err := bundle.ReadPublicKey(keyFile)
			if err != nil {
				return e.keyError(keyFile, err)
			}
			return e.withStore(ctx, func(s *store.Store) error {
				if err := s.SetMeta(ctx, bundle.MetaOfficeKey, pub.String()); err != nil {
					return err
				}
				fmt.Fprintln(e.stdout, e.loc.T("SyncSetupDone", map[string]any{"Key": pub.String()}))
				return nil
			})
		},
	}
	stringFlag(cmd.Flags(), &keyFile, "office-key", "", e.loc.T("ArgFile"), "", e.loc.T("FlagOfficeKeyUsage"))
	stringFlag(cmd.Flags(), &hubURL, "hub", "", e.loc.T("ArgURL"), "", e.loc.T("FlagHubUsage"))
	stringFlag(cmd.Flags(), &token, "token", "", e.loc.T("ArgToken"), "", e.loc.T("FlagTokenUsage"))
	return cmd
}

// keyError says what is wrong with a key file.
func (e *env) keyError(path string, err error) error {
	data := map[string]any{"Path": path, "Error": err.Error()}
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fail(e.loc.T("SyncKeyMissing", data))
	case errors.Is(err, bundle.ErrPrivateGiven):
		return fail(e.loc.T("SyncKeyPrivateGiven", data))
	case errors.Is(err, bundle.ErrNotPublicKey):
		return fail(e.loc.T("SyncKeyNotPublic", data))
	case errors.Is(err, bundle.ErrNotPrivateKey):
		return fail(e.loc.T("SyncKeyNotPrivate", data))
	}
	return fail(e.loc.T("SyncKeyUnreadable", data))
}

func (e *env) syncExportCommand() *cobra.Command {
	var out string
	var all, plain, asJSON bool
	cmd := &cobra.Command{
		Use:   "export -o " + e.loc.T("ArgFile"),
		Short: e.loc.T("CmdSyncExportShort"),
		Long:  e.loc.T("CmdSyncExportLong"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if out == "" {
				return fail(e.loc.T("SyncExportNeedsOutput"))
			}
			return e.withStore(ctx, func(s *store.Store) error {
				key, err := bundle.OfficeKey(ctx, s)
				if err != nil {
					return err
				}
				if key == nil && !plain {
					return fail(e.loc.T("SyncExportNoKey"))
				}
				if plain {
					key = nil
				}
				path := out
				if fi, err := os.Stat(out); err == nil && fi.IsDir() {
					path = filepath.Join(out, bundle.FileName(s.DeviceID(), s.Now()))
				}
				h, err := bundle.ExportFile(ctx, s, path, key, all)
				if errors.Is(err, bundle.ErrNothingToSend) {
					fmt.Fprintln(e.stdout, e.loc.T("SyncNothingToSend"))
					return nil
				}
				if err != nil {
					return fail(e.loc.T("SyncExportFailed", map[string]any{"Path": path, "Error": err.Error()}))
				}
				if asJSON {
					return writeJSON(e, map[string]any{"path": path, "header": h, "encrypted": key != nil})
				}
				fmt.Fprintln(e.stdout, e.loc.N("SyncExported", h.Total(), map[string]any{
					"Path": path, "Learners": h.Learners}))
				if key == nil {
					fmt.Fprintln(e.stdout, e.loc.T("SyncExportedPlain"))
				}
				return nil
			})
		},
	}
	stringFlag(cmd.Flags(), &out, "output", "o", e.loc.T("ArgFile"), "", e.loc.T("FlagSyncOutUsage"))
	cmd.Flags().BoolVar(&all, "all", false, e.loc.T("FlagSyncAllUsage"))
	cmd.Flags().BoolVar(&plain, "plain", false, e.loc.T("FlagSyncPlainUsage"))
	cmd.Flags().BoolVar(&asJSON, "json", false, e.loc.T("FlagJSONUsage"))
	return cmd
}

func (e *env) syncImportCommand() *cobra.Command {
	var keyFile, out string
	var allowPlain, asJSON bool
	cmd := &cobra.Command{
		Use:   "import " + e.loc.T("ArgBundleFiles"),
		Short: e.loc.T("CmdSyncImportShort"),
		Long:  e.loc.T("CmdSyncImportLong"),
		Args:  e.minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if out != "" && len(args) > 1 {
				return fail(e.loc.T("SyncImportOneReceipt"))
			}
			opt := bundle.ReadOptions{AllowPlain: allowPlain}
			if keyFile != "" {
				id, err := bundle.ReadPrivateKey(keyFile)
				if err != nil {
					return e.keyError(keyFile, err)
				}
				opt.Identities = []age.Identity{id}
			}
			return e.withStore(ctx, func(s *store.Store) error {
				return e.importBundles(ctx, s, args, opt, out, asJSON)
			})
		},
	}
	stringFlag(cmd.Flags(), &keyFile, "key", "", e.loc.T("ArgFile"), "", e.loc.T("FlagSyncKeyUsage"))
	stringFlag(cmd.Flags(), &out, "output", "o", e.loc.T("ArgFile"), "", e.loc.T("FlagSyncReceiptUsage"))
	cmd.Flags().BoolVar(&allowPlain, "allow-plain", false, e.loc.T("FlagSyncAllowPlainUsage"))
	cmd.Flags().BoolVar(&asJSON, "json", false, e.loc.T("FlagJSONUsage"))
	return cmd
}

// importReport is one bundle's outcome in `sync import --json`.
type importReport struct {
	bundle.ImportResult
	ReceiptPath string `json:"receipt_path,omitempty"`
	Error       string `json:"error,omitempty"`
}

// importBundles imports each bundle in its own transaction: a refused bundle
// changes nothing and does not stop the others.
func (e *env) importBundles(ctx context.Context, s *store.Store, paths []string, opt bundle.ReadOptions, out string, asJSON bool) error {
	var reports []importReport
	refused := 0
	for _, path := range paths {
		rep := importReport{}
		res, err := bundle.ImportFile(ctx, s, path, opt)
		rep.ImportResult = res
		if err == nil {
			rep.ReceiptPath = out
			if rep.ReceiptPath == "" {
				rep.ReceiptPath = bundle.ReceiptPath(path)
			}
			if werr := bundle.WriteReceiptFile(rep.ReceiptPath, res.Receipt); werr != nil {
				err = fmt.Errorf("%s: %w", rep.ReceiptPath, werr)
			}
		}
		if err != nil {
			refused++
			rep.Error = e.bundleError(path, err)
			rep.ReceiptPath = ""
		}
		reports = append(reports, rep)
		if !asJSON {
			e.printImport(rep)
		}
	}
	if asJSON {
		if err := writeJSON(e, reports); err != nil {
			return err
		}
	}
	if refused > 0 {
		return &exitError{msg: e.loc.N("SyncImportRefusedCount", refused), code: 1}
	}
	return nil
}

// bundleError is the reason a bundle was refused, in the user's language.
func (e *env) bundleError(path string, err error) string {
	data := map[string]any{"Path": path, "Error": err.Error()}
	for _, c := range []struct {
		err error
		id  string
	}{
		{os.ErrNotExist, "SyncBundleMissing"},
		{bundle.ErrWrongFormat, "SyncBundleWrongFormat"},
		{bundle.ErrNewerFormat, "SyncBundleNewer"},
		{bundle.ErrTruncated, "SyncBundleTruncated"},
		{bundle.ErrDamaged, "SyncBundleDamaged"},
		{bundle.ErrOtherOffice, "SyncBundleOtherOffice"},
		{bundle.ErrNeedKey, "SyncBundleNeedKey"},
		{bundle.ErrPlain, "SyncBundlePlain"},
	} {
		if errors.Is(err, c.err) {
			return e.loc.T(c.id, data)
		}
	}
	return e.loc.T("SyncBundleFailed", data)
}

// printImport writes one bundle's outcome: a line, then new and duplicate
// records per unit and per learner.
func (e *env) printImport(rep importReport) {
	if rep.Error != "" {
		fmt.Fprintln(e.stderr, rep.Error)
		return
	}
	r := rep.Result
	fmt.Fprintln(e.stdout, e.loc.T("SyncImported", map[string]any{
		"Path": rep.Path, "New": r.New, "Duplicate": r.Duplicate, "Learners": len(r.Learners)}))
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\t%s\t%s\t\n", e.loc.T("SyncColUnitLearner"), e.loc.T("SyncColNew"), e.loc.T("SyncColDuplicate"))
	for i := 0; i < len(r.Learners); {
		unit := r.Learners[i].UnitPath
		j, n, d := i, 0, 0
		for ; j < len(r.Learners) && r.Learners[j].UnitPath == unit; j++ {
			n, d = n+r.Learners[j].New, d+r.Learners[j].Duplicate
		}
		name := clean(unit)
		if name == "" {
			name = e.loc.T("SyncNoUnit")
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t\n", name, n, d)
		for _, lc := range r.Learners[i:j] {
			who := clean(lc.FullName)
			if who == "" {
				who = lc.LearnerID
			}
			if lc.StaffCode != "" {
				who += " (" + clean(lc.StaffCode) + ")"
			}
			fmt.Fprintf(tw, "    %s\t%d\t%d\t\n", who, lc.New, lc.Duplicate)
		}
		i = j
	}
	tw.Flush()
	if len(r.Conflicts) > 0 {
		fmt.Fprintln(e.stdout, e.loc.T("SyncImportConflicts", map[string]any{"Count": len(r.Conflicts)}))
	}
	fmt.Fprintln(e.stdout, e.loc.T("SyncReceiptWritten", map[string]any{"Path": rep.ReceiptPath}))
}

// clean makes text from a bundle safe to print.
func clean(s string) string {
	c, _ := lessons.Clean(s)
	return c
}

func (e *env) syncAckCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "ack " + e.loc.T("ArgReceiptFile"),
		Short: e.loc.T("CmdSyncAckShort"),
		Args:  e.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return e.withStore(ctx, func(s *store.Store) error {
				rc, res, err := bundle.AckFile(ctx, s, args[0])
				if err != nil {
					return fail(e.ackError(args[0], err))
				}
				if asJSON {
					return writeJSON(e, map[string]any{"receipt": rc, "result": res})
				}
				id := "SyncAcked"
				if res.Already {
					id = "SyncAckedAlready"
				}
				fmt.Fprintln(e.stdout, e.loc.N(id, res.Acknowledged, map[string]any{"Pending": res.Pending}))
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, e.loc.T("FlagJSONUsage"))
	return cmd
}

// ackError is the reason a receipt was refused, in the user's language.
func (e *env) ackError(path string, err error) string {
	data := map[string]any{"Path": path, "Error": err.Error()}
	switch {
	case errors.Is(err, os.ErrNotExist):
		return e.loc.T("SyncReceiptMissing", data)
	case errors.Is(err, bundle.ErrNotReceipt), errors.Is(err, bundle.ErrNewerFormat):
		return e.loc.T("SyncReceiptWrongFormat", data)
	case errors.Is(err, store.ErrAckOtherDevice):
		return e.loc.T("SyncReceiptOtherDevice", data)
	case errors.Is(err, store.ErrAckMismatch), errors.Is(err, store.ErrAckGap):
		return e.loc.T("SyncReceiptMismatch", data)
	}
	return e.loc.T("SyncReceiptFailed", data)
}

func (e *env) syncStatusCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: e.loc.T("CmdSyncStatusShort"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return e.withStore(ctx, func(s *store.Store) error {
				st, err := s.SyncStatus(ctx)
				if err != nil {
					return err
				}
				key, _ := s.Meta(ctx, bundle.MetaOfficeKey)
				if asJSON {
					return writeJSON(e, struct {
						store.SyncStatus
						DeviceID  string `json:"device_id"`
						OfficeKey string `json:"office_key"`
					}{st, s.DeviceID(), key})
				}
				e.printStatus(st, s.DeviceID(), key)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, e.loc.T("FlagJSONUsage"))
	return cmd
}

func (e *env) printStatus(st store.SyncStatus, device, key string) {
	when := func(t interface{ IsZero() bool }, s string) string {
		if t.IsZero() {
			return e.loc.T("SyncNeverShort")
		}
		return s
	}
	fmt.Fprintln(e.stdout, e.loc.T("SyncStatusDevice", map[string]any{"Device": device}))
	if key == "" {
		key = e.loc.T("SyncStatusNoKey")
	}
	fmt.Fprintln(e.stdout, e.loc.T("SyncStatusOfficeKey", map[string]any{"Key": key}))
	fmt.Fprintln(e.stdout, e.loc.N("SyncStatusPending", st.Pending))
	fmt.Fprintln(e.stdout, e.loc.T("SyncStatusLastAck", map[string]any{
		"When": when(st.LastSent, e.loc.DateTime(st.LastSent.Local()))}))
	if len(st.Destinations) == 0 {
		return
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\t%s\t%s\n", e.loc.T("SyncColDestination"), e.loc.T("SyncColLastExport"), e.loc.T("SyncColLastAck"))
	for _, d := range st.Destinations {
		exp := when(d.LastExport, e.loc.N("SyncWhenCount", d.LastExportCount,
			map[string]any{"When": e.loc.DateTime(d.LastExport.Local())}))
		ack := when(d.LastAck, e.loc.N("SyncWhenCount", d.LastAckCount,
			map[string]any{"When": e.loc.DateTime(d.LastAck.Local())}))
		fmt.Fprintf(tw, "%s\t%s\t%s\n", clean(d.Name), exp, ack)
	}
	tw.Flush()
}

// minArgs wants at least n arguments and says how the command is written.
func (e *env) minArgs(n int) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) >= n {
			return nil
		}
		return fail(e.loc.N("CLIArgAtLeast", n, map[string]any{"Command": c.CommandPath(), "Usage": commandForm(c)}))
	}
}
