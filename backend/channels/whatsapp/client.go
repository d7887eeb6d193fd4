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
	"unicode/utf8"

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

// Button is one button of a template's BUTTONS component. A URL button's
// url may hold a variable ({{1}}, at its end); a COPY_CODE button takes
// its code and an authentication template's OTP button the one-time code
// at each send; QUICK_REPLY and PHONE_NUMBER buttons are sent as approved.
type Button struct {
	Type        string `json:"type"` // URL, QUICK_REPLY, PHONE_NUMBER, COPY_CODE, OTP, CATALOG, FLOW, …
	Text        string `json:"text"`
	URL         string `json:"url"`
	PhoneNumber string `json:"phone_number"`
	OTPType     string `json:"otp_type"` // OTP: COPY_CODE, ONE_TAP, ZERO_TAP
}

// Kinds of button values (ButtonVar.Type).
const (
	ButtonURL      = "url"       // a URL button's {{1}}
	ButtonCopyCode = "copy_code" // a COPY_CODE button's coupon code
	ButtonOTP      = "otp"       // an OTP button's one-time code, also the body's {{1}}
)

// MaxCopyCode is Meta's limit of a COPY_CODE button's code.
const MaxCopyCode = 15

// ButtonVar is a button that takes a value at each send: Index is its
// position among the template's buttons, the index Meta expects in the send.
type ButtonVar struct {
	Index int    `json:"index"`
	Type  string `json:"type"` // ButtonURL, ButtonCopyCode, ButtonOTP
	Text  string `json:"text"` // the button's label
	URL   string `json:"url"`  // a URL button's, with its {{1}}; "" otherwise
}

// SubType is the sub_type a send gives the button's value: Meta takes an
// OTP button's code as a url parameter, whatever its otp_type.
func (b ButtonVar) SubType() string {
	if b.Type == ButtonCopyCode {
		return ButtonCopyCode
	}
	return ButtonURL
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

// ButtonVars lists the buttons that need a value, in button order: URL
// buttons with a variable, COPY_CODE and OTP buttons.
func (t Template) ButtonVars() []ButtonVar {
	var out []ButtonVar
	for _, c := range t.Components {
		if !strings.EqualFold(c.Type, "BUTTONS") {
			continue
		}
		for i, b := range c.Buttons {
			switch strings.ToUpper(b.Type) {
			case "URL":
				if countVars(b.URL) > 0 {
					out = append(out, ButtonVar{Index: i, Type: ButtonURL, Text: b.Text, URL: b.URL})
				}
			case "COPY_CODE":
				out = append(out, ButtonVar{Index: i, Type: ButtonCopyCode, Text: b.Text})
			case "OTP":
				out = append(out, ButtonVar{Index: i, Type: ButtonOTP, Text: b.Text})
			}
		}
	}
	return out
}

// fillableButtons are the button types whose values the composer knows:
// CATALOG, MPM, FLOW and others take values it does not ask for.
var fillableButtons = map[string]bool{"URL": true, "QUICK_REPLY": true, "PHONE_NUMBER": true, "COPY_CODE": true, "OTP": true}

// Fillable reports whether every value a send of t takes can be given:
// its header is text, media or a location, and it has no button whose
// parameters the composer does not ask (catalog, flow, …).
func (t Template) Fillable() bool {
	for _, c := range t.Components {
		switch strings.ToUpper(c.Type) {
		case "HEADER":
			if c.Format != "" && !strings.EqualFold(c.Format, "TEXT") && t.MediaFormat() == "" {
				return false
			}
		case "BUTTONS":
			for _, b := range c.Buttons {
				if !fillableButtons[strings.ToUpper(b.Type)] {
					return false
				}
			}
		}
	}
	return true
}

// MediaFormat is the format of a media or location header in lower case
// ("image", "video", "document", "location"), the parameter type a send
// gives it; "" when the header is text or there is none.
func (t Template) MediaFormat() string {
	for _, c := range t.Components {
		if strings.EqualFold(c.Type, "HEADER") {
			switch f := strings.ToLower(c.Format); f {
			case "image", "video", "document", "location":
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
	if m := s.Media; m.Format == "location" {
		lines = append(lines, fmt.Sprintf("[location] %s, %s (%s, %s)", m.Name, m.Address,
			strconv.FormatFloat(m.Latitude, 'f', -1, 64), strconv.FormatFloat(m.Longitude, 'f', -1, 64)))
	} else if m.Link != "" {
		lines = append(lines, "["+m.Format+"] "+m.Link)
	}
	lines = append(lines, t.Render(s.Header, s.Body))
	for _, bv := range t.ButtonVars() {
		for _, b := range s.Buttons {
			if b.Index != bv.Index {
				continue
			}
			if bv.Type == ButtonURL {
				lines = append(lines, "["+bv.Text+"] "+fillVars(bv.URL, []string{b.Text}))
			} else {
				lines = append(lines, "["+bv.Text+"] "+b.Text)
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
		if b.Index != bv[i].Index || b.SubType() != bv[i].SubType() {
			return fmt.Errorf("whatsapp template %s: button value %d is for %s button %d, not the %s button %d: %w",
				t.Name, i+1, b.SubType(), b.Index, bv[i].Type, bv[i].Index, channels.ErrTemplateParams)
		}
		switch bv[i].Type {
		case ButtonCopyCode:
			if n := utf8.RuneCountInString(b.Text); n > MaxCopyCode {
				return fmt.Errorf("whatsapp template %s: the code of button %d has %d characters, Meta takes at most %d: %w", t.Name, b.Index, n, MaxCopyCode, channels.ErrTemplateParams)
			}
		case ButtonOTP:
			// The body's {{1}} is the code the button copies or fills in.
			if len(s.Body) == 0 || s.Body[0] != b.Text {
				return fmt.Errorf("whatsapp template %s: the one-time code of button %d is not the body's {{1}}: %w", t.Name, b.Index, channels.ErrTemplateParams)
			}
		}
	}
	f := t.MediaFormat()
	bad := s.Media.Format != f
	switch f {
	case "":
		bad = bad || s.Media.Link != ""
	case "location":
		bad = bad || s.Media.Link != "" || !ValidPlace(s.Media)
	default:
		bad = bad || s.Media.Link == ""
	}
	if bad {
		return fmt.Errorf("whatsapp template %s: its header takes media %q, got %q with link %q: %w", t.Name, f, s.Media.Format, s.Media.Link, channels.ErrTemplateParams)
	}
	return nil
}

// ValidPlace reports whether m is a place a location header takes:
// latitude within ±90 and longitude within ±180 degrees, a name and an
// address.
func ValidPlace(m channels.TemplateMedia) bool {
	return m.Latitude >= -90 && m.Latitude <= 90 && m.Longitude >= -180 && m.Longitude <= 180 &&
		strings.TrimSpace(m.Name) != "" && strings.TrimSpace(m.Address) != ""
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

// templateParam is one value: text, a media header's image, video or
// document by link, a location header's place, or a COPY_CODE button's
// coupon code (exactly one of them is set, named by Type).
type templateParam struct {
	Type       string    `json:"type"` // text, image, video, document, location, coupon_code
	Text       string    `json:"text,omitempty"`
	Image      *mediaRef `json:"image,omitempty"`
	Video      *mediaRef `json:"video,omitempty"`
	Document   *mediaRef `json:"document,omitempty"`
	Location   *place    `json:"location,omitempty"`
	CouponCode string    `json:"coupon_code,omitempty"`
}

// place is a location header's parameter.
type place struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	Name      string  `json:"name"`
	Address   string  `json:"address"`
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
