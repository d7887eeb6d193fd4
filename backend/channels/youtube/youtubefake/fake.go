// Package youtubefake is a local stand-in for the parts of the YouTube Data
// API v3 Stormdesk uses: commentThreads.list (newest first, pageToken paging),
// comments.insert, comments.setModerationStatus and channels.list, and for
// brand listening search.list (type=video, order=date, publishedAfter,
// publishedBefore, pageToken, 100 units a page, about 500 results at most per query as
// YouTube stops paging there) and commentThreads.list by videoId. It answers
// with the documented resource shapes and error bodies
// ({"error":{"code","message","errors":[{"reason"}]}}), counts quota units per
// call, and lets tests inject 429 + Retry-After, 5xx, malformed bodies and
// revoked credentials.
package youtubefake

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Failure is one injected answer for the next call of a path ("/commentThreads" …).
type Failure struct {
	Status     int
	Reason     string // errors[0].reason
	RetryAfter string
	Body       string // raw body instead of an error document
}

// Comment is a comment held by the fake.
type Comment struct {
	ID               string
	AuthorName       string
	AuthorChannelID  string
	Text             string
	PublishedAt      time.Time
	ParentID         string
	ModerationStatus string
	Likes            int
}

// Video is a public video search.list can find.
type Video struct {
	ID           string
	ChannelID    string
	ChannelTitle string
	Title        string
	Description  string
	PublishedAt  time.Time
}

// MaxSearchResults is how far search.list pages for one query; YouTube
// stops giving a nextPageToken at about 500 results.
const MaxSearchResults = 500

// Thread is a top-level comment with its replies.
type Thread struct {
	ID      string
	VideoID string
	Top     Comment
	Replies []Comment
}

// Insert is a comments.insert the fake accepted.
type Insert struct {
	ParentID, TextOriginal string
}

// Server is the fake.
type Server struct {
	*httptest.Server
	ChannelID string

	mu       sync.Mutex
	keys     map[string]bool
	tokens   map[string]bool
	threads  []*Thread
	disabled map[string]bool
	fail     map[string][]Failure
	calls    map[string]int
	units    int
	budget   int
	inserts  []Insert
	statuses map[string]string
	n        int
	videos   []Video
	gone     map[string]bool // videos removed: commentThreads.list answers videoNotFound
	queries  []string
	// subscribers of other channels channels.list knows (part=statistics)
	subscribers map[string]int64
}

// New starts a fake for channelID accepting API keys and OAuth tokens.
func New(channelID string, keys, tokens []string) *Server {
	s := &Server{ChannelID: channelID, keys: map[string]bool{}, tokens: map[string]bool{}, disabled: map[string]bool{},
		fail: map[string][]Failure{}, calls: map[string]int{}, statuses: map[string]string{}, gone: map[string]bool{}, subscribers: map[string]int64{}}
	for _, k := range keys {
		s.keys[k] = true
	}
	for _, t := range tokens {
		s.tokens[t] = true
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /youtube/v3/commentThreads", s.handle("/commentThreads", 1, false, s.listThreads))
	mux.HandleFunc("POST /youtube/v3/comments", s.handle("/comments", 50, true, s.insert))
	mux.HandleFunc("POST /youtube/v3/comments/setModerationStatus", s.handle("/comments/setModerationStatus", 50, true, s.moderate))
	mux.HandleFunc("GET /youtube/v3/channels", s.handle("/channels", 1, false, s.channels))
	mux.HandleFunc("GET /youtube/v3/search", s.handle("/search", 100, false, s.search))
	s.Server = httptest.NewServer(mux)
	return s
}

// BaseURL is the API base to give the client.
func (s *Server) BaseURL() string { return s.URL + "/youtube/v3" }

// AddThread stores a thread (ids of replies default to "<thread>.<n>").
func (s *Server) AddThread(t Thread) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t.Top.ID = t.ID
	for i := range t.Replies {
		if t.Replies[i].ID == "" {
			t.Replies[i].ID = fmt.Sprintf("%s.r%d", t.ID, i+1)
		}
		t.Replies[i].ParentID = t.ID
	}
	s.threads = append(s.threads, &t)
}

// AddVideo makes a public video findable by search.list.
func (s *Server) AddVideo(v Video) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.videos = append(s.videos, v)
}

// AddChannel makes channels.list know a channel with its subscriber count.
func (s *Server) AddChannel(id string, subscribers int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.subscribers[id] = subscribers
}

// RemoveVideo deletes a video: search no longer finds it and
// commentThreads.list on it answers 404 videoNotFound.
func (s *Server) RemoveVideo(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gone[id] = true
}

// Queries lists the q parameters search.list received.
func (s *Server) Queries() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.queries...)
}

// DisableComments makes comments.insert on videoID, and commentThreads.list
// by videoId, fail with commentsDisabled.
func (s *Server) DisableComments(videoID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.disabled[videoID] = true
}

// FailNext queues failures for path.
func (s *Server) FailNext(path string, f ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail[path] = append(s.fail[path], f...)
}

// Revoke invalidates a key or token.
func (s *Server) Revoke(cred string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[cred], s.tokens[cred] = false, false
}

// SetBudget makes calls fail with quotaExceeded once budget units are spent.
func (s *Server) SetBudget(units int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.budget = units
}

// Units is how many quota units calls have cost.
func (s *Server) Units() int { s.mu.Lock(); defer s.mu.Unlock(); return s.units }

// Calls is how many calls reached path.
func (s *Server) Calls(path string) int { s.mu.Lock(); defer s.mu.Unlock(); return s.calls[path] }

// Inserts lists accepted comments.insert calls.
func (s *Server) Inserts() []Insert {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Insert(nil), s.inserts...)
}

// Status is a comment's moderation status ("" = never moderated).
func (s *Server) Status(id string) string { s.mu.Lock(); defer s.mu.Unlock(); return s.statuses[id] }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func apiError(w http.ResponseWriter, status int, reason, msg string) {
	domain := "youtube.commentThread"
	if reason == "quotaExceeded" {
		domain = "youtube.quota"
	}
	writeJSON(w, status, map[string]any{"error": map[string]any{
		"code": status, "message": msg,
		"errors": []map[string]string{{"message": msg, "domain": domain, "reason": reason}},
	}})
}

func (s *Server) handle(path string, cost int, write bool, h func(http.ResponseWriter, *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.calls[path]++
		if q := s.fail[path]; len(q) > 0 {
			f := q[0]
			s.fail[path] = q[1:]
			s.mu.Unlock()
			switch {
			case f.Body != "":
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(f.Body))
			default:
				if f.RetryAfter != "" {
					w.Header().Set("Retry-After", f.RetryAfter)
				}
				reason := f.Reason
				if reason == "" {
					reason = "backendError"
				}
				apiError(w, f.Status, reason, "injected "+reason)
			}
			return
		}
		bearer, hasBearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		key := r.URL.Query().Get("key")
		switch {
		case hasBearer && !s.tokens[bearer], !hasBearer && !s.keys[key] && !write:
			s.mu.Unlock()
			apiError(w, http.StatusUnauthorized, "authError", "Request had invalid authentication credentials.")
			return
		case write && !hasBearer:
			s.mu.Unlock()
			apiError(w, http.StatusUnauthorized, "required", "Login Required.")
			return
		}
		if s.budget > 0 && s.units+cost > s.budget {
			s.mu.Unlock()
			apiError(w, http.StatusForbidden, "quotaExceeded", "The request cannot be completed because you have exceeded your quota.")
			return
		}
		s.units += cost
		s.mu.Unlock()
		h(w, r)
	}
}

func (c Comment) resource(channelID, videoID string) map[string]any {
	sn := map[string]any{
		"authorDisplayName": c.AuthorName, "authorChannelUrl": "http://www.youtube.com/" + c.AuthorName,
		"authorChannelId": map[string]string{"value": c.AuthorChannelID}, "channelId": channelID, "videoId": videoID,
		"textDisplay": c.Text, "textOriginal": c.Text, "canRate": true, "viewerRating": "none", "likeCount": c.Likes,
		"publishedAt": c.PublishedAt.UTC().Format(time.RFC3339), "updatedAt": c.PublishedAt.UTC().Format(time.RFC3339),
	}
	if c.ParentID != "" {
		sn["parentId"] = c.ParentID
	}
	return map[string]any{"kind": "youtube#comment", "etag": "e" + c.ID, "id": c.ID, "snippet": sn}
}

func (s *Server) listThreads(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !strings.Contains(q.Get("part"), "snippet") {
		apiError(w, http.StatusBadRequest, "invalidPart", "part must include snippet")
		return
	}
	video := q.Get("videoId")
	switch {
	case video != "" && q.Get("allThreadsRelatedToChannelId") != "":
		apiError(w, http.StatusBadRequest, "incompatibleParameters", "Only one of allThreadsRelatedToChannelId, channelId, id and videoId may be given.")
		return
	case video != "":
		s.mu.Lock()
		gone, known, disabled := s.gone[video], false, s.disabled[video]
		for _, v := range s.videos {
			known = known || v.ID == video
		}
		for _, t := range s.threads {
			known = known || t.VideoID == video
		}
		s.mu.Unlock()
		if gone || !known {
			apiError(w, http.StatusNotFound, "videoNotFound", "The video identified by the videoId parameter could not be found.")
			return
		}
		if disabled {
			apiError(w, http.StatusForbidden, "commentsDisabled", "The video identified by the videoId parameter has disabled comments.")
			return
		}
	case q.Get("allThreadsRelatedToChannelId") != s.ChannelID:
		apiError(w, http.StatusNotFound, "channelNotFound", "The channel could not be found.")
		return
	}
	max, off, ok := paging(w, q, 20, 1, 100, "p")
	if !ok {
		return
	}
	s.mu.Lock()
	list := make([]*Thread, 0, len(s.threads))
	for _, t := range s.threads {
		if (s.statuses[t.ID] == "" || s.statuses[t.ID] == "published") && (video == "" || t.VideoID == video) {
			list = append(list, t)
		}
	}
	// order=time: newest top-level comment first.
	sort.SliceStable(list, func(a, b int) bool { return list[a].Top.PublishedAt.After(list[b].Top.PublishedAt) })
	total := len(list)
	if off > len(list) {
		off = len(list)
	}
	list = list[off:]
	next := ""
	if len(list) > max {
		list = list[:max]
		next = "p" + strconv.Itoa(off+max)
	}
	items := make([]map[string]any, 0, len(list))
	for _, t := range list {
		th := map[string]any{"kind": "youtube#commentThread", "etag": "t" + t.ID, "id": t.ID, "snippet": map[string]any{
			"channelId": s.ChannelID, "videoId": t.VideoID, "topLevelComment": t.Top.resource(s.ChannelID, t.VideoID),
			"canReply": true, "totalReplyCount": len(t.Replies), "isPublic": true,
		}}
		if len(t.Replies) > 0 && strings.Contains(q.Get("part"), "replies") {
			var rs []map[string]any
			for _, c := range t.Replies {
				rs = append(rs, c.resource(s.ChannelID, t.VideoID))
			}
			th["replies"] = map[string]any{"comments": rs}
		}
		items = append(items, th)
	}
	s.mu.Unlock()
	resp := map[string]any{"kind": "youtube#commentThreadListResponse", "etag": "list",
		"pageInfo": map[string]int{"totalResults": total, "resultsPerPage": max}, "items": items}
	if next != "" {
		resp["nextPageToken"] = next
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) insert(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Snippet struct {
			ParentID     string `json:"parentId"`
			TextOriginal string `json:"textOriginal"`
		} `json:"snippet"`
	}
	if r.URL.Query().Get("part") != "snippet" || json.NewDecoder(r.Body).Decode(&body) != nil || body.Snippet.TextOriginal == "" {
		apiError(w, http.StatusBadRequest, "invalidCommentMetadata", "The request metadata is invalid.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.threads {
		if t.ID != body.Snippet.ParentID {
			continue
		}
		if s.disabled[t.VideoID] {
			apiError(w, http.StatusForbidden, "commentsDisabled", "The video identified by the videoId parameter has disabled comments.")
			return
		}
		s.n++
		c := Comment{ID: fmt.Sprintf("%s.reply%d", t.ID, s.n), AuthorName: "@brand", AuthorChannelID: s.ChannelID,
			Text: body.Snippet.TextOriginal, PublishedAt: time.Now().UTC().Truncate(time.Second), ParentID: t.ID}
		t.Replies = append(t.Replies, c)
		s.inserts = append(s.inserts, Insert{ParentID: body.Snippet.ParentID, TextOriginal: body.Snippet.TextOriginal})
		writeJSON(w, http.StatusOK, c.resource(s.ChannelID, t.VideoID))
		return
	}
	apiError(w, http.StatusNotFound, "parentCommentNotFound", "The parent comment could not be found.")
}

func (s *Server) moderate(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	status := q.Get("moderationStatus")
	if status != "heldForReview" && status != "published" && status != "rejected" {
		apiError(w, http.StatusBadRequest, "invalidModerationStatus", "invalid moderationStatus")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range strings.Split(q.Get("id"), ",") {
		found := false
		for _, t := range s.threads {
			if t.ID == id {
				found = true
			}
			for _, c := range t.Replies {
				found = found || c.ID == id
			}
		}
		if !found {
			apiError(w, http.StatusNotFound, "commentNotFound", "The comment could not be found.")
			return
		}
		s.statuses[id] = status
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) channels(w http.ResponseWriter, r *http.Request) {
	items := []map[string]any{}
	ids := strings.Split(r.URL.Query().Get("id"), ",")
	if len(ids) > 50 {
		apiError(w, http.StatusBadRequest, "invalidValue", "id holds more than 50 channels")
		return
	}
	s.mu.Lock()
	for _, id := range ids {
		subs, known := s.subscribers[id]
		if id != s.ChannelID && !known {
			continue
		}
		c := map[string]any{"kind": "youtube#channel", "etag": "c", "id": id}
		if strings.Contains(r.URL.Query().Get("part"), "statistics") {
			// The API gives counts as strings, subscribers rounded to three digits.
			c["statistics"] = map[string]any{"subscriberCount": strconv.FormatInt(subs, 10), "hiddenSubscriberCount": false, "videoCount": "12", "viewCount": "34567"}
		}
		items = append(items, c)
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"kind": "youtube#channelListResponse", "pageInfo": map[string]int{"totalResults": len(items), "resultsPerPage": 5}, "items": items})
}

// matchQuery is search.list's q as far as the fake needs it: alternatives
// separated by "|", each a word or a "quoted phrase" found, case-folded, in
// the title or description.
func matchQuery(q string, v Video) bool {
	text := strings.ToLower(v.Title + "\n" + v.Description)
	for _, alt := range strings.Split(q, "|") {
		alt = strings.ToLower(strings.Trim(strings.TrimSpace(alt), `"`))
		if alt != "" && strings.Contains(text, alt) {
			return true
		}
	}
	return false
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("part") != "snippet" {
		apiError(w, http.StatusBadRequest, "invalidPart", "part must be snippet")
		return
	}
	if q.Get("type") != "video" || q.Get("order") != "date" {
		apiError(w, http.StatusBadRequest, "invalidSearchFilter", "the fake answers type=video&order=date only")
		return
	}
	var after, before time.Time
	for name, t := range map[string]*time.Time{"publishedAfter": &after, "publishedBefore": &before} {
		if v := q.Get(name); v != "" {
			p, err := time.Parse(time.RFC3339, v)
			if err != nil {
				apiError(w, http.StatusBadRequest, "invalid"+strings.ToUpper(name[:1])+name[1:], name+" must be an RFC 3339 date-time")
				return
			}
			*t = p
		}
	}
	max, off, ok := paging(w, q, 5, 0, 50, "CAUQ")
	if !ok {
		return
	}
	s.mu.Lock()
	s.queries = append(s.queries, q.Get("q"))
	var list []Video
	for _, v := range s.videos {
		if !s.gone[v.ID] && !v.PublishedAt.Before(after) && (before.IsZero() || v.PublishedAt.Before(before)) && matchQuery(q.Get("q"), v) {
			list = append(list, v)
		}
	}
	s.mu.Unlock()
	sort.SliceStable(list, func(a, b int) bool { return list[a].PublishedAt.After(list[b].PublishedAt) })
	total := len(list)
	list = list[:min(len(list), MaxSearchResults)]
	list = list[min(off, len(list)):]
	next := ""
	if len(list) > max {
		list = list[:max]
		next = "CAUQ" + strconv.Itoa(off+max)
	}
	items := make([]map[string]any, 0, len(list))
	for _, v := range list {
		at := v.PublishedAt.UTC().Format(time.RFC3339)
		items = append(items, map[string]any{"kind": "youtube#searchResult", "etag": "s" + v.ID,
			"id": map[string]string{"kind": "youtube#video", "videoId": v.ID},
			"snippet": map[string]any{"publishedAt": at, "publishTime": at, "channelId": v.ChannelID, "channelTitle": v.ChannelTitle,
				// YouTube escapes HTML in search snippets and cuts descriptions short.
				"title": html.EscapeString(v.Title), "description": html.EscapeString(truncate(v.Description, 160)),
				"liveBroadcastContent": "none"}})
	}
	resp := map[string]any{"kind": "youtube#searchListResponse", "etag": "search", "regionCode": "DE",
		"pageInfo": map[string]int{"totalResults": total, "resultsPerPage": max}, "items": items}
	if next != "" {
		resp["nextPageToken"] = next
	}
	writeJSON(w, http.StatusOK, resp)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// paging reads maxResults (def when absent, lo..hi) and a pageToken of the
// form prefix+offset, answering 400 as YouTube does when either is invalid.
func paging(w http.ResponseWriter, q url.Values, def, lo, hi int, prefix string) (max, off int, ok bool) {
	max = def
	if v := q.Get("maxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			apiError(w, http.StatusBadRequest, "invalidValue", fmt.Sprintf("maxResults must be %d..%d", lo, hi))
			return 0, 0, false
		}
		max = n
	}
	if tok := q.Get("pageToken"); tok != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(tok, prefix))
		if err != nil || !strings.HasPrefix(tok, prefix) || n < 0 {
			apiError(w, http.StatusBadRequest, "invalidPageToken", "The request specifies an invalid page token.")
			return 0, 0, false
		}
		off = n
	}
	return max, off, true
}
