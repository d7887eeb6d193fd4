package mastodon

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
)

// NotificationStreamPath is the server-sent events stream of the account's notifications.
const NotificationStreamPath = "/api/v1/streaming/user/notification"

const (
	// defaultStreamIdle allows two missed heartbeats: Mastodon's streaming
	// server writes ":thump" every 15 s.
	defaultStreamIdle = 45 * time.Second
	// defaultWatchMax also bounds how stale the inbox gets while the stream is
	// down, since every reconnect attempt checks for missed mentions.
	defaultWatchMax = 2 * time.Minute
	maxEventBytes   = 4 << 20
)

var errStreamIdle = errors.New("stream silent for too long")

// StreamEvent is one server-sent event.
type StreamEvent struct {
	Event string // "message" when the server named none
	Data  string
}

// Stream is an open server-sent events stream; Close it when done.
type Stream struct {
	body   io.ReadCloser
	sse    *sseReader
	idle   time.Duration
	timer  *time.Timer
	cancel context.CancelCauseFunc
	ctx    context.Context
	parent context.Context
}

// Next returns the next event. Comment lines (heartbeats) only prove the
// connection is alive; a stream silent for longer than the idle timeout
// counts as dropped, because a half-open TCP connection never reports an error.
func (s *Stream) Next() (StreamEvent, error) {
	ev, err := s.sse.next(func() { s.timer.Reset(s.idle) })
	if err != nil {
		switch {
		case s.parent.Err() != nil:
			return StreamEvent{}, s.parent.Err()
		case errors.Is(context.Cause(s.ctx), errStreamIdle):
			return StreamEvent{}, fmt.Errorf("%w: no event or heartbeat for %s", channels.ErrTransport, s.idle)
		case errors.Is(err, io.EOF):
			return StreamEvent{}, fmt.Errorf("%w: stream closed by the server", channels.ErrTransport)
		}
		return StreamEvent{}, fmt.Errorf("%w: %v", channels.ErrTransport, err)
	}
	return ev, nil
}

// Lines reports how many lines the stream has delivered, heartbeats included.
func (s *Stream) Lines() int { return s.sse.lines }

// Close ends the stream.
func (s *Stream) Close() error {
	s.timer.Stop()
	s.cancel(context.Canceled)
	return s.body.Close()
}

// OpenStream opens GET streamBase+path as server-sent events. streamBase is
// the streaming server (see StreamingURL), path e.g. NotificationStreamPath.
// Errors are those of the REST calls: *channels.APIError (401 is Auth) or
// *channels.RateLimitError. idle <= 0 means 45 s.
func (c *Client) OpenStream(ctx context.Context, streamBase, path string, idle time.Duration) (*Stream, error) {
	if idle <= 0 {
		idle = defaultStreamIdle
	}
	rctx, cancel := context.WithCancelCause(ctx)
	// The idle timer also bounds the wait for the answer's headers.
	timer := time.AfterFunc(idle, func() { cancel(errStreamIdle) })
	fail := func(err error) (*Stream, error) {
		timer.Stop()
		cancel(context.Canceled)
		return nil, fmt.Errorf("mastodon stream %s: %w", path, err)
	}
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, strings.TrimRight(streamBase, "/")+path, nil)
	if err != nil {
		return fail(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Cache-Control", "no-store")
	// A client-wide Timeout would cut every stream after a fixed time; the
	// idle timer replaces it.
	hc := *c.http
	hc.Timeout = 0
	resp, err := hc.Do(req)
	if err != nil {
		switch {
		case ctx.Err() != nil:
			return fail(ctx.Err())
		case errors.Is(context.Cause(rctx), errStreamIdle):
			return fail(fmt.Errorf("%w: no answer within %s", channels.ErrTransport, idle))
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fail(fmt.Errorf("%w: %v", channels.ErrTransport, err))
	}
	if resp.StatusCode != http.StatusOK {
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		return fail(c.classify(resp, data))
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "text/event-stream" {
		resp.Body.Close()
		return fail(fmt.Errorf("not an event stream (Content-Type %q); is the streaming API proxied to this address?", resp.Header.Get("Content-Type")))
	}
	timer.Reset(idle)
	return &Stream{body: resp.Body, sse: newSSEReader(resp.Body), idle: idle, timer: timer, cancel: cancel, ctx: rctx, parent: ctx}, nil
}

// sseReader parses the text/event-stream format (WHATWG HTML, "Server-sent events").
type sseReader struct {
	sc    *bufio.Scanner
	lines int
}

func newSSEReader(r io.Reader) *sseReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxEventBytes)
	sc.Split(scanSSELines)
	return &sseReader{sc: sc}
}

// scanSSELines splits at CRLF, LF or a lone CR, as the format allows all three.
func scanSSELines(data []byte, atEOF bool) (int, []byte, error) {
	for i, b := range data {
		switch b {
		case '\n':
			return i + 1, data[:i], nil
		case '\r':
			if i+1 < len(data) {
				if data[i+1] == '\n' {
					return i + 2, data[:i], nil
				}
				return i + 1, data[:i], nil
			}
			if atEOF {
				return i + 1, data[:i], nil
			}
			return 0, nil, nil // need one more byte to tell CR from CRLF
		}
	}
	if atEOF && len(data) > 0 {
		// A last line without its end is an event cut off by the drop: discard it.
		return len(data), nil, io.ErrUnexpectedEOF
	}
	return 0, nil, nil
}

// next returns the next dispatched event; alive runs for every line read.
func (r *sseReader) next(alive func()) (StreamEvent, error) {
	var ev StreamEvent
	var data []string
	for r.sc.Scan() {
		r.lines++
		alive()
		line := r.sc.Text()
		if line == "" {
			if data != nil {
				ev.Data = strings.Join(data, "\n")
				if ev.Event == "" {
					ev.Event = "message"
				}
				return ev, nil
			}
			ev = StreamEvent{}
			continue
		}
		if strings.HasPrefix(line, ":") {
			continue // comment: ":)" on open, ":thump" heartbeats
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "event":
			ev.Event = value
		case "data":
			data = append(data, value)
		}
	}
	if err := r.sc.Err(); err != nil {
		return StreamEvent{}, err
	}
	return StreamEvent{}, io.EOF
}

// StreamingURL returns the base URL of the server's streaming API, which may
// be another host: configuration.urls.streaming of /api/v2/instance, or
// urls.streaming_api of /api/v1/instance on servers before 4.0. ws(s) becomes
// http(s); a URL that would send the token unencrypted while the server
// itself uses https is refused.
func (c *Client) StreamingURL(ctx context.Context) (string, error) {
	var v2 struct {
		Configuration struct {
			URLs struct {
				Streaming string `json:"streaming"`
			} `json:"urls"`
		} `json:"configuration"`
	}
	raw := ""
	_, err := c.do(ctx, http.MethodGet, "/api/v2/instance", nil, nil, "", true, &v2)
	var api *channels.APIError
	switch {
	case err == nil:
		raw = v2.Configuration.URLs.Streaming
	case errors.As(err, &api) && api.Code == http.StatusNotFound:
		var v1 struct {
			URLs struct {
				StreamingAPI string `json:"streaming_api"`
			} `json:"urls"`
		}
		if _, err := c.do(ctx, http.MethodGet, "/api/v1/instance", nil, nil, "", true, &v1); err != nil {
			return "", err
		}
		raw = v1.URLs.StreamingAPI
	default:
		return "", err
	}
	if raw == "" {
		return c.base, nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("mastodon instance: bad streaming URL %q", raw)
	}
	switch u.Scheme {
	case "wss", "https":
		u.Scheme = "https"
	case "ws", "http":
		u.Scheme = "http"
	default:
		return "", fmt.Errorf("mastodon instance: bad streaming URL %q", raw)
	}
	if u.Scheme == "http" && strings.HasPrefix(c.base, "https:") {
		return "", fmt.Errorf("mastodon instance: streaming URL %q is unencrypted; refusing to send the token there", raw)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// watchState is what one Watch call keeps between reconnects.
type watchState struct {
	newest string // newest mention notification id notified about or covered by the cursor
	fails  int
}

// Watch implements channels.Watcher with Mastodon's streaming API: it keeps
// the user:notification server-sent events stream open and calls notify for
// every mention (the only notification type Fetch reads; direct messages
// arrive as mentions too). After opening the stream, and after every failed
// attempt, one cheap REST call checks for mentions newer than cursor, so
// nothing sent while the stream was down waits for the next event. A dropped
// or failed stream is reopened after a backoff (Config.WatchBackoff, with
// jitter; Retry-After wins for 429), so a server without a working streaming
// API still gets its mentions checked every WatchBackoff.Max. Watch returns
// ctx.Err() when ctx ends and an error for a rejected token, which retrying
// cannot fix.
func (c *Connector) Watch(ctx context.Context, cur string, notify func()) error {
	k, err := parseCursor(cur)
	if err != nil {
		return fmt.Errorf("mastodon watch: %w", err)
	}
	st := &watchState{newest: k.notif}
	b := c.cfg.WatchBackoff
	for {
		err := c.watchOnce(ctx, st, notify)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if errors.Is(err, channels.ErrAuth) {
			return fmt.Errorf("mastodon watch: %w", err)
		}
		wait := b.Base << min(st.fails, 16)
		var rl *channels.RateLimitError
		var api *channels.APIError
		switch {
		case errors.As(err, &rl):
		case errors.As(err, &api) && (api.Kind == channels.Permanent || api.Kind == channels.Forbidden):
			// e.g. 404: this server has no streaming API at that address; retrying fast won't help.
			wait = b.Max
		}
		wait = min(wait, b.Max)
		wait = channels.Jitter(wait)
		if rl != nil {
			wait = max(wait, rl.RetryAfter)
		}
		st.fails++
		c.log.Warn("mastodon stream dropped, reconnecting", "err", err, "in", wait)
		if serr := b.Sleep(ctx, wait); serr != nil {
			return ctx.Err()
		}
	}
}

// watchOnce opens the stream, checks for missed mentions and reads events
// until the stream fails; the error says why.
func (c *Connector) watchOnce(ctx context.Context, st *watchState, notify func()) error {
	base, err := c.streamingBase(ctx)
	if err != nil {
		if errors.Is(err, channels.ErrAuth) || ctx.Err() != nil {
			return err
		}
		c.log.Warn("mastodon streaming host unknown, trying the server's own", "err", err)
		base = c.client.base
	}
	s, openErr := c.client.OpenStream(ctx, base, NotificationStreamPath, c.cfg.StreamIdle)
	if errors.Is(openErr, channels.ErrAuth) || ctx.Err() != nil {
		return openErr
	}
	if s != nil {
		defer s.Close()
		defer func() {
			if s.Lines() >= 2 {
				st.fails = 0 // the stream carried a heartbeat or an event: it worked
			}
		}()
	}
	// Checked after the stream is open, so a mention arriving in between
	// shows up in one or the other.
	if err := c.catchUp(ctx, st, notify); err != nil {
		if errors.Is(err, channels.ErrAuth) || ctx.Err() != nil {
			return err
		}
		c.log.Warn("mastodon watch: checking for missed mentions failed", "err", err)
	}
	if openErr != nil {
		return openErr
	}
	for {
		ev, err := s.Next()
		if err != nil {
			return err
		}
		if ev.Event != "notification" {
			continue
		}
		var n Notification
		if err := json.Unmarshal([]byte(ev.Data), &n); err != nil {
			c.log.Warn("mastodon stream: malformed notification skipped", "err", err)
			continue
		}
		if n.Type != "mention" || (st.newest != "" && !idLess(st.newest, n.ID)) {
			continue
		}
		st.newest = n.ID
		notify()
	}
}

// catchUp notifies when a mention newer than the newest one known exists.
func (c *Connector) catchUp(ctx context.Context, st *watchState, notify func()) error {
	ns, _, err := c.client.Notifications(ctx, []string{"mention"}, PageParams{MinID: st.newest, Limit: 1})
	if err != nil {
		return err
	}
	found := false
	for _, n := range ns {
		// Servers before 3.5 ignore types[]; Fetch skips the others anyway.
		if n.Type == "mention" && (st.newest == "" || idLess(st.newest, n.ID)) {
			st.newest = maxID(st.newest, n.ID)
			found = true
		}
	}
	if found {
		notify()
	}
	return nil
}

// streamingBase returns the streaming server's URL, looked up once per connector.
func (c *Connector) streamingBase(ctx context.Context) (string, error) {
	c.streamMu.Lock()
	defer c.streamMu.Unlock()
	if c.streamBase != "" {
		return c.streamBase, nil
	}
	u, err := c.client.StreamingURL(ctx)
	if err != nil {
		return "", err
	}
	c.streamBase = u
	return u, nil
}
