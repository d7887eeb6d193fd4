package teamclient

import (
	"bytes"
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

	"github.com/stormdesk/stormdesk/backend/apperr"
)

// requestTimeout bounds one join request; the person is waiting on the screen.
const requestTimeout = 30 * time.Second

// maxAnswer bounds what the server's answers are read to.
const maxAnswer = 1 << 20

// Member is who the desktop acts as on the team.
type Member struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

// Client makes the few requests joining needs, with the same trust the
// proxy will use.
type Client struct {
	server *url.URL
	http   *http.Client
}

// NewClient returns a client of server checked as trust says.
func NewClient(server *url.URL, trust Trust) *Client {
	return &Client{server: server, http: &http.Client{
		Transport: trust.Transport(server),
		Timeout:   requestTimeout,
		// The server answers these endpoints directly; a redirect would take
		// the token elsewhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Close drops idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// JoinResult is the server's answer to a redeemed invitation.
type JoinResult struct {
	Token  string `json:"token"`
	Member Member `json:"member"`
}

// Redeem exchanges an invitation code for a member and its long-lived token
// (POST /join). The server's refusals come back as its coded errors
// (invite-invalid, name-taken, login-limited).
func (c *Client) Redeem(ctx context.Context, code, name, password string) (JoinResult, error) {
	body, _ := json.Marshal(map[string]string{"code": code, "name": name, "password": password})
	var res JoinResult
	if err := c.do(ctx, http.MethodPost, "/join", "", body, &res); err != nil {
		return JoinResult{}, fmt.Errorf("join %s: %w", c.server.Host, err)
	}
	if res.Token == "" || res.Member.Name == "" {
		return JoinResult{}, apperr.Internal(fmt.Errorf("join %s: the answer has no token or member", c.server.Host))
	}
	return res, nil
}

// appInfo is the part of AppService.Info the desktop reads.
type appInfo struct {
	Me   string `json:"me"`
	Role string `json:"role"`
}

// Check tells whether the server is ready and token lets a member in, and
// who that member is: GET /readyz, then one bound call with the token.
func (c *Client) Check(ctx context.Context, token string) (Member, error) {
	if err := c.do(ctx, http.MethodGet, "/readyz", "", nil, nil); err != nil {
		return Member{}, fmt.Errorf("team server %s ready: %w", c.server.Host, err)
	}
	var res struct {
		Result appInfo `json:"result"`
	}
	if err := c.do(ctx, http.MethodPost, "/bridge/call/AppService/Info", token, []byte("[]"), &res); err != nil {
		return Member{}, fmt.Errorf("team server %s: %w", c.server.Host, err)
	}
	if res.Result.Me == "" {
		return Member{}, apperr.Internal(fmt.Errorf("team server %s: its answer names no member", c.server.Host))
	}
	return Member{Name: res.Result.Me, Role: res.Result.Role}, nil
}

func (c *Client) do(ctx context.Context, method, path, token string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.server.String()+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return classify(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, maxAnswer))
	if err != nil {
		return classify(err)
	}
	if res.StatusCode/100 != 2 {
		return answerError(res, data)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return apperr.Internal(fmt.Errorf("%s %s: answer is not JSON: %w", method, path, err))
	}
	return nil
}

// answerError turns a refusal into an error: the server's coded text as it
// is, or a coded error for the status when the answer carries none.
func answerError(res *http.Response, data []byte) error {
	var e struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal(data, &e)
	if code, params, detail, ok := apperr.Decode(e.Error); ok && code != apperr.CodeTokenRefused {
		// Decoded rather than passed on as text, so wrapping it keeps the code.
		return &apperr.Error{Code: code, Params: params, Err: errors.New(detail)}
	}
	// A token refused while joining or checking it is one the person typed
	// wrong (auth-failed), not access that ended: the proxy codes that itself.
	cause := fmt.Errorf("HTTP %d: %s", res.StatusCode, strings.TrimSpace(firstNonEmpty(e.Error, string(data))))
	switch res.StatusCode {
	case http.StatusUnauthorized:
		return apperr.AuthFailed("", cause)
	case http.StatusForbidden:
		return apperr.NotAllowed("", cause)
	case http.StatusTooManyRequests:
		secs, _ := strconv.Atoi(res.Header.Get("Retry-After"))
		return apperr.LoginLimited(time.Duration(secs)*time.Second, cause)
	case http.StatusNotFound:
		return apperr.NotFound("team server", cause)
	case http.StatusServiceUnavailable, http.StatusBadGateway, http.StatusGatewayTimeout:
		return apperr.ServerUnreachable(cause)
	}
	return apperr.Internal(cause)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	if len(b) > 200 {
		b = b[:200]
	}
	return b
}
