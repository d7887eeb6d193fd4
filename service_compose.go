package main

import (
	"context"
	"time"

	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// llmTestTimeout bounds "Test" in the model settings, so an unreachable
// server answers with an error instead of a spinner.
const llmTestTimeout = 30 * time.Second

// ComposeService drafts replies and moves them through approval to the outbox.
// Nothing is sent before a person approves it.
type ComposeService struct{ app *App }

// ComposeStep is one workflow step as the UI sends it.
type ComposeStep struct {
	ReplyID string `json:"replyId"`
	Action  string `json:"action"` // edit, submit, withdraw, approve, reject, queue, retry
	Text    string `json:"text"`
	Comment string `json:"comment"`
}

// LLMSettings is the drafting model's configuration; the key stays in the OS keyring.
type LLMSettings struct {
	Settings  drafts.Settings `json:"settings"`
	HasAPIKey bool            `json:"hasApiKey"`
	APIKey    string          `json:"apiKey"` // only sent by the UI; empty keeps the stored key
}

func (s *ComposeService) composer() (*workspace.Composer, error) {
	return started(s.app, &s.app.composer, "drafting")
}

// Draft writes a reply for a conversation and stores it as a draft. The text
// streams to the UI as "compose:delta" events {conversationId, text}.
func (s *ComposeService) Draft(conversationID int64, guidance string) (drafts.Reply, error) {
	return callOn(s.app, s.composer, func(ctx context.Context, c *workspace.Composer) (drafts.Reply, error) {
		return c.Draft(ctx, conversationID, actor(), guidance, func(delta string) {
			s.app.emitComposeDelta(ctx, ComposeDelta{ConversationID: conversationID, Text: delta})
		})
	})
}

// DraftForGroup drafts the same statement in each conversation of a group of
// near-duplicate complaints. Every draft still needs approval; nothing is sent.
func (s *ComposeService) DraftForGroup(conversationIDs []int64, text string) ([]drafts.Reply, error) {
	return callOn(s.app, s.composer, func(ctx context.Context, c *workspace.Composer) ([]drafts.Reply, error) {
		return c.DraftForGroup(ctx, conversationIDs, text, actor())
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
		r, err := c.Step(ctx, step.ReplyID, actor(), drafts.Step{Action: drafts.Action(step.Action), Text: step.Text, Comment: step.Comment})
		if err != nil {
			return r, err
		}
		// The approval queue changes with every submit, withdraw, approve and reject;
		// a fresh submission is also an approval request approvers are notified of.
		s.app.emitApprovalChanged(ctx)
		if r.State == drafts.StateSubmitted {
			s.app.emitApprovalRequested(ctx, r)
		}
		return r, nil
	})
}

// ApprovalQueue lists the replies waiting for an approver, crisis replies first.
func (s *ComposeService) ApprovalQueue() ([]store.PendingApproval, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]store.PendingApproval, error) {
		return ws.ApprovalQueue(ctx)
	})
}

// Replies lists a conversation's replies, newest last.
func (s *ComposeService) Replies(conversationID int64) ([]drafts.Reply, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]drafts.Reply, error) {
		return ws.Replies(ctx, conversationID)
	})
}

// Audit lists every step of a reply: who, when, what changed.
func (s *ComposeService) Audit(replyID string) ([]drafts.AuditEntry, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]drafts.AuditEntry, error) {
		return ws.ReplyAudit(ctx, replyID)
	})
}

// Canned lists the canned replies matching query (all when empty), best first.
func (s *ComposeService) Canned(query string) ([]drafts.Canned, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]drafts.Canned, error) {
		return ws.CannedReplies(ctx, query)
	})
}

// KB lists the approved statements and FAQ entries of a brand ("" = all brands).
func (s *ComposeService) KB(brand string) ([]drafts.KBEntry, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]drafts.KBEntry, error) {
		return ws.KBEntries(ctx, brand)
	})
}

// DeleteKB removes a knowledge-base entry.
func (s *ComposeService) DeleteKB(id string) error {
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		return ws.DeleteKBEntry(ctx, id)
	})
}

// SaveCanned adds or replaces a canned reply.
func (s *ComposeService) SaveCanned(c drafts.Canned) error {
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		return ws.SaveCanned(ctx, c, time.Now())
	})
}

// DeleteCanned removes a canned reply.
func (s *ComposeService) DeleteCanned(id string) error {
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		return ws.DeleteCanned(ctx, id)
	})
}

// Brands returns each brand's drafting voice (tone, signature, default language).
func (s *ComposeService) Brands() ([]drafts.Brand, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) ([]drafts.Brand, error) {
		return ws.Brands(ctx)
	})
}

// SaveBrand stores a brand's drafting voice.
func (s *ComposeService) SaveBrand(b drafts.Brand) error {
	return do(s.app, func(_ context.Context, ws *workspace.Workspace) error {
		return ws.SaveBrand(b)
	})
}

// RetrainSentiment learns the corrected labels on top of the shipped model and
// returns how many it learnt.
func (s *ComposeService) RetrainSentiment() (int, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (int, error) {
		return ws.RetrainSentiment(ctx)
	})
}

// Me is the person using the app and their role (agent or approver).
func (s *ComposeService) Me() drafts.Actor { return actor() }

// SaveKB adds or replaces a knowledge-base entry.
func (s *ComposeService) SaveKB(e drafts.KBEntry) error {
	return do(s.app, func(ctx context.Context, ws *workspace.Workspace) error {
		return ws.SaveKBEntry(ctx, e, time.Now())
	})
}

// LLM returns the drafting model's settings.
func (s *ComposeService) LLM() (LLMSettings, error) {
	return callOn(s.app, s.composer, func(ctx context.Context, c *workspace.Composer) (LLMSettings, error) {
		set, has, err := c.LLMSettings(ctx)
		return LLMSettings{Settings: set, HasAPIKey: has}, err
	})
}

// SaveLLM stores the drafting model's settings; the key goes to the OS keyring.
func (s *ComposeService) SaveLLM(in LLMSettings) error {
	return doOn(s.app, s.composer, func(ctx context.Context, c *workspace.Composer) error {
		return c.SaveLLMSettings(ctx, in.Settings, in.APIKey)
	})
}

// TestLLM lists the configured server's models, or says why it cannot.
func (s *ComposeService) TestLLM() ([]string, error) {
	return callOn(s.app, s.composer, func(ctx context.Context, c *workspace.Composer) ([]string, error) {
		ctx, cancel := context.WithTimeout(ctx, llmTestTimeout)
		defer cancel()
		return c.TestLLM(ctx)
	})
}
