package vk

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
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
)

// DefaultBaseURL is VK's API endpoint; a method name is appended to it.
const DefaultBaseURL = "https://api.vk.com/method/"

// APIVersion is the VK API version the client speaks.
const APIVersion = "5.199"

// maxBody caps a response read into memory; VK answers are small.
const maxBody = 8 << 20

// Client is a VK API client. It is safe for concurrent use.
type Client struct {
	http    *http.Client
	baseURL string
	token   string
	retry   channels.Retry
	limit   *throttle
}

// ClientOptions configure a Client.
type ClientOptions struct {
	HTTPClient *http.Client // nil = http.DefaultClient
	BaseURL    string       // "" = DefaultBaseURL
	Token      string       // access_token
	// RequestsPerSecond throttles calls client-side: VK allows 20/s for a
	// community token and 3/s for a user token. 0 = 20.
	RequestsPerSecond float64
	Retry             channels.Retry
}

// NewClient returns a client.
func NewClient(o ClientOptions) *Client {
	if o.HTTPClient == nil {
		o.HTTPClient = http.DefaultClient
	}
	if o.BaseURL == "" {
		o.BaseURL = DefaultBaseURL
	}
	if !strings.HasSuffix(o.BaseURL, "/") {
		o.BaseURL += "/"
	}
	if o.RequestsPerSecond <= 0 {
		o.RequestsPerSecond = 20
	}
	r := o.Retry.WithDefaults()
	return &Client{
		http: o.HTTPClient, baseURL: o.BaseURL, token: o.Token, retry: r,
		limit: &throttle{interval: time.Duration(float64(time.Second) / o.RequestsPerSecond), sleep: r.Sleep},
	}
}

// throttle spaces calls so the client stays under VK's per-second limit.
type throttle struct {
	mu       sync.Mutex
	next     time.Time
	interval time.Duration
	sleep    func(context.Context, time.Duration) error
}

func (t *throttle) wait(ctx context.Context) error {
	t.mu.Lock()
	now := time.Now()
	at := t.next
	if at.Before(now) {
		at = now
	}
	t.next = at.Add(t.interval)
	t.mu.Unlock()
	return t.sleep(ctx, at.Sub(now))
}

type apiError struct {
	ErrorCode int    `json:"error_code"`
	ErrorMsg  string `json:"error_msg"`
}

type envelope struct {
	Response json.RawMessage `json:"response"`
	Error    *apiError       `json:"error"`
}

// classify turns a VK error code into the shared error types with a message a
// community manager can act on; VK's own text is kept alongside.
func classify(code int, msg string) error {
	e := &channels.APIError{Platform: "vk", Code: code, Kind: channels.Permanent}
	switch code {
	case 6:
		return &channels.RateLimitError{RetryAfter: time.Second, Message: "VK: too many requests per second (code 6): " + msg}
	case 29:
		return &channels.RateLimitError{RetryAfter: time.Hour, Message: "VK: the daily limit of this method is reached (code 29): " + msg}
	case 5, 27, 28:
		e.Kind = channels.Auth
		e.Message = "the access token is invalid, expired or revoked; reconnect the VK account (" + msg + ")"
	case 7, 15, 203, 212, 213, 901, 902:
		e.Kind = channels.Forbidden
		e.Message = "access denied: the token lacks the right or the user's privacy settings forbid it (" + msg + ")"
	case 9:
		e.Kind = channels.Transient
		e.Message = "flood control: too many similar actions, VK asks to slow down (" + msg + ")"
	case 1, 10:
		e.Kind = channels.Transient
		e.Message = "VK internal server error, will retry (" + msg + ")"
	case 100:
		e.Message = "invalid parameter (" + msg + ")"
	default:
		e.Message = msg
	}
	return e
}

// call POSTs method with params (the token goes in the body, never in a URL
// that could end up in a log) and decodes the response field into out.
func (c *Client) call(ctx context.Context, method string, params url.Values, safe bool, out any) error {
	form := url.Values{}
	for k, v := range params {
		form[k] = v
	}
	form.Set("access_token", c.token)
	form.Set("v", APIVersion)
	err := c.retry.Do(ctx, safe, func() error {
		if err := c.limit.wait(ctx); err != nil {
			return err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.baseURL+method, strings.NewReader(form.Encode()))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		body, err := c.do(req)
		if err != nil {
			return err
		}
		var env envelope
		if err := json.Unmarshal(body, &env); err != nil {
			return fmt.Errorf("malformed JSON answer: %w", err)
		}
		if env.Error != nil {
			return classify(env.Error.ErrorCode, env.Error.ErrorMsg)
		}
		if len(env.Response) == 0 {
			return errors.New("malformed answer: no response field")
		}
		if out != nil {
			if err := json.Unmarshal(env.Response, out); err != nil {
				return fmt.Errorf("malformed response field: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("vk %s: %w", method, err)
	}
	return nil
}

// do sends req and returns the body of a 200 answer; HTTP-level failures map
// to retryable errors.
func (c *Client) do(req *http.Request) ([]byte, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		if req.Context().Err() != nil {
			return nil, req.Context().Err()
		}
		return nil, &channels.APIError{Platform: "vk", Kind: channels.Transient, Message: "network: " + channels.Redact(err.Error())}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, &channels.APIError{Platform: "vk", Code: resp.StatusCode, Kind: channels.Transient, Message: "reading answer: " + err.Error()}
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return nil, &channels.RateLimitError{RetryAfter: channels.RetryAfterOr(resp.Header.Get("Retry-After"), time.Now(), time.Second), Message: "VK: HTTP 429"}
	case resp.StatusCode >= 500:
		return nil, &channels.APIError{Platform: "vk", Code: resp.StatusCode, Kind: channels.Transient, Message: "server error " + resp.Status}
	case resp.StatusCode != http.StatusOK:
		return nil, &channels.APIError{Platform: "vk", Code: resp.StatusCode, Message: "unexpected HTTP status " + resp.Status}
	}
	return body, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// GetLongPollServer calls groups.getLongPollServer.
func (c *Client) GetLongPollServer(ctx context.Context, groupID int64) (LongPollServer, error) {
	var s LongPollServer
	err := c.call(ctx, "groups.getLongPollServer", url.Values{"group_id": {itoa(groupID)}}, true, &s)
	if err == nil && (s.Server == "" || s.Key == "" || s.TS == "") {
		err = errors.New("vk groups.getLongPollServer: answer lacks server, key or ts")
	}
	return s, err
}

// Check sends one a_check request to a long-poll server and waits up to wait.
func (c *Client) Check(ctx context.Context, s LongPollServer, ts Num, wait time.Duration) (LongPollResponse, error) {
	u, err := url.Parse(s.Server)
	if err != nil {
		return LongPollResponse{}, fmt.Errorf("vk long poll: bad server address: %w", err)
	}
	q := u.Query()
	q.Set("act", "a_check")
	q.Set("key", s.Key)
	q.Set("ts", string(ts))
	q.Set("wait", strconv.Itoa(int(wait/time.Second)))
	u.RawQuery = q.Encode()
	var out LongPollResponse
	err = c.retry.Do(ctx, true, func() error {
		if err := c.limit.wait(ctx); err != nil {
			return err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return err
		}
		body, err := c.do(req)
		if err != nil {
			return err
		}
		out = LongPollResponse{}
		if err := json.Unmarshal(body, &out); err != nil {
			return fmt.Errorf("malformed JSON answer: %w", err)
		}
		if out.Failed == 0 && out.TS == "" {
			return errors.New("malformed answer: neither ts nor failed")
		}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("vk long poll: %w", err)
	}
	return out, nil
}

// WallGet calls wall.get for the newest count posts of ownerID.
func (c *Client) WallGet(ctx context.Context, ownerID int64, count int) (WallPosts, error) {
	var p WallPosts
	err := c.call(ctx, "wall.get", url.Values{"owner_id": {itoa(ownerID)}, "count": {strconv.Itoa(count)}}, true, &p)
	return p, err
}

// GetComments calls wall.getComments with extended=1 (profiles and groups for names).
func (c *Client) GetComments(ctx context.Context, p GetCommentsParams) (WallComments, error) {
	v := url.Values{
		"owner_id": {itoa(p.OwnerID)}, "post_id": {itoa(p.PostID)}, "extended": {"1"},
		"need_likes": {"0"}, "fields": {"screen_name"},
	}
	if p.Count > 0 {
		v.Set("count", strconv.Itoa(p.Count))
	}
	if p.Offset > 0 {
		v.Set("offset", strconv.Itoa(p.Offset))
	}
	if p.StartCommentID > 0 {
		v.Set("start_comment_id", itoa(p.StartCommentID))
	}
	if p.Sort != "" {
		v.Set("sort", p.Sort)
	}
	if p.ThreadItemsCount > 0 {
		v.Set("thread_items_count", strconv.Itoa(p.ThreadItemsCount))
	}
	var out WallComments
	err := c.call(ctx, "wall.getComments", v, true, &out)
	return out, err
}

// Send calls messages.send and returns the new message id. It is retried on
// any transient error because VK ignores a repeated random_id.
func (c *Client) Send(ctx context.Context, p SendParams) (int64, error) {
	var id int64
	err := c.call(ctx, "messages.send", url.Values{
		"peer_id": {itoa(p.PeerID)}, "message": {p.Message}, "random_id": {strconv.Itoa(int(p.RandomID))},
	}, true, &id)
	return id, err
}

// CreateComment calls wall.createComment. Without a GUID it is only retried on
// rate limits, since a timeout may hide a comment that was posted.
func (c *Client) CreateComment(ctx context.Context, p CreateCommentParams) (CreatedComment, error) {
	v := url.Values{"owner_id": {itoa(p.OwnerID)}, "post_id": {itoa(p.PostID)}, "message": {p.Message}}
	if p.FromGroup != 0 {
		v.Set("from_group", itoa(p.FromGroup))
	}
	if p.ReplyToComment != 0 {
		v.Set("reply_to_comment", itoa(p.ReplyToComment))
	}
	if p.GUID != "" {
		v.Set("guid", p.GUID)
	}
	var out CreatedComment
	err := c.call(ctx, "wall.createComment", v, p.GUID != "", &out)
	return out, err
}

// DeleteComment calls wall.deleteComment.
func (c *Client) DeleteComment(ctx context.Context, ownerID, commentID int64) error {
	var ok int
	err := c.call(ctx, "wall.deleteComment", url.Values{"owner_id": {itoa(ownerID)}, "comment_id": {itoa(commentID)}}, true, &ok)
	if err == nil && ok != 1 {
		err = fmt.Errorf("vk wall.deleteComment: VK answered %d instead of 1", ok)
	}
	return err
}

// GroupsGetByID calls groups.getById. Since 5.194 the answer is an object
// {groups, profiles}; older versions answered an array, which is accepted too.
func (c *Client) GroupsGetByID(ctx context.Context, groupID int64) ([]Group, error) {
	var raw json.RawMessage
	if err := c.call(ctx, "groups.getById", url.Values{"group_id": {itoa(groupID)}}, true, &raw); err != nil {
		return nil, err
	}
	var obj struct {
		Groups []Group `json:"groups"`
	}
	if err := json.Unmarshal(raw, &obj); err == nil {
		return obj.Groups, nil
	}
	var arr []Group
	if err := json.Unmarshal(raw, &arr); err != nil {
		return nil, fmt.Errorf("vk groups.getById: malformed response: %w", err)
	}
	return arr, nil
}

// NewsfeedSearch calls newsfeed.search (public posts, newest first) with
// extended=1 and the authors' followers and members counts.
func (c *Client) NewsfeedSearch(ctx context.Context, p NewsfeedSearchParams) (NewsfeedSearchResponse, error) {
	v := url.Values{"q": {p.Q}, "extended": {"1"}, "fields": {"screen_name,followers_count,members_count"}}
	if p.StartTime > 0 {
		v.Set("start_time", itoa(p.StartTime))
	}
	if p.EndTime > 0 {
		v.Set("end_time", itoa(p.EndTime))
	}
	if p.StartFrom != "" {
		v.Set("start_from", p.StartFrom)
	}
	if p.Count > 0 {
		v.Set("count", strconv.Itoa(p.Count))
	}
	var out NewsfeedSearchResponse
	err := c.call(ctx, "newsfeed.search", v, true, &out)
	return out, err
}
