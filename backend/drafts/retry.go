package drafts

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
)

// RetryPolicy bounds how the LLM client retries 408/429/5xx answers and
// connection errors. go-openai itself never retries.
type RetryPolicy struct {
	MaxAttempts int           // total attempts including the first; default 4
	BaseDelay   time.Duration // first backoff; doubled per retry; default 500ms
	MaxDelay    time.Duration // cap of the computed backoff; default 8s
	// MaxRetryAfter is the longest server-requested wait honoured; a longer
	// Retry-After ends retrying so the UI can say "try again in N s".
	MaxRetryAfter time.Duration // default 60s
	// Jitter adds up to this fraction of random extra wait to computed
	// backoffs (never to a server's Retry-After); default 0.2, negative = none.
	Jitter float64
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 4
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 500 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 8 * time.Second
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = 60 * time.Second
	}
	if p.Jitter == 0 {
		p.Jitter = 0.2
	}
	return p
}

// backoff is the wait before retry number n (1-based).
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.BaseDelay << (n - 1)
	if d > p.MaxDelay || d <= 0 {
		d = p.MaxDelay
	}
	if p.Jitter > 0 {
		d += time.Duration(rand.Float64() * p.Jitter * float64(d))
	}
	return d
}

// SleepFunc waits d or until ctx ends; tests inject one that records waits.
type SleepFunc func(ctx context.Context, d time.Duration) error

// callTrace collects what the transport saw during one client call, because
// go-openai's errors carry neither headers nor attempt counts.
type callTrace struct {
	mu         sync.Mutex
	attempts   int
	status     int
	retryAfter time.Duration
	waits      []time.Duration
}

func (t *callTrace) snapshot() (attempts, status int, retryAfter time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.attempts, t.status, t.retryAfter
}

type traceKey struct{}

func withTrace(ctx context.Context) (context.Context, *callTrace) {
	t := &callTrace{}
	return context.WithValue(ctx, traceKey{}, t), t
}

// retryTransport wraps the HTTP transport under go-openai: it retries
// transient failures, honours Retry-After and bounds each attempt in time.
type retryTransport struct {
	base    http.RoundTripper
	policy  RetryPolicy
	timeout time.Duration // per attempt; 0 = none
	sleep   SleepFunc
	log     *slog.Logger
}

func retryableStatus(code int) bool {
	return code == http.StatusRequestTimeout || code == http.StatusTooManyRequests ||
		(code >= 500 && code != http.StatusNotImplemented)
}

// RoundTrip implements http.RoundTripper.
func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	trace, _ := ctx.Value(traceKey{}).(*callTrace)
	if trace == nil {
		trace = &callTrace{}
	}
	getBody := req.GetBody
	if req.Body != nil && req.Body != http.NoBody && getBody == nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("read request body: %w", err)
		}
		getBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	}
	for attempt := 1; ; attempt++ {
		r := req.Clone(ctx)
		if getBody != nil {
			body, err := getBody()
			if err != nil {
				return nil, fmt.Errorf("rewind request body: %w", err)
			}
			r.Body = body
		}
		actx, cancel := context.WithCancel(ctx)
		timedOut := false
		var timer *time.Timer
		var tmu sync.Mutex
		if t.timeout > 0 {
			timer = time.AfterFunc(t.timeout, func() {
				tmu.Lock()
				timedOut = true
				tmu.Unlock()
				cancel()
			})
		}
		stop := func() bool {
			if timer != nil {
				return timer.Stop()
			}
			return true
		}
		r = r.WithContext(actx)
		trace.mu.Lock()
		trace.attempts = attempt
		trace.mu.Unlock()

		resp, err := t.base.RoundTrip(r)
		var wait time.Duration
		switch {
		case err != nil:
			stop()
			cancel()
			if ctx.Err() != nil {
				return nil, err
			}
			tmu.Lock()
			if timedOut {
				err = fmt.Errorf("no answer within %s: %w", t.timeout, context.DeadlineExceeded)
			}
			tmu.Unlock()
			if attempt >= t.policy.MaxAttempts {
				return nil, err
			}
			wait = t.policy.backoff(attempt)
			t.log.Warn("llm request failed, retrying", "attempt", attempt, "wait", wait, "err", err)
		case retryableStatus(resp.StatusCode):
			ra, hasRA := retryAfter(resp.Header, time.Now())
			trace.mu.Lock()
			trace.status = resp.StatusCode
			if hasRA {
				trace.retryAfter = ra
			}
			trace.mu.Unlock()
			if attempt >= t.policy.MaxAttempts || (hasRA && ra > t.policy.MaxRetryAfter) {
				// Hand the answer to go-openai so it parses the error body.
				if t.isStream(resp) {
					stop()
				}
				resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: func() { stop(); cancel() }}
				return resp, nil
			}
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
			stop()
			cancel()
			wait = t.policy.backoff(attempt)
			if hasRA {
				wait = ra
			}
			t.log.Warn("llm server asked to retry", "status", resp.StatusCode, "attempt", attempt, "wait", wait)
		default:
			trace.mu.Lock()
			trace.status = resp.StatusCode
			trace.mu.Unlock()
			// A stream may legitimately run for minutes on a local model: the
			// timeout covers waiting for it to start; the user can cancel after.
			if t.isStream(resp) {
				stop()
			}
			resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: func() { stop(); cancel() }}
			return resp, nil
		}
		trace.mu.Lock()
		trace.waits = append(trace.waits, wait)
		trace.mu.Unlock()
		if err := t.sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("waiting %s to retry: %w", wait, err)
		}
	}
}

func (t *retryTransport) isStream(resp *http.Response) bool {
	return strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream")
}

type cancelOnClose struct {
	io.ReadCloser
	once   sync.Once
	cancel func()
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.once.Do(c.cancel)
	return err
}

// retryAfter reads retry-after-ms (OpenAI) or Retry-After (seconds or an
// HTTP date) from h.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			return time.Duration(ms * float64(time.Millisecond)), true
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	// Some OpenAI-compatible servers send fractional seconds.
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second)), true
	}
	return channels.RetryAfter(v, now)
}
