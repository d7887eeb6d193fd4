package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
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
	Snoozed    bool              `json:"snoozed"`
	// FailedSend: only conversations whose newest reply failed to send
	// (optional, so callers that predate it need not send it).
	FailedSend bool `json:"failedSend,omitempty"`
}

// ThreadView is a conversation with its messages, its internal notes and
// the end of its snooze (nil when it is not snoozed).
type ThreadView struct {
	Conversation inbox.Conversation `json:"conversation"`
	Messages     []inbox.Message    `json:"messages"`
	Notes        []store.Note       `json:"notes"`
	SnoozedUntil *time.Time         `json:"snoozedUntil" ts_type:"string | null"`
	// Deliveries: the platform's delivery status of sent replies (WhatsApp),
	// matched to outgoing messages by externalId.
	Deliveries []workspace.MessageDelivery `json:"deliveries"`
}

// TriageRequest is one action of the list on one or more conversations:
// close, open, pending, assign (to Assignee; "" unassigns), tag and untag
// (Tag), spam (tagged spam and closed), snooze (until Until, RFC 3339) and
// unsnooze.
type TriageRequest struct {
	Action   string `json:"action"`
	Assignee string `json:"assignee"`
	Tag      string `json:"tag"`
	Until    string `json:"until"`
}

// SearchRequest is a full-text search as the UI sends it.
type SearchRequest struct {
	Text     string            `json:"text"`
	Channel  inbox.ChannelKind `json:"channel"`
	BeforeID int64             `json:"beforeId"`
	Limit    int               `json:"limit"`
}

// InboxService serves the inbox screen: lists, threads, search and triage.
type InboxService struct {
	app *App
	as
}

// Conversations returns one keyset page of conversations matching q.
func (s *InboxService) Conversations(q ConversationQuery) (store.Page, error) {
	sq := store.InboxQuery{Status: q.Status, Channel: q.Channel, AccountID: q.AccountID, Tag: q.Tag,
		Sentiment: q.Sentiment, Order: q.Order, Cursor: q.Cursor, Limit: q.Limit, Snoozed: q.Snoozed,
		FailedSend: q.FailedSend}
	// The UI's three assignee choices become the store's one optional name:
	// mine is the agent at this desk, unassigned the empty name.
	switch {
	case q.Mine:
		m := s.agentName()
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
		notes, err := ws.Notes(ctx, id)
		if err != nil {
			return ThreadView{}, err
		}
		ds, err := ws.ThreadDeliveries(ctx, c)
		if err != nil {
			return ThreadView{}, err
		}
		tv := ThreadView{Conversation: c, Messages: msgs, Notes: notes, Deliveries: ds}
		if until, err := ws.SnoozedUntil(ctx, id); err != nil {
			return ThreadView{}, err
		} else if !until.IsZero() {
			tv.SnoozedUntil = &until
		}
		return tv, nil
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

// Assignees lists whom a conversation may be assigned to and a note may
// mention: on the team server the enabled members; on the single-person
// desktop the person at it, then whoever conversations are assigned to.
func (s *InboxService) Assignees() ([]string, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]string, error) {
		return s.assignees(ctx, ws)
	})
}

func (s *InboxService) assignees(ctx context.Context, ws *workspace.Workspace) ([]string, error) {
	if s.me != nil {
		return ws.MemberNames(ctx)
	}
	known, err := ws.Assignees(ctx)
	if err != nil {
		return nil, err
	}
	me := s.agentName()
	out := []string{me}
	for _, n := range known {
		if n != me {
			out = append(out, n)
		}
	}
	return out, nil
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
		c, err := ws.SetStatus(ctx, id, inbox.Status(name), s.agentName())
		if err == nil {
			s.teamChanged(ctx)
		}
		return c, err
	})
}

// Assign gives a conversation to an agent; an empty name unassigns it.
func (s *InboxService) Assign(id int64, assignee string) (inbox.Conversation, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (inbox.Conversation, error) {
		if err := s.checkAssignee(ctx, ws, assignee); err != nil {
			return inbox.Conversation{}, err
		}
		c, err := ws.Assign(ctx, id, assignee)
		if err == nil {
			s.teamChanged(ctx)
		}
		return c, err
	})
}

// checkAssignee refuses, on the team server, to assign to a name that is no
// enabled member: "Mine", mentions and the member's lists go by the name, so
// a conversation given to a typo or a former colleague would be nobody's.
// The desktop alone assigns to any name it is given.
func (s *InboxService) checkAssignee(ctx context.Context, ws *workspace.Workspace, name string) error {
	if s.me == nil || name == "" {
		return nil
	}
	members, err := ws.MemberNames(ctx)
	if err != nil {
		return err
	}
	if !slices.Contains(members, name) {
		return apperr.NotAllowed("assignee-not-member", fmt.Errorf("assign to %q: not an enabled member of the team", name))
	}
	return nil
}

// teamChanged tells the other members' pages that conversations changed
// (a status, a tag, an assignment, bulk triage and its undo, a note), so
// they show it without a reload. The window
// needs no event: the page that made the change shows it already.
func (s *InboxService) teamChanged(ctx context.Context) {
	if s.me != nil {
		s.app.emitInboxChanged(ctx)
	}
}

// AddTag tags a conversation.
func (s *InboxService) AddTag(id int64, tag string) (inbox.Conversation, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (inbox.Conversation, error) {
		c, err := ws.AddTag(ctx, id, tag)
		if err == nil {
			s.teamChanged(ctx)
		}
		return c, err
	})
}

// RemoveTag removes a tag from a conversation.
func (s *InboxService) RemoveTag(id int64, tag string) (inbox.Conversation, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (inbox.Conversation, error) {
		c, err := ws.RemoveTag(ctx, id, tag)
		if err == nil {
			s.teamChanged(ctx)
		}
		return c, err
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
		if err := ws.CorrectSentiment(ctx, messageID, l, s.agentName()); err != nil {
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
		w, err := ws.Moderate(ctx, s.app.secrets, messageID, channels.ModerationAction(action), confirm, s.actor().Name)
		if err == nil && (confirm || !w.Critical) {
			s.app.emitInboxChanged(ctx)
		}
		return w, err
	})
}

// Triage applies one action to every conversation in ids in one transaction
// and returns them as they are now with the undo entry that restores them.
func (s *InboxService) Triage(ids []int64, req TriageRequest) (workspace.TriageResult, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (workspace.TriageResult, error) {
		t, err := triageOf(req)
		if err != nil {
			return workspace.TriageResult{}, err
		}
		if t.Assignee != nil {
			if err := s.checkAssignee(ctx, ws, *t.Assignee); err != nil {
				return workspace.TriageResult{}, err
			}
		}
		res, err := ws.Triage(ctx, ids, t, s.agentName())
		if err == nil {
			s.teamChanged(ctx)
		}
		return res, err
	})
}

// triageOf turns the UI's action into the store's change.
func triageOf(req TriageRequest) (store.Triage, error) {
	switch req.Action {
	case "close":
		return store.Triage{Status: inbox.StatusClosed}, nil
	case "open", "pending":
		return store.Triage{Status: inbox.Status(req.Action)}, nil
	case "assign":
		return store.Triage{Assignee: &req.Assignee}, nil
	case "tag":
		return store.Triage{AddTags: []string{req.Tag}}, nil
	case "untag":
		return store.Triage{RemoveTags: []string{req.Tag}}, nil
	case "spam":
		return workspace.MarkSpam(), nil
	case "snooze":
		until, err := time.Parse(time.RFC3339, req.Until)
		if err != nil {
			return store.Triage{}, fmt.Errorf("snooze until %q: not an RFC 3339 time", req.Until)
		}
		return store.Triage{SnoozeUntil: &until}, nil
	case "unsnooze":
		return store.Triage{SnoozeUntil: &time.Time{}}, nil
	}
	return store.Triage{}, fmt.Errorf("unknown triage action %q", req.Action)
}

// Undo restores the conversations of a triage and returns them as they are now.
func (s *InboxService) Undo(undoID int64) ([]inbox.Conversation, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]inbox.Conversation, error) {
		cs, err := ws.Undo(ctx, undoID, s.agentName())
		if err == nil {
			s.teamChanged(ctx)
		}
		return cs, err
	})
}

// AddNote adds an internal note (never sent) to a conversation and records
// its @mentions of the names Assignees offers. On the team server each
// mentioned member's pages are told (team:mention); the single-person
// desktop has nobody else to tell.
func (s *InboxService) AddNote(id int64, body string) (store.Note, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (store.Note, error) {
		names, err := s.assignees(ctx, ws)
		if err != nil {
			return store.Note{}, err
		}
		n, err := ws.AddNote(ctx, id, s.agentName(), body, names)
		if err != nil || s.me == nil {
			return n, err
		}
		s.teamChanged(ctx)
		for _, m := range n.Mentions {
			s.app.emitTeamMention(ctx, NoteMention{Member: m, ConversationID: n.ConversationID, NoteID: n.ID, Author: n.Author, Excerpt: excerpt(n.Body, mentionExcerpt)})
		}
		return n, nil
	})
}

// mentionExcerpt is how much of a note a mention's notification shows, in
// characters.
const mentionExcerpt = 140

// excerpt is text cut to at most n characters, with an ellipsis when cut.
func excerpt(text string, n int) string {
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// Mentions lists the notes that mention the member calling, unread first,
// newest first (always empty on the single-person desktop).
func (s *InboxService) Mentions() ([]store.Mention, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]store.Mention, error) {
		return ws.Mentions(ctx, s.agentName())
	})
}

// MarkMentionsRead marks the caller's mentions in the notes noteIDs read.
func (s *InboxService) MarkMentionsRead(noteIDs []int64) error {
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		return ws.MarkMentionsRead(ctx, s.agentName(), noteIDs)
	})
}

// DeleteNote deletes a note the agent at this desk wrote.
func (s *InboxService) DeleteNote(noteID int64) error {
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		if err := ws.DeleteNote(ctx, noteID, s.agentName()); err != nil {
			return err
		}
		s.teamChanged(ctx)
		return nil
	})
}

// SavedViews lists the saved inbox views by name.
func (s *InboxService) SavedViews() ([]store.SavedView, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]store.SavedView, error) {
		return ws.SavedViews(ctx)
	})
}

// SaveView saves the list's current filters under a new name.
func (s *InboxService) SaveView(name string, f store.ViewFilters) (store.SavedView, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (store.SavedView, error) {
		return ws.SaveView(ctx, name, f)
	})
}

// RenameView renames a saved view.
func (s *InboxService) RenameView(id int64, name string) error {
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error { return ws.RenameView(ctx, id, name) })
}

// DeleteView deletes a saved view.
func (s *InboxService) DeleteView(id int64) error {
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error { return ws.DeleteView(ctx, id) })
}
