// Package whatsappfake is a local stand-in for the WhatsApp Cloud API on top
// of graphfake.Base (tokens, permissions, the error envelope with
// fbtrace_id, usage headers, injected throttling): the phone number object,
// POST /{phone-number-id}/messages for text and template messages with the
// 24-hour customer service window (a free-form message outside it fails
// with 131047, a template is allowed), GET /{waba-id}/message_templates with
// paging, and Meta's side of the webhooks: payloads of incoming messages and
// delivery statuses, signed with the app secret as Meta signs them.
package whatsappfake

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels/graph/graphfake"
)

// Permissions the fake checks, as Meta does.
const (
	PermMessaging  = "whatsapp_business_messaging"
	PermManagement = "whatsapp_business_management"
)

// Template is a message template of the business account.
type Template struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Language   string      `json:"language"`
	Status     string      `json:"status"`
	Category   string      `json:"category"`
	Components []Component `json:"components"`
}

// Component is one part of a template.
type Component struct {
	Type    string   `json:"type"`
	Format  string   `json:"format,omitempty"`
	Text    string   `json:"text,omitempty"`
	Buttons []Button `json:"buttons,omitempty"`
}

// Button is one button of a BUTTONS component; a URL button's url may end
// in {{1}}, whose value each send must give.
type Button struct {
	Type        string `json:"type"`
	Text        string `json:"text"`
	URL         string `json:"url,omitempty"`
	PhoneNumber string `json:"phone_number,omitempty"`
	OTPType     string `json:"otp_type,omitempty"` // OTP buttons: COPY_CODE, ONE_TAP, ZERO_TAP
}

// Sent is one message the business sent.
type Sent struct {
	ID       string
	To       string
	Type     string          // text, template
	Text     string          // text body, or the template's name
	Params   []string        // header and body text values in order
	Template json.RawMessage // the template object as received
	ReplyTo  string          // context.message_id
	Language string
	At       time.Time
}

// SameTemplate reports whether the template object the fake received is
// want (JSON compared as values: key order and spacing do not matter).
func (m Sent) SameTemplate(want string) (bool, error) {
	var got, w any
	if err := json.Unmarshal(m.Template, &got); err != nil {
		return false, fmt.Errorf("template received: %w", err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		return false, fmt.Errorf("template wanted: %w", err)
	}
	return reflect.DeepEqual(got, w), nil
}

// Server is the fake Cloud API of one phone number and its business account.
type Server struct {
	*graphfake.Base
	PhoneID, WABAID, Display string

	mu        sync.Mutex
	lastIn    map[string]time.Time // wa_id -> the customer's last message
	templates []Template
	sent      []Sent
	seq       int
}

// New starts a fake for phoneID (display number display) and wabaID.
func New(phoneID, wabaID, display string) *Server {
	s := &Server{Base: graphfake.New(), PhoneID: phoneID, WABAID: wabaID, Display: display, lastIn: map[string]time.Time{}}
	s.Handle(s.serve)
	s.Handle(s.serveMedia)
	// /me/permissions of the system user token, as test connection reads it.
	s.Handle(s.ServeAccount(nil))
	return s
}

// AddTemplate adds a template (status APPROVED unless set).
func (s *Server) AddTemplate(t Template) {
	if t.Status == "" {
		t.Status = "APPROVED"
	}
	s.mu.Lock()
	s.seq++
	if t.ID == "" {
		t.ID = strconv.Itoa(9000 + s.seq)
	}
	s.templates = append(s.templates, t)
	s.mu.Unlock()
}

// Sent lists what the business sent, oldest first.
func (s *Server) Sent() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sent)
}

func (s *Server) wamid() string {
	s.seq++
	return fmt.Sprintf("wamid.HBgLFAKE%08d", s.seq)
}

func (s *Server) serve(q *graphfake.Request) bool {
	switch {
	case q.ID == s.PhoneID && q.Edge == "" && q.R.Method == http.MethodGet:
		if !q.Require(PermMessaging) {
			return true
		}
		q.Write(map[string]string{"id": s.PhoneID, "display_phone_number": s.Display, "verified_name": "Aurora Air", "quality_rating": "GREEN"})
	case q.ID == s.PhoneID && q.Edge == "messages" && q.R.Method == http.MethodPost:
		if q.Require(PermMessaging) {
			s.send(q)
		}
	case q.ID == s.WABAID && q.Edge == "message_templates" && q.R.Method == http.MethodGet:
		if !q.Require(PermManagement) {
			return true
		}
		s.mu.Lock()
		var ts []Template
		for _, t := range s.templates {
			if st := q.Form["status"]; st == "" || st == t.Status {
				ts = append(ts, t)
			}
		}
		s.mu.Unlock()
		graphfake.WritePage(q, ts)
	default:
		return false
	}
	return true
}

var placeholder = regexp.MustCompile(`\{\{\s*(\d+)\s*\}\}`)

func vars(text string) int {
	n := 0
	for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
		if i, _ := strconv.Atoi(m[1]); i > n {
			n = i
		}
	}
	return n
}

type sendBody struct {
	MessagingProduct string `json:"messaging_product"`
	To               string `json:"to"`
	Type             string `json:"type"`
	Context          *struct {
		MessageID string `json:"message_id"`
	} `json:"context"`
	Text *struct {
		Body string `json:"body"`
	} `json:"text"`
	Template *struct {
		Name     string `json:"name"`
		Language struct {
			Code string `json:"code"`
		} `json:"language"`
		Components []sendComponent `json:"components"`
	} `json:"template"`
}

type sendComponent struct {
	Type       string      `json:"type"`
	SubType    string      `json:"sub_type"`
	Index      *string     `json:"index"`
	Parameters []sendParam `json:"parameters"`
}

type sendParam struct {
	Type     string     `json:"type"`
	Text     *string    `json:"text"`
	Image    *mediaLink `json:"image"`
	Video    *mediaLink `json:"video"`
	Document *mediaLink `json:"document"`
	Location *struct {
		Latitude  *float64 `json:"latitude"`
		Longitude *float64 `json:"longitude"`
		Name      string   `json:"name"`
		Address   string   `json:"address"`
	} `json:"location"`
	CouponCode *string `json:"coupon_code"`
}

type mediaLink struct {
	ID       string `json:"id"`
	Link     string `json:"link"`
	Filename string `json:"filename"`
}

func (s *Server) send(q *graphfake.Request) {
	var b sendBody
	raw, _ := json.Marshal(q.JSON)
	if err := json.Unmarshal(raw, &b); err != nil || b.MessagingProduct != "whatsapp" {
		q.Fail(400, graphfake.Failure{Code: 100, Message: "(#100) The parameter messaging_product is required.", Details: "messaging_product must be whatsapp"})
		return
	}
	if b.To == "" {
		q.Fail(400, graphfake.Failure{Code: 100, Message: "(#100) The parameter to is required."})
		return
	}
	now := s.Now()
	out := Sent{To: b.To, Type: b.Type, At: now}
	if b.Context != nil {
		out.ReplyTo = b.Context.MessageID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch b.Type {
	case "text":
		if b.Text == nil || b.Text.Body == "" {
			q.Fail(400, graphfake.Failure{Code: 100, Message: "(#100) The parameter text['body'] is required."})
			return
		}
		if len([]rune(b.Text.Body)) > 4096 {
			q.Fail(400, graphfake.Failure{Code: 100, Message: "(#100) Param text['body'] must be at most 4096 characters long."})
			return
		}
		last, ok := s.lastIn[b.To]
		if !ok || !now.Before(last.Add(24*time.Hour)) {
			q.Fail(400, graphfake.Failure{Code: 131047, Message: "Re-engagement message",
				Details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number."})
			return
		}
		out.Text = b.Text.Body
	case "template":
		if b.Template == nil {
			q.Fail(400, graphfake.Failure{Code: 100, Message: "(#100) The parameter template is required."})
			return
		}
		var tpl *Template
		for i, t := range s.templates {
			if t.Name == b.Template.Name && t.Language == b.Template.Language.Code && t.Status == "APPROVED" {
				tpl = &s.templates[i]
			}
		}
		if tpl == nil {
			q.Fail(404, graphfake.Failure{Code: 132001, Message: "(#132001) Template name does not exist in the translation",
				Details: fmt.Sprintf("template name (%s) does not exist in %s", b.Template.Name, b.Template.Language.Code)})
			return
		}
		params, fail := checkTemplate(*tpl, b.Template.Components)
		if fail != nil {
			q.Fail(400, *fail)
			return
		}
		raw, _ := json.Marshal(q.JSON["template"])
		out.Text, out.Language, out.Params, out.Template = tpl.Name, tpl.Language, params, raw
	default:
		q.Fail(400, graphfake.Failure{Code: 100, Message: "(#100) Param type must be one of {text, template, image, …}"})
		return
	}
	out.ID = s.wamid()
	s.sent = append(s.sent, out)
	resp := map[string]any{"messaging_product": "whatsapp",
		"contacts": []map[string]string{{"input": b.To, "wa_id": b.To}},
		"messages": []map[string]string{{"id": out.ID}}}
	if b.Type == "template" {
		resp["messages"] = []map[string]string{{"id": out.ID, "message_status": "accepted"}}
	}
	q.Write(resp)
}

func paramsMismatch(details string) *graphfake.Failure {
	return &graphfake.Failure{Code: 132000, Message: "(#132000) Number of parameters does not match the expected number of params", Details: details}
}

func formatMismatch(details string) *graphfake.Failure {
	return &graphfake.Failure{Code: 132012, Message: "(#132012) Parameter format does not match format in the created template", Details: details}
}

// checkTemplate checks a send's components against the template as Meta
// does: a text header and the body take one text parameter per {{n}}; a
// media header takes one parameter of its format (image, video, document)
// with a link or id, a location header one location with its coordinates,
// name and address; each URL button whose url has a variable, and an
// authentication template's OTP button, takes one button component
// (sub_type url, its index) with one text parameter, a COPY_CODE button one
// (sub_type copy_code) with a coupon_code of at most 15 characters; a
// quick reply may take a payload; no other button takes any. It answers the header and body texts in order.
func checkTemplate(t Template, comps []sendComponent) ([]string, *graphfake.Failure) {
	got := map[string][]sendParam{}
	buttons := map[string][]sendParam{}
	for _, c := range comps {
		switch c.Type {
		case "header", "body":
			if _, dup := got[c.Type]; dup {
				return nil, paramsMismatch(c.Type + ": given twice")
			}
			got[c.Type] = c.Parameters
		case "button":
			if c.SubType != "url" && c.SubType != "quick_reply" && c.SubType != "copy_code" {
				return nil, &graphfake.Failure{Code: 100, Message: "(#100) Invalid parameter", Details: fmt.Sprintf("button sub_type %q", c.SubType)}
			}
			if c.Index == nil {
				return nil, &graphfake.Failure{Code: 100, Message: "(#100) The parameter template['components'][]['index'] is required."}
			}
			if _, dup := buttons[*c.Index]; dup {
				return nil, paramsMismatch("button at index " + *c.Index + " given twice")
			}
			buttons[*c.Index] = c.Parameters
		default:
			return nil, &graphfake.Failure{Code: 100, Message: "(#100) Invalid parameter", Details: fmt.Sprintf("component type %q", c.Type)}
		}
	}
	var texts []string
	textsOf := func(typ string, want int) *graphfake.Failure {
		ps := got[typ]
		if len(ps) != want {
			return paramsMismatch(fmt.Sprintf("%s: number of localizable_params (%d) does not match the expected number of params (%d)", typ, len(ps), want))
		}
		for _, p := range ps {
			if p.Type != "text" || p.Text == nil {
				return formatMismatch(fmt.Sprintf("%s: parameter of type %q where the template has text", typ, p.Type))
			}
			if *p.Text == "" {
				return &graphfake.Failure{Code: 131008, Message: "(#131008) Required parameter is missing", Details: typ + ": a text parameter is empty"}
			}
			texts = append(texts, *p.Text)
		}
		return nil
	}
	// valued: index -> the sub_type its value comes with.
	header, body, valued, quickReplies := "", "", map[string]string{}, map[string]bool{}
	media := ""
	for _, c := range t.Components {
		switch c.Type {
		case "HEADER":
			switch c.Format {
			case "IMAGE", "VIDEO", "DOCUMENT", "LOCATION":
				media = strings.ToLower(c.Format)
			default:
				header = c.Text
			}
		case "BODY":
			body = c.Text
		case "BUTTONS":
			for i, b := range c.Buttons {
				switch {
				case b.Type == "URL" && vars(b.URL) > 0, b.Type == "OTP":
					valued[strconv.Itoa(i)] = "url"
				case b.Type == "COPY_CODE":
					valued[strconv.Itoa(i)] = "copy_code"
				case b.Type == "QUICK_REPLY":
					quickReplies[strconv.Itoa(i)] = true
				}
			}
		}
	}
	if media == "location" {
		ps := got["header"]
		if len(ps) != 1 {
			return nil, paramsMismatch(fmt.Sprintf("header: number of params (%d) does not match the expected number of params (1)", len(ps)))
		}
		l := ps[0].Location
		if ps[0].Type != "location" || l == nil {
			return nil, formatMismatch(fmt.Sprintf("header: parameter of type %q where the template has LOCATION", ps[0].Type))
		}
		if l.Latitude == nil || l.Longitude == nil || l.Name == "" || l.Address == "" {
			return nil, paramsMismatch("header: location needs latitude, longitude, name and address")
		}
		if *l.Latitude < -90 || *l.Latitude > 90 || *l.Longitude < -180 || *l.Longitude > 180 {
			return nil, &graphfake.Failure{Code: 131009, Message: "(#131009) Parameter value is not valid", Details: "header: latitude or longitude out of range"}
		}
	} else if media != "" {
		ps := got["header"]
		if len(ps) != 1 {
			return nil, paramsMismatch(fmt.Sprintf("header: number of params (%d) does not match the expected number of params (1)", len(ps)))
		}
		p := ps[0]
		ref := map[string]*mediaLink{"image": p.Image, "video": p.Video, "document": p.Document}[media]
		if p.Type != media || ref == nil {
			return nil, formatMismatch(fmt.Sprintf("header: parameter of type %q where the template has %s", p.Type, strings.ToUpper(media)))
		}
		if ref.ID == "" && !strings.HasPrefix(ref.Link, "https://") && !strings.HasPrefix(ref.Link, "http://") {
			return nil, &graphfake.Failure{Code: 131009, Message: "(#131009) Parameter value is not valid", Details: "header: the media needs an id or a link"}
		}
	} else if f := textsOf("header", vars(header)); f != nil {
		return nil, f
	}
	if f := textsOf("body", vars(body)); f != nil {
		return nil, f
	}
	for idx := range valued {
		if _, ok := buttons[idx]; !ok {
			return nil, paramsMismatch(fmt.Sprintf("button at index %s: number of params (0) does not match the expected number of params (1)", idx))
		}
	}
	for _, c := range comps {
		// A quick reply may carry the payload its tap returns in the webhook.
		if c.Type == "button" && c.SubType == "quick_reply" {
			if !quickReplies[*c.Index] || len(c.Parameters) != 1 || c.Parameters[0].Type != "payload" {
				return nil, paramsMismatch(fmt.Sprintf("button at index %s: not a quick reply taking one payload", *c.Index))
			}
			delete(buttons, *c.Index)
		}
	}
	for _, c := range comps {
		if c.Type != "button" || c.SubType == "quick_reply" {
			continue
		}
		idx, ps := *c.Index, c.Parameters
		want, ok := valued[idx]
		if !ok {
			return nil, paramsMismatch(fmt.Sprintf("button at index %s: number of params (%d) does not match the expected number of params (0)", idx, len(ps)))
		}
		if len(ps) != 1 {
			return nil, paramsMismatch(fmt.Sprintf("button at index %s: number of params (%d) does not match the expected number of params (1)", idx, len(ps)))
		}
		if c.SubType != want {
			return nil, formatMismatch(fmt.Sprintf("button at index %s: sub_type %q where the template's button takes %q", idx, c.SubType, want))
		}
		if want == "copy_code" {
			if ps[0].Type != "coupon_code" || ps[0].CouponCode == nil || *ps[0].CouponCode == "" {
				return nil, formatMismatch(fmt.Sprintf("button at index %s: a copy code button takes a coupon_code parameter", idx))
			}
			if len([]rune(*ps[0].CouponCode)) > 15 {
				return nil, &graphfake.Failure{Code: 131009, Message: "(#131009) Parameter value is not valid", Details: fmt.Sprintf("button at index %s: coupon_code longer than 15 characters", idx)}
			}
			continue
		}
		if ps[0].Type != "text" || ps[0].Text == nil || *ps[0].Text == "" {
			return nil, formatMismatch(fmt.Sprintf("button at index %s: the url's variable takes a text parameter", idx))
		}
	}
	return texts, nil
}

// Payload is a webhook body as Meta posts it.
type Payload struct {
	Object string  `json:"object"`
	Entry  []Entry `json:"entry"`
}

// Entry is one business account's changes.
type Entry struct {
	ID      string   `json:"id"`
	Changes []Change `json:"changes"`
}

// Change is one field's change.
type Change struct {
	Field string `json:"field"`
	Value Value  `json:"value"`
}

// Value is the messages field's value.
type Value struct {
	MessagingProduct string           `json:"messaging_product"`
	Metadata         Metadata         `json:"metadata"`
	Contacts         []map[string]any `json:"contacts,omitempty"`
	Messages         []map[string]any `json:"messages,omitempty"`
	Statuses         []map[string]any `json:"statuses,omitempty"`
}

// Metadata names the business phone number.
type Metadata struct {
	DisplayPhoneNumber string `json:"display_phone_number"`
	PhoneNumberID      string `json:"phone_number_id"`
}

func (s *Server) payload(v Value) Payload {
	v.MessagingProduct = "whatsapp"
	v.Metadata = Metadata{DisplayPhoneNumber: s.Display, PhoneNumberID: s.PhoneID}
	return Payload{Object: "whatsapp_business_account", Entry: []Entry{{ID: s.WABAID, Changes: []Change{{Field: "messages", Value: v}}}}}
}

// Receive records a text message of the customer waID (profile name) at at,
// opening their 24-hour window, and returns its wamid and the webhook
// payload Meta would post for it.
func (s *Server) Receive(waID, name, text string, at time.Time) (string, Payload) {
	s.mu.Lock()
	if at.After(s.lastIn[waID]) {
		s.lastIn[waID] = at
	}
	id := s.wamid()
	s.mu.Unlock()
	return id, s.payload(Value{
		Contacts: []map[string]any{{"profile": map[string]string{"name": name}, "wa_id": waID}},
		Messages: []map[string]any{{"from": waID, "id": id, "timestamp": strconv.FormatInt(at.Unix(), 10), "type": "text", "text": map[string]string{"body": text}}},
	})
}

// Status is the webhook payload of a delivery status of a sent message:
// "sent", "delivered", "read", or "failed" with errCode (e.g. 131047, 131026).
func (s *Server) Status(m Sent, status string, at time.Time, errCode int) Payload {
	st := map[string]any{"id": m.ID, "status": status, "timestamp": strconv.FormatInt(at.Unix(), 10), "recipient_id": m.To}
	if status != "failed" {
		st["conversation"] = map[string]any{"id": "conv" + m.ID[len(m.ID)-4:], "origin": map[string]string{"type": "service"}}
		st["pricing"] = map[string]any{"billable": true, "pricing_model": "CBP", "category": "service"}
	} else {
		st["errors"] = []map[string]any{{"code": errCode, "title": failTitles[errCode], "message": failTitles[errCode],
			"error_data": map[string]string{"details": failTitles[errCode]}}}
	}
	return s.payload(Value{Statuses: []map[string]any{st}})
}

var failTitles = map[int]string{
	131026: "Message undeliverable",
	131047: "Re-engagement message",
	131049: "This message was not delivered to maintain healthy ecosystem engagement.",
	131053: "Media upload error",
}

// Sign is the X-Hub-Signature-256 header Meta sends: sha256= and the
// hex HMAC-SHA256 of the raw body under the app secret.
func Sign(body []byte, appSecret string) string {
	m := hmac.New(sha256.New, []byte(appSecret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Deliver posts p to url as Meta does, signed with appSecret, and returns
// the HTTP status of the answer.
func Deliver(ctx context.Context, hc *http.Client, url, appSecret string, p any) (int, error) {
	body, err := json.Marshal(p)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hub-Signature-256", Sign(body, appSecret))
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}
