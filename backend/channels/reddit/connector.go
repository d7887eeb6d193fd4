// Package reddit connects the brand's Reddit account to Stormdesk through
// the OAuth API of a "script" app (the password grant, as Reddit offers it
// for an app used by its own account): replies to the account's posts and
// comments, username mentions and private messages from /message/inbox
// (read without marking them read), threads keyed by the post for comments
// and by the first message for private messages, and answers with POST
// /api/comment. Before posting, and after a post whose answer was lost, the
// account's latest comments (or sent messages) are searched for the same
// answer under the same parent, so an answer is posted once. Reddit has no
// push for the inbox, so there is no watch.go: the scheduler polls.
package reddit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening/webapi"
)

// MaxText is the longest comment or message Reddit accepts, in characters.
const MaxText = 10000

// Config configures one Reddit account.
type Config struct {
	ClientID, Secret   string // the script app's credentials
	Username, Password string // the brand's account
	UserAgent          string // unique, e.g. "desktop:com.example.stormdesk:1.0 (by /u/acme)"
	AuthURL, APIURL    string // "" = www.reddit.com, oauth.reddit.com
	HTTPClient         *http.Client
	Retry              channels.Retry
	Now                func() time.Time
	PageSize           int // inbox items per request, up to 100; 0 means 100
	// MarkRead marks what Fetch lists as read on Reddit; by default the
	// inbox is read without changing what the account sees as new.
	MarkRead bool
	// MaxPages bounds one Fetch; the rest comes with More. 0 means 5.
	MaxPages int
}

// Connector is a Reddit account as a channels.Connector.
type Connector struct {
	cfg    Config
	client *Client
}

var _ channels.Connector = (*Connector)(nil)

// New returns a connector; it does no I/O.
func New(cfg Config) (*Connector, error) {
	if cfg.Username == "" {
		return nil, errors.New("reddit: the account's username is required")
	}
	if cfg.PageSize <= 0 || cfg.PageSize > 100 {
		cfg.PageSize = 100
	}
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = 5
	}
	cfg.Username = strings.TrimPrefix(strings.TrimPrefix(cfg.Username, "/"), "u/")
	client, err := NewClient(ClientOptions{ClientID: cfg.ClientID, Secret: cfg.Secret, Username: cfg.Username, Password: cfg.Password,
		UserAgent: cfg.UserAgent, AuthURL: cfg.AuthURL, APIURL: cfg.APIURL, HTTPClient: cfg.HTTPClient, Retry: cfg.Retry, Now: cfg.Now})
	if err != nil {
		return nil, err
	}
	return &Connector{cfg: cfg, client: client}, nil
}

// Kind implements channels.Connector.
func (c *Connector) Kind() inbox.ChannelKind { return Kind }

// Test logs in and checks the token belongs to the configured account.
func (c *Connector) Test(ctx context.Context) error {
	var me struct {
		Name string `json:"name"`
	}
	if _, err := c.client.Get(ctx, "/api/v1/me", nil, &me); err != nil {
		return fmt.Errorf("test reddit account: %w", err)
	}
	if !strings.EqualFold(me.Name, c.cfg.Username) {
		return fmt.Errorf("test reddit account: the token is for u/%s, not u/%s", me.Name, c.cfg.Username)
	}
	return nil
}

// Limits implements channels.Connector.
func (c *Connector) Limits() channels.Limits {
	return channels.Limits{
		MaxTextLength: MaxText,
		Notes: []channels.Note{
			{Code: "reddit.rate", Text: "Reddit allows about 100 requests per minute per app; new accounts may also be asked to wait between comments."},
			{Code: "reddit.twoFactor", Text: "The account must not use two-factor authentication: a script app logs in with the password alone."},
			{Code: "reddit.public", Text: "Replies to comments are public under the post; replies to private messages stay private."},
		},
	}
}

// LinkThreadKey is the thread key of the comments under post linkID (t3_…).
func LinkThreadKey(linkID string) string { return "link:" + linkID }

// PMThreadKey is the thread key of a private-message thread whose first
// message is first (t4_…).
func PMThreadKey(first string) string { return "pm:" + first }

// Fetch implements channels.Connector: /message/inbox newest first; the
// first sync reads one page, later ones page with before= (what came after
// the newest item delivered) until a short page.
func (c *Connector) Fetch(ctx context.Context, cur string) (channels.Batch, error) {
	var k cursor
	if err := channels.DecodeCursor("reddit", cur, &k); err != nil {
		return channels.Batch{}, err
	}
	var b channels.Batch
	for page := 0; ; page++ {
		first := k.Before == ""
		kids, err := c.inbox(ctx, k.Before)
		if err != nil {
			return channels.Batch{}, err
		}
		rescued := false
		if page == 0 && !first && len(kids) == 0 {
			// Nothing after the mark: nothing new, or the marked item left
			// the inbox (a deleted message), after which before= lists
			// nothing ever again. The newest page tells them apart.
			if kids, err = c.inbox(ctx, ""); err != nil {
				return channels.Batch{}, err
			}
			if len(kids) > 0 && kids[0].Data.Name == k.Before {
				kids = nil
			}
			kids = slices.DeleteFunc(kids, func(t Thing) bool { return t.Data.CreatedUTC < k.At || t.Data.Name == k.Before })
			rescued = true
		}
		for i := len(kids) - 1; i >= 0; i-- { // oldest first
			it, ok := c.item(kids[i])
			if !ok {
				b.Skipped++
				continue
			}
			b.Items = append(b.Items, it)
		}
		c.advance(&k, kids)
		if first || rescued || len(kids) < c.cfg.PageSize {
			break
		}
		if page+1 >= c.cfg.MaxPages {
			b.More = true
			break
		}
	}
	b.Cursor = channels.EncodeCursor(k)
	return b, nil
}

// advance moves the cursor to the newest of kids (newest first) that has a
// name: a nameless one as the mark would send the next sync back to the
// newest page. Its time is the floor below which a rescue (the mark deleted)
// skips items; a time in the future, a broken clock, becomes now, or every
// item written until then would be skipped.
func (c *Connector) advance(k *cursor, kids []Thing) {
	for _, t := range kids {
		if t.Data.Name == "" {
			continue
		}
		k.Before, k.At = t.Data.Name, t.Data.CreatedUTC
		if now := c.client.Now(); channels.Future(time.Unix(int64(k.At), 0), now) {
			k.At = float64(now.Unix())
		}
		return
	}
}

// inbox lists one page of the inbox, newest first, after fullname before
// ("" = the newest page).
func (c *Connector) inbox(ctx context.Context, before string) ([]Thing, error) {
	q := url.Values{"limit": {strconv.Itoa(c.cfg.PageSize)}, "mark": {strconv.FormatBool(c.cfg.MarkRead)}, "raw_json": {"1"}}
	if before != "" {
		q.Set("before", before)
	}
	var l Listing
	if _, err := c.client.Get(ctx, "/message/inbox", q, &l); err != nil {
		return nil, fmt.Errorf("reddit fetch inbox: %w", err)
	}
	if l.Kind != "Listing" || l.Data == nil {
		return nil, fmt.Errorf("reddit fetch inbox: %w: not a Listing", webapi.ErrMalformed)
	}
	return l.Data.Children, nil
}

var contextLink = regexp.MustCompile(`/comments/([a-z0-9]+)/`)

func (c *Connector) item(t Thing) (inbox.Item, bool) {
	d := t.Data
	if d.Name == "" || d.CreatedUTC <= 0 {
		return inbox.Item{}, false
	}
	it := inbox.Item{
		ExternalID: d.Name, Direction: inbox.DirectionIn, SentAt: time.Unix(int64(d.CreatedUTC), 0).UTC(),
		Author: inbox.Author{ExternalID: d.AuthorFullname, Handle: "u/" + d.Author, DisplayName: d.Author},
	}
	if strings.EqualFold(d.Author, c.cfg.Username) {
		it.Direction = inbox.DirectionOut
	}
	if d.ParentID != "" {
		it.References = []string{d.ParentID}
	}
	it.Text, it.Flags = channels.CapText(d.Body)
	switch t.Kind {
	case "t1":
		link := d.LinkID
		if link == "" {
			if m := contextLink.FindStringSubmatch(d.Context); m != nil {
				link = "t3_" + m[1]
			}
		}
		if link == "" {
			return inbox.Item{}, false
		}
		it.Kind, it.ThreadKey = inbox.KindComment, LinkThreadKey(link)
	case "t4":
		first := d.Name
		if d.FirstMessageName != nil && *d.FirstMessageName != "" {
			first = *d.FirstMessageName
		}
		it.Kind, it.ThreadKey, it.Subject = inbox.KindDM, PMThreadKey(first), d.Subject
	default:
		return inbox.Item{}, false
	}
	return it, true
}

// Reply implements channels.Connector: a comment (or a message reply)
// under the thing answered: InReplyTo, else the thread's post or first
// message. An answer found already posted under that parent with the same
// text is returned instead of posting again.
func (c *Connector) Reply(ctx context.Context, r channels.Reply) (channels.Sent, error) {
	if err := channels.CheckReply("Reddit", r, utf8.RuneCountInString, MaxText); err != nil {
		return channels.Sent{}, err
	}
	target, err := replyTarget(r)
	if err != nil {
		return channels.Sent{}, err
	}
	if s, ok, err := c.find(ctx, target, r.Text); err != nil || ok {
		if err != nil {
			return channels.Sent{}, fmt.Errorf("reddit reply: look for an earlier send: %w", err)
		}
		return s, nil
	}
	form := url.Values{"thing_id": {target}, "text": {r.Text}, "api_type": {"json"}, "raw_json": {"1"}}
	var a commentAnswer
	// Not repeated after a failure the server may have acted on: Reddit has
	// no idempotency key, so find decides instead.
	_, err = c.client.Post(ctx, "/api/comment", form, false, &a)
	if err == nil {
		return c.sent(a)
	}
	var rl *channels.RateLimitError
	if errors.As(err, &rl) || errors.Is(err, channels.ErrAuth) || errors.Is(err, context.Canceled) || !mayHaveActed(err) {
		return channels.Sent{}, fmt.Errorf("reddit reply to %s: %w", target, err)
	}
	// Not found: it was not posted, and the error stays retryable; a
	// retry looks again first. A failed look leaves the outcome to a person.
	s, ok, ferr := c.find(ctx, target, r.Text)
	if ferr != nil {
		return channels.Sent{}, fmt.Errorf("reddit reply to %s: %w", target, errors.Join(err, channels.ErrOutcomeUnknown, ferr))
	}
	if !ok {
		return channels.Sent{}, fmt.Errorf("reddit reply to %s: %w", target, err)
	}
	return s, nil
}

// replyTarget is the fullname a reply answers: InReplyTo, else the
// thread's post or first message.
func replyTarget(r channels.Reply) (string, error) {
	target := r.InReplyTo
	if target == "" {
		_, target, _ = strings.Cut(r.ThreadKey, ":")
	}
	if len(target) < 4 || !slices.Contains([]string{"t1_", "t3_", "t4_"}, target[:3]) {
		return "", fmt.Errorf("reddit reply: %q is not a comment, post or message to answer", target)
	}
	return target, nil
}

// WasSent tells the outbox whether an interrupted attempt of r reached
// Reddit: the account's answer with r's text under r's parent exists.
func (c *Connector) WasSent(ctx context.Context, r channels.Reply) (channels.Sent, bool, error) {
	target, err := replyTarget(r)
	if err != nil {
		return channels.Sent{}, false, err
	}
	s, ok, err := c.find(ctx, target, r.Text)
	if err != nil {
		return channels.Sent{}, false, fmt.Errorf("reddit was sent: %w", err)
	}
	return s, ok, nil
}

// mayHaveActed says whether a failed post may still have been made: the
// answer was lost or cut, or the server failed after the request arrived.
func mayHaveActed(err error) bool {
	var api *channels.APIError
	if errors.As(err, &api) {
		return api.Kind == channels.Transient
	}
	return errors.Is(err, channels.ErrTransport) || errors.Is(err, webapi.ErrMalformed)
}

var rateWait = regexp.MustCompile(`(\d+) (second|minute)`)

func (c *Connector) sent(a commentAnswer) (channels.Sent, error) {
	if len(a.JSON.Errors) > 0 {
		var e []string
		_ = json.Unmarshal(a.JSON.Errors[0], &e)
		e = append(e, "", "")
		if e[0] == "RATELIMIT" {
			wait := time.Minute
			if m := rateWait.FindStringSubmatch(e[1]); m != nil {
				n, _ := strconv.Atoi(m[1])
				wait = time.Duration(n) * time.Second
				if m[2] == "minute" {
					wait = time.Duration(n) * time.Minute
				}
			}
			return channels.Sent{}, fmt.Errorf("reddit reply: %w", &channels.RateLimitError{RetryAfter: wait, Message: e[1]})
		}
		return channels.Sent{}, fmt.Errorf("reddit reply: %w", &channels.APIError{Platform: "reddit", Code: http.StatusBadRequest, Message: e[0] + ": " + e[1], Kind: channels.Permanent})
	}
	for _, t := range a.JSON.Data.Things {
		if t.Data.Name != "" {
			return channels.Sent{ExternalID: t.Data.Name, SentAt: created(t.Data, c.client.Now())}, nil
		}
	}
	return channels.Sent{}, fmt.Errorf("reddit reply: %w: no comment in the answer", webapi.ErrMalformed)
}

func created(d Data, now time.Time) time.Time {
	if d.CreatedUTC > 0 {
		return time.Unix(int64(d.CreatedUTC), 0).UTC()
	}
	return now.UTC()
}

// find looks through the account's latest comments (or sent messages, for
// a message reply) for text under parent.
func (c *Connector) find(ctx context.Context, parent, text string) (channels.Sent, bool, error) {
	path := "/user/" + url.PathEscape(c.cfg.Username) + "/comments"
	q := url.Values{"sort": {"new"}, "limit": {"25"}, "raw_json": {"1"}}
	if strings.HasPrefix(parent, "t4_") {
		path = "/message/sent"
	}
	var l Listing
	if _, err := c.client.Get(ctx, path, q, &l); err != nil {
		return channels.Sent{}, false, err
	}
	if l.Data == nil {
		return channels.Sent{}, false, fmt.Errorf("%w: not a Listing", webapi.ErrMalformed)
	}
	want := strings.TrimSpace(text)
	for _, t := range l.Data.Children {
		if t.Data.ParentID == parent && strings.TrimSpace(t.Data.Body) == want {
			return channels.Sent{ExternalID: t.Data.Name, SentAt: created(t.Data, c.client.Now())}, true, nil
		}
	}
	return channels.Sent{}, false, nil
}
