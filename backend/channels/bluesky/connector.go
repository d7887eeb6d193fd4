// Package bluesky connects a Bluesky account to Stormdesk through XRPC on
// the account's PDS, logged in with an app password: mentions, replies and
// quotes from app.bsky.notification.listNotifications (their records carry
// the posts' text), threads keyed by the root post's at:// URI, and answers
// as app.bsky.feed.post records made with com.atproto.repo.createRecord
// under a record key derived from the reply's idempotency key, so a retried
// send finds the post it already made instead of posting twice. Bluesky has
// no push for notifications that an app password may use, so there is no
// watch.go: the scheduler polls.
package bluesky

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rivo/uniseg"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening/webapi"
)

// MaxGraphemes is the longest post text Bluesky accepts, in grapheme
// clusters (the lexicon's maxGraphemes).
const MaxGraphemes = 300

// Reasons are the notifications that belong in the inbox.
var Reasons = []string{"mention", "reply", "quote"}

// Config configures one Bluesky account.
type Config struct {
	Identifier, AppPassword string
	BaseURL                 string // the account's PDS; "" = DefaultBaseURL
	HTTPClient              *http.Client
	Retry                   channels.Retry
	Now                     func() time.Time
	PageSize                int // notifications per request, 1–100; 0 means 50
	// BackfillPages is how many pages the first sync reads; 0 means 1.
	BackfillPages int
	// MaxPages bounds one Fetch of a catch-up; the rest comes with More.
	// 0 means 10.
	MaxPages int
}

// Connector is a Bluesky account as a channels.Connector.
type Connector struct {
	cfg    Config
	client *Client
}

var _ channels.Connector = (*Connector)(nil)

// New returns a connector; it does no I/O.
func New(cfg Config) (*Connector, error) {
	if cfg.Identifier == "" {
		return nil, errors.New("bluesky: the account's handle is required")
	}
	if cfg.PageSize <= 0 || cfg.PageSize > 100 {
		cfg.PageSize = 50
	}
	if cfg.BackfillPages <= 0 {
		cfg.BackfillPages = 1
	}
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = 10
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Connector{cfg: cfg, client: NewClient(ClientOptions{
		Identifier: cfg.Identifier, AppPassword: cfg.AppPassword, BaseURL: cfg.BaseURL,
		HTTPClient: cfg.HTTPClient, Retry: cfg.Retry, Now: cfg.Now,
	})}, nil
}

// Kind implements channels.Connector.
func (c *Connector) Kind() inbox.ChannelKind { return Kind }

// Test logs in afresh with the app password.
func (c *Connector) Test(ctx context.Context) error {
	c.client.Logout()
	if _, err := c.client.DID(ctx); err != nil {
		return fmt.Errorf("test bluesky account: %w", err)
	}
	return nil
}

// Limits implements channels.Connector.
func (c *Connector) Limits() channels.Limits {
	return channels.Limits{
		MaxTextLength: MaxGraphemes,
		Notes: []channels.Note{
			{Code: "bluesky.graphemes", Params: map[string]string{"max": strconv.Itoa(MaxGraphemes)}, Text: "Posts hold at most 300 characters (an emoji or accented letter counts once)."},
			{Code: "bluesky.noDM", Text: "Direct messages (Bluesky chat) are not read; mentions, replies and quotes arrive."},
			{Code: "bluesky.public", Text: "Replies are public posts in the thread; the author of the post answered is notified."},
		},
	}
}

// ThreadKey is the thread key of the thread whose root post is rootURI.
func ThreadKey(rootURI string) string { return "post:" + rootURI }

// Fetch implements channels.Connector. listNotifications pages from the
// newest down; a poll reads until it meets the mark of the previous one, a
// first sync reads BackfillPages pages, and a catch-up longer than MaxPages
// goes on in the next Fetch from the page cursor it stored.
func (c *Connector) Fetch(ctx context.Context, cur string) (channels.Batch, error) {
	var k cursor
	if err := channels.DecodeCursor("bluesky", cur, &k); err != nil {
		return channels.Batch{}, err
	}
	first := k.Mark.IsZero() && k.Next == ""
	seen := map[string]bool{}
	for _, u := range k.Seen {
		seen[u] = true
	}
	next, top, topSeen := k.Next, k.Top, slices.Clone(k.TopSeen)
	var b channels.Batch
	for page := 0; ; page++ {
		q := url.Values{"limit": {strconv.Itoa(c.cfg.PageSize)}, "reasons": Reasons}
		if next != "" {
			q.Set("cursor", next)
		}
		var a notificationsAnswer
		if _, err := c.client.Query(ctx, "app.bsky.notification.listNotifications", q, &a); err != nil {
			return channels.Batch{}, fmt.Errorf("bluesky fetch notifications: %w", err)
		}
		if a.Notifications == nil {
			return channels.Batch{}, fmt.Errorf("bluesky fetch notifications: %w: no notifications", webapi.ErrMalformed)
		}
		reached := false
		for _, n := range *a.Notifications {
			at := n.IndexedAt
			if !k.Mark.IsZero() && at.Before(k.Mark) {
				reached = true
				break
			}
			if at.Equal(k.Mark) && seen[n.URI] {
				continue // delivered; others of the same time may not be
			}
			// An index time in the future is a broken clock; as the mark it
			// would end every later poll at its first notification. Such a
			// notification comes again with each poll instead (stored once).
			if !channels.Future(at, c.cfg.Now()) {
				if at.After(top) {
					top, topSeen = at, nil
				}
				if at.Equal(top) {
					topSeen = append(topSeen, n.URI)
				}
			}
			it, ok := item(n)
			if !ok {
				b.Skipped++ // a like or follow the server did not filter, or a record without text
				continue
			}
			b.Items = append(b.Items, it)
		}
		next = a.Cursor
		if reached || next == "" || len(*a.Notifications) == 0 || (first && page+1 >= c.cfg.BackfillPages) {
			mark, s := k.Mark, k.Seen
			switch {
			case top.After(mark):
				mark, s = top, topSeen
			case top.Equal(mark):
				s = append(slices.Clone(s), topSeen...)
			}
			b.Cursor = channels.EncodeCursor(cursor{Mark: mark, Seen: s})
			break
		}
		if page+1 >= c.cfg.MaxPages {
			b.Cursor = channels.EncodeCursor(cursor{Mark: k.Mark, Seen: k.Seen, Next: next, Top: top, TopSeen: topSeen})
			b.More = true
			break
		}
	}
	// Oldest first, so a reply follows what it answers; a notification a
	// moving page boundary showed twice is kept once.
	slices.Reverse(b.Items)
	dup := map[string]bool{}
	b.Items = slices.DeleteFunc(b.Items, func(it inbox.Item) bool {
		d := dup[it.ExternalID]
		dup[it.ExternalID] = true
		return d
	})
	return b, nil
}

func item(n Notification) (inbox.Item, bool) {
	if !slices.Contains(Reasons, n.Reason) || n.URI == "" {
		return inbox.Item{}, false
	}
	root := n.URI
	var refs []string
	if r := n.Record.Reply; r != nil && r.Root.URI != "" {
		root = r.Root.URI
		refs = []string{r.Parent.URI}
	}
	sent := n.Record.CreatedAt
	if sent.IsZero() {
		sent = n.IndexedAt
	}
	it := inbox.Item{
		ExternalID: n.URI, ThreadKey: ThreadKey(root), Kind: inbox.KindComment, Direction: inbox.DirectionIn,
		Author: inbox.Author{ExternalID: n.Author.DID, Handle: "@" + n.Author.Handle, DisplayName: n.Author.DisplayName},
		SentAt: sent.UTC(), ReceivedAt: n.IndexedAt.UTC(), References: refs,
	}
	it.Text, it.Flags = channels.CapText(n.Record.Text)
	return it, true
}

// Reply implements channels.Connector: a post whose reply names the root
// and the parent (uri and cid, read with getPosts), under the record key
// TID(IdempotencyKey). A send that failed after the PDS may have written
// it, or a second send of the same reply, is checked with getRecord under
// that key, so the answer is posted once.
func (c *Connector) Reply(ctx context.Context, r channels.Reply) (channels.Sent, error) {
	if err := channels.CheckReply("Bluesky", r, uniseg.GraphemeClusterCount, MaxGraphemes); err != nil {
		return channels.Sent{}, err
	}
	target, err := replyTarget(r)
	if err != nil {
		return channels.Sent{}, err
	}
	parent, err := c.post(ctx, target)
	if err != nil {
		return channels.Sent{}, fmt.Errorf("bluesky reply to %s: %w", target, err)
	}
	ref := ReplyRef{Root: StrongRef{URI: parent.URI, CID: parent.CID}, Parent: StrongRef{URI: parent.URI, CID: parent.CID}}
	if pr := parent.Record.Reply; pr != nil && pr.Root.URI != "" {
		ref.Root = pr.Root
	}
	did, err := c.client.DID(ctx)
	if err != nil {
		return channels.Sent{}, fmt.Errorf("bluesky reply: %w", err)
	}
	rkey := TID(r.IdempotencyKey)
	rec := PostRecord{Type: Collection, Text: r.Text, CreatedAt: c.cfg.Now().UTC(), Reply: &ref}
	var a createAnswer
	body := map[string]any{"repo": did, "collection": Collection, "rkey": rkey, "record": rec}
	// The fixed record key makes a repeated create harmless: it cannot
	// make a second post.
	_, err = c.client.Procedure(ctx, "com.atproto.repo.createRecord", body, true, &a)
	if err == nil {
		return channels.Sent{ExternalID: a.URI, SentAt: rec.CreatedAt}, nil
	}
	var rl *channels.RateLimitError
	if errors.As(err, &rl) || errors.Is(err, channels.ErrAuth) || errors.Is(err, context.Canceled) {
		return channels.Sent{}, fmt.Errorf("bluesky reply: %w", err)
	}
	got, found, gerr := c.record(ctx, did, rkey)
	if gerr != nil {
		return channels.Sent{}, fmt.Errorf("bluesky reply: %w (and checking for the post: %v)", err, gerr)
	}
	if !found {
		return channels.Sent{}, fmt.Errorf("bluesky reply: %w", err)
	}
	return channels.Sent{ExternalID: got.URI, SentAt: got.Value.CreatedAt}, nil
}

func replyTarget(r channels.Reply) (string, error) {
	target := r.InReplyTo
	if target == "" {
		target, _ = strings.CutPrefix(r.ThreadKey, "post:")
	}
	if !strings.HasPrefix(target, "at://") {
		return "", fmt.Errorf("bluesky reply: no post to answer in thread %q", r.ThreadKey)
	}
	return target, nil
}

// WasSent tells the outbox whether an interrupted attempt of r reached
// Bluesky: the account's post under the reply's record key exists.
func (c *Connector) WasSent(ctx context.Context, r channels.Reply) (channels.Sent, bool, error) {
	if r.IdempotencyKey == "" {
		return channels.Sent{}, false, errors.New("bluesky: no idempotency key to look for")
	}
	did, err := c.client.DID(ctx)
	if err != nil {
		return channels.Sent{}, false, fmt.Errorf("bluesky was sent: %w", err)
	}
	got, found, err := c.record(ctx, did, TID(r.IdempotencyKey))
	if err != nil || !found {
		return channels.Sent{}, false, err
	}
	return channels.Sent{ExternalID: got.URI, SentAt: got.Value.CreatedAt}, true, nil
}

func (c *Connector) post(ctx context.Context, uri string) (PostView, error) {
	var a postsAnswer
	if _, err := c.client.Query(ctx, "app.bsky.feed.getPosts", url.Values{"uris": {uri}}, &a); err != nil {
		return PostView{}, err
	}
	for _, p := range a.Posts {
		if p.URI == uri && p.CID != "" {
			return p, nil
		}
	}
	// getPosts leaves out deleted and blocked posts.
	return PostView{}, &channels.APIError{Platform: "bluesky", Code: http.StatusNotFound, Message: "the post is deleted or not visible", Kind: channels.Permanent}
}

// record reads the account's own post under rkey; found is false when the
// PDS has none (400 RecordNotFound).
func (c *Connector) record(ctx context.Context, did, rkey string) (recordAnswer, bool, error) {
	var a recordAnswer
	q := url.Values{"repo": {did}, "collection": {Collection}, "rkey": {rkey}}
	_, err := c.client.Query(ctx, "com.atproto.repo.getRecord", q, &a)
	var api *channels.APIError
	if errors.As(err, &api) && api.Code == http.StatusBadRequest && strings.Contains(api.Message, "RecordNotFound") {
		return recordAnswer{}, false, nil
	}
	if err != nil {
		return recordAnswer{}, false, err
	}
	return a, a.URI != "", nil
}

// tidChars is the base32-sortable alphabet of TIDs.
const tidChars = "234567abcdefghijklmnopqrstuvwxyz"

// TID is a syntactically valid record key (13 characters of base32-sortable,
// top bit zero) derived from key, so every attempt of one reply uses the
// same key. Its embedded time is not the send time; Bluesky orders posts by
// createdAt, not by record key.
func TID(key string) string {
	h := sha256.Sum256([]byte(key))
	v := binary.BigEndian.Uint64(h[:8]) &^ (1 << 63)
	var b [13]byte
	for i := 12; i >= 0; i-- {
		b[i] = tidChars[v&31]
		v >>= 5
	}
	return string(b[:])
}
