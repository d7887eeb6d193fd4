// Package listening is brand listening: posts on the web that match a topic
// (the brand, its products, a competitor), found by polling public sources,
// matched locally with the same stemming and folding as search, scored for
// tonality, and turned into inbox conversations where the platform allows an
// answer.
//
// Every source is an ordinary API client in its own package under
// backend/listening (mastodon, bluesky, reddit, hn, youtube, vk, rss), with a
// fake server its tests talk to. A source only fetches: it never matches,
// stores or scores; the poller does that, so every source gets the same query
// semantics even where its own search is cruder.
package listening

import (
	"context"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Source names, as stored with each mention and used in `source:` filters.
const (
	SourceMastodon = "mastodon"
	SourceBluesky  = "bluesky"
	SourceReddit   = "reddit"
	SourceHN       = "hn"
	SourceYouTube  = "youtube"
	SourceVK       = "vk"
	SourceRSS      = "rss"
)

// Source is one place on the web that can be searched.
type Source interface {
	// Name is one of the Source* names.
	Name() string
	// Search returns posts newer than the request's cursor that may match the
	// request's terms; the poller decides with the topic's query. Errors are
	// channels.RateLimitError (wait), channels.APIError (with its Kind) or
	// wrapped transport errors.
	Search(ctx context.Context, r Request) (Page, error)
}

// Request asks a source for recent posts about one topic.
type Request struct {
	// Terms are the topic's positive words and phrases (a phrase holds
	// spaces); a source ORs them in its own search syntax, or searches each.
	Terms []string
	// Langs, when not empty, are the only languages the topic wants
	// (ISO 639-1); a source that can filter by language may use them.
	Langs []string
	// Cursor is the source's own position from the previous Page; "" on the
	// first poll.
	Cursor string
	// Since bounds the first poll: nothing older is wanted.
	Since time.Time
}

// Page is one answer of a source.
type Page struct {
	Mentions []Mention
	// Deleted are ExternalIDs the source reports as deleted or removed since
	// they were found; the poller removes those mentions.
	Deleted []string
	// Cursor is what the next Search passes back; it is stored with the
	// mentions, so a crash between fetch and store fetches again.
	Cursor string
	// More says another Search right away would return more (paging).
	More   bool
	Limits Limits
}

// Limits is what a source said about its rate limit or quota, shown in
// Settings next to the source.
type Limits struct {
	// Remaining calls (or quota units) in the current window; -1 unknown.
	Remaining int
	// Reset is when the window restarts; zero when unknown.
	Reset time.Time
	// NextPoll is the earliest time the source should be asked again
	// (Retry-After, an exhausted quota); zero means the poller's own pace.
	NextPoll time.Time
}

// Mention is one post found on the web.
type Mention struct {
	Source     string // one of the Source* names
	ExternalID string // unique within Source
	URL        string // link to the original
	Author     string // display name, else handle
	AuthorID   string // the platform's stable id or handle; "" when none
	AuthorURL  string
	// Reach is the author's audience (followers, subscribers, karma); 0 when
	// the source does not say.
	Reach     int64
	Title     string // thread, video or entry title; "" when none
	Text      string // plain text (HTML already reduced to text)
	Lang      string // as the source reports it (ISO 639-1); "" unknown
	Published time.Time
	// Replies and Reactions are the engagement the source reports; -1 when
	// it does not report them.
	Replies   int
	Reactions int
	// ReplyTo says how to answer in the inbox; nil when the source cannot be
	// answered (Hacker News, RSS) or the post does not allow it.
	ReplyTo *ReplyRef
}

// ReplyRef is what a channel connector needs to answer a mention: the channel
// and the ids its Reply takes (see channels.Reply).
type ReplyRef struct {
	Channel   inbox.ChannelKind
	ThreadKey string
	InReplyTo string
}
