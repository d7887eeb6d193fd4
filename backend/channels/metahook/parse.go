package metahook

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/graph"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// part is what one webhook holds for one account.
type part struct {
	items      []inbox.Item
	deliveries []Delivery
	skipped    int // updates understood as not for the inbox (reactions, removals)
}

// events groups a webhook's content by the id naming the account.
type events map[string]*part

func (e events) of(id string) *part {
	if e[id] == nil {
		e[id] = &part{}
	}
	return e[id]
}

func parse(ch inbox.ChannelKind, body []byte) (events, error) {
	switch ch {
	case inbox.ChannelWhatsApp:
		return parseWhatsApp(body)
	case inbox.ChannelFacebook, inbox.ChannelInstagram:
		return parsePage(ch, body)
	}
	return nil, fmt.Errorf("no webhook parser for %s", ch)
}

// unix reads Meta's timestamps: seconds as a string (WhatsApp) or number.
func unix(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}
	}
	return channels.UnixTime(n)
}

// WhatsApp Cloud API webhook (object whatsapp_business_account, field messages).
type waPayload struct {
	Object string `json:"object"`
	Entry  []struct {
		ID      string `json:"id"` // the WhatsApp Business Account
		Changes []struct {
			Field string  `json:"field"`
			Value waValue `json:"value"`
		} `json:"changes"`
	} `json:"entry"`
}

type waValue struct {
	Metadata struct {
		DisplayPhoneNumber string `json:"display_phone_number"`
		PhoneNumberID      string `json:"phone_number_id"`
	} `json:"metadata"`
	Contacts []struct {
		Profile struct {
			Name string `json:"name"`
		} `json:"profile"`
		WaID string `json:"wa_id"`
	} `json:"contacts"`
	Messages []waMessage `json:"messages"`
	Statuses []waStatus  `json:"statuses"`
}

// waMedia is the object of an image, audio, video, document or sticker
// message: the media id to fetch it by, and what it is.
type waMedia struct {
	ID       string `json:"id"`
	MimeType string `json:"mime_type"`
	SHA256   string `json:"sha256"`
	Caption  string `json:"caption"`  // image, video, document
	Filename string `json:"filename"` // document
}

type waMessage struct {
	From      string `json:"from"`
	ID        string `json:"id"`
	Timestamp string `json:"timestamp"`
	Type      string `json:"type"`
	Context   *struct {
		ID string `json:"id"` // the message answered
	} `json:"context"`
	Text *struct {
		Body string `json:"body"`
	} `json:"text"`
	Image    *waMedia `json:"image"`
	Video    *waMedia `json:"video"`
	Document *waMedia `json:"document"`
	Audio    *waMedia `json:"audio"`
	Sticker  *waMedia `json:"sticker"`
	Button   *struct {
		Text string `json:"text"`
	} `json:"button"`
	Interactive *struct {
		ButtonReply *struct {
			Title string `json:"title"`
		} `json:"button_reply"`
		ListReply *struct {
			Title string `json:"title"`
		} `json:"list_reply"`
	} `json:"interactive"`
}

type waStatus struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	Timestamp   string `json:"timestamp"`
	RecipientID string `json:"recipient_id"`
	Errors      []struct {
		Code      int    `json:"code"`
		Title     string `json:"title"`
		Message   string `json:"message"`
		ErrorData struct {
			Details string `json:"details"`
		} `json:"error_data"`
	} `json:"errors"`
}

// text is what the inbox shows of a message: its text, a caption, or the
// label of the button pressed; "" for media without words.
func (m waMessage) text() string {
	switch {
	case m.Text != nil:
		return m.Text.Body
	case m.Image != nil:
		return m.Image.Caption
	case m.Video != nil:
		return m.Video.Caption
	case m.Document != nil:
		return m.Document.Caption
	case m.Button != nil:
		return m.Button.Text
	case m.Interactive != nil && m.Interactive.ButtonReply != nil:
		return m.Interactive.ButtonReply.Title
	case m.Interactive != nil && m.Interactive.ListReply != nil:
		return m.Interactive.ListReply.Title
	}
	return ""
}

// attachment is the media of the message as the inbox keeps it, with its
// media id to fetch it by on request; ok is false for messages without media.
func (m waMessage) attachment() (inbox.Attachment, bool) {
	for _, c := range []struct {
		kind string
		m    *waMedia
	}{{"image", m.Image}, {"video", m.Video}, {"document", m.Document}, {"audio", m.Audio}, {"sticker", m.Sticker}} {
		if c.m != nil && c.m.ID != "" {
			return inbox.Attachment{Name: c.m.Filename, ContentType: c.m.MimeType, Kind: c.kind, Ref: c.m.ID, SHA256: c.m.SHA256}, true
		}
	}
	return inbox.Attachment{}, false
}

func parseWhatsApp(body []byte) (events, error) {
	var p waPayload
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, fmt.Errorf("whatsapp webhook: %w", err)
	}
	if p.Object != "whatsapp_business_account" {
		return nil, fmt.Errorf("whatsapp webhook: object %q", p.Object)
	}
	ev := events{}
	for _, e := range p.Entry {
		for _, c := range e.Changes {
			if c.Field != "messages" {
				continue // template status and account updates are not inbox matters
			}
			v := c.Value
			pt := ev.of(v.Metadata.PhoneNumberID)
			names := map[string]string{}
			for _, ct := range v.Contacts {
				names[ct.WaID] = ct.Profile.Name
			}
			for _, m := range v.Messages {
				if m.Type == "reaction" || m.ID == "" {
					pt.skipped++
					continue
				}
				name := names[m.From]
				if name == "" {
					name = "+" + m.From
				}
				it := inbox.Item{ExternalID: m.ID, ThreadKey: "wa:" + m.From, Kind: inbox.KindDM, Direction: inbox.DirectionIn,
					Author: inbox.Author{Channel: inbox.ChannelWhatsApp, ExternalID: m.From, DisplayName: name, Handle: "+" + m.From},
					SentAt: unix(m.Timestamp)}
				if m.Context != nil && m.Context.ID != "" {
					it.References = []string{m.Context.ID}
				}
				it.Text, it.Flags = channels.CapText(m.text())
				if a, ok := m.attachment(); ok {
					it.Attachments = []inbox.Attachment{a}
				}
				if it.Text == "" && len(it.Attachments) == 0 {
					it.Flags = append(it.Flags, inbox.FlagNoText) // location, contacts: nothing to show
				}
				pt.items = append(pt.items, it)
			}
			for _, s := range v.Statuses {
				if s.ID == "" {
					// The store refuses a status that names no message, and
					// that refusal would fail the whole webhook, which Meta
					// then sends again for a day.
					pt.skipped++
					continue
				}
				d := Delivery{ExternalID: s.ID, Status: s.Status, At: unix(s.Timestamp)}
				if len(s.Errors) > 0 {
					e := s.Errors[0]
					d.ErrorCode, d.Error = e.Code, e.Title
					if e.ErrorData.Details != "" && e.ErrorData.Details != e.Title {
						d.Error += ": " + e.ErrorData.Details
					}
				}
				switch d.Status {
				case "sent", "delivered", "read", "failed":
					pt.deliveries = append(pt.deliveries, d)
				default:
					pt.skipped++ // "deleted", "warning": nothing to show on a reply
				}
			}
		}
	}
	return ev, nil
}

// Page webhooks (object page for Facebook, instagram for Instagram): feed
// or comments changes, and messaging events.
type pagePayload struct {
	Object string `json:"object"`
	Entry  []struct {
		ID      string `json:"id"` // the Page, or the Instagram account
		Time    int64  `json:"time"`
		Changes []struct {
			Field string          `json:"field"`
			Value json.RawMessage `json:"value"`
		} `json:"changes"`
		Messaging []struct {
			Sender    struct{ ID string } `json:"sender"`
			Recipient struct{ ID string } `json:"recipient"`
			Timestamp int64               `json:"timestamp"` // milliseconds
			Message   *struct {
				Mid         string                    `json:"mid"`
				Text        string                    `json:"text"`
				IsEcho      bool                      `json:"is_echo"`
				Attachments []graph.WebhookAttachment `json:"attachments"`
			} `json:"message"`
			Delivery *deliveryEvent `json:"delivery"`
			Read     *readEvent     `json:"read"`
		} `json:"messaging"`
	} `json:"entry"`
}

// deliveryEvent is Messenger's message_deliveries: mids may be absent
// (older clients); the watermark (milliseconds) is always there.
type deliveryEvent struct {
	Mids      []string `json:"mids"`
	Watermark int64    `json:"watermark"`
}

// readEvent is Messenger's message_reads (watermark) or Instagram's
// messaging_seen (the mid of the message seen).
type readEvent struct {
	Watermark int64  `json:"watermark"`
	Mid       string `json:"mid"`
}

type who struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Username string `json:"username"`
}

// feedValue is a Facebook feed change about a comment.
type feedValue struct {
	Item        string `json:"item"` // comment, post, reaction, …
	Verb        string `json:"verb"` // add, edited, remove, hide, unhide
	CommentID   string `json:"comment_id"`
	PostID      string `json:"post_id"`
	ParentID    string `json:"parent_id"`
	Message     string `json:"message"`
	CreatedTime int64  `json:"created_time"`
	From        *who   `json:"from"`
}

// igCommentValue is an Instagram comments change.
type igCommentValue struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	ParentID string `json:"parent_id"`
	From     *who   `json:"from"`
	Media    struct {
		ID string `json:"id"`
	} `json:"media"`
}

func parsePage(ch inbox.ChannelKind, body []byte) (events, error) {
	var p pagePayload
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, fmt.Errorf("%s webhook: %w", ch, err)
	}
	want := map[inbox.ChannelKind]string{inbox.ChannelFacebook: "page", inbox.ChannelInstagram: "instagram"}[ch]
	if p.Object != want {
		return nil, fmt.Errorf("%s webhook: object %q, want %q", ch, p.Object, want)
	}
	ev := events{}
	for _, e := range p.Entry {
		pt := ev.of(e.ID)
		at := channels.UnixTime(e.Time)
		for _, c := range e.Changes {
			switch {
			case ch == inbox.ChannelFacebook && c.Field == "feed":
				var v feedValue
				if err := json.Unmarshal(c.Value, &v); err != nil {
					return nil, fmt.Errorf("facebook webhook feed: %w", err)
				}
				if v.Item != "comment" || (v.Verb != "add" && v.Verb != "edited") {
					pt.skipped++ // removals and hides are the platform's view; the poll does not delete either
					continue
				}
				if v.CommentID == "" {
					pt.skipped++ // nothing to store it under, as a message without mid
					continue
				}
				pt.items = append(pt.items, fbComment(e.ID, v, at))
			case ch == inbox.ChannelInstagram && c.Field == "comments":
				var v igCommentValue
				if err := json.Unmarshal(c.Value, &v); err != nil {
					return nil, fmt.Errorf("instagram webhook comments: %w", err)
				}
				if v.ID == "" {
					pt.skipped++ // nothing to store it under, as a message without mid
					continue
				}
				pt.items = append(pt.items, igComment(e.ID, v, at))
			default:
				pt.skipped++
			}
		}
		for _, m := range e.Messaging {
			if d, ok := receipt(m.Sender.ID, m.Timestamp, m.Delivery, m.Read); ok {
				pt.deliveries = append(pt.deliveries, d...)
				continue
			}
			if m.Message == nil || m.Message.Mid == "" {
				pt.skipped++ // postbacks, reactions, referrals
				continue
			}
			person, dir := m.Sender.ID, inbox.DirectionIn
			if m.Message.IsEcho {
				person, dir = m.Recipient.ID, inbox.DirectionOut
			}
			it := inbox.Item{ExternalID: m.Message.Mid, ThreadKey: "dm:" + person, Kind: inbox.KindDM, Direction: dir,
				Author: inbox.Author{Channel: ch, ExternalID: m.Sender.ID, DisplayName: m.Sender.ID, Handle: m.Sender.ID},
				SentAt: channels.UnixMilliTime(m.Timestamp)}
			it.Text, it.Flags = channels.CapText(m.Message.Text)
			for _, wa := range m.Message.Attachments {
				if a, ok := wa.Attachment(); ok {
					it.Attachments = append(it.Attachments, a)
				}
			}
			if it.Text == "" && len(it.Attachments) == 0 {
				it.Flags = append(it.Flags, inbox.FlagNoText) // a share or fallback link: no media, no words
			}
			pt.items = append(pt.items, it)
		}
	}
	return ev, nil
}

// fbComment is the item the facebook connector makes of the same comment:
// the thread is the top-level comment, replies reference their parent.
func fbComment(pageID string, v feedValue, at time.Time) inbox.Item {
	if v.CreatedTime > 0 {
		at = time.Unix(v.CreatedTime, 0).UTC()
	}
	it := inbox.Item{ExternalID: v.CommentID, ThreadKey: "comment:" + v.CommentID, Kind: inbox.KindComment, Direction: inbox.DirectionIn, SentAt: at}
	if v.ParentID != "" && v.ParentID != v.PostID {
		it.ThreadKey = "comment:" + v.ParentID
		it.References = []string{v.ParentID}
	}
	if v.From != nil {
		it.Author = inbox.Author{Channel: inbox.ChannelFacebook, ExternalID: v.From.ID, DisplayName: v.From.Name, Handle: v.From.Name}
		if v.From.ID == pageID {
			it.Direction = inbox.DirectionOut
		}
	} else {
		it.Author = inbox.Author{Channel: inbox.ChannelFacebook, ExternalID: "hidden:" + v.CommentID, DisplayName: "Facebook user"}
	}
	it.Text, it.Flags = channels.CapText(v.Message)
	return it
}

// igComment is the item the instagram connector makes of the same comment.
func igComment(igID string, v igCommentValue, at time.Time) inbox.Item {
	it := inbox.Item{ExternalID: v.ID, ThreadKey: "comment:" + v.ID, Kind: inbox.KindComment, Direction: inbox.DirectionIn, SentAt: at}
	if v.ParentID != "" {
		it.ThreadKey = "comment:" + v.ParentID
		it.References = []string{v.ParentID}
	}
	u := who{}
	if v.From != nil {
		u = *v.From
	}
	id := u.ID
	if id == "" {
		id = "@" + u.Username
	}
	it.Author = inbox.Author{Channel: inbox.ChannelInstagram, ExternalID: id, Handle: "@" + u.Username, DisplayName: u.Username}
	if u.ID == igID {
		it.Direction = inbox.DirectionOut
	}
	it.Text, it.Flags = channels.CapText(v.Text)
	return it
}

// receipt reads a Messenger/Instagram delivery or read event of the person
// (the sender of the event) as delivery statuses of what the business sent
// them. A delivery names its messages by mids when it has them, else only
// the watermark (every message sent before it); a read is always a
// watermark, or on Instagram the mid of the newest message seen, which the
// sink widens to every earlier one. ok is false when the event is neither.
func receipt(person string, ts int64, dl *deliveryEvent, rd *readEvent) ([]Delivery, bool) {
	at := channels.UnixMilliTime(ts)
	thread := "dm:" + person
	switch {
	case dl != nil && len(dl.Mids) > 0:
		out := make([]Delivery, 0, len(dl.Mids))
		for _, mid := range dl.Mids {
			if mid != "" {
				out = append(out, Delivery{ExternalID: mid, Status: "delivered", At: at})
			}
		}
		return out, true
	case dl != nil && dl.Watermark > 0:
		return []Delivery{{Status: "delivered", At: at, ThreadKey: thread, UpTo: time.UnixMilli(dl.Watermark).UTC()}}, true
	case rd != nil && rd.Watermark > 0:
		return []Delivery{{Status: "read", At: at, ThreadKey: thread, UpTo: time.UnixMilli(rd.Watermark).UTC()}}, true
	case rd != nil && rd.Mid != "":
		return []Delivery{{ExternalID: rd.Mid, Status: "read", At: at, ThreadKey: thread}}, true
	case dl != nil || rd != nil:
		return nil, true // names nothing: nothing to record
	}
	return nil, false
}
