// Package vk connects a VK community: community messages (DMs) and wall
// comments arrive through the Bots Long Poll API, older wall comments are
// backfilled with wall.getComments, and replies go out through messages.send
// and wall.createComment. Client is a plain VK API client; Connector adapts it
// to channels.Connector.
package vk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// MaxReplyLength is VK's limit for a message or comment, in characters.
const MaxReplyLength = 4096

// Config configures a Connector.
type Config struct {
	GroupID int64  // the community id (positive)
	Token   string // community access token: long poll and messages
	// UserToken is an admin's user token. VK serves the wall methods
	// (wall.get, wall.getComments, wall.createComment, wall.deleteComment)
	// to user tokens; when empty the community token is tried.
	UserToken  string
	HTTPClient *http.Client
	BaseURL    string // "" = DefaultBaseURL
	Retry      channels.Retry
	// BackfillPosts is how many recent posts have their comments fetched on
	// the first sync. 0 = 10; negative = no backfill.
	BackfillPosts int
	// PollWait is how long one Fetch waits on the long-poll server for new
	// events. 0 = 1s; negative = do not wait.
	PollWait time.Duration
	// RequestsPerSecond for the community token; 0 = 20.
	RequestsPerSecond float64
	// UserRequestsPerSecond for the user token; 0 = 3.
	UserRequestsPerSecond float64
	Logger                *slog.Logger
}

// Connector is one VK community. It implements channels.Connector,
// channels.Moderator and channels.Watcher.
type Connector struct {
	cfg  Config
	api  *Client // community token
	wall *Client // user token if given, else api
	log  *slog.Logger

	mu     sync.Mutex
	server LongPollServer // kept in memory only: the key is a credential
}

var (
	_ channels.Connector = (*Connector)(nil)
	_ channels.Moderator = (*Connector)(nil)
	_ channels.Watcher   = (*Connector)(nil)
)

// New returns a connector; it does no I/O.
func New(cfg Config) (*Connector, error) {
	if cfg.GroupID <= 0 {
		return nil, errors.New("vk: group id must be the positive community id")
	}
	if cfg.Token == "" {
		return nil, errors.New("vk: community access token is empty")
	}
	if cfg.BackfillPosts == 0 {
		cfg.BackfillPosts = 10
	}
	if cfg.PollWait == 0 {
		cfg.PollWait = time.Second
	}
	if cfg.PollWait < 0 {
		cfg.PollWait = 0
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.UserRequestsPerSecond <= 0 {
		cfg.UserRequestsPerSecond = 3
	}
	c := &Connector{cfg: cfg, log: cfg.Logger}
	c.api = NewClient(ClientOptions{HTTPClient: cfg.HTTPClient, BaseURL: cfg.BaseURL, Token: cfg.Token, RequestsPerSecond: cfg.RequestsPerSecond, Retry: cfg.Retry})
	c.wall = c.api
	if cfg.UserToken != "" {
		// VK holds user tokens to 3 requests per second.
		c.wall = NewClient(ClientOptions{HTTPClient: cfg.HTTPClient, BaseURL: cfg.BaseURL, Token: cfg.UserToken, RequestsPerSecond: cfg.UserRequestsPerSecond, Retry: cfg.Retry})
	}
	return c, nil
}

// Kind is inbox.ChannelVK.
func (c *Connector) Kind() inbox.ChannelKind { return inbox.ChannelVK }

// Limits describes VK's rules.
func (c *Connector) Limits() channels.Limits {
	return channels.Limits{
		MaxTextLength: MaxReplyLength,
		Notes: []channels.Note{
			{Code: "vk.rate", Text: "VK allows 20 requests per second with a community token and 3 with a user token."},
			{Code: "vk.noHide", Text: "Wall comments can be deleted but not hidden; community messages cannot be deleted from Stormdesk."},
			{Code: "vk.adminToken", Text: "Replying to and deleting wall comments needs a community admin's user token."},
		},
	}
}

// Test checks the token with groups.getById.
func (c *Connector) Test(ctx context.Context) error {
	gs, err := c.api.GroupsGetByID(ctx, c.cfg.GroupID)
	if err != nil {
		return fmt.Errorf("vk test connection: %w", err)
	}
	for _, g := range gs {
		if g.ID == c.cfg.GroupID {
			return nil
		}
	}
	return fmt.Errorf("vk test connection: community %d not found with this token", c.cfg.GroupID)
}

// cursor is what Fetch persists. The long-poll key and server are
// deliberately absent (they are credentials); a fresh key is requested once
// per process and the stored ts keeps the position.
type cursor struct {
	TS       Num     `json:"ts"`
	Backfill []int64 `json:"backfill,omitempty"` // post ids whose comments are still to fetch
}

func parseCursor(s string) (cursor, error) {
	var cur cursor
	err := channels.DecodeCursor("vk", s, &cur)
	return cur, err
}

func (cur cursor) String() string { return channels.EncodeCursor(cur) }

// Fetch returns new items. The first call starts the long-poll position at
// "now" and queues a backfill of recent posts' comments, one post per call.
func (c *Connector) Fetch(ctx context.Context, raw string) (channels.Batch, error) {
	cur, err := parseCursor(raw)
	if err != nil {
		return channels.Batch{}, err
	}
	if cur.TS == "" {
		s, err := c.freshServer(ctx)
		if err != nil {
			return channels.Batch{}, err
		}
		cur.TS = s.TS
		if c.cfg.BackfillPosts > 0 {
			cur.Backfill = c.recentPosts(ctx)
		}
	}
	if len(cur.Backfill) > 0 {
		items, err := c.backfillPost(ctx, cur.Backfill[0])
		if err != nil {
			return channels.Batch{}, err
		}
		cur.Backfill = cur.Backfill[1:]
		return channels.Batch{Items: items, Cursor: cur.String(), More: len(cur.Backfill) > 0}, nil
	}
	resp, err := c.poll(ctx, cur.TS, c.cfg.PollWait)
	if err != nil {
		return channels.Batch{}, err
	}
	b := c.batch(resp.Updates)
	cur.TS = resp.TS
	b.Cursor = cur.String()
	return b, nil
}

// batch maps a long poll's updates; what it cannot use is counted as skipped.
func (c *Connector) batch(updates []Update) channels.Batch {
	b := channels.Batch{}
	for _, u := range updates {
		it, ok, err := c.convert(u)
		if err != nil {
			// One broken event must not block the rest: count and log it.
			c.log.Warn("vk: skipping malformed event", "type", u.Type, "event", u.EventID, "err", err)
			b.Skipped++
			continue
		}
		if !ok {
			b.Skipped++
			continue
		}
		b.Items = append(b.Items, it)
	}
	return b
}

// recentPosts lists the community's newest posts for backfill. Failing that is
// not fatal: the live stream still works, so it is logged and skipped.
func (c *Connector) recentPosts(ctx context.Context) []int64 {
	p, err := c.wall.WallGet(ctx, -c.cfg.GroupID, c.cfg.BackfillPosts)
	if err != nil {
		c.log.Warn("vk: cannot list recent posts; comments before now are not backfilled", "err", err)
		return nil
	}
	ids := make([]int64, 0, len(p.Items))
	for _, post := range p.Items {
		if post.ID > 0 { // post 0's comments are an API error, not a backfill
			ids = append(ids, post.ID)
		}
	}
	return ids
}

func (c *Connector) backfillPost(ctx context.Context, postID int64) ([]inbox.Item, error) {
	owner := -c.cfg.GroupID
	res, err := c.wall.GetComments(ctx, GetCommentsParams{OwnerID: owner, PostID: postID, Count: 100, Sort: "desc", ThreadItemsCount: 10})
	var api *channels.APIError
	if errors.As(err, &api) && api.Kind == channels.Forbidden {
		c.log.Warn("vk: no access to comments of a post; skipped", "post", postID, "err", err)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return c.commentItems(res, owner, postID), nil
}

// commentItems maps a post's comments and their threads, as wall.getComments
// answers them, with their authors' names.
func (c *Connector) commentItems(res WallComments, owner, postID int64) []inbox.Item {
	names := map[int64]string{}
	for _, p := range res.Profiles {
		names[p.ID] = strings.TrimSpace(p.FirstName + " " + p.LastName)
	}
	for _, g := range res.Groups {
		names[-g.ID] = g.Name
	}
	var items []inbox.Item
	add := func(cm Comment) {
		if cm.ID <= 0 {
			// Every such comment would get the same external ID, so all
			// but the first would be dropped as its duplicates.
			return
		}
		cm.PostID, cm.PostOwnerID = postID, owner
		it := c.commentItem(cm)
		it.Author.DisplayName = names[cm.FromID]
		items = append(items, it)
	}
	for _, cm := range res.Items {
		add(cm)
		if cm.Thread != nil {
			for _, r := range cm.Thread.Items {
				add(r)
			}
		}
	}
	return items
}

// convert maps one long-poll event; ok=false means a type Stormdesk does not use.
func (c *Connector) convert(u Update) (inbox.Item, bool, error) {
	switch u.Type {
	case "message_new", "message_reply":
		var m Message
		if u.Type == "message_new" {
			var mn MessageNew
			if err := json.Unmarshal(u.Object, &mn); err != nil {
				return inbox.Item{}, false, err
			}
			m = mn.Message
		} else if err := json.Unmarshal(u.Object, &m); err != nil { // message_reply carries the message itself
			return inbox.Item{}, false, err
		}
		if m.PeerID == 0 || m.Date == 0 {
			return inbox.Item{}, false, errors.New("message without peer_id or date")
		}
		return c.messageItem(m, u.Type == "message_reply"), true, nil
	case "wall_reply_new":
		var cm Comment
		if err := json.Unmarshal(u.Object, &cm); err != nil {
			return inbox.Item{}, false, err
		}
		if cm.PostOwnerID == 0 {
			cm.PostOwnerID = cm.OwnerID
		}
		if cm.ID == 0 || cm.PostID == 0 || cm.PostOwnerID == 0 {
			return inbox.Item{}, false, errors.New("comment without id, post_id or owner")
		}
		return c.commentItem(cm), true, nil
	}
	return inbox.Item{}, false, nil
}

// MessageExternalID is the external id of a community message.
func MessageExternalID(peerID, id int64) string { return fmt.Sprintf("msg:%d:%d", peerID, id) }

// CommentExternalID is the external id of a wall comment.
func CommentExternalID(ownerID, postID, id int64) string {
	return fmt.Sprintf("wall%d_%d_%d", ownerID, postID, id)
}

func (c *Connector) messageItem(m Message, out bool) inbox.Item {
	id := MessageExternalID(m.PeerID, m.ID)
	if m.ID == 0 {
		// Messages in group chats have no global id for a community; the
		// per-conversation id is stable instead.
		id = fmt.Sprintf("msg:%d:c%d", m.PeerID, m.ConversationMessageID)
	}
	it := inbox.Item{
		ExternalID: id,
		ThreadKey:  fmt.Sprintf("peer:%d", m.PeerID),
		Kind:       inbox.KindDM,
		Direction:  inbox.DirectionIn,
		Author:     author(m.FromID),
		SentAt:     channels.UnixTime(m.Date),
	}
	if out || m.Out == 1 || m.FromID == -c.cfg.GroupID {
		it.Direction = inbox.DirectionOut
	}
	it.Text, it.Flags = channels.CapText(m.Text)
	return it
}

func (c *Connector) commentItem(cm Comment) inbox.Item {
	it := inbox.Item{
		ExternalID: CommentExternalID(cm.PostOwnerID, cm.PostID, cm.ID),
		ThreadKey:  fmt.Sprintf("wall%d_%d", cm.PostOwnerID, cm.PostID),
		Kind:       inbox.KindComment,
		Direction:  inbox.DirectionIn,
		Author:     author(cm.FromID),
		SentAt:     channels.UnixTime(cm.Date),
	}
	if cm.FromID == -c.cfg.GroupID {
		it.Direction = inbox.DirectionOut
	}
	if cm.ReplyToComment != 0 {
		it.References = []string{CommentExternalID(cm.PostOwnerID, cm.PostID, cm.ReplyToComment)}
	}
	it.Text, it.Flags = channels.CapText(cm.Text)
	return it
}

func author(fromID int64) inbox.Author {
	a := inbox.Author{Channel: inbox.ChannelVK, ExternalID: itoa(fromID), Handle: "id" + itoa(fromID)}
	if fromID < 0 {
		a.Handle = "club" + itoa(-fromID)
	}
	return a
}

// RandomID derives messages.send's random_id from an idempotency key, so a
// retried send of the same reply is dropped by VK instead of sent twice.
func RandomID(key string) int32 {
	h := fnv.New32a()
	h.Write([]byte(key))
	id := int32(h.Sum32() & 0x7fffffff)
	if id == 0 {
		id = 1
	}
	return id
}

// threadTarget parses a thread key: "peer:<peer_id>" or "wall<owner>_<post>".
func threadTarget(key string) (peer, owner, post int64, err error) {
	if s, ok := strings.CutPrefix(key, "peer:"); ok {
		peer, err = strconv.ParseInt(s, 10, 64)
		if err == nil && peer != 0 {
			return peer, 0, 0, nil
		}
	} else if s, ok := strings.CutPrefix(key, "wall"); ok {
		o, p, found := strings.Cut(s, "_")
		owner, err1 := strconv.ParseInt(o, 10, 64)
		post, err2 := strconv.ParseInt(p, 10, 64)
		if found && err1 == nil && err2 == nil && post > 0 {
			return 0, owner, post, nil
		}
	}
	return 0, 0, 0, fmt.Errorf("vk: %q is not a VK thread key (want peer:<id> or wall<owner>_<post>)", key)
}

// commentID returns the comment id of an external id "wall<owner>_<post>_<id>".
func commentID(ext string) (owner, post, id int64, err error) {
	s, ok := strings.CutPrefix(ext, "wall")
	parts := strings.Split(s, "_")
	if ok && len(parts) == 3 {
		owner, err1 := strconv.ParseInt(parts[0], 10, 64)
		post, err2 := strconv.ParseInt(parts[1], 10, 64)
		id, err3 := strconv.ParseInt(parts[2], 10, 64)
		if err1 == nil && err2 == nil && err3 == nil && id > 0 {
			return owner, post, id, nil
		}
	}
	return 0, 0, 0, fmt.Errorf("vk: %q is not a wall comment id", ext)
}

// Reply sends a community message or a wall comment, by thread key.
func (c *Connector) Reply(ctx context.Context, r channels.Reply) (channels.Sent, error) {
	if err := channels.CheckReply("VK", r, utf8.RuneCountInString, MaxReplyLength); err != nil {
		return channels.Sent{}, err
	}
	peer, owner, post, err := threadTarget(r.ThreadKey)
	if err != nil {
		return channels.Sent{}, err
	}
	if peer != 0 {
		id, err := c.api.Send(ctx, SendParams{PeerID: peer, Message: r.Text, RandomID: RandomID(r.IdempotencyKey)})
		if err != nil {
			return channels.Sent{}, err
		}
		return channels.Sent{ExternalID: MessageExternalID(peer, id), SentAt: time.Now().UTC()}, nil
	}
	p := CreateCommentParams{OwnerID: owner, PostID: post, Message: r.Text, FromGroup: c.cfg.GroupID, GUID: r.IdempotencyKey}
	if r.InReplyTo != "" {
		o, po, id, err := commentID(r.InReplyTo)
		if err != nil || o != owner || po != post {
			return channels.Sent{}, fmt.Errorf("vk reply: %q is not a comment under %s", r.InReplyTo, r.ThreadKey)
		}
		p.ReplyToComment = id
	}
	res, err := c.wall.CreateComment(ctx, p)
	if err != nil {
		return channels.Sent{}, err
	}
	return channels.Sent{ExternalID: CommentExternalID(owner, post, res.CommentID), SentAt: time.Now().UTC()}, nil
}

// Moderate deletes a wall comment. VK has no way to hide a comment, and
// community messages are not deleted from here; both give a clear error.
func (c *Connector) Moderate(ctx context.Context, m channels.Moderation) error {
	owner, _, id, err := commentID(m.ExternalID)
	if err != nil {
		return fmt.Errorf("vk moderate: only wall comments can be moderated: %w", err)
	}
	switch m.Action {
	case channels.ActionDelete:
		return c.wall.DeleteComment(ctx, owner, id)
	case channels.ActionHide:
		return errors.New("vk moderate: VK cannot hide a wall comment; delete it instead")
	}
	return fmt.Errorf("vk moderate: unknown action %q", m.Action)
}
