package forward

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	gomail "github.com/emersion/go-message/mail"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/stormdesk/stormdesk/backend/apperr"
	imapch "github.com/stormdesk/stormdesk/backend/channels/imap"
	"github.com/stormdesk/stormdesk/backend/testutil/dovecot"
	"github.com/stormdesk/stormdesk/backend/testutil/smtptest"
	"github.com/stormdesk/stormdesk/backend/testutil/tlscert"
)

// relay is a submission server (STARTTLS, AUTH PLAIN required) that
// delivers each accepted message into a real Dovecot mailbox over IMAP, as
// an MTA's local delivery would.
type relay struct {
	box       *dovecot.Server
	user, pwd string
	port      int
	pool      *tls.Config // the client's trust of the relay's certificate

	mu        sync.Mutex
	delivered int
}

type relaySession struct {
	r      *relay
	authed bool
}

func (s *relaySession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *relaySession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.r.user || pass != s.r.pwd {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "authentication failed"}
		}
		s.authed = true
		return nil
	}), nil
}
func (s *relaySession) Mail(string, *smtp.MailOptions) error {
	if !s.authed {
		return &smtp.SMTPError{Code: 530, Message: "authentication required"}
	}
	return nil
}
func (s *relaySession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *relaySession) Reset()                               {}
func (s *relaySession) Logout() error                        { return nil }

func (s *relaySession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	c, err := imapclient.DialInsecure(s.r.box.Addr(), nil)
	if err != nil {
		return &smtp.SMTPError{Code: 451, Message: "mailbox unreachable: " + err.Error()}
	}
	defer c.Close()
	if err := c.Login(s.r.box.User, s.r.box.Password).Wait(); err != nil {
		return &smtp.SMTPError{Code: 451, Message: "mailbox login: " + err.Error()}
	}
	cmd := c.Append("INBOX", int64(len(raw)), nil)
	if _, err := cmd.Write(raw); err != nil {
		return &smtp.SMTPError{Code: 451, Message: err.Error()}
	}
	if err := cmd.Close(); err != nil {
		return &smtp.SMTPError{Code: 451, Message: err.Error()}
	}
	if _, err := cmd.Wait(); err != nil {
		return &smtp.SMTPError{Code: 451, Message: err.Error()}
	}
	s.r.mu.Lock()
	s.r.delivered++
	s.r.mu.Unlock()
	return nil
}

func startRelay(t *testing.T) *relay {
	t.Helper()
	box := dovecot.Start(t)
	cert := tlscert.New(t)
	r := &relay{box: box, user: "forwarder", pwd: "relay-pass", pool: &tls.Config{RootCAs: cert.Pool(), ServerName: "127.0.0.1"}}
	r.port = smtptest.Serve(t, smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &relaySession{r: r}, nil }),
		&tls.Config{Certificates: []tls.Certificate{cert.TLS}})
	return r
}

func (r *relay) mailer() *Mailer {
	return &Mailer{
		SMTP: imapch.SMTPConfig{Host: "127.0.0.1", Port: r.port, TLS: imapch.TLSStartTLS, Username: r.user, Password: r.pwd},
		From: "Stormdesk <alerts@acme.example>", TLSConfig: r.pool,
	}
}

// fetched is one message read back from the mailbox.
type fetched struct {
	messageID, subject string
	plain, html        string
}

func readInbox(t *testing.T, box *dovecot.Server) []fetched {
	t.Helper()
	c := box.Client(nil)
	defer c.Close()
	sel, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if sel.NumMessages == 0 {
		return nil
	}
	var all imap.SeqSet
	all.AddRange(1, sel.NumMessages)
	msgs, err := c.Fetch(all, &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{{}}}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	var out []fetched
	for _, m := range msgs {
		var raw []byte
		for _, b := range m.BodySection {
			raw = b.Bytes
		}
		mr, err := gomail.CreateReader(strings.NewReader(string(raw)))
		if err != nil {
			t.Fatal(err)
		}
		var f fetched
		f.messageID = mr.Header.Get("Message-Id")
		if f.subject, err = mr.Header.Subject(); err != nil {
			t.Fatal(err)
		}
		for {
			p, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(p.Body)
			if h, ok := p.Header.(*gomail.InlineHeader); ok {
				ct, _, _ := h.ContentType()
				switch ct {
				case "text/plain":
					f.plain = string(body)
				case "text/html":
					f.html = string(body)
				}
			}
		}
		out = append(out, f)
	}
	return out
}

func TestMailDigestReachesRealMailbox(t *testing.T) {
	rl := startRelay(t)
	led, _ := sqliteLedger(t)
	src := &digests{d: Digest{BySource: map[string]int{"vk": 3, "hn": 1},
		Tonality: Tonality{Positive: 1, Neutral: 1, Negative: 2}, TopNegative: []Mention{hostileMention(2)}}}
	clk := &testClock{t: berlin(t, 2026, 12, 3, 9, 30)}
	s := &Scheduler{Now: clk.Now, Ledger: led, Mail: rl.mailer(), Digests: src}
	r := berlinRule(Target{Kind: TargetEmail, Address: "support@example.test"})
	r.What, r.Lang = WhatDigest, "de"
	ctx := context.Background()
	if err := s.Tick(ctx, []Rule{r}); err != nil {
		t.Fatal(err)
	}
	// A second instance on the same ledger sends nothing more.
	s2 := &Scheduler{Now: clk.Now, Ledger: led, Mail: rl.mailer(), Digests: src}
	if err := s2.Tick(ctx, []Rule{r}); err != nil {
		t.Fatal(err)
	}
	got := readInbox(t, rl.box)
	if len(got) != 1 {
		t.Fatalf("mailbox holds %d messages, want 1", len(got))
	}
	m := got[0]
	if m.subject != "Stormdesk-Übersicht: „Acme <Air>“, 2026-12-02" {
		t.Errorf("subject %q", m.subject)
	}
	if want := messageID("digest", "r1", "2026-12-02", "alerts@acme.example"); m.messageID != want {
		t.Errorf("Message-ID %q, want %q (derived from rule and day)", m.messageID, want)
	}
	for _, want := range []string{"Erwähnungen: 4", "Positiv 1 · Neutral 1 · Negativ 2", "Nach Quelle: vk 3 · hn 1",
		`Flight <a href="javascript:alert(1)">delayed</a> again &amp; <script>x</script>`, "https://reddit.example/r/air/comments/c?x=1&y=<2>"} {
		if !strings.Contains(m.plain, want) {
			t.Errorf("plain part lacks %q:\n%s", want, m.plain)
		}
	}
	if strings.Contains(m.html, "<script>") || strings.Contains(m.html, `<a href="javascript`) || strings.Contains(m.html, "<b>evil") {
		t.Errorf("HTML part carries the mention's markup:\n%s", m.html)
	}
	for _, want := range []string{"&lt;script&gt;x&lt;/script&gt;", "&amp;amp;", "<b>&lt;b&gt;evil&lt;/b&gt; &amp; &quot;co&quot;</b>", `<html lang="de">`} {
		if !strings.Contains(m.html, want) {
			t.Errorf("HTML part lacks %q:\n%s", want, m.html)
		}
	}
}

func TestMailAlertAndErrors(t *testing.T) {
	rl := startRelay(t)
	led, _ := sqliteLedger(t)
	clk := &testClock{t: berlin(t, 2026, 12, 3, 12, 0)}
	ctx := context.Background()
	r := berlinRule(Target{Kind: TargetEmail, Address: "support@example.test"})
	r.What, r.Lang = WhatAlerts, "ru"

	// Wrong password: auth-failed, nothing delivered, the ledger lets the next try go.
	bad := rl.mailer()
	bad.SMTP.Password = "wrong"
	s := &Scheduler{Now: clk.Now, Ledger: led, Mail: bad}
	if err := s.Alert(ctx, r, testAlert("a1", clk.Now())); err == nil {
		t.Fatal("sent with a wrong password")
	}
	if e := s.LastError("r1"); e == nil || e.Code != apperr.CodeAuthFailed {
		t.Fatalf("last error %v, want %s", e, apperr.CodeAuthFailed)
	}
	s.Mail = rl.mailer()
	if err := s.Alert(ctx, r, testAlert("a1", clk.Now())); err != nil {
		t.Fatal(err)
	}
	got := readInbox(t, rl.box)
	if len(got) != 1 || got[0].subject != "Stormdesk: всплеск упоминаний «Acme <Air>»" {
		t.Fatalf("mailbox: %+v", got)
	}
	if !strings.Contains(got[0].plain, "23 негативных упоминаний с 11:15 (1 ч); ожидалось 4.5.") {
		t.Errorf("plain part:\n%s", got[0].plain)
	}
	// Nothing listens: unreachable.
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	gone := rl.mailer()
	gone.SMTP.Port = port
	s3 := &Scheduler{Now: clk.Now, Ledger: led, Mail: gone}
	r.ID = "r3"
	if err := s3.Alert(ctx, r, testAlert("a9", clk.Now())); err == nil {
		t.Fatal("sent to a closed port")
	}
	if e := s3.LastError("r3"); e == nil || e.Code != apperr.CodeUnreachable {
		t.Fatalf("last error %v, want %s", e, apperr.CodeUnreachable)
	}
}
