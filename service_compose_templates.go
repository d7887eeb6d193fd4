package main

import (
	"context"

	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// Templates lists the approved message templates the conversation's account
// may send (WhatsApp), for the composer's template picker. Listed from Meta
// at most once a minute per account; a channel without templates answers
// the coded error template-unsupported.
func (s *ComposeService) Templates(conversationID int64) ([]workspace.MessageTemplate, error) {
	return callOn(s.app, s.composer, func(ctx context.Context, c *workspace.Composer) ([]workspace.MessageTemplate, error) {
		return c.Templates(ctx, conversationID)
	})
}

// DraftTemplate stores a template reply in a conversation as a draft: the
// template's name and language and every value of its {{n}} variables. It
// is submitted, approved and sent like any reply.
func (s *ComposeService) DraftTemplate(conversationID int64, template drafts.ReplyTemplate) (drafts.Reply, error) {
	return callOn(s.app, s.composer, func(ctx context.Context, c *workspace.Composer) (drafts.Reply, error) {
		failed := c.FailedSend(ctx, conversationID)
		r, err := c.DraftTemplate(ctx, conversationID, s.actor(), template)
		if err != nil {
			return r, err
		}
		if failed {
			s.app.emitInboxChanged(ctx)
		}
		s.teamReplyChanged(ctx, r)
		return s.permitted(r), nil
	})
}
