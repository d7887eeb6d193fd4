// Package whatsapp connects a WhatsApp Business phone number through Meta's
// Cloud API: free-form replies within 24 hours of the customer's last
// message, approved message templates at any time, and the templates list
// with their variables. The Cloud API has no way to read messages: they and
// the delivery statuses of what was sent arrive only by webhook, which the
// team server receives (backend/channels/metahook). It speaks the Graph API
// through the graph package; the stored secret is a system user token.
package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/graph"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// MaxReplyLength is the Cloud API's limit of a text message body.
const MaxReplyLength = 4096

// Config configures a Connector.
type Config struct {
	PhoneNumberID string // the business phone number's id (not the number)
	WABAID        string // the WhatsApp Business Account the templates belong to
	Token         string // system user access token
	HTTPClient    *http.Client
	BaseURL       string // "" = graph.DefaultBaseURL
	Retry         channels.Retry
	Pacer         *graph.Pacer
	Now           func() time.Time // nil = time.Now
	Logger        *slog.Logger
}

// Connector is one WhatsApp Business phone number. It implements channels.Connector.
type Connector struct {
	cfg Config
	c   *client
}

var _ channels.Connector = (*Connector)(nil)

// New returns a connector; it does no I/O.
func New(cfg Config) (*Connector, error) {
	for name, id := range map[string]string{"phone number id": cfg.PhoneNumberID, "WhatsApp Business Account id": cfg.WABAID} {
		if _, err := strconv.ParseUint(id, 10, 64); err != nil {
			return nil, fmt.Errorf("whatsapp: the %s must be a number (%q)", name, id)
		}
	}
	if cfg.Token == "" {
		return nil, errors.New("whatsapp: the access token is empty")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	api := graph.New(graph.Options{Platform: "whatsapp", HTTPClient: cfg.HTTPClient, BaseURL: cfg.BaseURL, Retry: cfg.Retry, Pacer: cfg.Pacer, Logger: cfg.Logger})
	return &Connector{cfg: cfg, c: &client{api: api, token: cfg.Token, phoneID: cfg.PhoneNumberID, wabaID: cfg.WABAID}}, nil
}

// Kind is inbox.ChannelWhatsApp.
func (c *Connector) Kind() inbox.ChannelKind { return inbox.ChannelWhatsApp }

// Notes of WhatsApp's rules, worded by the UI under limits.<code>.
var (
	WindowNote = channels.Note{Code: "whatsapp.window", Params: map[string]string{"hours": "24"},
		Text: "Free-form answers are allowed within 24 hours of the customer's last message; after that only an approved message template may be sent."}
	ServerNote = channels.Note{Code: "whatsapp.server",
		Text: "WhatsApp delivers messages and delivery statuses only to a webhook: they arrive through the team server."}
)

// Limits describes the phone number's rules.
func (c *Connector) Limits() channels.Limits {
	return channels.Limits{MaxTextLength: MaxReplyLength, Notes: []channels.Note{WindowNote, ServerNote, graph.RateNote}}
}

// Test reads the phone number and one template, so a token lacking either
// permission, or ids that do not belong together, fail here.
func (c *Connector) Test(ctx context.Context) error {
	_, err := c.TestPermissions(ctx)
	return err
}

// Needed lists the permissions the connector uses.
var Needed = []string{PermMessaging, PermManagement}

// TestPermissions is Test, answering on success with what the token has. The
// phone number and template calls come first: they fail with Meta's own
// words for the permission they lack, which a person can act on.
func (c *Connector) TestPermissions(ctx context.Context) (channels.Permissions, error) {
	p, err := c.c.phone(ctx)
	if err != nil {
		return channels.Permissions{}, fmt.Errorf("whatsapp test connection: %w", err)
	}
	if p.ID != "" && p.ID != c.cfg.PhoneNumberID {
		return channels.Permissions{}, fmt.Errorf("whatsapp test connection: Meta answered for phone number %s, not %s", p.ID, c.cfg.PhoneNumberID)
	}
	if _, err := c.c.templates(ctx, "", 1); err != nil {
		return channels.Permissions{}, fmt.Errorf("whatsapp test connection: templates of business account %s: %w", c.cfg.WABAID, err)
	}
	g, err := c.c.api.Permissions(ctx, c.c.token, Needed)
	if err != nil {
		// The calls above passed, so the account works; a token that cannot list
		// its own permissions (not every system-user token may) only loses the list.
		c.cfg.Logger.Warn("whatsapp test connection: permissions not listed", "phone", c.cfg.PhoneNumberID, "err", err)
		return channels.Permissions{Granted: []string{}, Missing: []string{}}, nil
	}
	return g.Report(), nil
}

// Fetch has nothing to read: the Cloud API offers no message history, only
// webhooks (see the package comment). It keeps the cursor, so the scheduler
// may call it like any connector's.
func (c *Connector) Fetch(_ context.Context, cursor string) (channels.Batch, error) {
	return channels.Batch{Cursor: cursor}, nil
}

// ThreadKey is the conversation with one customer (their WhatsApp id, the
// phone number in international form without "+").
func ThreadKey(waID string) string { return "wa:" + waID }

// Reply sends text to the customer of the thread, quoting the message
// answered. Outside the 24-hour window Meta refuses with 131047, returned as a
// channels.WindowError: a template must be sent instead (SendTemplate).
func (c *Connector) Reply(ctx context.Context, r channels.Reply) (channels.Sent, error) {
	if err := channels.CheckReply("WhatsApp", r, utf8.RuneCountInString, MaxReplyLength); err != nil {
		return channels.Sent{}, err
	}
	to, err := recipient(r.ThreadKey)
	if err != nil {
		return channels.Sent{}, err
	}
	req := sendRequest{To: to, Type: "text", Text: &textBody{Body: r.Text}}
	if strings.HasPrefix(r.InReplyTo, "wamid.") {
		req.Context = &msgContext{MessageID: r.InReplyTo}
	}
	id, err := c.c.send(ctx, req)
	if err != nil {
		var we *channels.WindowError
		if errors.As(err, &we) {
			we.Window = graph.StandardWindow
		}
		return channels.Sent{}, err
	}
	return channels.Sent{ExternalID: id, SentAt: c.cfg.Now().UTC()}, nil
}

func recipient(threadKey string) (string, error) {
	to, ok := strings.CutPrefix(threadKey, "wa:")
	if !ok || to == "" {
		return "", fmt.Errorf("whatsapp reply: %q is not a WhatsApp thread key (wa:<wa_id>)", threadKey)
	}
	return to, nil
}

// Templates lists the approved templates, which may be sent at any time.
func (c *Connector) Templates(ctx context.Context) ([]Template, error) {
	ts, err := c.c.templates(ctx, "APPROVED", 20)
	if err != nil {
		return nil, fmt.Errorf("whatsapp templates of business account %s: %w", c.cfg.WABAID, err)
	}
	return ts, nil
}

// SendTemplate sends an approved template to the customer of threadKey. The
// values are checked against the template first (Template.Check), so a
// wrong count is said in our words before Meta's 132000.
func (c *Connector) SendTemplate(ctx context.Context, threadKey string, t Template, s TemplateSend) (channels.Sent, error) {
	to, err := recipient(threadKey)
	if err != nil {
		return channels.Sent{}, err
	}
	if t.Name != s.Name || t.Language != s.Language {
		return channels.Sent{}, fmt.Errorf("whatsapp template: sending %s/%s with the definition of %s/%s", s.Name, s.Language, t.Name, t.Language)
	}
	if err := t.Check(s); err != nil {
		return channels.Sent{}, err
	}
	return c.sendTemplate(ctx, to, s)
}

// ReplyTemplate sends the approved template reply r.Template as it was
// approved (channels.TemplateReplier). Its values were checked against the
// template when the reply was drafted; a template changed or deleted since
// is refused by Meta (132000, 132001) and the reply fails with that code.
func (c *Connector) ReplyTemplate(ctx context.Context, r channels.Reply) (channels.Sent, error) {
	if r.Template == nil {
		return channels.Sent{}, fmt.Errorf("whatsapp template reply to %s: the reply has no template", r.ThreadKey)
	}
	to, err := recipient(r.ThreadKey)
	if err != nil {
		return channels.Sent{}, err
	}
	return c.sendTemplate(ctx, to, *r.Template)
}

var _ channels.TemplateReplier = (*Connector)(nil)

func (c *Connector) sendTemplate(ctx context.Context, to string, s TemplateSend) (channels.Sent, error) {
	id, err := c.c.send(ctx, sendRequest{To: to, Type: "template", Template: templateRequest(s)})
	if err != nil {
		return channels.Sent{}, fmt.Errorf("whatsapp template %s/%s: %w", s.Name, s.Language, err)
	}
	return channels.Sent{ExternalID: id, SentAt: c.cfg.Now().UTC()}, nil
}

// templateRequest is the template object of a send: a header component
// with the media, the place or the text values, the body's values, and one
// button component per button value (url, or copy_code with a coupon_code). A part without values is left out, as
// Meta wants for a template without variables.
func templateRequest(s TemplateSend) *templateBody {
	tb := &templateBody{Name: s.Name}
	tb.Language.Code = s.Language
	text := func(vals []string) []templateParam {
		out := make([]templateParam, 0, len(vals))
		for _, v := range vals {
			out = append(out, templateParam{Type: "text", Text: v})
		}
		return out
	}
	if m := s.Media; m.Format == "location" {
		tb.Components = append(tb.Components, templateParamSet{Type: "header", Parameters: []templateParam{{Type: "location",
			Location: &place{Latitude: m.Latitude, Longitude: m.Longitude, Name: m.Name, Address: m.Address}}}})
	} else if m.Link != "" {
		p := templateParam{Type: m.Format}
		ref := &mediaRef{Link: m.Link}
		switch m.Format {
		case "image":
			p.Image = ref
		case "video":
			p.Video = ref
		case "document":
			ref.Filename, p.Document = m.Filename, ref
		}
		tb.Components = append(tb.Components, templateParamSet{Type: "header", Parameters: []templateParam{p}})
	} else if len(s.Header) > 0 {
		tb.Components = append(tb.Components, templateParamSet{Type: "header", Parameters: text(s.Header)})
	}
	if len(s.Body) > 0 {
		tb.Components = append(tb.Components, templateParamSet{Type: "body", Parameters: text(s.Body)})
	}
	for _, b := range s.Buttons {
		ps := text([]string{b.Text})
		if b.SubType() == ButtonCopyCode {
			ps = []templateParam{{Type: "coupon_code", CouponCode: b.Text}}
		}
		tb.Components = append(tb.Components, templateParamSet{Type: "button", SubType: b.SubType(), Index: strconv.Itoa(b.Index), Parameters: ps})
	}
	return tb
}
