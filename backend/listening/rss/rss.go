// Package rss listens to one RSS 2.0, RSS 1.0 (RDF) or Atom 1.0 feed: Google
// Alerts, review sites, news, blogs. It fetches with ETag and
// If-Modified-Since (304 = nothing new), gives each entry once (by its id and
// by its link), reduces HTML to text and reads broken feeds as far as they
// go. A feed cannot be searched, so the Request's terms are ignored and the
// poller's local matching decides; nor can it be answered (ReplyTo is nil).
package rss

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/listening"
)

// maxBody caps a feed read into memory.
const maxBody = 8 << 20

// DefaultUserAgent names the reader; some sites refuse Go's default one.
const DefaultUserAgent = "Stormdesk feed reader (+https://github.com/stormdesk/stormdesk)"

// Config configures a Source.
type Config struct {
	URL        string // the feed's address (http or https)
	HTTPClient *http.Client
	UserAgent  string // "" = DefaultUserAgent
	// SeenKept bounds how many entry ids and links the cursor remembers;
	// 0 = 2000, enough for feeds of up to about a thousand entries.
	SeenKept int
	Retry    channels.Retry
	Logger   *slog.Logger
	Now      func() time.Time // nil = time.Now
}

// Source is one feed. It implements listening.Source.
type Source struct {
	cfg  Config
	feed *url.URL
	http *http.Client
	log  *slog.Logger
}

var _ listening.Source = (*Source)(nil)

// New checks the address; it does no I/O.
func New(cfg Config) (*Source, error) {
	u, err := url.Parse(strings.TrimSpace(cfg.URL))
	if err != nil || !listening.WebAddress(u) {
		// Redacted: a private feed's address carries its token in the query.
		return nil, fmt.Errorf("rss: %q is not an http or https address", channels.Redact(cfg.URL))
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if cfg.SeenKept <= 0 {
		cfg.SeenKept = 2000
	}
	cfg.Retry = cfg.Retry.WithDefaults()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Source{cfg: cfg, feed: u, http: cfg.HTTPClient, log: cfg.Logger}, nil
}

// Name is listening.SourceRSS.
func (s *Source) Name() string { return listening.SourceRSS }

// cursor is what the feed said last time (for a conditional GET) and the
// digests of the ids and links of the entries given, newest first.
type cursor struct {
	ETag         string   `json:"etag,omitempty"`
	LastModified string   `json:"lastModified,omitempty"`
	Seen         []string `json:"seen,omitempty"`
}

// answer is one fetch: 304 (notModified) or a body with its validators.
type answer struct {
	notModified   bool
	body          []byte
	contentType   string
	etag, lastMod string
}

// Search fetches the feed and gives the entries not given before.
func (s *Source) Search(ctx context.Context, r listening.Request) (listening.Page, error) {
	var cur cursor
	if err := channels.DecodeCursor("rss", r.Cursor, &cur); err != nil {
		return listening.Page{}, err
	}
	var a answer
	err := s.cfg.Retry.Do(ctx, true, func() (err error) {
		a, err = s.fetch(ctx, cur)
		return err
	})
	if err != nil {
		return listening.Page{}, fmt.Errorf("rss %s: %w", channels.Redact(s.feed.Redacted()), err)
	}
	page := listening.Page{Cursor: r.Cursor, Limits: listening.Limits{Remaining: -1}}
	if a.notModified {
		return page, nil
	}
	now := s.cfg.Now().UTC()
	f, err := Parse(a.body, a.contentType, s.feed, now)
	if err != nil {
		reason := "not-a-feed"
		var fe *FormatError
		if errors.As(err, &fe) {
			reason = fe.Reason
		}
		return listening.Page{}, apperr.FeedUnreadable(reason, fmt.Errorf("rss %s: %w", channels.Redact(s.feed.Redacted()), err))
	}
	if f.TTL > 0 {
		page.Limits.NextPoll = now.Add(f.TTL)
	}
	seen := map[string]bool{}
	for _, k := range cur.Seen {
		seen[k] = true
	}
	var fresh []string
	for _, e := range f.Entries {
		keys := []string{digest(e.key())}
		if l := digest("link:" + e.Link); e.Link != "" && l != keys[0] {
			keys = append(keys, l)
		}
		if slices.ContainsFunc(keys, func(k string) bool { return seen[k] }) {
			continue
		}
		for _, k := range keys {
			seen[k] = true
		}
		fresh = append(fresh, keys...)
		if r.Cursor == "" && !r.Since.IsZero() && !e.Published.IsZero() && e.Published.Before(r.Since) {
			continue // older than the topic wants: remembered, not given
		}
		page.Mentions = append(page.Mentions, s.mention(e, now))
	}
	cur.ETag, cur.LastModified = a.etag, a.lastMod
	cur.Seen = append(fresh, cur.Seen...)
	if len(cur.Seen) > s.cfg.SeenKept {
		cur.Seen = cur.Seen[:s.cfg.SeenKept]
	}
	page.Cursor = channels.EncodeCursor(cur)
	return page, nil
}

// digest shortens an entry key for the cursor, which is stored at every
// poll: 2,000 full links would be hundreds of kilobytes. 64 bits make a
// collision among a feed's few thousand keys practically impossible.
func digest(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:8])
}

func (s *Source) mention(e Entry, now time.Time) listening.Mention {
	m := listening.Mention{
		Source: listening.SourceRSS, ExternalID: s.externalID(e), URL: e.Link,
		Author: e.Author, AuthorURL: e.AuthorURL, Title: e.Title, Text: e.Text, Lang: e.Lang,
		Published: e.Published, Replies: -1, Reactions: -1,
	}
	if m.Published.IsZero() {
		m.Published = now // no usable date: dated when first seen
	}
	if m.Text == "" {
		m.Text = m.Title
	}
	return m
}

// externalID is unique across feeds: a global id (a URL, a tag: or urn: URI,
// anything with a scheme) as given, a bare one ("42") prefixed with the feed's
// address.
func (s *Source) externalID(e Entry) string {
	k := e.key()
	if id, ok := strings.CutPrefix(k, "id:"); ok {
		if strings.Contains(id, ":") {
			return id
		}
		return s.feed.String() + "#" + id
	}
	if l, ok := strings.CutPrefix(k, "link:"); ok {
		return l
	}
	return s.feed.String() + "#" + k
}

func (s *Source) fetch(ctx context.Context, cur cursor) (answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.feed.String(), nil)
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("User-Agent", s.cfg.UserAgent)
	req.Header.Set("Accept", "application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1")
	if cur.ETag != "" {
		req.Header.Set("If-None-Match", cur.ETag)
	}
	if cur.LastModified != "" {
		req.Header.Set("If-Modified-Since", cur.LastModified)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return answer{}, ctx.Err()
		}
		return answer{}, &channels.APIError{Platform: "rss", Kind: channels.Transient, Message: "network: " + channels.Redact(err.Error())}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return answer{}, &channels.APIError{Platform: "rss", Code: resp.StatusCode, Kind: channels.Transient, Message: "reading the feed: " + err.Error()}
	}
	e := &channels.APIError{Platform: "rss", Code: resp.StatusCode, Kind: channels.Permanent}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		return answer{notModified: true}, nil
	case resp.StatusCode == http.StatusOK:
		if len(body) > maxBody {
			e.Message = fmt.Sprintf("the feed is larger than %d MB", maxBody>>20)
			return answer{}, apperr.FeedUnreadable("too-large", e)
		}
		return answer{body: body, contentType: resp.Header.Get("Content-Type"), etag: resp.Header.Get("ETag"), lastMod: resp.Header.Get("Last-Modified")}, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable:
		return answer{}, &channels.RateLimitError{RetryAfter: channels.RetryAfterOr(resp.Header.Get("Retry-After"), s.cfg.Now(), time.Minute), Message: "the feed's site asks to wait (" + resp.Status + ")"}
	case resp.StatusCode >= 500:
		e.Kind, e.Message = channels.Transient, "the feed's site failed ("+resp.Status+")"
	case resp.StatusCode == http.StatusUnauthorized:
		e.Kind, e.Message = channels.Auth, "the feed needs a sign-in ("+resp.Status+"); a private feed needs its secret address"
	case resp.StatusCode == http.StatusForbidden:
		e.Kind, e.Message = channels.Forbidden, "the feed's site refuses access ("+resp.Status+")"
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		e.Message = "the feed does not exist (any more) at this address (" + resp.Status + ")"
		return answer{}, apperr.FeedUnreadable("gone", e)
	default:
		e.Message = "unexpected answer " + resp.Status
	}
	return answer{}, e
}
