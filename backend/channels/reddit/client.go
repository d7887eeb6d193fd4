package reddit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/listening/webapi"
)

// ClientOptions configures a Client.
type ClientOptions struct {
	ClientID, Secret string // the app's credentials (reddit.com/prefs/apps)
	// Username and Password, when set, log in as that account (the password
	// grant of a "script" app); without them the token is app-only
	// (client credentials), which can read but not post.
	Username, Password string
	// UserAgent must be unique and descriptive, e.g.
	// "desktop:com.example.stormdesk:1.0 (by /u/acme)"; Reddit blocks
	// generic ones.
	UserAgent  string
	AuthURL    string // "" = https://www.reddit.com
	APIURL     string // "" = https://oauth.reddit.com
	HTTPClient *http.Client
	Retry      channels.Retry
	Now        func() time.Time
}

// Client calls Reddit's OAuth API with a token it fetches and renews: once
// it ends, or once when the API answers 401. The inbox connector and the
// listening source share it.
type Client struct {
	opts ClientOptions
	call webapi.Caller

	mu      sync.Mutex
	token   string
	expires time.Time
}

// NewClient checks the options and returns a client; it does no I/O.
func NewClient(o ClientOptions) (*Client, error) {
	if o.ClientID == "" || o.Secret == "" {
		return nil, errors.New("reddit: the app's client id and secret are required")
	}
	if strings.TrimSpace(o.UserAgent) == "" {
		return nil, errors.New("reddit: a unique User-Agent is required (platform:app id:version (by /u/name))")
	}
	if o.AuthURL == "" {
		o.AuthURL = "https://www.reddit.com"
	}
	if o.APIURL == "" {
		o.APIURL = "https://oauth.reddit.com"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	c := &Client{opts: o}
	c.call = webapi.Caller{
		Platform: "reddit", HTTP: o.HTTPClient, Retry: o.Retry, Now: o.Now,
		Message: webapi.JSONMessage,
		ResetWait: func(h http.Header, _ time.Time) time.Duration {
			n, _ := strconv.ParseFloat(h.Get("X-Ratelimit-Reset"), 64)
			return time.Duration(n) * time.Second
		},
		Classify: func(e *channels.APIError, body []byte) {
			if e.Kind == channels.Forbidden && strings.Contains(string(body), "User-Agent") {
				e.Message += " (Reddit refuses this User-Agent; set a unique one naming the app and its owner)"
			}
		},
	}
	return c, nil
}

// Now is the client's clock.
func (c *Client) Now() time.Time { return c.opts.Now() }

// Get calls GET path on the API with query q and decodes the answer.
func (c *Client) Get(ctx context.Context, path string, q url.Values, out any) (http.Header, error) {
	return c.authorized(ctx, true, func(ctx context.Context, tok string) (*http.Request, error) {
		return webapi.Get(ctx, c.opts.APIURL, path, q, c.header(tok))
	}, out)
}

// Post calls POST path with a form. safe says whether a failure the
// server may have acted on may be repeated.
func (c *Client) Post(ctx context.Context, path string, form url.Values, safe bool, out any) (http.Header, error) {
	body := form.Encode()
	return c.authorized(ctx, safe, func(ctx context.Context, tok string) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(c.opts.APIURL, "/")+path, strings.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header = c.header(tok)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return req, nil
	}, out)
}

func (c *Client) header(tok string) http.Header {
	return http.Header{"Authorization": {"bearer " + tok}, "User-Agent": {c.opts.UserAgent}}
}

// authorized sends the request with the current token; a 401 (expired or
// revoked) gets one new token and one more try, then gives up. A request
// refused with 401 was not acted on, so repeating it is safe.
func (c *Client) authorized(ctx context.Context, safe bool, newReq func(ctx context.Context, tok string) (*http.Request, error), out any) (http.Header, error) {
	var hdr http.Header
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		var tok string
		if tok, err = c.accessToken(ctx); err != nil {
			return nil, err
		}
		hdr, err = c.call.Do(ctx, safe, func(ctx context.Context) (*http.Request, error) { return newReq(ctx, tok) }, out)
		if !errors.Is(err, channels.ErrAuth) {
			return hdr, err
		}
		c.forget(tok)
	}
	return hdr, err
}

type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
	// Error is set by a refused password grant, which Reddit answers
	// with 200 {"error": "invalid_grant"}.
	Error string `json:"error"`
}

// accessToken returns the current token, fetching one when there is none
// or it ends within a minute.
func (c *Client) accessToken(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != "" && c.opts.Now().Add(time.Minute).Before(c.expires) {
		return c.token, nil
	}
	grant := url.Values{"grant_type": {"client_credentials"}}
	if c.opts.Username != "" {
		grant = url.Values{"grant_type": {"password"}, "username": {c.opts.Username}, "password": {c.opts.Password}}
	}
	form := grant.Encode()
	var a tokenAnswer
	_, err := c.call.Do(ctx, true, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(c.opts.AuthURL, "/")+"/api/v1/access_token", strings.NewReader(form))
		if err != nil {
			return nil, err
		}
		req.SetBasicAuth(c.opts.ClientID, c.opts.Secret)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("User-Agent", c.opts.UserAgent)
		return req, nil
	}, &a)
	if err != nil {
		return "", fmt.Errorf("reddit access token: %w", err)
	}
	if a.Error != "" {
		return "", fmt.Errorf("reddit access token for u/%s: %w", c.opts.Username,
			&channels.APIError{Platform: "reddit", Code: http.StatusUnauthorized, Message: a.Error + " (wrong username or password, or the account uses two-factor authentication)", Kind: channels.Auth})
	}
	if a.AccessToken == "" {
		return "", fmt.Errorf("reddit access token: %w: no access_token", webapi.ErrMalformed)
	}
	c.token, c.expires = a.AccessToken, c.opts.Now().Add(time.Duration(a.ExpiresIn)*time.Second)
	return c.token, nil
}

func (c *Client) forget(tok string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token == tok {
		c.token = ""
	}
}
