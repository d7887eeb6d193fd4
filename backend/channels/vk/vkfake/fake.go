// Package vkfake is a local stand-in for the VK API (version 5.199) and its
// Bots Long Poll server, for tests of the real client. It implements the
// documented request and response shapes: the {"response":…} / {"error":
// {"error_code","error_msg"}} envelope, long-poll ts/updates and the failed
// codes 1, 2 and 3, random_id and guid deduplication, and lets tests inject
// rate limits, server errors, malformed bodies and token revocation. For
// brand listening it answers newsfeed.search: public posts newest first,
// start_time/end_time, count up to 200, next_from paging, at most 1000
// results per query as VK caps them, extended profiles and groups with their
// followers and members.
package vkfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Failure is one injected answer that replaces the next call of a method.
type Failure struct {
	ErrorCode  int    // VK error code in an error envelope (HTTP 200, as VK does)
	ErrorMsg   string // default: VK's usual text for the code
	HTTPStatus int    // a bare HTTP status instead (429, 502 …)
	RetryAfter string // Retry-After header with HTTPStatus
	Body       string // a raw body instead (malformed JSON …)
}

// SentMessage is a messages.send call the fake accepted.
type SentMessage struct {
	ID       int64
	PeerID   int64
	Message  string
	RandomID int64
}

// Comment is a wall comment held by the fake.
type Comment struct {
	ID             int64  `json:"id"`
	FromID         int64  `json:"from_id"`
	Date           int64  `json:"date"`
	Text           string `json:"text"`
	PostID         int64  `json:"post_id"`
	OwnerID        int64  `json:"owner_id"`
	ReplyToComment int64  `json:"reply_to_comment,omitempty"`
	FromGroup      int64  `json:"-"`
	GUID           string `json:"-"`
}

// Profile is a user the fake knows, returned in extended answers.
type Profile struct {
	ID             int64  `json:"id"`
	FirstName      string `json:"first_name"`
	LastName       string `json:"last_name"`
	ScreenName     string `json:"screen_name,omitempty"`
	FollowersCount int64  `json:"followers_count,omitempty"`
}

// Community is a group newsfeed.search names in extended answers.
type Community struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	ScreenName   string `json:"screen_name"`
	MembersCount int64  `json:"members_count,omitempty"`
}

// NewsPost is a public wall post newsfeed.search can find.
type NewsPost struct {
	ID       int64
	OwnerID  int64
	FromID   int64 // 0 = OwnerID
	Date     int64
	Text     string
	Comments int
	Likes    int
	Reposts  int
}

// MaxSearchResults is how many results VK gives for one newsfeed.search query.
const MaxSearchResults = 1000

// Server is the fake. All methods are safe for concurrent use.
type Server struct {
	*httptest.Server
	GroupID   int64
	GroupName string

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced when events arrive
	tokens    map[string]bool
	events    []json.RawMessage // event i has sequence number i+1
	floor     int               // events below this sequence are lost (failed:1)
	key       string
	keyN      int
	lost      bool // next a_check answers failed:3
	fail      map[string][]Failure
	calls     map[string]int
	rateLimit int // max calls per second per token; 0 = unlimited
	window    map[string][]time.Time
	nextID    int64
	sent      []SentMessage
	byRandom  map[string]int64 // peer/random_id -> message id
	posts     []int64
	comments  []Comment
	byGUID    map[string]int64
	deleted   []int64
	profiles  map[int64]Profile
	groups    map[int64]Community
	news      []NewsPost
	removed   map[string]bool
}

// New starts a fake for community groupID that accepts the given tokens.
func New(groupID int64, tokens ...string) *Server {
	s := &Server{
		GroupID: groupID, GroupName: "Acme", changed: make(chan struct{}),
		tokens: map[string]bool{}, fail: map[string][]Failure{}, calls: map[string]int{},
		window: map[string][]time.Time{}, nextID: 100, byRandom: map[string]int64{},
		byGUID: map[string]int64{}, profiles: map[int64]Profile{}, groups: map[int64]Community{}, removed: map[string]bool{},
	}
	for _, t := range tokens {
		s.tokens[t] = true
	}
	s.rotateKey()
	mux := http.NewServeMux()
	mux.HandleFunc("/method/{name}", s.method)
	mux.HandleFunc("GET /lp", s.longPoll)
	s.Server = httptest.NewServer(mux)
	return s
}

// BaseURL is the API base to give the client.
func (s *Server) BaseURL() string { return s.URL + "/method/" }

func (s *Server) rotateKey() {
	s.keyN++
	s.key = fmt.Sprintf("key%d", s.keyN)
}

// QueueEvent appends a long-poll event of type typ with object obj.
func (s *Server) QueueEvent(typ string, obj any) {
	o, err := json.Marshal(obj)
	if err != nil {
		panic(err)
	}
	s.mu.Lock()
	ev, _ := json.Marshal(map[string]any{
		"type": typ, "object": json.RawMessage(o), "group_id": s.GroupID,
		"event_id": fmt.Sprintf("ev%d", len(s.events)+1), "v": "5.199",
	})
	s.mu.Unlock()
	s.QueueRaw(ev)
}

// QueueRaw appends one event given as raw JSON (a fixture line).
func (s *Server) QueueRaw(ev json.RawMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, ev)
	close(s.changed)
	s.changed = make(chan struct{})
}

// FailNext makes the next call of method ("messages.send", "a_check" …) answer f.
func (s *Server) FailNext(method string, f ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail[method] = append(s.fail[method], f...)
}

// Calls reports how many times method was called.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// ExpireKey invalidates the long-poll key: a_check answers failed:2.
func (s *Server) ExpireKey() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rotateKey()
}

// LoseHistory drops all queued events: an older ts answers failed:1.
func (s *Server) LoseHistory() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.floor = len(s.events) + 1
}

// LoseKeyAndTS makes the next a_check answer failed:3.
func (s *Server) LoseKeyAndTS() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lost = true
	s.rotateKey()
}

// RevokeToken makes every call with token fail with error 5.
func (s *Server) RevokeToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = false
}

// SetRateLimit enforces n calls per second per token with error 6, as VK does.
func (s *Server) SetRateLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateLimit = n
}

// AddPost adds a post to the community wall.
func (s *Server) AddPost(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.posts = append(s.posts, id)
}

// AddComment stores a comment under a community post (for wall.getComments).
func (s *Server) AddComment(c Comment) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.OwnerID == 0 {
		c.OwnerID = -s.GroupID
	}
	s.comments = append(s.comments, c)
}

// AddProfile registers a user for extended answers.
func (s *Server) AddProfile(p Profile) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.profiles[p.ID] = p
}

// AddCommunity registers a community for extended newsfeed.search answers.
func (s *Server) AddCommunity(g Community) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.groups[g.ID] = g
}

// AddNewsPost makes a public post findable by newsfeed.search.
func (s *Server) AddNewsPost(p NewsPost) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.FromID == 0 {
		p.FromID = p.OwnerID
	}
	s.news = append(s.news, p)
}

// RemoveNewsPost deletes a post: search no longer finds it.
func (s *Server) RemoveNewsPost(owner, id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.removed[fmt.Sprintf("%d_%d", owner, id)] = true
}

// Sent lists accepted messages.send calls (deduplicated by random_id).
func (s *Server) Sent() []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SentMessage(nil), s.sent...)
}

// Comments lists every comment, including those created through the API.
func (s *Server) Comments() []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Comment(nil), s.comments...)
}

// Deleted lists comment ids removed with wall.deleteComment.
func (s *Server) Deleted() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int64(nil), s.deleted...)
}

var errorTexts = map[int]string{
	1:   "Unknown error occurred",
	5:   "User authorization failed: invalid access_token (4).",
	6:   "Too many requests per second",
	8:   "Invalid request: v (version) is required",
	9:   "Flood control",
	10:  "Internal server error",
	15:  "Access denied",
	100: "One of the parameters specified was missing or invalid",
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

func vkError(w http.ResponseWriter, code int, msg string, r *http.Request) {
	if msg == "" {
		msg = errorTexts[code]
	}
	params := []map[string]string{{"key": "v", "value": r.FormValue("v")}, {"key": "method", "value": r.PathValue("name")}}
	writeJSON(w, map[string]any{"error": map[string]any{"error_code": code, "error_msg": msg, "request_params": params}})
}

// injected writes an injected failure if one is queued; s.mu must be held.
func (s *Server) injected(w http.ResponseWriter, r *http.Request, name string) bool {
	q := s.fail[name]
	if len(q) == 0 {
		return false
	}
	f := q[0]
	s.fail[name] = q[1:]
	switch {
	case f.Body != "":
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(f.Body))
	case f.HTTPStatus != 0:
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		http.Error(w, http.StatusText(f.HTTPStatus), f.HTTPStatus)
	default:
		vkError(w, f.ErrorCode, f.ErrorMsg, r)
	}
	return true
}

func (s *Server) method(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	_ = r.ParseForm()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[name]++
	if s.injected(w, r, name) {
		return
	}
	token := r.FormValue("access_token")
	if ok, known := s.tokens[token]; !known || !ok {
		vkError(w, 5, "", r)
		return
	}
	if r.FormValue("v") == "" {
		vkError(w, 8, "", r)
		return
	}
	if s.rateLimit > 0 {
		now := time.Now()
		recent := s.window[token][:0]
		for _, t := range s.window[token] {
			if now.Sub(t) < time.Second {
				recent = append(recent, t)
			}
		}
		s.window[token] = append(recent, now)
		if len(recent) >= s.rateLimit {
			vkError(w, 6, "", r)
			return
		}
	}
	i64 := func(k string) int64 { n, _ := strconv.ParseInt(r.FormValue(k), 10, 64); return n }
	switch name {
	case "groups.getLongPollServer":
		if i64("group_id") != s.GroupID {
			vkError(w, 15, "Access denied: no access to this community", r)
			return
		}
		writeJSON(w, map[string]any{"response": map[string]any{
			"key": s.key, "server": s.URL + "/lp", "ts": strconv.Itoa(len(s.events) + 1),
		}})
	case "groups.getById":
		if i64("group_id") != s.GroupID {
			vkError(w, 100, "", r)
			return
		}
		writeJSON(w, map[string]any{"response": map[string]any{
			"groups":   []map[string]any{{"id": s.GroupID, "name": s.GroupName, "screen_name": "acme", "type": "group"}},
			"profiles": []any{},
		}})
	case "wall.get":
		count := int(i64("count"))
		ids := append([]int64(nil), s.posts...)
		sort.Slice(ids, func(a, b int) bool { return ids[a] > ids[b] })
		if count > 0 && len(ids) > count {
			ids = ids[:count]
		}
		items := make([]map[string]any, 0, len(ids))
		for _, id := range ids {
			items = append(items, map[string]any{"id": id, "owner_id": -s.GroupID, "from_id": -s.GroupID, "date": 1700000000 + id, "text": ""})
		}
		writeJSON(w, map[string]any{"response": map[string]any{"count": len(s.posts), "items": items}})
	case "newsfeed.search":
		s.newsfeedSearch(w, r)
	case "wall.getComments":
		s.getComments(w, r, i64("owner_id"), i64("post_id"), int(i64("count")), int(i64("offset")), r.FormValue("sort"))
	case "messages.send":
		peer, rnd := i64("peer_id"), i64("random_id")
		if peer == 0 || r.FormValue("random_id") == "" || r.FormValue("message") == "" {
			vkError(w, 100, "One of the parameters specified was missing or invalid: peer_id, random_id and message are required", r)
			return
		}
		k := fmt.Sprintf("%d/%d", peer, rnd)
		if id, dup := s.byRandom[k]; dup {
			writeJSON(w, map[string]any{"response": id})
			return
		}
		s.nextID++
		s.byRandom[k] = s.nextID
		s.sent = append(s.sent, SentMessage{ID: s.nextID, PeerID: peer, Message: r.FormValue("message"), RandomID: rnd})
		writeJSON(w, map[string]any{"response": s.nextID})
	case "wall.createComment":
		c := Comment{OwnerID: i64("owner_id"), PostID: i64("post_id"), Text: r.FormValue("message"),
			ReplyToComment: i64("reply_to_comment"), FromGroup: i64("from_group"), GUID: r.FormValue("guid"), Date: time.Now().Unix()}
		if c.GUID != "" {
			if id, dup := s.byGUID[c.GUID]; dup {
				writeJSON(w, map[string]any{"response": map[string]any{"comment_id": id, "parents_stack": []int64{}}})
				return
			}
		}
		c.FromID = i64("user_id")
		if c.FromGroup != 0 {
			c.FromID = -c.FromGroup
		}
		s.nextID++
		c.ID = s.nextID
		if c.GUID != "" {
			s.byGUID[c.GUID] = c.ID
		}
		s.comments = append(s.comments, c)
		writeJSON(w, map[string]any{"response": map[string]any{"comment_id": c.ID, "parents_stack": []int64{}}})
	case "wall.deleteComment":
		id := i64("comment_id")
		for i, c := range s.comments {
			if c.ID == id && c.OwnerID == i64("owner_id") {
				s.comments = append(s.comments[:i], s.comments[i+1:]...)
				s.deleted = append(s.deleted, id)
				writeJSON(w, map[string]any{"response": 1})
				return
			}
		}
		vkError(w, 100, "One of the parameters specified was missing or invalid: comment_id", r)
	default:
		vkError(w, 3, "Unknown method passed", r)
	}
}

func (s *Server) getComments(w http.ResponseWriter, r *http.Request, owner, post int64, count, offset int, order string) {
	var list []Comment
	for _, c := range s.comments {
		if c.OwnerID == owner && c.PostID == post {
			list = append(list, c)
		}
	}
	sort.Slice(list, func(a, b int) bool {
		if order == "desc" {
			return list[a].ID > list[b].ID
		}
		return list[a].ID < list[b].ID
	})
	total := len(list)
	if offset > len(list) {
		offset = len(list)
	}
	list = list[offset:]
	if count <= 0 {
		count = 10
	}
	if len(list) > count {
		list = list[:count]
	}
	var profiles []Profile
	seen := map[int64]bool{}
	for _, c := range list {
		if p, ok := s.profiles[c.FromID]; ok && !seen[c.FromID] {
			seen[c.FromID] = true
			profiles = append(profiles, p)
		}
	}
	resp := map[string]any{"count": total, "items": list, "current_level_count": total, "can_post": 1, "show_reply_button": 1}
	if r.FormValue("extended") == "1" {
		resp["profiles"] = profiles
		resp["groups"] = []map[string]any{{"id": s.GroupID, "name": s.GroupName, "screen_name": "acme"}}
	}
	writeJSON(w, map[string]any{"response": resp})
}

// matchSearch is newsfeed.search's q as far as the fake needs it: every word
// or "quoted phrase" found, case-folded, in the post.
func matchSearch(q, text string) bool {
	text = strings.ToLower(text)
	q = strings.ToLower(q)
	var need []string
	for i, part := range strings.Split(q, `"`) {
		if i%2 == 1 {
			need = append(need, strings.TrimSpace(part))
		} else {
			need = append(need, strings.Fields(part)...)
		}
	}
	found := false
	for _, n := range need {
		if n == "" {
			continue
		}
		if !strings.Contains(text, n) {
			return false
		}
		found = true
	}
	return found
}

// newsfeedSearch answers newsfeed.search; s.mu is held. next_from names the
// last post given, so posts arriving between pages shift nothing.
func (s *Server) newsfeedSearch(w http.ResponseWriter, r *http.Request) {
	i64 := func(k string) int64 { n, _ := strconv.ParseInt(r.FormValue(k), 10, 64); return n }
	count := int(i64("count"))
	if count <= 0 {
		count = 30
	}
	count = min(count, 200)
	start, end := i64("start_time"), i64("end_time")
	var list []NewsPost
	for _, p := range s.news {
		if !s.removed[fmt.Sprintf("%d_%d", p.OwnerID, p.ID)] && p.Date >= start && (end == 0 || p.Date <= end) && matchSearch(r.FormValue("q"), p.Text) {
			list = append(list, p)
		}
	}
	less := func(a, b NewsPost) bool { // newest first, ties by owner and id
		if a.Date != b.Date {
			return a.Date > b.Date
		}
		if a.OwnerID != b.OwnerID {
			return a.OwnerID > b.OwnerID
		}
		return a.ID > b.ID
	}
	sort.Slice(list, func(a, b int) bool { return less(list[a], list[b]) })
	total := len(list)
	list = list[:min(len(list), MaxSearchResults)]
	if from := r.FormValue("start_from"); from != "" {
		var last NewsPost
		if _, err := fmt.Sscanf(from, "%d/%d_%d", &last.Date, &last.OwnerID, &last.ID); err != nil {
			vkError(w, 100, "One of the parameters specified was missing or invalid: start_from", r)
			return
		}
		i := sort.Search(len(list), func(i int) bool { return less(last, list[i]) })
		list = list[i:]
	}
	next := ""
	if len(list) > count {
		list = list[:count]
		l := list[count-1]
		next = fmt.Sprintf("%d/%d_%d", l.Date, l.OwnerID, l.ID)
	}
	items := make([]map[string]any, 0, len(list))
	profiles, groups := []Profile{}, []Community{}
	seen := map[int64]bool{}
	for _, p := range list {
		items = append(items, map[string]any{"id": p.ID, "owner_id": p.OwnerID, "from_id": p.FromID, "date": p.Date,
			"post_type": "post", "text": p.Text, "comments": map[string]int{"count": p.Comments, "can_post": 1},
			"likes": map[string]int{"count": p.Likes}, "reposts": map[string]int{"count": p.Reposts}, "marked_as_ads": 0})
		for _, id := range []int64{p.FromID, p.OwnerID} {
			if seen[id] {
				continue
			}
			seen[id] = true
			fields := r.FormValue("fields")
			if pr, ok := s.profiles[id]; ok && id > 0 {
				if !strings.Contains(fields, "followers_count") {
					pr.FollowersCount = 0
				}
				profiles = append(profiles, pr)
			} else if g, ok := s.groups[-id]; ok && id < 0 {
				if !strings.Contains(fields, "members_count") {
					g.MembersCount = 0
				}
				groups = append(groups, g)
			}
		}
	}
	resp := map[string]any{"items": items, "count": len(items), "total_count": total}
	if next != "" {
		resp["next_from"] = next
	}
	if r.FormValue("extended") == "1" {
		resp["profiles"], resp["groups"] = profiles, groups
	}
	writeJSON(w, map[string]any{"response": resp})
}

func (s *Server) longPoll(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	wait, _ := strconv.Atoi(q.Get("wait"))
	deadline := time.After(time.Duration(wait) * time.Second)
	for {
		s.mu.Lock()
		s.calls["a_check"]++
		if s.injected(w, r, "a_check") {
			s.mu.Unlock()
			return
		}
		if q.Get("act") != "a_check" {
			s.mu.Unlock()
			http.Error(w, "act must be a_check", http.StatusBadRequest)
			return
		}
		if s.lost {
			s.lost = false
			s.mu.Unlock()
			writeJSON(w, map[string]any{"failed": 3})
			return
		}
		if q.Get("key") != s.key {
			s.mu.Unlock()
			writeJSON(w, map[string]any{"failed": 2})
			return
		}
		ts, err := strconv.Atoi(q.Get("ts"))
		if err != nil || ts > len(s.events)+1 {
			s.mu.Unlock()
			writeJSON(w, map[string]any{"failed": 3})
			return
		}
		if ts < s.floor {
			s.mu.Unlock()
			writeJSON(w, map[string]any{"failed": 1, "ts": s.floor})
			return
		}
		if ts <= len(s.events) || wait <= 0 {
			updates := append([]json.RawMessage{}, s.events[ts-1:]...)
			next := strconv.Itoa(len(s.events) + 1)
			s.mu.Unlock()
			writeJSON(w, map[string]any{"ts": next, "updates": updates})
			return
		}
		changed := s.changed
		s.calls["a_check"]-- // a wait is one call, not one per wake-up
		s.mu.Unlock()
		select {
		case <-changed:
		case <-deadline:
			wait = 0
		case <-r.Context().Done():
			return
		}
	}
}

// String describes the fake for test failure messages.
func (s *Server) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("vkfake{events:%d sent:%d comments:%d key:%s}", len(s.events), len(s.sent), len(s.comments), strings.Repeat("*", len(s.key)))
}
