package drafts_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/channels/imap"
	"github.com/stormdesk/stormdesk/backend/channels/mastodon"
	"github.com/stormdesk/stormdesk/backend/channels/mastodon/mastodonfake"
	"github.com/stormdesk/stormdesk/backend/channels/telegram"
	"github.com/stormdesk/stormdesk/backend/channels/telegram/telegramfake"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/testutil/dovecot"
)

const (
	mastoToken = "outbox-test-token"
	inboundID  = "110000000000000101"
)

var (
	ot0      = time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)
	agentA   = drafts.Actor{Name: "anna", Role: drafts.RoleAgent}
	approveB = drafts.Actor{Name: "boris", Role: drafts.RoleApprover}
	quiet    = slog.New(slog.DiscardHandler)
)

// inboundStatus is a public mention by a remote account, in Mastodon's Status shape.
const inboundStatus = `[{"id": "` + inboundID + `", "created_at": "2026-04-01T09:00:00.000Z", "in_reply_to_id": null,
 "in_reply_to_account_id": null, "visibility": "public", "spoiler_text": "", "language": "en",
 "content": "<p>@acme where is my parcel?</p>", "url": "https://mastodon.example/@jorg/` + inboundID + `",
 "account": {"id": "201", "username": "jorg", "acct": "jorg@social.example", "display_name": "Jörg", "followers_count": 350},
 "media_attachments": []}]`

// adapter makes *store.Store an OutboxStore; the store's row type is drafts.OutboxItem.
var _ drafts.OutboxStore = (*store.Store)(nil)

type env struct {
	st      *store.Store
	path    string
	account int64
	conv    int64
}

// newEnv opens a store with one account of channel ch and one conversation
// (thread, inbound message ext).
func newEnv(t *testing.T, ch inbox.ChannelKind, thread, ext string) *env {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "stormdesk.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a, err := st.EnsureAccount(ctx, inbox.Account{Name: "acme-" + string(ch), Channel: ch, Brand: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	kind := inbox.KindComment
	if ch == inbox.ChannelTelegram {
		kind = inbox.KindDM
	}
	in := inbox.Item{ExternalID: ext, ThreadKey: thread, Kind: kind, Direction: inbox.DirectionIn,
		Author: inbox.Author{ExternalID: "201", Handle: "jorg"}, Text: "where is my parcel?", SentAt: ot0.Add(-time.Hour)}
	if _, err := st.SaveItems(ctx, a.ID, []inbox.Item{in}); err != nil {
		t.Fatal(err)
	}
	conv, err := st.ConversationIDByThreadKey(ctx, a.ID, thread)
	if err != nil {
		t.Fatal(err)
	}
	return &env{st: st, path: path, account: a.ID, conv: conv}
}

// reply creates a reply and walks it through actions; edit changes the text
// so the sent audit entry carries a diff.
func (e *env) reply(t *testing.T, id, text string, actions ...drafts.Action) {
	t.Helper()
	ctx := context.Background()
	r, a, err := drafts.NewReply(id, e.conv, drafts.Draft{Text: text, Lang: "en", Source: drafts.SourceLLM}, agentA, false, ot0)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.CreateReply(ctx, r, a); err != nil {
		t.Fatal(err)
	}
	for i, act := range actions {
		who := agentA
		if act == drafts.ActionApprove || act == drafts.ActionReject {
			who = approveB
		}
		s := drafts.Step{Action: act, Comment: "tone"}
		if act == drafts.ActionEdit {
			s.Text = text + " Sorry for the wait."
		}
		at := ot0.Add(time.Duration(i+1) * time.Second)
		if _, err := e.st.ApplyReplyStep(ctx, id, func(r drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
			return drafts.Apply(r, who, s, at)
		}); err != nil {
			t.Fatalf("%s %s: %v", id, act, err)
		}
	}
}

func (e *env) get(t *testing.T, id string) drafts.Reply {
	t.Helper()
	r, err := e.st.ReplyByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var sendable = []drafts.Action{drafts.ActionEdit, drafts.ActionSubmit, drafts.ActionApprove, drafts.ActionQueue}

func mastodonSetup(t *testing.T) (*mastodonfake.Server, *mastodon.Connector) {
	t.Helper()
	fake := mastodonfake.New(mastoToken)
	t.Cleanup(fake.Close)
	if err := fake.AddStatuses([]byte(inboundStatus)); err != nil {
		t.Fatal(err)
	}
	// One attempt per call: the outbox, not the client, owns retries here.
	c := channeltest.New(t, mastodon.New, mastodon.Config{BaseURL: fake.URL, Token: mastoToken, HTTPClient: fake.Client(),
		Retry: channels.Retry{Attempts: 1}, Logger: quiet})
	return fake, c
}

func only(c channels.Connector) func(int64) (channels.Connector, error) {
	return func(int64) (channels.Connector, error) { return c, nil }
}

// queuedAt is when sendable's queue step happened; the reply is due from then.
var queuedAt = ot0.Add(4 * time.Second)

func TestOutboxSendsApprovedReplyOnce(t *testing.T) {
	e := newEnv(t, inbox.ChannelMastodon, "status:"+inboundID, inboundID)
	fake, conn := mastodonSetup(t)
	e.reply(t, "r1", "We are on it.", sendable...)
	ob := drafts.NewOutbox(e.st, only(conn), quiet)

	sent, failed, err := ob.RunOnce(t.Context(), queuedAt)
	if err != nil || sent != 1 || failed != 0 {
		t.Fatalf("RunOnce = %d sent, %d failed, %v", sent, failed, err)
	}
	posted := fake.Posted()
	if len(posted) != 1 {
		t.Fatalf("posted %d statuses, want 1", len(posted))
	}
	p := posted[0]
	if p.IdempotencyKey != "stormdesk-reply-r1" || p.InReplyToID != inboundID ||
		p.Status != "@jorg@social.example We are on it. Sorry for the wait." {
		t.Fatalf("posted %+v", p)
	}
	r := e.get(t, "r1")
	if r.State != drafts.StateSent || r.ExternalID != p.ID {
		t.Fatalf("reply after send: %+v", r)
	}
	audit, err := e.st.ReplyAudit(t.Context(), "r1")
	if err != nil {
		t.Fatal(err)
	}
	last := audit[len(audit)-1]
	if last.Action != drafts.ActionSent || last.Who != "outbox" || last.Role != drafts.RoleSystem ||
		last.Diff != "We are on it. {+Sorry for the wait.+}" {
		t.Fatalf("sent audit entry = %+v", last)
	}
	thread, err := e.st.Thread(t.Context(), e.conv)
	if err != nil || len(thread) != 2 || thread[1].ExternalID != p.ID || thread[1].Direction != inbox.DirectionOut {
		t.Fatalf("thread = %+v, %v", thread, err)
	}
	// Nothing is due any more, however late it gets.
	sent, failed, err = ob.RunOnce(t.Context(), queuedAt.Add(24*time.Hour))
	if err != nil || sent != 0 || failed != 0 || len(fake.Posted()) != 1 {
		t.Fatalf("second pass: %d sent, %d failed, %v, %d posted", sent, failed, err, len(fake.Posted()))
	}
}

func TestOutboxNeverSendsUnapproved(t *testing.T) {
	e := newEnv(t, inbox.ChannelMastodon, "status:"+inboundID, inboundID)
	fake, conn := mastodonSetup(t)
	e.reply(t, "draft", "a")
	e.reply(t, "submitted", "b", drafts.ActionSubmit)
	e.reply(t, "approved", "c", drafts.ActionSubmit, drafts.ActionApprove)
	e.reply(t, "rejected", "d", drafts.ActionSubmit, drafts.ActionReject)
	ob := drafts.NewOutbox(e.st, only(conn), quiet)
	if sent, failed, err := ob.RunOnce(t.Context(), ot0.Add(48*time.Hour)); sent+failed != 0 || err != nil {
		t.Fatalf("RunOnce = %d, %d, %v", sent, failed, err)
	}
	// Even if a store handed over a reply that is not queued, it is not sent.
	r := e.get(t, "approved")
	bad := &listStore{Store: e.st, items: []drafts.OutboxItem{{Reply: r, AccountID: e.account, ThreadKey: "status:" + inboundID}}}
	r.State = drafts.StateQueued // queued but never approved nor keyed
	r.Approver = ""
	bad.items = append(bad.items, drafts.OutboxItem{Reply: r, AccountID: e.account, ThreadKey: "status:" + inboundID})
	if sent, _, _ := drafts.NewOutbox(bad, only(conn), quiet).RunOnce(t.Context(), ot0.Add(48*time.Hour)); sent != 0 {
		t.Fatalf("sent %d", sent)
	}
	if n := len(fake.Calls("/api/v1/statuses")); n != 0 {
		t.Fatalf("%d status posts for unapproved replies", n)
	}
}

// listStore hands the outbox a fixed work list and grants every claim, so
// only the outbox's own check stands between those items and the platform.
type listStore struct {
	*store.Store
	items []drafts.OutboxItem
}

func (l *listStore) MarkAttempt(context.Context, string, int, time.Time, time.Duration) error {
	return nil
}

func (l *listStore) ClaimOutbox(context.Context, time.Time, int, time.Duration) ([]drafts.OutboxItem, error) {
	return l.items, nil
}

// crashingStore loses the bookkeeping after a successful send, as a crash
// between the platform's answer and the commit would.
type crashingStore struct{ *store.Store }

func (crashingStore) MarkSent(context.Context, string, time.Time, *inbox.Item, func(drafts.Reply) (drafts.Reply, drafts.AuditEntry, error)) error {
	return errors.New("simulated crash before the outcome was recorded")
}

func TestOutboxCrashAfterSendMastodonResendsWithSameKey(t *testing.T) {
	e := newEnv(t, inbox.ChannelMastodon, "status:"+inboundID, inboundID)
	fake, conn := mastodonSetup(t)
	e.reply(t, "r1", "We are on it.", sendable...)

	ob := drafts.NewOutbox(crashingStore{e.st}, only(conn), quiet)
	if sent, _, _ := ob.RunOnce(t.Context(), queuedAt); sent != 0 {
		t.Fatalf("crashing store reported %d sent", sent)
	}
	if len(fake.Posted()) != 1 || e.get(t, "r1").State != drafts.StateQueued {
		t.Fatalf("after crash: %d posted, state %s", len(fake.Posted()), e.get(t, "r1").State)
	}
	// Restart: a new store handle and a new worker on the same file.
	st2, err := store.Open(t.Context(), e.path)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	ob2 := drafts.NewOutbox(st2, only(conn), quiet)
	if sent, _, _ := ob2.RunOnce(t.Context(), queuedAt.Add(time.Minute)); sent != 0 {
		t.Fatal("claimed reply was retried inside its lease")
	}
	sent, failed, err := ob2.RunOnce(t.Context(), queuedAt.Add(ob2.Lease))
	if err != nil || sent != 1 || failed != 0 {
		t.Fatalf("after restart: %d sent, %d failed, %v", sent, failed, err)
	}
	posts := fake.Calls("/api/v1/statuses")
	if len(posts) != 2 || posts[0].Header.Get("Idempotency-Key") != posts[1].Header.Get("Idempotency-Key") {
		t.Fatalf("want two POSTs with one key, got %d", len(posts))
	}
	if n := len(fake.Posted()); n != 1 {
		t.Fatalf("the fake created %d statuses, want exactly 1", n)
	}
	if r := e.get(t, "r1"); r.State != drafts.StateSent || r.ExternalID != fake.Posted()[0].ID {
		t.Fatalf("after recovery: %+v", r)
	}
}

func TestOutboxCrashAfterSendPastKeyWindowFails(t *testing.T) {
	e := newEnv(t, inbox.ChannelMastodon, "status:"+inboundID, inboundID)
	fake, conn := mastodonSetup(t)
	e.reply(t, "r1", "We are on it.", sendable...)
	drafts.NewOutbox(crashingStore{e.st}, only(conn), quiet).RunOnce(t.Context(), queuedAt)
	ob := drafts.NewOutbox(e.st, only(conn), quiet)
	// The app was off for two hours: Mastodon no longer remembers the key.
	sent, failed, err := ob.RunOnce(t.Context(), queuedAt.Add(2*time.Hour))
	if err != nil || sent != 0 || failed != 1 {
		t.Fatalf("%d sent, %d failed, %v", sent, failed, err)
	}
	if r := e.get(t, "r1"); r.State != drafts.StateFailed || r.FailReason != drafts.ReasonOutcomeUnknown {
		t.Fatalf("reply = %+v", r)
	}
	if n := len(fake.Calls("/api/v1/statuses")); n != 1 {
		t.Fatalf("%d POSTs, want the original only", n)
	}
}

func TestOutboxCrashAfterSendTelegramDoesNotResend(t *testing.T) {
	const chat = 4242
	e := newEnv(t, inbox.ChannelTelegram, fmt.Sprintf("chat:%d", chat), fmt.Sprintf("%d:7", chat))
	fake := telegramfake.New("tg-token")
	t.Cleanup(fake.Close)
	fake.AddMessage(chat, 7, ot0.Add(-time.Hour))
	conn := channeltest.New(t, telegram.New, telegram.Config{Token: "tg-token", BaseURL: fake.URL, HTTPClient: fake.Client(), Logger: quiet})
	e.reply(t, "r1", "We are on it.", sendable...)

	drafts.NewOutbox(crashingStore{e.st}, only(conn), quiet).RunOnce(t.Context(), queuedAt)
	if n := len(fake.Sent()); n != 1 {
		t.Fatalf("first attempt sent %d messages", n)
	}
	ob := drafts.NewOutbox(e.st, only(conn), quiet)
	sent, failed, err := ob.RunOnce(t.Context(), queuedAt.Add(ob.Lease))
	if err != nil || sent != 0 || failed != 1 {
		t.Fatalf("%d sent, %d failed, %v", sent, failed, err)
	}
	if n := len(fake.Sent()); n != 1 {
		t.Fatalf("Telegram got %d messages, want 1", n)
	}
	r := e.get(t, "r1")
	if r.State != drafts.StateFailed || r.FailReason != drafts.ReasonOutcomeUnknown {
		t.Fatalf("reply = %+v", r)
	}
	audit, _ := e.st.ReplyAudit(t.Context(), "r1")
	if last := audit[len(audit)-1]; last.Action != drafts.ActionFail || last.Comment != drafts.ReasonOutcomeUnknown {
		t.Fatalf("last audit entry = %+v", last)
	}
}

func TestOutboxRateLimitThenSuccess(t *testing.T) {
	e := newEnv(t, inbox.ChannelMastodon, "status:"+inboundID, inboundID)
	fake, conn := mastodonSetup(t)
	fake.RateLimit("/api/v1/statuses", 1, 90*time.Second, true)
	e.reply(t, "r1", "We are on it.", sendable...)
	ob := drafts.NewOutbox(e.st, only(conn), quiet)

	sent, failed, err := ob.RunOnce(t.Context(), queuedAt)
	if err != nil || sent != 0 || failed != 0 {
		t.Fatalf("first pass: %d sent, %d failed, %v", sent, failed, err)
	}
	due, err := e.st.DueOutbox(t.Context(), queuedAt.Add(time.Hour), 10)
	if err != nil || len(due) != 1 {
		t.Fatal(due, err)
	}
	if d := due[0]; !d.NextAttemptAt.Equal(queuedAt.Add(90*time.Second)) || d.AttemptOpen || d.Attempts != 1 ||
		!strings.Contains(d.LastError, "rate limited") {
		t.Fatalf("after 429: %+v", d)
	}
	// Not before the platform's Retry-After.
	if sent, _, _ := ob.RunOnce(t.Context(), queuedAt.Add(89*time.Second)); sent != 0 || len(fake.Calls("/api/v1/statuses")) != 1 {
		t.Fatal("retried before Retry-After")
	}
	sent, failed, err = ob.RunOnce(t.Context(), queuedAt.Add(90*time.Second))
	if err != nil || sent != 1 || failed != 0 || len(fake.Posted()) != 1 {
		t.Fatalf("second pass: %d sent, %d failed, %v, %d posted", sent, failed, err, len(fake.Posted()))
	}
}

func TestOutboxPermanentErrorFailsWithReason(t *testing.T) {
	e := newEnv(t, inbox.ChannelMastodon, "status:"+inboundID, inboundID)
	fake, conn := mastodonSetup(t)
	fake.RevokeToken()
	e.reply(t, "r1", "We are on it.", sendable...)
	ob := drafts.NewOutbox(e.st, only(conn), quiet)
	var heard []string
	ob.OnFailed = func(_ context.Context, it drafts.OutboxItem, reason string) {
		heard = append(heard, it.Reply.ID+": "+reason)
	}
	ob.OnSent = func(context.Context, drafts.OutboxItem, time.Time) { t.Error("OnSent for a failed reply") }
	sent, failed, err := ob.RunOnce(t.Context(), queuedAt)
	if err != nil || sent != 0 || failed != 1 {
		t.Fatalf("%d sent, %d failed, %v", sent, failed, err)
	}
	r := e.get(t, "r1")
	if r.State != drafts.StateFailed || !strings.Contains(r.FailReason, "The access token is invalid") {
		t.Fatalf("reply = %+v", r)
	}
	if len(heard) != 1 || heard[0] != "r1: "+r.FailReason {
		t.Fatalf("OnFailed heard %q, want once with the recorded reason", heard)
	}
	// Failed stays failed until a person retries; then it goes out.
	if sent, _, _ := ob.RunOnce(t.Context(), queuedAt.Add(time.Hour)); sent != 0 {
		t.Fatal("failed reply was resent without a person's retry")
	}
}

func TestOutboxGivesUpAfterMaxAttempts(t *testing.T) {
	e := newEnv(t, inbox.ChannelMastodon, "status:"+inboundID, inboundID)
	fake, conn := mastodonSetup(t)
	fake.ServiceUnavailable("/api/v1/statuses", 10)
	e.reply(t, "r1", "We are on it.", sendable...)
	ob := drafts.NewOutbox(e.st, only(conn), quiet)
	ob.MaxAttempts = 3
	now := queuedAt
	var waits []time.Duration
	for range 3 {
		if _, _, err := ob.RunOnce(t.Context(), now); err != nil {
			t.Fatal(err)
		}
		due, _ := e.st.DueOutbox(t.Context(), now.Add(24*time.Hour), 1)
		if len(due) == 0 {
			break
		}
		waits = append(waits, due[0].NextAttemptAt.Sub(now))
		now = due[0].NextAttemptAt
	}
	if len(waits) != 2 || waits[0] != 30*time.Second || waits[1] != time.Minute {
		t.Fatalf("backoff waits = %v, want [30s 1m0s]", waits)
	}
	r := e.get(t, "r1")
	if r.State != drafts.StateFailed || !strings.HasPrefix(r.FailReason, "gave up after 3 attempts") {
		t.Fatalf("reply = %+v", r)
	}
	if n := len(fake.Calls("/api/v1/statuses")); n != 3 {
		t.Fatalf("%d POSTs, want 3", n)
	}
}

// sink is an in-process SMTP server counting the messages it accepts.
type sink struct {
	mu   sync.Mutex
	msgs [][]byte
}

func (k *sink) count() int { k.mu.Lock(); defer k.mu.Unlock(); return len(k.msgs) }

type sinkSession struct{ k *sink }

func (sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (sinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.k.mu.Lock()
	s.k.msgs = append(s.k.msgs, b)
	s.k.mu.Unlock()
	return nil
}
func (sinkSession) Reset()        {}
func (sinkSession) Logout() error { return nil }

func startSink(t *testing.T) (*sink, int) {
	t.Helper()
	k := &sink{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return sinkSession{k}, nil }))
	srv.Domain = "localhost"
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return k, l.Addr().(*net.TCPAddr).Port
}

// A mail reply whose bookkeeping was lost after the send is found in Sent
// (Message-ID derived from the idempotency key) and recorded, not resent.
func TestOutboxCrashAfterSendMailFoundInSent(t *testing.T) {
	dovecot.Require(t)
	srv := dovecot.New(t)
	srv.WriteMessages("INBOX", []byte("From: Olga <olga@example.test>\r\nTo: support@example.test\r\n"+
		"Subject: Parcel\r\nMessage-ID: <orig-1@example.test>\r\nDate: Wed, 01 Apr 2026 09:00:00 +0000\r\n\r\nWhere is my parcel?\r\n"))
	srv.Start()
	k, port := startSink(t)
	conn, err := imap.New(imap.Config{Name: "acme-mail", Host: srv.Host, Port: srv.Port, TLS: imap.TLSPlain,
		Username: srv.User, Password: srv.Password, From: "Acme Support <support@example.test>", TLSConfig: srv.TLSConfig(),
		SMTP: imap.SMTPConfig{Host: "127.0.0.1", Port: port, TLS: imap.TLSPlain}, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })

	e := newEnv(t, inbox.ChannelMail, "orig-1@example.test", "orig-1@example.test")
	e.reply(t, "r1", "Your parcel left our warehouse today.", sendable...)
	drafts.NewOutbox(crashingStore{e.st}, only(conn), quiet).RunOnce(t.Context(), queuedAt)
	if k.count() != 1 || srv.Count("Sent") != 1 {
		t.Fatalf("first attempt: sink %d, Sent %d", k.count(), srv.Count("Sent"))
	}

	ob := drafts.NewOutbox(e.st, only(conn), quiet)
	sent, failed, err := ob.RunOnce(t.Context(), queuedAt.Add(ob.Lease))
	if err != nil || sent != 1 || failed != 0 {
		t.Fatalf("after restart: %d sent, %d failed, %v", sent, failed, err)
	}
	if k.count() != 1 || srv.Count("Sent") != 1 {
		t.Fatalf("mail sent twice: sink %d, Sent %d", k.count(), srv.Count("Sent"))
	}
	r := e.get(t, "r1")
	if r.State != drafts.StateSent || r.ExternalID != conn.MessageIDFor("stormdesk-reply-r1") {
		t.Fatalf("reply = %+v", r)
	}
	// The adapter on its own: a key never sent is not found.
	if _, ok, err := (drafts.MailSentChecker{Mail: conn}).WasSent(t.Context(), channels.Reply{IdempotencyKey: "stormdesk-reply-other"}); ok || err != nil {
		t.Fatalf("WasSent(other) = %v, %v", ok, err)
	}
}

func TestOutboxRunSendsAndStopsOnCancel(t *testing.T) {
	e := newEnv(t, inbox.ChannelMastodon, "status:"+inboundID, inboundID)
	fake, conn := mastodonSetup(t)
	e.reply(t, "r1", "We are on it.", sendable...) // queued in the past: due at once
	ob := drafts.NewOutbox(e.st, only(conn), quiet)
	ob.Interval = time.Hour // only the first pass and Wake may send
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- ob.Run(ctx) }()
	ob.Wake()
	deadline := time.After(10 * time.Second)
	for e.get(t, "r1").State != drafts.StateSent {
		select {
		case <-deadline:
			t.Fatal("Run did not send the due reply")
		case <-time.After(5 * time.Millisecond):
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v", err)
	}
	if n := len(fake.Posted()); n != 1 {
		t.Fatalf("posted %d", n)
	}
}

func TestOutboxHoldsReplyWhenConversationMovedOn(t *testing.T) {
	e := newEnv(t, inbox.ChannelMastodon, "status:"+inboundID, inboundID)
	fake, conn := mastodonSetup(t)
	e.reply(t, "r1", "We are on it.", sendable...)
	// The customer writes again after the approval.
	if err := fake.AddStatuses([]byte(strings.ReplaceAll(strings.ReplaceAll(inboundStatus, inboundID+`"`, `110000000000000102"`),
		`"in_reply_to_id": null`, `"in_reply_to_id": "`+inboundID+`"`))); err != nil {
		t.Fatal(err)
	}
	more := inbox.Item{ExternalID: "110000000000000102", ThreadKey: "status:" + inboundID, Kind: inbox.KindComment,
		Direction: inbox.DirectionIn, Author: inbox.Author{ExternalID: "201"}, Text: "never mind, it arrived", SentAt: ot0.Add(time.Minute)}
	if _, err := e.st.SaveItems(t.Context(), e.account, []inbox.Item{more}); err != nil {
		t.Fatal(err)
	}
	ob := drafts.NewOutbox(e.st, only(conn), quiet)
	sent, failed, err := ob.RunOnce(t.Context(), ot0.Add(2*time.Minute))
	if err != nil || sent != 0 || failed != 1 || len(fake.Calls("/api/v1/statuses")) != 0 {
		t.Fatalf("%d sent, %d failed, %v", sent, failed, err)
	}
	if r := e.get(t, "r1"); r.State != drafts.StateFailed || r.FailReason != drafts.ReasonChanged {
		t.Fatalf("reply = %+v", r)
	}
	// A person reviews and retries: it goes out.
	if _, err := e.st.ApplyReplyStep(t.Context(), "r1", func(r drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
		return drafts.Apply(r, agentA, drafts.Step{Action: drafts.ActionRetry}, ot0.Add(3*time.Minute))
	}); err != nil {
		t.Fatal(err)
	}
	sent, failed, err = ob.RunOnce(t.Context(), ot0.Add(3*time.Minute))
	if err != nil || sent != 1 || len(fake.Posted()) != 1 {
		t.Fatalf("after retry: %d sent, %d failed, %v (%s)", sent, failed, err, e.get(t, "r1").FailReason)
	}
	if p := fake.Posted()[0]; p.InReplyToID != "110000000000000102" {
		t.Fatalf("answered %s, want the newest inbound status", p.InReplyToID)
	}
}
