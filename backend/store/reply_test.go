package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

var (
	rt0      = time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)
	agent    = drafts.Actor{Name: "anna", Role: drafts.RoleAgent}
	approver = drafts.Actor{Name: "boris", Role: drafts.RoleApprover}
	outboxA  = drafts.Actor{Name: "outbox", Role: drafts.RoleSystem}
)

// replyFixture opens a fresh store with one Mastodon conversation holding one
// inbound message, and returns the store and the conversation id.
func replyFixture(t *testing.T) (*Store, int64) {
	t.Helper()
	return replyFixtureAt(t, testDSN(t))
}

// replyFixtureAt is replyFixture on the database at dsn.
func replyFixtureAt(t *testing.T, dsn string) (*Store, int64) {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	a, err := s.EnsureAccount(ctx, inbox.Account{Name: "acme-masto", Channel: inbox.ChannelMastodon, Brand: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	in := inbox.Item{ExternalID: "m1", ThreadKey: "status:m1", Kind: inbox.KindComment, Direction: inbox.DirectionIn,
		Author: inbox.Author{ExternalID: "u1", Handle: "jorg"}, Text: "where is my parcel?", SentAt: rt0.Add(-time.Hour)}
	if _, err := s.SaveItems(ctx, a.ID, []inbox.Item{in}); err != nil {
		t.Fatal(err)
	}
	id, err := s.ConversationIDByThreadKey(ctx, a.ID, "status:m1")
	if err != nil {
		t.Fatal(err)
	}
	return s, id
}

// newStoredReply creates reply id in conversation conv and moves it through
// the given actions (agent edits/submits/queues, approver approves).
func newStoredReply(t *testing.T, s *Store, id string, conv int64, crisis bool, actions ...drafts.Action) drafts.Reply {
	t.Helper()
	d := drafts.Draft{Text: "Hello, we are checking your delivery.", Lang: "en", Source: drafts.SourceLLM, AIAssisted: true,
		Citations: []string{"kb-delivery"}, Problems: []string{}}
	r, e, err := drafts.NewReply(id, conv, d, agent, crisis, rt0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateReply(context.Background(), r, e); err != nil {
		t.Fatal(err)
	}
	for i, a := range actions {
		who := agent
		if a == drafts.ActionApprove {
			who = approver
		}
		st := drafts.Step{Action: a}
		if a == drafts.ActionEdit {
			st.Text = "Hello Jörg, we are checking your delivery today."
		}
		at := rt0.Add(time.Duration(i+1) * time.Minute)
		r, err = s.ApplyReplyStep(context.Background(), id, func(r drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
			return drafts.Apply(r, who, st, at)
		})
		if err != nil {
			t.Fatalf("%s: %v", a, err)
		}
	}
	return r
}

func TestReplyLifecycleAndAudit(t *testing.T) {
	s, conv := replyFixture(t)
	ctx := context.Background()
	r := newStoredReply(t, s, "r1", conv, false, drafts.ActionEdit, drafts.ActionSubmit, drafts.ActionApprove, drafts.ActionQueue)
	if r.State != drafts.StateQueued || r.IdempotencyKey != "stormdesk-reply-r1" || r.Approver != "boris" {
		t.Fatalf("after queue: %+v", r)
	}
	got, err := s.ReplyByID(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Fatalf("stored reply differs:\n got %+v\nwant %+v", got, r)
	}
	if got.DraftText != "Hello, we are checking your delivery." || !got.AIAssisted || !reflect.DeepEqual(got.Citations, []string{"kb-delivery"}) {
		t.Fatalf("fields lost: %+v", got)
	}
	list, err := s.RepliesByConversation(ctx, conv)
	if err != nil || len(list) != 1 || list[0].ID != "r1" {
		t.Fatalf("RepliesByConversation = %v, %v", list, err)
	}

	audit, err := s.ReplyAudit(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range audit {
		actions = append(actions, fmt.Sprintf("%s:%s->%s", e.Action, e.From, e.To))
	}
	want := []string{"create:->draft", "edit:draft->draft", "submit:draft->submitted", "approve:submitted->approved", "queue:approved->queued"}
	if !reflect.DeepEqual(actions, want) {
		t.Fatalf("audit = %v, want %v", actions, want)
	}
	if d := audit[4].Diff; d != "[-Hello,-] {+Hello Jörg,+} we are checking your [-delivery.-] {+delivery today.+}" {
		t.Fatalf("queue diff = %q", d)
	}
	if audit[3].Who != "boris" || audit[3].Role != drafts.RoleApprover || !audit[3].When.Equal(rt0.Add(3*time.Minute)) {
		t.Fatalf("approve entry = %+v", audit[3])
	}

	// The trail is append-only even for someone with SQL access through the store.
	if _, err := s.db.ExecContext(ctx, `UPDATE reply_audit SET actor = 'mallory'`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("update of audit allowed: %v", err)
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM reply_audit`); err == nil {
		t.Fatal("delete of audit allowed")
	}
}

func TestApplyReplyStepErrorsLeaveReplyUnchanged(t *testing.T) {
	s, conv := replyFixture(t)
	ctx := context.Background()
	before := newStoredReply(t, s, "r1", conv, true, drafts.ActionSubmit)
	// Crisis: the author cannot approve their own reply.
	_, err := s.ApplyReplyStep(ctx, "r1", func(r drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
		return drafts.Apply(r, drafts.Actor{Name: "anna", Role: drafts.RoleApprover}, drafts.Step{Action: drafts.ActionApprove}, rt0.Add(time.Hour))
	})
	if !errors.Is(err, drafts.ErrNotAllowed) {
		t.Fatalf("self-approval in crisis: %v", err)
	}
	after, _ := s.ReplyByID(ctx, "r1")
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("failed step changed the reply:\n%+v\n%+v", before, after)
	}
	if audit, _ := s.ReplyAudit(ctx, "r1"); len(audit) != 2 {
		t.Fatalf("failed step left an audit entry: %+v", audit)
	}
	if _, err := s.ReplyByID(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing reply: %v", err)
	}
	r, e, _ := drafts.NewReply("r2", 999, drafts.Draft{Text: "x"}, agent, false, rt0)
	if err := s.CreateReply(ctx, r, e); !errors.Is(err, ErrNotFound) {
		t.Fatalf("reply in a missing conversation: %v", err)
	}
	if err := s.CreateReply(ctx, before, drafts.AuditEntry{ReplyID: "r1", Who: "anna", Role: drafts.RoleAgent, Action: drafts.ActionCreate, To: drafts.StateDraft}); err == nil {
		t.Fatal("duplicate reply id accepted")
	}
}

func TestConcurrentApprovalsExactlyOneWins(t *testing.T) {
	s, conv := replyFixture(t)
	ctx := context.Background()
	newStoredReply(t, s, "r1", conv, false, drafts.ActionSubmit)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			who := drafts.Actor{Name: fmt.Sprintf("approver-%d", i), Role: drafts.RoleApprover}
			_, errs[i] = s.ApplyReplyStep(ctx, "r1", func(r drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
				return drafts.Apply(r, who, drafts.Step{Action: drafts.ActionApprove}, rt0.Add(time.Hour))
			})
		}()
	}
	close(start)
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, drafts.ErrInvalidTransition) || errors.Is(err, ErrConflict):
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d approvals won, want exactly 1 (errors %v)", wins, errs)
	}
	audit, _ := s.ReplyAudit(ctx, "r1")
	approvals := 0
	for _, e := range audit {
		if e.Action == drafts.ActionApprove {
			approvals++
		}
	}
	if approvals != 1 {
		t.Fatalf("%d approve entries in the audit", approvals)
	}
}

func TestOutboxBookkeeping(t *testing.T) {
	s, conv := replyFixture(t)
	ctx := context.Background()
	newStoredReply(t, s, "draft", conv, false)
	newStoredReply(t, s, "approved", conv, false, drafts.ActionSubmit, drafts.ActionApprove)
	q := newStoredReply(t, s, "queued", conv, false, drafts.ActionSubmit, drafts.ActionApprove, drafts.ActionQueue)
	queuedAt := rt0.Add(3 * time.Minute)

	if due, err := s.DueOutbox(ctx, queuedAt.Add(-time.Second), 10); err != nil || len(due) != 0 {
		t.Fatalf("due before queue time: %v %v", due, err)
	}
	due, err := s.DueOutbox(ctx, queuedAt, 10)
	if err != nil || len(due) != 1 {
		t.Fatalf("due = %+v, %v", due, err)
	}
	e := due[0]
	if e.Reply.ID != "queued" || e.ThreadKey != "status:m1" || e.InReplyTo != "m1" || e.Kind != inbox.KindComment ||
		e.Channel != inbox.ChannelMastodon || e.Attempts != 0 || e.AttemptOpen || !reflect.DeepEqual(e.Reply, q) {
		t.Fatalf("due entry = %+v", e)
	}

	// Claim: committed, hidden for the lease, and only once.
	if err := s.MarkAttempt(ctx, "queued", 0, queuedAt, 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkAttempt(ctx, "queued", 0, queuedAt, 5*time.Minute); !errors.Is(err, ErrConflict) {
		t.Fatalf("second claim with a stale count: %v", err)
	}
	if err := s.MarkAttempt(ctx, "approved", 0, queuedAt, 5*time.Minute); !errors.Is(err, ErrConflict) {
		t.Fatalf("claim of a reply that is not queued: %v", err)
	}
	if due, _ := s.DueOutbox(ctx, queuedAt.Add(4*time.Minute), 10); len(due) != 0 {
		t.Fatalf("claimed reply visible during its lease: %+v", due)
	}
	due, _ = s.DueOutbox(ctx, queuedAt.Add(5*time.Minute), 10)
	if len(due) != 1 || !due[0].AttemptOpen || due[0].Attempts != 1 || !due[0].LastAttemptAt.Equal(queuedAt) {
		t.Fatalf("after an expired lease: %+v", due)
	}

	// Reschedule closes the attempt and sets the next time.
	retryAt := queuedAt.Add(10 * time.Minute)
	if err := s.Reschedule(ctx, "queued", retryAt, "rate limited"); err != nil {
		t.Fatal(err)
	}
	due, _ = s.DueOutbox(ctx, retryAt, 10)
	if len(due) != 1 || due[0].AttemptOpen || due[0].LastError != "rate limited" || !due[0].NextAttemptAt.Equal(retryAt) {
		t.Fatalf("after reschedule: %+v", due)
	}

	// MarkSent with a step that does not end in sent is refused.
	bad := func(r drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
		return drafts.Apply(r, outboxA, drafts.Step{Action: drafts.ActionFail, Reason: "x"}, retryAt)
	}
	if err := s.MarkSent(ctx, "queued", retryAt, nil, bad); err == nil {
		t.Fatal("MarkSent accepted a step ending in failed")
	}
	sentAt := retryAt.Add(time.Second)
	out := &inbox.Item{ExternalID: "m-out", ThreadKey: "status:m1", Kind: inbox.KindComment, Direction: inbox.DirectionOut,
		Text: q.Text, SentAt: sentAt}
	err = s.MarkSent(ctx, "queued", sentAt, out, func(r drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
		return drafts.Apply(r, outboxA, drafts.Step{Action: drafts.ActionSent, ExternalID: "m-out"}, sentAt)
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := s.ReplyByID(ctx, "queued")
	if got.State != drafts.StateSent || got.ExternalID != "m-out" {
		t.Fatalf("after MarkSent: %+v", got)
	}
	thread, err := s.Thread(ctx, conv)
	if err != nil || len(thread) != 2 || thread[1].ExternalID != "m-out" || thread[1].Direction != inbox.DirectionOut {
		t.Fatalf("thread after send: %+v %v", thread, err)
	}
	if due, _ := s.DueOutbox(ctx, sentAt.Add(time.Hour), 10); len(due) != 0 {
		t.Fatalf("sent reply still due: %+v", due)
	}
	if err := s.Reschedule(ctx, "queued", sentAt, "x"); !errors.Is(err, ErrConflict) {
		t.Fatalf("reschedule of a sent reply: %v", err)
	}

	// MarkFailed and a person's retry make it due again with the attempt closed.
	f := newStoredReply(t, s, "f", conv, false, drafts.ActionSubmit, drafts.ActionApprove, drafts.ActionQueue)
	if err := s.MarkAttempt(ctx, "f", 0, queuedAt, time.Minute); err != nil {
		t.Fatal(err)
	}
	err = s.MarkFailed(ctx, "f", func(r drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
		return drafts.Apply(r, outboxA, drafts.Step{Action: drafts.ActionFail, Reason: "mastodon error 422: too long"}, queuedAt)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ReplyByID(ctx, "f"); got.State != drafts.StateFailed || got.FailReason != "mastodon error 422: too long" || got.IdempotencyKey != f.IdempotencyKey {
		t.Fatalf("after MarkFailed: %+v", got)
	}
	retried := rt0.Add(2 * time.Hour)
	if _, err := s.ApplyReplyStep(ctx, "f", func(r drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
		return drafts.Apply(r, agent, drafts.Step{Action: drafts.ActionRetry}, retried)
	}); err != nil {
		t.Fatal(err)
	}
	due, _ = s.DueOutbox(ctx, retried, 10)
	if len(due) != 1 || due[0].Reply.ID != "f" || due[0].AttemptOpen || due[0].Reply.IdempotencyKey != "stormdesk-reply-f" {
		t.Fatalf("after retry: %+v", due)
	}
}

func TestReplyPromptLog(t *testing.T) {
	s, conv := replyFixture(t)
	ctx := context.Background()
	newStoredReply(t, s, "r1", conv, false)
	p := ReplyPrompt{ReplyID: "r1", Model: "llama3", Prompt: []drafts.ChatMessage{{Role: "system", Content: "be kind"}, {Role: "user", Content: "<thread>…"}},
		Usage: drafts.Usage{PromptTokens: 10, CompletionTokens: 5, TotalTokens: 15}, FinishReason: "stop", CreatedAt: rt0}
	if err := s.LogReplyPrompt(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := s.ReplyPrompts(ctx, "r1")
	if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], p) {
		t.Fatalf("prompts = %+v, %v", got, err)
	}
	if err := s.LogReplyPrompt(ctx, ReplyPrompt{ReplyID: "missing", CreatedAt: rt0}); err == nil {
		t.Fatal("prompt for a missing reply accepted")
	}
}

func TestKBAndCanned(t *testing.T) {
	s, _ := replyFixture(t)
	ctx := context.Background()
	entries := []drafts.KBEntry{
		{ID: "kb1", Title: "Delivery delays", Text: "Parcels ship within 5 days.", Lang: "en", Brand: "Acme"},
		{ID: "kb2", Title: "Ausfall", Text: "Wir arbeiten daran.", Lang: "de"},
		{ID: "kb3", Title: "Other brand", Text: "Not ours.", Brand: "Globex"},
	}
	for _, e := range entries {
		if err := s.PutKBEntry(ctx, e, rt0); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutKBEntry(ctx, drafts.KBEntry{ID: "kb4", Title: " "}, rt0); err == nil {
		t.Fatal("entry without title accepted")
	}
	got, err := s.KBEntries(ctx, "Acme")
	if err != nil || !reflect.DeepEqual(got, []drafts.KBEntry{entries[1], entries[0]}) {
		t.Fatalf("KB for Acme = %+v, %v", got, err)
	}
	entries[0].Text = "Parcels ship within 3 days."
	if err := s.PutKBEntry(ctx, entries[0], rt0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.KBEntries(ctx, ""); len(got) != 3 || got[1].Text != "Parcels ship within 3 days." {
		t.Fatalf("all KB after update = %+v", got)
	}
	if err := s.DeleteKBEntry(ctx, "kb3"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteKBEntry(ctx, "kb3"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}

	c := drafts.Canned{ID: "c1", Title: "Refund policy", Lang: "en", Body: "Hi {{customer}}, refunds take 5 days.", Tags: []string{"billing", "refund"}}
	if err := s.PutCanned(ctx, c, rt0); err != nil {
		t.Fatal(err)
	}
	if err := s.PutCanned(ctx, drafts.Canned{ID: "c2", Title: "Thanks", Body: "Thank you!"}, rt0); err != nil {
		t.Fatal(err)
	}
	list, err := s.CannedReplies(ctx)
	if err != nil || len(list) != 2 || !reflect.DeepEqual(list[0], c) || list[1].Tags == nil || len(list[1].Tags) != 0 {
		t.Fatalf("canned = %+v, %v", list, err)
	}
	if hits := drafts.Search(list, "rfnd"); len(hits) != 1 || hits[0].ID != "c1" {
		t.Fatalf("search over stored canned replies = %+v", hits)
	}
	if err := s.DeleteCanned(ctx, "c2"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteCanned(ctx, "c2"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}
