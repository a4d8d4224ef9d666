package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"hocso/exchange/hub"
	"hocso/store"
)

// syncHubCommands are the `hocso sync` commands that talk to a hub.
func (e *env) syncHubCommands() []*cobra.Command {
	var batch int
	var asJSON bool
	push := &cobra.Command{
		Use:   "push",
		Short: e.loc.T("CmdSyncPushShort"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withStore(cmd.Context(), func(s *store.Store) error { return e.push(cmd.Context(), s, batch, asJSON) })
		},
	}
	push.Flags().IntVar(&batch, "batch", hub.DefaultBatch, e.loc.T("FlagBatchUsage"))
	e.nameValues(push.Flags(), "batch")
	push.Flags().BoolVar(&asJSON, "json", false, e.loc.T("FlagJSONUsage"))
	var learner string
	pull := &cobra.Command{
		Use:   "pull",
		Short: e.loc.T("CmdSyncPullShort"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if learner == "" {
				return fail(e.loc.T("SyncPullNeedsLearner"))
			}
			return e.withStore(cmd.Context(), func(s *store.Store) error { return e.pull(cmd.Context(), s, learner) })
		},
	}
	stringFlag(pull.Flags(), &learner, "learner", "", e.loc.T("ArgID"), "", e.loc.T("FlagPullLearnerUsage"))
	return []*cobra.Command{push, pull}
}

// setupHub saves the hub address and token given to `sync setup`, after
// checking that the hub answers.
func (e *env) setupHub(ctx context.Context, s *store.Store, url, token string) error {
	c, err := hub.Save(ctx, s, url, token)
	if err != nil {
		return fail(e.loc.T("HubBadURL", map[string]any{"URL": url}))
	}
	c.Attempts = 2
	if err := c.Health(ctx); err != nil {
		fmt.Fprintln(e.stderr, e.loc.T("HubUnreachableSaved", map[string]any{"URL": c.URL, "Error": err.Error()}))
	}
	fmt.Fprintln(e.stdout, e.loc.T("HubSetupSaved", map[string]any{"URL": c.URL}))
	return nil
}

// hubClient is the client for the hub set up on this device.
func (e *env) hubClient(ctx context.Context, s *store.Store) (*hub.Client, error) {
	c, err := hub.FromSettings(ctx, s)
	if errors.Is(err, hub.ErrNotSetUp) {
		return nil, fail(e.loc.T("HubNotSetUp"))
	}
	return c, err
}

func (e *env) push(ctx context.Context, s *store.Store, batch int, asJSON bool) error {
	c, err := e.hubClient(ctx, s)
	if err != nil {
		return err
	}
	c.OnRetry = func(attempt int, wait time.Duration, err error) {
		fmt.Fprintln(e.stderr, e.loc.T("HubRetrying", map[string]any{
			"Attempt": attempt, "Seconds": e.loc.Number(wait.Seconds(), 1), "Error": err.Error()}))
	}
	last := -1
	res, err := hub.Push(ctx, s, c, batch, func(p hub.Progress) {
		if asJSON || p.Retrying || p.Sent == last {
			return
		}
		last = p.Sent
		fmt.Fprintln(e.stderr, e.loc.T("HubProgress", map[string]any{
			"Sent": e.loc.Number(float64(p.Sent), 0), "Total": e.loc.Number(float64(p.Total), 0)}))
	})
	if err != nil {
		return e.hubError(err, res.Sent)
	}
	if asJSON {
		return writeJSON(e, res)
	}
	fmt.Fprintln(e.stdout, e.loc.N("HubPushed", res.Sent, map[string]any{
		"Count": res.Sent, "New": res.New, "Pending": res.Pending}))
	if res.Conflicts > 0 {
		fmt.Fprintln(e.stdout, e.loc.T("HubPushConflicts", map[string]any{"Count": res.Conflicts}))
	}
	return nil
}

func (e *env) pull(ctx context.Context, s *store.Store, learner string) error {
	c, err := e.hubClient(ctx, s)
	if err != nil {
		return err
	}
	res, err := hub.Pull(ctx, s, c, learner)
	if err != nil {
		return e.hubError(err, 0)
	}
	if err := s.SetCurrentLearner(ctx, learner); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, e.loc.N("HubPulled", res.New+res.Duplicate, map[string]any{
		"Count": res.New + res.Duplicate, "New": res.New}))
	return nil
}

// hubError says in the user's language why talking to the hub failed, and
// that what was confirmed before stays confirmed.
func (e *env) hubError(err error, sent int) error {
	data := map[string]any{"Error": err.Error(), "Sent": sent}
	var ae *hub.APIError
	if errors.As(err, &ae) {
		data["Learners"] = strings.Join(ae.Learners, ", ")
		switch {
		case ae.Status == http.StatusUnauthorized:
			return fail(e.loc.T("HubErrUnauthorized", data))
		case ae.Status == http.StatusForbidden:
			return fail(e.loc.T("HubErrForbidden", data))
		case ae.Status == http.StatusNotFound:
			return fail(e.loc.T("HubErrNotFound", data))
		case ae.Status == http.StatusTooManyRequests:
			return fail(e.loc.T("HubErrBusy", data))
		}
	}
	return fail(e.loc.T("HubErrFailed", data))
}
