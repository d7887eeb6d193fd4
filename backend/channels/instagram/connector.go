// Package instagram connects an Instagram professional account through the
// Facebook Page it is linked to: comments on the account's media with their
// replies (read, replied to, hidden, shown again, deleted) and direct
// messages through the Conversations API (platform=instagram) with the
// same 24-hour window and HUMAN_AGENT tag as Messenger. Conversations from
// people who do not follow the account are marked as message requests, as
// Instagram's own inbox files them. It speaks the Graph API through the graph
// package; the one stored secret is a long-lived user token.
package instagram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/graph"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// MaxReplyLength is the shorter of a comment's limit (2,200 characters) and
// a direct message's (1,000 bytes of UTF-8, counted here as characters of
// the composer and checked in bytes before sending).
const MaxReplyLength = 1000

// FlagMessageRequest marks a direct message from someone who does not follow
// the account: Instagram shows it under Requests, and answering accepts it.
const FlagMessageRequest = "message-request"

// Config configures a Connector. PageID is the Facebook Page linked to the
// Instagram account.
type Config struct {
	graph.PageConfig
	// RecentMedia is how many of the newest media are watched for comments. 0 = 10.
	RecentMedia int
}

// Connector is one Instagram professional account. It implements
// channels.Connector and channels.Moderator.
type Connector struct {
	cfg  Config
	api  *graph.Client
	page *graph.PageTokenCache
	log  *slog.Logger

	mu sync.Mutex
	ig User // the linked account, asked for once
}

var (
	_ channels.Connector = (*Connector)(nil)
	_ channels.Moderator = (*Connector)(nil)
)

// New returns a connector; it does no I/O.
func New(cfg Config) (*Connector, error) {
	api, page, err := cfg.Open("instagram")
	if err != nil {
		return nil, err
	}
	if cfg.RecentMedia <= 0 {
		cfg.RecentMedia = 10
	}
	return &Connector{cfg: cfg, api: api, log: cfg.Logger, page: page}, nil
}

// Kind is inbox.ChannelInstagram.
func (c *Connector) Kind() inbox.ChannelKind { return inbox.ChannelInstagram }

// Limits describes Instagram's rules.
func (c *Connector) Limits() channels.Limits {
	return channels.Limits{
		MaxTextLength: MaxReplyLength,
		Notes: []channels.Note{graph.WindowNote,
			{Code: "instagram.requests", Text: "Messages from people who do not follow the account arrive as message requests; answering one accepts it."},
			{Code: "instagram.topLevel", Text: "Replies go to the top-level comment: Instagram does not nest replies deeper."},
			graph.HideNote, graph.RateNote},
	}
}

// session is the Page token and the linked account, asked for once.
func (c *Connector) session(ctx context.Context) (string, User, error) {
	tok, err := c.page.Get(ctx)
	if err != nil {
		return "", User{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ig.ID == "" {
		ig, err := c.account(ctx, tok)
		if err != nil {
			return "", User{}, c.page.Forget(err)
		}
		c.ig = ig
	}
	return tok, c.ig, nil
}

func (c *Connector) dms(ig User) graph.Conversations {
	return graph.Conversations{Client: c.api, Platform: "instagram", PageID: c.cfg.PageID, SelfID: ig.ID, Permission: PermManageMessages, Now: c.cfg.Now}
}

// Test checks the token's permissions and that the Page has a linked account.
func (c *Connector) Test(ctx context.Context) error {
	_, err := c.TestPermissions(ctx)
	return err
}

// TestPermissions is Test, answering on success with what the token has.
func (c *Connector) TestPermissions(ctx context.Context) (channels.Permissions, error) {
	g, err := c.api.Permissions(ctx, c.cfg.UserToken, Needed)
	if err != nil {
		return channels.Permissions{}, fmt.Errorf("instagram test connection: %w", err)
	}
	if len(g.Missing) > 0 {
		return channels.Permissions{}, &graph.MissingError{Platform: "instagram", Grants: g}
	}
	if _, _, err := c.session(ctx); err != nil {
		return channels.Permissions{}, fmt.Errorf("instagram test connection: %w", err)
	}
	return g.Report(), nil
}

// Fetch returns comments on the newest media and direct messages newer than
// the cursor. A media whose comment count changed is read again whole (up to
// MaxPages): a reply can arrive under an old comment, and the comments edge
// has no "since".
func (c *Connector) Fetch(ctx context.Context, raw string) (channels.Batch, error) {
	cur, err := parseCursor(raw)
	if err != nil {
		return channels.Batch{}, err
	}
	tok, ig, err := c.session(ctx)
	if err != nil {
		return channels.Batch{}, err
	}
	var items []inbox.Item
	skipped := 0
	media, err := c.media(ctx, tok, ig.ID, c.cfg.RecentMedia)
	if err != nil {
		return channels.Batch{}, c.page.Forget(err)
	}
	seen := make(map[string]seenMedia, len(media))
	for _, m := range media {
		s := cur.Media[m.ID]
		if m.CommentsCount == s.Count {
			seen[m.ID] = s
			continue
		}
		cms, err := c.comments(ctx, tok, m.ID, c.cfg.MaxPages)
		if err != nil {
			return channels.Batch{}, c.page.Forget(err)
		}
		newest := s.Newest
		add := func(cm Comment, top string) {
			// An undated comment cannot be placed against the position: it is
			// kept each time (ingest dates it and stores it once), not lost.
			if !cm.Timestamp.IsZero() && !cm.Timestamp.After(s.Newest.Time) {
				return
			}
			it, ok := c.commentItem(ig, cm, top)
			if !ok {
				skipped++
				return
			}
			items = append(items, it)
			// A date in the future (a broken clock) must not become the
			// position: later comments would all look seen.
			if cm.Timestamp.After(newest.Time) && !channels.Future(cm.Timestamp.Time, c.cfg.Now()) {
				newest = cm.Timestamp
			}
		}
		for _, cm := range cms {
			add(cm, "")
			if cm.Replies != nil {
				for _, r := range cm.Replies.Data {
					add(r, cm.ID)
				}
			}
		}
		seen[m.ID] = seenMedia{Count: m.CommentsCount, Newest: newest}
	}
	cur.Media = seen

	dmItems, dmSkipped, err := c.fetchDMs(ctx, tok, ig, &cur, raw == "")
	if err != nil {
		return channels.Batch{}, c.page.Forget(err)
	}
	items = append(items, dmItems...)
	slices.SortStableFunc(items, func(a, b inbox.Item) int { return a.SentAt.Compare(b.SentAt) })
	return channels.Batch{Items: items, Cursor: cur.String(), Skipped: skipped + dmSkipped}, nil
}

func (c *Connector) fetchDMs(ctx context.Context, tok string, ig User, cur *cursor, first bool) (items []inbox.Item, skipped int, err error) {
	since := cur.DMs.Time
	if first {
		since = c.cfg.Now().Add(-graph.HumanAgentWindow)
	}
	dms := c.dms(ig)
	convs, err := dms.Updated(ctx, tok, since, c.cfg.MaxPages)
	if err != nil {
		return nil, 0, err
	}
	for _, cv := range convs {
		ms, err := dms.Messages(ctx, tok, cv.ID, since, c.cfg.MaxPages)
		if err != nil {
			return nil, 0, err
		}
		var person graph.Participant
		for _, p := range cv.Participants.Data {
			if p.ID != ig.ID {
				person = p
			}
		}
		request, err := c.isRequest(ctx, tok, ig, person, ms)
		if err != nil {
			return nil, 0, err
		}
		for _, m := range ms {
			it, ok := c.messageItem(ig, person, m)
			if !ok {
				skipped++
				continue
			}
			if request && it.Direction == inbox.DirectionIn {
				it.Flags = append(it.Flags, FlagMessageRequest)
			}
			items = append(items, it)
		}
		if cv.UpdatedTime.After(cur.DMs.Time) && !channels.Future(cv.UpdatedTime.Time, c.cfg.Now()) {
			cur.DMs = cv.UpdatedTime
		}
	}
	if first && cur.DMs.IsZero() {
		cur.DMs = graph.Time{Time: since}
	}
	return items, skipped, nil
}

// isRequest says whether a conversation is a message request: the person
// does not follow the account and the account has not answered (answering
// moves it to the inbox).
func (c *Connector) isRequest(ctx context.Context, tok string, ig User, person graph.Participant, ms []graph.Message) (bool, error) {
	for _, m := range ms {
		if m.From.ID == ig.ID {
			return false, nil
		}
	}
	p, err := c.profile(ctx, tok, person.ID)
	var api *channels.APIError
	if errors.As(err, &api) && api.Kind == channels.Forbidden {
		// The profile is not readable (the person blocked the account or
		// the app lacks access): not knowing is not a request.
		c.log.Warn("instagram: cannot read a sender's profile", "err", err)
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !p.IsUserFollowBusiness, nil
}

// CommentThreadKey is the thread of a top-level comment and its replies.
func CommentThreadKey(topLevelID string) string { return "comment:" + topLevelID }

// DMThreadKey is the direct message thread with one person (their Instagram-scoped id).
func DMThreadKey(igsid string) string { return "dm:" + igsid }

// commentItem maps a comment; ok is false for one without id, which
// nothing could store, answer or recognise when it comes again.
func (c *Connector) commentItem(ig User, cm Comment, top string) (it inbox.Item, ok bool) {
	if cm.ID == "" {
		return inbox.Item{}, false
	}
	it = inbox.Item{ExternalID: cm.ID, ThreadKey: CommentThreadKey(cm.ID), Kind: inbox.KindComment, Direction: inbox.DirectionIn, SentAt: cm.Timestamp.Time}
	if top != "" {
		it.ThreadKey = CommentThreadKey(top)
		it.References = []string{top}
	}
	u := User{Username: cm.Username}
	if cm.From != nil {
		u = *cm.From
	}
	id := u.ID
	if id == "" {
		id = "@" + u.Username // the handle is the stable id when Meta gives no id
	}
	it.Author = inbox.Author{Channel: inbox.ChannelInstagram, ExternalID: id, Handle: "@" + u.Username, DisplayName: u.Username}
	if u.ID == ig.ID || (u.ID == "" && u.Username == ig.Username) {
		it.Direction = inbox.DirectionOut
	}
	it.Text, it.Flags = channels.CapText(cm.Text)
	return it, true
}

// messageItem maps a message; ok is false for one without id, as commentItem.
func (c *Connector) messageItem(ig User, person graph.Participant, m graph.Message) (it inbox.Item, ok bool) {
	if m.ID == "" {
		return inbox.Item{}, false
	}
	it = inbox.Item{ExternalID: m.ID, ThreadKey: DMThreadKey(person.ID), Kind: inbox.KindDM, Direction: inbox.DirectionIn,
		Author: inbox.Author{Channel: inbox.ChannelInstagram, ExternalID: person.ID, Handle: "@" + person.Username, DisplayName: person.Label()},
		SentAt: m.CreatedTime.Time}
	if m.From.ID == ig.ID {
		it.Direction = inbox.DirectionOut
		it.Author = inbox.Author{Channel: inbox.ChannelInstagram, ExternalID: ig.ID, Handle: "@" + ig.Username, DisplayName: ig.Username}
	}
	it.Text, it.Flags = channels.CapText(m.Message)
	it.Attachments = m.InboxAttachments()
	if it.Text == "" && len(it.Attachments) == 0 {
		it.Flags = append(it.Flags, inbox.FlagNoText) // a story reply or reel share: Meta gives no text
	}
	return it, true
}

// Reply answers a comment thread with a reply to its top-level comment, or a
// direct message thread through the Send API within its window.
func (c *Connector) Reply(ctx context.Context, r channels.Reply) (channels.Sent, error) {
	if err := channels.CheckReply("Instagram", r, utf8.RuneCountInString, MaxReplyLength); err != nil {
		return channels.Sent{}, err
	}
	tok, ig, err := c.session(ctx)
	if err != nil {
		return channels.Sent{}, err
	}
	switch {
	case strings.HasPrefix(r.ThreadKey, "comment:"):
		id, err := c.reply(ctx, tok, strings.TrimPrefix(r.ThreadKey, "comment:"), r.Text)
		if err != nil {
			return channels.Sent{}, c.page.Forget(err)
		}
		return channels.Sent{ExternalID: id, SentAt: c.cfg.Now().UTC()}, nil
	case strings.HasPrefix(r.ThreadKey, "dm:"):
		if len(r.Text) > MaxReplyLength {
			return channels.Sent{}, fmt.Errorf("instagram reply: a direct message holds at most %d bytes of UTF-8, this one has %d", MaxReplyLength, len(r.Text))
		}
		res, err := c.dms(ig).Send(ctx, tok, strings.TrimPrefix(r.ThreadKey, "dm:"), r.Text)
		if err != nil {
			return channels.Sent{}, c.page.Forget(err)
		}
		return channels.Sent{ExternalID: res.MessageID, SentAt: c.cfg.Now().UTC()}, nil
	}
	return channels.Sent{}, fmt.Errorf("instagram reply: %q is not an Instagram thread key (comment:<id> or dm:<igsid>)", r.ThreadKey)
}

// Moderate hides, shows again or deletes a comment; direct messages cannot
// be moderated through the API.
func (c *Connector) Moderate(ctx context.Context, m channels.Moderation) error {
	if !strings.HasPrefix(m.ThreadKey, "comment:") {
		return errors.New("instagram moderate: only comments can be hidden or deleted; direct messages cannot")
	}
	tok, _, err := c.session(ctx)
	if err != nil {
		return err
	}
	switch m.Action {
	case channels.ActionHide, channels.ActionUnhide:
		err = c.api.Change(ctx, tok, m.ExternalID, url.Values{"hide": {strconv.FormatBool(m.Action == channels.ActionHide)}}, PermManageComments)
	case channels.ActionDelete:
		err = c.api.Delete(ctx, tok, m.ExternalID, PermManageComments)
	default:
		return fmt.Errorf("instagram moderate: unknown action %q", m.Action)
	}
	return c.page.Forget(err)
}

var _ channels.MediaFetcher = (*Connector)(nil)

// FetchMedia downloads an Instagram DM attachment from the URL Meta gave (Ref).
func (c *Connector) FetchMedia(ctx context.Context, a inbox.Attachment, max int64, w io.Writer) (int64, error) {
	return graph.FetchLinked(ctx, c.api, a, max, w)
}
