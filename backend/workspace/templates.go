package workspace

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

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
	{ID: "demo-3", Name: "follow_up", Language: "de", Status: "APPROVED", Category: "UTILITY", Components: []whatsapp.Component{
		{Type: "BODY", Text: "Hallo {{1}}, wir melden uns zu Ihrer Nachricht. Antworten Sie auf diese Nachricht, um das Gespräch fortzusetzen."},
	}},
}

// templatesOf lists the approved templates of a WhatsApp account, from the
// cache when it is fresh. Templates whose header is media (an image, a
// document) are left out: the composer sends text values only.
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

// sendableTemplate: approved, and no media header (its value would be a
// link to an image or document, which the composer does not ask for).
func sendableTemplate(t whatsapp.Template) bool {
	if !strings.EqualFold(t.Status, "APPROVED") {
		return false
	}
	for _, p := range t.Components {
		if strings.EqualFold(p.Type, "HEADER") && p.Format != "" && !strings.EqualFold(p.Format, "TEXT") {
			return false
		}
	}
	return true
}

func toMessageTemplate(t whatsapp.Template) MessageTemplate {
	m := MessageTemplate{Name: t.Name, Language: t.Language, Category: t.Category, Body: t.Body(),
		HeaderVars: t.HeaderVars(), BodyVars: t.BodyVars()}
	for _, p := range t.Components {
		switch strings.ToUpper(p.Type) {
		case "HEADER":
			m.Header = p.Text
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
// (none empty, as many as the template has placeholders), and the reply's
// text is the filled template, what approvers read. It then goes through
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
	t.Header, t.Body = trimAll(t.Header), trimAll(t.Body)
	if len(t.Header) != def.HeaderVars() || len(t.Body) != def.BodyVars() || slices.Contains(t.Header, "") || slices.Contains(t.Body, "") {
		return drafts.Reply{}, apperr.Template(apperr.CodeTemplateParams, string(acc.Channel), t.Name,
			fmt.Errorf("template %s needs %d header and %d body values, none empty (got %q and %q): %w",
				t.Name, def.HeaderVars(), def.BodyVars(), t.Header, t.Body, channels.ErrTemplateParams))
	}
	inCrisis, err := c.ws.Store.InCrisis(ctx, conv.AccountID)
	if err != nil {
		return drafts.Reply{}, err
	}
	d := drafts.Draft{Text: def.Render(t.Header, t.Body), Lang: t.Language, Source: drafts.SourceTemplate}
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

// trimAll trims each value; nil becomes an empty list (the wire sends []).
func trimAll(vals []string) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = strings.TrimSpace(v)
	}
	return out
}
