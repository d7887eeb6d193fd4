// Package graph is the client base Stormdesk's Meta channels share: Facebook
// Pages, Instagram and (later) the WhatsApp Cloud API all speak the Graph API
// with one error envelope, one pair of usage headers and one cursor paging.
// Client sends a call with a given access token, retries what Meta says is
// transient, waits as long as Meta asks on throttling, slows down before the
// usage counters reach 100 %, and turns every error into the shared
// channels error types (see Error). The connectors own their tokens: a Page
// token is not a user token, and a WhatsApp system user token is neither.
package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
)

// DefaultBaseURL is the Graph API host.
const DefaultBaseURL = "https://graph.facebook.com"

// DefaultVersion is the Graph API version the clients speak.
const DefaultVersion = "v21.0"

// maxBody caps an answer read into memory; Graph pages are small.
const maxBody = 8 << 20

// Options configure a Client.
type Options struct {
	Platform   string       // how errors name the platform: "facebook", "instagram", "whatsapp"
	HTTPClient *http.Client // nil = http.DefaultClient
	BaseURL    string       // "" = DefaultBaseURL
	Version    string       // "" = DefaultVersion
	Retry      channels.Retry
	// Pacer is shared by clients of one app; nil = one of the client's own.
	Pacer  *Pacer
	Logger *slog.Logger
}

// Client calls the Graph API. It is safe for concurrent use.
type Client struct {
	platform string
	http     *http.Client
	base     string // base URL with the version, ending in "/"
	retry    channels.Retry
	pacer    *Pacer
	log      *slog.Logger
}

// New returns a client; it does no I/O.
func New(o Options) *Client {
	if o.HTTPClient == nil {
		o.HTTPClient = http.DefaultClient
	}
	if o.BaseURL == "" {
		o.BaseURL = DefaultBaseURL
	}
	if o.Version == "" {
		o.Version = DefaultVersion
	}
	if o.Pacer == nil {
		o.Pacer = &Pacer{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Platform == "" {
		o.Platform = "graph"
	}
	return &Client{
		platform: o.Platform, http: o.HTTPClient, retry: o.Retry.WithDefaults(), pacer: o.Pacer, log: o.Logger,
		base: strings.TrimSuffix(o.BaseURL, "/") + "/" + o.Version + "/",
	}
}

// Call is one Graph request.
type Call struct {
	Method string     // GET, POST or DELETE
	Path   string     // "me/accounts", "{post-id}/comments"
	Query  url.Values // GET parameters, or the form of a POST
	// JSON is sent as the body of a POST instead of Query (Send API).
	JSON any
	// Token is the access token; it travels in the Authorization header,
	// never in a URL that could reach a log.
	Token string
	// Safe says the call may be repeated after a failure Meta may have acted
	// on (reads, deletes, hides): see channels.Retry.Do.
	Safe bool
	// Permission is the permission the endpoint needs, named when Meta's
	// refusal does not say which.
	Permission string
}

type apiError struct {
	Message     string `json:"message"`
	Type        string `json:"type"`
	Code        int    `json:"code"`
	Subcode     int    `json:"error_subcode"`
	FBTraceID   string `json:"fbtrace_id"`
	IsTransient bool   `json:"is_transient"`
	// ErrorData is where the WhatsApp Cloud API says what went wrong in words.
	ErrorData struct {
		Details string `json:"details"`
	} `json:"error_data"`
}

// Do sends c and decodes a successful answer into out (nil = ignore it).
func (cl *Client) Do(ctx context.Context, c Call, out any) error {
	what := c.Method + " " + pathOnly(c.Path)
	err := cl.retry.Do(ctx, c.Safe, func() error {
		if d, blocked := cl.pacer.Delay(); blocked {
			// Meta said the budget is spent: calling now would only be refused
			// and push the recovery further out.
			return &channels.RateLimitError{RetryAfter: d, Message: cl.platform + ": usage at 100 %, waiting as Meta estimates"}
		} else if d > 0 {
			cl.log.Debug("graph: usage near its limit; slowing down", "wait", d)
			if err := cl.retry.Sleep(ctx, d); err != nil {
				return err
			}
		}
		return cl.once(ctx, c, out)
	})
	if err != nil {
		return fmt.Errorf("%s %s: %w", cl.platform, what, err)
	}
	return nil
}

// pathOnly drops object ids' query strings, if a caller put any in Path.
func pathOnly(p string) string {
	if i := strings.IndexByte(p, '?'); i >= 0 {
		return p[:i]
	}
	return p
}

func (cl *Client) once(ctx context.Context, c Call, out any) error {
	u := cl.base + strings.TrimPrefix(c.Path, "/")
	var body io.Reader
	contentType := ""
	switch {
	case c.Method == http.MethodPost && c.JSON != nil:
		b, err := json.Marshal(c.JSON)
		if err != nil {
			return fmt.Errorf("encoding request: %w", err)
		}
		body, contentType = strings.NewReader(string(b)), "application/json"
		if len(c.Query) > 0 {
			u += "?" + c.Query.Encode()
		}
	case c.Method == http.MethodPost:
		body, contentType = strings.NewReader(c.Query.Encode()), "application/x-www-form-urlencoded"
	case len(c.Query) > 0:
		u += "?" + c.Query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, c.Method, u, body)
	if err != nil {
		return err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := cl.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%w: %s", channels.ErrTransport, channels.Redact(err.Error(), c.Token))
	}
	defer resp.Body.Close()
	cl.pacer.Observe(resp.Header)
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return fmt.Errorf("%w: reading answer: %v", channels.ErrTransport, err)
	}
	if err := cl.refusal(resp, raw, c.Method+" "+pathOnly(c.Path), c.Permission); err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("malformed answer: %w", err)
	}
	return nil
}

// refusal turns an answer that is not a success into its error: Meta's error
// envelope classified (a rate limit also holds back the pacer's other calls),
// else a bare 429, a server error or an unexpected status; nil for a 200
// without an envelope. call names the request in the log.
func (cl *Client) refusal(resp *http.Response, raw []byte, call, permission string) error {
	var env struct {
		Error *apiError `json:"error"`
	}
	_ = json.Unmarshal(raw, &env) // a body that is not JSON is judged by its status below
	if env.Error != nil {
		regain := channels.RetryAfterOr(resp.Header.Get("Retry-After"), time.Now(), 0)
		if u, ok := ReadUsage(resp.Header); ok && u.Regain > regain {
			regain = u.Regain
		}
		e := classify(cl.platform, resp.StatusCode, *env.Error, regain, permission)
		var rl *channels.RateLimitError
		if errors.As(e, &rl) {
			cl.block(rl.RetryAfter)
		}
		cl.log.Warn("graph: error answer", "call", call, "code", e.Code, "subcode", e.Subcode, "fbtrace_id", e.FBTraceID)
		return e
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		d := channels.RetryAfterOr(resp.Header.Get("Retry-After"), time.Now(), time.Minute)
		cl.block(d)
		return &channels.RateLimitError{RetryAfter: d, Message: cl.platform + ": HTTP 429"}
	case resp.StatusCode >= 500:
		return &channels.APIError{Platform: cl.platform, Code: resp.StatusCode, Kind: channels.Transient, Message: "server error " + resp.Status}
	case resp.StatusCode != http.StatusOK:
		return &channels.APIError{Platform: cl.platform, Code: resp.StatusCode, Message: "unexpected HTTP status " + resp.Status}
	}
	return nil
}

// block keeps every call of the pacer's clients away from Meta for a wait
// that goes back to the caller's scheduler; a shorter one the retry loop
// waits out itself.
func (cl *Client) block(d time.Duration) {
	if d > cl.retry.Max {
		cl.pacer.Block(d)
	}
}

// Get reads path with query into out.
func (cl *Client) Get(ctx context.Context, token, path string, q url.Values, permission string, out any) error {
	return cl.Do(ctx, Call{Method: http.MethodGet, Path: path, Query: q, Token: token, Safe: true, Permission: permission}, out)
}

// Success is the answer of Graph calls that change something without
// creating an object (hide, delete).
type Success struct {
	Success bool `json:"success"`
}

// Created is the answer of Graph calls that create an object.
type Created struct {
	ID string `json:"id"`
}

// Change POSTs form to path (hide, unhide: repeating them is harmless) and
// checks Meta answered success.
func (cl *Client) Change(ctx context.Context, token, path string, form url.Values, permission string) error {
	var s Success
	if err := cl.Do(ctx, Call{Method: http.MethodPost, Path: path, Query: form, Token: token, Safe: true, Permission: permission}, &s); err != nil {
		return err
	}
	if !s.Success {
		return fmt.Errorf("%s POST %s: Meta did not answer success", cl.platform, pathOnly(path))
	}
	return nil
}

// Delete removes the object at path.
func (cl *Client) Delete(ctx context.Context, token, path, permission string) error {
	var s Success
	if err := cl.Do(ctx, Call{Method: http.MethodDelete, Path: path, Token: token, Safe: true, Permission: permission}, &s); err != nil {
		return err
	}
	if !s.Success {
		return fmt.Errorf("%s DELETE %s: Meta did not answer success", cl.platform, pathOnly(path))
	}
	return nil
}
