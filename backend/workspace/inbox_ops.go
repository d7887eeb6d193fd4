package workspace

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/mentions"
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
	// The store leaves a message without attachments nil; the UI is sent [].
	for i := range msgs {
		if msgs[i].Attachments == nil {
			msgs[i].Attachments = []inbox.Attachment{}
		}
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

// Assignees lists the people conversations are assigned to.
func (w *Workspace) Assignees(ctx context.Context) ([]string, error) {
	return w.Store.Assignees(ctx)
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

// SpamTag is the tag "mark as spam" adds before it closes a conversation.
const SpamTag = "spam"

// TriageResult is a triage as the list shows it: the conversations as they
// are now and the undo entry that restores them.
type TriageResult struct {
	UndoID int64                `json:"undoId"`
	Items  []inbox.Conversation `json:"items"`
}

// Triage applies one change to every conversation in ids in one transaction
// (a bulk action, or a single close, assign or tag that the UI offers to
// undo) and returns them as they are now with the undo entry.
func (w *Workspace) Triage(ctx context.Context, ids []int64, t store.Triage, agent string) (TriageResult, error) {
	undo, err := w.Store.ApplyTriage(ctx, ids, t, agent)
	if err != nil {
		return TriageResult{}, err
	}
	items, err := w.conversationsByID(ctx, ids)
	if err != nil {
		return TriageResult{}, err
	}
	return TriageResult{UndoID: undo, Items: items}, nil
}

// MarkSpam is the triage of the list's "mark spam": tagged spam and closed.
func MarkSpam() store.Triage {
	return store.Triage{Status: inbox.StatusClosed, AddTags: []string{SpamTag}}
}

// Undo restores the conversations of a triage to what they were before it
// and returns them as they are now.
func (w *Workspace) Undo(ctx context.Context, undoID int64, agent string) ([]inbox.Conversation, error) {
	ids, err := w.Store.Undo(ctx, undoID, agent)
	if err != nil {
		return nil, err
	}
	return w.conversationsByID(ctx, ids)
}

func (w *Workspace) conversationsByID(ctx context.Context, ids []int64) ([]inbox.Conversation, error) {
	out := make([]inbox.Conversation, 0, len(ids))
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		c, err := w.Store.ConversationByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Notes returns the internal notes on a conversation, oldest first.
func (w *Workspace) Notes(ctx context.Context, id int64) ([]store.Note, error) {
	return w.Store.Notes(ctx, id)
}

// AddNote adds an internal note by author to a conversation; notes are
// never sent. It records the @mentions of names (the team's members, or on
// the desktop alone the people it assigns to) in body; a mention of the
// author is not recorded (nobody notifies themself) and text after "@" that
// is none of the names stays plain text.
func (w *Workspace) AddNote(ctx context.Context, id int64, author, body string, names []string) (store.Note, error) {
	var mentioned []string
	for _, name := range mentions.Names(body, names) {
		if name != strings.TrimSpace(author) {
			mentioned = append(mentioned, name)
		}
	}
	return w.Store.AddNote(ctx, id, author, body, mentioned...)
}

// Mentions lists the notes that mention member, unread first, newest first.
func (w *Workspace) Mentions(ctx context.Context, member string) ([]store.Mention, error) {
	return w.Store.Mentions(ctx, member)
}

// MarkMentionsRead marks member's mentions in the notes noteIDs read.
func (w *Workspace) MarkMentionsRead(ctx context.Context, member string, noteIDs []int64) error {
	return w.Store.MarkMentionsRead(ctx, member, noteIDs)
}

// MemberNames lists the names of the team's enabled members: whom a
// conversation may be assigned to and a note may mention.
func (w *Workspace) MemberNames(ctx context.Context) ([]string, error) {
	ms, err := w.Store.Members(ctx)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, m := range ms {
		if !m.Disabled {
			out = append(out, m.Name)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return out, nil
}

// DeleteNote deletes a note its author wrote.
func (w *Workspace) DeleteNote(ctx context.Context, noteID int64, author string) error {
	return w.Store.DeleteNote(ctx, noteID, author)
}

// SnoozedUntil returns when a conversation's snooze ends (zero: not snoozed).
func (w *Workspace) SnoozedUntil(ctx context.Context, id int64) (time.Time, error) {
	return w.Store.SnoozedUntil(ctx, id)
}

// SavedViews lists the saved inbox views by name.
func (w *Workspace) SavedViews(ctx context.Context) ([]store.SavedView, error) {
	return w.Store.SavedViews(ctx)
}

// SaveView saves the list's filters under a new name.
func (w *Workspace) SaveView(ctx context.Context, name string, f store.ViewFilters) (store.SavedView, error) {
	return w.Store.SaveView(ctx, name, f)
}

// RenameView renames a saved view.
func (w *Workspace) RenameView(ctx context.Context, id int64, name string) error {
	return w.Store.RenameView(ctx, id, name)
}

// DeleteView deletes a saved view.
func (w *Workspace) DeleteView(ctx context.Context, id int64) error {
	return w.Store.DeleteView(ctx, id)
}
