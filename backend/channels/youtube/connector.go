// Package youtube connects a YouTube channel's comments through the YouTube
// Data API v3: commentThreads.list (newest first, stopping at what was seen)
// for new comments, comments.insert with parentId for replies and
// comments.setModerationStatus to hide. Every call is counted against the
// daily quota so syncing stops with a clear error before the budget runs out.
package youtube

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// MaxReplyLength is YouTube's comment length limit in characters.
const MaxReplyLength = 10000

// Config configures a Connector.
type Config struct {
	ChannelID  string // the brand's channel id, "UC…"
	APIKey     string
	Token      TokenFunc // OAuth of the channel owner; needed to reply and moderate
	HTTPClient *http.Client
	BaseURL    string
	Quota      *Quota // shared per Google Cloud project; nil = a new default one
	// FetchReserve is how many units syncing leaves free for replies and
	// moderation (50 each). 0 = 500.
	FetchReserve int
	// MaxPages bounds one pass through the newest threads (100 per page), so
	// the first sync of a big channel backfills at most MaxPages*100 threads.
	// 0 = 5.
	MaxPages   int
	MaxResults int // page size, 0 = 100
	Retry      channels.Retry
	Logger     *slog.Logger
	Now        func() time.Time // nil = time.Now
}

// Connector is one YouTube channel. It implements channels.Connector and
// channels.Moderator.
type Connector struct {
	cfg Config
	api *Client
	log *slog.Logger
}

var (
	_ channels.Connector = (*Connector)(nil)
	_ channels.Moderator = (*Connector)(nil)
)

// New returns a connector; it does no I/O.
func New(cfg Config) (*Connector, error) {
	if cfg.ChannelID == "" {
		return nil, errors.New("youtube: channel id is empty")
	}
	if cfg.APIKey == "" && cfg.Token == nil {
		return nil, errors.New("youtube: an API key or an OAuth sign-in is needed")
	}
	if cfg.FetchReserve == 0 {
		cfg.FetchReserve = 500
	}
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = 5
	}
	if cfg.MaxResults <= 0 || cfg.MaxResults > 100 {
		cfg.MaxResults = 100
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	api := NewClient(ClientOptions{HTTPClient: cfg.HTTPClient, BaseURL: cfg.BaseURL, APIKey: cfg.APIKey, Token: cfg.Token, Quota: cfg.Quota, Retry: cfg.Retry})
	return &Connector{cfg: cfg, api: api, log: cfg.Logger}, nil
}

// Kind is inbox.ChannelYouTube.
func (c *Connector) Kind() inbox.ChannelKind { return inbox.ChannelYouTube }

// Quota is the counter the connector spends from.
func (c *Connector) Quota() *Quota { return c.api.Quota() }

// Limits describes YouTube's rules.
func (c *Connector) Limits() channels.Limits {
	return channels.Limits{
		MaxTextLength: MaxReplyLength,
		Notes: []channels.Note{
			{Code: "youtube.quota", Text: "Each reply and each hide or delete costs 50 of the 10,000 daily quota units (about 200 actions a day); quota resets at midnight Pacific time."},
			{Code: "youtube.hideDelete", Text: "Hiding holds the comment for review; deleting rejects it. Neither tells the author."},
			{Code: "youtube.oldThreads", Text: "Replies to old threads show up only when their thread is among the newest."},
		},
	}
}

// Test checks the credentials with channels.list (1 unit).
func (c *Connector) Test(ctx context.Context) error {
	res, err := c.api.ListChannels(ctx, c.cfg.ChannelID, "id")
	if err != nil {
		return fmt.Errorf("youtube test connection: %w", err)
	}
	if len(res.Items) == 0 {
		return fmt.Errorf("youtube test connection: channel %s does not exist", c.cfg.ChannelID)
	}
	return nil
}

// cursor is the sync position: the newest comment activity seen (with the
// thread ids at exactly that time, for ties) and, while a multi-page pass is
// running, the page to continue with and the pass's own newest activity.
type cursor struct {
	Since      time.Time `json:"since,omitzero"`
	Seen       []string  `json:"seen,omitempty"`
	Page       string    `json:"page,omitempty"`
	Pages      int       `json:"pages,omitempty"`
	PassNewest time.Time `json:"passNewest,omitzero"`
	PassSeen   []string  `json:"passSeen,omitempty"`
}

func parseCursor(s string) (cursor, error) {
	var cur cursor
	err := channels.DecodeCursor("youtube", s, &cur)
	return cur, err
}

// activity is the newest publish or edit time in a thread as returned.
func activity(th CommentThread) time.Time {
	var t time.Time
	bump := func(c *Comment) {
		if c == nil {
			return
		}
		for _, x := range []time.Time{c.Snippet.PublishedAt, c.Snippet.UpdatedAt} {
			if x.After(t) {
				t = x
			}
		}
	}
	bump(th.Snippet.TopLevelComment)
	if th.Replies != nil {
		for i := range th.Replies.Comments {
			bump(&th.Replies.Comments[i])
		}
	}
	return t
}

// Fetch reads one page of the newest comment threads. YouTube has no "since"
// filter, so it walks newest first and stops at the first thread whose
// activity is not newer than the cursor; a pass spans several Fetch calls
// (More) when new threads fill more than a page.
func (c *Connector) Fetch(ctx context.Context, raw string) (channels.Batch, error) {
	cur, err := parseCursor(raw)
	if err != nil {
		return channels.Batch{}, err
	}
	res, err := c.api.ListCommentThreads(ctx, ListThreadsParams{
		AllThreadsRelatedToChannelID: c.cfg.ChannelID, MaxResults: c.cfg.MaxResults, PageToken: cur.Page,
	}, c.cfg.FetchReserve)
	if err != nil {
		return channels.Batch{}, err
	}
	b, cur := c.page(cur, res)
	b.Cursor = channels.EncodeCursor(cur)
	return b, nil
}

// page maps one page of comment threads read at cur and moves the cursor
// past them.
func (c *Connector) page(cur cursor, res CommentThreadListResponse) (channels.Batch, cursor) {
	if cur.Page == "" { // a new pass
		cur.PassNewest, cur.PassSeen, cur.Pages = cur.Since, slices.Clone(cur.Seen), 0
	}
	var b channels.Batch
	stopped := false
	for _, th := range res.Items {
		if th.ID == "" || th.Snippet.TopLevelComment == nil || th.Snippet.TopLevelComment.Snippet.PublishedAt.IsZero() {
			c.log.Warn("youtube: skipping a comment thread without id, comment or time", "thread", th.ID)
			b.Skipped++
			continue
		}
		act := activity(th)
		if !cur.Since.IsZero() && act.Before(cur.Since) {
			stopped = true
			break
		}
		if act.Equal(cur.Since) && slices.Contains(cur.Seen, th.ID) {
			// Seen already, but an unseen thread of the same second may follow.
			continue
		}
		b.Items = append(b.Items, c.threadItems(th)...)
		if channels.Future(act, c.cfg.Now()) {
			// A date in the future is a broken clock; as the position it
			// would hide every comment written before it. The thread is
			// returned again by each pass instead, and stored once.
			continue
		}
		switch {
		case act.After(cur.PassNewest):
			cur.PassNewest, cur.PassSeen = act, []string{th.ID}
		case act.Equal(cur.PassNewest) && !slices.Contains(cur.PassSeen, th.ID):
			cur.PassSeen = append(cur.PassSeen, th.ID)
		}
	}
	cur.Pages++
	if !stopped && res.NextPageToken != "" && cur.Pages < c.cfg.MaxPages {
		cur.Page = res.NextPageToken
		b.More = true
	} else {
		if !stopped && res.NextPageToken != "" {
			c.log.Info("youtube: backfill bounded; older comment threads are not fetched", "pages", cur.Pages)
		}
		cur = cursor{Since: cur.PassNewest, Seen: cur.PassSeen}
	}
	return b, cur
}

// ThreadKey is the conversation key of a comment thread.
func ThreadKey(videoID, threadID string) string {
	return "video:" + videoID + ":thread:" + threadID
}

func (c *Connector) threadItems(th CommentThread) []inbox.Item {
	video := th.Snippet.VideoID
	if video == "" {
		video = th.Snippet.TopLevelComment.Snippet.VideoID
	}
	key := ThreadKey(video, th.ID)
	top := *th.Snippet.TopLevelComment
	if top.ID == "" {
		top.ID = th.ID // YouTube names a thread by its top-level comment
	}
	items := []inbox.Item{c.commentItem(top, key)}
	if th.Replies != nil {
		for _, r := range th.Replies.Comments {
			if r.ID == "" || r.Snippet.PublishedAt.IsZero() {
				continue
			}
			it := c.commentItem(r, key)
			parent := r.Snippet.ParentID
			if parent == "" {
				parent = th.ID
			}
			it.References = []string{parent}
			items = append(items, it)
		}
	}
	return items
}

func (c *Connector) commentItem(cm Comment, key string) inbox.Item {
	s := cm.Snippet
	text := s.TextOriginal
	if text == "" {
		// textOriginal is only guaranteed to the author; textDisplay was asked for as plain text.
		text = s.TextDisplay
	}
	it := inbox.Item{
		ExternalID: cm.ID,
		ThreadKey:  key,
		Kind:       inbox.KindComment,
		Direction:  inbox.DirectionIn,
		Author:     inbox.Author{Channel: inbox.ChannelYouTube, Handle: s.AuthorDisplayName, DisplayName: strings.TrimPrefix(s.AuthorDisplayName, "@")},
		SentAt:     s.PublishedAt.UTC(),
	}
	if s.AuthorChannelID != nil {
		it.Author.ExternalID = s.AuthorChannelID.Value
		if s.AuthorChannelID.Value == c.cfg.ChannelID {
			it.Direction = inbox.DirectionOut
		}
	}
	it.Text, it.Flags = channels.CapText(text)
	return it
}

// threadID extracts the thread id from a thread key.
func threadID(key string) (string, error) {
	rest, ok := strings.CutPrefix(key, "video:")
	_, id, found := strings.Cut(rest, ":thread:")
	if !ok || !found || id == "" {
		return "", fmt.Errorf("youtube: %q is not a YouTube thread key (want video:<id>:thread:<id>)", key)
	}
	return id, nil
}

// Reply answers in a thread. YouTube threads are flat: a reply to a reply is
// posted under the top-level comment, whose id is the thread id.
func (c *Connector) Reply(ctx context.Context, r channels.Reply) (channels.Sent, error) {
	if strings.TrimSpace(r.Text) == "" {
		return channels.Sent{}, errors.New("youtube reply: text is empty")
	}
	if n := utf8.RuneCountInString(r.Text); n > MaxReplyLength {
		return channels.Sent{}, fmt.Errorf("youtube reply: text has %d characters, YouTube allows %d", n, MaxReplyLength)
	}
	parent, err := threadID(r.ThreadKey)
	if err != nil {
		return channels.Sent{}, err
	}
	cm, err := c.api.InsertReply(ctx, parent, r.Text)
	if err != nil {
		return channels.Sent{}, err
	}
	at := cm.Snippet.PublishedAt
	if at.IsZero() {
		at = time.Now()
	}
	return channels.Sent{ExternalID: cm.ID, SentAt: at.UTC()}, nil
}

// Moderate hides a comment (held for review) or deletes it (rejected).
func (c *Connector) Moderate(ctx context.Context, m channels.Moderation) error {
	if m.ExternalID == "" {
		return errors.New("youtube moderate: no comment id")
	}
	status := ""
	switch m.Action {
	case channels.ActionHide:
		status = StatusHeldForReview
	case channels.ActionDelete:
		status = StatusRejected
	default:
		return fmt.Errorf("youtube moderate: unknown action %q", m.Action)
	}
	return c.api.SetModerationStatus(ctx, m.ExternalID, status)
}
