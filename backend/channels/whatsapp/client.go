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
	Type   string `json:"type"`
	Format string `json:"format"` // HEADER: TEXT, IMAGE, VIDEO, DOCUMENT, LOCATION
	Text   string `json:"text"`
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

// Render fills the body's placeholders with values, for the copy of the sent
// message kept in the conversation.
func (t Template) Render(header, body []string) string {
	fill := func(s string, vals []string) string {
		return placeholder.ReplaceAllStringFunc(s, func(m string) string {
			i, _ := strconv.Atoi(placeholder.FindStringSubmatch(m)[1])
			if i >= 1 && i <= len(vals) {
				return vals[i-1]
			}
			return m
		})
	}
	h := fill(t.part("HEADER"), header)
	b := fill(t.part("BODY"), body)
	if h == "" {
		return b
	}
	return h + "\n" + b
}

// TemplateSend is a template message to send: the template's name and
// language, and the values of its header and body variables in order.
type TemplateSend struct {
	Name     string   `json:"name"`
	Language string   `json:"language"`
	Header   []string `json:"header"`
	Body     []string `json:"body"`
}

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

type templateParamSet struct {
	Type       string          `json:"type"` // header, body
	Parameters []templateParam `json:"parameters"`
}

type templateParam struct {
	Type string `json:"type"` // text
	Text string `json:"text"`
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
