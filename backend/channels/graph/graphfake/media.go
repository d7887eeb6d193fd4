package graphfake

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Media is a file the fake serves at the URLs it issues (IssueMediaURL):
// WhatsApp's media host, which wants the bearer token and whose URLs live
// five minutes, or Messenger's and Instagram's CDN, whose signed links need
// no token and lapse (403).
type Media struct {
	Bytes    []byte
	MimeType string
	// NeedsToken makes the host require a valid access token (WhatsApp);
	// without it the fake answers 401 with the error envelope.
	NeedsToken bool
	// URLTTL is how long an issued URL works; 0 = forever. After it the
	// host answers 404 (with a token, as WhatsApp's) or 403 (a CDN link).
	URLTTL time.Duration
}

// SHA256 is the hex SHA-256 of the media, as WhatsApp's media answer gives it.
func (m Media) SHA256() string {
	s := sha256.Sum256(m.Bytes)
	return hex.EncodeToString(s[:])
}

type issuedURL struct {
	key     string
	expires time.Time // zero = never
}

// AddMedia stores m under key (replacing what was there).
func (b *Base) AddMedia(key string, m Media) {
	b.Lock()
	b.media[key] = m
	b.Unlock()
}

// RemoveMedia deletes the media under key: its URLs answer 404.
func (b *Base) RemoveMedia(key string) { b.Lock(); delete(b.media, key); b.Unlock() }

// MediaOf returns the media under key.
func (b *Base) MediaOf(key string) (Media, bool) {
	b.Lock()
	defer b.Unlock()
	m, ok := b.media[key]
	return m, ok
}

// IssueMediaURL returns a new URL of the media under key, valid for its URLTTL from now.
func (b *Base) IssueMediaURL(key string) string {
	b.Lock()
	defer b.Unlock()
	b.trace++
	id := "u" + strconv.Itoa(b.trace)
	u := issuedURL{key: key}
	now := b.now()
	if m := b.media[key]; m.URLTTL > 0 {
		u.expires = now.Add(m.URLTTL)
	}
	b.issued[id] = u
	// Meta's links carry signature parameters; the fake's only look alike.
	return fmt.Sprintf("%s/media/%s?ext=%d", b.srv.URL, id, now.Unix())
}

// serveMedia answers GET /media/{issued-id}. Injected failures are taken
// from "GET media" (e.g. a bare 429 with Retry-After).
func (b *Base) serveMedia(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/media/")
	b.Lock()
	b.calls = append(b.calls, r.Method+" /media")
	f, failing := b.popFail("GET media")
	u, issued := b.issued[id]
	m, exists := b.media[u.key]
	now := b.now()
	b.Unlock()
	if failing {
		b.writeError(w, 0, f)
		return
	}
	if r.Method != http.MethodGet {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	if m.NeedsToken || !exists {
		raw := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if _, f, ok := b.auth(raw); !ok && (m.NeedsToken || raw != "") {
			b.writeError(w, http.StatusUnauthorized, f)
			return
		}
	}
	lapsed := !u.expires.IsZero() && !now.Before(u.expires)
	switch {
	case !issued || !exists || (lapsed && m.NeedsToken):
		http.NotFound(w, r)
		return
	case lapsed:
		http.Error(w, "URL signature expired", http.StatusForbidden)
		return
	}
	w.Header().Set("Content-Type", m.MimeType)
	w.Header().Set("Content-Length", strconv.Itoa(len(m.Bytes)))
	_, _ = w.Write(m.Bytes)
}
