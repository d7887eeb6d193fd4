// Package mastodon is the Mastodon listening source: full-text status
// search (GET /api/v2/search?type=statuses, a user token with read:search)
// and hashtag timelines (GET /api/v1/timelines/tag/:hashtag, public). Each
// term is its own query with its own position in the cursor, swept newest
// first with max_id until the previous poll's newest status.
package mastodon

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/stormdesk/stormdesk/backend/channels"
	chmastodon "github.com/stormdesk/stormdesk/backend/channels/mastodon"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/listening/webapi"
)

// pageSize is the most statuses Mastodon returns per search or timeline page.
const pageSize = 40

// Config configures a Source.
type Config struct {
	BaseURL string // the instance, e.g. "https://mastodon.social"
	// Token is a user access token with read:search; "" searches hashtag
	// timelines only (full-text search needs a user).
	Token string
	// Hashtags are followed in addition to the topic's one-word terms
	// (without "#").
	Hashtags   []string
	HTTPClient *http.Client
	Retry      channels.Retry
	Now        func() time.Time
}

// Source searches one Mastodon instance.
type Source struct {
	cfg  Config
	call webapi.Caller
}

// New returns a source; BaseURL is required.
func New(cfg Config) (*Source, error) {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("mastodon source: base URL %q is not an instance address", cfg.BaseURL)
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Source{cfg: cfg}
	s.call = webapi.Caller{
		Platform: listening.SourceMastodon, HTTP: cfg.HTTPClient, Retry: cfg.Retry, Now: cfg.Now,
		Message: webapi.JSONMessage, ResetWait: resetWait,
		Classify: func(e *channels.APIError, _ []byte) {
			switch e.Kind {
			case channels.Auth:
				e.Message += " (create a new access token under Preferences → Development)"
			case channels.Forbidden:
				e.Message += " (the token needs the read:search scope)"
			}
		},
	}
	return s, nil
}

// Name is listening.SourceMastodon.
func (s *Source) Name() string { return listening.SourceMastodon }

// Search runs one page of every query: "q:<term>" through status search
// when there is a token, "tag:<name>" through the hashtag timeline for
// one-word terms and the configured hashtags.
func (s *Source) Search(ctx context.Context, r listening.Request) (listening.Page, error) {
	return s.call.Run(ctx, r, s.keys(r.Terms), s.list)
}

func (s *Source) keys(terms []string) []string {
	var keys []string
	seen := map[string]bool{}
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	// Mastodon's search (4.2+) takes "phrases" in quotes.
	for _, t := range webapi.Terms(terms, true) {
		if s.cfg.Token != "" && !strings.HasPrefix(t, "#") {
			add("q:" + t)
		}
		if tag := hashtag(t); tag != "" {
			add("tag:" + tag)
		}
	}
	for _, h := range s.cfg.Hashtags {
		if tag := hashtag(h); tag != "" {
			add("tag:" + tag)
		}
	}
	return keys
}

// hashtag is t as a hashtag name, or "" when t is not one word of letters,
// digits and underscores.
func hashtag(t string) string {
	t = strings.TrimPrefix(strings.TrimSpace(t), "#")
	if t == "" {
		return ""
	}
	for _, r := range t {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' {
			return ""
		}
	}
	return strings.ToLower(t)
}

// status is the Status entity with the counts listening reads.
type status struct {
	chmastodon.Status
	URI             string `json:"uri"`
	RepliesCount    int    `json:"replies_count"`
	ReblogsCount    int    `json:"reblogs_count"`
	FavouritesCount int    `json:"favourites_count"`
}

type searchResult struct {
	Statuses *[]status `json:"statuses"`
}

func (s *Source) list(ctx context.Context, key, next string, since time.Time) (webapi.Listing, error) {
	kind, arg, _ := strings.Cut(key, ":")
	q := url.Values{"limit": {strconv.Itoa(pageSize)}}
	if next != "" {
		q.Set("max_id", next)
	}
	h := http.Header{}
	if s.cfg.Token != "" {
		h.Set("Authorization", "Bearer "+s.cfg.Token)
	}
	var sts []status
	var res searchResult
	var path string
	var out any
	switch kind {
	case "q":
		path = "/api/v2/search"
		q.Set("q", arg)
		q.Set("type", "statuses")
		q.Set("resolve", "false")
		out = &res
	default:
		path = "/api/v1/timelines/tag/" + url.PathEscape(arg)
		if !since.IsZero() {
			// Mastodon ids are milliseconds shifted by 16 bits, so the
			// first poll's Since becomes an id bound the server applies.
			q.Set("since_id", strconv.FormatInt(since.UnixMilli()<<16-1, 10))
		}
		out = &sts
	}
	hdr, err := s.call.Do(ctx, true, func(ctx context.Context) (*http.Request, error) {
		return webapi.Get(ctx, s.cfg.BaseURL, path, q, h)
	}, out)
	if err != nil {
		return webapi.Listing{}, err
	}
	if kind == "q" {
		if res.Statuses == nil {
			return webapi.Listing{}, fmt.Errorf("%w: search answer without statuses", webapi.ErrMalformed)
		}
		sts = *res.Statuses
	}
	l := webapi.Listing{Full: len(sts) >= pageSize, Limits: limits(hdr)}
	for _, st := range sts {
		if st.ID == "" || st.CreatedAt.IsZero() {
			return webapi.Listing{}, fmt.Errorf("%w: status without id or created_at", webapi.ErrMalformed)
		}
		l.Mentions = append(l.Mentions, s.mention(st))
		l.Next = st.ID // the oldest so far: results are newest first
	}
	if kind == "tag" {
		// Timelines page by their Link header (search answers have none);
		// without a rel="next" there is no older page.
		l.Next = chmastodon.ParseLink(hdr.Get("Link")).NextMaxID
	}
	return l, nil
}

func (s *Source) mention(st status) listening.Mention {
	text := chmastodon.PlainText(st.Content)
	if st.SpoilerText != "" {
		text = "CW: " + st.SpoilerText + "\n\n" + text
	}
	acct := st.Account.Acct
	if acct != "" && !strings.Contains(acct, "@") {
		if u, err := url.Parse(s.cfg.BaseURL); err == nil {
			acct += "@" + u.Hostname() // a local account: its handle is on this instance
		}
	}
	author := st.Account.DisplayName
	if author == "" {
		author = "@" + acct
	}
	link := st.URL
	if link == "" {
		link = st.URI
	}
	m := listening.Mention{
		Source: listening.SourceMastodon, ExternalID: st.ID, URL: link,
		Author: author, AuthorID: acct, AuthorURL: st.Account.URL, Reach: st.Account.FollowersCount,
		Text: text, Published: st.CreatedAt, Replies: st.RepliesCount, Reactions: st.FavouritesCount + st.ReblogsCount,
		// The id is this instance's: the inbox can answer it when the
		// Mastodon account is on the same instance (see docs/listening.md).
		ReplyTo: &listening.ReplyRef{Channel: inbox.ChannelMastodon, ThreadKey: "status:" + st.ID, InReplyTo: st.ID},
	}
	if st.Language != nil {
		m.Lang = *st.Language
	}
	return m
}

func limits(h http.Header) listening.Limits {
	var reset time.Time
	if t, err := time.Parse(time.RFC3339Nano, h.Get("X-RateLimit-Reset")); err == nil {
		reset = t
	}
	return webapi.Limits(h.Get("X-RateLimit-Remaining"), reset)
}

func resetWait(h http.Header, now time.Time) time.Duration {
	if l := limits(h); !l.Reset.IsZero() {
		return max(0, l.Reset.Sub(now))
	}
	return 0
}
