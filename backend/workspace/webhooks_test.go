package workspace

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/graph/graphfake"
	"github.com/stormdesk/stormdesk/backend/channels/metahook"
	"github.com/stormdesk/stormdesk/backend/channels/whatsapp"
	"github.com/stormdesk/stormdesk/backend/channels/whatsapp/whatsappfake"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

const (
	waPhoneID   = "106540352242922"
	waWABA      = "102290129340398"
	waAppSecret = "app-secret-of-aurora"
	waVerify    = "verify-me-please"
	waToken     = "system-user-token"
	waCustomer  = "4915112345678"
)

type hookEnv struct {
	ws      *Workspace
	acct    inbox.Account
	url     string
	fake    *whatsappfake.Server
	changed int
}

// hookSetup stores a WhatsApp account the way Settings does, on the engine
// under test, and serves the webhook handler over HTTP.
func hookSetup(t *testing.T, maxBody int64) *hookEnv {
	t.Helper()
	ctx := context.Background()
	e := &hookEnv{ws: openAtDSN(t, sharedDSN(t))}
	sec := &memSecrets{m: map[string]string{}}
	var err error
	e.acct, err = e.ws.SaveAccount(ctx, sec, AccountInput{Name: "aurora-wa", Channel: inbox.ChannelWhatsApp, Brand: "Aurora Air",
		Settings: `{"phoneNumberId":"` + waPhoneID + `","wabaId":"` + waWABA + `"}`,
		Secrets:  map[string]string{whatsapp.SecretToken: waToken, SecretAppSecret: waAppSecret, SecretVerifyToken: waVerify}})
	if err != nil {
		t.Fatal(err)
	}
	h := &metahook.Handler{Sink: WebhookSink{W: e.ws, Secrets: sec, Changed: func(context.Context) { e.changed++ }}, MaxBody: maxBody}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e.url = srv.URL + metahook.Prefix + "whatsapp"
	e.fake = whatsappfake.New(waPhoneID, waWABA, "+49 30 1234567")
	t.Cleanup(e.fake.Close)
	e.fake.AddToken(waToken, graphfake.Token{User: "system", Perms: []string{whatsapp.PermMessaging, whatsapp.PermManagement}})
	return e
}

func (e *hookEnv) deliver(t *testing.T, secret string, p any) int {
	t.Helper()
	code, err := whatsappfake.Deliver(context.Background(), http.DefaultClient, e.url, secret, p)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func (e *hookEnv) thread(t *testing.T) []inbox.Message {
	t.Helper()
	ctx := context.Background()
	id, err := e.ws.Store.ConversationIDByThreadKey(ctx, e.acct.ID, whatsapp.ThreadKey(waCustomer))
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := e.ws.Store.Thread(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

func TestWebhookVerificationChallenge(t *testing.T) {
	e := hookSetup(t, 0)
	cases := []struct {
		name  string
		query url.Values
		code  int
		body  string
	}{
		{"the configured token", url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {waVerify}, "hub.challenge": {"1158201444"}}, 200, "1158201444"},
		{"a wrong token", url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {"guess"}, "hub.challenge": {"1"}}, 403, ""},
		{"no token", url.Values{"hub.mode": {"subscribe"}, "hub.challenge": {"1"}}, 403, ""},
		{"not a subscription", url.Values{"hub.mode": {"unsubscribe"}, "hub.verify_token": {waVerify}, "hub.challenge": {"1"}}, 400, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.Get(e.url + "?" + tc.query.Encode())
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.code || (tc.body != "" && string(b) != tc.body) {
				t.Fatalf("%d %q, want %d %q", resp.StatusCode, b, tc.code, tc.body)
			}
		})
	}
	if resp, err := http.Get(strings.Replace(e.url, "whatsapp", "myspace", 1) + "?hub.mode=subscribe"); err != nil || resp.StatusCode != 404 {
		t.Errorf("unknown platform: %v %v", resp.StatusCode, err)
	}
}

func TestWebhookMessagesStoredOnceAndOnlyWhenSigned(t *testing.T) {
	e := hookSetup(t, 0)
	at := time.Now().Add(-time.Minute).Truncate(time.Second)
	wamid, p := e.fake.Receive(waCustomer, "Olga K.", "Where is my refund?", at)

	// Unsigned, or signed with another secret: refused, nothing stored.
	body := []byte(`{"object":"whatsapp_business_account","entry":[]}`)
	resp, err := http.Post(e.url, "application/json", bytes.NewReader(body))
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unsigned: %v %v", resp.StatusCode, err)
	}
	req, _ := http.NewRequest(http.MethodPost, e.url, bytes.NewReader(body))
	req.Header.Set("X-Hub-Signature-256", "sha1=abc")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("malformed signature: %v %v", resp.StatusCode, err)
	}
	if code := e.deliver(t, "not-the-app-secret", p); code != http.StatusForbidden {
		t.Fatalf("wrong secret: %d", code)
	}
	if _, err := e.ws.Store.ConversationIDByThreadKey(context.Background(), e.acct.ID, whatsapp.ThreadKey(waCustomer)); err == nil {
		t.Fatal("a refused webhook stored a conversation")
	}

	// Signed: stored; replayed (Meta retries until it gets 200): stored once.
	for i := range 3 {
		if code := e.deliver(t, waAppSecret, p); code != http.StatusOK {
			t.Fatalf("delivery %d: %d", i, code)
		}
	}
	msgs := e.thread(t)
	if len(msgs) != 1 || msgs[0].ExternalID != wamid || msgs[0].Text != "Where is my refund?" || msgs[0].Direction != inbox.DirectionIn ||
		msgs[0].Kind != inbox.KindDM || !msgs[0].SentAt.Equal(at) {
		t.Fatalf("thread = %+v", msgs)
	}
	if e.changed != 1 {
		t.Errorf("changed %d times, want once (replays store nothing)", e.changed)
	}

	// A payload for a phone number not set up here is acknowledged and dropped.
	other := whatsappfake.New("999", waWABA, "+1 555")
	defer other.Close()
	_, po := other.Receive(waCustomer, "Olga K.", "hi", at)
	if code := e.deliver(t, waAppSecret, po); code != http.StatusOK {
		t.Fatalf("other number: %d", code)
	}
	if n := len(e.thread(t)); n != 1 {
		t.Errorf("a message to another number was stored (%d messages)", n)
	}
}

func TestWebhookBodyLimit(t *testing.T) {
	e := hookSetup(t, 512)
	_, p := e.fake.Receive(waCustomer, "Olga K.", strings.Repeat("long ", 200), time.Now())
	if code := e.deliver(t, waAppSecret, p); code != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized body: %d", code)
	}
}

// TestWebhookStatusesUpdateTheReply sends a reply through the real client
// against the fake, records it sent as the outbox does, and feeds Meta's
// statuses for it: the reply shows the furthest, a replayed or late one
// changes nothing, and a failure keeps Meta's error.
func TestWebhookStatusesUpdateTheReply(t *testing.T) {
	ctx := context.Background()
	e := hookSetup(t, 0)
	in, p := e.fake.Receive(waCustomer, "Olga K.", "Is my flight on time?", time.Now().Add(-time.Hour))
	if code := e.deliver(t, waAppSecret, p); code != 200 {
		t.Fatal(code)
	}
	conv, err := e.ws.Store.ConversationIDByThreadKey(ctx, e.acct.ID, whatsapp.ThreadKey(waCustomer))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := whatsapp.New(whatsapp.Config{PhoneNumberID: waPhoneID, WABAID: waWABA, Token: waToken, HTTPClient: e.fake.Client(), BaseURL: e.fake.URL()})
	if err != nil {
		t.Fatal(err)
	}
	sent, err := conn.Reply(ctx, channels.Reply{ThreadKey: whatsapp.ThreadKey(waCustomer), InReplyTo: in, Text: "Yes, on time.", IdempotencyKey: "r1"})
	if err != nil {
		t.Fatal(err)
	}
	markSent(t, e.ws, "r1", conv, sent)

	msg := e.fake.Sent()[0]
	steps := []struct {
		status string
		want   string
	}{{"sent", "sent"}, {"delivered", "delivered"}, {"read", "read"}, {"delivered", "read"}, {"read", "read"}}
	for _, st := range steps {
		if code := e.deliver(t, waAppSecret, e.fake.Status(msg, st.status, time.Now(), 0)); code != 200 {
			t.Fatalf("%s: %d", st.status, code)
		}
		ds, err := e.ws.Store.ReplyDeliveries(ctx, conv)
		if err != nil || ds["r1"].Status != st.want {
			t.Fatalf("after %s: %+v %v, want %s", st.status, ds, err, st.want)
		}
	}
	if code := e.deliver(t, waAppSecret, e.fake.Status(msg, "failed", time.Now(), 131026)); code != 200 {
		t.Fatal(code)
	}
	ds, _ := e.ws.Store.ReplyDeliveries(ctx, conv)
	if d := ds["r1"]; d.Status != "failed" || d.ErrorCode != 131026 || !strings.Contains(d.Error, "undeliverable") {
		t.Fatalf("failed status: %+v", d)
	}
}

// markSent records reply id as the outbox does after a successful send.
func markSent(t *testing.T, ws *Workspace, id string, conv int64, s channels.Sent) {
	t.Helper()
	markSentIn(t, ws, id, conv, whatsapp.ThreadKey(waCustomer), s)
}

// markSentIn is markSent for a reply in thread threadKey.
func markSentIn(t *testing.T, ws *Workspace, id string, conv int64, threadKey string, s channels.Sent) {
	t.Helper()
	ctx := context.Background()
	agent := drafts.Actor{Name: "anna", Role: drafts.RoleAgent}
	approver := drafts.Actor{Name: "boris", Role: drafts.RoleApprover}
	system := drafts.Actor{Name: "outbox", Role: drafts.RoleSystem}
	now := time.Now()
	r, audit, err := drafts.NewReply(id, conv, drafts.Draft{Text: "Yes, on time.", Lang: "en", Source: drafts.SourceLLM, Citations: []string{}, Problems: []string{}}, agent, false, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.Store.CreateReply(ctx, r, audit); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		who drafts.Actor
		a   drafts.Action
	}{{agent, drafts.ActionSubmit}, {approver, drafts.ActionApprove}, {agent, drafts.ActionQueue}} {
		if _, err := ws.Store.ApplyReplyStep(ctx, id, func(r drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
			return drafts.Apply(r, step.who, drafts.Step{Action: step.a}, now)
		}); err != nil {
			t.Fatal(err)
		}
	}
	out := &inbox.Item{ExternalID: s.ExternalID, ThreadKey: threadKey, Kind: inbox.KindDM, Direction: inbox.DirectionOut, Text: "Yes, on time.", SentAt: s.SentAt}
	if err := ws.Store.MarkSent(ctx, id, s.SentAt, out, func(r drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
		return drafts.Apply(r, system, drafts.Step{Action: drafts.ActionSent, ExternalID: s.ExternalID}, s.SentAt)
	}); err != nil {
		t.Fatal(err)
	}
}

// TestWhatsAppWindowInTheComposer: a conversation that came by webhook may be
// answered freely for 24 hours; after that the send check says the window
// closed, and when (WhatsApp has no 7-day human agent tag).
func TestWhatsAppWindowInTheComposer(t *testing.T) {
	ctx := context.Background()
	e := hookSetup(t, 0)
	last := time.Now().Add(-time.Hour).Truncate(time.Second)
	_, p := e.fake.Receive(waCustomer, "Olga K.", "Hello?", last)
	if code := e.deliver(t, waAppSecret, p); code != 200 {
		t.Fatal(code)
	}
	id, err := e.ws.Store.ConversationIDByThreadKey(ctx, e.acct.ID, whatsapp.ThreadKey(waCustomer))
	if err != nil {
		t.Fatal(err)
	}
	conv, err := e.ws.Store.ConversationByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if why, err := e.ws.messagingWindow(ctx, conv, last.Add(23*time.Hour)); why != nil || err != nil {
		t.Fatalf("inside 24 h: %v %v", why, err)
	}
	why, err := e.ws.messagingWindow(ctx, conv, last.Add(25*time.Hour))
	if err != nil || why == nil {
		t.Fatalf("after 25 h: %v %v", why, err)
	}
	if got := apperr.Classify(why); got.Params["rule"] != "messaging-window" || got.Params["closedAt"] != last.Add(24*time.Hour).UTC().Format(time.RFC3339) {
		t.Fatalf("classified %+v", got)
	}
}
