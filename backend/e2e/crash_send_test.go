//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/stormdesk/stormdesk/backend/channels/mastodon/mastodonfake"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/testutil/dovecot"
	"github.com/stormdesk/stormdesk/backend/testutil/smtptest"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

const (
	crashSeed         = 20261202 // fixed, so a failing run can be replayed with the same kill delays
	crashMastodon     = 40
	crashMail         = 20
	crashMinKills     = 30
	crashMaxKills     = 40
	crashLease        = time.Second // one sender at a time, so a short lease is safe
	crashMastodonAcct = "crash-mastodon"
	crashMailAcct     = "crash-mail"
	crashToken        = "crash-mastodon-token"
	// mailUnknown is what the mail connector answers when it finds its own
	// copy in Sent still marked as sending: the last run died mid-send.
	mailUnknown = "outcome of an earlier send is unknown"
)

// TestOutboxSendsExactlyOnceAcrossSIGKILL sends 40 approved Mastodon replies
// (through the Mastodon fake) and 20 approved mail replies (SMTP to a server in
// this process, the copy in Sent on a real Dovecot) with `stormdesk outbox run`,
// killing the process with SIGKILL at random points at least 30 times. Both
// servers stall each send by 0–50 ms, half before and half after accepting it,
// so kills land before a claim, between claim and send, between the platform's
// acceptance and the local commit, and after it.
//
// Afterwards every Mastodon reply is sent and posted exactly once (a resend
// after a crash carries the same Idempotency-Key and the fake answers with the
// status it already has). A mail reply killed before the SMTP hand-off is
// resent safely (its Sent copy has no hand-off mark); one killed inside the
// hand-off is, by design, failed as "outcome unknown" rather than resent; the test checks that each of those has a copy still
// marked as sending and was delivered at most once, then does what the error
// asks of a person (look in the recipient's mailbox: delivered → clear the
// mark, not delivered → delete the copy; then retry). After that every reply
// is sent, delivered once, has one copy in Sent, one "sent" audit entry and
// one outbound message in its conversation.
func TestOutboxSendsExactlyOnceAcrossSIGKILL(t *testing.T) {
	bin := binary(t)
	dovecot.Require(t)
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Fatal("account secrets go to the OS keyring: run inside the Makefile's keyring session (make test-e2e)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	seed := uint64(crashSeed)
	if v := os.Getenv("STORMDESK_CRASH_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("STORMDESK_CRASH_SEED: %v", err)
		}
		seed = n
	}
	rng := newLockedRand(seed)
	t.Logf("seed %d (STORMDESK_CRASH_SEED replays another)", seed)
	began := time.Now()
	db := filepath.Join(t.TempDir(), "crash.db")

	fake, mentions := startMastodonFake(t, crashMastodon)
	proxy := httptest.NewServer(stallingProxy(t, fake.URL, rng))
	t.Cleanup(proxy.Close)

	mbox := dovecot.New(t)
	customers := seedMailbox(mbox, crashMail)
	mbox.Start()
	sink := startStallingSMTP(t, mbox.User, mbox.Password, rng)

	addAccount(t, db, crashMastodonAcct, "mastodon", map[string]any{"baseUrl": proxy.URL}, "token", crashToken)
	addAccount(t, db, crashMailAcct, "mail", map[string]any{
		"host": mbox.Host, "port": mbox.Port, "tls": "plain", "username": mbox.User, "from": "Acme Support <" + mbox.User + ">",
		"smtpHost": "127.0.0.1", "smtpPort": sink.port, "smtpTls": "plain",
	}, "password", mbox.Password)
	for _, acc := range []string{crashMastodonAcct, crashMailAcct} {
		if out, errOut, code := runCLI(t, nil, "sync", "--db", db, "--account", acc); code != 0 {
			t.Fatalf("sync %s: exit %d\n%s%s", acc, code, out, errOut)
		}
	}

	ws, err := workspace.Open(ctx, db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	keyring := secrets.NewKeyring(workspace.KeyringService)
	composer := ws.NewComposer(keyring)
	person := drafts.Actor{Name: "crash-test-agent", Role: drafts.RoleAgent}
	masto := approveAll(ctx, t, ws, composer, person, crashMastodonAcct, crashMastodon)
	mail := approveAll(ctx, t, ws, composer, person, crashMailAcct, crashMail)

	t.Logf("set-up: %d + %d approved replies in %v", len(masto), len(mail), time.Since(began).Round(time.Millisecond))
	began = time.Now()
	runner := &outboxRunner{t: t, bin: bin, db: db}
	// An attempt is identified by its reply and attempt number; one still open
	// after a kill that was not open before it means the kill fell between the
	// claim and the recorded outcome.
	opened := map[string]bool{}
	kills, interrupted := 0, 0
	for kills < crashMinKills || (kills < crashMaxKills && pending(ctx, t, ws) > 0) {
		p := runner.start()
		if kills%4 == 3 {
			// Some kills land while the process is still opening the store.
			time.Sleep(spread(rng, time.Millisecond, 150*time.Millisecond))
		} else {
			if !waitFor(20*time.Second, func() bool { return strings.Contains(p.logs.String(), "outbox running") }) {
				p.kill()
				t.Fatalf("outbox run did not start:\n%s", p.logs.String())
			}
			time.Sleep(spread(rng, 2*time.Millisecond, 400*time.Millisecond))
		}
		p.kill()
		kills++
		fresh := false
		for _, it := range queuedReplies(ctx, t, ws) {
			if k := fmt.Sprintf("%s/%d", it.Reply.ID, it.Attempts); it.AttemptOpen && !opened[k] {
				opened[k], fresh = true, true
			}
		}
		if fresh {
			interrupted++
		}
	}
	t.Logf("%d SIGKILLs in %v, %d of them between a claim and its recorded outcome", kills, time.Since(began).Round(time.Millisecond), interrupted)
	if interrupted == 0 {
		t.Fatal("no kill landed inside a send: the test did not exercise the crash window")
	}

	runner.untilSettled(ctx, ws)
	all := append(append([]string{}, masto...), mail...)
	failed := map[string]drafts.Reply{}
	for _, id := range all {
		r, err := ws.Store.ReplyByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		switch r.State {
		case drafts.StateSent:
		case drafts.StateFailed:
			failed[id] = r
		default:
			t.Errorf("reply %s is %s after the outbox settled", id, r.State)
		}
	}
	for _, id := range masto {
		if r, ok := failed[id]; ok {
			t.Errorf("Mastodon reply %s failed (%s): a keyed resend should have settled it", id, r.FailReason)
		}
	}

	// The person's part: the error says to look in the recipient's mailbox and in Sent.
	messageID := mailMessageIDs(ctx, t, ws, keyring)
	copies := sentCopies(t, mbox)
	delivered := sink.byMessageID()
	uncertainDelivered, uncertainNot := 0, 0
	for _, id := range mail {
		r, ok := failed[id]
		if !ok {
			continue
		}
		mid := messageID(r.IdempotencyKey)
		c := copies[mid]
		if !strings.Contains(r.FailReason, mailUnknown) || c.total != 1 || c.sending != 1 {
			t.Errorf("mail reply %s failed with %q and %d copies in Sent (%d marked sending): only a send cut inside the SMTP hand-off may fail as unknown",
				id, r.FailReason, c.total, c.sending)
			continue
		}
		switch n := len(delivered[mid]); n {
		case 0:
			uncertainNot++
			expungeCopy(t, mbox, mid)
		case 1:
			uncertainDelivered++
			clearSendingMark(t, mbox, mid)
		default:
			t.Errorf("mail reply %s was delivered %d times before it was marked unknown", id, n)
		}
		if _, err := composer.Step(ctx, id, person, drafts.Step{Action: drafts.ActionRetry}); err != nil {
			t.Fatalf("retry %s: %v", id, err)
		}
	}
	t.Logf("mail replies failed as outcome unknown: %d delivered before the kill, %d not delivered", uncertainDelivered, uncertainNot)
	if len(failed) > 0 {
		runner.untilSettled(ctx, ws)
	}

	checkMastodon(ctx, t, ws, fake, masto, mentions)
	checkMail(ctx, t, ws, sink, mbox, mail, customers, messageID)
	if t.Failed() {
		t.Logf("last outbox output:\n%s", runner.lastLogs())
	}
}

// lockedRand is a seeded source shared by the servers' handlers and the kill loop.
type lockedRand struct {
	mu sync.Mutex
	r  *rand.Rand
}

func newLockedRand(seed uint64) *lockedRand {
	return &lockedRand{r: rand.New(rand.NewPCG(seed, seed))}
}

func (l *lockedRand) float() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Float64()
}

// stall is 0–25 ms: a send is held this long before and after its acceptance.
func (l *lockedRand) stall() time.Duration {
	return time.Duration(l.float() * float64(25*time.Millisecond))
}

// spread picks a delay between lo and hi, uniform on a log scale, so short and
// long delays are equally common and kills fall before, during and after sends.
func spread(rng *lockedRand, lo, hi time.Duration) time.Duration {
	l, h := math.Log(float64(lo)), math.Log(float64(hi))
	return time.Duration(math.Exp(l + rng.float()*(h-l)))
}

// startMastodonFake seeds n mentions of the account, each from its own
// customer, and returns the mention ids by customer handle.
func startMastodonFake(t *testing.T, n int) (*mastodonfake.Server, map[string]string) {
	t.Helper()
	fake := mastodonfake.New(crashToken)
	t.Cleanup(fake.Close)
	mentions := map[string]string{}
	var st []map[string]any
	for i := range n {
		id := fmt.Sprintf("1100000000000010%02d", i)
		acct := fmt.Sprintf("customer%02d@social.example", i)
		mentions[acct] = id
		at := time.Now().Add(-10*time.Minute + time.Duration(i)*time.Second)
		c := mastodonfake.Customer{ID: strconv.Itoa(3000 + i), Username: fmt.Sprintf("customer%02d", i), Acct: acct, Name: fmt.Sprintf("Customer %d", i)}
		st = append(st, mastodonfake.Mention(id, c, fmt.Sprintf("@acme order %d has not arrived, where is it?", 4700+i), at))
	}
	data, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	if err := fake.AddStatuses(data); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		fake.Notify("mention", fmt.Sprintf("1100000000000010%02d", i))
	}
	return fake, mentions
}

// stallingProxy forwards to the fake and holds every status post for a random
// while before the fake sees it and again after the fake has stored it, so a
// kill can fall between Mastodon accepting a reply and the app recording it.
func stallingProxy(t *testing.T, target string, rng *lockedRand) http.Handler {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	// A kill cancels the request in flight; the proxy's complaint about it is noise.
	rp.ErrorLog = log.New(io.Discard, "", 0)
	rp.ModifyResponse = func(resp *http.Response) error {
		if resp.Request.Method == http.MethodPost && resp.Request.URL.Path == "/api/v1/statuses" {
			time.Sleep(rng.stall())
		}
		return nil
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/api/v1/statuses" {
			time.Sleep(rng.stall())
		}
		rp.ServeHTTP(w, r)
	})
}

// seedMailbox writes n customer mails, each its own conversation, and returns
// the customers' addresses by the Message-ID of their mail.
func seedMailbox(s *dovecot.Server, n int) map[string]string {
	customers := map[string]string{}
	var raws [][]byte
	for i := range n {
		from := fmt.Sprintf("customer%02d@example.net", i)
		mid := fmt.Sprintf("crash-inbound-%02d@example.net", i)
		customers[mid] = from
		raws = append(raws, []byte(strings.ReplaceAll(fmt.Sprintf(`From: Customer %d <%s>
To: Acme Support <%s>
Subject: Invoice %d is wrong
Date: %s
Message-ID: <%s>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Hello, invoice %d charges me twice. Please fix it.
`, i, from, s.User, 9100+i, time.Now().Add(-time.Hour+time.Duration(i)*time.Minute).Format(time.RFC1123Z), mid, 9100+i), "\n", "\r\n")))
	}
	s.WriteMessages("INBOX", raws...)
	return customers
}

// smtpSink is the customers' mail server: it records every message it accepts.
type smtpSink struct {
	port int
	rng  *lockedRand
	mu   sync.Mutex
	msgs []sinkMessage
}

type sinkMessage struct {
	to        []string
	messageID string
	data      []byte
}

func (s *smtpSink) byMessageID() map[string][]sinkMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]sinkMessage{}
	for _, m := range s.msgs {
		out[m.messageID] = append(out[m.messageID], m)
	}
	return out
}

func (s *smtpSink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.msgs)
}

type sinkSession struct {
	sink       *smtpSink
	user, pass string
	authed     bool
	to         []string
}

func (s *sinkSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *sinkSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.user || pass != s.pass {
			return &smtp.SMTPError{Code: 535, Message: "bad credentials"}
		}
		s.authed = true
		return nil
	}), nil
}

func (s *sinkSession) Mail(string, *smtp.MailOptions) error {
	if !s.authed {
		return smtp.ErrAuthRequired
	}
	return nil
}

func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

// Data holds the message before it counts as delivered and before the 250
// answer, so kills fall on both sides of the server taking responsibility.
func (s *sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	time.Sleep(s.sink.rng.stall())
	msg := sinkMessage{to: s.to, messageID: headerMessageID(b), data: b}
	s.sink.mu.Lock()
	s.sink.msgs = append(s.sink.msgs, msg)
	s.sink.mu.Unlock()
	time.Sleep(s.sink.rng.stall())
	return nil
}

func (s *sinkSession) Reset()        { s.to = nil }
func (s *sinkSession) Logout() error { return nil }

func startStallingSMTP(t *testing.T, user, pass string, rng *lockedRand) *smtpSink {
	t.Helper()
	sink := &smtpSink{rng: rng}
	// Every kill resets a connection; smtptest keeps the server's complaints quiet.
	sink.port = smtptest.Serve(t, smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &sinkSession{sink: sink, user: user, pass: pass}, nil
	}), nil)
	return sink
}

// headerMessageID returns the Message-ID of a raw message without brackets.
func headerMessageID(raw []byte) string {
	head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	for _, line := range strings.Split(string(head), "\r\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(k, "Message-Id") {
			return strings.Trim(strings.TrimSpace(v), "<>")
		}
	}
	return ""
}

// addAccount runs `stormdesk account add`, the secret on standard input.
func addAccount(t *testing.T, db, name, channel string, settings map[string]any, secretName, secret string) {
	t.Helper()
	b, err := json.Marshal(settings)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary(t), "account", "add", name, "--db", db, "--channel", channel, "--brand", "Acme",
		"--settings", string(b), "--secrets", secretName)
	cmd.Stdin = strings.NewReader(secret + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("account add %s: %v\n%s", name, err, out)
	}
}

// approveAll drafts, submits, approves and queues one reply in each of the
// account's conversations, as a person does in the composer (Approve & send),
// and returns the reply ids.
func approveAll(ctx context.Context, t *testing.T, ws *workspace.Workspace, c *workspace.Composer, person drafts.Actor, account string, want int) []string {
	t.Helper()
	acc, err := ws.Store.AccountByName(ctx, account)
	if err != nil {
		t.Fatal(err)
	}
	page, err := ws.Store.Conversations(ctx, store.InboxQuery{AccountID: acc.ID, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != want {
		t.Fatalf("%s: %d conversations after sync, want %d", account, len(page.Items), want)
	}
	var ids []string
	for i, conv := range page.Items {
		r, err := c.Draft(ctx, conv.ID, person, "", nil)
		if err != nil {
			t.Fatalf("draft in conversation %d: %v", conv.ID, err)
		}
		text := fmt.Sprintf("Thank you, we are on it. Reference %s-%02d.", account, i)
		for _, s := range []drafts.Step{{Action: drafts.ActionEdit, Text: text}, {Action: drafts.ActionSubmit},
			{Action: drafts.ActionApprove}, {Action: drafts.ActionQueue}} {
			if r, err = c.Step(ctx, r.ID, person, s); err != nil {
				t.Fatalf("%s reply %s: %v", s.Action, r.ID, err)
			}
		}
		if r.State != drafts.StateQueued || r.IdempotencyKey == "" {
			t.Fatalf("reply %s is %s with key %q after approve & queue", r.ID, r.State, r.IdempotencyKey)
		}
		ids = append(ids, r.ID)
	}
	return ids
}

// queuedReplies lists every queued reply, due or hidden by a claim's lease.
func queuedReplies(ctx context.Context, t *testing.T, ws *workspace.Workspace) []drafts.OutboxItem {
	t.Helper()
	items, err := ws.Store.DueOutbox(ctx, time.Now().Add(24*time.Hour), 1000)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func pending(ctx context.Context, t *testing.T, ws *workspace.Workspace) int {
	return len(queuedReplies(ctx, t, ws))
}

// outboxRunner starts `stormdesk outbox run` processes one at a time.
type outboxRunner struct {
	t    *testing.T
	bin  string
	db   string
	mu   sync.Mutex
	last *outboxProc
}

type outboxProc struct {
	t    *testing.T
	cmd  *exec.Cmd
	logs *syncBuffer
	done chan struct{}
}

func (r *outboxRunner) start() *outboxProc {
	r.t.Helper()
	cmd := exec.Command(r.bin, "outbox", "run", "--db", r.db, "--lease", crashLease.String(), "--interval", "100ms")
	logs := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		r.t.Fatalf("start outbox run: %v", err)
	}
	p := &outboxProc{t: r.t, cmd: cmd, logs: logs, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(p.done) }()
	r.t.Cleanup(p.kill)
	r.mu.Lock()
	r.last = p
	r.mu.Unlock()
	return p
}

func (r *outboxRunner) lastLogs() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.last == nil {
		return ""
	}
	return r.last.logs.String()
}

// kill sends SIGKILL and waits until the process is gone, so two senders never overlap.
func (p *outboxProc) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// untilSettled runs the outbox until no reply is queued any more (leases of
// interrupted attempts included), then stops it with SIGINT.
func (r *outboxRunner) untilSettled(ctx context.Context, ws *workspace.Workspace) {
	r.t.Helper()
	p := r.start()
	// The kills may have left nothing to send: still wait until the process is
	// up, or the SIGINT below lands before its handler and kills it outright.
	if !waitFor(20*time.Second, func() bool { return strings.Contains(p.logs.String(), "outbox running") }) {
		p.kill()
		r.t.Fatalf("outbox run did not start:\n%s", p.logs.String())
	}
	if !waitFor(90*time.Second, func() bool { return pending(ctx, r.t, ws) == 0 }) {
		p.kill()
		r.t.Fatalf("replies still queued after 90 s: %+v\noutbox output:\n%s", queuedReplies(ctx, r.t, ws), p.logs.String())
	}
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.kill()
		r.t.Fatalf("outbox run ignored SIGINT:\n%s", p.logs.String())
	}
	if code := p.cmd.ProcessState.ExitCode(); code != 0 {
		r.t.Fatalf("outbox run exited %d after SIGINT:\n%s", code, p.logs.String())
	}
}

// sentCopy counts the copies of one Message-ID in Sent.
type sentCopy struct{ total, sending int }

// sentCopies reads the Sent folder: copies by Message-ID and how many still
// carry the connector's sending mark.
func sentCopies(t *testing.T, s *dovecot.Server) map[string]sentCopy {
	t.Helper()
	c := s.Client(nil)
	defer c.Close()
	if _, err := c.Select("Sent", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatal(err)
	}
	out := map[string]sentCopy{}
	all, err := c.UIDSearch(&imap.SearchCriteria{}, nil).Wait()
	if err != nil {
		t.Fatalf("search Sent: %v", err)
	}
	if len(all.AllUIDs()) == 0 {
		return out
	}
	msgs, err := c.Fetch(imap.UIDSetNum(all.AllUIDs()...), &imap.FetchOptions{Envelope: true, Flags: true}).Collect()
	if err != nil {
		t.Fatalf("fetch Sent: %v", err)
	}
	for _, m := range msgs {
		if m.Envelope == nil {
			continue
		}
		sc := out[m.Envelope.MessageID]
		sc.total++
		for _, f := range m.Flags {
			if strings.EqualFold(string(f), "$StormdeskSending") {
				sc.sending++
			}
		}
		out[m.Envelope.MessageID] = sc
	}
	return out
}

func sentUIDs(t *testing.T, s *dovecot.Server, messageID string) []imap.UID {
	t.Helper()
	c := s.Client(nil)
	defer c.Close()
	if _, err := c.Select("Sent", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatal(err)
	}
	data, err := c.UIDSearch(&imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: messageID}}}, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	return data.AllUIDs()
}

// expungeCopy deletes the Sent copy of a mail that never reached the customer.
func expungeCopy(t *testing.T, s *dovecot.Server, messageID string) {
	t.Helper()
	s.Expunge("Sent", sentUIDs(t, s, messageID)...)
}

// clearSendingMark confirms the Sent copy of a mail the customer did receive
// (in a mail client: removing the tag).
func clearSendingMark(t *testing.T, s *dovecot.Server, messageID string) {
	t.Helper()
	uids := sentUIDs(t, s, messageID)
	c := s.Client(nil)
	defer c.Close()
	if _, err := c.Select("Sent", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	if err := c.Store(imap.UIDSetNum(uids...), &imap.StoreFlags{Op: imap.StoreFlagsDel, Silent: true, Flags: []imap.Flag{"$StormdeskSending"}}, nil).Close(); err != nil {
		t.Fatal(err)
	}
}

// mailMessageIDs returns the Message-ID the mail account's connector gives
// the reply with an idempotency key, which a failed reply has not recorded.
func mailMessageIDs(ctx context.Context, t *testing.T, ws *workspace.Workspace, sec workspace.SecretStore) func(key string) string {
	t.Helper()
	_, conn, err := ws.Connector(ctx, sec, crashMailAcct)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := conn.(io.Closer); ok {
		t.Cleanup(func() { c.Close() })
	}
	m, ok := conn.(interface{ MessageIDFor(key string) string })
	if !ok {
		t.Fatalf("the mail connector %T derives no Message-ID from the idempotency key", conn)
	}
	return m.MessageIDFor
}

func checkMastodon(ctx context.Context, t *testing.T, ws *workspace.Workspace, fake *mastodonfake.Server, ids []string, mentions map[string]string) {
	t.Helper()
	posted := map[string][]mastodonfake.Posted{}
	all := fake.Posted()
	for _, p := range all {
		posted[p.IdempotencyKey] = append(posted[p.IdempotencyKey], p)
	}
	posts := countOf(fake.Calls("/api/v1/statuses"), func(c mastodonfake.Call) bool { return c.Method == http.MethodPost })
	t.Logf("Mastodon: %d statuses created from %d POSTs (%d resends answered from the Idempotency-Key)", len(all), posts, posts-len(all))
	if len(all) != len(ids) {
		t.Errorf("the fake holds %d statuses for %d approved replies", len(all), len(ids))
	}
	for _, id := range ids {
		r := checkSentOnce(ctx, t, ws, id)
		ps := posted[r.IdempotencyKey]
		if len(ps) != 1 {
			t.Errorf("reply %s (key %s) posted %d times", id, r.IdempotencyKey, len(ps))
			continue
		}
		p := ps[0]
		acct, _, _ := strings.Cut(strings.TrimPrefix(p.Status, "@"), " ")
		if p.ID != r.ExternalID || p.Status != "@"+acct+" "+r.Text || mentions[acct] == "" || p.InReplyToID != mentions[acct] {
			t.Errorf("reply %s: posted %+v; recorded external id %s, text %q", id, p, r.ExternalID, r.Text)
		}
	}
}

func checkMail(ctx context.Context, t *testing.T, ws *workspace.Workspace, sink *smtpSink, mbox *dovecot.Server, ids []string, customers map[string]string, messageID func(string) string) {
	t.Helper()
	delivered := sink.byMessageID()
	copies := sentCopies(t, mbox)
	t.Logf("mail: %d messages delivered for %d approved replies", sink.count(), len(ids))
	if sink.count() != len(ids) {
		t.Errorf("the SMTP server accepted %d messages for %d approved replies", sink.count(), len(ids))
	}
	seenCustomers := map[string]bool{}
	for _, id := range ids {
		r := checkSentOnce(ctx, t, ws, id)
		if r.ExternalID != messageID(r.IdempotencyKey) {
			t.Errorf("reply %s recorded external id %s, its Message-ID is %s", id, r.ExternalID, messageID(r.IdempotencyKey))
		}
		got := delivered[r.ExternalID]
		if len(got) != 1 {
			t.Errorf("reply %s (Message-ID %s) delivered %d times", id, r.ExternalID, len(got))
			continue
		}
		if c := copies[r.ExternalID]; c.total != 1 || c.sending != 0 {
			t.Errorf("reply %s: %d copies in Sent, %d still marked as sending; want one confirmed copy", id, c.total, c.sending)
		}
		m := got[0]
		if len(m.to) != 1 || seenCustomers[m.to[0]] || !bytes.Contains(m.data, []byte(r.Text)) {
			t.Errorf("reply %s went to %v (a customer may get one reply) with body\n%s", id, m.to, m.data)
		}
		if len(m.to) == 1 {
			seenCustomers[m.to[0]] = true
		}
	}
	for mid, to := range customers {
		if !seenCustomers[to] {
			t.Errorf("customer %s (mail %s) got no reply", to, mid)
		}
	}
}

// checkSentOnce asserts a reply is recorded as sent exactly once: state,
// one "sent" audit entry, one outbound message in its conversation.
func checkSentOnce(ctx context.Context, t *testing.T, ws *workspace.Workspace, id string) drafts.Reply {
	t.Helper()
	r, err := ws.Store.ReplyByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != drafts.StateSent || r.ExternalID == "" {
		t.Errorf("reply %s is %s (external id %q, reason %q), want sent", id, r.State, r.ExternalID, r.FailReason)
	}
	audit, err := ws.Store.ReplyAudit(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if sent := countOf(audit, func(e drafts.AuditEntry) bool { return e.Action == drafts.ActionSent }); sent != 1 {
		t.Errorf("reply %s has %d sent entries in its audit trail", id, sent)
	}
	thread, err := ws.Store.Thread(ctx, r.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if out := countOf(thread, func(m inbox.Message) bool { return m.Direction == inbox.DirectionOut }); out != 1 {
		t.Errorf("conversation %d of reply %s has %d outbound messages, want 1", r.ConversationID, id, out)
	}
	return r
}

func countOf[T any](xs []T, match func(T) bool) int {
	n := 0
	for _, x := range xs {
		if match(x) {
			n++
		}
	}
	return n
}
