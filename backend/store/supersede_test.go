package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// TestSupersededReplyNeedsConfirmation: once another answer reached the
// conversation after a reply was drafted, approving or queueing that reply
// through the guarded step is refused with when the answer went out, and
// the plain step (the person confirmed) goes through.
func TestSupersededReplyNeedsConfirmation(t *testing.T) {
	ctx := context.Background()
	step := func(who drafts.Actor, a drafts.Action, at time.Time) func(drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
		return func(r drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
			return drafts.Apply(r, who, drafts.Step{Action: a}, at)
		}
	}
	send := func(t *testing.T, s *Store, id string, at time.Time) {
		t.Helper()
		out := &inbox.Item{ExternalID: "out-" + id, ThreadKey: "status:m1", Kind: inbox.KindComment, Direction: inbox.DirectionOut,
			Text: "answered", SentAt: at}
		if err := s.MarkSent(ctx, id, at, out, func(r drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
			return drafts.Apply(r, outboxA, drafts.Step{Action: drafts.ActionSent, ExternalID: "out-" + id}, at)
		}); err != nil {
			t.Fatal(err)
		}
	}
	// draftAt stores a submitted reply drafted at when.
	draftAt := func(t *testing.T, s *Store, id string, conv int64, when time.Time) {
		t.Helper()
		r, e, err := drafts.NewReply(id, conv, drafts.Draft{Text: "We are on it.", Lang: "en"}, agent, false, when)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CreateReply(ctx, r, e); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ApplyReplyStep(ctx, id, step(agent, drafts.ActionSubmit, when.Add(time.Second))); err != nil {
			t.Fatal(err)
		}
	}
	superseded := func(t *testing.T, err error, want time.Time) {
		t.Helper()
		var sup *SupersededError
		if !errors.As(err, &sup) || !errors.Is(err, ErrSuperseded) || !sup.At.Equal(want) {
			t.Fatalf("err %v, want superseded at %s", err, want)
		}
	}

	t.Run("another reply sent", func(t *testing.T) {
		s, conv := replyFixture(t)
		draftAt(t, s, "late", conv, rt0)
		newStoredReply(t, s, "first", conv, false, drafts.ActionSubmit, drafts.ActionApprove, drafts.ActionQueue)
		sentAt := rt0.Add(20 * time.Minute)
		send(t, s, "first", sentAt)

		_, err := s.ApplyReplyStepUnlessSuperseded(ctx, "late", step(approver, drafts.ActionApprove, sentAt.Add(time.Minute)))
		superseded(t, err, sentAt)
		if r, _ := s.ReplyByID(ctx, "late"); r.State != drafts.StateSubmitted {
			t.Fatalf("a refused approval moved the reply to %s", r.State)
		}
		// Confirmed: approved; queueing is guarded again, then confirmed too.
		if _, err := s.ApplyReplyStep(ctx, "late", step(approver, drafts.ActionApprove, sentAt.Add(time.Minute))); err != nil {
			t.Fatal(err)
		}
		_, err = s.ApplyReplyStepUnlessSuperseded(ctx, "late", step(approver, drafts.ActionQueue, sentAt.Add(2*time.Minute)))
		superseded(t, err, sentAt)
		r, err := s.ApplyReplyStep(ctx, "late", step(approver, drafts.ActionQueue, sentAt.Add(2*time.Minute)))
		if err != nil || r.State != drafts.StateQueued {
			t.Fatalf("confirmed queue: %v, %v", r.State, err)
		}
	})

	t.Run("another reply in the outbox", func(t *testing.T) {
		s, conv := replyFixture(t)
		draftAt(t, s, "late", conv, rt0)
		q := newStoredReply(t, s, "first", conv, false, drafts.ActionSubmit, drafts.ActionApprove, drafts.ActionQueue)
		_, err := s.ApplyReplyStepUnlessSuperseded(ctx, "late", step(approver, drafts.ActionApprove, rt0.Add(time.Hour)))
		superseded(t, err, q.UpdatedAt)
	})

	t.Run("answered on the platform", func(t *testing.T) {
		s, conv := replyFixture(t)
		draftAt(t, s, "late", conv, rt0)
		acc, err := s.EnsureAccount(ctx, inbox.Account{Name: "acme-masto", Channel: inbox.ChannelMastodon, Brand: "Acme"})
		if err != nil {
			t.Fatal(err)
		}
		at := rt0.Add(5 * time.Minute)
		if _, err := s.SaveItems(ctx, acc.ID, []inbox.Item{{ExternalID: "native", ThreadKey: "status:m1", Kind: inbox.KindComment,
			Direction: inbox.DirectionOut, Author: inbox.Author{ExternalID: "acme", Handle: "acme"}, Text: "Sorted!", SentAt: at}}); err != nil {
			t.Fatal(err)
		}
		_, err = s.ApplyReplyStepUnlessSuperseded(ctx, "late", step(approver, drafts.ActionApprove, rt0.Add(time.Hour)))
		superseded(t, err, at)
	})

	t.Run("drafted after the answer", func(t *testing.T) {
		s, conv := replyFixture(t)
		newStoredReply(t, s, "first", conv, false, drafts.ActionSubmit, drafts.ActionApprove, drafts.ActionQueue)
		send(t, s, "first", rt0.Add(10*time.Minute))
		draftAt(t, s, "next", conv, rt0.Add(30*time.Minute))
		r, err := s.ApplyReplyStepUnlessSuperseded(ctx, "next", step(approver, drafts.ActionApprove, rt0.Add(time.Hour)))
		if err != nil || r.State != drafts.StateApproved {
			t.Fatalf("a reply drafted after the last answer: %v, %v", r.State, err)
		}
	})
}
