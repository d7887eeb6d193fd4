package mastodon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
)

const maxResponseBytes = 32 << 20

// Client talks to one Mastodon server with one access token.
type Client struct {
	base  string
	token string
	http  *http.Client
	retry channels.Retry
	now   func() time.Time
}

// ClientOptions configure a Client.
type ClientOptions struct {
	HTTPClient *http.Client // nil = http.DefaultClient
	BaseURL    string       // the account's server, e.g. "https://mastodon.social"
	Token      string       // OAuth access token
	Retry      channels.Retry
}

// NewClient returns a client.
func NewClient(o ClientOptions) *Client {
	if o.HTTPClient == nil {
		o.HTTPClient = http.DefaultClient
	}
	return &Client{base: strings.TrimRight(o.BaseURL, "/"), token: o.Token, http: o.HTTPClient, retry: o.Retry.Or(clientRetry()), now: time.Now}
}

// clientRetry is Mastodon's retry policy under the caller's: a call rides out
// a 429 itself (its X-RateLimit-Reset is often minutes away), waiting at most 2 min.
func clientRetry() channels.Retry {
	return channels.Retry{Base: 500 * time.Millisecond, Max: 2 * time.Minute, CapWaits: true}
}

// VerifyCredentials returns the account the token belongs to.
func (c *Client) VerifyCredentials(ctx context.Context) (Account, error) {
	var a Account
	_, err := c.do(ctx, http.MethodGet, "/api/v1/accounts/verify_credentials", nil, nil, "", true, &a)
	return a, err
}

// Notifications lists notifications of the given types, newest first.
func (c *Client) Notifications(ctx context.Context, types []string, p PageParams) ([]Notification, Page, error) {
	q := p.values()
	for _, t := range types {
		q.Add("types[]", t)
	}
	var out []Notification
	pg, err := c.do(ctx, http.MethodGet, "/api/v1/notifications", q, nil, "", true, &out)
	return out, pg, err
}

// Conversations lists direct conversations, most recently active first.
func (c *Client) Conversations(ctx context.Context, p PageParams) ([]Conversation, Page, error) {
	var out []Conversation
	pg, err := c.do(ctx, http.MethodGet, "/api/v1/conversations", p.values(), nil, "", true, &out)
	return out, pg, err
}

// Status returns one status.
func (c *Client) Status(ctx context.Context, id string) (Status, error) {
	var s Status
	_, err := c.do(ctx, http.MethodGet, "/api/v1/statuses/"+url.PathEscape(id), nil, nil, "", true, &s)
	return s, err
}

// StatusContext returns the ancestors and descendants of a status.
func (c *Client) StatusContext(ctx context.Context, id string) (Context, error) {
	var cx Context
	_, err := c.do(ctx, http.MethodGet, "/api/v1/statuses/"+url.PathEscape(id)+"/context", nil, nil, "", true, &cx)
	return cx, err
}

// PostStatus publishes a status. With an idempotency key the server returns
// the first status for a repeated key (kept for an hour), so retries are safe;
// without one, only refused requests (429) are retried.
func (c *Client) PostStatus(ctx context.Context, p PostStatusParams, idempotencyKey string) (Status, error) {
	var s Status
	_, err := c.do(ctx, http.MethodPost, "/api/v1/statuses", nil, p, idempotencyKey, idempotencyKey != "", &s)
	return s, err
}

// DeleteStatus deletes one of the account's own statuses.
func (c *Client) DeleteStatus(ctx context.Context, id string) error {
	var s Status
	_, err := c.do(ctx, http.MethodDelete, "/api/v1/statuses/"+url.PathEscape(id), nil, nil, "", true, &s)
	return err
}

func (c *Client) do(ctx context.Context, method, path string, q url.Values, body any, idemKey string, safe bool, out any) (Page, error) {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return Page{}, fmt.Errorf("mastodon %s %s: encode: %w", method, path, err)
		}
	}
	u := c.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var page Page
	err := c.retry.Do(ctx, safe, func() error {
		var err error
		page, err = c.once(ctx, method, u, payload, idemKey, out)
		return err
	})
	if err != nil {
		return Page{}, fmt.Errorf("mastodon %s %s: %w", method, path, err)
	}
	return page, nil
}

func (c *Client) once(ctx context.Context, method, u string, payload []byte, idemKey string, out any) (Page, error) {
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return Page{}, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if idemKey != "" {
		req.Header.Set("Idempotency-Key", idemKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return Page{}, ctx.Err()
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return Page{}, fmt.Errorf("%w: %v", channels.ErrTransport, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		if ctx.Err() != nil {
			return Page{}, ctx.Err()
		}
		return Page{}, fmt.Errorf("%w: read answer: %v", channels.ErrTransport, err)
	}
	if len(data) > maxResponseBytes {
		return Page{}, fmt.Errorf("answer larger than %d bytes", maxResponseBytes)
	}
	if resp.StatusCode >= 300 {
		return Page{}, c.classify(resp, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return Page{}, fmt.Errorf("malformed answer (HTTP %d): %w", resp.StatusCode, err)
	}
	return parseLink(resp.Header.Get("Link")), nil
}

func (c *Client) classify(resp *http.Response, data []byte) error {
	var eb errorBody
	msg := resp.Status
	if json.Unmarshal(data, &eb) == nil && eb.Error != "" {
		msg = eb.Error
		if eb.ErrorDescription != "" {
			msg += ": " + eb.ErrorDescription
		}
	}
	api := &channels.APIError{Platform: "mastodon", Code: resp.StatusCode, Message: msg, Kind: channels.Permanent}
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests:
		return &channels.RateLimitError{RetryAfter: c.retryAfter(resp.Header), Message: msg}
	case code == http.StatusUnauthorized:
		api.Kind = channels.Auth
		api.Message = msg + " (create a new access token under Preferences → Development)"
	case code == http.StatusForbidden:
		api.Kind = channels.Forbidden
		api.Message = msg + " (the token lacks a scope, or the account is suspended)"
	case code >= 500:
		api.Kind = channels.Transient
	}
	return api
}

// retryAfter reads Retry-After (seconds or HTTP date) or X-RateLimit-Reset (ISO 8601).
func (c *Client) retryAfter(h http.Header) time.Duration {
	if d, ok := channels.RetryAfter(h.Get("Retry-After"), c.now()); ok {
		return d
	}
	if s := h.Get("X-RateLimit-Reset"); s != "" {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return max(0, t.Sub(c.now()))
		}
	}
	return 0
}

var linkRe = regexp.MustCompile(`<([^>]*)>\s*;\s*rel="?(next|prev)"?`)

// ParseLink is parseLink for other packages that page Mastodon timelines
// (brand listening's hashtag timelines).
func ParseLink(h string) Page { return parseLink(h) }

// parseLink extracts max_id of rel="next" and min_id (or since_id) of rel="prev".
func parseLink(h string) Page {
	var p Page
	for _, m := range linkRe.FindAllStringSubmatch(h, -1) {
		u, err := url.Parse(m[1])
		if err != nil {
			continue
		}
		q := u.Query()
		switch m[2] {
		case "next":
			p.NextMaxID = q.Get("max_id")
		case "prev":
			p.PrevMinID = q.Get("min_id")
			if p.PrevMinID == "" {
				p.PrevMinID = q.Get("since_id")
			}
		}
	}
	return p
}
