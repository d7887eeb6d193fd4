package imap

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/testutil/dovecot"
)

// TestReplyCrashWindowIsNeverResentBlindly covers the two ends of a send:
// SMTP refusing (the pending copy is removed, a later try sends), and a copy
// left marked as sending by a run that stopped mid-send (a retry refuses to
// send and says the outcome is unknown).
func TestReplyCrashWindowIsNeverResentBlindly(t *testing.T) {
	ctx := context.Background()
	s := dovecot.New(t)
	s.WriteMessages("INBOX", readFixture(t, "cp1251-8bit-header.eml"))
	s.Start()

	// A port with nothing listening: the SMTP connection fails.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadPort := l.Addr().(*net.TCPAddr).Port
	l.Close()
	down := connector(t, s, func(c *Config) {
		c.From = "support@example.test"
		c.SMTP = SMTPConfig{Host: "127.0.0.1", Port: deadPort, TLS: TLSPlain}
	})
	r := channels.Reply{InReplyTo: "cp1251@example.ru", Text: "Wir kümmern uns darum.", IdempotencyKey: "draft-7"}
	if _, err := down.Reply(ctx, r); err == nil {
		t.Fatal("send through a dead SMTP server succeeded")
	}
	if n := s.Count("Sent"); n != 0 {
		t.Fatalf("a failed send left %d copies in Sent", n)
	}

	sink, port := startSink(t)
	up := connector(t, s, func(c *Config) {
		c.From = "support@example.test"
		c.SMTP = SMTPConfig{Host: "127.0.0.1", Port: port, TLS: TLSPlain}
	})
	if _, err := up.Reply(ctx, r); err != nil {
		t.Fatal(err)
	}
	if len(sink.msgs) != 1 || s.Count("Sent") != 1 {
		t.Fatalf("after the retry: sink %d, Sent %d", len(sink.msgs), s.Count("Sent"))
	}
	if ok, err := up.SentContains(ctx, up.MessageIDFor("draft-7")); err != nil || !ok {
		t.Fatalf("confirmed copy not found: %v %v", ok, err)
	}

	// A run that stopped after writing the copy and before SMTP answered.
	r2 := channels.Reply{InReplyTo: "cp1251@example.ru", Text: "Second reply", IdempotencyKey: "draft-8"}
	orig, err := up.findOriginal(ctx, r2.InReplyTo)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := up.buildReply(r2, orig, up.MessageIDFor("draft-8"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := up.appendSent(ctx, raw, time.Now(), sendingKeyword); err != nil {
		t.Fatal(err)
	}
	if ok, _ := up.SentContains(ctx, up.MessageIDFor("draft-8")); ok {
		t.Fatal("an unconfirmed copy counts as sent")
	}
	_, err = up.Reply(ctx, r2)
	var api *channels.APIError
	if !errors.As(err, &api) || api.Kind != channels.Permanent || !strings.Contains(err.Error(), "outcome of an earlier send is unknown") {
		t.Fatalf("retry after a crash mid-send: %v; want a permanent 'outcome unknown' error", err)
	}
	if len(sink.msgs) != 1 {
		t.Fatalf("the reply was sent blindly: sink has %d messages", len(sink.msgs))
	}
}
