// Package webapi is the HTTP plumbing the listening sources share: one call
// with the channels' Retry, a size cap on answers, the platforms' error
// answers turned into channels.APIError and channels.RateLimitError, and
// ErrMalformed for answers that do not decode, so the poller can word each
// failure for the person without knowing the platform.
package webapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/listening"
)

// MaxAnswer is the largest answer read; a search page is far smaller.
const MaxAnswer = 16 << 20

// ErrMalformed matches an answer that is not what the platform documents
// (cut-off or invalid JSON, missing fields the source needs).
var ErrMalformed = errors.New("malformed answer")

// Caller sends the requests of one source.
type Caller struct {
	Platform string
	HTTP     *http.Client // nil = http.DefaultClient
	Retry    channels.Retry
	Now      func() time.Time // nil = time.Now
	// Message reads the platform's error text from an error answer; nil or
	// "" falls back to the HTTP status line.
	Message func(body []byte) string
	// ResetWait is the wait a 429 without Retry-After implies (the
	// platform's own reset header); nil means none known.
	ResetWait func(h http.Header, now time.Time) time.Duration
	// Classify may change the error kind of an answer (e.g. Bluesky's
	// expired token is a 400); nil keeps the HTTP status' kind.
	Classify func(e *channels.APIError, body []byte)
}

// DefaultRetry is the sources' policy under the caller's: a short
// Retry-After is waited out in the call, a long one goes back to the poller
// (as channels.RateLimitError), which honours it as the source's next poll.
func DefaultRetry() channels.Retry {
	return channels.Retry{Attempts: 3, Base: time.Second, Max: 30 * time.Second}
}

func (c *Caller) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

// Do sends the request newReq builds (once per attempt, so bodies can be
// re-read) and decodes a 2xx JSON answer into out. It returns the headers
// of the last answer, also for errors, so rate-limit headers can be read.
// safe says whether a failure the server may have acted on may be repeated.
func (c *Caller) Do(ctx context.Context, safe bool, newReq func(ctx context.Context) (*http.Request, error), out any) (http.Header, error) {
	var hdr http.Header
	err := c.Retry.Or(DefaultRetry()).Do(ctx, safe, func() error {
		var err error
		hdr, err = c.once(ctx, newReq, out)
		return err
	})
	return hdr, err
}

func (c *Caller) once(ctx context.Context, newReq func(ctx context.Context) (*http.Request, error), out any) (http.Header, error) {
	req, err := newReq(ctx)
	if err != nil {
		return nil, err
	}
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("%w: %v", channels.ErrTransport, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswer+1))
	if err != nil {
		if ctx.Err() != nil {
			return resp.Header, ctx.Err()
		}
		return resp.Header, fmt.Errorf("%w: read answer: %v", channels.ErrTransport, err)
	}
	if len(data) > MaxAnswer {
		return resp.Header, fmt.Errorf("%w: larger than %d bytes", ErrMalformed, MaxAnswer)
	}
	if resp.StatusCode >= 300 {
		return resp.Header, c.classify(resp, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return resp.Header, fmt.Errorf("%w (HTTP %d): %v", ErrMalformed, resp.StatusCode, err)
	}
	return resp.Header, nil
}

func (c *Caller) classify(resp *http.Response, data []byte) error {
	msg := ""
	if c.Message != nil {
		msg = c.Message(data)
	}
	if msg == "" {
		msg = resp.Status
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		wait, ok := channels.RetryAfter(resp.Header.Get("Retry-After"), c.now())
		if !ok && c.ResetWait != nil {
			wait = c.ResetWait(resp.Header, c.now())
		}
		return &channels.RateLimitError{RetryAfter: wait, Message: msg}
	}
	e := &channels.APIError{Platform: c.Platform, Code: resp.StatusCode, Message: msg, Kind: channels.Permanent}
	switch code := resp.StatusCode; {
	case code == http.StatusUnauthorized:
		e.Kind = channels.Auth
	case code == http.StatusForbidden:
		e.Kind = channels.Forbidden
	case code >= 500:
		e.Kind = channels.Transient
	}
	if c.Classify != nil {
		c.Classify(e, data)
	}
	return e
}

// JSONMessage reads the error text of answers shaped {"error": …,
// "message": …} (either may be missing), the shape most platforms use.
func JSONMessage(body []byte) string {
	var b struct {
		Error   any    `json:"error"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &b) != nil {
		return ""
	}
	parts := []string{}
	if s, ok := b.Error.(string); ok && s != "" {
		parts = append(parts, s)
	}
	if b.Message != "" {
		parts = append(parts, b.Message)
	}
	return strings.Join(parts, ": ")
}

// Limits reads a remaining count (integer or decimal, as Reddit sends it)
// and a reset time into listening.Limits; an unreadable count is -1. With
// nothing remaining, the next poll waits for the reset.
func Limits(remaining string, reset time.Time) listening.Limits {
	l := listening.Limits{Remaining: -1, Reset: reset}
	if f, err := strconv.ParseFloat(strings.TrimSpace(remaining), 64); err == nil && f >= 0 {
		l.Remaining = int(f)
		if l.Remaining == 0 {
			l.NextPoll = reset
		}
	}
	return l
}

// UnixTime reads whole seconds since 1970 (Bluesky's RateLimit-Reset);
// zero when absent or unreadable.
func UnixTime(v string) time.Time {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}
	}
	return time.Unix(n, 0)
}

// Get builds a GET request of base+path with query q and headers h.
func Get(ctx context.Context, base, path string, q url.Values, h http.Header) (*http.Request, error) {
	u := strings.TrimRight(base, "/") + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	return req, nil
}

// Terms are the request's terms as a platform's search box takes them:
// stray quotes dropped, empty ones skipped, and with quote a phrase (a
// term holding spaces) in double quotes.
func Terms(terms []string, quote bool) []string {
	var out []string
	for _, t := range terms {
		t = strings.TrimSpace(strings.ReplaceAll(t, `"`, ""))
		if t == "" {
			continue
		}
		if quote && strings.ContainsAny(t, " \t") {
			t = `"` + t + `"`
		}
		out = append(out, t)
	}
	return out
}
