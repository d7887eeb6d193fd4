// Package facebook connects a Facebook Page: comments on the Page's posts
// (read newest first with cursor paging, replied to, hidden, shown again,
// deleted) and Messenger conversations (read, and answered inside the
// 24-hour window, or with the HUMAN_AGENT tag up to 7 days). It speaks the
// Graph API through the graph package; the one stored secret is a
// long-lived user token, from which the Page token is asked for on first use.
package facebook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/graph"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// MaxReplyLength is the shorter of Messenger's text limit (2,000
// characters) and a comment's (8,000), so one limit holds in the composer.
const MaxReplyLength = 2000

// Config configures a Connector.
type Config struct {
	graph.PageConfig
	// BackfillPosts is how many of the newest posts are watched for comments. 0 = 10.
	BackfillPosts int
}

// Connector is one Facebook Page. It implements channels.Connector and channels.Moderator.
type Connector struct {
	cfg  Config
	api  *graph.Client
	dms  graph.Conversations
	log  *slog.Logger
	page *graph.PageTokenCache
}

var (
	_ channels.Connector = (*Connector)(nil)
	_ channels.Moderator = (*Connector)(nil)
)

// New returns a connector; it does no I/O.
func New(cfg Config) (*Connector, error) {
	api, page, err := cfg.Open("facebook")
	if err != nil {
		return nil, err
	}
	if cfg.BackfillPosts <= 0 {
		cfg.BackfillPosts = 10
	}
	return &Connector{cfg: cfg, api: api, log: cfg.Logger, page: page,
		dms: graph.Conversations{Client: api, Platform: "messenger", PageID: cfg.PageID, SelfID: cfg.PageID, Permission: PermMessaging, Now: cfg.Now}}, nil
}

// Kind is inbox.ChannelFacebook.
func (c *Connector) Kind() inbox.ChannelKind { return inbox.ChannelFacebook }

// Limits describes the Page's rules.
func (c *Connector) Limits() channels.Limits {
	return channels.Limits{
		MaxTextLength: MaxReplyLength,
		Notes:         []channels.Note{graph.WindowNote, graph.HideNote, graph.RateNote},
	}
}

func (c *Connector) pageToken(ctx context.Context) (string, error) { return c.page.Get(ctx) }

func (c *Connector) forget(err error) error { return c.page.Forget(err) }

// Test checks the user token's permissions against what the connector needs
// and that it manages the Page. A token that lacks some is refused with both
// lists, so the person knows what to grant on reconnecting.
func (c *Connector) Test(ctx context.Context) error {
	_, err := c.TestPermissions(ctx)
	return err
}

// TestPermissions is Test, answering on success with what the token has.
func (c *Connector) TestPermissions(ctx context.Context) (channels.Permissions, error) {
	g, err := c.api.Permissions(ctx, c.cfg.UserToken, Needed)
	if err != nil {
		return channels.Permissions{}, fmt.Errorf("facebook test connection: %w", err)
	}
	if len(g.Missing) > 0 {
		return channels.Permissions{}, &graph.MissingError{Platform: "facebook", Grants: g}
	}
	if _, err := c.pageToken(ctx); err != nil {
		return channels.Permissions{}, fmt.Errorf("facebook test connection: %w", err)
	}
	return g.Report(), nil
}

// Fetch returns comments on the newest posts and Messenger messages newer
// than the cursor. The first sync reads what the newest posts already have,
// and the conversations of the last 7 days, which may still be answered.
func (c *Connector) Fetch(ctx context.Context, raw string) (channels.Batch, error) {
	cur, err := parseCursor(raw)
	if err != nil {
		return channels.Batch{}, err
	}
	tok, err := c.pageToken(ctx)
	if err != nil {
		return channels.Batch{}, err
	}
	first := raw == ""
	var items []inbox.Item
	skipped := 0
	posts, err := c.feed(ctx, tok, c.cfg.BackfillPosts)
	if err != nil {
		return channels.Batch{}, c.forget(err)
	}
	seen := make(map[string]graph.Time, len(posts))
	for _, p := range posts {
		last := cur.Posts[p.ID]
		seen[p.ID] = last
		if !p.UpdatedTime.After(last.Time) {
			continue
		}
		cms, err := c.comments(ctx, tok, p.ID, last.Time, c.cfg.MaxPages)
		if err != nil {
			return channels.Batch{}, c.forget(err)
		}
		for _, cm := range cms {
			if it, ok := c.commentItem(p.ID, cm); ok {
				items = append(items, it)
			} else {
				skipped++
			}
			// A comment dated in the future (a broken clock) must not become the
			// post's position: later comments would all look seen.
			if cm.CreatedTime.After(seen[p.ID].Time) && !channels.Future(cm.CreatedTime.Time, c.cfg.Now()) {
				seen[p.ID] = cm.CreatedTime
			}
		}
	}
	cur.Posts = seen
	since := cur.DMs.Time
	if first {
		since = c.cfg.Now().Add(-graph.HumanAgentWindow)
	}
	convs, err := c.dms.Updated(ctx, tok, since, c.cfg.MaxPages)
	if err != nil {
		return channels.Batch{}, c.forget(err)
	}
	for _, cv := range convs {
		ms, err := c.dms.Messages(ctx, tok, cv.ID, since, c.cfg.MaxPages)
		if err != nil {
			return channels.Batch{}, c.forget(err)
		}
		person := other(cv.Participants.Data, c.cfg.PageID)
		for _, m := range ms {
			if it, ok := c.messageItem(person, m); ok {
				items = append(items, it)
			} else {
				skipped++
			}
		}
		if cv.UpdatedTime.After(cur.DMs.Time) && !channels.Future(cv.UpdatedTime.Time, c.cfg.Now()) {
			cur.DMs = cv.UpdatedTime
		}
	}
	if first && cur.DMs.IsZero() {
		cur.DMs = graph.Time{Time: since}
	}
	// Oldest first, as the rest of the app reads a batch.
	slices.SortStableFunc(items, func(a, b inbox.Item) int { return a.SentAt.Compare(b.SentAt) })
	return channels.Batch{Items: items, Cursor: cur.String(), Skipped: skipped}, nil
}

// other is the participant who is not the business.
func other(ps []graph.Participant, self string) graph.Participant {
	for _, p := range ps {
		if p.ID != self {
			return p
		}
	}
	return graph.Participant{}
}

// CommentThreadKey is the thread of a top-level comment and its replies.
func CommentThreadKey(topLevelID string) string { return "comment:" + topLevelID }

// DMThreadKey is the Messenger thread with one person (their page-scoped id).
func DMThreadKey(psid string) string { return "dm:" + psid }

// commentItem maps a comment; ok is false for one without id, which
// nothing could store, answer or recognise when it comes again.
func (c *Connector) commentItem(postID string, cm Comment) (it inbox.Item, ok bool) {
	if cm.ID == "" {
		return inbox.Item{}, false
	}
	top := cm.ID
	it = inbox.Item{ExternalID: cm.ID, Kind: inbox.KindComment, Direction: inbox.DirectionIn, SentAt: cm.CreatedTime.Time}
	if cm.Parent != nil && cm.Parent.ID != "" && cm.Parent.ID != postID {
		top = cm.Parent.ID
		it.References = []string{cm.Parent.ID}
	}
	it.ThreadKey = CommentThreadKey(top)
	if cm.From != nil {
		it.Author = inbox.Author{Channel: inbox.ChannelFacebook, ExternalID: cm.From.ID, DisplayName: cm.From.Name, Handle: cm.From.Name}
		if cm.From.ID == c.cfg.PageID {
			it.Direction = inbox.DirectionOut
		}
	} else {
		// Meta hides who wrote it; one placeholder author per comment keeps
		// strangers from being merged into one person.
		it.Author = inbox.Author{Channel: inbox.ChannelFacebook, ExternalID: "hidden:" + cm.ID, DisplayName: "Facebook user"}
	}
	it.Text, it.Flags = channels.CapText(cm.Message)
	return it, true
}

// messageItem maps a message; ok is false for one without id, as commentItem.
func (c *Connector) messageItem(person graph.Participant, m graph.Message) (it inbox.Item, ok bool) {
	if m.ID == "" {
		return inbox.Item{}, false
	}
	it = inbox.Item{ExternalID: m.ID, ThreadKey: DMThreadKey(person.ID), Kind: inbox.KindDM, Direction: inbox.DirectionIn,
		Author: inbox.Author{Channel: inbox.ChannelFacebook, ExternalID: person.ID, DisplayName: person.Label(), Handle: person.Label()},
		SentAt: m.CreatedTime.Time}
	if m.From.ID == c.cfg.PageID {
		it.Direction = inbox.DirectionOut
		it.Author = inbox.Author{Channel: inbox.ChannelFacebook, ExternalID: m.From.ID, DisplayName: m.From.Label(), Handle: m.From.Label()}
	}
	it.Text, it.Flags = channels.CapText(m.Message)
	it.Attachments = m.InboxAttachments()
	if it.Text == "" && len(it.Attachments) == 0 {
		it.Flags = append(it.Flags, inbox.FlagNoText) // a share: Meta gives no text, and no media
	}
	return it, true
}

// Reply answers a comment thread with a reply to its top-level comment (Meta
// nests one level), or a Messenger thread through the Send API within its window.
func (c *Connector) Reply(ctx context.Context, r channels.Reply) (channels.Sent, error) {
	if err := channels.CheckReply("Facebook", r, utf8.RuneCountInString, MaxReplyLength); err != nil {
		return channels.Sent{}, err
	}
	tok, err := c.pageToken(ctx)
	if err != nil {
		return channels.Sent{}, err
	}
	switch {
	case strings.HasPrefix(r.ThreadKey, "comment:"):
		id, err := c.comment(ctx, tok, strings.TrimPrefix(r.ThreadKey, "comment:"), r.Text)
		if err != nil {
			return channels.Sent{}, c.forget(err)
		}
		return channels.Sent{ExternalID: id, SentAt: c.cfg.Now().UTC()}, nil
	case strings.HasPrefix(r.ThreadKey, "dm:"):
		res, err := c.dms.Send(ctx, tok, strings.TrimPrefix(r.ThreadKey, "dm:"), r.Text)
		if err != nil {
			return channels.Sent{}, c.forget(err)
		}
		return channels.Sent{ExternalID: res.MessageID, SentAt: c.cfg.Now().UTC()}, nil
	}
	return channels.Sent{}, fmt.Errorf("facebook reply: %q is not a Facebook thread key (comment:<id> or dm:<psid>)", r.ThreadKey)
}

// Moderate hides, shows again or deletes a comment. Messenger messages
// cannot be moderated through the API.
func (c *Connector) Moderate(ctx context.Context, m channels.Moderation) error {
	if !strings.HasPrefix(m.ThreadKey, "comment:") {
		return errors.New("facebook moderate: only comments can be hidden or deleted; Messenger messages cannot")
	}
	tok, err := c.pageToken(ctx)
	if err != nil {
		return err
	}
	switch m.Action {
	case channels.ActionHide:
		err = c.setHidden(ctx, tok, m.ExternalID, true)
	case channels.ActionUnhide:
		err = c.setHidden(ctx, tok, m.ExternalID, false)
	case channels.ActionDelete:
		err = c.api.Delete(ctx, tok, m.ExternalID, PermManageEngage)
	default:
		return fmt.Errorf("facebook moderate: unknown action %q", m.Action)
	}
	return c.forget(err)
}

func itoa(n int) string { return strconv.Itoa(n) }

var _ channels.MediaFetcher = (*Connector)(nil)

// FetchMedia downloads a Messenger attachment from the URL Meta gave (Ref).
func (c *Connector) FetchMedia(ctx context.Context, a inbox.Attachment, max int64, w io.Writer) (int64, error) {
	return graph.FetchLinked(ctx, c.api, a, max, w)
}
