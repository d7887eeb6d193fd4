package main

import (
	"context"

	"github.com/stormdesk/stormdesk/backend/crisis"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/ingest"
	"github.com/stormdesk/stormdesk/backend/store"
)

// The vocabulary of events Go sends to the window: every name, its payload
// and the one helper that emits it, in one file, so a reader sees the whole
// conversation without grepping for string literals. frontend/src/lib/api/events.ts
// mirrors the names (TestEventNamesMatchFrontend keeps the two lists equal) and
// reads the payloads through the models Wails generates from EventPayloads.
const (
	// EventInboxChanged (no payload): conversations may differ; the list reloads.
	EventInboxChanged = "inbox:changed"
	// EventSyncProgress (SyncProgress): a background sync fetched, stored, failed or finished.
	EventSyncProgress = "sync:progress"
	// EventCrisisAlert (CrisisAlert): the spike detector raised an alert.
	EventCrisisAlert = "crisis:alert"
	// EventCrisisEvent (CrisisEvent): a crisis timeline entry was recorded.
	EventCrisisEvent = "crisis:event"
	// EventComposeDelta (ComposeDelta): streamed draft text for a conversation.
	EventComposeDelta = "compose:delta"
	// EventReplyDelivered (ReplyDelivery): the outbox sent a reply or gave up on it.
	EventReplyDelivered = "reply:delivered"
	// EventReplyChanged (ReplyChange): on the team server, a member drafted a
	// reply or moved one a step (edit, submit, approve, ...); the other
	// members' pages with that conversation open reload its replies.
	EventReplyChanged = "reply:changed"
	// EventApprovalChanged (no payload): the approval queue may differ.
	EventApprovalChanged = "approval:changed"
	// EventApprovalRequested (ApprovalRequest): a reply was submitted; approvers are notified.
	EventApprovalRequested = "approval:requested"
	// EventImportProgress (ImportProgress): an import from the window read more rows or finished.
	EventImportProgress = "import:progress"
	// EventStreamReset (no payload): sent by the web bridge (webbridge.ResetEvent),
	// never by App, to a page that resumed from an event the team server has
	// pruned; the page reloads everything it shows.
	EventStreamReset = "events:reset"
	// EventTeamMention (NoteMention): a note just saved mentions a member; that
	// member's pages notify, every other page ignores it.
	EventTeamMention = "team:mention"
	// EventMembersChanged (no payload): the team's members or invitations may
	// differ (a join, an admin's change); the Members screen reloads.
	EventMembersChanged = "team:members"
	// EventPresenceChanged (PresenceChange): who has a conversation open, or
	// is typing in it, changed (conversation 0: the members online).
	EventPresenceChanged = "presence:changed"
	// EventListeningChanged (no payload): listening topics, mentions or
	// sources' status may differ (a poll stored mentions, a person edited);
	// the Listening screen reloads.
	EventListeningChanged = "listening:changed"
)

// pageLocalEvent says whether only the page that started the work needs the
// event (streamed draft text, a file import's progress): a team server keeps
// it on the instance serving that page instead of the shared events table.
func pageLocalEvent(name string) bool {
	return name == EventComposeDelta || name == EventImportProgress
}

// Payloads that are a domain type already are aliases, so Go and the
// generated TypeScript keep one type per concept.
type (
	SyncProgress    = ingest.Event
	CrisisAlert     = crisis.Alert
	CrisisEvent     = store.CrisisEvent
	ApprovalRequest = drafts.Reply
	PresenceChange  = store.ConversationViewers
)

// ComposeDelta is one piece of a draft as the model writes it.
type ComposeDelta struct {
	ConversationID int64  `json:"conversationId"`
	Text           string `json:"text"`
}

// ReplyDelivery says the outbox is done with a reply: state is sent or failed.
type ReplyDelivery struct {
	ConversationID int64        `json:"conversationId"`
	ReplyID        string       `json:"replyId"`
	State          drafts.State `json:"state"`
}

// ReplyChange names a reply that a member drafted or moved a step, and the
// state it is in now.
type ReplyChange struct {
	ConversationID int64        `json:"conversationId"`
	ReplyID        string       `json:"replyId"`
	State          drafts.State `json:"state"`
}

// ImportProgress is how far an import from the window got: rows read so far.
type ImportProgress struct {
	File string `json:"file"`
	Rows int    `json:"rows"`
	Done bool   `json:"done"`
}

// NoteMention tells a member that a note mentions them. Excerpt is the
// note's start, short enough for a desktop notification.
type NoteMention struct {
	Member         string `json:"member"`
	ConversationID int64  `json:"conversationId"`
	NoteID         int64  `json:"noteId"`
	Author         string `json:"author"`
	Excerpt        string `json:"excerpt"`
}

// EventPayloads holds one payload of each event that carries one. Wails
// generates TypeScript only for types reachable from a bound method, so
// AppService.EventTypes returns it; nothing reads its value.
type EventPayloads struct {
	SyncProgress    SyncProgress    `json:"syncProgress"`
	CrisisAlert     CrisisAlert     `json:"crisisAlert"`
	CrisisEvent     CrisisEvent     `json:"crisisEvent"`
	ComposeDelta    ComposeDelta    `json:"composeDelta"`
	ReplyDelivery   ReplyDelivery   `json:"replyDelivery"`
	ReplyChange     ReplyChange     `json:"replyChange"`
	ApprovalRequest ApprovalRequest `json:"approvalRequest"`
	ImportProgress  ImportProgress  `json:"importProgress"`
	NoteMention     NoteMention     `json:"noteMention"`
	PresenceChange  PresenceChange  `json:"presenceChange"`
}

// EventTypes exists for the generated bindings: it makes Wails emit the event
// payload models into frontend/wailsjs/go/models.ts. It returns zero values.
func (s *AppService) EventTypes() EventPayloads { return EventPayloads{} }

// One helper per event: the compiler then checks each emit site's payload
// against its name, which a string and ...any could not.

func (a *App) emitInboxChanged(ctx context.Context) { a.emit(ctx, EventInboxChanged) }

func (a *App) emitListeningChanged(ctx context.Context) { a.emit(ctx, EventListeningChanged) }

func (a *App) emitSyncProgress(ctx context.Context, p SyncProgress) {
	a.emit(ctx, EventSyncProgress, p)
}

func (a *App) emitCrisisAlert(ctx context.Context, al CrisisAlert) {
	a.emit(ctx, EventCrisisAlert, al)
}

func (a *App) emitCrisisEvent(ctx context.Context, e CrisisEvent) {
	a.emit(ctx, EventCrisisEvent, e)
}

func (a *App) emitComposeDelta(ctx context.Context, d ComposeDelta) {
	a.emit(ctx, EventComposeDelta, d)
}

func (a *App) emitReplyDelivered(ctx context.Context, d ReplyDelivery) {
	a.emit(ctx, EventReplyDelivered, d)
}

func (a *App) emitReplyChanged(ctx context.Context, r drafts.Reply) {
	a.emit(ctx, EventReplyChanged, ReplyChange{ConversationID: r.ConversationID, ReplyID: r.ID, State: r.State})
}

func (a *App) emitApprovalChanged(ctx context.Context) { a.emit(ctx, EventApprovalChanged) }

func (a *App) emitApprovalRequested(ctx context.Context, r ApprovalRequest) {
	a.emit(ctx, EventApprovalRequested, r)
}

func (a *App) emitImportProgress(ctx context.Context, p ImportProgress) {
	a.emit(ctx, EventImportProgress, p)
}

func (a *App) emitTeamMention(ctx context.Context, m NoteMention) {
	a.emit(ctx, EventTeamMention, m)
}

func (a *App) emitMembersChanged(ctx context.Context) { a.emit(ctx, EventMembersChanged) }

func (a *App) emitPresenceChanged(ctx context.Context, p PresenceChange) {
	a.emit(ctx, EventPresenceChanged, p)
}
