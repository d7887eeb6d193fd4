package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/graph"
)

// Permissions the Cloud API asks of a system user token.
const (
	PermMessaging  = "whatsapp_business_messaging"  // send, read the phone number
	PermManagement = "whatsapp_business_management" // list message templates
)

// PhoneNumber is what GET /{phone-number-id} answers.
type PhoneNumber struct {
	ID                 string `json:"id"`
	DisplayPhoneNumber string `json:"display_phone_number"`
	VerifiedName       string `json:"verified_name"`
	QualityRating      string `json:"quality_rating"`
}

// Component is one part of a message template (HEADER, BODY, FOOTER, BUTTONS).
type Component struct {
	Type    string   `json:"type"`
	Format  string   `json:"format"` // HEADER: TEXT, IMAGE, VIDEO, DOCUMENT, LOCATION
	Text    string   `json:"text"`
	Buttons []Button `json:"buttons"` // BUTTONS only
}

// Button is one button of a template's BUTTONS component. Only a URL
// button's url may hold a variable ({{1}}, at its end); QUICK_REPLY and
// PHONE_NUMBER buttons are sent as approved.
type Button struct {
	Type        string `json:"type"` // URL, QUICK_REPLY, PHONE_NUMBER, COPY_CODE, …
	Text        string `json:"text"`
	URL         string `json:"url"`
	PhoneNumber string `json:"phone_number"`
}

// ButtonVar is a URL button whose url takes a value: Index is its position
// among the template's buttons, the index Meta expects in the send.
type ButtonVar struct {
	Index int    `json:"index"`
	Text  string `json:"text"` // the button's label
	URL   string `json:"url"`  // with its {{1}}
}

// Template is one message template of the WhatsApp Business Account.
type Template struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Language   string      `json:"language"`
	Status     string      `json:"status"`   // APPROVED, PENDING, REJECTED, PAUSED, DISABLED
	Category   string      `json:"category"` // MARKETING, UTILITY, AUTHENTICATION
	Components []Component `json:"components"`
}

// placeholder is a positional template variable: {{1}}, {{2}} …
var placeholder = regexp.MustCompile(`\{\{\s*(\d+)\s*\}\}`)

// countVars is the highest positional variable in text: Meta numbers them
// from 1 without gaps, so that is how many values the part takes.
func countVars(text string) int {
	n := 0
	for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
		if i, err := strconv.Atoi(m[1]); err == nil && i > n {
			n = i
		}
	}
	return n
}

// part is the text of the template's component of type typ ("" = none).
func (t Template) part(typ string) string {
	for _, c := range t.Components {
		if strings.EqualFold(c.Type, typ) && (typ != "HEADER" || c.Format == "" || strings.EqualFold(c.Format, "TEXT")) {
			return c.Text
		}
	}
	return ""
}

// HeaderVars and BodyVars are how many values a send of the template needs.
func (t Template) HeaderVars() int { return countVars(t.part("HEADER")) }

// BodyVars is how many values the template's body needs.
func (t Template) BodyVars() int { return countVars(t.part("BODY")) }

// Body is the template's body text with its placeholders.
func (t Template) Body() string { return t.part("BODY") }

// ButtonVars lists the URL buttons that need a value, in button order.
func (t Template) ButtonVars() []ButtonVar {
	var out []ButtonVar
	for _, c := range t.Components {
		if !strings.EqualFold(c.Type, "BUTTONS") {
			continue
		}
		for i, b := range c.Buttons {
			if strings.EqualFold(b.Type, "URL") && countVars(b.URL) > 0 {
				out = append(out, ButtonVar{Index: i, Text: b.Text, URL: b.URL})
			}
		}
	}
	return out
}

// MediaFormat is the format of a media header in lower case ("image",
// "video", "document"), the parameter type a send gives it; "" when the
// header is text or there is none. A LOCATION header is not media.
func (t Template) MediaFormat() string {
	for _, c := range t.Components {
		if strings.EqualFold(c.Type, "HEADER") {
			switch f := strings.ToLower(c.Format); f {
			case "image", "video", "document":
				return f
			}
		}
	}
	return ""
}

// fillVars replaces text's {{n}} with vals[n-1], leaving a placeholder
// without a value as it is.
func fillVars(text string, vals []string) string {
	return placeholder.ReplaceAllStringFunc(text, func(m string) string {
		i, _ := strconv.Atoi(placeholder.FindStringSubmatch(m)[1])
		if i >= 1 && i <= len(vals) {
			return vals[i-1]
		}
		return m
	})
}

// Render fills the body's placeholders with values, for the copy of the sent
// message kept in the conversation.
func (t Template) Render(header, body []string) string {
	h := fillVars(t.part("HEADER"), header)
	b := fillVars(t.part("BODY"), body)
	if h == "" {
		return b
	}
	return h + "\n" + b
}

// RenderSend is the message s sends as a person reads it: the media link
// on the first line, the filled header and body, and each URL button's
// label with its filled link, so approvers see where the buttons lead.
func (t Template) RenderSend(s TemplateSend) string {
	var lines []string
	if s.Media.Link != "" {
		lines = append(lines, "["+s.Media.Format+"] "+s.Media.Link)
	}
	lines = append(lines, t.Render(s.Header, s.Body))
	for _, bv := range t.ButtonVars() {
		for _, b := range s.Buttons {
			if b.Index == bv.Index {
				lines = append(lines, "["+bv.Text+"] "+fillVars(bv.URL, []string{b.Text}))
			}
		}
	}
	return strings.Join(lines, "\n")
}

// Check reports whether s has exactly the values t takes: one per header
// and body variable, one for each URL button with a variable at that
// button's index, and a link for a media header and none without one. It
// says in our words what Meta would refuse with 132000 or 132012.
func (t Template) Check(s TemplateSend) error {
	if len(s.Header) != t.HeaderVars() || len(s.Body) != t.BodyVars() {
		return fmt.Errorf("whatsapp template %s: needs %d header and %d body values, got %d and %d: %w",
			t.Name, t.HeaderVars(), t.BodyVars(), len(s.Header), len(s.Body), channels.ErrTemplateParams)
	}
	bv := t.ButtonVars()
	if len(s.Buttons) != len(bv) {
		return fmt.Errorf("whatsapp template %s: needs %d button values, got %d: %w", t.Name, len(bv), len(s.Buttons), channels.ErrTemplateParams)
	}
	for i, b := range s.Buttons {
		if b.Index != bv[i].Index {
			return fmt.Errorf("whatsapp template %s: button value %d is for button %d, not the URL button %d: %w", t.Name, i+1, b.Index, bv[i].Index, channels.ErrTemplateParams)
		}
	}
	if f := t.MediaFormat(); s.Media.Format != f || (f != "") != (s.Media.Link != "") {
		return fmt.Errorf("whatsapp template %s: its header takes media %q, got %q with link %q: %w", t.Name, f, s.Media.Format, s.Media.Link, channels.ErrTemplateParams)
	}
	return nil
}

// TemplateSend is a template message to send: the template's name and
// language, the values of its header and body variables in order, the
// values of its URL buttons, and the link of a media header. It is the
// channels' template reply itself, so a stored reply is sent as it is.
type TemplateSend = channels.Template

// sendRequest is the Cloud API's message object.
type sendRequest struct {
	MessagingProduct string        `json:"messaging_product"`
	RecipientType    string        `json:"recipient_type"`
	To               string        `json:"to"`
	Type             string        `json:"type"`
	Context          *msgContext   `json:"context,omitempty"`
	Text             *textBody     `json:"text,omitempty"`
	Template         *templateBody `json:"template,omitempty"`
}

type msgContext struct {
	MessageID string `json:"message_id"`
}

type textBody struct {
	PreviewURL bool   `json:"preview_url"`
	Body       string `json:"body"`
}

type templateBody struct {
	Name     string `json:"name"`
	Language struct {
		Code string `json:"code"`
	} `json:"language"`
	Components []templateParamSet `json:"components,omitempty"`
}

// templateParamSet is one component of a template send: header, body, or
// button with sub_type url and the button's index as a string ("0"), as the
// Cloud API documents it.
type templateParamSet struct {
	Type       string          `json:"type"` // header, body, button
	SubType    string          `json:"sub_type,omitempty"`
	Index      string          `json:"index,omitempty"`
	Parameters []templateParam `json:"parameters"`
}

// templateParam is one value: text, or a media header's image, video or
// document by link (exactly one of them is set, named by Type).
type templateParam struct {
	Type     string    `json:"type"` // text, image, video, document
	Text     string    `json:"text,omitempty"`
	Image    *mediaRef `json:"image,omitempty"`
	Video    *mediaRef `json:"video,omitempty"`
	Document *mediaRef `json:"document,omitempty"`
}

type mediaRef struct {
	Link     string `json:"link"`
	Filename string `json:"filename,omitempty"` // document only
}

// sendResponse is the Cloud API's answer to a send.
type sendResponse struct {
	Contacts []struct {
		Input string `json:"input"`
		WaID  string `json:"wa_id"`
	} `json:"contacts"`
	Messages []struct {
		ID            string `json:"id"`
		MessageStatus string `json:"message_status"`
	} `json:"messages"`
}

// client is the Cloud API of one phone number and its business account.
type client struct {
	api     *graph.Client
	token   string
	phoneID string
	wabaID  string
}

func (c *client) phone(ctx context.Context) (PhoneNumber, error) {
	var p PhoneNumber
	err := c.api.Get(ctx, c.token, c.phoneID, url.Values{"fields": {"id,display_phone_number,verified_name,quality_rating"}}, PermMessaging, &p)
	return p, err
}

// send posts one message. Meta takes no idempotency key for it, so a send
// is repeated only after a refusal (graph.Call.Safe false).
func (c *client) send(ctx context.Context, req sendRequest) (string, error) {
	req.MessagingProduct, req.RecipientType = "whatsapp", "individual"
	var out sendResponse
	if err := c.api.Do(ctx, graph.Call{Method: http.MethodPost, Path: c.phoneID + "/messages", JSON: req, Token: c.token, Permission: PermMessaging}, &out); err != nil {
		if errors.Is(err, channels.ErrTransport) && !strings.Contains(err.Error(), "dial ") {
			// The connection broke after the request left: Meta may have
			// sent the message. Only a person looking at the chat can tell.
			return "", errors.Join(err, channels.ErrOutcomeUnknown)
		}
		return "", err
	}
	if len(out.Messages) == 0 || out.Messages[0].ID == "" {
		return "", fmt.Errorf("whatsapp POST %s/messages: the answer has no message id", c.phoneID)
	}
	return out.Messages[0].ID, nil
}

// templates lists the business account's templates with status (e.g.
// "APPROVED"; "" = all), reading at most maxPages pages.
func (c *client) templates(ctx context.Context, status string, maxPages int) ([]Template, error) {
	q := url.Values{"fields": {"id,name,language,status,category,components"}}
	if status != "" {
		q.Set("status", status)
	}
	var out []Template
	err := graph.List(ctx, c.api, c.token, c.wabaID+"/message_templates", q, 100, maxPages, PermManagement, func(ts []Template) bool {
		out = append(out, ts...)
		return true
	})
	return out, err
}
