// Package telegram connects a Telegram bot to Stormdesk through the Bot API:
// getUpdates (polling, never a webhook, since a desktop app has no public
// URL), sendMessage with reply_parameters, and deleteMessage.
package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Platform rules from the Bot API documentation.
const (
	MaxMessageLength = 4096           // sendMessage text, in characters after entity parsing
	DeleteWindow     = 48 * time.Hour // deleteMessage works only on younger messages
	maxKnownDates    = 20000
)

// AllowedUpdates are the update types Stormdesk asks for; others still arrive
// briefly after a change (see getUpdates) and are counted as skipped.
var AllowedUpdates = []string{"message", "edited_message", "channel_post", "edited_channel_post"}

// ErrTooOld is returned by Moderate for messages past the 48 h delete window.
var ErrTooOld = errors.New("telegram lets bots delete only messages younger than 48 hours")

// Config configures a bot connector.
type Config struct {
	Token      string       // from @BotFather; kept by the caller in the OS keyring
	BaseURL    string       // "" = DefaultBaseURL; tests point it at telegramfake
	HTTPClient *http.Client // its Timeout must exceed PollTimeout
	Retry      channels.Retry
	// PollTimeout is the long-poll wait of one Fetch; 0 polls without waiting.
	PollTimeout time.Duration
	// WatchTimeout is the long-poll wait of Watch; 0 means the package's
	// WatchTimeout (25 s). It is kept 5 s under HTTPClient.Timeout.
	WatchTimeout time.Duration
	Limit        int // updates per Fetch, 1–100; 0 means 100
	Logger       *slog.Logger
	Now          func() time.Time
	// SentAt looks up when a stored message was sent, so Moderate can refuse a
	// delete past the 48 h window before asking Telegram. Nil (or not found)
	// falls back to the messages this connector fetched or sent itself.
	SentAt func(ctx context.Context, externalID string) (t time.Time, ok bool, err error)
}

// Connector is a Telegram bot as a channels.Connector, channels.Moderator and
// channels.Watcher.
type Connector struct {
	cfg    Config
	client *Client
	log    *slog.Logger

	gate *pollGate // one getUpdates at a time, see watch.go

	mu    sync.Mutex
	dates map[string]time.Time // external id -> sent time, for the delete window
}

// New returns a connector for one bot; it does no I/O. The error is nil today:
// it keeps the signature every connector package shares (see registry).
func New(cfg Config) (*Connector, error) {
	if cfg.Limit <= 0 || cfg.Limit > 100 {
		cfg.Limit = 100
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Connector{
		cfg:    cfg,
		client: NewClient(ClientOptions{HTTPClient: cfg.HTTPClient, BaseURL: cfg.BaseURL, Token: cfg.Token, Retry: cfg.Retry}),
		log:    cfg.Logger.With("channel", "telegram"),
		gate:   newPollGate(),
		dates:  map[string]time.Time{},
	}, nil
}

// Client returns the underlying Bot API client.
func (c *Connector) Client() *Client { return c.client }

// Kind implements channels.Connector.
func (c *Connector) Kind() inbox.ChannelKind { return inbox.ChannelTelegram }

// Test checks the token with getMe.
func (c *Connector) Test(ctx context.Context) error {
	u, err := c.client.GetMe(ctx)
	if err != nil {
		return fmt.Errorf("test telegram bot: %w", err)
	}
	if !u.IsBot {
		return fmt.Errorf("test telegram bot: the token belongs to %q, which is not a bot", u.Username)
	}
	return nil
}

// Limits implements channels.Connector.
func (c *Connector) Limits() channels.Limits {
	return channels.Limits{
		MaxTextLength: MaxMessageLength,
		DeleteWindow:  DeleteWindow,
		Notes: []channels.Note{
			{Code: "telegram.backlog", Text: "Telegram keeps undelivered updates for at most 24 hours: if Stormdesk is off longer, messages are lost and cannot be fetched later."},
			{Code: "telegram.privacy", Text: "A bot sees only chats it was added to; in groups it needs privacy mode off or admin rights to see every message."},
			{Code: "telegram.noHide", Text: "Bots cannot hide messages, only delete them: their own anywhere, others' in private chats, and in groups only as an admin with delete rights."},
		},
	}
}

// Fetch implements channels.Connector. The cursor is the next getUpdates
// offset; passing it on the next Fetch is what confirms (drops) the updates on
// Telegram's side, so they are only confirmed after the caller stored them.
// A Watch long poll in flight is cut short first, since Telegram serves one
// getUpdates per bot at a time.
func (c *Connector) Fetch(ctx context.Context, cursor string) (channels.Batch, error) {
	offset, err := parseCursor(cursor)
	if err != nil {
		return channels.Batch{}, fmt.Errorf("telegram fetch: %w", err)
	}
	if err := c.gate.beginFetch(ctx); err != nil {
		return channels.Batch{}, fmt.Errorf("telegram fetch: %w", err)
	}
	raw, err := c.client.GetUpdates(ctx, GetUpdatesParams{
		Offset: offset, Limit: c.cfg.Limit, Timeout: int(c.cfg.PollTimeout / time.Second), AllowedUpdates: AllowedUpdates,
	})
	c.gate.endFetch(offset, err == nil)
	if err != nil {
		return channels.Batch{}, fmt.Errorf("telegram fetch: %w", err)
	}
	return c.batch(raw, cursor, offset), nil
}

// batch maps a getUpdates answer fetched at offset (stored as cursor) to a
// batch whose cursor confirms every update in it, readable or not.
func (c *Connector) batch(raw []json.RawMessage, cursor string, offset int64) channels.Batch {
	b := channels.Batch{Cursor: cursor, More: len(raw) >= c.cfg.Limit}
	next := offset
	for _, r := range raw {
		var u Update
		if err := json.Unmarshal(r, &u); err != nil {
			// Only the update's own shape is broken; skipping it (counted) keeps
			// the rest of the batch and the queue moving.
			var id struct {
				UpdateID int64 `json:"update_id"`
			}
			_ = json.Unmarshal(r, &id)
			next = max(next, id.UpdateID+1)
			b.Skipped++
			c.log.Warn("telegram update skipped: malformed", "update_id", id.UpdateID, "err", err)
			continue
		}
		next = max(next, u.UpdateID+1)
		it, ok := c.itemOf(u)
		if !ok {
			b.Skipped++
			c.log.Debug("telegram update skipped: unsupported type or content", "update_id", u.UpdateID)
			continue
		}
		b.Items = append(b.Items, it)
	}
	if next > offset {
		b.Cursor = strconv.FormatInt(next, 10)
	}
	return b
}

func (c *Connector) itemOf(u Update) (inbox.Item, bool) {
	switch {
	case u.Message != nil:
		return c.messageItem(u.Message, false)
	case u.EditedMessage != nil:
		return c.messageItem(u.EditedMessage, true)
	case u.ChannelPost != nil:
		return c.messageItem(u.ChannelPost, false)
	case u.EditedChannelPost != nil:
		return c.messageItem(u.EditedChannelPost, true)
	}
	return inbox.Item{}, false
}

// messageID is the stable external id of a message: chat and message ids.
func messageID(chatID, msgID int64) string { return fmt.Sprintf("%d:%d", chatID, msgID) }

func threadKey(chatID int64, thread int64) string {
	if thread == 0 {
		return fmt.Sprintf("chat:%d", chatID)
	}
	return fmt.Sprintf("chat:%d:thread:%d", chatID, thread)
}

func (c *Connector) messageItem(m *Message, edited bool) (inbox.Item, bool) {
	text := m.Text
	if text == "" {
		text = m.Caption
	}
	atts := attachments(m)
	if text == "" && len(atts) == 0 {
		// Service messages (members joining, pins) and content Stormdesk does not
		// show yet (stickers, voice, polls) carry nothing to answer in text.
		return inbox.Item{}, false
	}
	base := messageID(m.Chat.ID, m.MessageID)
	sent := channels.UnixTime(m.Date)
	it := inbox.Item{
		ExternalID:  base,
		Direction:   inbox.DirectionIn,
		Author:      authorOf(m),
		SentAt:      sent,
		Attachments: atts,
	}
	it.Text, it.Flags = channels.CapText(text)
	switch m.Chat.Type {
	case "private":
		it.Kind = inbox.KindDM
		it.ThreadKey = threadKey(m.Chat.ID, 0)
	case "channel":
		// The channel speaks for the brand; comments under the post arrive in
		// its discussion group.
		it.Kind = inbox.KindComment
		it.Direction = inbox.DirectionOut
		it.ThreadKey = threadKey(m.Chat.ID, m.MessageID)
	default: // group, supergroup
		it.Kind = inbox.KindComment
		root := m.MessageID
		switch {
		case m.MessageThreadID != 0:
			// Forum topics and comments under a channel post in its discussion
			// group carry the thread's root message id.
			root = m.MessageThreadID
		case m.ReplyToMessage != nil:
			root = m.ReplyToMessage.MessageID
			if m.ReplyToMessage.MessageThreadID != 0 {
				root = m.ReplyToMessage.MessageThreadID
			}
		}
		it.ThreadKey = threadKey(m.Chat.ID, root)
		if m.IsAutomaticForward {
			it.Direction = inbox.DirectionOut // the brand's channel post copied into the group
		}
	}
	if m.ReplyToMessage != nil {
		it.References = []string{messageID(m.ReplyToMessage.Chat.ID, m.ReplyToMessage.MessageID)}
		if m.ReplyToMessage.Chat.ID == 0 {
			it.References = []string{messageID(m.Chat.ID, m.ReplyToMessage.MessageID)}
		}
	}
	if edited && m.EditDate != 0 {
		// An edit is kept as its own message next to the original, so what the
		// customer first wrote is not silently replaced.
		it.ExternalID = fmt.Sprintf("%s:edit:%d", base, m.EditDate)
		it.SentAt = channels.UnixTime(m.EditDate)
		it.References = append([]string{base}, it.References...)
		it.Tags = []string{"edited"}
	}
	c.remember(base, sent)
	return it, true
}

func authorOf(m *Message) inbox.Author {
	if m.SenderChat != nil { // anonymous group admins and channels
		a := inbox.Author{ExternalID: strconv.FormatInt(m.SenderChat.ID, 10), DisplayName: m.SenderChat.Title}
		if m.SenderChat.Username != "" {
			a.Handle = "@" + m.SenderChat.Username
		}
		return a
	}
	if m.From == nil {
		return inbox.Author{}
	}
	a := inbox.Author{
		ExternalID:  strconv.FormatInt(m.From.ID, 10),
		DisplayName: strings.TrimSpace(m.From.FirstName + " " + m.From.LastName),
	}
	if m.From.Username != "" {
		a.Handle = "@" + m.From.Username
	}
	return a
}

func attachments(m *Message) []inbox.Attachment {
	var out []inbox.Attachment
	if len(m.Photo) > 0 {
		p := m.Photo[len(m.Photo)-1] // sizes come smallest first
		out = append(out, inbox.Attachment{Name: "photo.jpg", ContentType: "image/jpeg", Size: p.FileSize})
	}
	if m.Document != nil {
		name := m.Document.FileName
		if name == "" {
			name = "document"
		}
		out = append(out, inbox.Attachment{Name: name, ContentType: m.Document.MimeType, Size: m.Document.FileSize})
	}
	return out
}

func (c *Connector) remember(id string, t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.dates) >= maxKnownDates {
		// Entries older than the delete window are useless; start over rather than track age.
		clear(c.dates)
	}
	c.dates[id] = t
}

// parseThreadKey returns the chat id of "chat:<id>" or "chat:<id>:thread:<n>".
func parseThreadKey(k string) (int64, error) {
	rest, ok := strings.CutPrefix(k, "chat:")
	if !ok {
		return 0, fmt.Errorf("thread key %q is not a Telegram chat", k)
	}
	rest, _, _ = strings.Cut(rest, ":")
	id, err := strconv.ParseInt(rest, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("thread key %q: bad chat id", k)
	}
	return id, nil
}

// parseMessageID splits "<chat>:<message>" (an ":edit:<date>" suffix is ignored).
func parseMessageID(id string) (chat, msg int64, err error) {
	parts := strings.Split(id, ":")
	if len(parts) < 2 {
		return 0, 0, fmt.Errorf("%q is not a Telegram message id", id)
	}
	chat, err1 := strconv.ParseInt(parts[0], 10, 64)
	msg, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("%q is not a Telegram message id", id)
	}
	return chat, msg, nil
}

// Reply implements channels.Connector: the answer quotes the message it
// replies to through reply_parameters, which also keeps it in that thread.
func (c *Connector) Reply(ctx context.Context, r channels.Reply) (channels.Sent, error) {
	if strings.TrimSpace(r.Text) == "" {
		return channels.Sent{}, errors.New("telegram reply: empty text")
	}
	if n := len(utf16.Encode([]rune(r.Text))); n > MaxMessageLength {
		return channels.Sent{}, fmt.Errorf("telegram reply: text is %d characters, Telegram allows %d", n, MaxMessageLength)
	}
	chat, err := parseThreadKey(r.ThreadKey)
	if err != nil {
		return channels.Sent{}, fmt.Errorf("telegram reply: %w", err)
	}
	p := SendMessageParams{ChatID: chat, Text: r.Text}
	if r.InReplyTo != "" {
		rc, rm, err := parseMessageID(r.InReplyTo)
		if err != nil {
			return channels.Sent{}, fmt.Errorf("telegram reply: %w", err)
		}
		p.ReplyParameters = &ReplyParameters{MessageID: rm, ChatID: rc, AllowSendingWithoutReply: true}
	}
	m, err := c.client.SendMessage(ctx, p)
	if err != nil {
		return channels.Sent{}, fmt.Errorf("telegram reply: %w", err)
	}
	id := messageID(m.Chat.ID, m.MessageID)
	if m.Chat.ID == 0 {
		id = messageID(chat, m.MessageID)
	}
	sent := time.Unix(m.Date, 0)
	c.remember(id, sent)
	return channels.Sent{ExternalID: id, SentAt: sent}, nil
}

// Moderate implements channels.Moderator. Telegram has no hide; delete is
// refused here, without calling Telegram, once a message is 48 h old.
func (c *Connector) Moderate(ctx context.Context, m channels.Moderation) error {
	if m.Action != channels.ActionDelete {
		return fmt.Errorf("telegram %s %s: Telegram bots cannot hide messages, only delete them", m.Action, m.ExternalID)
	}
	chat, msg, err := parseMessageID(m.ExternalID)
	if err != nil {
		return fmt.Errorf("telegram delete: %w", err)
	}
	base := messageID(chat, msg)
	sent, known, err := c.sentAt(ctx, base)
	if err != nil {
		return fmt.Errorf("telegram delete %s: %w", base, err)
	}
	if known {
		if age := c.cfg.Now().Sub(sent); age >= DeleteWindow {
			return fmt.Errorf("telegram delete %s (sent %s ago): %w", base, age.Round(time.Minute), ErrTooOld)
		}
	}
	if err := c.client.DeleteMessage(ctx, DeleteMessageParams{ChatID: chat, MessageID: msg}); err != nil {
		var api *channels.APIError
		if errors.As(err, &api) && api.Code == http.StatusBadRequest && strings.Contains(api.Message, "can't be deleted") {
			return fmt.Errorf("telegram delete %s: %w (older than 48 h, or the bot lacks delete rights in this chat)", base, err)
		}
		return fmt.Errorf("telegram delete %s: %w", base, err)
	}
	return nil
}

func (c *Connector) sentAt(ctx context.Context, id string) (time.Time, bool, error) {
	c.mu.Lock()
	t, ok := c.dates[id]
	c.mu.Unlock()
	if ok || c.cfg.SentAt == nil {
		return t, ok, nil
	}
	return c.cfg.SentAt(ctx, id)
}
