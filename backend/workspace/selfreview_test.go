package workspace

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/drafts"
)

// TestSelfReviewSendsACrisisReply is issue 15's one-person crisis: on real
// SQLite and a fake Bot API, the person drafts in crisis mode, is offered a
// self-review and no plain approval, is refused without the checklist,
// approves with it, and the outbox sends; the audit records the self-review
// and its checklist. In a team the same person is offered neither.
func TestSelfReviewSendsACrisisReply(t *testing.T) {
	ctx := context.Background()
	ws, sec, fake, convID := telegramConversation(t)
	acc, _ := ws.Store.AccountByName(ctx, "acme-bot")
	if err := ws.Store.SetCrisis(ctx, acc.ID, true); err != nil {
		t.Fatal(err)
	}
	c := ws.NewComposer(sec)
	if c.Mode != drafts.ModeSingle {
		t.Fatalf("a new workspace approves in mode %q, want single-person", c.Mode)
	}
	me := drafts.Actor{Name: "anna", Role: drafts.RoleAgent}

	r, err := c.Draft(ctx, convID, me, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Approval.TwoPerson || !slices.Equal(r.Allowed, []drafts.Action{drafts.ActionEdit, drafts.ActionSubmit}) {
		t.Fatalf("crisis draft: approval %+v, allowed %v", r.Approval, r.Allowed)
	}
	if r, err = c.Step(ctx, r.ID, me, drafts.Step{Action: drafts.ActionSubmit}); err != nil {
		t.Fatal(err)
	}
	if want := []drafts.Action{drafts.ActionWithdraw, drafts.ActionSelfReview}; !slices.Equal(r.Allowed, want) {
		t.Fatalf("submitted crisis reply offers %v, want %v", r.Allowed, want)
	}
	queue, err := c.ApprovalQueue(ctx, me)
	if err != nil || len(queue) != 1 || !slices.Equal(queue[0].Reply.Allowed, r.Allowed) {
		t.Fatalf("approval queue = %+v, %v", queue, err)
	}

	for _, s := range []drafts.Step{
		{Action: drafts.ActionApprove},
		{Action: drafts.ActionSelfReview},
		{Action: drafts.ActionSelfReview, Checklist: drafts.SelfReviewChecklist()[1:]},
	} {
		_, err := c.Step(ctx, r.ID, me, s)
		if !errors.Is(err, drafts.ErrNotAllowed) {
			t.Fatalf("%s with checklist %v: err = %v, want refused", s.Action, s.Checklist, err)
		}
	}
	// A team workspace refuses the self-review even with the whole checklist.
	team := ws.NewComposer(sec)
	team.Mode = drafts.ModeTeam
	if got, _ := team.Replies(ctx, convID, me); len(got) != 1 || slices.Contains(got[0].Allowed, drafts.ActionSelfReview) || slices.Contains(got[0].Allowed, drafts.ActionApprove) {
		t.Fatalf("team offers %v", got[0].Allowed)
	}
	if _, err := team.Step(ctx, r.ID, me, drafts.Step{Action: drafts.ActionSelfReview, Checklist: drafts.SelfReviewChecklist()}); !errors.Is(err, drafts.ErrNotAllowed) {
		t.Fatalf("team self-review: err = %v", err)
	}

	r, err = c.Step(ctx, r.ID, me, drafts.Step{Action: drafts.ActionSelfReview, Checklist: drafts.SelfReviewChecklist()})
	if err != nil || r.State != drafts.StateApproved || r.Approver != "anna" {
		t.Fatalf("self-review: %+v, %v", r, err)
	}
	if !slices.Equal(r.Allowed, []drafts.Action{drafts.ActionQueue}) {
		t.Fatalf("approved reply offers %v", r.Allowed)
	}
	if r, err = c.Step(ctx, r.ID, me, drafts.Step{Action: drafts.ActionQueue}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.outbox.RunOnce(ctx, r.UpdatedAt.Add(1e12)); err != nil {
		t.Fatal(err)
	}
	if sent := fake.Sent(); len(sent) != 1 || sent[0].Text != r.Text {
		t.Fatalf("fake received %+v", sent)
	}
	if got, _ := ws.Store.ReplyByID(ctx, r.ID); got.State != drafts.StateSent {
		t.Fatalf("reply %s (%s)", got.State, got.FailReason)
	}

	audit, err := ws.Store.ReplyAudit(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []drafts.Action
	for _, e := range audit {
		actions = append(actions, e.Action)
	}
	want := []drafts.Action{drafts.ActionCreate, drafts.ActionSubmit, drafts.ActionSelfReview, drafts.ActionQueue, drafts.ActionSent}
	if !slices.Equal(actions, want) {
		t.Fatalf("audit = %v, want %v (refused steps leave no entry)", actions, want)
	}
	review := audit[2]
	if review.Who != "anna" || !strings.Contains(review.Comment, drafts.SelfReviewed+strings.Join(drafts.SelfReviewChecklist(), ", ")) {
		t.Fatalf("self-review entry = %+v", review)
	}
}
