// Package exchange holds what the ways progress leaves a device share; each
// way has its own subpackage (hub, xapi, bundles).
package exchange

import (
	"context"
	"time"
)

// Backoff is a retry policy: up to Attempts tries, waiting First after the
// first failure and doubling up to Max.
type Backoff struct {
	Attempts int
	First    time.Duration
	Max      time.Duration
}

// Retry runs f until it succeeds, fails for good, or runs out of attempts.
// f says whether its error is worth retrying and how long the other side asked
// to wait (0 when it did not). onRetry, when set, hears of every retry.
func (b Backoff) Retry(ctx context.Context, f func() (temporary bool, after time.Duration, err error),
	onRetry func(attempt int, wait time.Duration, err error)) error {
	wait := b.First
	for attempt := 1; ; attempt++ {
		temporary, after, err := f()
		if err == nil || !temporary || ctx.Err() != nil || attempt >= max(1, b.Attempts) {
			return err
		}
		d := max(wait, after)
		if onRetry != nil {
			onRetry(attempt, d, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(d):
		}
		wait = min(2*wait, max(b.Max, b.First))
	}
}
