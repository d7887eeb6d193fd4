// Package rssfake is a local web server that serves feeds the way sites do,
// for tests of the feed reader: ETag and Last-Modified validators with
// conditional GET (If-None-Match first, then If-Modified-Since, as RFC 9110
// orders them), 304 Not Modified, sites that send no validators, sites that
// refuse Go's default User-Agent, 429/503 with Retry-After, and any body
// a test gives it, broken or not.
package rssfake

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Feed is what the fake serves at one path.
type Feed struct {
	Body        string
	ContentType string // "" = application/rss+xml; charset=utf-8
	// Modified is the Last-Modified time; zero = the time it was set.
	Modified time.Time
	// NoValidators sends neither ETag nor Last-Modified, as many small
	// sites do; every fetch is then a full 200.
	NoValidators bool
}

// Failure is one injected answer for the next request of a path.
type Failure struct {
	Status     int
	RetryAfter string
}

// Server is the fake. All methods are safe for concurrent use.
type Server struct {
	*httptest.Server

	mu       sync.Mutex
	feeds    map[string]Feed
	fail     map[string][]Failure
	hits     map[string]int
	notMod   map[string]int
	agents   []string
	refuseGo bool
}

// New starts a fake with no feeds.
func New() *Server {
	s := &Server{feeds: map[string]Feed{}, fail: map[string][]Failure{}, hits: map[string]int{}, notMod: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// SetFeed serves f at path (replacing what was there).
func (s *Server) SetFeed(path string, f Feed) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Modified.IsZero() {
		f.Modified = time.Now()
	}
	if f.ContentType == "" {
		f.ContentType = "application/rss+xml; charset=utf-8"
	}
	s.feeds[path] = f
}

// FailNext queues failures for path.
func (s *Server) FailNext(path string, f ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail[path] = append(s.fail[path], f...)
}

// RefuseGoClient answers 403 to Go's default User-Agent, as some sites do.
func (s *Server) RefuseGoClient() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuseGo = true
}

// Hits is how many requests reached path; NotModified how many got a 304.
func (s *Server) Hits(path string) int { s.mu.Lock(); defer s.mu.Unlock(); return s.hits[path] }

// NotModified is how many requests of path were answered 304.
func (s *Server) NotModified(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.notMod[path]
}

// UserAgents lists the User-Agent of every request.
func (s *Server) UserAgents() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.agents...)
}

func etag(body string) string {
	h := sha256.Sum256([]byte(body))
	return `"` + hex.EncodeToString(h[:8]) + `"`
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	path := r.URL.Path
	s.hits[path]++
	s.agents = append(s.agents, r.UserAgent())
	if q := s.fail[path]; len(q) > 0 {
		f := q[0]
		s.fail[path] = q[1:]
		s.mu.Unlock()
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		http.Error(w, http.StatusText(f.Status), f.Status)
		return
	}
	if s.refuseGo && strings.HasPrefix(r.UserAgent(), "Go-http-client") {
		s.mu.Unlock()
		http.Error(w, "Forbidden", http.StatusForbidden)
		return
	}
	f, ok := s.feeds[path]
	if !ok {
		s.mu.Unlock()
		http.NotFound(w, r)
		return
	}
	if !f.NoValidators {
		tag, mod := etag(f.Body), f.Modified.UTC().Truncate(time.Second)
		w.Header().Set("ETag", tag)
		w.Header().Set("Last-Modified", mod.Format(http.TimeFormat))
		inm, ims := r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
		notModified := false
		if inm != "" {
			notModified = inm == tag || inm == "*"
		} else if t, err := http.ParseTime(ims); err == nil {
			notModified = !mod.After(t)
		}
		if notModified {
			s.notMod[path]++
			s.mu.Unlock()
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", f.ContentType)
	_, _ = w.Write([]byte(f.Body))
}
