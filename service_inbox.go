package main

import (
	"context"
	"fmt"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// ConversationQuery is the inbox filter as the UI sends it.
type ConversationQuery struct {
	Status     inbox.Status      `json:"status"`
	Channel    inbox.ChannelKind `json:"channel"`
	AccountID  int64             `json:"accountId"`
	Tag        string            `json:"tag"`
	Sentiment  inbox.Sentiment   `json:"sentiment"`
	Assignee   string            `json:"assignee"`
	Unassigned bool              `json:"unassigned"`
	Mine       bool              `json:"mine"`
	Order      store.Order       `json:"order"`
	Cursor     string            `json:"cursor"`
	Limit      int               `json:"limit"`
}

// ThreadView is a conversation with its messages.
type ThreadView struct {
	Conversation inbox.Conversation `json:"conversation"`
	Messages     []inbox.Message    `json:"messages"`
}

// SearchRequest is a full-text search as the UI sends it.
type SearchRequest struct {
	Text     string            `json:"text"`
	Channel  inbox.ChannelKind `json:"channel"`
	BeforeID int64             `json:"beforeId"`
	Limit    int               `json:"limit"`
}

// InboxService serves the inbox screen: lists, threads, search and triage.
type InboxService struct{ app *App }

// Conversations returns one keyset page of conversations matching q.
func (s *InboxService) Conversations(q ConversationQuery) (store.Page, error) {
	sq := store.InboxQuery{Status: q.Status, Channel: q.Channel, AccountID: q.AccountID, Tag: q.Tag,
		Sentiment: q.Sentiment, Order: q.Order, Cursor: q.Cursor, Limit: q.Limit}
	// The UI's three assignee choices become the store's one optional name:
	// mine is the agent at this desk, unassigned the empty name.
	switch {
	case q.Mine:
		m := workspace.AgentName()
		sq.Assignee = &m
	case q.Unassigned:
		none := ""
		sq.Assignee = &none
	case q.Assignee != "":
		sq.Assignee = &q.Assignee
	}
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (store.Page, error) {
		return ws.Conversations(ctx, sq)
	})
}

// Thread returns a conversation and its messages.
func (s *InboxService) Thread(id int64) (ThreadView, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (ThreadView, error) {
		c, msgs, err := ws.Thread(ctx, id)
		if err != nil {
			return ThreadView{}, err
		}
		return ThreadView{Conversation: c, Messages: msgs}, nil
	})
}

// Search finds messages by words, phrases ("…"), prefixes (word*) and OR.
func (s *InboxService) Search(q SearchRequest) ([]store.SearchHit, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]store.SearchHit, error) {
		return ws.Search(ctx, store.SearchQuery{Text: q.Text, Channel: q.Channel, BeforeID: q.BeforeID, Limit: q.Limit})
	})
}

// Stats returns counts per channel and status.
func (s *InboxService) Stats() (store.Stats, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (store.Stats, error) {
		return ws.Stats(ctx)
	})
}

// Accounts lists the brand accounts.
func (s *InboxService) Accounts() ([]inbox.Account, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]inbox.Account, error) {
		return ws.Accounts(ctx)
	})
}

// Tags lists the tags in use with their conversation counts.
func (s *InboxService) Tags() ([]store.TagCount, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]store.TagCount, error) {
		return ws.Tags(ctx)
	})
}

// SetStatus opens, parks (pending) or closes a conversation.
func (s *InboxService) SetStatus(id int64, name string) (inbox.Conversation, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (inbox.Conversation, error) {
		return ws.SetStatus(ctx, id, inbox.Status(name), workspace.AgentName())
	})
}

// Assign gives a conversation to an agent; an empty name unassigns it.
func (s *InboxService) Assign(id int64, assignee string) (inbox.Conversation, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (inbox.Conversation, error) {
		return ws.Assign(ctx, id, assignee)
	})
}

// AddTag tags a conversation.
func (s *InboxService) AddTag(id int64, tag string) (inbox.Conversation, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (inbox.Conversation, error) {
		return ws.AddTag(ctx, id, tag)
	})
}

// RemoveTag removes a tag from a conversation.
func (s *InboxService) RemoveTag(id int64, tag string) (inbox.Conversation, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (inbox.Conversation, error) {
		return ws.RemoveTag(ctx, id, tag)
	})
}

// CorrectSentiment relabels a message's sentiment by hand ("negative",
// "neutral", "positive"); the correction is stored so a retrain learns from it.
func (s *InboxService) CorrectSentiment(messageID int64, label string) error {
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		l := inbox.Sentiment(label)
		if l == inbox.SentimentUnknown || !l.Valid() {
			return fmt.Errorf("unknown sentiment %q: use negative, neutral or positive", label)
		}
		if err := ws.CorrectSentiment(ctx, messageID, l, workspace.AgentName()); err != nil {
			return err
		}
		s.app.emitInboxChanged(ctx)
		return nil
	})
}

// Moderate hides or deletes a customer's message through its account's
// connector. For a critical message (negative, an author with reach >= 10k,
// or an account in crisis) it acts only with confirm; without, it returns the
// warning and its reasons and does nothing.
func (s *InboxService) Moderate(messageID int64, action string, confirm bool) (workspace.ModerationWarning, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (workspace.ModerationWarning, error) {
		w, err := ws.Moderate(ctx, s.app.secrets, messageID, channels.ModerationAction(action), confirm, actor().Name)
		if err == nil && (confirm || !w.Critical) {
			s.app.emitInboxChanged(ctx)
		}
		return w, err
	})
}
