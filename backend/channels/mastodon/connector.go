// Package mastodon connects a Mastodon account to Stormdesk through the REST
// API: mentions from /api/v1/notifications, direct messages from
// /api/v1/conversations, replies with POST /api/v1/statuses (and the
// Idempotency-Key header), and deleting the account's own statuses. Watch
// pushes: it keeps the streaming API's user:notification server-sent events
// stream open (on the host /api/v2/instance names) and signals each new
// mention, reconnecting with backoff when the stream drops.
package mastodon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Visibility values of a status, from most to least public.
const (
	VisibilityPublic   = "public"
	VisibilityUnlisted = "unlisted"
	VisibilityPrivate  = "private" // followers only
	VisibilityDirect   = "direct"
)

var visibilityRank = map[string]int{VisibilityPublic: 3, VisibilityUnlisted: 2, VisibilityPrivate: 1, VisibilityDirect: 0}

// Config configures one Mastodon account.
type Config struct {
	BaseURL    string // the account's server, e.g. "https://mastodon.social"
	Token      string // OAuth access token with read and write scopes; kept by the caller in the OS keyring
	HTTPClient *http.Client
	Retry      channels.Retry
	// ReplyVisibility is used for answers to public mentions: "public" or
	// "unlisted" (default). Answers never get more public than the status they
	// answer, and answers to direct messages stay direct.
	ReplyVisibility string
	MaxChars        int // the server's status limit; 0 means Mastodon's default 500
	PageSize        int // notifications per request, up to 80; 0 means 40
	BackfillPages   int // pages of history on the first sync; 0 means 1
	Logger          *slog.Logger
	// WatchBackoff paces Watch's reconnects: Base (default 1 s) doubles per
	// failed attempt up to Max (default 2 min), which also bounds how late a
	// mention is seen while the stream is down. Attempts is unused: Watch
	// reconnects until its context ends. Tests replace Sleep.
	WatchBackoff channels.Retry
	// StreamIdle is how long the stream may stay silent (no event, no
	// heartbeat) before it counts as dropped; 0 means 45 s.
	StreamIdle time.Duration
}

// Connector is a Mastodon account as a channels.Connector, channels.Moderator
// and channels.Watcher.
type Connector struct {
	cfg    Config
	client *Client
	log    *slog.Logger

	mu    sync.Mutex
	me    *Account
	known map[string]statusInfo // status id -> what a reply or delete needs

	streamMu   sync.Mutex // held across the instance lookup so concurrent Watches do it once
	streamBase string
}

var (
	_ channels.Connector = (*Connector)(nil)
	_ channels.Moderator = (*Connector)(nil)
	_ channels.Watcher   = (*Connector)(nil)
)

type statusInfo struct {
	visibility, acct, accountID string
}

// New returns a connector for one account; it does no I/O. The error is nil
// today: it keeps the signature every connector package shares (see registry).
func New(cfg Config) (*Connector, error) {
	if cfg.ReplyVisibility != VisibilityPublic {
		cfg.ReplyVisibility = VisibilityUnlisted
	}
	if cfg.MaxChars <= 0 {
		cfg.MaxChars = 500
	}
	if cfg.PageSize <= 0 || cfg.PageSize > 80 {
		cfg.PageSize = 40
	}
	if cfg.BackfillPages <= 0 {
		cfg.BackfillPages = 1
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.WatchBackoff = cfg.WatchBackoff.Or(channels.Retry{Max: defaultWatchMax}).WithDefaults()
	return &Connector{
		cfg:    cfg,
		client: NewClient(ClientOptions{HTTPClient: cfg.HTTPClient, BaseURL: cfg.BaseURL, Token: cfg.Token, Retry: cfg.Retry}),
		log:    cfg.Logger.With("channel", "mastodon"),
		known:  map[string]statusInfo{},
	}, nil
}

// Client returns the underlying API client.
func (c *Connector) Client() *Client { return c.client }

// Kind implements channels.Connector.
func (c *Connector) Kind() inbox.ChannelKind { return inbox.ChannelMastodon }

// Test checks the token with verify_credentials.
func (c *Connector) Test(ctx context.Context) error {
	c.mu.Lock()
	c.me = nil
	c.mu.Unlock()
	if _, err := c.self(ctx); err != nil {
		return fmt.Errorf("test mastodon account: %w", err)
	}
	return nil
}

func (c *Connector) self(ctx context.Context) (Account, error) {
	c.mu.Lock()
	me := c.me
	c.mu.Unlock()
	if me != nil {
		return *me, nil
	}
	a, err := c.client.VerifyCredentials(ctx)
	if err != nil {
		return Account{}, err
	}
	c.mu.Lock()
	c.me = &a
	c.mu.Unlock()
	return a, nil
}

// Limits implements channels.Connector.
func (c *Connector) Limits() channels.Limits {
	return channels.Limits{
		MaxTextLength: c.cfg.MaxChars,
		Notes: []channels.Note{
			{Code: "mastodon.noHide", Text: "Mastodon cannot hide other people's replies: block or mute the account, or report it to its server's moderators."},
			{Code: "mastodon.deleteOwn", Text: "Only your own posts can be deleted (30 deletions per 30 minutes)."},
			{Code: "mastodon.mention", Text: "Replies start with the author's @handle so they are notified; a reply to a direct message stays direct."},
			{Code: "mastodon.rate", Text: "Servers allow about 300 requests per 5 minutes per account."},
		},
	}
}

// cursor holds the newest notification id and the newest conversation
// last_status id already delivered; both are compared as numbers by Mastodon.
type cursor struct{ notif, conv string }

func parseCursor(s string) (cursor, error) {
	v, err := url.ParseQuery(s)
	if err != nil {
		return cursor{}, fmt.Errorf("bad cursor %q: %w", s, err)
	}
	return cursor{notif: v.Get("n"), conv: v.Get("c")}, nil
}

func (k cursor) String() string {
	v := url.Values{}
	if k.notif != "" {
		v.Set("n", k.notif)
	}
	if k.conv != "" {
		v.Set("c", k.conv)
	}
	return v.Encode()
}

// idLess compares Mastodon ids, which are decimal numbers of varying length.
func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func maxID(a, b string) string {
	if idLess(a, b) {
		return b
	}
	return a
}

// Fetch implements channels.Connector. Mentions are read with min_id (the
// page right after the cursor, so a burst larger than a page is read over
// several calls instead of leaving a gap); the first sync reads the newest
// BackfillPages pages following the Link header.
func (c *Connector) Fetch(ctx context.Context, cur string) (channels.Batch, error) {
	k, err := parseCursor(cur)
	if err != nil {
		return channels.Batch{}, fmt.Errorf("mastodon fetch: %w", err)
	}
	me, err := c.self(ctx)
	if err != nil {
		return channels.Batch{}, fmt.Errorf("mastodon fetch: %w", err)
	}
	var b channels.Batch
	next := k
	// Direct messages first: their thread keys come from the whole
	// conversation, so a direct mention seen again below is dropped rather
	// than filed under a key derived from its parent alone.
	if err := c.fetchConversations(ctx, me, k.conv, &next.conv, &b); err != nil {
		return channels.Batch{}, fmt.Errorf("mastodon fetch direct messages: %w", err)
	}
	if err := c.fetchMentions(ctx, me, k.notif, &next.notif, &b); err != nil {
		return channels.Batch{}, fmt.Errorf("mastodon fetch mentions: %w", err)
	}
	seen := map[string]bool{}
	items := b.Items[:0]
	for _, it := range b.Items {
		if !seen[it.ExternalID] {
			seen[it.ExternalID] = true
			items = append(items, it)
		}
	}
	b.Items = items
	b.Cursor = next.String()
	return b, nil
}

func (c *Connector) fetchMentions(ctx context.Context, me Account, since string, next *string, b *channels.Batch) error {
	p := PageParams{MinID: since, Limit: c.cfg.PageSize}
	for page := 0; ; page++ {
		ns, pg, err := c.client.Notifications(ctx, []string{"mention"}, p)
		if err != nil {
			return err
		}
		for i := len(ns) - 1; i >= 0; i-- { // oldest first, so replies follow what they answer
			n := ns[i]
			*next = maxID(*next, n.ID)
			if n.Type != "mention" || n.Status == nil {
				b.Skipped++
				c.log.Debug("mastodon notification skipped", "id", n.ID, "type", n.Type)
				continue
			}
			it, ok := c.statusItem(me, *n.Status, "")
			if !ok {
				b.Skipped++
				continue
			}
			b.Items = append(b.Items, it)
		}
		if since != "" {
			b.More = b.More || len(ns) >= p.Limit
			return nil
		}
		if page+1 >= c.cfg.BackfillPages || pg.NextMaxID == "" || len(ns) == 0 {
			return nil
		}
		p = PageParams{MaxID: pg.NextMaxID, Limit: c.cfg.PageSize}
	}
}

// fetchConversations reads conversations whose last status is newer than
// since. Only the last status comes with a conversation, so for a reply the
// thread's earlier statuses are read from its context: several DMs in a row
// are not lost.
func (c *Connector) fetchConversations(ctx context.Context, me Account, since string, next *string, b *channels.Batch) error {
	const limit = 40 // the documented maximum for conversations
	convs, _, err := c.client.Conversations(ctx, PageParams{MinID: since, Limit: limit})
	if err != nil {
		return err
	}
	if since != "" && len(convs) >= limit {
		b.More = true
	}
	for i := len(convs) - 1; i >= 0; i-- {
		cv := convs[i]
		last := cv.LastStatus
		if last == nil || last.ID == "" {
			b.Skipped++
			continue
		}
		if since != "" && !idLess(since, last.ID) {
			continue // the server ignored min_id; already delivered
		}
		thread := []Status{*last}
		if last.InReplyToID != nil {
			cx, err := c.client.StatusContext(ctx, last.ID)
			if err != nil {
				return fmt.Errorf("context of %s: %w", last.ID, err)
			}
			thread = append(cx.Ancestors, *last)
		}
		root := last.ID
		if i := slices.IndexFunc(thread, func(s Status) bool { return s.ID != "" }); i >= 0 {
			root = thread[i].ID // an ancestor without id cannot name the thread
		}
		for _, s := range thread {
			if since != "" && !idLess(since, s.ID) {
				continue // stored by an earlier fetch
			}
			it, ok := c.statusItem(me, s, "dm:"+root)
			if !ok {
				b.Skipped++
				continue
			}
			b.Items = append(b.Items, it)
		}
		*next = maxID(*next, last.ID)
	}
	return nil
}

// statusItem maps a status; threadKey "" derives it from the status itself.
// ok is false for a status without id: nothing could store it, answer it or
// recognise it when it comes again.
func (c *Connector) statusItem(me Account, s Status, threadKey string) (it inbox.Item, ok bool) {
	if s.ID == "" {
		return inbox.Item{}, false
	}
	text := plainText(s.Content)
	if s.SpoilerText != "" {
		text = "CW: " + s.SpoilerText + "\n\n" + text
	}
	it = inbox.Item{
		ExternalID: s.ID,
		Kind:       inbox.KindComment,
		Direction:  inbox.DirectionIn,
		SentAt:     s.CreatedAt,
		Author: inbox.Author{
			ExternalID:  s.Account.ID,
			Handle:      "@" + s.Account.Acct,
			DisplayName: s.Account.DisplayName,
			Reach:       s.Account.FollowersCount,
		},
	}
	it.Text, it.Flags = channels.CapText(text)
	if s.Account.ID == me.ID {
		it.Direction = inbox.DirectionOut
	}
	parent := ""
	if s.InReplyToID != nil {
		parent = *s.InReplyToID
		it.References = []string{parent}
	}
	if threadKey == "" {
		root := s.ID
		if parent != "" {
			root = parent // joins the thread holding the parent when ingest knows it
		}
		threadKey = "status:" + root
		if s.Visibility == VisibilityDirect {
			threadKey = "dm:" + root
		}
	}
	it.ThreadKey = threadKey
	if s.Visibility == VisibilityDirect {
		it.Kind = inbox.KindDM
	}
	for _, m := range s.MediaAttachments {
		name := path.Base(m.URL)
		if name == "." || name == "/" {
			name = m.Type
		}
		it.Attachments = append(it.Attachments, inbox.Attachment{Name: name, ContentType: m.Type})
	}
	c.mu.Lock()
	c.known[s.ID] = statusInfo{visibility: s.Visibility, acct: s.Account.Acct, accountID: s.Account.ID}
	c.mu.Unlock()
	return it, true
}

func (c *Connector) info(ctx context.Context, id string) (statusInfo, error) {
	c.mu.Lock()
	in, ok := c.known[id]
	c.mu.Unlock()
	if ok {
		return in, nil
	}
	s, err := c.client.Status(ctx, id)
	if err != nil {
		return statusInfo{}, err
	}
	in = statusInfo{visibility: s.Visibility, acct: s.Account.Acct, accountID: s.Account.ID}
	c.mu.Lock()
	c.known[id] = in
	c.mu.Unlock()
	return in, nil
}

// Reply implements channels.Connector. The answer goes in_reply_to_id the
// status answered, starts with its author's handle (without it a direct
// reply would reach nobody), and is never more public than that status.
func (c *Connector) Reply(ctx context.Context, r channels.Reply) (channels.Sent, error) {
	if strings.TrimSpace(r.Text) == "" {
		return channels.Sent{}, errors.New("mastodon reply: empty text")
	}
	target := r.InReplyTo
	if target == "" {
		_, target, _ = strings.Cut(r.ThreadKey, ":")
	}
	if target == "" {
		return channels.Sent{}, fmt.Errorf("mastodon reply: no status to answer in thread %q", r.ThreadKey)
	}
	in, err := c.info(ctx, target)
	if err != nil {
		return channels.Sent{}, fmt.Errorf("mastodon reply to %s: %w", target, err)
	}
	me, err := c.self(ctx)
	if err != nil {
		return channels.Sent{}, fmt.Errorf("mastodon reply: %w", err)
	}
	vis := c.cfg.ReplyVisibility
	if strings.HasPrefix(r.ThreadKey, "dm:") || r.Kind == inbox.KindDM {
		vis = VisibilityDirect
	}
	if rank, ok := visibilityRank[in.visibility]; ok && rank < visibilityRank[vis] {
		vis = in.visibility
	}
	text := r.Text
	if in.accountID != me.ID && in.acct != "" && !mentions(text, in.acct) {
		text = "@" + in.acct + " " + text
	}
	s, err := c.client.PostStatus(ctx, PostStatusParams{Status: text, InReplyToID: target, Visibility: vis}, r.IdempotencyKey)
	if err != nil {
		return channels.Sent{}, fmt.Errorf("mastodon reply to %s: %w", target, err)
	}
	c.mu.Lock()
	c.known[s.ID] = statusInfo{visibility: s.Visibility, acct: me.Acct, accountID: me.ID}
	c.mu.Unlock()
	return channels.Sent{ExternalID: s.ID, SentAt: s.CreatedAt}, nil
}

func mentions(text, acct string) bool {
	user, _, _ := strings.Cut(acct, "@")
	lower := strings.ToLower(text)
	return strings.Contains(lower, "@"+strings.ToLower(acct)) || strings.HasPrefix(lower, "@"+strings.ToLower(user)+" ")
}

// Moderate implements channels.Moderator: only deleting the account's own
// statuses exists in the Mastodon API.
func (c *Connector) Moderate(ctx context.Context, m channels.Moderation) error {
	if m.Action != channels.ActionDelete {
		return fmt.Errorf("mastodon %s %s: Mastodon cannot hide other people's statuses; block or mute the account, or report it", m.Action, m.ExternalID)
	}
	me, err := c.self(ctx)
	if err != nil {
		return fmt.Errorf("mastodon delete %s: %w", m.ExternalID, err)
	}
	c.mu.Lock()
	in, ok := c.known[m.ExternalID]
	c.mu.Unlock()
	if ok && in.accountID != me.ID {
		return fmt.Errorf("mastodon delete %s: it was written by @%s; Mastodon deletes only your own statuses", m.ExternalID, in.acct)
	}
	if err := c.client.DeleteStatus(ctx, m.ExternalID); err != nil {
		var api *channels.APIError
		if errors.As(err, &api) && api.Code == http.StatusNotFound {
			return fmt.Errorf("mastodon delete %s: %w (already deleted, or not your own status)", m.ExternalID, err)
		}
		return fmt.Errorf("mastodon delete %s: %w", m.ExternalID, err)
	}
	return nil
}
