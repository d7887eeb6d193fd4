package channels

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Retry bounds how often and how long a call is retried on rate limits,
// transient server errors and network failures.
type Retry struct {
	Attempts  int           // total tries per call; 0 means 4
	BaseDelay time.Duration // first backoff when the platform names no wait; 0 means 500 ms
	MaxDelay  time.Duration // cap on any single wait, retry_after included; 0 means 2 min
	// Sleep waits d or until ctx ends; nil sleeps on a timer. Tests inject it
	// to observe the waits without spending them.
	Sleep func(ctx context.Context, d time.Duration) error
}

func (r Retry) withDefaults() Retry {
	if r.Attempts <= 0 {
		r.Attempts = 4
	}
	if r.BaseDelay <= 0 {
		r.BaseDelay = 500 * time.Millisecond
	}
	if r.MaxDelay <= 0 {
		r.MaxDelay = 2 * time.Minute
	}
	if r.Sleep == nil {
		r.Sleep = Sleep
	}
	return r
}

// Sleep waits d or until ctx ends, whichever comes first; a wait of zero or
// less returns at once. It is the default wait of every retry and backoff.
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
// may already have acted on (5xx, dropped connection); a 429 is always safe
// because the platform refused the request before doing anything.
func (r Retry) Do(ctx context.Context, safe bool, call func() error) error {
	r = r.withDefaults()
	delay := r.BaseDelay
	var err error
	for attempt := 1; ; attempt++ {
		err = call()
		if err == nil || attempt >= r.Attempts || ctx.Err() != nil {
			return err
		}
		wait, ok := retryWait(err, safe, delay)
		if !ok {
			return err
		}
		if wait > r.MaxDelay {
			wait = r.MaxDelay
		}
		if serr := r.Sleep(ctx, wait); serr != nil {
			return errors.Join(err, serr)
		}
		delay *= 2
	}
}

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
	var api *APIError
	if errors.As(err, &api) {
		return backoff, api.Kind == Transient
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
