// Package channels defines what every channel connector offers the rest of
// Stormdesk. Connectors are ordinary API clients: they fetch normalized
// inbox.Items and send replies; they never touch the store. The ingest
// pipeline persists items and the cursor together, so a crash between fetch
// and store refetches instead of losing messages.
//
// Every connector package has one layout: client.go (talking to the
// platform), types.go (what it reads and its cursor), connector.go (Config,
// New, the Connector methods), watch.go (push, where the platform has it),
// register.go (Kind, Settings, Secrets, Open) and a fake server its tests
// talk to. Every client retries with Retry, and push loops pace their
// reconnects with Retry.Backoff. The mail package (imap) differs where mail
// does: its Fetch and Reply are large enough for their own files (sync.go;
// send.go, SMTP and the Sent copy), MIME, addresses and dates have theirs
// (parse.go, address.go, date.go), and its tests run against a real Dovecot
// they start themselves instead of a fake, since IMAP servers differ in ways
// a fake would not show.
package channels

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Connector is one configured account on one channel.
type Connector interface {
	// Kind is the channel this connector talks to.
	Kind() inbox.ChannelKind
	// Test checks credentials and reachability with one cheap call.
	Test(ctx context.Context) error
	// Fetch returns items newer than cursor ("" = first sync) and the cursor to
	// store once those items are stored. More reports that another call would
	// return more right away (paging / backfill).
	Fetch(ctx context.Context, cursor string) (Batch, error)
	// Reply posts text as an answer in a conversation.
	Reply(ctx context.Context, r Reply) (Sent, error)
	// Limits describes the platform's rules that matter to the person replying.
	Limits() Limits
}

// Permissions is what a passing test connection found about the account's
// token: what the platform granted it, and what the channel needs that it
// was not granted (declined, expired or never asked for). Both are empty,
// never nil, for channels whose tokens carry no such list.
type Permissions struct {
	Granted []string `json:"granted"`
	Missing []string `json:"missing"`
}

// PermissionTester is implemented by connectors whose token carries platform
// permissions (Meta's): TestPermissions makes Test's checks, fails as Test
// does, and on success says which permissions the token has and lacks, so
// Settings can show them right after the test.
type PermissionTester interface {
	TestPermissions(ctx context.Context) (Permissions, error)
}

// Moderator is implemented by connectors that can hide or delete a message.
type Moderator interface {
	Moderate(ctx context.Context, m Moderation) error
}

// Watcher is implemented by connectors that can push (IMAP IDLE, long poll):
// Watch blocks until ctx ends, calling notify when new items may be waiting.
type Watcher interface {
	Watch(ctx context.Context, cursor string, notify func()) error
}

// Batch is the result of one Fetch.
type Batch struct {
	Items  []inbox.Item
	Cursor string
	More   bool
	// Skipped counts updates the connector did not understand (unknown types),
	// so they show up in sync status instead of vanishing.
	Skipped int
	// Remaining is how many items the connector knows are still to fetch
	// (e.g. messages left in an initial mail sync); 0 when unknown or done.
	Remaining int
}

// Reply is an answer to send.
type Reply struct {
	ThreadKey string // the conversation's thread key as the connector produced it
	// InReplyTo is the external id of the message answered (a comment, a DM, a mail).
	InReplyTo string
	Kind      inbox.MessageKind
	Subject   string // mail only
	Text      string
	// IdempotencyKey is unique per reply; connectors that can (mail Message-ID)
	// use it so a retried send is recognised instead of sent twice.
	IdempotencyKey string
	// Template, when set, is sent instead of Text: an approved message
	// template (WhatsApp) with its values. Text is then the filled body, the
	// copy kept in the conversation. Only a TemplateReplier sends it.
	Template *Template
}

// Template is a message template reply: the template's name and language as
// the platform knows them, its header and body values in order ({{1}}, {{2}} …),
// the values of its URL buttons' variables, and the media of a media header.
type Template struct {
	Name     string
	Language string
	Header   []string
	Body     []string
	Buttons  []TemplateButton
	Media    TemplateMedia
}

// TemplateButton is the value of one button: Index is the button's
// position among the template's buttons (Meta counts from 0). Type is the
// send's sub_type: "url" (a URL button's {{1}}, and an authentication
// template's OTP button, which Meta takes as a url parameter) or
// "copy_code" (a COPY_CODE button's coupon code). "" is "url": replies
// stored before copy codes had only URL buttons.
type TemplateButton struct {
	Index int    `json:"index"`
	Type  string `json:"type"`
	Text  string `json:"text"`
}

// SubType is the button's sub_type in a send, "url" when Type is empty.
func (b TemplateButton) SubType() string {
	if b.Type == "" {
		return "url"
	}
	return b.Type
}

// TemplateMedia is the media of a template's image, video or document
// header, by public https link, or the place of a location header. Format
// "" means the template has none.
type TemplateMedia struct {
	Format   string `json:"format"`   // image, video, document, location
	Link     string `json:"link"`     // https URL Meta downloads from
	Filename string `json:"filename"` // document only: the name the customer sees
	// A location header's place: coordinates in degrees, the place's
	// name and address as the customer sees them.
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	Name      string  `json:"name"`
	Address   string  `json:"address"`
}

// TemplateReplier is a connector that can send a Reply with a Template. The
// outbox refuses a template reply for any other connector rather than send
// its filled text as a free-form message.
type TemplateReplier interface {
	ReplyTemplate(ctx context.Context, r Reply) (Sent, error)
}

// Template refusals. ErrTemplatesUnsupported: the channel has no message
// templates. ErrTemplateParams: the values do not fit the template (their
// count, or an empty one; WhatsApp 132000). ErrTemplateMissing: no approved
// template of that name and language (WhatsApp 132001).
var (
	ErrTemplatesUnsupported = errors.New("this channel cannot send message templates")
	ErrTemplateParams       = errors.New("the values do not fit the message template")
	ErrTemplateMissing      = errors.New("no approved message template of that name and language")
)

// Sent is what the platform answered to a reply.
type Sent struct {
	ExternalID string
	SentAt     time.Time
}

// ModerationAction is what to do with a message.
type ModerationAction string

// Moderation actions.
const (
	ActionHide   ModerationAction = "hide"
	ActionDelete ModerationAction = "delete"
	// ActionUnhide shows a hidden message again, where the platform can
	// (Facebook, Instagram).
	ActionUnhide ModerationAction = "unhide"
)

// Moderation asks to hide or delete one message.
type Moderation struct {
	ExternalID string
	ThreadKey  string
	Action     ModerationAction
}

// Limits are platform rules shown to the person replying or moderating.
type Limits struct {
	MaxTextLength int           `json:"maxTextLength"` // 0 = no limit known
	DeleteWindow  time.Duration `json:"deleteWindow"`  // 0 = no limit; Telegram bots: 48 h
	Notes         []Note        `json:"notes"`         // other rules worth a warning
}

// Note is one platform rule worth a warning. The UI words it from its EN/RU/DE
// dictionaries under "limits.<Code>" with Params; Text is the English wording for
// logs, the command line, and a UI older than the code.
type Note struct {
	Code   string            `json:"code"`
	Params map[string]string `json:"params"`
	Text   string            `json:"text"`
}

// RateLimitError says the platform asked us to wait.
type RateLimitError struct {
	RetryAfter time.Duration
	Message    string
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("rate limited, retry after %s: %s", e.RetryAfter, e.Message)
}

// APIError is an error answer of a platform, with the platform's own code.
type APIError struct {
	Platform string
	Code     int    // the platform's error code or HTTP status
	Message  string // the platform's text
	// Kind classifies the error for retry decisions.
	Kind ErrorKind
}

// ErrorKind classifies API errors.
type ErrorKind int

// Error kinds: only Transient errors are retried automatically.
const (
	Permanent ErrorKind = iota
	Transient
	Auth
	Forbidden
)

func (e *APIError) Error() string {
	return fmt.Sprintf("%s error %d: %s", e.Platform, e.Code, e.Message)
}

// ErrOutcomeUnknown matches a send that may or may not have reached the
// platform (e.g. the SMTP connection dropped after the message data): only a
// person can check, so it is never retried.
var ErrOutcomeUnknown = errors.New("send outcome unknown")

// ErrAuth matches authentication failures of any connector via errors.Is.
var ErrAuth = errors.New("authentication failed")

// Is makes errors.Is(err, ErrAuth) true for Auth API errors.
func (e *APIError) Is(target error) bool { return target == ErrAuth && e.Kind == Auth }

// Retryable reports whether err is worth retrying later (rate limits, transient errors).
func Retryable(err error) bool {
	var rl *RateLimitError
	if errors.As(err, &rl) {
		return true
	}
	var api *APIError
	return errors.As(err, &api) && api.Kind == Transient
}
