package channels

import (
	"context"
	"errors"
	"time"
)

// Backoff bounds how a failed call is retried. Unlike Retry, a wait longer
// than Max is not shortened: the error goes back to the caller, whose
// scheduler honours the platform's Retry-After. The zero value uses the defaults.
type Backoff struct {
	Attempts int           // total tries, default 4
	Base     time.Duration // first wait for transient errors, default 1s
	Max      time.Duration // longest single wait; a longer Retry-After is returned to the caller, default 30s
	// Sleep waits d or until ctx ends; tests replace it to run without real waiting.
	Sleep func(ctx context.Context, d time.Duration) error
}

// WithDefaults fills the zero fields with the defaults.
func (b Backoff) WithDefaults() Backoff {
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
		b.Sleep = Sleep
	}
	return b
}

// Do runs f until it succeeds, fails permanently or attempts run out. Rate-limit
// answers are always retried (the platform rejected the request before doing
// anything); transient errors only when the call is safe to repeat (reads, or
// sends that carry an idempotency key the platform dedupes on).
func (b Backoff) Do(ctx context.Context, safe bool, f func() error) error {
	b = b.WithDefaults()
	var err error
	for i := 0; i < b.Attempts; i++ {
		err = f()
		if err == nil {
			return nil
		}
		wait := b.Base << i
		var rl *RateLimitError
		switch {
		case errors.As(err, &rl):
			wait = max(rl.RetryAfter, b.Base)
		case safe && Retryable(err):
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
