// Package blueskyfake is a local Bluesky PDS for the listening source's
// tests, following the atproto lexicons and the PDS's answers:
//
//   - POST /xrpc/com.atproto.server.createSession {identifier, password}
//     (a handle or e-mail and an app password) answers {did, handle,
//     accessJwt, refreshJwt, active}; a wrong password is a 401
//     {"error": "AuthenticationRequired", "message": "Invalid identifier or password"}.
//   - POST /xrpc/com.atproto.server.refreshSession with the refresh token as
//     bearer answers a new pair and revokes the old refresh token; an
//     expired or used one is a 400 ExpiredToken / InvalidToken.
//   - GET /xrpc/app.bsky.feed.searchPosts with the access token: q
//     (words and "phrases", required), sort=latest|top, since (inclusive)
//     and until (exclusive) on each post's sortAt (the earlier of createdAt
//     and indexedAt), lang, limit 1–100 (25 by default; outside is a 400
//     InvalidRequest), cursor (opaque; here an offset). Answers {cursor,
//     hitsTotal, posts: [PostView]} newest first; the cursor is left out
//     on the last page and after Cap results. An expired access token is a
//     400 {"error": "ExpiredToken"}, an unknown one a 401 InvalidToken.
//     Deleted posts leave the index: they are simply no longer found.
//   - GET /xrpc/app.bsky.notification.listNotifications with the access
//     token: the account's mentions (a post whose text holds @handle),
//     replies (to the account's posts) and quotes, newest first by
//     indexedAt; reasons (repeated) filters, limit 1–100 (50 by default),
//     cursor is the indexedAt of the last notification of the previous page
//     and the next page holds only older ones, as the AppView pages. Each
//     notification carries the post's record.
//   - GET /xrpc/app.bsky.feed.getPosts?uris=… (at most 25) answers the
//     PostViews of the posts that exist, with uri and cid.
//   - POST /xrpc/com.atproto.repo.createRecord {repo, collection, rkey?,
//     record} writes the account's own post; a record key already in use
//     is a 500 InternalServerError, as the PDS answers today; a text over
//     300 graphemes is a 400 InvalidRequest. LoseAnswers makes the next
//     creates write and then answer 504, an answer lost on the way.
//   - GET /xrpc/com.atproto.repo.getRecord?repo&collection&rkey answers
//     {uri, cid, value}, or 400 RecordNotFound.
//   - Every XRPC answer carries RateLimit-Limit/Remaining/Reset (Unix
//     seconds)/Policy; past the window (Window calls per five minutes)
//     429 {"error": "RateLimitExceeded"}.
package blueskyfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rivo/uniseg"

	"github.com/stormdesk/stormdesk/backend/listening/webapi/apifake"
)

// Post is one app.bsky.feed.post record with its view counts.
type Post struct {
	DID, Handle, DisplayName string
	RKey                     string
	Text                     string
	Langs                    []string
	CreatedAt, IndexedAt     time.Time // IndexedAt zero = CreatedAt
	Replies, Reposts, Likes  int
	// ReplyRoot and ReplyParent are the at:// URIs of the thread's root and
	// the post answered; "" for a post that starts a thread.
	ReplyRoot, ReplyParent string
	// Quote is the at:// URI of a post this one quotes; "" when none.
	Quote string
}

// AccountDID is the DID of the fake's one account.
const AccountDID = "did:plc:stormdesk"

// CID is the post's content id in this fake.
func (p Post) CID() string { return "bafyrei" + strings.ToLower(p.RKey) }

// URI is the post's at:// URI.
func (p Post) URI() string { return "at://" + p.DID + "/app.bsky.feed.post/" + p.RKey }

func (p Post) sortAt() time.Time {
	if !p.IndexedAt.IsZero() && p.IndexedAt.Before(p.CreatedAt) {
		return p.IndexedAt
	}
	return p.CreatedAt
}

// Server is a fake PDS with the AppView's search behind it.
type Server struct {
	*httptest.Server
	apifake.Kit
	Now func() time.Time
	// Cap is how many results one search pages through at most.
	Cap int
	// Window is the calls allowed per five minutes (PDS: 3000).
	Window int

	mu                 sync.Mutex
	identifier, passwd string
	access             map[string]time.Time // token → expiry
	refresh            map[string]bool
	sessions           int
	posts              []Post
	lose               int
	used               int
	windowStart        time.Time
}

// New starts a fake whose account logs in with identifier and app password.
func New(identifier, appPassword string) *Server {
	s := &Server{Now: time.Now, Cap: 10000, Window: 3000, identifier: identifier, passwd: appPassword,
		access: map[string]time.Time{}, refresh: map[string]bool{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	return s
}

// Add stores posts.
func (s *Server) Add(ps ...Post) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.posts = append(s.posts, ps...)
	slices.SortStableFunc(s.posts, func(a, b Post) int { return a.sortAt().Compare(b.sortAt()) })
}

// Delete removes the post with uri, as its author deleting it does.
func (s *Server) Delete(uri string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.posts = slices.DeleteFunc(s.posts, func(p Post) bool { return p.URI() == uri })
}

// ExpireAccess makes every access token issued so far expired.
func (s *Server) ExpireAccess() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t := range s.access {
		s.access[t] = time.Time{}
	}
}

// ExpireRefresh makes every refresh token issued so far unusable.
func (s *Server) ExpireRefresh() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refresh = map[string]bool{}
}

// Sessions is how many sessions were created (logins, not refreshes).
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions
}

func xrpcError(w http.ResponseWriter, code int, name, msg string) {
	apifake.WriteJSON(w, code, map[string]string{"error": name, "message": msg})
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	s.Record(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.window(w) {
		xrpcError(w, 429, "RateLimitExceeded", "Rate Limit Exceeded")
		return
	}
	if s.Serve(w, r) {
		return
	}
	switch r.URL.Path {
	case "/xrpc/com.atproto.server.createSession":
		s.createSession(w, r)
	case "/xrpc/com.atproto.server.refreshSession":
		s.refreshSession(w, r)
	case "/xrpc/app.bsky.feed.searchPosts":
		s.searchPosts(w, r)
	case "/xrpc/app.bsky.notification.listNotifications":
		s.listNotifications(w, r)
	case "/xrpc/app.bsky.feed.getPosts":
		s.getPosts(w, r)
	case "/xrpc/com.atproto.repo.createRecord":
		s.createRecord(w, r)
	case "/xrpc/com.atproto.repo.getRecord":
		s.getRecord(w, r)
	default:
		xrpcError(w, 501, "MethodNotImplemented", "Method Not Implemented")
	}
}

func (s *Server) window(w http.ResponseWriter) bool {
	now := s.Now()
	if s.windowStart.IsZero() || now.Sub(s.windowStart) >= 5*time.Minute {
		s.windowStart, s.used = now, 0
	}
	s.used++
	w.Header().Set("RateLimit-Limit", strconv.Itoa(s.Window))
	w.Header().Set("RateLimit-Remaining", strconv.Itoa(max(0, s.Window-s.used)))
	w.Header().Set("RateLimit-Reset", strconv.FormatInt(s.windowStart.Add(5*time.Minute).Unix(), 10))
	w.Header().Set("RateLimit-Policy", fmt.Sprintf("%d;w=300", s.Window))
	return s.used <= s.Window
}

// issue answers a new token pair; s.mu is held.
func (s *Server) issue(w http.ResponseWriter) {
	n := len(s.access) + len(s.refresh) + s.sessions
	acc, ref := fmt.Sprintf("access-%d-%d", s.sessions, n), fmt.Sprintf("refresh-%d-%d", s.sessions, n)
	s.access[acc] = s.Now().Add(2 * time.Hour)
	s.refresh[ref] = true
	apifake.WriteJSON(w, 200, map[string]any{"did": "did:plc:stormdesk", "handle": s.identifier, "accessJwt": acc, "refreshJwt": ref, "active": true})
}

func (s *Server) createSession(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		xrpcError(w, 405, "InvalidRequest", "Method Not Allowed")
		return
	}
	var in struct{ Identifier, Password string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		xrpcError(w, 400, "InvalidRequest", "Invalid request body")
		return
	}
	if in.Identifier != s.identifier || in.Password != s.passwd {
		xrpcError(w, 401, "AuthenticationRequired", "Invalid identifier or password")
		return
	}
	s.sessions++
	s.issue(w)
}

func bearer(r *http.Request) string {
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "bearer") {
		return ""
	}
	return tok
}

func (s *Server) refreshSession(w http.ResponseWriter, r *http.Request) {
	tok := bearer(r)
	if !s.refresh[tok] {
		xrpcError(w, 400, "ExpiredToken", "Token has expired")
		return
	}
	delete(s.refresh, tok)
	s.issue(w)
}

// authed answers a request without a valid access token and reports
// whether the token was valid; s.mu is held.
func (s *Server) authed(w http.ResponseWriter, r *http.Request) bool {
	exp, ok := s.access[bearer(r)]
	switch {
	case !ok:
		xrpcError(w, 401, "InvalidToken", "Bad token scope")
		return false
	case !s.Now().Before(exp):
		xrpcError(w, 400, "ExpiredToken", "Token has expired")
		return false
	}
	return true
}

func (s *Server) searchPosts(w http.ResponseWriter, r *http.Request) {
	if !s.authed(w, r) {
		return
	}
	q := r.URL.Query()
	if strings.TrimSpace(q.Get("q")) == "" {
		xrpcError(w, 400, "InvalidRequest", `Error: Params must have the property "q"`)
		return
	}
	limit := 25
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			xrpcError(w, 400, "InvalidRequest", "Error: limit must be between 1 and 100")
			return
		}
		limit = n
	}
	var since, until time.Time
	for _, b := range []struct {
		name string
		t    *time.Time
	}{{"since", &since}, {"until", &until}} {
		if v := q.Get(b.name); v != "" {
			t, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				if t, err = time.Parse(time.DateOnly, v); err != nil {
					xrpcError(w, 400, "InvalidRequest", "Error: "+b.name+" must be a datetime")
					return
				}
			}
			*b.t = t
		}
	}
	words := phrases(q.Get("q"))
	var hits []Post
	for i := len(s.posts) - 1; i >= 0; i-- {
		p := s.posts[i]
		at := p.sortAt()
		if (!since.IsZero() && at.Before(since)) || (!until.IsZero() && !at.Before(until)) {
			continue
		}
		if l := q.Get("lang"); l != "" && !slices.Contains(p.Langs, l) {
			continue
		}
		text := strings.ToLower(p.Text)
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(text, w) }) {
			hits = append(hits, p)
		}
	}
	hits = hits[:min(len(hits), s.Cap)]
	off, _ := strconv.Atoi(q.Get("cursor"))
	off = min(max(off, 0), len(hits))
	end := min(len(hits), off+limit)
	out := map[string]any{"hitsTotal": len(hits)}
	views := []any{}
	for _, p := range hits[off:end] {
		views = append(views, view(p))
	}
	out["posts"] = views
	if end < len(hits) {
		out["cursor"] = strconv.Itoa(end)
	}
	apifake.WriteJSON(w, 200, out)
}

func phrases(q string) []string {
	var out []string
	for i, part := range strings.Split(q, `"`) {
		part = strings.ToLower(strings.TrimSpace(part))
		if i%2 == 1 && part != "" {
			out = append(out, part)
		} else if i%2 == 0 {
			out = append(out, strings.Fields(part)...)
		}
	}
	return out
}

func view(p Post) map[string]any {
	indexed := p.IndexedAt
	if indexed.IsZero() {
		indexed = p.CreatedAt
	}
	return map[string]any{
		"uri": p.URI(), "cid": p.CID(),
		"author":     map[string]any{"did": p.DID, "handle": p.Handle, "displayName": p.DisplayName, "labels": []any{}},
		"record":     record(p),
		"replyCount": p.Replies, "repostCount": p.Reposts, "likeCount": p.Likes, "quoteCount": 0,
		"indexedAt": indexed.UTC().Format("2006-01-02T15:04:05.000Z"),
		"labels":    []any{},
	}
}

// record is the post's app.bsky.feed.post record; s.mu is held by callers
// that need the reply's cids, which record reads from the URIs alone.
func record(p Post) map[string]any {
	rec := map[string]any{"$type": "app.bsky.feed.post", "text": p.Text, "createdAt": p.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z")}
	if len(p.Langs) > 0 {
		rec["langs"] = p.Langs
	}
	if p.ReplyParent != "" {
		rec["reply"] = map[string]any{
			"root":   map[string]string{"uri": p.ReplyRoot, "cid": cidOf(p.ReplyRoot)},
			"parent": map[string]string{"uri": p.ReplyParent, "cid": cidOf(p.ReplyParent)},
		}
	}
	if p.Quote != "" {
		rec["embed"] = map[string]any{"$type": "app.bsky.embed.record", "record": map[string]string{"uri": p.Quote, "cid": cidOf(p.Quote)}}
	}
	return rec
}

// cidOf is the cid this fake gives the post at uri.
func cidOf(uri string) string {
	return "bafyrei" + strings.ToLower(uri[strings.LastIndex(uri, "/")+1:])
}

func didOf(uri string) string {
	rest, _ := strings.CutPrefix(uri, "at://")
	did, _, _ := strings.Cut(rest, "/")
	return did
}

func (p Post) indexed() time.Time {
	if p.IndexedAt.IsZero() {
		return p.CreatedAt
	}
	return p.IndexedAt
}

// reason is why the account is notified of p; "" when it is not.
func (s *Server) reason(p Post) string {
	switch {
	case p.DID == AccountDID:
		return ""
	case p.ReplyParent != "" && didOf(p.ReplyParent) == AccountDID:
		return "reply"
	case p.Quote != "" && didOf(p.Quote) == AccountDID:
		return "quote"
	case strings.Contains(strings.ToLower(p.Text), "@"+strings.ToLower(s.identifier)):
		return "mention"
	}
	return ""
}

// Posted returns the account's own posts, oldest first.
func (s *Server) Posted() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Post
	for _, p := range s.posts {
		if p.DID == AccountDID {
			out = append(out, p)
		}
	}
	return out
}

// LoseAnswers makes the next n createRecord calls write the post and then
// answer 504, as if the answer was lost on the way back.
func (s *Server) LoseAnswers(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lose += n
}

func (s *Server) listNotifications(w http.ResponseWriter, r *http.Request) {
	if !s.authed(w, r) {
		return
	}
	q := r.URL.Query()
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			xrpcError(w, 400, "InvalidRequest", "Error: limit must be between 1 and 100")
			return
		}
		limit = n
	}
	var before time.Time
	if v := q.Get("cursor"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			xrpcError(w, 400, "InvalidRequest", "Malformed cursor")
			return
		}
		before = t
	}
	reasons := q["reasons"]
	var ps []Post
	for _, p := range s.posts {
		why := s.reason(p)
		if why == "" || (len(reasons) > 0 && !slices.Contains(reasons, why)) || (!before.IsZero() && !p.indexed().Before(before)) {
			continue
		}
		ps = append(ps, p)
	}
	slices.SortStableFunc(ps, func(a, b Post) int { return b.indexed().Compare(a.indexed()) })
	out := map[string]any{}
	if len(ps) > limit {
		ps = ps[:limit]
		out["cursor"] = ps[limit-1].indexed().UTC().Format(time.RFC3339Nano)
	}
	ns := []any{}
	for _, p := range ps {
		ns = append(ns, map[string]any{
			"uri": p.URI(), "cid": p.CID(), "reason": s.reason(p), "record": record(p), "isRead": false,
			"author":    map[string]any{"did": p.DID, "handle": p.Handle, "displayName": p.DisplayName},
			"indexedAt": p.indexed().UTC().Format(time.RFC3339Nano), "labels": []any{},
		})
	}
	out["notifications"] = ns
	apifake.WriteJSON(w, 200, out)
}

func (s *Server) getPosts(w http.ResponseWriter, r *http.Request) {
	if !s.authed(w, r) {
		return
	}
	uris := r.URL.Query()["uris"]
	if len(uris) > 25 {
		xrpcError(w, 400, "InvalidRequest", "Error: uris must not have more than 25 elements")
		return
	}
	views := []any{}
	for _, u := range uris {
		if i := slices.IndexFunc(s.posts, func(p Post) bool { return p.URI() == u }); i >= 0 {
			views = append(views, view(s.posts[i]))
		}
	}
	apifake.WriteJSON(w, 200, map[string]any{"posts": views})
}

func (s *Server) createRecord(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		xrpcError(w, 405, "InvalidRequest", "Method Not Allowed")
		return
	}
	if !s.authed(w, r) {
		return
	}
	var in struct {
		Repo, Collection, RKey string
		Record                 struct {
			Type      string    `json:"$type"`
			Text      string    `json:"text"`
			CreatedAt time.Time `json:"createdAt"`
			Reply     *struct {
				Root, Parent struct{ URI, CID string }
			} `json:"reply"`
		}
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		xrpcError(w, 400, "InvalidRequest", "Invalid request body")
		return
	}
	switch {
	case in.Repo != AccountDID && in.Repo != s.identifier:
		xrpcError(w, 400, "InvalidRequest", "Invalid repo")
		return
	case in.Collection != "app.bsky.feed.post" || (in.Record.Type != "" && in.Record.Type != in.Collection):
		xrpcError(w, 400, "InvalidRequest", "Invalid collection or $type")
		return
	case uniseg.GraphemeClusterCount(in.Record.Text) > 300:
		xrpcError(w, 400, "InvalidRequest", "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes")
		return
	case in.Record.CreatedAt.IsZero():
		xrpcError(w, 400, "InvalidRequest", "Invalid app.bsky.feed.post record: Record must have the property \"createdAt\"")
		return
	}
	if in.RKey == "" {
		in.RKey = "3m" + strconv.FormatInt(int64(len(s.posts))+1_000_000, 36)
	}
	p := Post{DID: AccountDID, Handle: s.identifier, DisplayName: "Acme", RKey: in.RKey, Text: in.Record.Text, CreatedAt: in.Record.CreatedAt, IndexedAt: s.Now()}
	if rp := in.Record.Reply; rp != nil {
		if rp.Root.CID != cidOf(rp.Root.URI) || rp.Parent.CID != cidOf(rp.Parent.URI) {
			xrpcError(w, 400, "InvalidRequest", "Invalid app.bsky.feed.post record: reply refs need the posts' cids")
			return
		}
		p.ReplyRoot, p.ReplyParent = rp.Root.URI, rp.Parent.URI
	}
	if slices.ContainsFunc(s.posts, func(x Post) bool { return x.URI() == p.URI() }) {
		xrpcError(w, 500, "InternalServerError", "Internal Server Error")
		return
	}
	s.posts = append(s.posts, p)
	if s.lose > 0 {
		s.lose--
		xrpcError(w, 504, "UpstreamTimeout", "Upstream Timeout")
		return
	}
	apifake.WriteJSON(w, 200, map[string]any{"uri": p.URI(), "cid": p.CID(), "validationStatus": "valid"})
}

func (s *Server) getRecord(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	uri := "at://" + q.Get("repo") + "/" + q.Get("collection") + "/" + q.Get("rkey")
	i := slices.IndexFunc(s.posts, func(p Post) bool { return p.URI() == uri })
	if i < 0 {
		xrpcError(w, 400, "RecordNotFound", "Could not locate record: "+uri)
		return
	}
	p := s.posts[i]
	apifake.WriteJSON(w, 200, map[string]any{"uri": p.URI(), "cid": p.CID(), "value": record(p)})
}
