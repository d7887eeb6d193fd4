package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// failReply moves a queued reply to failed as the outbox does, at the given time.
func failReply(t *testing.T, s *Store, id string, at time.Time) {
	t.Helper()
	err := s.MarkFailed(context.Background(), id, func(r drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
		return drafts.Apply(r, outboxA, drafts.Step{Action: drafts.ActionFail, Reason: "account demo cannot send"}, at)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// addConversation stores one more conversation in the fixture's account.
func addConversation(t *testing.T, s *Store, key string, at time.Time) int64 {
	t.Helper()
	ctx := context.Background()
	a, err := s.AccountByName(ctx, "acme-masto")
	if err != nil {
		t.Fatal(err)
	}
	in := inbox.Item{ExternalID: key, ThreadKey: "status:" + key, Kind: inbox.KindComment, Direction: inbox.DirectionIn,
		Author: inbox.Author{ExternalID: "u-" + key, Handle: key}, Text: "hello " + key, SentAt: at}
	if _, err := s.SaveItems(ctx, a.ID, []inbox.Item{in}); err != nil {
		t.Fatal(err)
	}
	id, err := s.ConversationIDByThreadKey(ctx, a.ID, "status:"+key)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// The "Failed to send" view lists conversations whose newest reply failed,
// newest failure first, also when closed; a retry or a newer reply takes a
// conversation out, and every list marks exactly those rows.
func TestFailedSendView(t *testing.T) {
	ctx := context.Background()
	s, c1 := replyFixture(t)
	c2 := addConversation(t, s, "m2", rt0.Add(-30*time.Minute))
	c3 := addConversation(t, s, "m3", rt0.Add(-20*time.Minute))
	c4 := addConversation(t, s, "m4", rt0.Add(-10*time.Minute))
	queued := []drafts.Action{drafts.ActionSubmit, drafts.ActionApprove, drafts.ActionQueue}

	newStoredReply(t, s, "r1", c1, false, queued...)
	failReply(t, s, "r1", rt0.Add(time.Hour))
	newStoredReply(t, s, "r2", c2, false, queued...)
	failReply(t, s, "r2", rt0.Add(2*time.Hour)) // newer failure: listed first
	newStoredReply(t, s, "r3", c3, false, queued...)
	failReply(t, s, "r3", rt0.Add(3*time.Hour))
	newStoredReply(t, s, "r3b", c3, false)           // a newer draft replaces the failed reply
	newStoredReply(t, s, "r4", c4, false, queued...) // queued, not failed
	if err := s.SetStatus(ctx, c1, inbox.StatusClosed); err != nil {
		t.Fatal(err)
	}

	ids := func(q InboxQuery) []int64 {
		t.Helper()
		var out []int64
		for {
			p, err := s.Conversations(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range p.Items {
				out = append(out, c.ID)
			}
			if p.Next == "" {
				return out
			}
			q.Cursor = p.Next
		}
	}
	cases := []struct {
		name string
		q    InboxQuery
		want []int64
	}{
		{"newest failure first, the closed one too", InboxQuery{FailedSend: true}, []int64{c2, c1}},
		{"paged one by one", InboxQuery{FailedSend: true, Limit: 1}, []int64{c2, c1}},
		{"the order asked for does not change it", InboxQuery{FailedSend: true, Order: OrderSLA, Limit: 1}, []int64{c2, c1}},
		{"with a status filter", InboxQuery{FailedSend: true, Status: inbox.StatusClosed}, []int64{c1}},
		{"with another account", InboxQuery{FailedSend: true, AccountID: 999}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := ids(tc.q); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}

	marked := func() map[int64]bool {
		t.Helper()
		p, err := s.Conversations(ctx, InboxQuery{})
		if err != nil {
			t.Fatal(err)
		}
		m := map[int64]bool{}
		for _, c := range p.Items {
			m[c.ID] = c.FailedSend
		}
		one, err := s.ConversationByID(ctx, c1)
		if err != nil {
			t.Fatal(err)
		}
		m[c1] = one.FailedSend
		return m
	}
	if got, want := marked(), map[int64]bool{c1: true, c2: true, c3: false, c4: false}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("marks %v, want %v", got, want)
	}

	// A person retries: the reply is queued again and leaves the view and the mark.
	if _, err := s.ApplyReplyStep(ctx, "r2", func(r drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
		return drafts.Apply(r, agent, drafts.Step{Action: drafts.ActionRetry}, rt0.Add(4*time.Hour))
	}); err != nil {
		t.Fatal(err)
	}
	if got := ids(InboxQuery{FailedSend: true}); fmt.Sprint(got) != fmt.Sprint([]int64{c1}) {
		t.Errorf("after the retry: %v, want only %d", got, c1)
	}
	if marked()[c2] {
		t.Error("a retried reply still marks its row")
	}
}

// A person discards a failed reply: it is kept, discarded, with the step in
// its audit trail, and its conversation leaves the view and loses the mark.
func TestDiscardedReplyLeavesFailedView(t *testing.T) {
	ctx := context.Background()
	s, c1 := replyFixture(t)
	newStoredReply(t, s, "r1", c1, false, drafts.ActionSubmit, drafts.ActionApprove, drafts.ActionQueue)
	failReply(t, s, "r1", rt0.Add(time.Hour))
	view := func() int {
		t.Helper()
		p, err := s.Conversations(ctx, InboxQuery{FailedSend: true})
		if err != nil {
			t.Fatal(err)
		}
		return len(p.Items)
	}
	if view() != 1 {
		t.Fatal("the failed reply is not in the view")
	}
	if _, err := s.ApplyReplyStep(ctx, "r1", func(r drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
		return drafts.Apply(r, agent, drafts.Step{Action: drafts.ActionDiscard, Comment: "sent by phone instead"}, rt0.Add(2*time.Hour))
	}); err != nil {
		t.Fatal(err)
	}
	if n := view(); n != 0 {
		t.Errorf("after the discard the view lists %d conversations", n)
	}
	c, err := s.ConversationByID(ctx, c1)
	if err != nil {
		t.Fatal(err)
	}
	if c.FailedSend {
		t.Error("a discarded reply still marks its row")
	}
	r, err := s.ReplyByID(ctx, "r1")
	if err != nil || r.State != drafts.StateDiscarded {
		t.Fatalf("reply %v, %v: want it kept, discarded", r.State, err)
	}
	audit, err := s.ReplyAudit(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	last := audit[len(audit)-1]
	if last.Action != drafts.ActionDiscard || last.Who != agent.Name || last.From != drafts.StateFailed || last.Comment != "sent by phone instead" {
		t.Errorf("last audit entry %+v, want anna's discard", last)
	}
	// The database still refuses a state nobody defined.
	if _, err := s.db.ExecContext(ctx, `UPDATE replies SET state = 'lost' WHERE id = 'r1'`); err == nil {
		t.Error("the state CHECK no longer holds")
	}
}
