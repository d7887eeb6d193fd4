// Package mastodonfake is a local Mastodon server for tests. It implements
// the documented shapes of verify_credentials, notifications (types[],
// max_id/since_id/min_id, limit, Link header), conversations (paged by their
// last status id), statuses (get, context, create with Idempotency-Key,
// delete own), Mastodon's error entity ({"error": …}), 401 for a bad token
// and 429 with X-RateLimit-* headers. Its types are its own, so a client that
// misnames a field fails against it.
package mastodonfake

import (
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
}

// New starts a fake accepting token.
func New(token string) *Server {
	s := &Server{
		Now: time.Now, token: token, statuses: map[string]*status{}, nextNote: 1000,
		nextID: 120000000000000000, idem: map[string]string{}, failures: map[string][]failure{},
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	return s
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
	s.notifs = append(s.notifs, notification{ID: id, Type: typ, StatusID: statusID, CreatedAt: s.Now()})
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

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.calls = append(s.calls, Call{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone()})
	if r.Header.Get("Authorization") != "Bearer "+s.token {
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
	defer s.mu.Unlock()

	p := r.URL.Path
	switch {
	case r.Method == "GET" && p == "/api/v1/accounts/verify_credentials":
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(Me)
	case r.Method == "GET" && p == "/api/v1/notifications":
		s.listNotifications(w, r)
	case r.Method == "GET" && p == "/api/v1/conversations":
		s.listConversations(w, r)
	case r.Method == "POST" && p == "/api/v1/statuses":
		s.postStatus(w, r)
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
		n := byID[id]
		entry := map[string]any{"id": n.ID, "type": n.Type, "created_at": n.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z"), "group_key": "ungrouped-" + n.ID}
		if st, ok := s.statuses[n.StatusID]; ok {
			entry["status"] = st.raw
			entry["account"] = st.raw["account"]
		} else {
			entry["account"] = json.RawMessage(Me)
		}
		out = append(out, entry)
	}
	s.link(w, r, sel)
	writeJSON(w, 200, out)
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
