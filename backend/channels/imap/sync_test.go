package imap

import (
	"bytes"
	"context"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-smtp"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/testutil/dovecot"
	"github.com/stormdesk/stormdesk/backend/testutil/spamcorpus"
)

func connector(t testing.TB, s *dovecot.Server, mod func(*Config)) *Connector {
	t.Helper()
	cfg := Config{Name: "test", Host: s.Host, Port: s.Port, TLS: TLSPlain, Username: s.User, Password: s.Password,
		From: s.User, TLSConfig: s.TLSConfig()}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// syncAll fetches until More is false, retrying once per failure (a dropped
// connection) with the last stored cursor, the way the scheduler does.
func syncAll(t testing.TB, c *Connector, cursor string, onBatch func(n int)) ([]inbox.Item, string) {
	t.Helper()
	var items []inbox.Item
	for calls, failures := 0, 0; ; calls++ {
		r, err := c.Sync(context.Background(), cursor)
		if err != nil {
			if failures++; failures > 3 {
				t.Fatalf("sync keeps failing: %v", err)
			}
			continue
		}
		items = append(items, r.Items...)
		cursor = r.Cursor
		if onBatch != nil {
			onBatch(calls)
		}
		if !r.More {
			return items, cursor
		}
	}
}

func idSet(items []inbox.Item) map[string]int {
	m := map[string]int{}
	for _, it := range items {
		m[it.ExternalID]++
	}
	return m
}

func corpusServer(t testing.TB, n int) (*dovecot.Server, [][]byte) {
	raws := spamcorpus.Load(t, n)
	s := dovecot.New(t)
	s.WriteMessages("INBOX", raws...)
	s.Start()
	return s, raws
}

func TestFullSyncMatchesServer(t *testing.T) {
	s, raws := corpusServer(t, 0)
	c := connector(t, s, func(c *Config) { c.ChunkSize = 1000 })
	var last Progress
	cursor := ""
	var items []inbox.Item
	for {
		r, err := c.Sync(context.Background(), cursor)
		if err != nil {
			t.Fatal(err)
		}
		if r.Progress.Fetched < last.Fetched || r.Progress.Total != len(raws) {
			t.Fatalf("progress %+v after %+v, total want %d", r.Progress, last, len(raws))
		}
		last, cursor = r.Progress, r.Cursor
		items = append(items, r.Items...)
		if !r.More {
			break
		}
		if len(r.Items) != 1000 {
			t.Fatalf("chunk of %d items, want 1000", len(r.Items))
		}
	}
	if want := s.Count("INBOX"); len(items) != want || last.Fetched != want {
		t.Fatalf("synced %d items (progress %d), server has %d", len(items), last.Fetched, want)
	}
	// Every message's id is what parsing the file itself gives.
	want := map[string]int{}
	for _, raw := range raws {
		want[ParseMessage(raw, "", false).ExternalID]++
	}
	got := idSet(items)
	if len(got) != len(want) {
		t.Fatalf("%d distinct ids, want %d", len(got), len(want))
	}
	for id, n := range want {
		if got[id] != n {
			t.Fatalf("id %s synced %d times, want %d", id, got[id], n)
		}
	}
	// Nothing new: an empty batch and the same cursor.
	r, err := c.Sync(context.Background(), cursor)
	if err != nil || len(r.Items) != 0 || r.More || r.Cursor != cursor {
		t.Fatalf("second sync: %d items, more %v, err %v", len(r.Items), r.More, err)
	}
}

func TestResumeAfterConnectionKilledMidSync(t *testing.T) {
	s, raws := corpusServer(t, 3000)
	c := connector(t, s, func(c *Config) { c.ChunkSize = 400 })
	killed := 0
	items, _ := syncAll(t, c, "", func(call int) {
		if call == 2 || call == 4 {
			killed += s.KillIMAPProcesses()
		}
	})
	if killed == 0 {
		t.Fatal("no imap process was killed; the test proves nothing")
	}
	if len(items) != len(raws) {
		t.Fatalf("synced %d items, server has %d", len(items), len(raws))
	}
	want := map[string]int{}
	for _, raw := range raws {
		want[ParseMessage(raw, "", false).ExternalID]++
	}
	got := idSet(items)
	for id, n := range want {
		if got[id] != n {
			t.Fatalf("id %s synced %d times, want %d (loss or duplicate)", id, got[id], n)
		}
	}
}

func TestIncrementalSyncIdlePushAndFlags(t *testing.T) {
	s, raws := corpusServer(t, 50)
	idling := make(chan struct{}, 10)
	c := connector(t, s, nil)
	c.onIdle = func() { idling <- struct{}{} }
	items, cursor := syncAll(t, c, "", nil)
	if len(items) != len(raws) {
		t.Fatalf("initial sync %d, want %d", len(items), len(raws))
	}

	ctx, cancel := context.WithCancel(context.Background())
	notified := make(chan struct{}, 10)
	done := make(chan error, 1)
	go func() { done <- c.Watch(ctx, cursor, func() { notified <- struct{}{} }) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("watch: %v", err)
		}
	}()
	// Let IDLE start before appending: the watcher must report the new message by push.
	select {
	case <-idling:
	case <-time.After(5 * time.Second):
		t.Fatal("watcher did not reach IDLE")
	}
	raw := []byte("From: New Customer <new@example.com>\r\nTo: support@example.test\r\nSubject: =?UTF-8?B?0J/RgNC40LLQtdGC?=\r\nMessage-ID: <new-1@example.com>\r\nDate: Thu, 05 Jun 2025 10:00:00 +0000\r\n\r\nhello\r\n")
	s.Append("INBOX", raw)
	select {
	case <-notified:
	case <-time.After(5 * time.Second):
		t.Fatal("no IDLE notification within 5 s of APPEND")
	}
	r, err := c.Sync(context.Background(), cursor)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Items) != 1 || r.Items[0].ExternalID != "new-1@example.com" || r.Items[0].Subject != "Привет" {
		t.Fatalf("incremental sync got %+v", r.Items)
	}
	cursor = r.Cursor

	// CONDSTORE: flag the third message; the next sync reports it and nothing else.
	s.SetFlags("INBOX", []imap.Flag{imap.FlagFlagged, imap.FlagSeen}, 3)
	r, err = c.Sync(context.Background(), cursor)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Items) != 0 || len(r.FlagChanges) != 1 {
		t.Fatalf("after flag change: %d items, flag changes %+v", len(r.Items), r.FlagChanges)
	}
	fc := r.FlagChanges[0]
	if fc.UID != 3 || fc.ExternalID != items[2].ExternalID || !slices.Contains(fc.Flags, string(imap.FlagFlagged)) {
		t.Fatalf("flag change %+v, want uid 3 id %s flagged", fc, items[2].ExternalID)
	}
	r, err = c.Sync(context.Background(), r.Cursor)
	if err != nil || len(r.FlagChanges) != 0 {
		t.Fatalf("flag change reported twice: %+v %v", r.FlagChanges, err)
	}
}

func TestUIDValidityChangeResyncsWithoutDuplicates(t *testing.T) {
	s, raws := corpusServer(t, 200)
	raws = append(raws, readFixture(t, "no-message-id.eml"))
	s.Append("INBOX", raws[len(raws)-1])
	c := connector(t, s, nil)
	first, cursor := syncAll(t, c, "", nil)
	s.ResetUIDValidity("INBOX")
	r, err := c.Sync(context.Background(), cursor)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Resynced, []string{"INBOX"}) {
		t.Fatalf("Resynced = %v, want [INBOX]", r.Resynced)
	}
	again, _ := syncAll(t, c, cursor, nil)
	a, b := idSet(first), idSet(again)
	if len(again) != len(first) || len(a) != len(b) {
		t.Fatalf("resync %d items / %d ids, first %d / %d", len(again), len(b), len(first), len(a))
	}
	for id := range b {
		if a[id] == 0 {
			t.Fatalf("resync produced new id %s: it would duplicate a conversation", id)
		}
	}
}

func TestBadMessagesDoNotStopSync(t *testing.T) {
	s := dovecot.New(t)
	big := bytes.Repeat([]byte("x"), 200<<10)
	s.WriteMessages("INBOX",
		readFixture(t, "koi8r.eml"), readFixture(t, "broken-multipart.eml"), []byte("\x00\xff garbage without header"),
		readFixture(t, "cp1251-8bit-header.eml"), readFixture(t, "no-message-id.eml"),
		append([]byte("From: big@example.com\r\nMessage-ID: <big@example.com>\r\nSubject: big\r\n\r\n"), big...))
	s.Start()
	c := connector(t, s, func(c *Config) { c.MaxMessageBytes = 64 << 10 })
	items, _ := syncAll(t, c, "", nil)
	if len(items) != 6 {
		t.Fatalf("synced %d of 6 messages", len(items))
	}
	byID := idSet(items)
	for _, id := range []string{"koi8@example.ru", "broken@example.de", "cp1251@example.ru", "big@example.com"} {
		if byID[id] != 1 {
			t.Errorf("%s missing", id)
		}
	}
	for _, it := range items {
		if it.ExternalID == "big@example.com" && (!slices.Contains(it.Flags, inbox.FlagTruncated) || len(it.Text) > 64<<10) {
			t.Errorf("big message not truncated: %d bytes, flags %v", len(it.Text), it.Flags)
		}
		if it.ExternalID == "koi8@example.ru" && !strings.Contains(it.Text, "Заказ") {
			t.Errorf("koi8 text %q", it.Text)
		}
	}
}

func TestTLSModes(t *testing.T) {
	s := dovecot.Start(t)
	for _, mode := range []struct {
		tls  string
		port int
	}{{TLSImplicit, s.TLSPort}, {TLSStartTLS, s.Port}} {
		c := connector(t, s, func(c *Config) { c.TLS, c.Port = mode.tls, mode.port })
		if err := c.Test(context.Background()); err != nil {
			t.Errorf("%s: %v", mode.tls, err)
		}
	}
	c := connector(t, s, func(c *Config) { c.Password = "wrong" })
	if err := c.Test(context.Background()); !errorsIsAuth(err) {
		t.Errorf("wrong password: %v, want ErrAuth", err)
	}
}

// smtpSink is an in-process SMTP server that keeps what it receives.
type smtpSink struct {
	mu   sync.Mutex
	msgs []sinkMsg
}

type sinkMsg struct {
	from string
	to   []string
	data []byte
}

type sinkSession struct {
	sink *smtpSink
	msg  sinkMsg
}

func (s *sinkSession) Mail(from string, _ *smtp.MailOptions) error { s.msg.from = from; return nil }
func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.msg.to = append(s.msg.to, to)
	return nil
}
func (s *sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.msg.data = b
	s.sink.mu.Lock()
	s.sink.msgs = append(s.sink.msgs, s.msg)
	s.sink.mu.Unlock()
	return nil
}
func (s *sinkSession) Reset()        { s.msg = sinkMsg{} }
func (s *sinkSession) Logout() error { return nil }

func startSink(t *testing.T) (*smtpSink, int) {
	sink := &smtpSink{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &sinkSession{sink: sink}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return sink, l.Addr().(*net.TCPAddr).Port
}

func TestReplyOverSMTPThreadsAndIsSentOnce(t *testing.T) {
	s := dovecot.New(t)
	s.WriteMessages("INBOX", readFixture(t, "cp1251-8bit-header.eml"))
	s.Start()
	sink, port := startSink(t)
	c := connector(t, s, func(c *Config) {
		c.From = "Acme Support <support@example.test>"
		c.SMTP = SMTPConfig{Host: "127.0.0.1", Port: port, TLS: TLSPlain}
	})
	r := channels.Reply{InReplyTo: "cp1251@example.ru", Text: "Здравствуйте! Возврат оформлен.\nС уважением", IdempotencyKey: "draft-42"}
	sent, err := c.Reply(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	if sent.ExternalID != c.MessageIDFor("draft-42") {
		t.Fatalf("sent id %s, want %s", sent.ExternalID, c.MessageIDFor("draft-42"))
	}
	if len(sink.msgs) != 1 {
		t.Fatalf("sink got %d messages", len(sink.msgs))
	}
	m := sink.msgs[0]
	if m.from != "support@example.test" || !slices.Equal(m.to, []string{"olga@example.ru"}) {
		t.Fatalf("envelope %s -> %v", m.from, m.to)
	}
	got := ParseMessage(m.data, "support@example.test", false)
	if got.ExternalID != sent.ExternalID || got.Direction != inbox.DirectionOut {
		t.Errorf("received id %s dir %s", got.ExternalID, got.Direction)
	}
	if !slices.Equal(got.References, []string{"root@example.test", "mid@example.test", "cp1251@example.ru"}) || got.ThreadKey != "root@example.test" {
		t.Errorf("References %v ThreadKey %s", got.References, got.ThreadKey)
	}
	if !bytes.Contains(m.data, []byte("In-Reply-To: <cp1251@example.ru>")) {
		t.Errorf("no In-Reply-To header in\n%s", m.data)
	}
	if got.Subject != "Re: Возврат" || !strings.Contains(got.Text, "Возврат оформлен.\r\nС уважением") {
		t.Errorf("subject %q text %q", got.Subject, got.Text)
	}
	for _, line := range strings.Split(string(m.data), "\n") {
		if strings.HasPrefix(line, "Subject:") && strings.ContainsFunc(line, func(r rune) bool { return r > 127 }) {
			t.Errorf("subject not encoded: %q", line)
		}
	}
	ok, err := c.SentContains(context.Background(), "<"+sent.ExternalID+">")
	if err != nil || !ok {
		t.Fatalf("SentContains = %v, %v; want the Sent copy", ok, err)
	}
	if ok, _ := c.SentContains(context.Background(), c.MessageIDFor("other")); ok {
		t.Fatal("SentContains finds a reply never sent")
	}
	// The outbox retries after a crash: the reply is recognised, not sent again.
	if _, err := c.Reply(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if len(sink.msgs) != 1 || s.Count("Sent") != 1 {
		t.Fatalf("retry sent again: sink %d, Sent %d", len(sink.msgs), s.Count("Sent"))
	}
}

// TestWatchSeesMailInFoldersBesideTheIdledOne: one connection can IDLE on one
// folder only, so mail delivered to another watched folder is found by the
// STATUS check between IDLEs, within a poll interval, not at the next IDLE restart.
func TestWatchSeesMailInFoldersBesideTheIdledOne(t *testing.T) {
	mail := func(id string) []byte {
		return []byte("From: Customer <c@example.com>\r\nTo: support@example.test\r\nSubject: hi\r\nMessage-ID: <" + id +
			">\r\nDate: Thu, 05 Jun 2025 10:00:00 +0000\r\n\r\nhello\r\n")
	}
	s := dovecot.New(t)
	s.WriteMessages("INBOX", mail("inbox-1@example.com"))
	s.WriteMessages("Support", mail("support-1@example.com"))
	s.Start()
	idling := make(chan struct{}, 100)
	c := connector(t, s, func(c *Config) {
		c.Folders = []string{"INBOX", "Support"}
		c.PollInterval = 100 * time.Millisecond
	})
	c.onIdle = func() { idling <- struct{}{} }
	items, cursor := syncAll(t, c, "", nil)
	if len(items) != 2 {
		t.Fatalf("initial sync %d items, want 2", len(items))
	}

	ctx, cancel := context.WithCancel(context.Background())
	notified := make(chan struct{}, 100)
	done := make(chan error, 1)
	go func() { done <- c.Watch(ctx, cursor, func() { notified <- struct{}{} }) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("watch: %v", err)
		}
	}()
	for range 3 { // several pauses pass with nothing new: no notification
		select {
		case <-idling:
		case <-time.After(5 * time.Second):
			t.Fatal("watcher did not keep IDLE going")
		}
	}
	select {
	case <-notified:
		t.Fatal("notified with nothing new")
	default:
	}
	s.Append("Support", mail("support-2@example.com"))
	select {
	case <-notified:
	case <-time.After(5 * time.Second):
		t.Fatal("no notification for mail in the second folder")
	}
	r, err := c.Sync(context.Background(), cursor)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Items) != 1 || r.Items[0].ExternalID != "support-2@example.com" {
		t.Fatalf("sync after the notification got %+v", r.Items)
	}
}

// TestRetryListedMessagesAreFetchedAgain: a message the server held but did
// not deliver stays in the cursor's retry list; the next sync delivers it and
// drops from the list what the server no longer holds, without moving LastUID.
func TestRetryListedMessagesAreFetchedAgain(t *testing.T) {
	mail := func(id string) []byte {
		return []byte("From: c@example.com\r\nSubject: hi\r\nMessage-ID: <" + id + ">\r\nDate: Thu, 05 Jun 2025 10:00:00 +0000\r\n\r\nhello\r\n")
	}
	s := dovecot.New(t)
	s.WriteMessages("INBOX", mail("r1@example.com"), mail("r2@example.com"), mail("r3@example.com"))
	s.Start()
	c := connector(t, s, nil)
	items, cursor := syncAll(t, c, "", nil)
	if len(items) != 3 {
		t.Fatalf("initial sync %d items, want 3", len(items))
	}
	cur, err := ParseCursor(cursor)
	if err != nil {
		t.Fatal(err)
	}
	fc := cur.Folders["INBOX"]
	fc.Retry = []uint32{2, 99} // 99 was never there: expunged meanwhile
	cur.Folders["INBOX"] = fc
	r, err := c.Sync(context.Background(), cur.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Items) != 1 || r.Items[0].ExternalID != "r2@example.com" || r.Skipped != 0 {
		t.Fatalf("retry sync: items %+v, skipped %d; want r2 alone", r.Items, r.Skipped)
	}
	if r.Progress.Fetched != 3 || r.Progress.Total != 3 {
		t.Errorf("progress %+v, want 3 of 3", r.Progress)
	}
	after, _ := ParseCursor(r.Cursor)
	if got := after.Folders["INBOX"]; len(got.Retry) != 0 || got.LastUID != fc.LastUID {
		t.Errorf("cursor after retry %+v, want an empty retry list and LastUID %d", got, fc.LastUID)
	}
}
