package workspace

import (
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/testutil/smtptest"
)

// mailSink is a loopback submission server that requires AUTH PLAIN with
// one password and keeps what it accepts.
type mailSink struct {
	pwd  string
	mu   sync.Mutex
	got  []string // raw messages
	rcpt []string
}

type sinkSession struct {
	s      *mailSink
	authed bool
}

func (x *sinkSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (x *sinkSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, _, pass string) error {
		if pass != x.s.pwd {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "authentication failed"}
		}
		x.authed = true
		return nil
	}), nil
}
func (x *sinkSession) Mail(string, *smtp.MailOptions) error {
	if !x.authed {
		return &smtp.SMTPError{Code: 530, Message: "authentication required"}
	}
	return nil
}
func (x *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	x.s.rcpt = append(x.s.rcpt, to)
	return nil
}
func (x *sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	x.s.got = append(x.s.got, string(b))
	return err
}
func (x *sinkSession) Reset()        {}
func (x *sinkSession) Logout() error { return nil }

// TestForwardDigestByMail sends a topic's digest by e-mail through the SMTP
// account saved in the forwarding settings, with the password read from the
// keyring, once across two ticks.
func TestForwardDigestByMail(t *testing.T) {
	ctx := context.Background()
	sink := &mailSink{pwd: "smtp-pw-from-keyring"}
	port := smtptest.Serve(t, smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &sinkSession{s: sink}, nil }), nil)

	ws := openWS(t)
	sec := &memSecrets{m: map[string]string{}}
	topic, err := ws.SaveListeningTopic(ctx, store.ListeningTopic{Name: "Acme", Query: "acme", Kind: "brand", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.SaveForwardConfig(ctx, sec, ForwardConfig{SMTPHost: "127.0.0.1", SMTPPort: port, SMTPTLS: "plain",
		SMTPUser: "alerts", From: "Stormdesk <alerts@example.com>", SMTPPassword: sink.pwd}); err != nil {
		t.Fatal(err)
	}
	if err := ws.SaveForwardRule(ctx, ForwardRule{TopicID: topic.ID, What: "digest", Emails: []string{"pr@example.com"},
		DigestHour: 9, Lang: "de"}); err != nil {
		t.Fatal(err)
	}
	f := ws.NewForwarder(sec)
	f.Now = func() time.Time { return time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC) }
	for range 2 {
		if err := f.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	}
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if len(sink.got) != 1 || len(sink.rcpt) != 1 || sink.rcpt[0] != "pr@example.com" {
		t.Fatalf("mails %d to %v", len(sink.got), sink.rcpt)
	}
	raw := sink.got[0]
	for _, want := range []string{"Acme", "2026-12-01", "Content-Language: de", "Auto-Submitted: auto-generated"} {
		if !strings.Contains(raw, want) {
			t.Errorf("mail lacks %q:\n%s", want, raw)
		}
	}
	rules, err := ws.ForwardRules(ctx)
	if err != nil || len(rules) != 1 || rules[0].ErrorCode != "" {
		t.Fatalf("rules %+v, %v", rules, err)
	}

	// A wrong password is the rule's last error, coded auth-failed.
	sec.m[forwardSecretKey(ForwardSMTPPassword)] = "wrong"
	f.Now = func() time.Time { return time.Date(2026, 12, 3, 9, 30, 0, 0, time.UTC) }
	if err := f.Tick(ctx); err == nil {
		t.Fatal("a refused password did not fail the tick")
	}
	if rules, _ := ws.ForwardRules(ctx); len(rules) != 1 || rules[0].ErrorCode != "auth-failed" {
		t.Fatalf("last error %+v", rules)
	}
}
