// Package bluesky is the Bluesky listening source: app.bsky.feed.searchPosts
// through the account's PDS, with a session from an app password
// (com.atproto.server.createSession) renewed by refreshSession. Each term
// is its own query, swept newest first (sort=latest) down to the previous
// poll's newest post; since bounds the sweep on the server too.
package bluesky

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	bsky "github.com/stormdesk/stormdesk/backend/channels/bluesky"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/listening/webapi"
)

// pageSize is the most posts searchPosts returns per page.
const pageSize = 100

// Config configures a Source.
type Config struct {
	// Identifier is the account's handle or e-mail; AppPassword an app
	// password made under Settings → Privacy and security → App passwords.
	Identifier, AppPassword string
	BaseURL                 string // the account's PDS; "" = https://bsky.social
	HTTPClient              *http.Client
	Retry                   channels.Retry
	Now                     func() time.Time
}

// Source searches Bluesky.
type Source struct {
	cfg    Config
	client *bsky.Client
	call   webapi.Caller // sweeps only; the client sends the requests
}

// New returns a source; identifier and app password are required.
func New(cfg Config) (*Source, error) {
	if cfg.Identifier == "" || cfg.AppPassword == "" {
		return nil, errors.New("bluesky source: the handle and an app password are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Source{cfg: cfg, client: bsky.NewClient(bsky.ClientOptions{
		Identifier: cfg.Identifier, AppPassword: cfg.AppPassword, BaseURL: cfg.BaseURL,
		HTTPClient: cfg.HTTPClient, Retry: cfg.Retry, Now: cfg.Now,
	})}
	s.call = webapi.Caller{Platform: listening.SourceBluesky, HTTP: cfg.HTTPClient, Retry: cfg.Retry, Now: cfg.Now}
	return s, nil
}

// Name is listening.SourceBluesky.
func (s *Source) Name() string { return listening.SourceBluesky }

// Search lists the next page of every term (a phrase quoted, as Lucene
// syntax wants); with exactly one wanted language the server filters by it.
func (s *Source) Search(ctx context.Context, r listening.Request) (listening.Page, error) {
	lang := ""
	if len(r.Langs) == 1 {
		lang = r.Langs[0]
	}
	var keys []string
	for _, t := range webapi.Terms(r.Terms, true) {
		k := t
		if lang != "" {
			k += " lang:" + lang // the key names the filter, so a changed filter starts afresh
		}
		keys = append(keys, k)
	}
	return s.call.Run(ctx, r, keys, func(ctx context.Context, key, next string, since time.Time) (webapi.Listing, error) {
		term, _, _ := strings.Cut(key, " lang:")
		return s.list(ctx, term, lang, next, since)
	})
}

type postView struct {
	bsky.PostView
	ReplyCount  int       `json:"replyCount"`
	RepostCount int       `json:"repostCount"`
	LikeCount   int       `json:"likeCount"`
	QuoteCount  int       `json:"quoteCount"`
	IndexedAt   time.Time `json:"indexedAt"`
}

type searchAnswer struct {
	Cursor string      `json:"cursor"`
	Posts  *[]postView `json:"posts"`
}

func (s *Source) list(ctx context.Context, term, lang, next string, since time.Time) (webapi.Listing, error) {
	q := url.Values{"q": {term}, "sort": {"latest"}, "limit": {strconv.Itoa(pageSize)}}
	if lang != "" {
		q.Set("lang", lang)
	}
	if !since.IsZero() {
		q.Set("since", since.UTC().Format(time.RFC3339Nano))
	}
	if next != "" {
		q.Set("cursor", next)
	}
	var a searchAnswer
	hdr, err := s.client.Query(ctx, "app.bsky.feed.searchPosts", q, &a)
	if err != nil {
		return webapi.Listing{}, err
	}
	if a.Posts == nil {
		return webapi.Listing{}, fmt.Errorf("%w: searchPosts answer without posts", webapi.ErrMalformed)
	}
	out := webapi.Listing{Next: a.Cursor, Full: len(*a.Posts) >= pageSize, Limits: limits(hdr)}
	for _, p := range *a.Posts {
		m, err := mention(p)
		if err != nil {
			return webapi.Listing{}, err
		}
		out.Mentions = append(out.Mentions, m)
	}
	return out, nil
}

func mention(p postView) (listening.Mention, error) {
	did, rkey, ok := splitURI(p.URI)
	if !ok || p.Record.CreatedAt.IsZero() {
		return listening.Mention{}, fmt.Errorf("%w: post %q without an at:// URI or createdAt", webapi.ErrMalformed, p.URI)
	}
	// The search orders by sortAt, the earlier of createdAt and indexedAt;
	// the sweep's position must follow the same order.
	at := p.Record.CreatedAt
	if !p.IndexedAt.IsZero() && p.IndexedAt.Before(at) {
		at = p.IndexedAt
	}
	root := p.URI
	if r := p.Record.Reply; r != nil && r.Root.URI != "" {
		root = r.Root.URI
	}
	author := p.Author.DisplayName
	if author == "" {
		author = "@" + p.Author.Handle
	}
	m := listening.Mention{
		Source: listening.SourceBluesky, ExternalID: p.URI,
		URL:    "https://bsky.app/profile/" + did + "/post/" + rkey,
		Author: author, AuthorID: p.Author.DID, AuthorURL: "https://bsky.app/profile/" + p.Author.Handle,
		Text: p.Record.Text, Published: at.UTC(),
		Replies: p.ReplyCount, Reactions: p.LikeCount + p.RepostCount + p.QuoteCount,
		// The inbox's Bluesky channel answers it, threaded under the
		// root post as its Fetch threads notifications.
		ReplyTo: &listening.ReplyRef{Channel: inbox.ChannelBluesky, ThreadKey: bsky.ThreadKey(root), InReplyTo: p.URI},
	}
	if len(p.Record.Langs) > 0 {
		m.Lang = p.Record.Langs[0]
	}
	return m, nil
}

// splitURI reads at://<did>/app.bsky.feed.post/<rkey>.
func splitURI(uri string) (did, rkey string, ok bool) {
	rest, ok := strings.CutPrefix(uri, "at://")
	if !ok {
		return "", "", false
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 || parts[1] != "app.bsky.feed.post" || parts[0] == "" || parts[2] == "" {
		return "", "", false
	}
	return parts[0], parts[2], true
}

func limits(h http.Header) listening.Limits {
	return webapi.Limits(h.Get("RateLimit-Remaining"), webapi.UnixTime(h.Get("RateLimit-Reset")))
}
