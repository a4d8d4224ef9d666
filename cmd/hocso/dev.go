package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"filippo.io/age"
	"github.com/spf13/cobra"

	"hocso/exchange/bundle"
	"hocso/exchange/synth"
	"hocso/lessons"
	"hocso/store"
)

func (e *env) devCommand() *cobra.Command {
	cmd := e.groupCommand("dev", e.loc.T("CmdDevShort"))
	cmd.Hidden = true
	cmd.AddCommand(e.devGenerateCommand(), e.devHistoryCommand(), e.devPackCommand())
	return cmd
}

func (e *env) devGenerateCommand() *cobra.Command {
	var opt synth.Options
	var out, keyFile string
	opt.Learners, opt.Devices, opt.Seed = 50, 5, 1
	cmd := &cobra.Command{
		Use:   "generate --learners N --devices D (--db " + e.loc.T("ArgFile") + " | -o " + e.loc.T("ArgDir") + ")",
		Short: e.loc.T("CmdDevGenerateShort"),
		Long:  e.loc.T("CmdDevGenerateLong"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			toDB := cmd.Flags().Changed("db")
			if toDB == (out != "") {
				return fail(e.loc.T("DevGenerateWhere"))
			}
			if opt.Learners < 1 || opt.Devices < 1 {
				return fail(e.loc.T("DevGenerateCounts"))
			}
			p, err := lessons.Builtin()
			if err != nil {
				return err
			}
			opt.Pack = p
			plan, err := synth.NewPlan(opt)
			if err != nil {
				return err
			}
			if toDB {
				return e.withStore(ctx, func(s *store.Store) error { return e.generateDB(ctx, s, plan) })
			}
			var office *age.X25519Recipient
			if keyFile != "" {
				if office, err = bundle.ReadPublicKey(keyFile); err != nil {
					return e.keyError(keyFile, err)
				}
			}
			return e.generateBundles(ctx, plan, out, office)
		},
	}
	cmd.Flags().IntVar(&opt.Learners, "learners", opt.Learners, e.loc.T("FlagDevLearnersUsage"))
	cmd.Flags().IntVar(&opt.Devices, "devices", opt.Devices, e.loc.T("FlagDevDevicesUsage"))
	cmd.Flags().Uint64Var(&opt.Seed, "seed", opt.Seed, e.loc.T("FlagDevSeedUsage"))
	e.nameValues(cmd.Flags(), "learners", "devices", "seed")
	stringFlag(cmd.Flags(), &out, "output", "o", e.loc.T("ArgDir"), "", e.loc.T("FlagDevOutUsage"))
	stringFlag(cmd.Flags(), &keyFile, "office-key", "", e.loc.T("ArgFile"), "", e.loc.T("FlagDevOfficeKeyUsage"))
	return cmd
}

// generateDB stores every device's records in one database, as an office
// that imported them all would have them.
func (e *env) generateDB(ctx context.Context, s *store.Store, plan *synth.Plan) error {
	total := 0
	for d := range plan.Devices {
		res, err := s.ImportEvents(ctx, plan.Seq(ctx, d))
		if err != nil {
			return err
		}
		total += res.New
	}
	fmt.Fprintln(e.stdout, e.loc.N("DevGenerated", total, map[string]any{
		"Path": s.Path(), "Learners": countLearners(plan), "Devices": len(plan.Devices)}))
	return nil
}

// generateBundles writes one bundle per device into dir, as each device
// would export it.
func (e *env) generateBundles(ctx context.Context, plan *synth.Plan, dir string, office *age.X25519Recipient) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var recipient age.Recipient
	if office != nil {
		recipient = office
	}
	total := 0
	for d, dev := range plan.Devices {
		c, err := plan.Count(ctx, d)
		if err != nil {
			return err
		}
		h := bundle.Header{Format: "hocsync", Version: bundle.Version, BundleID: dev.ID, DeviceID: dev.ID,
			Created: c.Last, ToSeq: int64(c.Events), Events: c.Events, Learners: len(dev.Learners), First: c.First, Last: c.Last}
		src := bundle.Source{Header: h, Each: func(ctx context.Context, fn func(store.Event) error) error {
			return plan.Events(ctx, d, fn)
		}}
		path := filepath.Join(dir, bundle.FileName(dev.ID, c.Last))
		err = bundle.WriteFile(path, 0o600, func(w io.Writer) error {
			_, err := bundle.Write(ctx, w, recipient, src)
			return err
		})
		if err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		total += c.Events
	}
	fmt.Fprintln(e.stdout, e.loc.N("DevGenerated", total, map[string]any{
		"Path": dir, "Learners": countLearners(plan), "Devices": len(plan.Devices)}))
	return nil
}

func countLearners(plan *synth.Plan) int {
	n := 0
	for _, d := range plan.Devices {
		n += len(d.Learners)
	}
	return n
}
