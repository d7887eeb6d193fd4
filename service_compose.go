package main

import (
	"context"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/team"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// ComposeService drafts replies and moves them through approval to the outbox.
// Nothing is sent before a person approves it.
type ComposeService struct {
	app *App
	as
}

// ComposeStep is one workflow step as the UI sends it.
type ComposeStep struct {
	ReplyID string `json:"replyId"`
	Action  string `json:"action"` // edit, submit, withdraw, approve, reject, queue, retry
	Text    string `json:"text"`
	Comment string `json:"comment"`
	// Checklist is what a self-review confirms (drafts.SelfReviewChecklist items).
	Checklist []string `json:"checklist"`
	// Supersede approves or queues the reply although the conversation was
	// answered after it was drafted (the person confirmed; reply-superseded otherwise).
	Supersede bool `json:"supersede"`
}

func (s *ComposeService) composer() (*workspace.Composer, error) {
	return started(s.app, &s.app.composer, "drafting")
}

// permitted keeps of r.Allowed the steps the caller's team role may take
// (stepActions): the workflow lets an agent approve their own plain reply,
// the team server does not, and the page offers only what the server allows.
func (s *ComposeService) permitted(r drafts.Reply) drafts.Reply {
	if s.me == nil {
		return r
	}
	out := make([]drafts.Action, 0, len(r.Allowed))
	for _, a := range r.Allowed {
		if act, ok := stepActions[a]; ok && team.Allows(s.me.role, act) {
			out = append(out, a)
		}
	}
	r.Allowed = out
	return r
}

// Draft writes a reply for a conversation and stores it as a draft. The text
// streams to the UI as "compose:delta" events {conversationId, text}.
func (s *ComposeService) Draft(conversationID int64, guidance string) (drafts.Reply, error) {
	return callOn(s.app, s.composer, func(ctx context.Context, c *workspace.Composer) (drafts.Reply, error) {
		failed := c.FailedSend(ctx, conversationID)
		r, err := c.Draft(ctx, conversationID, s.actor(), guidance, func(delta string) {
			s.app.emitComposeDelta(s.toPage(ctx), ComposeDelta{ConversationID: conversationID, Text: delta})
		})
		// A new reply replaces a failed one: the row loses its mark and leaves
		// the "Failed to send" view.
		if err == nil && failed {
			s.app.emitInboxChanged(ctx)
		}
		if err == nil {
			s.teamReplyChanged(ctx, r)
		}
		return s.permitted(r), err
	})
}

// DraftForGroup drafts the same statement in each conversation of a group of
// near-duplicate complaints. Every draft still needs approval; nothing is sent.
func (s *ComposeService) DraftForGroup(conversationIDs []int64, text string) ([]drafts.Reply, error) {
	return callOn(s.app, s.composer, func(ctx context.Context, c *workspace.Composer) ([]drafts.Reply, error) {
		list, err := c.DraftForGroup(ctx, conversationIDs, text, s.actor())
		for i := range list {
			s.teamReplyChanged(ctx, list[i])
			list[i] = s.permitted(c.WithAllowed(list[i], s.actor()))
		}
		return list, err
	})
}

// Cancel stops drafting for a conversation.
func (s *ComposeService) Cancel(conversationID int64) {
	if c, err := s.composer(); err == nil {
		c.CancelDraft(conversationID)
	}
}

// Step applies one workflow step to a reply.
func (s *ComposeService) Step(step ComposeStep) (drafts.Reply, error) {
	return callOn(s.app, s.composer, func(ctx context.Context, c *workspace.Composer) (drafts.Reply, error) {
		r, err := c.Step(ctx, step.ReplyID, s.actor(), drafts.Step{Action: drafts.Action(step.Action), Text: step.Text, Comment: step.Comment, Checklist: step.Checklist, Supersede: step.Supersede})
		if err != nil {
			return r, err
		}
		// The approval queue changes with every submit, withdraw, approve and reject;
		// a fresh submission is also an approval request approvers are notified of.
		s.app.emitApprovalChanged(ctx)
		s.teamReplyChanged(ctx, r)
		if r.State == drafts.StateSubmitted {
			s.app.emitApprovalRequested(ctx, r)
		}
		// A retried or discarded reply leaves the "Failed to send" view and its row's mark.
		if step.Action == string(drafts.ActionRetry) || step.Action == string(drafts.ActionDiscard) {
			s.app.emitInboxChanged(ctx)
		}
		return s.permitted(r), nil
	})
}

// teamReplyChanged tells the other members' pages that a reply of a
// conversation was drafted or moved a step, so an open composer or thread
// shows its state without a reload. The window alone shows its own change.
func (s *ComposeService) teamReplyChanged(ctx context.Context, r drafts.Reply) {
	if s.me != nil {
		s.app.emitReplyChanged(ctx, r)
	}
}

// ApprovalQueue lists the replies waiting for approval, crisis replies first,
// each with the steps the user may take on it (Reply.Allowed).
func (s *ComposeService) ApprovalQueue() ([]store.PendingApproval, error) {
	return callOn(s.app, s.composer, func(ctx context.Context, c *workspace.Composer) ([]store.PendingApproval, error) {
		list, err := c.ApprovalQueue(ctx, s.actor())
		for i := range list {
			list[i].Reply = s.permitted(list[i].Reply)
		}
		return list, err
	})
}

// Replies lists a conversation's replies, newest last, each with the steps
// the user may take on it (Reply.Allowed).
func (s *ComposeService) Replies(conversationID int64) ([]drafts.Reply, error) {
	return callOn(s.app, s.composer, func(ctx context.Context, c *workspace.Composer) ([]drafts.Reply, error) {
		list, err := c.Replies(ctx, conversationID, s.actor())
		for i := range list {
			list[i] = s.permitted(list[i])
		}
		return list, err
	})
}

// ApprovalPolicy says how approval works in this workspace for the user:
// single-person with a self-review, or a team with a second approver.
func (s *ComposeService) ApprovalPolicy() (drafts.Policy, error) {
	return callOn(s.app, s.composer, func(_ context.Context, c *workspace.Composer) (drafts.Policy, error) {
		return c.Policy(s.actor()), nil
	})
}

// Audit lists every step of a reply: who, when, what changed.
func (s *ComposeService) Audit(replyID string) ([]drafts.AuditEntry, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]drafts.AuditEntry, error) {
		return ws.ReplyAudit(ctx, replyID)
	})
}

// SendCheck returns why replies in a conversation cannot be sent (a coded
// error's text, e.g. a demo account), or "" when nothing known stands in the
// way, so the composer says so before anyone approves. A reason is an answer,
// not a failed call.
func (s *ComposeService) SendCheck(conversationID int64) (string, error) {
	return callOn(s.app, s.composer, func(ctx context.Context, c *workspace.Composer) (string, error) {
		why, err := c.SendCheck(ctx, conversationID)
		if err != nil || why == nil {
			return "", err
		}
		return apperr.Encode(why).Error(), nil
	})
}

// Me is the person using the app and their role (agent or approver).
func (s *ComposeService) Me() drafts.Actor { return s.actor() }
