package drafts_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/imap"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/testutil/dovecot"
)

// connCounter forwards TCP connections to target and counts those still open.
type connCounter struct {
	mu         sync.Mutex
	open, seen int
}

func (c *connCounter) counts() (open, seen int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.open, c.seen
}

func forwardCounting(t *testing.T, target string) (*connCounter, int) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	c := &connCounter{}
	go func() {
		for {
			in, err := l.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", target)
			if err != nil {
				in.Close()
				continue
			}
			c.mu.Lock()
			c.open++
			c.seen++
			c.mu.Unlock()
			go func() {
				done := make(chan struct{}, 2)
				pipe := func(dst, src net.Conn) { _, _ = io.Copy(dst, src); dst.Close(); src.Close(); done <- struct{}{} }
				go pipe(out, in)
				go pipe(in, out)
				<-done
				<-done
				c.mu.Lock()
				c.open--
				c.mu.Unlock()
			}()
		}
	}()
	return c, l.Addr().(*net.TCPAddr).Port
}

// TestOutboxClosesTheConnectorsItIsGiven sends three mail replies through a
// connector opened per reply, as the workspace does. Each kept its IMAP login
// open before, one more connection per reply, until a server's per-user limit
// (Dovecot's default is 10) refuses the next send.
func TestOutboxClosesTheConnectorsItIsGiven(t *testing.T) {
	dovecot.Require(t)
	srv := dovecot.New(t)
	const n = 3
	for i := range n {
		srv.WriteMessages("INBOX", []byte(fmt.Sprintf("From: Olga <olga%d@example.test>\r\nTo: support@example.test\r\n"+
			"Subject: Parcel %d\r\nMessage-ID: <orig-%d@example.test>\r\nDate: Wed, 01 Apr 2026 09:00:00 +0000\r\n\r\nWhere is my parcel?\r\n", i, i, i)))
	}
	srv.Start()
	k, smtpPort := startSink(t)
	imapConns, imapPort := forwardCounting(t, srv.Addr())

	e := newEnv(t, inbox.ChannelMail, "orig-0@example.test", "orig-0@example.test")
	for i := range n {
		if i > 0 {
			thread := "orig-" + strconv.Itoa(i) + "@example.test"
			in := inbox.Item{ExternalID: thread, ThreadKey: thread, Kind: inbox.KindMail, Direction: inbox.DirectionIn,
				Author: inbox.Author{ExternalID: "olga" + strconv.Itoa(i)}, Text: "Where is my parcel?", SentAt: ot0.Add(-time.Hour)}
			if _, err := e.st.SaveItems(t.Context(), e.account, []inbox.Item{in}); err != nil {
				t.Fatal(err)
			}
			conv, err := e.st.ConversationIDByThreadKey(t.Context(), e.account, thread)
			if err != nil {
				t.Fatal(err)
			}
			e.conv = conv
		}
		e.reply(t, "r"+strconv.Itoa(i), "Your parcel left our warehouse today.", sendable...)
	}
	perReply := func(int64) (channels.Connector, error) {
		return imap.New(imap.Config{Name: "acme-mail", Host: "127.0.0.1", Port: imapPort, TLS: imap.TLSPlain,
			Username: srv.User, Password: srv.Password, From: "Acme Support <support@example.test>",
			SMTP: imap.SMTPConfig{Host: "127.0.0.1", Port: smtpPort, TLS: imap.TLSPlain}, Logger: quiet})
	}
	sent, failed, err := drafts.NewOutbox(e.st, perReply, quiet).RunOnce(context.Background(), queuedAt)
	if err != nil || sent != n || failed != 0 || k.count() != n {
		t.Fatalf("RunOnce = %d sent, %d failed, %v; %d mails delivered", sent, failed, err, k.count())
	}
	deadline := time.Now().Add(5 * time.Second)
	open, seen := imapConns.counts()
	for open > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		open, seen = imapConns.counts()
	}
	if open != 0 || seen < n {
		t.Fatalf("%d of %d IMAP connections still open after the outbox handled %d replies", open, seen, n)
	}
}
