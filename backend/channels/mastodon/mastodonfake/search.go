package mastodonfake

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The listening endpoints, as Mastodon 4.2+ documents them:
//
//   - GET /api/v2/search?q=&type=statuses: full-text status search needs a
//     user token with read:search (without one the statuses list is empty,
//     a token without the scope is a 403). Like Mastodon it finds only
//     statuses of accounts that opted into search ("indexable") and the
//     token owner's own, newest first; max_id/min_id filter, limit is 20 by
//     default and at most 40, offset skips. Search answers carry no Link
//     header. A removed status is simply no longer found.
//   - GET /api/v1/timelines/tag/:hashtag: public (no token needed; a wrong
//     token is still a 401), public statuses carrying the tag, with
//     max_id/since_id/min_id, limit 20/40 and a Link header.
//
// Both count against a five-minute window of SearchLimit calls (Mastodon:
// 300 per account) and answer X-RateLimit-Limit/Remaining/Reset; past the
// limit they answer 429 until the window ends.

// listenState is the fake's state for the listening endpoints; s.mu guards it.
type listenState struct {
	noScope     bool // see NoSearchScope
	limit       int
	used        int
	windowStart time.Time
}

// SearchLimit sets the calls allowed per five-minute window on the search
// and hashtag endpoints (default 300) and starts a new window.
func (s *Server) SearchLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.listen.limit, s.listen.used, s.listen.windowStart = n, 0, s.Now()
}

// NoSearchScope makes status search refuse the token (403), as Mastodon
// does for a token without read:search.
func (s *Server) NoSearchScope() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.listen.noScope = true
}

// RemoveStatus deletes any status, as its author deleting it does.
func (s *Server) RemoveStatus(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.statuses, id)
}

// Public is a public status by c with text, as the Status entity shapes it
// with its counts and #tags; indexable says whether c opted into search.
func Public(id string, c Customer, text string, at time.Time, indexable bool) map[string]any {
	st := Mention(id, c, text, at)
	acct := st["account"].(map[string]any)
	acct["indexable"] = indexable
	acct["url"] = "https://mastodon.example/@" + c.Username
	tags := []any{}
	for _, m := range tagRe.FindAllStringSubmatch(text, -1) {
		tags = append(tags, map[string]any{"name": strings.ToLower(m[1]), "url": "https://mastodon.example/tags/" + strings.ToLower(m[1])})
	}
	st["tags"] = tags
	st["uri"] = "https://mastodon.example/users/" + c.Username + "/statuses/" + id
	st["replies_count"], st["reblogs_count"], st["favourites_count"] = 2, 3, 5
	return st
}

var (
	tagRe     = regexp.MustCompile(`#(\w+)`)
	htmlTagRe = regexp.MustCompile(`<[^>]*>`)
)

func publicPath(r *http.Request) bool {
	return r.Method == "GET" && strings.HasPrefix(r.URL.Path, "/api/v1/timelines/tag/")
}

// rateLimited counts one call in the window, writes the X-RateLimit headers
// and answers 429 when the window is spent; s.mu is held.
func (s *Server) rateLimited(w http.ResponseWriter) bool {
	l := &s.listen
	if l.limit == 0 {
		l.limit, l.windowStart = 300, s.Now()
	}
	if s.Now().Sub(l.windowStart) >= 5*time.Minute {
		l.used, l.windowStart = 0, s.Now()
	}
	reset := l.windowStart.Add(5 * time.Minute)
	l.used++
	w.Header().Set("X-RateLimit-Limit", strconv.Itoa(l.limit))
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(max(0, l.limit-l.used)))
	w.Header().Set("X-RateLimit-Reset", reset.UTC().Format("2006-01-02T15:04:05.000Z"))
	if l.used > l.limit {
		apiError(w, http.StatusTooManyRequests, "Too many requests")
		return true
	}
	return false
}

// sortedIDs are the ids of statuses keep accepts, ascending.
func (s *Server) sortedIDs(keep func(st *status) bool) []string {
	var ids []string
	for id, st := range s.statuses {
		if keep(st) {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(a, b string) int {
		if idLess(a, b) {
			return -1
		}
		if idLess(b, a) {
			return 1
		}
		return 0
	})
	return ids
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	if s.rateLimited(w) {
		return
	}
	q := r.URL.Query()
	query := strings.TrimSpace(q.Get("q"))
	if query == "" {
		apiError(w, 400, "Validation failed: q is missing")
		return
	}
	authed := r.Header.Get("Authorization") != ""
	if authed && s.listen.noScope {
		apiError(w, 403, "This action is outside the authorized scopes")
		return
	}
	out := map[string]any{"accounts": []any{}, "hashtags": []any{}, "statuses": []any{}}
	if t := q.Get("type"); !authed || (t != "" && t != "statuses") {
		writeJSON(w, 200, out)
		return
	}
	words := searchWords(query)
	ids := s.sortedIDs(func(st *status) bool {
		acct, _ := st.raw["account"].(map[string]any)
		if st.Visibility != "public" && st.Account.ID != meID {
			return false
		}
		if acct["indexable"] != true && st.Account.ID != meID {
			return false
		}
		text := strings.ToLower(plain(st))
		for _, w := range words {
			if !strings.Contains(text, w) {
				return false
			}
		}
		return true
	})
	// Newest first, the filters applied, then offset and limit from the top.
	var sel []string
	for i := len(ids) - 1; i >= 0; i-- {
		id := ids[i]
		if m := q.Get("max_id"); m != "" && !idLess(id, m) {
			continue
		}
		if m := q.Get("min_id"); m != "" && !idLess(m, id) {
			continue
		}
		sel = append(sel, id)
	}
	off, _ := strconv.Atoi(q.Get("offset"))
	sel = sel[min(max(off, 0), len(sel)):]
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 {
		limit = 20
	}
	sel = sel[:min(len(sel), min(limit, 40))]
	sts := []any{}
	for _, id := range sel {
		sts = append(sts, s.statuses[id].raw)
	}
	out["statuses"] = sts
	writeJSON(w, 200, out)
}

// searchWords are the lower-cased words and "quoted phrases" of a query.
func searchWords(q string) []string {
	var out []string
	for i, part := range strings.Split(q, `"`) {
		part = strings.ToLower(strings.TrimSpace(part))
		if i%2 == 1 {
			if part != "" {
				out = append(out, part)
			}
			continue
		}
		out = append(out, strings.Fields(part)...)
	}
	return out
}

func plain(st *status) string {
	c, _ := st.raw["content"].(string)
	return html.UnescapeString(htmlTagRe.ReplaceAllString(c, " "))
}

func (s *Server) tagTimeline(w http.ResponseWriter, r *http.Request) {
	if s.rateLimited(w) {
		return
	}
	tag, err := url.PathUnescape(strings.TrimPrefix(r.URL.Path, "/api/v1/timelines/tag/"))
	if err != nil || tag == "" {
		apiError(w, 404, "Record not found")
		return
	}
	tag = strings.ToLower(tag)
	ids := s.sortedIDs(func(st *status) bool {
		if st.Visibility != "public" {
			return false
		}
		tags, _ := st.raw["tags"].([]any)
		for _, t := range tags {
			if m, _ := t.(map[string]any); m != nil && m["name"] == tag {
				return true
			}
		}
		return false
	})
	sel := page(ids, r.URL.Query(), 20, 40)
	out := []any{}
	for _, id := range sel {
		out = append(out, s.statuses[id].raw)
	}
	s.link(w, r, sel)
	writeJSON(w, 200, out)
}
