// Package graphfake is the part of a local stand-in for Meta's Graph API
// that every Meta fake shares: access tokens that expire or are revoked
// (error 190 with its subcodes), permissions per token (errors 10 and 200),
// the error envelope with fbtrace_id, cursor paging (data, paging.cursors,
// paging.next), the X-App-Usage and X-Business-Use-Case-Usage headers,
// injected throttling (4, 17, 32, 613, 80001 … and HTTP 429 with
// Retry-After), and the Conversations and Send APIs with the 24-hour and
// 7-day (HUMAN_AGENT) messaging windows. facebookfake and instagramfake add
// their objects through Handle.
package graphfake

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Version is the Graph API version in the fake's paths.
const Version = "v21.0"

// Token is an access token the fake accepts.
type Token struct {
	User  string   // the user the token belongs to
	Page  string   // for a Page token, the Page id; "" for a user token
	Perms []string // for a user token: granted permissions (Page tokens use their user's)
	// Declined permissions are listed by /me/permissions as declined.
	Declined  []string
	ExpiresAt time.Time // zero = never
	// RevokedSubcode, when set, makes every call fail with 190 and it
	// (460 password changed, 467 logged out, 458 app removed).
	RevokedSubcode int
	parent         string // the user token a Page token came from
}

// Failure is one injected error answer.
type Failure struct {
	Code, Subcode int
	Message       string // default: Meta's usual text for Code
	HTTPStatus    int    // default 400; 429 or 5xx without Code: a bare status
	RetryAfter    string // Retry-After header
	// RegainMinutes goes into X-Business-Use-Case-Usage as
	// estimated_time_to_regain_access, with usage at 100 %.
	RegainMinutes int
	Transient     bool // is_transient in the envelope
	// Details goes into error_data.details, where the WhatsApp Cloud API
	// says in words what went wrong.
	Details string
	// Drop closes the connection without an answer instead: DropBefore
	// before the request is acted on, DropAfter once it was (the message is
	// sent, its answer lost), the two cases a client cannot tell apart.
	Drop Drop
}

// Drop says when an injected failure closes the connection.
type Drop int

// Drops.
const (
	NoDrop Drop = iota
	DropBefore
	DropAfter
)

// hangUp closes the client's connection without writing an answer.
func hangUp(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // net/http closes the connection
}

// Request is one call as a Handler sees it.
type Request struct {
	W     http.ResponseWriter
	R     *http.Request
	Token *Token
	Raw   string // the access token itself
	ID    string // the first path part after the version ("me", an object id)
	Edge  string // the second ("comments", "messages"), "" for the object itself
	Form  map[string]string
	JSON  map[string]json.RawMessage
	base  *Base
}

// Handler serves a request it knows and reports whether it did.
type Handler func(*Request) bool

// Base is the shared fake server. Its fields are guarded by Lock/Unlock for
// handlers that change state.
type Base struct {
	sync.Mutex
	srv      *httptest.Server
	tokens   map[string]*Token
	fails    map[string][]Failure // by "METHOD edge" ("POST messages", "GET comments", "GET" for any GET)
	handlers []Handler
	now      func() time.Time
	appUsage int
	bucUsage int
	trace    int
	calls    []string
	media    map[string]Media     // by key (a WhatsApp media id, an attachment id)
	issued   map[string]issuedURL // by the id in an issued media URL
}

// New starts a fake; Close stops it.
func New() *Base {
	b := &Base{tokens: map[string]*Token{}, fails: map[string][]Failure{}, now: time.Now, media: map[string]Media{}, issued: map[string]issuedURL{}}
	b.srv = httptest.NewServer(http.HandlerFunc(b.serve))
	return b
}

// Close stops the server.
func (b *Base) Close() { b.srv.Close() }

// URL is the base address to give a client (without the version).
func (b *Base) URL() string { return b.srv.URL }

// Client is an HTTP client for the fake.
func (b *Base) Client() *http.Client { return b.srv.Client() }

// SetNow sets the fake's clock, which decides token expiry and windows.
func (b *Base) SetNow(now func() time.Time) { b.Lock(); b.now = now; b.Unlock() }

// Now is the fake's clock (call with the lock held or not: it only reads now).
func (b *Base) Now() time.Time { return b.now() }

// Handle adds a handler; handlers are tried in order.
func (b *Base) Handle(h Handler) { b.Lock(); b.handlers = append(b.handlers, h); b.Unlock() }

// AddToken registers a token.
func (b *Base) AddToken(raw string, t Token) { b.Lock(); b.tokens[raw] = &t; b.Unlock() }

// PageToken registers a Page token derived from the user token userRaw.
func (b *Base) PageToken(userRaw, pageRaw, pageID string) {
	b.Lock()
	defer b.Unlock()
	u := b.tokens[userRaw]
	b.tokens[pageRaw] = &Token{User: u.User, Page: pageID, parent: userRaw}
}

// Expire makes a token expired from now on.
func (b *Base) Expire(raw string) {
	b.Lock()
	b.tokens[raw].ExpiresAt = b.now().Add(-time.Second)
	b.Unlock()
}

// Revoke makes a token fail with 190 and subcode.
func (b *Base) Revoke(raw string, subcode int) {
	b.Lock()
	b.tokens[raw].RevokedSubcode = subcode
	b.Unlock()
}

// SetPerms replaces a user token's granted and declined permissions.
func (b *Base) SetPerms(raw string, granted, declined []string) {
	b.Lock()
	b.tokens[raw].Perms, b.tokens[raw].Declined = granted, declined
	b.Unlock()
}

// SetUsage sets the percentages the usage headers report.
func (b *Base) SetUsage(app, business int) {
	b.Lock()
	b.appUsage, b.bucUsage = app, business
	b.Unlock()
}

// Fail queues f for the next call matching key: "METHOD edge", e.g.
// "POST messages", "GET comments", "GET conversations"; "GET" matches any GET.
func (b *Base) Fail(key string, f ...Failure) {
	b.Lock()
	b.fails[key] = append(b.fails[key], f...)
	b.Unlock()
}

// Calls lists the calls served, as "METHOD /path".
func (b *Base) Calls() []string {
	b.Lock()
	defer b.Unlock()
	return slices.Clone(b.calls)
}

func (b *Base) serve(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/media/") {
		b.serveMedia(w, r)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/"+Version+"/")
	if !ok {
		b.writeError(w, 400, Failure{Code: 2500, Message: "Unknown path components: " + r.URL.Path})
		return
	}
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	req := &Request{W: w, R: r, ID: parts[0], base: b, Form: map[string]string{}}
	if len(parts) > 1 {
		req.Edge = parts[1]
	}
	_ = r.ParseForm()
	for k := range r.Form {
		req.Form[k] = r.Form.Get(k)
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		if err := json.NewDecoder(r.Body).Decode(&req.JSON); err != nil {
			b.writeError(w, 400, Failure{Code: 100, Message: "(#100) The parameter body is not valid JSON"})
			return
		}
	}
	b.Lock()
	b.calls = append(b.calls, r.Method+" /"+rest)
	key := r.Method + " " + req.Edge
	f, failing := b.popFail(key)
	if !failing {
		f, failing = b.popFail(r.Method)
	}
	b.Unlock()
	if failing && f.Drop == DropBefore {
		hangUp(w)
		return
	}
	if failing && f.Drop == DropAfter {
		// The handler acts on the request; its answer never arrives.
		req.W = httptest.NewRecorder()
		defer hangUp(w)
	} else if failing {
		b.writeError(w, 0, f)
		return
	}
	raw := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if raw == "" {
		raw = req.Form["access_token"]
	}
	tok, f, okTok := b.auth(raw)
	if !okTok {
		b.writeError(w, 400, f)
		return
	}
	req.Token, req.Raw = tok, raw
	b.Lock()
	hs := slices.Clone(b.handlers)
	b.Unlock()
	for _, h := range hs {
		if h(req) {
			return
		}
	}
	b.writeError(w, 400, Failure{Code: 100, Subcode: 33, Message: fmt.Sprintf("Unsupported %s request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", r.Method, req.ID)})
}

func (b *Base) popFail(key string) (Failure, bool) {
	q := b.fails[key]
	if len(q) == 0 {
		return Failure{}, false
	}
	b.fails[key] = q[1:]
	return q[0], true
}

func (b *Base) auth(raw string) (*Token, Failure, bool) {
	b.Lock()
	defer b.Unlock()
	t := b.tokens[raw]
	if t == nil {
		return nil, Failure{Code: 190, Message: "Invalid OAuth access token - Cannot parse access token"}, false
	}
	owner := t
	if t.parent != "" {
		owner = b.tokens[t.parent]
	}
	switch {
	case owner.RevokedSubcode != 0:
		return nil, Failure{Code: 190, Subcode: owner.RevokedSubcode, Message: "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons."}, false
	case !owner.ExpiresAt.IsZero() && !b.now().Before(owner.ExpiresAt):
		return nil, Failure{Code: 190, Subcode: 463, Message: "Error validating access token: Session has expired on " + owner.ExpiresAt.UTC().Format(time.RFC1123) + "."}, false
	}
	return t, Failure{}, true
}

// Has reports whether the request's token (or the user behind a Page token) has perm.
func (q *Request) Has(perm string) bool {
	q.base.Lock()
	defer q.base.Unlock()
	owner := q.Token
	if owner.parent != "" {
		owner = q.base.tokens[owner.parent]
	}
	return slices.Contains(owner.Perms, perm)
}

// Require answers Meta's permission error and returns false when the token lacks perm.
func (q *Request) Require(perm string) bool {
	if q.Has(perm) {
		return true
	}
	q.Error(403, 200, 0, "(#200) Requires "+perm+" permission to manage the object")
	return false
}

// RequirePage answers an error when the token is not pageID's Page token.
func (q *Request) RequirePage(pageID string) bool {
	if q.Token.Page == pageID {
		return true
	}
	q.Error(400, 190, 0, "(#190) This method must be called with a Page Access Token")
	return false
}

// Error answers Meta's error envelope.
func (q *Request) Error(status, code, subcode int, msg string) {
	q.base.writeError(q.W, status, Failure{Code: code, Subcode: subcode, Message: msg})
}

// Fail answers f's error envelope with status (0 = f's or 400).
func (q *Request) Fail(status int, f Failure) { q.base.writeError(q.W, status, f) }

// Param is a form or query parameter, or a string field of a JSON body.
func (q *Request) Param(name string) string {
	if v, ok := q.Form[name]; ok {
		return v
	}
	var s string
	if raw, ok := q.JSON[name]; ok && json.Unmarshal(raw, &s) == nil {
		return s
	}
	return ""
}

// Object decodes a parameter that holds a JSON object (recipient, message),
// from the form or the JSON body.
func (q *Request) Object(name string, v any) error {
	if s, ok := q.Form[name]; ok {
		return json.Unmarshal([]byte(s), v)
	}
	if raw, ok := q.JSON[name]; ok {
		return json.Unmarshal(raw, v)
	}
	return fmt.Errorf("missing %s", name)
}

// Write answers v with the usage headers.
func (q *Request) Write(v any) {
	q.base.usageHeaders(q.W, 0)
	q.W.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(q.W).Encode(v)
}

// WritePage answers one page of items with cursor paging: limit (default 25,
// at most 100) and after from the query.
func WritePage[T any](q *Request, items []T) {
	limit := 25
	if n, err := strconv.Atoi(q.Form["limit"]); err == nil && n > 0 {
		limit = min(n, 100)
	}
	start := 0
	if a := q.Form["after"]; a != "" {
		raw, err := base64.RawURLEncoding.DecodeString(a)
		n, err2 := strconv.Atoi(strings.TrimPrefix(string(raw), "i:"))
		if err != nil || err2 != nil || n < 0 || n > len(items) {
			q.Error(400, 100, 0, "(#100) Invalid after cursor")
			return
		}
		start = n
	}
	end := min(start+limit, len(items))
	page := map[string]any{"data": items[start:end]}
	if len(items) == 0 {
		page["data"] = []T{}
	}
	if end > start {
		cur := func(i int) string { return base64.RawURLEncoding.EncodeToString([]byte("i:" + strconv.Itoa(i))) }
		p := map[string]any{"cursors": map[string]string{"before": cur(start), "after": cur(end)}}
		if end < len(items) {
			u := *q.R.URL
			v := u.Query()
			v.Set("after", cur(end))
			v.Set("limit", strconv.Itoa(limit))
			u.RawQuery = v.Encode()
			p["next"] = q.base.srv.URL + u.String()
		}
		page["paging"] = p
	}
	q.Write(page)
}

func (b *Base) usageHeaders(w http.ResponseWriter, regain int) {
	b.Lock()
	app, buc := b.appUsage, b.bucUsage
	b.Unlock()
	if regain > 0 {
		buc = 100
	}
	w.Header().Set("X-App-Usage", fmt.Sprintf(`{"call_count":%d,"total_cputime":%d,"total_time":%d}`, app, app/2, app/2))
	w.Header().Set("X-Business-Use-Case-Usage", fmt.Sprintf(`{"1001":[{"type":"pages","call_count":%d,"total_cputime":%d,"total_time":%d,"estimated_time_to_regain_access":%d}]}`, buc, buc/2, buc/2, regain))
}

// defaultText is Meta's usual text of the codes the fakes inject.
var defaultText = map[int]string{
	1:      "An unknown error occurred",
	2:      "An unexpected error has occurred. Please retry your request later.",
	4:      "(#4) Application request limit reached",
	17:     "(#17) User request limit reached",
	32:     "(#32) Page request limit reached",
	368:    "The action attempted has been deemed abusive or is otherwise disallowed",
	506:    "Duplicate status message",
	613:    "(#613) Calls to this api have exceeded the rate limit.",
	80001:  "(#80001) There have been too many calls to this Page account. Wait a bit and try again.",
	80002:  "(#80002) There have been too many calls to this Instagram account. Wait a bit and try again.",
	80007:  "(#80007) Rate limit issues: the WhatsApp Business Account has reached its rate limit.",
	130429: "(#130429) Rate limit hit: Cloud API message throughput has been reached.",
}

func (b *Base) writeError(w http.ResponseWriter, status int, f Failure) {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	b.usageHeaders(w, f.RegainMinutes)
	if f.Code == 0 {
		w.WriteHeader(f.HTTPStatus)
		return
	}
	if f.HTTPStatus != 0 {
		status = f.HTTPStatus
	}
	if status == 0 {
		status = 400
	}
	if f.Message == "" {
		f.Message = defaultText[f.Code]
	}
	typ := "OAuthException"
	if f.Code == 1 || f.Code == 2 {
		typ = "FacebookApiException"
	}
	b.Lock()
	b.trace++
	trace := fmt.Sprintf("AfAkeTrace%04d", b.trace)
	b.Unlock()
	e := map[string]any{"message": f.Message, "type": typ, "code": f.Code, "fbtrace_id": trace}
	if f.Subcode != 0 {
		e["error_subcode"] = f.Subcode
	}
	if f.Transient {
		e["is_transient"] = true
	}
	if f.Details != "" {
		e["error_data"] = map[string]string{"messaging_product": "whatsapp", "details": f.Details}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": e})
}

// ServeAccount answers /me/accounts and /me/permissions for user tokens:
// pages maps Page id to its name and Page token.
func (b *Base) ServeAccount(pages map[string][2]string) Handler {
	return func(q *Request) bool {
		if q.ID != "me" || q.R.Method != http.MethodGet {
			return false
		}
		switch q.Edge {
		case "permissions":
			type perm struct {
				Permission string `json:"permission"`
				Status     string `json:"status"`
			}
			var ps []perm
			b.Lock()
			for _, p := range q.Token.Perms {
				ps = append(ps, perm{p, "granted"})
			}
			for _, p := range q.Token.Declined {
				ps = append(ps, perm{p, "declined"})
			}
			b.Unlock()
			WritePage(q, ps)
			return true
		case "accounts":
			if q.Token.Page != "" {
				q.Error(400, 100, 0, "(#100) Tried accessing nonexisting field (accounts) on node type (Page)")
				return true
			}
			if !q.Require("pages_show_list") {
				return true
			}
			type acct struct {
				ID          string   `json:"id"`
				Name        string   `json:"name"`
				AccessToken string   `json:"access_token"`
				Tasks       []string `json:"tasks"`
			}
			var as []acct
			for _, id := range slices.Sorted(maps.Keys(pages)) {
				as = append(as, acct{ID: id, Name: pages[id][0], AccessToken: pages[id][1], Tasks: []string{"ANALYZE", "ADVERTISE", "MESSAGING", "MODERATE", "CREATE_CONTENT", "MANAGE"}})
			}
			WritePage(q, as)
			return true
		}
		return false
	}
}

// ModerateComment serves POST /{comment} (param "true" or "false": hide or
// show again) and DELETE /{comment} for a comment of pageID's object, with
// Meta's errors; own says the business wrote it (it cannot hide its own).
// It reports whether the request was one of these.
func (q *Request) ModerateComment(pageID, perm, param string, own bool, hidden, deleted *bool) bool {
	if q.Edge != "" || (q.R.Method != http.MethodPost && q.R.Method != http.MethodDelete) {
		return false
	}
	if !q.RequirePage(pageID) || !q.Require(perm) {
		return true
	}
	if q.R.Method == http.MethodDelete {
		q.base.Lock()
		*deleted = true
		q.base.Unlock()
		q.Write(map[string]bool{"success": true})
		return true
	}
	h := q.Param(param)
	switch {
	case h != "true" && h != "false":
		q.Error(400, 100, 0, "(#100) Param "+param+" must be a boolean")
	case own:
		q.Error(400, 100, 0, "(#100) The owner's own comments cannot be hidden")
	default:
		q.base.Lock()
		*hidden = h == "true"
		q.base.Unlock()
		q.Write(map[string]bool{"success": true})
	}
	return true
}
