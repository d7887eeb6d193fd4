package channels

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Retry bounds how a failed call is retried on rate limits, transient server
// errors and network failures. Every client uses this one type; each fills its
// zero fields from its own defaults with Or, then the rest from WithDefaults.
type Retry struct {
	Attempts int           // total tries per call; 0 means 4
	Base     time.Duration // first backoff when the platform names no wait, doubled per retry; 0 means 1 s
	Max      time.Duration // longest single wait; 0 means 30 s
	// CapWaits decides what happens to a wait longer than Max. False (the
	// default): the error goes back to the caller, whose scheduler honours the
	// platform's Retry-After, since VK's daily limit or YouTube's quota would
	// otherwise be hammered every Max. True: the wait is cut to Max and the call
	// retried, for clients whose callers expect the call to ride out a
	// rate limit (Telegram, Mastodon).
	CapWaits bool
	// Sleep waits d or until ctx ends; nil sleeps on a timer. Tests inject it
	// to observe the waits without spending them.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Or returns r with its zero fields taken from d, so a client's own defaults
// apply under whatever the caller configured. CapWaits is set if either sets it.
func (r Retry) Or(d Retry) Retry {
	if r.Attempts <= 0 {
		r.Attempts = d.Attempts
	}
	if r.Base <= 0 {
		r.Base = d.Base
	}
	if r.Max <= 0 {
		r.Max = d.Max
	}
	if r.Sleep == nil {
		r.Sleep = d.Sleep
	}
	r.CapWaits = r.CapWaits || d.CapWaits
	return r
}

// WithDefaults fills the zero fields with the package defaults.
func (r Retry) WithDefaults() Retry {
	return r.Or(Retry{Attempts: 4, Base: time.Second, Max: 30 * time.Second, Sleep: Sleep})
}

// Backoff is the wait before the next reconnect of a push loop (Watch) after
// fails failures in a row: Base doubled per failure, at most Max, jittered.
func (r Retry) Backoff(fails int) time.Duration {
	r = r.WithDefaults()
	return Jitter(min(r.Base<<min(fails, 16), r.Max))
}

// Jitter returns a random wait between half of d and d, so many accounts do
// not reconnect in step after a network outage.
func Jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return d/2 + rand.N(d/2+1)
}

// Sleep waits d or until ctx ends, whichever comes first; a wait of zero or
// less returns at once. It is the default wait of every retry.
func Sleep(ctx context.Context, d time.Duration) error {
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

// ErrTransport marks a failure to reach a platform at all (connection refused,
// reset, unreadable answer); clients wrap it so retries recognise it.
var ErrTransport = errors.New("transport error")

// Do runs call until it succeeds, fails for good, or the attempts run out.
// safe says whether the call may be repeated after a failure that the server
// may already have acted on (5xx, dropped connection), i.e. reads, or sends
// that carry an idempotency key the platform dedupes on; a 429 is always safe
// because the platform refused the request before doing anything.
func (r Retry) Do(ctx context.Context, safe bool, call func() error) error {
	r = r.WithDefaults()
	delay := r.Base
	for attempt := 1; ; attempt++ {
		err := call()
		if err == nil || attempt >= r.Attempts {
			return err
		}
		if cerr := ctx.Err(); cerr != nil {
			if errors.Is(err, cerr) {
				return err
			}
			return errors.Join(err, cerr)
		}
		wait, ok := retryWait(err, safe, delay)
		if !ok {
			return err
		}
		if wait > r.Max {
			if !r.CapWaits {
				return err
			}
			wait = r.Max
		}
		if serr := r.Sleep(ctx, wait); serr != nil {
			return errors.Join(err, serr)
		}
		delay *= 2
	}
}

// retryWait is how long to wait before repeating a call that failed with err,
// and whether to repeat it at all; backoff is the wait when the platform
// names none.
func retryWait(err error, safe bool, backoff time.Duration) (time.Duration, bool) {
	var rl *RateLimitError
	if errors.As(err, &rl) {
		if rl.RetryAfter > 0 {
			return rl.RetryAfter, true
		}
		return backoff, true
	}
	if !safe {
		return 0, false
	}
	if Retryable(err) {
		return backoff, true
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, ErrTransport) {
		return backoff, true
	}
	return 0, false
}

// RetryAfter reads an HTTP Retry-After value: whole seconds, or an HTTP date
// (a date in the past means no wait). ok is false when v is neither.
func RetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, t.Sub(now)), true
	}
	return 0, false
}

// RetryAfterOr reads a Retry-After header value like RetryAfter, or gives def
// when the platform sent none or one it cannot read.
func RetryAfterOr(v string, now time.Time, def time.Duration) time.Duration {
	if d, ok := RetryAfter(v, now); ok {
		return d
	}
	return def
}
