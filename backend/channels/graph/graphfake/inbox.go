package graphfake

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Person is someone who writes to the business.
type Person struct {
	ID       string // page-scoped (PSID) or Instagram-scoped (IGSID) id
	Name     string
	Username string // Instagram
	// FollowsBusiness is is_user_follow_business of the Instagram User
	// Profile API: a conversation from a non-follower starts as a request.
	FollowsBusiness bool
}

// Msg is one message held by an Inbox.
type Msg struct {
	ID            string
	FromID        string
	Text          string
	At            time.Time
	MessagingType string // of a message the business sent
	Tag           string
	Attachments   []Attach
}

// Attach is an attachment of a Msg: media the Base serves under Key.
type Attach struct {
	Key  string
	Kind string // image, video, audio, file
	Name string
}

type conv struct {
	id     string
	person Person
	msgs   []Msg // oldest first
}

// Inbox is the Conversations and Send APIs of one Page for one platform.
type Inbox struct {
	b        *Base
	platform string
	pageID   string
	self     Person
	perm     string
	convs    []*conv
	seq      int
}

// NewInbox serves /{page}/conversations?platform=…, /{conversation}/messages
// and /{page}/messages for platform ("messenger" or "instagram"); self is the
// business as it appears in messages (the Page, or the Instagram account),
// perm what reading and sending need.
func (b *Base) NewInbox(platform, pageID string, self Person, perm string) *Inbox {
	in := &Inbox{b: b, platform: platform, pageID: pageID, self: self, perm: perm}
	b.Handle(in.serve)
	return in
}

// Receive adds a message from p at at and returns its id.
func (in *Inbox) Receive(p Person, text string, at time.Time) string {
	in.b.Lock()
	defer in.b.Unlock()
	c := in.find(p.ID)
	if c == nil {
		in.seq++
		c = &conv{id: fmt.Sprintf("t_%s_%d", in.platform, in.seq), person: p}
		in.convs = append(in.convs, c)
	}
	in.seq++
	id := fmt.Sprintf("m_%s_%d", in.platform, in.seq)
	c.msgs = append(c.msgs, Msg{ID: id, FromID: p.ID, Text: text, At: at.UTC()})
	return id
}

// ReceiveMedia adds a message from p with one attachment (kind image,
// video, audio or file) whose bytes the Base serves at CDN-like links that
// need no token and lapse after m.URLTTL; it returns the message id.
func (in *Inbox) ReceiveMedia(p Person, text, kind, name string, m Media, at time.Time) string {
	id := in.Receive(p, text, at)
	key := "att_" + id
	in.b.AddMedia(key, m)
	in.b.Lock()
	c := in.find(p.ID)
	c.msgs[len(c.msgs)-1].Attachments = []Attach{{Key: key, Kind: kind, Name: name}}
	in.b.Unlock()
	return id
}

// Sent lists what the business sent through the Send API, oldest first.
func (in *Inbox) Sent() []Msg {
	in.b.Lock()
	defer in.b.Unlock()
	var out []Msg
	for _, c := range in.convs {
		for _, m := range c.msgs {
			if m.FromID == in.self.ID {
				out = append(out, m)
			}
		}
	}
	return out
}

func (in *Inbox) find(personID string) *conv {
	for _, c := range in.convs {
		if c.person.ID == personID {
			return c
		}
	}
	return nil
}

func (in *Inbox) participant(p Person) map[string]string {
	m := map[string]string{"id": p.ID}
	if in.platform == "instagram" {
		m["username"] = p.Username
	} else {
		m["name"] = p.Name
	}
	return m
}

func (in *Inbox) serve(q *Request) bool {
	switch {
	case q.ID == in.pageID && q.Edge == "conversations" && q.R.Method == http.MethodGet:
		if q.Param("platform") != in.platform {
			return false
		}
		if !q.RequirePage(in.pageID) || !q.Require(in.perm) {
			return true
		}
		in.conversations(q)
		return true
	case q.ID == in.pageID && q.Edge == "messages" && q.R.Method == http.MethodPost:
		var rcpt struct {
			ID string `json:"id"`
		}
		if err := q.Object("recipient", &rcpt); err != nil || rcpt.ID == "" {
			q.Error(400, 100, 0, "(#100) param recipient must be non-empty.")
			return true
		}
		in.b.Lock()
		c := in.find(rcpt.ID)
		in.b.Unlock()
		if c == nil {
			return false // another platform's inbox may know the person
		}
		if !q.RequirePage(in.pageID) {
			return true
		}
		if !q.Has(in.perm) {
			q.Error(403, 10, 0, "(#10) Requires "+in.perm+" permission to manage the object")
			return true
		}
		in.send(q, c)
		return true
	case q.Edge == "messages" && q.R.Method == http.MethodGet:
		in.b.Lock()
		var c *conv
		for _, x := range in.convs {
			if x.id == q.ID {
				c = x
			}
		}
		in.b.Unlock()
		if c == nil {
			return false
		}
		if !q.RequirePage(in.pageID) || !q.Require(in.perm) {
			return true
		}
		in.messages(q, c)
		return true
	case q.Edge == "" && q.R.Method == http.MethodGet:
		// The User Profile APIs, GET /{IGSID or PSID}?fields=…: readable with the
		// Page's token, and only for a person who wrote to the account.
		in.b.Lock()
		c := in.find(q.ID)
		in.b.Unlock()
		if c == nil {
			return false
		}
		if !q.RequirePage(in.pageID) {
			return true
		}
		if in.platform == "instagram" {
			q.Write(map[string]any{"id": c.person.ID, "name": c.person.Name, "username": c.person.Username,
				"is_user_follow_business": c.person.FollowsBusiness, "is_business_follow_user": false})
			return true
		}
		if !q.Require(in.perm) {
			return true
		}
		// Messenger: name, first_name, last_name; Graph answers the fields
		// asked for, and the id always.
		first, last, _ := strings.Cut(c.person.Name, " ")
		all := map[string]any{"name": c.person.Name, "first_name": first, "last_name": last}
		out := map[string]any{"id": c.person.ID}
		for _, f := range strings.Split(q.Param("fields"), ",") {
			if v, ok := all[strings.TrimSpace(f)]; ok {
				out[strings.TrimSpace(f)] = v
			}
		}
		q.Write(out)
		return true
	}
	return false
}

func (in *Inbox) conversations(q *Request) {
	in.b.Lock()
	type row struct {
		ID           string         `json:"id"`
		UpdatedTime  string         `json:"updated_time"`
		Participants map[string]any `json:"participants"`
		at           time.Time
	}
	var rows []row
	for _, c := range in.convs {
		if u := q.Param("user_id"); u != "" && c.person.ID != u {
			continue
		}
		last := c.msgs[len(c.msgs)-1].At
		rows = append(rows, row{ID: c.id, UpdatedTime: last.Format("2006-01-02T15:04:05-0700"), at: last,
			Participants: map[string]any{"data": []map[string]string{in.participant(c.person), in.participant(in.self)}}})
	}
	in.b.Unlock()
	slices.SortStableFunc(rows, func(a, b row) int { return b.at.Compare(a.at) })
	WritePage(q, rows)
}

func (in *Inbox) messages(q *Request, c *conv) {
	type row struct {
		ID          string            `json:"id"`
		Message     string            `json:"message"`
		CreatedTime string            `json:"created_time"`
		From        map[string]string `json:"from"`
		To          map[string]any    `json:"to"`
		Attachments map[string]any    `json:"attachments,omitempty"`
	}
	withAttachments := strings.Contains(q.Form["fields"], "attachments")
	in.b.Lock()
	var rows []row
	var atts [][]Attach
	for i := len(c.msgs) - 1; i >= 0; i-- { // newest first, as Meta lists them
		m := c.msgs[i]
		from, to := in.participant(c.person), in.participant(in.self)
		if m.FromID == in.self.ID {
			from, to = to, from
		}
		rows = append(rows, row{ID: m.ID, Message: m.Text, CreatedTime: m.At.Format("2006-01-02T15:04:05-0700"), From: from, To: map[string]any{"data": []map[string]string{to}}})
		atts = append(atts, slices.Clone(m.Attachments))
	}
	in.b.Unlock()
	// Meta signs a new CDN link into every answer; Attachments are listed
	// only when the fields ask for them.
	for i := range rows {
		if !withAttachments || len(atts[i]) == 0 {
			continue
		}
		var data []map[string]any
		for _, a := range atts[i] {
			md, _ := in.b.MediaOf(a.Key)
			d := map[string]any{"id": a.Key, "mime_type": md.MimeType, "name": a.Name, "size": len(md.Bytes)}
			link := in.b.IssueMediaURL(a.Key)
			switch a.Kind {
			case "image":
				d["image_data"] = map[string]any{"url": link, "preview_url": link}
			case "video":
				d["video_data"] = map[string]any{"url": link, "preview_url": link}
			default:
				d["file_url"] = link
			}
			data = append(data, d)
		}
		rows[i].Attachments = map[string]any{"data": data}
	}
	WritePage(q, rows)
}

// send applies the messaging windows: RESPONSE within 24 hours of the
// person's last message, MESSAGE_TAG with HUMAN_AGENT within 7 days.
func (in *Inbox) send(q *Request, c *conv) {
	var msg struct {
		Text string `json:"text"`
	}
	if err := q.Object("message", &msg); err != nil || msg.Text == "" {
		q.Error(400, 100, 0, "(#100) Must send either message or sender action")
		return
	}
	mt, tag := q.Param("messaging_type"), q.Param("tag")
	var window time.Duration
	switch {
	case mt == "RESPONSE":
		window = 24 * time.Hour
	case mt == "MESSAGE_TAG" && tag == "HUMAN_AGENT":
		window = 7 * 24 * time.Hour
	case mt == "MESSAGE_TAG" || mt == "UPDATE":
		q.Error(400, 100, 0, "(#100) Param tag must be one of {CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE, ACCOUNT_UPDATE, HUMAN_AGENT}")
		return
	default:
		q.Error(400, 100, 0, "(#100) Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}")
		return
	}
	in.b.Lock()
	var last time.Time
	for _, m := range c.msgs {
		if m.FromID == c.person.ID {
			last = m.At
		}
	}
	now := in.b.now().UTC()
	if now.Sub(last) >= window {
		in.b.Unlock()
		q.Error(400, 10, 2018278, "(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview")
		return
	}
	in.seq++
	id := fmt.Sprintf("m_%s_%d", in.platform, in.seq)
	c.msgs = append(c.msgs, Msg{ID: id, FromID: in.self.ID, Text: msg.Text, At: now, MessagingType: mt, Tag: tag})
	in.b.Unlock()
	q.Write(map[string]string{"recipient_id": c.person.ID, "message_id": id})
}

// The webhooks Meta posts when a person receives or reads what the business
// sent (Messenger's message_deliveries and message_reads, Instagram's
// messaging_seen), as bodies ready to be signed and posted. The entry is the
// Page (object page) or the Instagram account (object instagram); the
// messaging event's sender is the person, its recipient the business.

// DeliveryWebhook is message_deliveries for what the business sent the
// person: mids nil is an older Messenger client, which gives only the
// watermark (every message sent before it was delivered).
func (in *Inbox) DeliveryWebhook(personID string, mids []string, watermark time.Time) map[string]any {
	d := map[string]any{"watermark": watermark.UnixMilli()}
	if mids != nil {
		d["mids"] = mids
	}
	return in.receipt(personID, "delivery", d)
}

// ReadWebhook is message_reads: every message sent before the watermark was read.
func (in *Inbox) ReadWebhook(personID string, watermark time.Time) map[string]any {
	return in.receipt(personID, "read", map[string]any{"watermark": watermark.UnixMilli()})
}

// SeenWebhook is Instagram's messaging_seen: the person saw message mid.
func (in *Inbox) SeenWebhook(personID, mid string) map[string]any {
	return in.receipt(personID, "read", map[string]any{"mid": mid})
}

func (in *Inbox) receipt(personID, field string, v map[string]any) map[string]any {
	now := in.b.Now()
	object, entry := "page", in.pageID
	if in.platform == "instagram" {
		object, entry = "instagram", in.self.ID
	}
	ev := map[string]any{"sender": map[string]string{"id": personID}, "recipient": map[string]string{"id": entry},
		"timestamp": now.UnixMilli(), field: v}
	return map[string]any{"object": object, "entry": []map[string]any{{"id": entry, "time": now.UnixMilli(), "messaging": []map[string]any{ev}}}}
}
