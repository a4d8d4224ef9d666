package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"hocso/exchange/hub"
	"hocso/store"
)

// serveCommand is `hocso serve`: the hub that offices and provinces run.
func (e *env) serveCommand() *cobra.Command {
	lc := hub.ListenConfig{}
	limits := hub.DefaultLimits
	var logJSON bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: e.loc.T("CmdServeShort"),
		Long:  e.loc.T("CmdServeLong"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := hub.CheckListen(lc); err != nil {
				if errors.Is(err, hub.ErrInsecureListen) {
					return fail(e.loc.T("HubInsecureListen", map[string]any{"Addr": lc.Addr}))
				}
				return fail(e.loc.T("HubListenFailed", map[string]any{"Error": err.Error()}))
			}
			var h slog.Handler = slog.NewTextHandler(e.stderr, nil)
			if logJSON {
				h = slog.NewJSONHandler(e.stderr, nil)
			}
			log := slog.New(h)
			return e.withStore(cmd.Context(), func(s *store.Store) error {
				lc.Ready = func(a net.Addr) {
					fmt.Fprintln(e.stdout, e.loc.T("HubListening", map[string]any{"Addr": a.String(), "DB": s.Path()}))
				}
				srv := hub.NewServer(s, log, limits)
				if err := hub.Serve(cmd.Context(), lc, srv.Handler(), log); err != nil {
					return fail(e.loc.T("HubListenFailed", map[string]any{"Error": err.Error()}))
				}
				return nil
			})
		},
	}
	f := cmd.Flags()
	stringFlag(f, &lc.Addr, "listen", "", e.loc.T("ArgAddr"), hub.DefaultAddr, e.loc.T("FlagListenUsage"))
	stringFlag(f, &lc.TLSCert, "tls-cert", "", e.loc.T("ArgFile"), "", e.loc.T("FlagTLSCertUsage"))
	stringFlag(f, &lc.TLSKey, "tls-key", "", e.loc.T("ArgFile"), "", e.loc.T("FlagTLSKeyUsage"))
	f.BoolVar(&lc.Insecure, "insecure", false, e.loc.T("FlagInsecureUsage"))
	f.Int64Var(&limits.MaxBody, "max-body", limits.MaxBody, e.loc.T("FlagMaxBodyUsage"))
	f.Float64Var(&limits.Rate, "rate", limits.Rate, e.loc.T("FlagRateUsage"))
	f.IntVar(&limits.Burst, "burst", limits.Burst, e.loc.T("FlagBurstUsage"))
	e.nameValues(f, "max-body", "rate", "burst")
	f.BoolVar(&logJSON, "log-json", false, e.loc.T("FlagLogJSONUsage"))
	return cmd
}

// hubCommand is `hocso hub token create|list|revoke`, run on the hub's database.
func (e *env) hubCommand() *cobra.Command {
	cmd := e.groupCommand("hub", e.loc.T("CmdHubShort"))
	tokens := e.groupCommand("token", e.loc.T("CmdHubTokenShort"))
	var unit, label string
	var asJSON bool
	create := &cobra.Command{
		Use:   "create",
		Short: e.loc.T("CmdHubTokenCreateShort"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withStore(cmd.Context(), func(s *store.Store) error {
				tok, rec, err := hub.NewToken(unit, label, s.Now())
				if err != nil {
					return fail(e.loc.T("HubTokenNeedsUnit"))
				}
				if err := s.AddHubToken(cmd.Context(), rec); err != nil {
					return err
				}
				if asJSON {
					return writeJSON(e, map[string]any{"token": tok, "id": rec.ID, "unit_path": rec.UnitPath})
				}
				fmt.Fprintln(e.stdout, e.loc.T("HubTokenCreated", map[string]any{"ID": rec.ID, "Unit": rec.UnitPath}))
				fmt.Fprintln(e.stdout, tok)
				return nil
			})
		},
	}
	stringFlag(create.Flags(), &unit, "unit", "", e.loc.T("ArgUnit"), "", e.loc.T("FlagTokenUnitUsage"))
	stringFlag(create.Flags(), &label, "label", "", e.loc.T("ArgText"), "", e.loc.T("FlagTokenLabelUsage"))
	create.Flags().BoolVar(&asJSON, "json", false, e.loc.T("FlagJSONUsage"))
	list := &cobra.Command{
		Use:   "list",
		Short: e.loc.T("CmdHubTokenListShort"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withStore(cmd.Context(), func(s *store.Store) error { return e.listTokens(cmd.Context(), s, asJSON) })
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, e.loc.T("FlagJSONUsage"))
	revoke := &cobra.Command{
		Use:   "revoke ID",
		Short: e.loc.T("CmdHubTokenRevokeShort"),
		Args:  e.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withStore(cmd.Context(), func(s *store.Store) error {
				err := s.RevokeHubToken(cmd.Context(), args[0])
				if errors.Is(err, store.ErrNoToken) {
					return fail(e.loc.T("HubTokenUnknown", map[string]any{"ID": args[0]}))
				}
				if err != nil {
					return err
				}
				fmt.Fprintln(e.stdout, e.loc.T("HubTokenRevoked", map[string]any{"ID": args[0]}))
				return nil
			})
		},
	}
	tokens.AddCommand(create, list, revoke)
	cmd.AddCommand(tokens)
	return cmd
}

func (e *env) listTokens(ctx context.Context, s *store.Store, asJSON bool) error {
	ts, err := s.HubTokens(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		if ts == nil {
			ts = []store.HubToken{}
		}
		return writeJSON(e, ts)
	}
	if len(ts) == 0 {
		fmt.Fprintln(e.stdout, e.loc.T("HubNoTokens"))
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, t := range ts {
		state := e.loc.T("HubTokenActive")
		if t.RevokedAt != nil {
			state = e.loc.T("HubTokenRevokedOn", map[string]any{"Date": e.loc.Date(*t.RevokedAt)})
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.ID, clean(t.UnitPath), clean(t.Label), state)
	}
	return tw.Flush()
}

// nameValues gives number flags the value name help shows (--rate N).
func (e *env) nameValues(fs *pflag.FlagSet, names ...string) {
	for _, n := range names {
		_ = fs.SetAnnotation(n, valueNameAnnotation, []string{e.loc.T("ArgNumber")})
	}
}
