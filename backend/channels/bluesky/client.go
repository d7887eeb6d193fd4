package bluesky

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/listening/webapi"
)

// DefaultBaseURL is the PDS of accounts hosted by Bluesky itself.
const DefaultBaseURL = "https://bsky.social"

// ClientOptions configures a Client.
type ClientOptions struct {
	// Identifier is the account's handle or e-mail; AppPassword an app
	// password made under Settings → Privacy and security → App passwords.
	Identifier, AppPassword string
	BaseURL                 string // the account's PDS; "" = DefaultBaseURL
	HTTPClient              *http.Client
	Retry                   channels.Retry
	Now                     func() time.Time
}

// Client calls XRPC methods on the account's PDS with an app-password
// session (com.atproto.server.createSession), renewed by refreshSession and,
// when the refresh token is refused too, by a new login. The inbox connector
// and the listening source share it.
type Client struct {
	opts ClientOptions
	call webapi.Caller

	mu              sync.Mutex
	access, refresh string
	did             string
}

// NewClient returns a client; it does no I/O.
func NewClient(o ClientOptions) *Client {
	if o.BaseURL == "" {
		o.BaseURL = DefaultBaseURL
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	c := &Client{opts: o}
	c.call = webapi.Caller{
		Platform: "bluesky", HTTP: o.HTTPClient, Retry: o.Retry, Now: o.Now,
		Message: webapi.JSONMessage,
		ResetWait: func(h http.Header, now time.Time) time.Duration {
			if t := webapi.UnixTime(h.Get("RateLimit-Reset")); !t.IsZero() {
				return max(0, t.Sub(now))
			}
			return 0
		},
		Classify: func(e *channels.APIError, body []byte) {
			// XRPC names an expired or revoked token in a 400.
			if name := XRPCName(body); name == "ExpiredToken" || name == "InvalidToken" {
				e.Kind = channels.Auth
			}
		},
	}
	return c
}

// XRPCName is the error name of an XRPC error answer ({"error": name}).
func XRPCName(body []byte) string {
	var b struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal(body, &b)
	return b.Error
}

// Query calls an XRPC query (GET) with the session's token and decodes the
// answer into out; it returns the answer's headers for RateLimit-*.
func (c *Client) Query(ctx context.Context, nsid string, q url.Values, out any) (http.Header, error) {
	return c.authorized(ctx, func(tok string) (http.Header, error) {
		return c.call.Do(ctx, true, func(ctx context.Context) (*http.Request, error) {
			return webapi.Get(ctx, c.opts.BaseURL, "/xrpc/"+nsid, q, http.Header{"Authorization": {"Bearer " + tok}})
		}, out)
	})
}

// Procedure calls an XRPC procedure (POST of JSON) with the session's token.
// safe says whether a failure the server may have acted on may be repeated.
func (c *Client) Procedure(ctx context.Context, nsid string, body any, safe bool, out any) (http.Header, error) {
	return c.authorized(ctx, func(tok string) (http.Header, error) {
		return c.post(ctx, nsid, tok, body, safe, out)
	})
}

// DID is the logged-in account's DID, logging in when needed.
func (c *Client) DID(ctx context.Context) (string, error) {
	if _, err := c.session(ctx, ""); err != nil {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.did, nil
}

// Logout forgets the session, so the next call logs in afresh (Test).
func (c *Client) Logout() {
	c.mu.Lock()
	c.access, c.refresh = "", ""
	c.mu.Unlock()
}

// authorized runs call with the session's access token. An expired token
// is refreshed and the call repeated once; a refused refresh logs in again.
func (c *Client) authorized(ctx context.Context, call func(tok string) (http.Header, error)) (http.Header, error) {
	tok, err := c.session(ctx, "")
	if err != nil {
		return nil, err
	}
	hdr, err := call(tok)
	if !errors.Is(err, channels.ErrAuth) {
		return hdr, err
	}
	if tok, err = c.session(ctx, tok); err != nil {
		return nil, err
	}
	return call(tok)
}

type sessionAnswer struct {
	DID        string `json:"did"`
	AccessJwt  string `json:"accessJwt"`
	RefreshJwt string `json:"refreshJwt"`
}

// session returns an access token other than stale: the current one, one
// refreshed from the refresh token, or one from a new login.
func (c *Client) session(ctx context.Context, stale string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.access != "" && c.access != stale {
		return c.access, nil
	}
	if c.refresh != "" {
		var a sessionAnswer
		_, err := c.post(ctx, "com.atproto.server.refreshSession", c.refresh, nil, false, &a)
		if err == nil && a.AccessJwt != "" {
			c.access, c.refresh = a.AccessJwt, a.RefreshJwt
			if a.DID != "" {
				c.did = a.DID
			}
			return c.access, nil
		}
		if err != nil && !errors.Is(err, channels.ErrAuth) {
			return "", fmt.Errorf("bluesky refresh session: %w", err)
		}
	}
	var a sessionAnswer
	body := map[string]string{"identifier": c.opts.Identifier, "password": c.opts.AppPassword}
	if _, err := c.post(ctx, "com.atproto.server.createSession", "", body, false, &a); err != nil {
		c.access, c.refresh = "", ""
		return "", fmt.Errorf("bluesky login as %s: %w", c.opts.Identifier, err)
	}
	if a.AccessJwt == "" || a.RefreshJwt == "" || a.DID == "" {
		return "", fmt.Errorf("bluesky login: %w: no tokens or DID", webapi.ErrMalformed)
	}
	c.access, c.refresh, c.did = a.AccessJwt, a.RefreshJwt, a.DID
	return c.access, nil
}

// post sends one XRPC procedure call. Logins and refreshes are never
// repeated after a failure the server may have acted on (a used refresh
// token is gone).
func (c *Client) post(ctx context.Context, nsid, bearer string, body any, safe bool, out any) (http.Header, error) {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("bluesky %s: %w", nsid, err)
		}
	}
	return c.call.Do(ctx, safe, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(c.opts.BaseURL, "/")+"/xrpc/"+nsid, bytes.NewReader(payload))
		if err != nil {
			return nil, err
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		return req, nil
	}, out)
}
