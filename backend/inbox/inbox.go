// Package inbox holds the unified domain model shared by every channel:
// accounts, conversations (threads), messages and their authors.
// It imports nothing from the project, so every other package may depend on it.
package inbox

import (
	"fmt"
	"time"
)

// ChannelKind names where a message came from.
type ChannelKind string

// The channel kinds Stormdesk knows.
const (
	ChannelMail     ChannelKind = "mail"
	ChannelTelegram ChannelKind = "telegram"
	ChannelVK       ChannelKind = "vk"
	ChannelMastodon ChannelKind = "mastodon"
	ChannelYouTube  ChannelKind = "youtube"
	ChannelBluesky  ChannelKind = "bluesky"
	ChannelReddit   ChannelKind = "reddit"
	// Meta: a Facebook Page (comments and Messenger), an Instagram professional account.
	ChannelFacebook  ChannelKind = "facebook"
	ChannelInstagram ChannelKind = "instagram"
	// ChannelWhatsApp is a WhatsApp Business phone number (Cloud API); its
	// messages arrive only through the team server's webhook.
	ChannelWhatsApp ChannelKind = "whatsapp"
	ChannelImport   ChannelKind = "import"
)

// ChannelKinds lists every known channel kind in display order.
var ChannelKinds = []ChannelKind{ChannelMail, ChannelTelegram, ChannelVK, ChannelMastodon, ChannelYouTube, ChannelBluesky, ChannelReddit, ChannelFacebook, ChannelInstagram, ChannelWhatsApp, ChannelImport}

// Valid reports whether c is a known channel kind.
func (c ChannelKind) Valid() bool {
	for _, k := range ChannelKinds {
		if c == k {
			return true
		}
	}
	return false
}

// ParseChannelKind returns the channel kind named s or an error.
func ParseChannelKind(s string) (ChannelKind, error) {
	c := ChannelKind(s)
	if !c.Valid() {
		return "", fmt.Errorf("unknown channel %q (want one of mail, telegram, vk, mastodon, youtube, bluesky, reddit, import)", s)
	}
	return c, nil
}

// Status is a conversation's workflow state.
type Status string

// Conversation states: open needs the team, pending waits on the customer, closed is done.
const (
	StatusOpen    Status = "open"
	StatusPending Status = "pending"
	StatusClosed  Status = "closed"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s == StatusOpen || s == StatusPending || s == StatusClosed }

// Direction says whether a message came from a customer (in) or from the brand (out).
type Direction string

// Message directions.
const (
	DirectionIn  Direction = "in"
	DirectionOut Direction = "out"
)

// MessageKind is the shape of a message: a public comment, a private DM or an e-mail.
type MessageKind string

// Message kinds.
const (
	KindComment MessageKind = "comment"
	KindDM      MessageKind = "dm"
	KindMail    MessageKind = "mail"
)

// Valid reports whether k is a known message kind.
func (k MessageKind) Valid() bool { return k == KindComment || k == KindDM || k == KindMail }

// Sentiment is a message's tone label. The empty value means "not scored yet".
type Sentiment string

// Sentiment labels.
const (
	SentimentUnknown  Sentiment = ""
	SentimentNegative Sentiment = "negative"
	SentimentNeutral  Sentiment = "neutral"
	SentimentPositive Sentiment = "positive"
)

// Valid reports whether s is a known label (the empty label included).
func (s Sentiment) Valid() bool {
	return s == SentimentUnknown || s == SentimentNegative || s == SentimentNeutral || s == SentimentPositive
}

// Account is one brand presence on one channel: a mailbox, a bot, a page, a channel.
type Account struct {
	ID        int64       `json:"id"`
	Channel   ChannelKind `json:"channel"`
	Name      string      `json:"name"`   // unique, chosen by the user, e.g. "acme-support-mail"
	Brand     string      `json:"brand"`  // the brand the account speaks for, e.g. "Acme"
	Handle    string      `json:"handle"` // the address or handle on the channel, e.g. "@acme"
	CreatedAt time.Time   `json:"createdAt" ts_type:"string"`
}

// Author is a person (or page) who wrote to a brand on one channel.
type Author struct {
	ID          int64       `json:"id"`
	Channel     ChannelKind `json:"channel"`
	ExternalID  string      `json:"externalId"` // the platform's stable id; the handle when there is none
	Handle      string      `json:"handle"`
	DisplayName string      `json:"displayName"`
	Reach       int64       `json:"reach"` // followers, subscribers or another audience size; 0 if unknown
	Notes       string      `json:"notes"`
	// VIP marks an author the team always answers first; SLA rules may match on it.
	VIP bool `json:"vip"`
	// Banned and BlockedUntil are the author's standing on Stormdesk's own
	// moderation record (backend/moderation); a block is running while
	// BlockedUntil is in the future. Nothing is enforced on the platform.
	Banned       bool       `json:"banned"`
	BlockedUntil *time.Time `json:"blockedUntil" ts_type:"string | null"`
}

// Conversation is a thread: a mail thread, a DM chat or the comments under one post
// from one author. Counters and times are kept up to date by the store.
type Conversation struct {
	ID        int64       `json:"id"`
	AccountID int64       `json:"accountId"`
	Channel   ChannelKind `json:"channel"`
	ThreadKey string      `json:"threadKey"`
	Kind      MessageKind `json:"kind"`
	Subject   string      `json:"subject"`
	Status    Status      `json:"status"`
	Assignee  string      `json:"assignee"`
	Priority  int         `json:"priority"` // 0 normal, higher is more urgent
	Tags      []string    `json:"tags"`
	Author    Author      `json:"author"`
	Snippet   string      `json:"snippet"` // start of the newest message
	// SnippetAttachments are the newest message's attachments when the snippet
	// is empty (a photo or voice note without words), so the list can name them
	// in the reader's language; empty otherwise.
	SnippetAttachments []Attachment `json:"snippetAttachments"`
	Sentiment          Sentiment    `json:"sentiment"`
	NegativeCount      int          `json:"negativeCount"`
	MessageCount       int          `json:"messageCount"`
	FirstMessageAt     time.Time    `json:"firstMessageAt" ts_type:"string"`
	LastMessageAt      time.Time    `json:"lastMessageAt" ts_type:"string"`
	SLADueAt           *time.Time   `json:"slaDueAt" ts_type:"string | null"`
	// SuspiciousDate marks a conversation whose stored times were out of range
	// when read (written by an older version or another program); the store
	// shows them clamped instead of failing the whole page.
	SuspiciousDate bool `json:"suspiciousDate"`
	// SLAState is the clock's colour when it was last computed: "ok", "warning",
	// "breached", "paused", "none", or "" if never computed. The store recomputes it
	// on every event and in a periodic sweep; a UI may derive the live colour from
	// SLAWarnAt and SLADueAt.
	SLAState string `json:"slaState"`
	// SLAWarnAt is when the running clock turns to warning; nil when paused or none.
	SLAWarnAt *time.Time `json:"slaWarnAt" ts_type:"string | null"`
	// SLAPolicy names the SLA policy in effect.
	SLAPolicy string `json:"slaPolicy"`
	// FailedSend is true while the conversation's newest reply failed to
	// send: a retry or a newer reply clears it. The list marks such rows.
	// Left out when false, so a UI built before it reads "not failed".
	FailedSend bool `json:"failedSend"`
	// SnoozedUntil is when the conversation's snooze ends, nil when it is not
	// snoozed. It may lie in the past for a moment, until the wake-up runs;
	// a list shows it while it is in the future.
	SnoozedUntil *time.Time `json:"snoozedUntil" ts_type:"string | null"`
}

// Message is one comment, DM or mail.
type Message struct {
	ID             int64       `json:"id"`
	ConversationID int64       `json:"conversationId"`
	AccountID      int64       `json:"accountId"`
	ExternalID     string      `json:"externalId"`
	Direction      Direction   `json:"direction"`
	Kind           MessageKind `json:"kind"`
	Author         Author      `json:"author"`
	Subject        string      `json:"subject"`
	Text           string      `json:"text"`
	HTML           string      `json:"html"` // sanitized before it is stored
	SentAt         time.Time   `json:"sentAt" ts_type:"string"`
	// ClaimedAt is the date the sender wrote when it could not be trusted (missing, in the
	// future or absurd: the message is flagged suspicious-date and SentAt is when the server
	// or platform received it); nil when SentAt is the sender's own date.
	ClaimedAt      *time.Time   `json:"claimedAt" ts_type:"string | null"`
	Sentiment      Sentiment    `json:"sentiment"`
	SentimentScore float64      `json:"sentimentScore"` // -1 (most negative) .. 1 (most positive)
	Flags          []string     `json:"flags"`          // markers for what ingest had to repair, e.g. "invalid-utf8"
	Attachments    []Attachment `json:"attachments"`
}

// Attachment describes a file that came with a message; its bytes are not stored by default.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"contentType"` // "" when the platform does not say (Messenger, Instagram)
	Size        int64  `json:"size"`        // 0 when unknown
	// Kind is the platform's word for the media: image, audio, video,
	// document, sticker, file, …; "" for mail, whose content type says it.
	Kind string `json:"kind"`
	// Ref is what fetches the bytes on request (channels.MediaFetcher): a
	// WhatsApp media id, or the URL Messenger and Instagram give; "" when the
	// platform keeps no copy to fetch (mail: the bytes were in the message).
	Ref string `json:"ref"`
	// SHA256 is the hash WhatsApp gives of the media, checked when it is fetched.
	SHA256 string `json:"sha256"`
}

// Item is a message as a connector or importer delivers it, before it is stored.
// ThreadKey groups items into one conversation per account; ExternalID makes
// re-delivery harmless, since (account, external id) is unique.
type Item struct {
	ExternalID string
	ThreadKey  string
	Kind       MessageKind
	Direction  Direction
	Author     Author
	Subject    string
	Text       string
	HTML       string
	// AllowRemoteImages keeps remote <img src> in HTML (an account that chose to
	// load them); by default ingest removes them, since they track the reader.
	AllowRemoteImages bool
	SentAt            time.Time
	// ReceivedAt is when the server or platform received the item (IMAP INTERNALDATE);
	// zero when unknown. Ingest orders and clocks by it when SentAt is missing or absurd.
	ReceivedAt time.Time
	// ClaimedAt is set by ingest: the sender's date when it was replaced (see Message).
	ClaimedAt      *time.Time
	Sentiment      Sentiment
	SentimentScore float64
	// SentimentConfidence is the offline model's probability of Sentiment, set
	// by ingest when it scored the item; nil when the label came with the item.
	SentimentConfidence *float64
	Tags                []string
	Flags               []string
	Attachments         []Attachment
	// References lists external ids this item answers or quotes (mail In-Reply-To and
	// References, oldest first); ingest uses them to join an existing thread.
	References []string
}

// Flag markers set by ingest when it had to repair input.
const (
	FlagInvalidUTF8 = "invalid-utf8"
	FlagTruncated   = "truncated"
	FlagNoText      = "no-text"
	FlagBadMIME     = "bad-mime"    // the MIME structure was broken; what could be decoded is kept
	FlagBadCharset  = "bad-charset" // a declared charset was unknown or wrong; text decoded best-effort
	// FlagSuspiciousDate marks a message whose own date was missing, in the future or
	// absurd; it is ordered and clocked by when it was received instead.
	FlagSuspiciousDate = "suspicious-date"
	// FlagSentimentCorrected marks a message whose label a manager set by hand (set when read).
	FlagSentimentCorrected = "sentiment-corrected"
)

// FutureSkew is how far ahead of now a message's or mention's own date may
// lie and still be its date: clocks and sources that send local times
// without a zone.
const FutureSkew = 24 * time.Hour

// PlausibleDate reports whether t can be the date a message or mention says
// it was written, seen at now: after the Unix epoch and no more than
// FutureSkew ahead. The epoch itself is not: a zero a source sent for a
// missing time (a JSON 0, a device whose clock was never set) decodes to
// exactly 1970-01-01, and taken as the date it sinks the message to the
// bottom of every list with no flag saying why.
func PlausibleDate(t, now time.Time) bool {
	return t.Unix() > 0 && !t.After(now.Add(FutureSkew))
}
