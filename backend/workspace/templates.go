package workspace

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/whatsapp"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// MessageTemplate is an approved message template as the composer's picker
// shows it: the texts with their {{n}} placeholders and how many values
// each part takes.
type MessageTemplate struct {
	Name       string `json:"name"`
	Language   string `json:"language"`
	Category   string `json:"category"`
	Header     string `json:"header"` // text header, "" = none
	Body       string `json:"body"`
	Footer     string `json:"footer"`
	HeaderVars int    `json:"headerVars"`
	BodyVars   int    `json:"bodyVars"`
	// Buttons are the buttons that take a value, in button order: URL
	// buttons whose link ends in {{1}}, COPY_CODE buttons (the code, at
	// most 15 characters) and an authentication template's OTP button
	// (the one-time code, also the body's {{1}}). MediaFormat is a media
	// header's (image, video, document), whose public https link the
	// picker asks for, or "location" (a place), "" = none.
	Buttons     []whatsapp.ButtonVar `json:"buttons"`
	MediaFormat string               `json:"mediaFormat"`
}

// templateTTL is how long an account's template list is reused: opening
// conversations one after another must not list them from Meta each time,
// and a template approved meanwhile shows up within a minute.
const templateTTL = time.Minute

// templateCache keeps each account's approved templates for templateTTL.
type templateCache struct {
	mu   sync.Mutex
	byID map[int64]cachedTemplates
}

type cachedTemplates struct {
	at   time.Time
	list []whatsapp.Template
}

// templateLister is what lists an account's approved templates (whatsapp.Connector).
type templateLister interface {
	Templates(ctx context.Context) ([]whatsapp.Template, error)
}

// demoTemplates are the demo WhatsApp number's templates: a demo account
// has no connection to ask Meta, but its conversations older than 24 hours
// show the picker like a real one.
var demoTemplates = []whatsapp.Template{
	{ID: "demo-1", Name: "flight_update", Language: "en", Status: "APPROVED", Category: "UTILITY", Components: []whatsapp.Component{
		{Type: "HEADER", Format: "TEXT", Text: "Flight {{1}}"},
		{Type: "BODY", Text: "Hello {{1}}, about your flight {{2}}: {{3}}. Reply to this message if you need more help."},
		{Type: "FOOTER", Text: "Aurora Air customer care"},
	}},
	{ID: "demo-2", Name: "follow_up", Language: "en", Status: "APPROVED", Category: "UTILITY", Components: []whatsapp.Component{
		{Type: "BODY", Text: "Hello {{1}}, we are following up on your message. Reply to this message to continue the conversation."},
	}},
	{ID: "demo-4", Name: "booking_link", Language: "en", Status: "APPROVED", Category: "UTILITY", Components: []whatsapp.Component{
		{Type: "BODY", Text: "Hello {{1}}, your booking is ready to review. Tap the button to open it."},
		{Type: "BUTTONS", Buttons: []whatsapp.Button{
			{Type: "QUICK_REPLY", Text: "Call me back"},
			{Type: "URL", Text: "Open booking", URL: "https://aurora-air.example/booking/{{1}}"},
		}},
	}},
	{ID: "demo-5", Name: "boarding_pass", Language: "en", Status: "APPROVED", Category: "UTILITY", Components: []whatsapp.Component{
		{Type: "HEADER", Format: "DOCUMENT"},
		{Type: "BODY", Text: "Hello {{1}}, your boarding pass is attached."},
	}},
	{ID: "demo-3", Name: "follow_up", Language: "de", Status: "APPROVED", Category: "UTILITY", Components: []whatsapp.Component{
		{Type: "BODY", Text: "Hallo {{1}}, wir melden uns zu Ihrer Nachricht. Antworten Sie auf diese Nachricht, um das Gespräch fortzusetzen."},
	}},
}

// templatesOf lists the approved templates of a WhatsApp account, from the
// cache when it is fresh. Templates the composer cannot fill (catalog or
// flow buttons, a product header) are left out.
func (c *Composer) templatesOf(ctx context.Context, acc inbox.Account) ([]whatsapp.Template, error) {
	if acc.Channel != inbox.ChannelWhatsApp {
		return nil, apperr.Template(apperr.CodeTemplateUnsupported, string(acc.Channel), "",
			fmt.Errorf("account %s (%s): %w", acc.Name, acc.Channel, channels.ErrTemplatesUnsupported))
	}
	c.tpl.mu.Lock()
	if e, ok := c.tpl.byID[acc.ID]; ok && time.Since(e.at) < templateTTL {
		c.tpl.mu.Unlock()
		return e.list, nil
	}
	c.tpl.mu.Unlock()
	list, err := c.listTemplates(ctx, acc)
	if err != nil {
		return nil, err
	}
	list = slices.DeleteFunc(slices.Clone(list), func(t whatsapp.Template) bool { return !sendableTemplate(t) })
	c.tpl.mu.Lock()
	if c.tpl.byID == nil {
		c.tpl.byID = map[int64]cachedTemplates{}
	}
	c.tpl.byID[acc.ID] = cachedTemplates{at: time.Now(), list: list}
	c.tpl.mu.Unlock()
	return list, nil
}

func (c *Composer) listTemplates(ctx context.Context, acc inbox.Account) ([]whatsapp.Template, error) {
	demo, err := c.ws.isDemoAccount(ctx, acc)
	if err != nil {
		return nil, err
	}
	if demo {
		return demoTemplates, nil
	}
	_, conn, err := c.ws.Connector(ctx, c.sec, acc.Name)
	if err != nil {
		return nil, fmt.Errorf("templates of account %s: %w", acc.Name, err)
	}
	if cl, ok := conn.(io.Closer); ok {
		defer cl.Close()
	}
	l, ok := conn.(templateLister)
	if !ok {
		return nil, apperr.Template(apperr.CodeTemplateUnsupported, string(acc.Channel), "",
			fmt.Errorf("account %s: %w", acc.Name, channels.ErrTemplatesUnsupported))
	}
	list, err := l.Templates(ctx)
	if err != nil {
		return nil, fmt.Errorf("templates of account %s: %w", acc.Name, err)
	}
	return list, nil
}

// sendableTemplate: approved, and every value the composer can ask
// (whatsapp.Template.Fillable): catalog and flow buttons take values it
// does not, so such templates are left out.
func sendableTemplate(t whatsapp.Template) bool {
	return strings.EqualFold(t.Status, "APPROVED") && t.Fillable()
}

func toMessageTemplate(t whatsapp.Template) MessageTemplate {
	m := MessageTemplate{Name: t.Name, Language: t.Language, Category: t.Category, Body: t.Body(),
		HeaderVars: t.HeaderVars(), BodyVars: t.BodyVars(), Buttons: t.ButtonVars(), MediaFormat: t.MediaFormat()}
	if m.Buttons == nil {
		m.Buttons = []whatsapp.ButtonVar{}
	}
	for _, p := range t.Components {
		switch strings.ToUpper(p.Type) {
		case "HEADER":
			m.Header = p.Text // "" for a media header
		case "FOOTER":
			m.Footer = p.Text
		}
	}
	return m
}

// Templates lists the approved message templates a conversation's account
// may send (WhatsApp), for the composer's picker.
func (c *Composer) Templates(ctx context.Context, conversationID int64) ([]MessageTemplate, error) {
	conv, err := c.ws.Store.ConversationByID(ctx, conversationID)
	if err != nil {
		return nil, err
	}
	acc, err := c.ws.Store.AccountByID(ctx, conv.AccountID)
	if err != nil {
		return nil, fmt.Errorf("templates of conversation %d: %w", conversationID, err)
	}
	list, err := c.templatesOf(ctx, acc)
	if err != nil {
		return nil, err
	}
	out := make([]MessageTemplate, 0, len(list))
	for _, t := range list {
		out = append(out, toMessageTemplate(t))
	}
	return out, nil
}

// DraftTemplate makes a template reply in a conversation: the template is
// looked up among the account's approved ones, every value must be given
// (none empty, as many as the template has placeholders, one per URL button
// with a variable, a public https link for a media header and a file name
// for a document), and the reply's text is the filled template with its
// links, what approvers read. It then goes through
// approval like any reply; the outbox sends the template itself.
func (c *Composer) DraftTemplate(ctx context.Context, conversationID int64, actor drafts.Actor, t drafts.ReplyTemplate) (drafts.Reply, error) {
	conv, err := c.ws.Store.ConversationByID(ctx, conversationID)
	if err != nil {
		return drafts.Reply{}, err
	}
	acc, err := c.ws.Store.AccountByID(ctx, conv.AccountID)
	if err != nil {
		return drafts.Reply{}, fmt.Errorf("template reply in conversation %d: %w", conversationID, err)
	}
	list, err := c.templatesOf(ctx, acc)
	if err != nil {
		return drafts.Reply{}, err
	}
	i := slices.IndexFunc(list, func(w whatsapp.Template) bool { return w.Name == t.Name && w.Language == t.Language })
	if i < 0 {
		return drafts.Reply{}, apperr.Template(apperr.CodeTemplateMissing, string(acc.Channel), t.Name,
			fmt.Errorf("template %s/%s of account %s: %w", t.Name, t.Language, acc.Name, channels.ErrTemplateMissing))
	}
	def := list[i]
	send, err := templateSend(def, t)
	if err != nil {
		var ae *apperr.Error
		if !errors.As(err, &ae) {
			ae = apperr.Template(apperr.CodeTemplateParams, string(acc.Channel), t.Name, err)
		}
		ae.Params["channel"] = string(acc.Channel)
		return drafts.Reply{}, ae
	}
	t.Header, t.Body, t.Buttons, t.Media = send.Header, send.Body, send.Buttons, send.Media
	inCrisis, err := c.ws.Store.InCrisis(ctx, conv.AccountID)
	if err != nil {
		return drafts.Reply{}, err
	}
	d := drafts.Draft{Text: def.RenderSend(send), Lang: t.Language, Source: drafts.SourceTemplate}
	r, entry, err := drafts.NewReply(newReplyID(), conversationID, d, actor, inCrisis, time.Now())
	if err != nil {
		return drafts.Reply{}, err
	}
	r.Template = t
	if err := c.ws.Store.CreateReply(ctx, r, entry); err != nil {
		return drafts.Reply{}, err
	}
	return c.WithAllowed(r, actor), nil
}

// templateSend checks the values t gives for def and returns them trimmed,
// the media's format taken from def (the picker need not send it). Empty
// or missing values are template-params; a media link that is not a public
// https URL, or a document without a file name, template-media-link.
func templateSend(def whatsapp.Template, t drafts.ReplyTemplate) (whatsapp.TemplateSend, error) {
	s := whatsapp.TemplateSend{Name: t.Name, Language: t.Language, Header: trimAll(t.Header), Body: trimAll(t.Body),
		Buttons: make([]channels.TemplateButton, len(t.Buttons)),
		Media:   channels.TemplateMedia{Link: strings.TrimSpace(t.Media.Link), Filename: strings.TrimSpace(t.Media.Filename)}}
	vars := def.ButtonVars()
	for i, b := range t.Buttons {
		// The sub_type comes from the template's button at that index,
		// like the media format; an index without one keeps what was
		// given, and Check refuses it.
		s.Buttons[i] = channels.TemplateButton{Index: b.Index, Type: b.Type, Text: strings.TrimSpace(b.Text)}
		if j := slices.IndexFunc(vars, func(v whatsapp.ButtonVar) bool { return v.Index == b.Index }); j >= 0 {
			s.Buttons[i].Type = vars[j].SubType()
			if vars[j].Type == whatsapp.ButtonCopyCode && utf8.RuneCountInString(s.Buttons[i].Text) > whatsapp.MaxCopyCode {
				ae := apperr.Template(apperr.CodeTemplateCopyCode, "", t.Name, fmt.Errorf("template %s: the code of button %d is longer than %d characters: %w",
					t.Name, b.Index, whatsapp.MaxCopyCode, channels.ErrTemplateParams))
				ae.Params["max"] = strconv.Itoa(whatsapp.MaxCopyCode)
				return s, ae
			}
		}
	}
	empty := slices.Contains(s.Header, "") || slices.Contains(s.Body, "") ||
		slices.ContainsFunc(s.Buttons, func(b channels.TemplateButton) bool { return b.Text == "" })
	if empty {
		return s, fmt.Errorf("template %s: a value is empty (header %q, body %q, buttons %v): %w", t.Name, s.Header, s.Body, s.Buttons, channels.ErrTemplateParams)
	}
	if f := def.MediaFormat(); f == "location" {
		m := t.Media
		s.Media = channels.TemplateMedia{Format: f, Link: s.Media.Link, Filename: s.Media.Filename, Latitude: m.Latitude, Longitude: m.Longitude,
			Name: strings.TrimSpace(m.Name), Address: strings.TrimSpace(m.Address)}
		if !whatsapp.ValidPlace(s.Media) {
			return s, apperr.Template(apperr.CodeTemplateLocation, "", t.Name,
				fmt.Errorf("template %s: the location header needs latitude -90..90, longitude -180..180, a name and an address (got %v, %v, %q, %q): %w",
					t.Name, m.Latitude, m.Longitude, s.Media.Name, s.Media.Address, channels.ErrTemplateParams))
		}
	} else if f != "" {
		s.Media.Format = f
		if !publicHTTPS(s.Media.Link) || (f == "document" && s.Media.Filename == "") {
			return s, apperr.Template(apperr.CodeTemplateMediaLink, "", t.Name,
				fmt.Errorf("template %s: the %s header needs a public https link, a document also a file name (got %q, file name %q): %w",
					t.Name, f, s.Media.Link, s.Media.Filename, channels.ErrTemplateParams))
		}
	} else if s.Media.Link != "" || s.Media.Filename != "" {
		return s, fmt.Errorf("template %s has no media header, got link %q: %w", t.Name, s.Media.Link, channels.ErrTemplateParams)
	}
	if err := def.Check(s); err != nil {
		return s, err
	}
	return s, nil
}

// publicHTTPS: Meta downloads a header's media from the link itself, so it
// must be an absolute https URL on a host, without credentials in it.
func publicHTTPS(link string) bool {
	u, err := url.Parse(link)
	return err == nil && u.Scheme == "https" && u.Hostname() != "" && u.User == nil && !strings.ContainsAny(link, " \t\n")
}

// trimAll trims each value; nil becomes an empty list (the wire sends []).
func trimAll(vals []string) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = strings.TrimSpace(v)
	}
	return out
}
