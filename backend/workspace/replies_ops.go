package workspace

import (
	"context"
	"time"

	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/store"
)

// approvalQueueSize bounds the approval queue one screen shows; an approver
// works from the top (crisis replies first), so more would only cost time.
const approvalQueueSize = 200

// ApprovalQueue lists the replies waiting for an approver, crisis replies first.
func (w *Workspace) ApprovalQueue(ctx context.Context) ([]store.PendingApproval, error) {
	return w.Store.PendingApprovals(ctx, approvalQueueSize)
}

// Replies lists a conversation's replies, newest last.
func (w *Workspace) Replies(ctx context.Context, conversationID int64) ([]drafts.Reply, error) {
	return w.Store.RepliesByConversation(ctx, conversationID)
}

// ReplyAudit lists every step of a reply: who, when, what changed.
func (w *Workspace) ReplyAudit(ctx context.Context, replyID string) ([]drafts.AuditEntry, error) {
	return w.Store.ReplyAudit(ctx, replyID)
}

// CannedReplies lists the canned replies matching query (all when empty), best first.
func (w *Workspace) CannedReplies(ctx context.Context, query string) ([]drafts.Canned, error) {
	all, err := w.Store.CannedReplies(ctx)
	if err != nil {
		return nil, err
	}
	if query == "" {
		return all, nil
	}
	return drafts.Search(all, query), nil
}

// SaveCanned adds or replaces a canned reply.
func (w *Workspace) SaveCanned(ctx context.Context, c drafts.Canned, now time.Time) error {
	return w.Store.PutCanned(ctx, c, now)
}

// DeleteCanned removes a canned reply.
func (w *Workspace) DeleteCanned(ctx context.Context, id string) error {
	return w.Store.DeleteCanned(ctx, id)
}

// KBEntries lists the approved statements and FAQ entries of a brand ("" = all brands).
func (w *Workspace) KBEntries(ctx context.Context, brand string) ([]drafts.KBEntry, error) {
	return w.Store.KBEntries(ctx, brand)
}

// DeleteKBEntry removes a knowledge-base entry.
func (w *Workspace) DeleteKBEntry(ctx context.Context, id string) error {
	return w.Store.DeleteKBEntry(ctx, id)
}
