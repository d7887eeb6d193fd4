package youtube

import (
	"context"
	"errors"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
)

// Backoff bounds how a failed call is retried. The zero value uses the defaults.
type Backoff struct {
	Attempts int           // total tries, default 4
	Base     time.Duration // first wait for transient errors, default 1s
	Max      time.Duration // longest single wait; a longer Retry-After is returned to the caller, default 30s
	// Sleep waits d or until ctx ends; tests replace it to run without real waiting.
	Sleep func(ctx context.Context, d time.Duration) error
}

func (b Backoff) withDefaults() Backoff {
	if b.Attempts <= 0 {
		b.Attempts = 4
	}
	if b.Base <= 0 {
		b.Base = time.Second
	}
	if b.Max <= 0 {
		b.Max = 30 * time.Second
	}
	if b.Sleep == nil {
		b.Sleep = sleepCtx
	}
	return b
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// do runs f until it succeeds, fails permanently or attempts run out. Rate-limit
// answers are always retried (the platform rejected the request before doing anything);
// transient errors only when the call is safe to repeat (reads, or sends that
// that cannot duplicate anything).
func (b Backoff) do(ctx context.Context, safe bool, f func() error) error {
	b = b.withDefaults()
	var err error
	for i := 0; i < b.Attempts; i++ {
		err = f()
		if err == nil {
			return nil
		}
		wait := b.Base << i
		var rl *channels.RateLimitError
		switch {
		case errors.As(err, &rl):
			wait = max(rl.RetryAfter, b.Base)
		case safe && channels.Retryable(err):
		default:
			return err
		}
		if wait > b.Max || i == b.Attempts-1 {
			return err
		}
		if serr := b.Sleep(ctx, wait); serr != nil {
			return errors.Join(err, serr)
		}
	}
	return err
}
