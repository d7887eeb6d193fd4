package graph

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
)

// Participant is a person or Page in a conversation or message. Messenger
// fills name (and email), Instagram username.
type Participant struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Username string `json:"username"`
}

// Label is how the person is shown: the name, else the username, else the id.
func (p Participant) Label() string {
	switch {
	case p.Name != "":
		return p.Name
	case p.Username != "":
		return p.Username
	}
	return p.ID
}

// Participants is a Graph list of participants.
type Participants struct {
	Data []Participant `json:"data"`
}

// Conversation is one Messenger or Instagram conversation of a Page.
type Conversation struct {
	ID           string       `json:"id"`
	UpdatedTime  Time         `json:"updated_time"`
	Participants Participants `json:"participants"`
}

// Message is one message of a conversation.
type Message struct {
	ID          string       `json:"id"`
	Message     string       `json:"message"`
	CreatedTime Time         `json:"created_time"`
	From        Participant  `json:"from"`
	To          Participants `json:"to"`
	Attachments struct {
		Data []MessageAttachment `json:"data"`
	} `json:"attachments"`
}

// Conversations is the Conversations API of one Page for one platform
// ("messenger" or "instagram"): both list /{page}/conversations and send
// through /{page}/messages, with the same windows.
type Conversations struct {
	Client   *Client
	Platform string // the platform parameter: messenger or instagram
	PageID   string // the Page; for Instagram the Page linked to the account
	// SelfID is the id the business writes as: the Page id on Messenger,
	// the Instagram account id on Instagram.
	SelfID string
	// Permission is what reading and sending needs (pages_messaging,
	// instagram_manage_messages).
	Permission string
	Now        func() time.Time // nil = time.Now
}

func (c Conversations) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Updated lists conversations updated after since, newest first, at most
// maxPages pages of 25.
func (c Conversations) Updated(ctx context.Context, token string, since time.Time, maxPages int) ([]Conversation, error) {
	var out []Conversation
	q := url.Values{"platform": {c.Platform}, "fields": {"id,updated_time,participants"}}
	err := List(ctx, c.Client, token, c.PageID+"/conversations", q, 25, maxPages, c.Permission, func(cs []Conversation) bool {
		for _, cv := range cs {
			if !cv.UpdatedTime.After(since) {
				return false
			}
			out = append(out, cv)
		}
		return true
	})
	return out, err
}

// Messages lists a conversation's messages created after since, newest first.
func (c Conversations) Messages(ctx context.Context, token, conversationID string, since time.Time, maxPages int) ([]Message, error) {
	var out []Message
	q := url.Values{"fields": {"id,message,from,to,created_time," + attachmentFields}}
	err := List(ctx, c.Client, token, conversationID+"/messages", q, 25, maxPages, c.Permission, func(ms []Message) bool {
		for _, m := range ms {
			if !m.CreatedTime.After(since) {
				return false
			}
			out = append(out, m)
		}
		return true
	})
	return out, err
}

// LastInbound finds when the person last wrote to the business; ok is false
// when no message of theirs is in the conversation's newest 100.
func (c Conversations) LastInbound(ctx context.Context, token, userID string) (at time.Time, ok bool, err error) {
	var conv Page[Conversation]
	q := url.Values{"platform": {c.Platform}, "user_id": {userID}, "fields": {"id,updated_time"}}
	if err := c.Client.Get(ctx, token, c.PageID+"/conversations", q, c.Permission, &conv); err != nil {
		return time.Time{}, false, err
	}
	if len(conv.Data) == 0 {
		return time.Time{}, false, nil
	}
	err = List(ctx, c.Client, token, conv.Data[0].ID+"/messages", url.Values{"fields": {"id,from,created_time"}}, 25, 4, c.Permission, func(ms []Message) bool {
		for _, m := range ms {
			if m.From.ID != "" && m.From.ID != c.SelfID {
				at, ok = m.CreatedTime.Time, true
				return false
			}
		}
		return true
	})
	return at, ok, err
}

// SendResult is the Send API's answer.
type SendResult struct {
	RecipientID string `json:"recipient_id"`
	MessageID   string `json:"message_id"`
}

// Send answers userID with text inside the window the platform allows: a
// standard response within 24 hours of the person's last message, the
// HUMAN_AGENT tag within 7 days, and a channels.WindowError after that, with
// the time it closed, without calling the Send API. The Send API has no
// idempotency key, so a send is only repeated when Meta refused it outright
// (throttling).
func (c Conversations) Send(ctx context.Context, token, userID, text string) (SendResult, error) {
	last, ok, err := c.LastInbound(ctx, token, userID)
	if err != nil {
		return SendResult{}, err
	}
	if !ok {
		return SendResult{}, &channels.WindowError{Platform: c.Client.platform, Window: HumanAgentWindow}
	}
	w := Window(last, c.now(), true)
	body := map[string]any{"recipient": map[string]string{"id": userID}, "message": map[string]string{"text": text}}
	switch {
	case w.Open:
		body["messaging_type"] = "RESPONSE"
	case w.HumanAgent:
		body["messaging_type"] = "MESSAGE_TAG"
		body["tag"] = "HUMAN_AGENT"
	default:
		return SendResult{}, &channels.WindowError{Platform: c.Client.platform, LastInbound: last, ClosedAt: w.ClosesAt, Window: HumanAgentWindow}
	}
	var res SendResult
	err = c.Client.Do(ctx, Call{Method: http.MethodPost, Path: c.PageID + "/messages", JSON: body, Token: token, Permission: c.Permission}, &res)
	if we, isWindow := windowError(err); isWindow {
		// Meta's clock or a message we have not seen disagreed with ours;
		// say what we knew.
		we.LastInbound, we.ClosedAt, we.Window = last, w.ClosesAt, HumanAgentWindow
	}
	if err != nil {
		return SendResult{}, err
	}
	if res.MessageID == "" {
		return SendResult{}, fmt.Errorf("%s send: Meta answered without a message id", c.Client.platform)
	}
	return res, nil
}
