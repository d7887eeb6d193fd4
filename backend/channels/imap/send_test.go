package imap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-smtp"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/testutil/dovecot"
	"github.com/stormdesk/stormdesk/backend/testutil/smtptest"
)

// scriptedSMTP is an in-process SMTP server that fails one stage of a
// transaction on demand: with a reply code, or by dropping the connection.
type scriptedSMTP struct {
	port int

	mu     sync.Mutex
	failAt string // "mail", "rcpt", "data" or "" (accept)
	code   int    // the refusal at failAt; 0 drops the connection instead
	taken  int    // messages whose data the server read and did not refuse
}

func (s *scriptedSMTP) script(failAt string, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failAt, s.code = failAt, code
}

func (s *scriptedSMTP) takenCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.taken
}

type scriptedSession struct {
	srv  *scriptedSMTP
	conn *smtp.Conn
}

// fail answers a stage the script names; a dropped connection gets no reply.
func (s *scriptedSession) fail(stage string) error {
	s.srv.mu.Lock()
	failAt, code := s.srv.failAt, s.srv.code
	s.srv.mu.Unlock()
	if failAt != stage {
		return nil
	}
	if code == 0 {
		s.conn.Conn().Close()
		return errors.New("connection dropped by the test")
	}
	return &smtp.SMTPError{Code: code, Message: "refused by the test at " + stage}
}

func (s *scriptedSession) Mail(string, *smtp.MailOptions) error { return s.fail("mail") }
func (s *scriptedSession) Rcpt(string, *smtp.RcptOptions) error { return s.fail("rcpt") }

// Data counts a message as taken once it has read all of it, unless it
// refuses it: a server that drops the connection afterwards may still deliver.
func (s *scriptedSession) Data(r io.Reader) error {
	if _, err := io.ReadAll(r); err != nil {
		return err
	}
	s.srv.mu.Lock()
	refused := s.srv.failAt == "data" && s.srv.code != 0
	if !refused {
		s.srv.taken++
	}
	s.srv.mu.Unlock()
	return s.fail("data")
}

func (s *scriptedSession) Reset()        {}
func (s *scriptedSession) Logout() error { return nil }

func startScriptedSMTP(t *testing.T) *scriptedSMTP {
	t.Helper()
	srv := &scriptedSMTP{}
	srv.port = smtptest.Serve(t, smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &scriptedSession{srv: srv, conn: c}, nil
	}), nil)
	return srv
}

// replyServers starts a Dovecot holding the mail that replies answer
// (Message-ID cp1251@example.ru) and a scripted SMTP server.
func replyServers(t *testing.T) (*dovecot.Server, *scriptedSMTP) {
	t.Helper()
	s := dovecot.New(t)
	s.WriteMessages("INBOX", readFixture(t, "cp1251-8bit-header.eml"))
	s.Start()
	return s, startScriptedSMTP(t)
}

// smtpConnector is a connector on s that sends through SMTP on smtpPort.
func smtpConnector(t *testing.T, s *dovecot.Server, smtpPort int) *Connector {
	t.Helper()
	return connector(t, s, func(c *Config) {
		c.From = "support@example.test"
		c.SMTP = SMTPConfig{Host: "127.0.0.1", Port: smtpPort, TLS: TLSPlain}
	})
}

// sentUIDs returns the UIDs of the copies of messageID in Sent.
func sentUIDs(t *testing.T, s *dovecot.Server, messageID string) []imap.UID {
	t.Helper()
	c := s.Client(nil)
	defer c.Close()
	if _, err := c.Select("Sent", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatal(err)
	}
	data, err := c.UIDSearch(byMessageID(messageID, nil, nil), nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	return data.AllUIDs()
}

// sentFlags returns the flags of every copy of messageID in Sent.
func sentFlags(t *testing.T, s *dovecot.Server, messageID string) [][]imap.Flag {
	t.Helper()
	uids := sentUIDs(t, s, messageID)
	if len(uids) == 0 {
		return nil
	}
	c := s.Client(nil)
	defer c.Close()
	if _, err := c.Select("Sent", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatal(err)
	}
	msgs, err := c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{Flags: true}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]imap.Flag
	for _, m := range msgs {
		out = append(out, m.Flags)
	}
	return out
}

// copyMarks describes the copies of messageID: "" for none, else one word
// per copy: "confirmed", "pending" (sending only) or "handed-off".
func copyMarks(t *testing.T, s *dovecot.Server, messageID string) string {
	t.Helper()
	var words []string
	for _, f := range sentFlags(t, s, messageID) {
		words = append(words, map[sentStatus]string{sentDone: "confirmed", sentPending: "pending", sentHandedOff: "handed-off"}[copyStatus(f)])
	}
	return strings.Join(words, " ")
}

// checkNextAttempt checks the attempt after a failed or stopped one, whose
// result is sent, err: with the outcome unknown it sends nothing and keeps
// the handed-off copy for a person; otherwise the reply went out once in all
// (taken counts since before) and has one confirmed copy in Sent.
func checkNextAttempt(t *testing.T, s *dovecot.Server, srv *scriptedSMTP, c *Connector, id string, before, taken int, unknown bool, sent channels.Sent, err error) {
	t.Helper()
	if unknown {
		if !isUnknown(err) {
			t.Fatalf("next attempt: %v, want outcome unknown", err)
		}
		if got := srv.takenCount() - before; got != taken {
			t.Fatalf("the next attempt sent again: the server took %d in all, want %d", got, taken)
		}
		if got := copyMarks(t, s, id); got != "handed-off" {
			t.Fatalf("Sent copies after the next attempt: %q, want the handed-off copy kept for a person", got)
		}
		return
	}
	if err != nil || sent.ExternalID != id {
		t.Fatalf("next attempt: %+v, %v; want it sent", sent, err)
	}
	if got := srv.takenCount() - before; got != 1 {
		t.Fatalf("the server took %d messages in all, want 1", got)
	}
	if got := copyMarks(t, s, id); got != "confirmed" {
		t.Fatalf("Sent copies after the next attempt: %q, want one confirmed copy", got)
	}
	if ok, err := c.SentContains(context.Background(), id); err != nil || !ok {
		t.Fatalf("SentContains = %v, %v; want the confirmed copy", ok, err)
	}
}

func isUnknown(err error) bool {
	var api *channels.APIError
	return errors.As(err, &api) && api.Kind == channels.Permanent && errors.Is(err, channels.ErrOutcomeUnknown) &&
		strings.Contains(api.Message, "outcome of") && strings.Contains(api.Message, "unknown")
}

// TestReplyFailureIsRetriedOnlyWhenSMTPSurelyDidNotTakeIt: a refusal or a
// failure before DATA removes the copy and a retry sends once; a connection
// lost after the message data went out leaves the outcome unknown, keeps the
// marked copy, and a retry of the same reply sends nothing.
func TestReplyFailureIsRetriedOnlyWhenSMTPSurelyDidNotTakeIt(t *testing.T) {
	ctx := context.Background()
	s, srv := replyServers(t)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadPort := l.Addr().(*net.TCPAddr).Port
	l.Close()

	cases := []struct {
		name      string
		dead      bool // nothing listens on the SMTP port
		failAt    string
		code      int
		retryable bool
		unknown   bool
		taken     int // messages the server took in the failed attempt
	}{
		{name: "connection refused", dead: true, retryable: true},
		{name: "MAIL refused 550", failAt: "mail", code: 550},
		{name: "RCPT deferred 450", failAt: "rcpt", code: 450, retryable: true},
		{name: "dropped after RCPT, before DATA", failAt: "rcpt", retryable: true},
		{name: "DATA deferred 451", failAt: "data", code: 451, retryable: true},
		{name: "DATA refused 554", failAt: "data", code: 554},
		{name: "dropped after the data, no answer", failAt: "data", unknown: true, taken: 1},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			port := srv.port
			if tc.dead {
				port = deadPort
			}
			c := smtpConnector(t, s, port)
			key := "refusal-" + string(rune('a'+i))
			id := c.MessageIDFor(key)
			r := channels.Reply{InReplyTo: "cp1251@example.ru", Text: "Wir kümmern uns darum.", IdempotencyKey: key}
			before := srv.takenCount()
			srv.script(tc.failAt, tc.code)

			_, err := c.Reply(ctx, r)
			if err == nil {
				t.Fatal("the send succeeded")
			}
			if got := srv.takenCount() - before; got != tc.taken {
				t.Fatalf("the server took %d messages, want %d", got, tc.taken)
			}
			if isUnknown(err) != tc.unknown || channels.Retryable(err) != tc.retryable {
				t.Fatalf("error %v: unknown %v retryable %v, want %v %v", err, isUnknown(err), channels.Retryable(err), tc.unknown, tc.retryable)
			}
			wantCopy := ""
			if tc.unknown {
				wantCopy = "handed-off"
			}
			if got := copyMarks(t, s, id); got != wantCopy {
				t.Fatalf("Sent copies after the failure: %q, want %q", got, wantCopy)
			}

			// The outbox retries (or a person does); the server works now.
			srv.script("", 0)
			c.cfg.SMTP.Port = srv.port
			sent, err := c.Reply(ctx, r)
			checkNextAttempt(t, s, srv, c, id, before, tc.taken, tc.unknown, sent, err)
		})
	}
}

// TestReplyStoppedBetweenStepsIsRecoveredByTheNextAttempt stops a send the
// way a crash or a cancelled context does at each step, then runs the same
// reply again as the outbox would. Only a stop after the hand-off mark may
// leave the outcome unknown; before it the next attempt sends normally.
func TestReplyStoppedBetweenStepsIsRecoveredByTheNextAttempt(t *testing.T) {
	ctx := context.Background()
	s, srv := replyServers(t)
	crash := errors.New("simulated crash")

	cases := []struct {
		name string
		at   sendStep
		// cancel: the step cancels the send's context instead of crashing.
		cancel bool
		// overlap: an earlier attempt's recovery removes the copy at this
		// step; deleted: it has only marked the copy \Deleted so far.
		overlap, deleted bool
		taken            int    // messages the server took before the stop
		copyLeft         string // the copies the stopped attempt leaves
		unknown          bool   // the next attempt reports the outcome unknown
	}{
		{name: "crash after the append", at: stepAppended, copyLeft: "pending"},
		{name: "crash after the hand-off mark", at: stepHandedOff, copyLeft: "handed-off", unknown: true},
		{name: "crash after the server accepted", at: stepDataSent, taken: 1, copyLeft: "handed-off", unknown: true},
		{name: "cancelled after the append", at: stepAppended, cancel: true},
		{name: "cancelled after the hand-off mark", at: stepHandedOff, cancel: true},
		{name: "copy removed by an overlapping attempt", at: stepAppended, overlap: true},
		{name: "copy marked deleted by an overlapping attempt", at: stepAppended, deleted: true},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := smtpConnector(t, s, srv.port)
			other := connector(t, s, nil)
			key := "stopped-" + string(rune('a'+i))
			id := c.MessageIDFor(key)
			r := channels.Reply{InReplyTo: "cp1251@example.ru", Text: "Second reply", IdempotencyKey: key}
			before := srv.takenCount()

			sendCtx, cancel := context.WithCancel(ctx)
			defer cancel()
			c.stopSend = func(step sendStep) error {
				switch {
				case step != tc.at:
					return nil
				case tc.cancel:
					cancel()
					return nil
				case tc.overlap:
					return other.discardUnsent(ctx, id)
				case tc.deleted:
					s.SetFlags("Sent", []imap.Flag{imap.FlagDeleted}, sentUIDs(t, s, id)...)
					return nil
				}
				return crash
			}
			_, err := c.Reply(sendCtx, r)
			if err == nil {
				t.Fatal("the stopped send succeeded")
			}
			if !tc.cancel && !tc.overlap && !tc.deleted && !errors.Is(err, crash) {
				t.Fatalf("stopped send: %v, want the simulated crash", err)
			}
			if got := srv.takenCount() - before; got != tc.taken {
				t.Fatalf("the server took %d messages before the stop, want %d", got, tc.taken)
			}
			if got := copyMarks(t, s, id); got != tc.copyLeft {
				t.Fatalf("Sent copies after the stop: %q, want %q", got, tc.copyLeft)
			}
			if ok, err := c.SentContains(ctx, id); err != nil || ok {
				t.Fatalf("SentContains after the stop = %v, %v; an unconfirmed copy must not count as sent", ok, err)
			}

			c.stopSend = nil
			sent, err := c.Reply(ctx, r)
			if tc.unknown && !strings.Contains(fmt.Sprint(err), "outcome of an earlier send is unknown") {
				t.Fatalf("next attempt: %v; want it to name the earlier send", err)
			}
			checkNextAttempt(t, s, srv, c, id, before, tc.taken, tc.unknown, sent, err)
		})
	}
}
