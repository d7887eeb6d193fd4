package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
)

// DefaultBaseURL is the public Bot API server.
const DefaultBaseURL = "https://api.telegram.org"

// maxResponseBytes caps one API answer; 100 updates of 4096 characters fit easily.
const maxResponseBytes = 32 << 20

// Client is a Bot API client for one bot token.
type Client struct {
	base  string
	token string
	http  *http.Client
	retry channels.Retry
}

// ClientOptions configure a Client.
type ClientOptions struct {
	HTTPClient *http.Client // nil = http.DefaultClient
	BaseURL    string       // "" = DefaultBaseURL
	Token      string       // the bot token
	Retry      channels.Retry
}

// NewClient returns a client.
func NewClient(o ClientOptions) *Client {
	if o.BaseURL == "" {
		o.BaseURL = DefaultBaseURL
	}
	if o.HTTPClient == nil {
		o.HTTPClient = http.DefaultClient
	}
	return &Client{base: strings.TrimRight(o.BaseURL, "/"), token: o.Token, http: o.HTTPClient, retry: o.Retry.Or(clientRetry())}
}

// clientRetry is Telegram's retry policy under the caller's: a getUpdates
// long poll or a send rides out a 429 itself, waiting at most 2 min.
func clientRetry() channels.Retry {
	return channels.Retry{Base: 500 * time.Millisecond, Max: 2 * time.Minute, CapWaits: true}
}

// GetMe returns the bot's own user; it is the cheapest call that checks the token.
func (c *Client) GetMe(ctx context.Context) (User, error) {
	var u User
	err := c.call(ctx, "getMe", struct{}{}, true, &u)
	return u, err
}

// GetUpdates returns pending updates. Passing an offset confirms every update below it.
func (c *Client) GetUpdates(ctx context.Context, p GetUpdatesParams) ([]json.RawMessage, error) {
	var raw []json.RawMessage
	err := c.call(ctx, "getUpdates", p, true, &raw)
	return raw, err
}

// SendMessage sends a text message. Only a 429 is retried: after a 5xx or a
// dropped connection Telegram may have delivered it already, and the Bot API
// has no idempotency key to make a second try harmless.
func (c *Client) SendMessage(ctx context.Context, p SendMessageParams) (Message, error) {
	var m Message
	err := c.call(ctx, "sendMessage", p, false, &m)
	return m, err
}

// DeleteMessage deletes a message (only under 48 h old, see the Bot API docs).
func (c *Client) DeleteMessage(ctx context.Context, p DeleteMessageParams) error {
	var ok bool
	if err := c.call(ctx, "deleteMessage", p, true, &ok); err != nil {
		return err
	}
	if !ok {
		return &channels.APIError{Platform: "telegram", Message: "deleteMessage returned false", Kind: channels.Permanent}
	}
	return nil
}

func (c *Client) call(ctx context.Context, method string, params any, safe bool, out any) error {
	body, err := json.Marshal(params)
	if err != nil {
		return fmt.Errorf("telegram %s: encode request: %w", method, err)
	}
	err = c.retry.Do(ctx, safe, func() error { return c.once(ctx, method, body, out) })
	if err != nil {
		return fmt.Errorf("telegram %s: %w", method, err)
	}
	return nil
}

func (c *Client) once(ctx context.Context, method string, body []byte, out any) error {
	// The token is part of the path, so no URL from here may reach an error or a log.
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/bot"+c.token+"/"+method, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("build request: %s", channels.Redact(err.Error(), c.token))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("%w: %s", channels.ErrTransport, channels.Redact(err.Error(), c.token))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%w: read answer: %s", channels.ErrTransport, channels.Redact(err.Error(), c.token))
	}
	if len(data) > maxResponseBytes {
		return fmt.Errorf("answer larger than %d bytes", maxResponseBytes)
	}
	var env envelope
	if err := json.Unmarshal(data, &env); err != nil {
		if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
			return classify(resp.StatusCode, resp.Status, nil, resp.Header)
		}
		return fmt.Errorf("malformed answer (HTTP %d): %w", resp.StatusCode, err)
	}
	if !env.OK {
		code := env.ErrorCode
		if code == 0 {
			code = resp.StatusCode
		}
		return classify(code, env.Description, env.Parameters, resp.Header)
	}
	if err := json.Unmarshal(env.Result, out); err != nil {
		return fmt.Errorf("malformed result: %w", err)
	}
	return nil
}

// classify turns an error answer into channels' error types.
func classify(code int, desc string, p *ResponseParameters, h http.Header) error {
	api := &channels.APIError{Platform: "telegram", Code: code, Message: desc, Kind: channels.Permanent}
	switch {
	case code == http.StatusTooManyRequests:
		wait := time.Duration(0)
		if p != nil && p.RetryAfter > 0 {
			wait = time.Duration(p.RetryAfter) * time.Second
		} else if s, err := time.ParseDuration(h.Get("Retry-After") + "s"); err == nil && h.Get("Retry-After") != "" {
			wait = s
		}
		return &channels.RateLimitError{RetryAfter: wait, Message: desc}
	case code == http.StatusUnauthorized || code == http.StatusNotFound:
		// A wrong token answers 401; a malformed one makes the path unknown (404).
		api.Kind = channels.Auth
		api.Message = desc + " (the bot token was rejected: copy it again from @BotFather)"
	case code == http.StatusForbidden:
		api.Kind = channels.Forbidden
		api.Message = desc + " (the bot was blocked by the user, removed from the chat, or lacks admin rights)"
	case code == http.StatusConflict:
		api.Message = desc + " (a webhook is set for this bot or another program polls it: remove the webhook with deleteWebhook, or stop the other program)"
	case code >= 500:
		api.Kind = channels.Transient
	}
	return api
}
