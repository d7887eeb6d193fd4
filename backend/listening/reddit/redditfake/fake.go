// Package redditfake is a local Reddit server for the listening source's
// tests, built from Reddit's API documentation and its observed answers:
//
//   - POST /api/v1/access_token (www.reddit.com): HTTP basic auth with the
//     app's client id and secret, form grant_type=client_credentials;
//     answers {"access_token", "token_type": "bearer", "expires_in": 86400,
//     "scope": "*"}; wrong credentials are a 401 {"message": "Unauthorized",
//     "error": 401}, another grant type a 400 {"error": "unsupported_grant_type"}.
//   - GET /search and /r/{sub[+sub…]}/search (oauth.reddit.com) with a
//     bearer token: q (words, "phrases", OR), sort=new, limit (25 by
//     default, at most 100), after (a fullname, t3_…), restrict_sr; a
//     Listing of t3 things newest first, with after = the last fullname
//     while more remain. Like Reddit's search it stops after Cap results.
//     Deleted posts stay listed as "[deleted]" by "[deleted]", removed ones
//     as "[removed]" with removed_by_category.
//   - Every API answer carries X-Ratelimit-Used/Remaining/Reset (a
//     ten-minute window; Remaining as a decimal, Reset in seconds); past the
//     window's allowance 429 without Retry-After.
//   - The password grant of a "script" app (grant_type=password, username,
//     password) gives a token of the account set with SetAccount; a wrong
//     password is answered 200 {"error": "invalid_grant"}, as Reddit does.
//     Such a token reads GET /api/v1/me, GET /message/inbox (t1 comment
//     replies and username mentions, t4 private messages, newest first;
//     limit, before/after fullnames, mark), GET /user/{name}/comments and
//     GET /message/sent (the account's own, newest first), and posts with
//     POST /api/comment (thing_id, text, api_type=json), whose errors come
//     with HTTP 200 in json.errors (RATELIMIT, TOO_LONG, DELETED_COMMENT).
//     App-only tokens get 403 there. LoseAnswers makes the next comments
//     be made and then answered 502.
//   - Expired or unknown tokens are a 401 with WWW-Authenticate; a request
//     without a unique User-Agent (none, or a library's default) is refused
//     with 403, as Reddit blocks generic agents.
package redditfake

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/listening/webapi/apifake"
)

// Post is one submission (a "t3" thing).
type Post struct {
	ID        string // base36, without the t3_ prefix
	Subreddit string
	Title     string
	Selftext  string
	Author    string
	Created   time.Time
	Comments  int
	Score     int
	// RemovedBy is Reddit's removed_by_category: "deleted" (by the
	// author), "moderator", …; "" while the post stands.
	RemovedBy string
}

// Server is a fake Reddit.
type Server struct {
	*httptest.Server
	apifake.Kit
	Now func() time.Time
	// Cap is how many results a search lists at most (Reddit: about 250).
	Cap int
	// Window is the calls allowed per ten minutes (Reddit: 1000 per client).
	Window int

	mu          sync.Mutex
	id, secret  string
	tokens      map[string]bool
	users       map[string]string // token → account; "" for app-only
	user, pass  string
	inbox       []Message // ascending Created
	own         []Message // the account's comments and sent messages, ascending
	lose        int
	limited     []string // RATELIMIT messages for the next comments
	issued      int
	posts       []Post // ascending Created
	used        int
	windowStart time.Time
}

// New starts a fake accepting the app credentials id and secret.
func New(id, secret string) *Server {
	s := &Server{Now: time.Now, Cap: 250, Window: 1000, id: id, secret: secret, tokens: map[string]bool{}, users: map[string]string{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	return s
}

// Add stores posts.
func (s *Server) Add(ps ...Post) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.posts = append(s.posts, ps...)
	slices.SortStableFunc(s.posts, func(a, b Post) int { return a.Created.Compare(b.Created) })
}

// Remove marks post id removed: by its author ("deleted") or a moderator.
func (s *Server) Remove(id, by string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.posts {
		if s.posts[i].ID == id {
			s.posts[i].RemovedBy = by
		}
	}
}

// ExpireTokens makes every token issued so far answer 401.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens = map[string]bool{}
	s.users = map[string]string{}
}

// Issued is how many tokens the fake has handed out.
func (s *Server) Issued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issued
}

var genericAgent = regexp.MustCompile(`(?i)^$|go-http-client|python-requests|curl/|okhttp|^mozilla/`)

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	s.Record(r)
	if genericAgent.MatchString(r.UserAgent()) {
		apifake.WriteJSON(w, 403, map[string]any{"message": "Forbidden", "error": 403, "reason": "blocked: use a unique and descriptive User-Agent"})
		return
	}
	if s.Serve(w, r) {
		return
	}
	p := r.URL.Path
	switch {
	case r.Method == "POST" && p == "/api/v1/access_token":
		s.accessToken(w, r)
	case r.Method == "GET" && (p == "/search" || (strings.HasPrefix(p, "/r/") && strings.HasSuffix(p, "/search"))):
		s.search(w, r)
	case p == "/api/v1/me" || p == "/message/inbox" || p == "/message/sent" || p == "/api/comment" || strings.HasPrefix(p, "/user/"):
		s.account(w, r)
	default:
		apifake.WriteJSON(w, 404, map[string]any{"message": "Not Found", "error": 404})
	}
}

func (s *Server) accessToken(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if !ok || id != s.id || secret != s.secret {
		apifake.WriteJSON(w, 401, map[string]any{"message": "Unauthorized", "error": 401})
		return
	}
	_ = r.ParseForm()
	s.mu.Lock()
	defer s.mu.Unlock()
	user := ""
	switch r.PostForm.Get("grant_type") {
	case "client_credentials":
	case "password":
		if s.user == "" || !strings.EqualFold(r.PostForm.Get("username"), s.user) || r.PostForm.Get("password") != s.pass {
			apifake.WriteJSON(w, 200, map[string]any{"error": "invalid_grant"})
			return
		}
		user = s.user
	default:
		apifake.WriteJSON(w, 400, map[string]any{"error": "unsupported_grant_type"})
		return
	}
	s.issued++
	tok := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("token-%d", s.issued)))
	s.tokens[tok] = true
	s.users[tok] = user
	apifake.WriteJSON(w, 200, map[string]any{"access_token": tok, "token_type": "bearer", "expires_in": 86400, "scope": "*"})
}

// window counts a call and writes the rate-limit headers; false when spent.
func (s *Server) window(w http.ResponseWriter) bool {
	now := s.Now()
	if s.windowStart.IsZero() || now.Sub(s.windowStart) >= 10*time.Minute {
		s.windowStart, s.used = now, 0
	}
	s.used++
	reset := s.windowStart.Add(10 * time.Minute).Sub(now)
	w.Header().Set("X-Ratelimit-Used", strconv.Itoa(s.used))
	w.Header().Set("X-Ratelimit-Remaining", strconv.FormatFloat(float64(max(0, s.Window-s.used)), 'f', 1, 64))
	w.Header().Set("X-Ratelimit-Reset", strconv.Itoa(int(reset/time.Second)))
	return s.used <= s.Window
}

type thing struct {
	Kind string         `json:"kind"`
	Data map[string]any `json:"data"`
}

// authorize answers a request with a bad token or past the window and
// returns the token's account ("" app-only); s.mu is held.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) (user string, ok bool) {
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "bearer") || !s.tokens[tok] { // auth schemes are case-insensitive; Reddit's docs write "bearer"
		w.Header().Set("WWW-Authenticate", `Bearer realm="reddit", error="invalid_token"`)
		apifake.WriteJSON(w, 401, map[string]any{"message": "Unauthorized", "error": 401})
		return "", false
	}
	if !s.window(w) {
		apifake.WriteJSON(w, 429, map[string]any{"message": "Too Many Requests", "error": 429})
		return "", false
	}
	return s.users[tok], true
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.authorize(w, r); !ok {
		return
	}
	q := r.URL.Query()
	var subs []string
	if sr, ok := strings.CutPrefix(r.URL.Path, "/r/"); ok && q.Get("restrict_sr") != "" && q.Get("restrict_sr") != "0" && q.Get("restrict_sr") != "false" {
		subs = strings.Split(strings.ToLower(strings.TrimSuffix(sr, "/search")), "+")
	}
	alts := alternatives(q.Get("q"))
	var hits []Post
	for i := len(s.posts) - 1; i >= 0 && len(hits) < s.Cap; i-- {
		p := s.posts[i]
		if len(subs) > 0 && !slices.Contains(subs, strings.ToLower(p.Subreddit)) {
			continue
		}
		text := strings.ToLower(p.Title + " " + p.Selftext)
		if slices.ContainsFunc(alts, func(words []string) bool {
			return !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(text, w) })
		}) {
			hits = append(hits, p)
		}
	}
	start := 0
	if after := q.Get("after"); after != "" {
		start = len(hits)
		for i, p := range hits {
			if "t3_"+p.ID == after {
				start = i + 1
			}
		}
	}
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 {
		limit = 25
	}
	end := min(len(hits), start+min(limit, 100))
	children := []thing{}
	for _, p := range hits[start:end] {
		children = append(children, thing{Kind: "t3", Data: data(p)})
	}
	var after any
	if end < len(hits) {
		after = "t3_" + hits[end-1].ID
	}
	apifake.WriteJSON(w, 200, thing{Kind: "Listing", Data: map[string]any{
		"after": after, "before": nil, "dist": len(children), "modhash": "", "geo_filter": "", "children": children}})
}

// alternatives reads q as OR-ed groups of lower-cased words and phrases.
func alternatives(q string) [][]string {
	var out [][]string
	for _, alt := range strings.Split(q, " OR ") {
		var words []string
		for i, part := range strings.Split(alt, `"`) {
			part = strings.ToLower(strings.TrimSpace(part))
			if i%2 == 1 && part != "" {
				words = append(words, part)
			} else if i%2 == 0 {
				words = append(words, strings.Fields(part)...)
			}
		}
		if len(words) > 0 {
			out = append(out, words)
		}
	}
	return out
}

func data(p Post) map[string]any {
	author, text := p.Author, p.Selftext
	var removed any
	switch p.RemovedBy {
	case "":
	case "deleted":
		author, text, removed = "[deleted]", "[deleted]", p.RemovedBy
	default:
		text, removed = "[removed]", p.RemovedBy
	}
	permalink := fmt.Sprintf("/r/%s/comments/%s/%s/", p.Subreddit, p.ID, slug(p.Title))
	d := map[string]any{
		"id": p.ID, "name": "t3_" + p.ID, "title": p.Title, "selftext": text, "author": author,
		"subreddit": p.Subreddit, "subreddit_name_prefixed": "r/" + p.Subreddit, "permalink": permalink,
		"url": "https://www.reddit.com" + permalink, "created_utc": float64(p.Created.Unix()),
		"num_comments": p.Comments, "score": p.Score, "over_18": false, "removed_by_category": removed,
		"is_self": true,
	}
	if author != "[deleted]" {
		d["author_fullname"] = "t2_" + strings.ToLower(author)
	}
	return d
}

func slug(title string) string {
	f := strings.FieldsFunc(strings.ToLower(title), func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') })
	return strings.Join(f, "_")
}
