// Package mastodonfake is a local Mastodon server for tests. It implements
// the documented shapes of verify_credentials, notifications (types[],
// max_id/since_id/min_id, limit, Link header), conversations (paged by their
// last status id), statuses (get, context, create with Idempotency-Key,
// delete own), Mastodon's error entity ({"error": …}), 401 for a bad token
// and 429 with X-RateLimit-* headers. Its types are its own, so a client that
// misnames a field fails against it.
//
// It also serves the streaming API as server-sent events, like Mastodon's
// streaming server: GET /api/v1/streaming/user/notification (or
// /api/v1/streaming?stream=user:notification) answers text/event-stream,
// writes ":)" on open and ":thump" heartbeats, and sends "event: notification"
// with the Notification JSON for every notification added with Notify. The
// streaming host is named by /api/v2/instance (configuration.urls.streaming)
// and /api/v1/instance (urls.streaming_api); SeparateStreaming moves it to a
// host of its own.
//
// For brand listening it serves status search and hashtag timelines with
// their rate-limit window (search.go).
package mastodonfake

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Me is the account the fake's token belongs to.
var Me = json.RawMessage(`{"id":"1","username":"acme","acct":"acme","display_name":"Acme 🚀","followers_count":1200,"url":"https://mastodon.example/@acme","source":{"privacy":"public","note":""}}`)

const meID = "1"

type status struct {
	ID          string  `json:"id"`
	InReplyToID *string `json:"in_reply_to_id"`
	Visibility  string  `json:"visibility"`
	Account     struct {
		ID string `json:"id"`
	} `json:"account"`
	raw map[string]any
}

type notification struct {
	ID, Type, StatusID string
	CreatedAt          time.Time
}

// Posted records one accepted POST /api/v1/statuses.
type Posted struct {
	ID             string
	Status         string
	InReplyToID    string
	Visibility     string
	IdempotencyKey string
}

// Call is one request the fake received.
type Call struct {
	Method, Path string
	Query        url.Values
	Header       http.Header
}

type failure struct {
	status int
	body   string
	header http.Header
}

// Server is a fake Mastodon server.
type Server struct {
	*httptest.Server
	Now func() time.Time
	// IgnoreTypes makes notifications ignore types[], as servers before 3.5 did.
	IgnoreTypes bool
	// V1InstanceOnly makes /api/v2/instance answer 404, as servers before 4.0 did.
	V1InstanceOnly bool
	// Heartbeat is the interval of ":thump" comments on open streams
	// (Mastodon: 15 s); 0 means 15 s. Set it before the first stream opens.
	Heartbeat time.Duration

	mu       sync.Mutex
	token    string
	statuses map[string]*status
	notifs   []notification // ascending id
	nextNote int64
	nextID   int64
	posted   []Posted
	idem     map[string]string
	deleted  []string
	calls    []Call
	failures map[string][]failure

	listen listenState // search and hashtag timelines (search.go)

	streams   map[*stream]struct{}
	opened    int           // streams opened so far
	openedCh  chan struct{} // closed and replaced whenever a stream opens
	closing   chan struct{} // closed by Close to end open streams
	streamSrv *httptest.Server
}

// stream is one open server-sent events connection.
type stream struct {
	out  chan []byte   // raw text to write, in order
	drop chan struct{} // closed to cut the connection without ending the response
}

// New starts a fake accepting token.
func New(token string) *Server {
	s := &Server{
		Now: time.Now, token: token, statuses: map[string]*status{}, nextNote: 1000,
		nextID: 120000000000000000, idem: map[string]string{}, failures: map[string][]failure{},
		streams: map[*stream]struct{}{}, openedCh: make(chan struct{}), closing: make(chan struct{}),
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	return s
}

// Close ends open streams and stops the fake (and its streaming host).
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.closing:
	default:
		close(s.closing)
	}
	ss := s.streamSrv
	s.mu.Unlock()
	if ss != nil {
		ss.Close()
	}
	s.Server.Close()
}

// SeparateStreaming serves the streaming API from a host of its own, named by
// the instance endpoints; the main host then answers 404 on streaming paths,
// as a Mastodon web server without a streaming proxy does.
func (s *Server) SeparateStreaming() {
	ss := httptest.NewServer(http.HandlerFunc(s.handleStreamHost))
	s.mu.Lock()
	s.streamSrv = ss
	s.mu.Unlock()
}

// streamingURL is the streaming host as the instance endpoints report it.
func (s *Server) streamingURL(r *http.Request) string {
	host := r.Host
	if s.streamSrv != nil {
		host = strings.TrimPrefix(s.streamSrv.URL, "http://")
	}
	return "ws://" + host
}

// Thump writes a ":thump" heartbeat to every open stream now, in order with events.
func (s *Server) Thump() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.broadcast([]byte(":thump\n"))
}

// DropStreams cuts every open stream mid-response, as a crashed streaming
// server or a proxy timeout does.
func (s *Server) DropStreams() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for st := range s.streams {
		close(st.drop)
		delete(s.streams, st)
	}
}

// OpenStreams reports how many streams are open now.
func (s *Server) OpenStreams() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.streams)
}

// WaitStreams blocks until n streams have been opened in total, or ctx ends.
func (s *Server) WaitStreams(ctx context.Context, n int) error {
	for {
		s.mu.Lock()
		opened, ch := s.opened, s.openedCh
		s.mu.Unlock()
		if opened >= n {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("mastodonfake: %d of %d streams opened: %w", opened, n, ctx.Err())
		}
	}
}

// broadcast queues text on every open stream; a stream too far behind is cut,
// as the streaming server does with clients that stop reading.
func (s *Server) broadcast(text []byte) {
	for st := range s.streams {
		select {
		case st.out <- text:
		default:
			close(st.drop)
			delete(s.streams, st)
		}
	}
}

// AddStatuses stores statuses (a JSON array of Status entities, as in testdata).
func (s *Server) AddStatuses(data []byte) error {
	var raws []map[string]any
	if err := json.Unmarshal(data, &raws); err != nil {
		return fmt.Errorf("mastodonfake: statuses: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range raws {
		b, _ := json.Marshal(r)
		st := &status{raw: r}
		if err := json.Unmarshal(b, st); err != nil || st.ID == "" {
			return fmt.Errorf("mastodonfake: status without id: %v", err)
		}
		s.statuses[st.ID] = st
	}
	return nil
}

// Notify adds a notification of type about status id (any string for types without one).
func (s *Server) Notify(typ, statusID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextNote++
	id := strconv.FormatInt(s.nextNote, 10)
	n := notification{ID: id, Type: typ, StatusID: statusID, CreatedAt: s.Now()}
	s.notifs = append(s.notifs, n)
	if len(s.streams) > 0 {
		data, _ := json.Marshal(s.entry(n))
		s.broadcast([]byte("event: notification\ndata: " + string(data) + "\n\n"))
	}
	return id
}

// Posted returns the statuses created through the API.
func (s *Server) Posted() []Posted {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Posted(nil), s.posted...)
}

// Deleted returns ids of deleted statuses.
func (s *Server) Deleted() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.deleted...)
}

// Calls returns the requests to path ("" = all).
func (s *Server) Calls(path string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if path == "" || c.Path == path {
			out = append(out, c)
		}
	}
	return out
}

// RevokeToken makes every later call answer 401.
func (s *Server) RevokeToken() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token = "revoked"
}

// RateLimit makes the next n requests to path answer 429; with retryAfter the
// answer also carries Retry-After, otherwise only X-RateLimit-Reset says when.
func (s *Server) RateLimit(path string, n int, reset time.Duration, retryAfter bool) {
	h := http.Header{
		"X-Ratelimit-Limit":     {"300"},
		"X-Ratelimit-Remaining": {"0"},
		"X-Ratelimit-Reset":     {s.Now().Add(reset).UTC().Format("2006-01-02T15:04:05.000Z")},
	}
	if retryAfter {
		h.Set("Retry-After", strconv.Itoa(int(reset/time.Second)))
	}
	s.fail(path, n, failure{status: 429, body: `{"error":"Too many requests"}`, header: h})
}

// Malformed makes the next n requests to path answer 200 with a cut-off body.
func (s *Server) Malformed(path string, n int) {
	s.fail(path, n, failure{status: 200, body: `[{"id":"1001","type":"mention","status":{"id":`})
}

// ServiceUnavailable makes the next n requests to path answer 503 with an HTML page.
func (s *Server) ServiceUnavailable(path string, n int) {
	s.fail(path, n, failure{status: 503, body: "<html><body>We're sorry, but something went wrong.</body></html>", header: http.Header{"Content-Type": {"text/html"}}})
}

func (s *Server) fail(path string, n int, f failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failures[path] = append(s.failures[path], f)
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func apiError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) { s.serve(w, r, false) }

func (s *Server) serve(w http.ResponseWriter, r *http.Request, streamHost bool) {
	s.mu.Lock()
	s.calls = append(s.calls, Call{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone()})
	if auth := r.Header.Get("Authorization"); auth != "Bearer "+s.token && (auth != "" || !publicPath(r)) {
		s.mu.Unlock()
		apiError(w, 401, "The access token is invalid")
		return
	}
	if fs := s.failures[r.URL.Path]; len(fs) > 0 {
		f := fs[0]
		s.failures[r.URL.Path] = fs[1:]
		s.mu.Unlock()
		for k, v := range f.header {
			w.Header()[k] = v
		}
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(f.status)
		_, _ = io.WriteString(w, f.body)
		return
	}
	p := r.URL.Path
	if isStreamPath(r) || streamHost {
		servesStreams := streamHost == (s.streamSrv != nil)
		s.mu.Unlock()
		if !isStreamPath(r) || !servesStreams {
			apiError(w, 404, "Not found")
			return
		}
		s.serveStream(w, r)
		return
	}
	defer s.mu.Unlock()

	switch {
	case r.Method == "GET" && p == "/api/v1/accounts/verify_credentials":
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(Me)
	case r.Method == "GET" && p == "/api/v2/instance" && !s.V1InstanceOnly:
		writeJSON(w, 200, map[string]any{"domain": "mastodon.example", "title": "Mastodon Example", "version": "4.3.0",
			"configuration": map[string]any{"urls": map[string]any{"streaming": s.streamingURL(r)}, "statuses": map[string]any{"max_characters": 500}}})
	case r.Method == "GET" && p == "/api/v1/instance":
		writeJSON(w, 200, map[string]any{"uri": "mastodon.example", "title": "Mastodon Example", "version": "3.5.3",
			"urls": map[string]any{"streaming_api": s.streamingURL(r)}})
	case r.Method == "GET" && p == "/api/v1/notifications":
		s.listNotifications(w, r)
	case r.Method == "GET" && p == "/api/v1/conversations":
		s.listConversations(w, r)
	case r.Method == "POST" && p == "/api/v1/statuses":
		s.postStatus(w, r)
	case r.Method == "GET" && p == "/api/v2/search":
		s.search(w, r)
	case r.Method == "GET" && strings.HasPrefix(p, "/api/v1/timelines/tag/"):
		s.tagTimeline(w, r)
	case strings.HasPrefix(p, "/api/v1/statuses/"):
		rest := strings.TrimPrefix(p, "/api/v1/statuses/")
		id, sub, _ := strings.Cut(rest, "/")
		st, ok := s.statuses[id]
		if !ok {
			apiError(w, 404, "Record not found")
			return
		}
		switch {
		case r.Method == "GET" && sub == "":
			writeJSON(w, 200, st.raw)
		case r.Method == "GET" && sub == "context":
			s.context(w, st)
		case r.Method == "DELETE" && sub == "":
			if st.Account.ID != meID {
				apiError(w, 404, "Record not found") // Mastodon scopes deletes to your own statuses
				return
			}
			delete(s.statuses, id)
			s.deleted = append(s.deleted, id)
			writeJSON(w, 200, st.raw)
		default:
			apiError(w, 404, "Record not found")
		}
	default:
		apiError(w, 404, "Record not found")
	}
}

// page applies max_id/since_id/min_id/limit to ids sorted ascending and
// returns the selected ids newest first, as Mastodon does.
func page(ids []string, q url.Values, defLimit, maxLimit int) []string {
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 {
		limit = defLimit
	}
	limit = min(limit, maxLimit)
	var sel []string
	for _, id := range ids {
		if m := q.Get("max_id"); m != "" && !idLess(id, m) {
			continue
		}
		if m := q.Get("since_id"); m != "" && !idLess(m, id) {
			continue
		}
		if m := q.Get("min_id"); m != "" && !idLess(m, id) {
			continue
		}
		sel = append(sel, id)
	}
	if q.Get("min_id") != "" && len(sel) > limit {
		sel = sel[:limit] // the page right after min_id
	} else if len(sel) > limit {
		sel = sel[len(sel)-limit:] // the newest page
	}
	slices.Reverse(sel)
	return sel
}

func (s *Server) link(w http.ResponseWriter, r *http.Request, sel []string) {
	if len(sel) == 0 {
		return
	}
	base := "http://" + r.Host + r.URL.Path
	next := url.Values{"max_id": {sel[len(sel)-1]}}
	prev := url.Values{"min_id": {sel[0]}}
	for _, k := range []string{"types[]", "limit"} {
		for _, v := range r.URL.Query()[k] {
			next.Add(k, v)
			prev.Add(k, v)
		}
	}
	w.Header().Set("Link", fmt.Sprintf(`<%s?%s>; rel="next", <%s?%s>; rel="prev"`, base, next.Encode(), base, prev.Encode()))
}

func (s *Server) listNotifications(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	types := q["types[]"]
	var ids []string
	byID := map[string]notification{}
	for _, n := range s.notifs {
		if len(types) > 0 && !s.IgnoreTypes && !slices.Contains(types, n.Type) {
			continue
		}
		if st, ok := s.statuses[n.StatusID]; n.StatusID != "" && (!ok || st == nil) && n.Type == "mention" {
			continue // the status was deleted: Mastodon drops the notification
		}
		ids = append(ids, n.ID)
		byID[n.ID] = n
	}
	sel := page(ids, q, 40, 80)
	out := []map[string]any{}
	for _, id := range sel {
		out = append(out, s.entry(byID[id]))
	}
	s.link(w, r, sel)
	writeJSON(w, 200, out)
}

// entry is the Notification entity of n; s.mu must be held.
func (s *Server) entry(n notification) map[string]any {
	entry := map[string]any{"id": n.ID, "type": n.Type, "created_at": n.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z"), "group_key": "ungrouped-" + n.ID}
	if st, ok := s.statuses[n.StatusID]; ok {
		entry["status"] = st.raw
		entry["account"] = st.raw["account"]
	} else {
		entry["account"] = json.RawMessage(Me)
	}
	return entry
}

func isStreamPath(r *http.Request) bool {
	p := r.URL.Path
	return r.Method == "GET" && (p == "/api/v1/streaming/user/notification" ||
		(p == "/api/v1/streaming" && r.URL.Query().Get("stream") == "user:notification"))
}

// handleStreamHost is the separate streaming host: streams only.
func (s *Server) handleStreamHost(w http.ResponseWriter, r *http.Request) { s.serve(w, r, true) }

// serveStream writes server-sent events until the client leaves, the stream
// is dropped or the fake closes.
func (s *Server) serveStream(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		apiError(w, 500, "streaming unsupported")
		return
	}
	st := &stream{out: make(chan []byte, 64), drop: make(chan struct{})}
	s.mu.Lock()
	s.streams[st] = struct{}{}
	s.opened++
	close(s.openedCh)
	s.openedCh = make(chan struct{})
	hb := s.Heartbeat
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.streams, st)
		s.mu.Unlock()
	}()
	if hb <= 0 {
		hb = 15 * time.Second
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(200)
	_, _ = io.WriteString(w, ":)\n")
	fl.Flush()
	tick := time.NewTicker(hb)
	defer tick.Stop()
	for {
		var text []byte
		select {
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		case <-st.drop:
			// What was sent before the drop still arrives; then the response
			// ends without its chunked terminator, a broken connection.
			for {
				select {
				case text := <-st.out:
					_, _ = w.Write(text)
					continue
				default:
				}
				break
			}
			fl.Flush()
			panic(http.ErrAbortHandler)
		case text = <-st.out:
		case <-tick.C:
			text = []byte(":thump\n")
		}
		if _, err := w.Write(text); err != nil {
			return
		}
		fl.Flush()
	}
}

func (s *Server) root(st *status) *status {
	for st.InReplyToID != nil {
		p, ok := s.statuses[*st.InReplyToID]
		if !ok {
			break
		}
		st = p
	}
	return st
}

// listConversations groups direct statuses by thread root; like Mastodon it
// pages conversations by the id of their last status.
func (s *Server) listConversations(w http.ResponseWriter, r *http.Request) {
	type conv struct {
		root     string
		last     *status
		accounts map[string]any
	}
	convs := map[string]*conv{}
	for _, st := range s.statuses {
		if st.Visibility != "direct" {
			continue
		}
		rt := s.root(st).ID
		c := convs[rt]
		if c == nil {
			c = &conv{root: rt, accounts: map[string]any{}}
			convs[rt] = c
		}
		if c.last == nil || idLess(c.last.ID, st.ID) {
			c.last = st
		}
		if st.Account.ID != meID {
			c.accounts[st.Account.ID] = st.raw["account"]
		}
	}
	byLast := map[string]*conv{}
	var ids []string
	for _, c := range convs {
		byLast[c.last.ID] = c
		ids = append(ids, c.last.ID)
	}
	slices.SortFunc(ids, func(a, b string) int {
		if a == b {
			return 0
		}
		if idLess(a, b) {
			return -1
		}
		return 1
	})
	sel := page(ids, r.URL.Query(), 20, 40)
	out := []map[string]any{}
	for _, id := range sel {
		c := byLast[id]
		accts := []any{}
		for _, a := range c.accounts {
			accts = append(accts, a)
		}
		out = append(out, map[string]any{"id": "c" + c.root, "unread": c.last.Account.ID != meID, "accounts": accts, "last_status": c.last.raw})
	}
	s.link(w, r, sel)
	writeJSON(w, 200, out)
}

func (s *Server) context(w http.ResponseWriter, st *status) {
	var anc []any
	for cur := st; cur.InReplyToID != nil; {
		p, ok := s.statuses[*cur.InReplyToID]
		if !ok {
			break
		}
		anc = append([]any{p.raw}, anc...)
		cur = p
	}
	var desc []any
	for _, o := range s.statuses {
		for cur := o; cur.InReplyToID != nil; {
			if *cur.InReplyToID == st.ID {
				desc = append(desc, o.raw)
				break
			}
			p, ok := s.statuses[*cur.InReplyToID]
			if !ok {
				break
			}
			cur = p
		}
	}
	if anc == nil {
		anc = []any{}
	}
	if desc == nil {
		desc = []any{}
	}
	writeJSON(w, 200, map[string]any{"ancestors": anc, "descendants": desc})
}

func (s *Server) postStatus(w http.ResponseWriter, r *http.Request) {
	var p struct {
		Status      string `json:"status"`
		InReplyToID string `json:"in_reply_to_id"`
		Visibility  string `json:"visibility"`
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
			apiError(w, 400, "Error while parsing request body")
			return
		}
	} else {
		_ = r.ParseForm()
		p.Status, p.InReplyToID, p.Visibility = r.Form.Get("status"), r.Form.Get("in_reply_to_id"), r.Form.Get("visibility")
	}
	key := r.Header.Get("Idempotency-Key")
	if id, ok := s.idem[key]; key != "" && ok {
		writeJSON(w, 200, s.statuses[id].raw)
		return
	}
	if strings.TrimSpace(p.Status) == "" {
		apiError(w, 422, "Validation failed: Text can't be blank")
		return
	}
	if len([]rune(p.Status)) > 500 {
		apiError(w, 422, "Validation failed: Text character limit of 500 exceeded")
		return
	}
	if p.Visibility == "" {
		p.Visibility = "public"
	}
	if !slices.Contains([]string{"public", "unlisted", "private", "direct"}, p.Visibility) {
		apiError(w, 422, "Validation failed: Visibility is not included in the list")
		return
	}
	var inReply *string
	if p.InReplyToID != "" {
		if _, ok := s.statuses[p.InReplyToID]; !ok {
			apiError(w, 404, "Record not found")
			return
		}
		inReply = &p.InReplyToID
	}
	s.nextID++
	id := strconv.FormatInt(s.nextID, 10)
	var me map[string]any
	_ = json.Unmarshal(Me, &me)
	raw := map[string]any{
		"id": id, "created_at": s.Now().UTC().Format("2006-01-02T15:04:05.000Z"), "in_reply_to_id": inReply,
		"visibility": p.Visibility, "spoiler_text": "", "content": "<p>" + html.EscapeString(p.Status) + "</p>",
		"url": "https://mastodon.example/@acme/" + id, "account": me, "media_attachments": []any{},
	}
	st := &status{ID: id, InReplyToID: inReply, Visibility: p.Visibility, raw: raw}
	st.Account.ID = meID
	s.statuses[id] = st
	if key != "" {
		s.idem[key] = id
	}
	s.posted = append(s.posted, Posted{ID: id, Status: p.Status, InReplyToID: p.InReplyToID, Visibility: p.Visibility, IdempotencyKey: key})
	writeJSON(w, 200, raw)
}

// Customer is the author of a status a test seeds with Mention.
type Customer struct {
	ID       string // account id
	Username string
	Acct     string // user@instance
	Name     string // display name
}

// Mention is a public status by c mentioning Me with text, sent at at, as
// Mastodon's Status entity shapes it (for AddStatuses).
func Mention(id string, c Customer, text string, at time.Time) map[string]any {
	return map[string]any{
		"id": id, "created_at": at.UTC().Format("2006-01-02T15:04:05.000Z"), "in_reply_to_id": nil, "in_reply_to_account_id": nil,
		"visibility": "public", "spoiler_text": "", "language": "en",
		"content":           "<p>" + html.EscapeString(text) + "</p>",
		"url":               "https://mastodon.example/@" + c.Username + "/" + id,
		"account":           map[string]any{"id": c.ID, "username": c.Username, "acct": c.Acct, "display_name": c.Name, "followers_count": 10},
		"media_attachments": []any{},
	}
}
