package workspace

import (
	"context"
	"fmt"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

// The inbox screen's reads and triage. They are here, not in the bound
// services, so that the window, the browser bridge and a later team server
// share one way in and none of them depends on the store's shape.

// Conversations returns one keyset page of conversations matching q.
func (w *Workspace) Conversations(ctx context.Context, q store.InboxQuery) (store.Page, error) {
	return w.Store.Conversations(ctx, q)
}

// Thread returns a conversation and its messages.
func (w *Workspace) Thread(ctx context.Context, id int64) (inbox.Conversation, []inbox.Message, error) {
	c, err := w.Store.ConversationByID(ctx, id)
	if err != nil {
		return inbox.Conversation{}, nil, err
	}
	msgs, err := w.Store.Thread(ctx, id)
	if err != nil {
		return inbox.Conversation{}, nil, err
	}
	return c, msgs, nil
}

// Search finds messages by words, phrases, prefixes and OR.
func (w *Workspace) Search(ctx context.Context, q store.SearchQuery) ([]store.SearchHit, error) {
	return w.Store.Search(ctx, q)
}

// Stats returns counts per channel and status.
func (w *Workspace) Stats(ctx context.Context) (store.Stats, error) {
	return w.Store.Stats(ctx)
}

// Accounts lists the brand accounts.
func (w *Workspace) Accounts(ctx context.Context) ([]inbox.Account, error) {
	return w.Store.Accounts(ctx)
}

// Tags lists the tags in use with their conversation counts.
func (w *Workspace) Tags(ctx context.Context) ([]store.TagCount, error) {
	return w.Store.Tags(ctx)
}

// SetStatus opens, parks (pending) or closes a conversation for agent and
// returns it as it is now.
func (w *Workspace) SetStatus(ctx context.Context, id int64, status inbox.Status, agent string) (inbox.Conversation, error) {
	if !status.Valid() {
		return inbox.Conversation{}, fmt.Errorf("unknown status %q", status)
	}
	return w.triage(ctx, id, func() error { return w.Store.SetStatusBy(ctx, id, status, agent) })
}

// Assign gives a conversation to an agent (an empty name unassigns it) and
// returns it as it is now.
func (w *Workspace) Assign(ctx context.Context, id int64, assignee string) (inbox.Conversation, error) {
	return w.triage(ctx, id, func() error { return w.Store.SetAssignee(ctx, id, assignee) })
}

// AddTag tags a conversation and returns it as it is now.
func (w *Workspace) AddTag(ctx context.Context, id int64, tag string) (inbox.Conversation, error) {
	return w.triage(ctx, id, func() error { return w.Store.AddTag(ctx, id, tag) })
}

// RemoveTag removes a tag from a conversation and returns it as it is now.
func (w *Workspace) RemoveTag(ctx context.Context, id int64, tag string) (inbox.Conversation, error) {
	return w.triage(ctx, id, func() error { return w.Store.RemoveTag(ctx, id, tag) })
}

// triage applies change and reads the conversation back, so the list row the
// UI replaces shows what the store made of it (SLA state, counts).
func (w *Workspace) triage(ctx context.Context, id int64, change func() error) (inbox.Conversation, error) {
	if err := change(); err != nil {
		return inbox.Conversation{}, err
	}
	return w.Store.ConversationByID(ctx, id)
}
