// Package hnfake is a local copy of the Hacker News search API (Algolia,
// hn.algolia.com/api/v1) for the listening source's tests:
//
//   - GET /api/v1/search_by_date: query (every word must match), tags
//     (comma = AND, parentheses = OR: "(story,comment)"), numericFilters
//     (comma-separated created_at_i / points / num_comments conditions with
//     <, <=, =, >=, >), hitsPerPage (20 by default, at most 1000), page.
//     Answers {hits, nbHits, page, nbPages, hitsPerPage, exhaustiveNbHits,
//     query, params} newest first. Like Algolia it pages through the first
//     1000 hits only (paginationLimitedTo): later pages are empty and
//     nbPages stops there, which is why clients move created_at_i instead.
//   - No authentication and no rate-limit headers; errors are {"message",
//     "status"}. Past Limit requests in an hour (HN: 10,000 per address) it
//     answers 429 with Retry-After, the seconds left of the hour (whether
//     Algolia sends Retry-After is not documented; the client backs off
//     without it).
//   - Deleted items leave the index.
package hnfake

import (
	"fmt"
	"math"
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

// Item is a story or a comment.
type Item struct {
	ID         int
	Story      bool // false: a comment on StoryID
	Author     string
	Title      string // stories
	URL        string // stories
	Text       string // HTML: story_text or comment_text
	Created    time.Time
	Points     int // stories
	Comments   int // stories
	StoryID    int // comments
	StoryTitle string
}

// Server is a fake HN search API.
type Server struct {
	*httptest.Server
	apifake.Kit

	// Now and Limit are the clock and the requests allowed per hour.
	Now   func() time.Time
	Limit int

	mu          sync.Mutex
	items       []Item // ascending Created
	used        int
	windowStart time.Time
}

// New starts a fake.
func New() *Server {
	s := &Server{Now: time.Now, Limit: 10000}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	return s
}

// Add indexes items.
func (s *Server) Add(items ...Item) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items = append(s.items, items...)
	slices.SortStableFunc(s.items, func(a, b Item) int { return a.Created.Compare(b.Created) })
}

// Delete removes item id from the index.
func (s *Server) Delete(id int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items = slices.DeleteFunc(s.items, func(it Item) bool { return it.ID == id })
}

func fail(w http.ResponseWriter, code int, msg string) {
	apifake.WriteJSON(w, code, map[string]any{"message": msg, "status": code})
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	s.Record(r)
	if s.Serve(w, r) {
		return
	}
	if wait, ok := s.count(); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)))
		fail(w, 429, "Too many requests")
		return
	}
	if r.Method != http.MethodGet || r.URL.Path != "/api/v1/search_by_date" {
		fail(w, 404, "Not Found")
		return
	}
	q := r.URL.Query()
	conds, err := numericFilters(q.Get("numericFilters"))
	if err != nil {
		fail(w, 400, err.Error())
		return
	}
	hpp := 20
	if v := q.Get("hitsPerPage"); v != "" {
		if hpp, err = strconv.Atoi(v); err != nil || hpp < 0 {
			fail(w, 400, "Invalid value for hitsPerPage")
			return
		}
		hpp = min(hpp, 1000)
	}
	page, _ := strconv.Atoi(q.Get("page"))
	words := strings.Fields(strings.ToLower(q.Get("query")))
	tags := tagGroups(q.Get("tags"))

	s.mu.Lock()
	var hits []Item
	for i := len(s.items) - 1; i >= 0; i-- {
		it := s.items[i]
		if matches(it, words, tags, conds) {
			hits = append(hits, it)
		}
	}
	s.mu.Unlock()

	reachable := min(len(hits), 1000)
	nbPages := 0
	if hpp > 0 {
		nbPages = int(math.Ceil(float64(reachable) / float64(hpp)))
	}
	out := []any{}
	if hpp > 0 && page >= 0 {
		start := min(page*hpp, reachable)
		for _, it := range hits[start:min(reachable, start+hpp)] {
			out = append(out, hit(it))
		}
	}
	apifake.WriteJSON(w, 200, map[string]any{
		"hits": out, "nbHits": len(hits), "page": page, "nbPages": nbPages, "hitsPerPage": hpp,
		"exhaustiveNbHits": true, "query": q.Get("query"), "params": r.URL.RawQuery, "processingTimeMS": 1,
	})
}

// count counts a request in the hour; false and the wait when it is spent.
func (s *Server) count() (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Now()
	if s.windowStart.IsZero() || now.Sub(s.windowStart) >= time.Hour {
		s.windowStart, s.used = now, 0
	}
	s.used++
	return s.windowStart.Add(time.Hour).Sub(now), s.used <= s.Limit
}

type cond struct {
	field, op string
	value     int64
}

var condRe = regexp.MustCompile(`^\s*(created_at_i|points|num_comments)\s*(<=|>=|<|>|=)\s*(-?\d+)\s*$`)

func numericFilters(v string) ([]cond, error) {
	var out []cond
	if v == "" {
		return nil, nil
	}
	for _, part := range strings.Split(v, ",") {
		m := condRe.FindStringSubmatch(part)
		if m == nil {
			return nil, fmt.Errorf("invalid numericFilters: %q", part)
		}
		n, _ := strconv.ParseInt(m[3], 10, 64)
		out = append(out, cond{m[1], m[2], n})
	}
	return out, nil
}

// tagGroups reads "a,(b,c)" as [[a] [b c]]: every group must have a tag.
func tagGroups(v string) [][]string {
	var out [][]string
	depth, start := 0, 0
	flush := func(s string) {
		s = strings.Trim(strings.TrimSpace(s), "()")
		if s != "" {
			out = append(out, strings.Split(s, ","))
		}
	}
	for i, r := range v {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				flush(v[start:i])
				start = i + 1
			}
		}
	}
	flush(v[start:])
	return out
}

var tagStrip = regexp.MustCompile(`<[^>]*>`)

func matches(it Item, words []string, tags [][]string, conds []cond) bool {
	kind := "comment"
	if it.Story {
		kind = "story"
	}
	own := []string{kind, "author_" + it.Author, "story_" + strconv.Itoa(storyID(it))}
	for _, g := range tags {
		if !slices.ContainsFunc(g, func(t string) bool { return slices.Contains(own, t) }) {
			return false
		}
	}
	for _, c := range conds {
		var v int64
		switch c.field {
		case "created_at_i":
			v = it.Created.Unix()
		case "points":
			v = int64(it.Points)
		case "num_comments":
			v = int64(it.Comments)
		}
		ok := map[string]bool{"<": v < c.value, "<=": v <= c.value, "=": v == c.value, ">=": v >= c.value, ">": v > c.value}[c.op]
		if !ok {
			return false
		}
	}
	text := strings.ToLower(it.Title + " " + it.URL + " " + tagStrip.ReplaceAllString(it.Text, " "))
	return !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(text, w) })
}

func storyID(it Item) int {
	if it.Story {
		return it.ID
	}
	return it.StoryID
}

func hit(it Item) map[string]any {
	id := strconv.Itoa(it.ID)
	h := map[string]any{
		"objectID": id, "author": it.Author, "created_at": it.Created.UTC().Format("2006-01-02T15:04:05Z"),
		"created_at_i": it.Created.Unix(), "story_id": storyID(it), "updated_at": it.Created.UTC().Format("2006-01-02T15:04:05Z"),
	}
	if it.Story {
		h["_tags"] = []string{"story", "author_" + it.Author, "story_" + id}
		h["title"], h["url"], h["points"], h["num_comments"] = it.Title, it.URL, it.Points, it.Comments
		h["story_text"] = nil
		if it.Text != "" {
			h["story_text"] = it.Text
		}
	} else {
		h["_tags"] = []string{"comment", "author_" + it.Author, "story_" + strconv.Itoa(it.StoryID)}
		h["comment_text"], h["story_title"], h["parent_id"] = it.Text, it.StoryTitle, it.StoryID
		h["points"], h["num_comments"] = nil, nil
	}
	return h
}
