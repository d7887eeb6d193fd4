package youtube

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

	"github.com/stormdesk/stormdesk/backend/channels"
)

// DefaultBaseURL is the YouTube Data API v3 endpoint.
const DefaultBaseURL = "https://www.googleapis.com/youtube/v3"

const maxBody = 16 << 20

// TokenFunc returns a current OAuth 2.0 access token (refreshing it if needed).
type TokenFunc func(ctx context.Context) (string, error)

// ClientOptions configure a Client.
type ClientOptions struct {
	HTTPClient *http.Client // nil = http.DefaultClient
	BaseURL    string       // "" = DefaultBaseURL
	APIKey     string       // enough for reading public comments
	Token      TokenFunc    // OAuth; needed to reply, moderate and read held comments
	Quota      *Quota       // nil = a private DefaultDailyBudget counter
	Retry      channels.Retry
}

// Client is a YouTube Data API v3 client. It is safe for concurrent use.
type Client struct {
	http  *http.Client
	base  string
	key   string
	token TokenFunc
	quota *Quota
	retry channels.Retry
}

// NewClient returns a client.
func NewClient(o ClientOptions) *Client {
	if o.HTTPClient == nil {
		o.HTTPClient = http.DefaultClient
	}
	if o.BaseURL == "" {
		o.BaseURL = DefaultBaseURL
	}
	if o.Quota == nil {
		o.Quota = NewQuota(0, nil)
	}
	return &Client{http: o.HTTPClient, base: strings.TrimRight(o.BaseURL, "/"), key: o.APIKey, token: o.Token, quota: o.Quota, retry: o.Retry.WithDefaults()}
}

// Quota is the counter this client spends from.
func (c *Client) Quota() *Quota { return c.quota }

type errorBody struct {
	Error *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Status  string `json:"status"`
		Errors  []struct {
			Message string `json:"message"`
			Domain  string `json:"domain"`
			Reason  string `json:"reason"`
		} `json:"errors"`
	} `json:"error"`
}

// classify maps an error answer to the shared error types, by HTTP status and
// the first reason, with a message a community manager can act on.
func (c *Client) classify(ctx context.Context, status int, h http.Header, body []byte) error {
	var eb errorBody
	msg, reason := http.StatusText(status), ""
	if json.Unmarshal(body, &eb) == nil && eb.Error != nil {
		msg = eb.Error.Message
		if len(eb.Error.Errors) > 0 {
			reason = eb.Error.Errors[0].Reason
		}
	}
	e := &channels.APIError{Platform: "youtube", Code: status, Kind: channels.Permanent, Message: msg}
	if reason != "" {
		e.Message = reason + ": " + msg
	}
	switch {
	case reason == "quotaExceeded" || reason == "dailyLimitExceeded":
		msg = "YouTube: the project's daily quota is used up; it resets at midnight Pacific time (" + msg + ")"
		if err := c.quota.Exhaust(ctx); err != nil {
			msg += "; " + err.Error()
		}
		return &channels.RateLimitError{RetryAfter: c.quota.UntilReset(), Message: msg}
	case status == http.StatusTooManyRequests || reason == "rateLimitExceeded" || reason == "userRateLimitExceeded":
		return &channels.RateLimitError{RetryAfter: channels.RetryAfterOr(h.Get("Retry-After"), time.Now(), time.Second), Message: "YouTube: too many requests (" + msg + ")"}
	case status == http.StatusUnauthorized:
		e.Kind = channels.Auth
		e.Message = "the API key or sign-in is invalid or expired; reconnect the YouTube account (" + e.Message + ")"
	case reason == "commentsDisabled":
		e.Kind = channels.Forbidden
		e.Message = "comments are disabled on this video (" + msg + ")"
	case status == http.StatusForbidden:
		e.Kind = channels.Forbidden
		e.Message = "access denied: the signed-in account may not do this (" + e.Message + ")"
	case status >= 500:
		e.Kind = channels.Transient
	}
	return e
}

// call does one API call spending cost units (each attempt costs, as Google
// counts failed calls too). safe says a transient failure may be retried.
func (c *Client) call(ctx context.Context, what, method, path string, q url.Values, in, out any, cost, reserve int, needAuth, safe bool) error {
	var payload []byte
	if in != nil {
		var err error
		if payload, err = json.Marshal(in); err != nil {
			return fmt.Errorf("youtube %s: encode request: %w", what, err)
		}
	}
	err := c.retry.Do(ctx, safe, func() error {
		if err := c.quota.Spend(ctx, what, cost, reserve); err != nil {
			return err
		}
		qq := url.Values{}
		for k, v := range q {
			qq[k] = v
		}
		req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(payload))
		if err != nil {
			return err
		}
		switch {
		case c.token != nil:
			tok, err := c.token(ctx)
			if err != nil {
				return fmt.Errorf("getting the sign-in token: %w", err)
			}
			req.Header.Set("Authorization", "Bearer "+tok)
		case needAuth:
			return &channels.APIError{Platform: "youtube", Code: http.StatusUnauthorized, Kind: channels.Auth, Message: "this needs the YouTube account to be signed in with OAuth, an API key is not enough"}
		default:
			qq.Set("key", c.key)
		}
		req.URL.RawQuery = qq.Encode()
		if in != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := c.http.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return &channels.APIError{Platform: "youtube", Kind: channels.Transient, Message: "network: " + channels.Redact(err.Error())}
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
		if err != nil {
			return &channels.APIError{Platform: "youtube", Code: resp.StatusCode, Kind: channels.Transient, Message: "reading answer: " + err.Error()}
		}
		if resp.StatusCode/100 != 2 {
			return c.classify(ctx, resp.StatusCode, resp.Header, body)
		}
		if out == nil {
			return nil
		}
		if err := json.Unmarshal(body, out); err != nil {
			return fmt.Errorf("malformed JSON answer: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("youtube %s: %w", what, err)
	}
	return nil
}

// ListCommentThreads calls commentThreads.list with part=snippet,replies and
// plain-text display (1 unit). reserve units are kept free for replies.
func (c *Client) ListCommentThreads(ctx context.Context, p ListThreadsParams, reserve int) (CommentThreadListResponse, error) {
	q := url.Values{"part": {"snippet,replies"}, "textFormat": {"plainText"}}
	if p.VideoID != "" {
		q.Set("videoId", p.VideoID)
	} else {
		q.Set("allThreadsRelatedToChannelId", p.AllThreadsRelatedToChannelID)
	}
	if p.Order == "" {
		p.Order = "time"
	}
	q.Set("order", p.Order)
	if p.MaxResults > 0 {
		q.Set("maxResults", strconv.Itoa(p.MaxResults))
	}
	if p.PageToken != "" {
		q.Set("pageToken", p.PageToken)
	}
	var out CommentThreadListResponse
	err := c.call(ctx, "commentThreads.list", http.MethodGet, "/commentThreads", q, nil, &out, CostList, reserve, false, true)
	return out, err
}

// InsertReply calls comments.insert with snippet.parentId (50 units). It is
// retried only on rate limits: YouTube has no idempotency key, so a timeout
// may hide a reply that was posted.
func (c *Client) InsertReply(ctx context.Context, parentID, text string) (Comment, error) {
	in := map[string]any{"snippet": map[string]string{"parentId": parentID, "textOriginal": text}}
	var out Comment
	err := c.call(ctx, "comments.insert", http.MethodPost, "/comments", url.Values{"part": {"snippet"}}, in, &out, CostInsert, 0, true, false)
	if err == nil && out.ID == "" {
		err = errors.New("youtube comments.insert: answer has no comment id")
	}
	return out, err
}

// SetModerationStatus calls comments.setModerationStatus (50 units).
func (c *Client) SetModerationStatus(ctx context.Context, id, status string) error {
	q := url.Values{"id": {id}, "moderationStatus": {status}}
	return c.call(ctx, "comments.setModerationStatus", http.MethodPost, "/comments/setModerationStatus", q, nil, nil, CostModeration, 0, true, true)
}

// ListChannels calls channels.list for one id with the given parts (1 unit).
func (c *Client) ListChannels(ctx context.Context, id, part string) (ChannelListResponse, error) {
	var out ChannelListResponse
	err := c.call(ctx, "channels.list", http.MethodGet, "/channels", url.Values{"part": {part}, "id": {id}}, nil, &out, CostList, 0, false, true)
	return out, err
}

// Search calls search.list with part=snippet, type=video and order=date
// (100 units a page). reserve units are kept free for the inbox's own calls.
func (c *Client) Search(ctx context.Context, p SearchParams, reserve int) (SearchListResponse, error) {
	q := url.Values{"part": {"snippet"}, "type": {"video"}, "order": {"date"}, "q": {p.Q}}
	if !p.PublishedAfter.IsZero() {
		q.Set("publishedAfter", p.PublishedAfter.UTC().Format(time.RFC3339))
	}
	if !p.PublishedBefore.IsZero() {
		q.Set("publishedBefore", p.PublishedBefore.UTC().Format(time.RFC3339))
	}
	if p.MaxResults > 0 {
		q.Set("maxResults", strconv.Itoa(p.MaxResults))
	}
	if p.PageToken != "" {
		q.Set("pageToken", p.PageToken)
	}
	if p.RelevanceLanguage != "" {
		q.Set("relevanceLanguage", p.RelevanceLanguage)
	}
	var out SearchListResponse
	err := c.call(ctx, "search.list", http.MethodGet, "/search", q, nil, &out, CostSearch, reserve, false, true)
	return out, err
}
