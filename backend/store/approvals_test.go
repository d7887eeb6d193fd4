package store

import (
	"context"
	"testing"

	"github.com/stormdesk/stormdesk/backend/drafts"
)

func TestPendingApprovalsListsSubmittedRepliesCrisisFirst(t *testing.T) {
	s, conv := replyFixture(t)
	ctx := context.Background()
	newStoredReply(t, s, "draft-only", conv, false)
	newStoredReply(t, s, "normal", conv, false, drafts.ActionSubmit)
	newStoredReply(t, s, "crisis", conv, true, drafts.ActionSubmit)
	newStoredReply(t, s, "approved", conv, false, drafts.ActionSubmit, drafts.ActionApprove)

	got, err := s.PendingApprovals(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range got {
		ids = append(ids, p.Reply.ID)
	}
	if len(ids) != 2 || ids[0] != "crisis" || ids[1] != "normal" {
		t.Fatalf("queue = %v; want [crisis normal]", ids)
	}
	p := got[0]
	if !p.Crisis || p.Account != "acme-masto" || p.Brand != "Acme" || p.Channel != "mastodon" ||
		p.Author != "jorg" || p.Subject != "where is my parcel?" || p.Reply.State != drafts.StateSubmitted {
		t.Fatalf("crisis entry = %+v", p)
	}
	if one, err := s.PendingApprovals(ctx, 1); err != nil || len(one) != 1 {
		t.Fatalf("limit 1: %d entries, %v", len(one), err)
	}
}
