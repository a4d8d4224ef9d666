package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"hocso/exchange/xapi"
	"hocso/lessons"
	"hocso/store"
)

// metaXAPIHomePage is the setting that names the organisation's site, the
// homePage of every learner's xAPI account.
const metaXAPIHomePage = "xapi_home_page"

// xapiCommand is `hocso xapi export|push`, for provinces that run an LRS.
func (e *env) xapiCommand() *cobra.Command {
	cmd := e.groupCommand("xapi", e.loc.T("CmdXAPIShort"))
	var out, home string
	export := &cobra.Command{
		Use:   "export",
		Short: e.loc.T("CmdXAPIExportShort"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return fail(e.loc.T("XAPINeedsOutput"))
			}
			return e.withStore(cmd.Context(), func(s *store.Store) error {
				m, err := e.xapiMapper(cmd.Context(), s, home)
				if err != nil {
					return err
				}
				var n int
				err = writeReplaceFunc(out, 0o600, func(w io.Writer) error {
					n, err = xapi.Export(cmd.Context(), s, m, w)
					return err
				})
				if err != nil {
					return fail(e.loc.T("XAPIExportFailed", map[string]any{"File": out, "Error": err.Error()}))
				}
				fmt.Fprintln(e.stdout, e.loc.N("XAPIExported", n, map[string]any{"Count": n, "File": out}))
				return nil
			})
		},
	}
	stringFlag(export.Flags(), &out, "output", "o", e.loc.T("ArgFile"), "", e.loc.T("FlagXAPIOutputUsage"))
	stringFlag(export.Flags(), &home, "home-page", "", e.loc.T("ArgURL"), "", e.loc.T("FlagHomePageUsage"))
	cmd.AddCommand(export, e.xapiPushCommand())
	return cmd
}

func (e *env) xapiPushCommand() *cobra.Command {
	var lrsURL, user, password, home string
	var batch int
	push := &cobra.Command{
		Use:   "push",
		Short: e.loc.T("CmdXAPIPushShort"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if password == "" {
				password = e.getenv("HOCSO_LRS_PASSWORD")
			}
			lrs, err := xapi.NewLRS(lrsURL, user, password)
			if err != nil {
				return fail(e.loc.T("XAPIBadLRS", map[string]any{"URL": lrsURL}))
			}
			lrs.OnRetry = func(attempt int, wait time.Duration, err error) {
				fmt.Fprintln(e.stderr, e.loc.T("HubRetrying", map[string]any{
					"Attempt": attempt, "Seconds": e.loc.Number(wait.Seconds(), 1), "Error": err.Error()}))
			}
			return e.withStore(cmd.Context(), func(s *store.Store) error {
				m, err := e.xapiMapper(cmd.Context(), s, home)
				if err != nil {
					return err
				}
				res, err := xapi.Push(cmd.Context(), s, m, lrs, batch, func(sent, total int) {
					fmt.Fprintln(e.stderr, e.loc.T("HubProgress", map[string]any{
						"Sent": e.loc.Number(float64(sent), 0), "Total": e.loc.Number(float64(total), 0)}))
				})
				if err != nil {
					return fail(e.loc.T("XAPIPushFailed", map[string]any{"Error": err.Error(), "Sent": res.Statements}))
				}
				fmt.Fprintln(e.stdout, e.loc.N("XAPIPushed", res.Statements, map[string]any{"Count": res.Statements}))
				return nil
			})
		},
	}
	f := push.Flags()
	stringFlag(f, &lrsURL, "lrs", "", e.loc.T("ArgURL"), "", e.loc.T("FlagLRSUsage"))
	stringFlag(f, &user, "user", "", e.loc.T("ArgText"), "", e.loc.T("FlagLRSUserUsage"))
	stringFlag(f, &password, "password", "", e.loc.T("ArgText"), "", e.loc.T("FlagLRSPasswordUsage"))
	stringFlag(f, &home, "home-page", "", e.loc.T("ArgURL"), "", e.loc.T("FlagHomePageUsage"))
	f.IntVar(&batch, "batch", xapi.DefaultBatch, e.loc.T("FlagBatchUsage"))
	e.nameValues(f, "batch")
	return push
}

// xapiMapper builds the mapper: the homePage from --home-page (saved for next
// time) or the setting, names from the packs installed here.
func (e *env) xapiMapper(ctx context.Context, s *store.Store, home string) (*xapi.Mapper, error) {
	if home == "" {
		var err error
		if home, err = s.Meta(ctx, metaXAPIHomePage); err != nil {
			return nil, err
		}
	}
	if home == "" {
		return nil, fail(e.loc.T("XAPINeedsHomePage"))
	}
	if err := xapi.CheckHomePage(home); err != nil {
		return nil, fail(e.loc.T("XAPIBadHomePage", map[string]any{"URL": home}))
	}
	if err := s.SetMeta(ctx, metaXAPIHomePage, home); err != nil {
		return nil, err
	}
	loaded, err := e.packs(ctx, s)
	if err != nil {
		return nil, err
	}
	var ps []*lessons.Pack
	for _, lp := range loaded {
		ps = append(ps, lp.Pack)
	}
	return &xapi.Mapper{HomePage: home, Names: xapi.NewCatalog(ps), Store: s}, nil
}
