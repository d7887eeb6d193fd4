package workspace

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels/graph/graphfake"
	"github.com/stormdesk/stormdesk/backend/channels/whatsapp"
	"github.com/stormdesk/stormdesk/backend/channels/whatsapp/whatsappfake"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// tplEnv is a WhatsApp account whose connector talks to whatsappfake, a
// customer who last wrote 30 hours ago (free text refused), and a composer
// in team mode (agent drafts, approver approves).
type tplEnv struct {
	ws   *Workspace
	c    *Composer
	fake *whatsappfake.Server
	conv int64
}

var (
	tplAgent    = drafts.Actor{Name: "anna", Role: drafts.RoleAgent}
	tplApprover = drafts.Actor{Name: "boris", Role: drafts.RoleApprover}
)

func tplSetup(t *testing.T) *tplEnv {
	t.Helper()
	ctx := context.Background()
	e := &tplEnv{ws: openAtDSN(t, sharedDSN(t))}
	e.fake = whatsappfake.New(waPhoneID, waWABA, "+49 30 1234567")
	t.Cleanup(e.fake.Close)
	e.fake.AddToken(waToken, graphfake.Token{User: "system", Perms: []string{whatsapp.PermMessaging, whatsapp.PermManagement}})
	e.fake.AddTemplate(whatsappfake.Template{Name: "refund_update", Language: "en_US", Category: "UTILITY", Components: []whatsappfake.Component{
		{Type: "HEADER", Format: "TEXT", Text: "Booking {{1}}"},
		{Type: "BODY", Text: "Hello {{1}}, your refund of {{2}} is on its way."},
	}})
	e.fake.AddTemplate(whatsappfake.Template{Name: "boarding_pass", Language: "en_US", Category: "UTILITY", Components: []whatsappfake.Component{
		{Type: "HEADER", Format: "DOCUMENT"}, {Type: "BODY", Text: "Your boarding pass."},
	}})
	e.fake.AddTemplate(whatsappfake.Template{Name: "track_order", Language: "en_US", Category: "UTILITY", Components: []whatsappfake.Component{
		{Type: "BODY", Text: "Hello {{1}}, your order has shipped."},
		{Type: "BUTTONS", Buttons: []whatsappfake.Button{
			{Type: "QUICK_REPLY", Text: "Stop updates"},
			{Type: "URL", Text: "Track", URL: "https://aurora.example/track/{{1}}"},
		}},
	}})
	e.fake.AddTemplate(whatsappfake.Template{Name: "store_map", Language: "en_US", Category: "UTILITY", Components: []whatsappfake.Component{
		{Type: "HEADER", Format: "LOCATION"}, {Type: "BODY", Text: "Our store."},
	}})
	e.fake.AddTemplate(whatsappfake.Template{Name: "spring_sale", Language: "en_US", Category: "MARKETING", Components: []whatsappfake.Component{
		{Type: "BODY", Text: "Hello {{1}}, 20% off your next flight."},
		{Type: "BUTTONS", Buttons: []whatsappfake.Button{{Type: "COPY_CODE", Text: "Copy offer code"}}},
	}})
	e.fake.AddTemplate(whatsappfake.Template{Name: "login_code", Language: "en_US", Category: "AUTHENTICATION", Components: []whatsappfake.Component{
		{Type: "BODY", Text: "*{{1}}* is your verification code."},
		{Type: "BUTTONS", Buttons: []whatsappfake.Button{{Type: "OTP", OTPType: "COPY_CODE", Text: "Copy code"}}},
	}})
	e.fake.AddTemplate(whatsappfake.Template{Name: "menu", Language: "en_US", Category: "MARKETING", Components: []whatsappfake.Component{
		{Type: "BODY", Text: "Our menu."},
		{Type: "BUTTONS", Buttons: []whatsappfake.Button{{Type: "CATALOG", Text: "View catalog"}}},
	}})
	sec := &memSecrets{m: map[string]string{}}
	acct, err := e.ws.SaveAccount(ctx, sec, AccountInput{Name: "aurora-wa", Channel: inbox.ChannelWhatsApp, Brand: "Aurora Air",
		Settings: `{"phoneNumberId":"` + waPhoneID + `","wabaId":"` + waWABA + `","baseUrl":"` + e.fake.URL() + `"}`,
		Secrets:  map[string]string{whatsapp.SecretToken: waToken, SecretAppSecret: waAppSecret, SecretVerifyToken: waVerify}})
	if err != nil {
		t.Fatal(err)
	}
	last := time.Now().Add(-30 * time.Hour)
	in, _ := e.fake.Receive(waCustomer, "Olga K.", "Where is my refund?", last)
	if _, err := e.ws.Store.SaveItems(ctx, acct.ID, []inbox.Item{{ExternalID: in, ThreadKey: whatsapp.ThreadKey(waCustomer), Kind: inbox.KindDM,
		Direction: inbox.DirectionIn, Author: inbox.Author{ExternalID: waCustomer, DisplayName: "Olga K."}, Text: "Where is my refund?", SentAt: last}}); err != nil {
		t.Fatal(err)
	}
	if e.conv, err = e.ws.Store.ConversationIDByThreadKey(ctx, acct.ID, whatsapp.ThreadKey(waCustomer)); err != nil {
		t.Fatal(err)
	}
	e.c = e.ws.NewComposer(sec)
	e.c.Mode = drafts.ModeTeam
	return e
}

// queued drafts the refund template, has it approved and queued.
func (e *tplEnv) queued(t *testing.T) drafts.Reply {
	t.Helper()
	return e.queuedTemplate(t, drafts.ReplyTemplate{Name: "refund_update", Language: "en_US",
		Header: []string{"AB12CD"}, Body: []string{"Olga", "€120"}})
}

// queuedTemplate drafts tpl, has it approved and queued.
func (e *tplEnv) queuedTemplate(t *testing.T, tpl drafts.ReplyTemplate) drafts.Reply {
	t.Helper()
	ctx := context.Background()
	r, err := e.c.DraftTemplate(ctx, e.conv, tplAgent, tpl)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		who drafts.Actor
		a   drafts.Action
	}{{tplAgent, drafts.ActionSubmit}, {tplApprover, drafts.ActionApprove}, {tplApprover, drafts.ActionQueue}} {
		if r, err = e.c.Step(ctx, r.ID, s.who, drafts.Step{Action: s.a, Mode: drafts.ModeTeam}); err != nil {
			t.Fatalf("%s: %v", s.a, err)
		}
	}
	return r
}

// templatesSent are the template messages the fake accepted.
func (e *tplEnv) templatesSent() []whatsappfake.Sent {
	return slices.DeleteFunc(e.fake.Sent(), func(s whatsappfake.Sent) bool { return s.Type != "template" })
}

func (e *tplEnv) reply(t *testing.T, id string) drafts.Reply {
	t.Helper()
	r, err := e.ws.Store.ReplyByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestTemplatesListedForTheComposer(t *testing.T) {
	e := tplSetup(t)
	ctx := context.Background()
	list, err := e.c.Templates(ctx, e.conv)
	if err != nil {
		t.Fatal(err)
	}
	// The catalog template takes values the composer does not ask for.
	if len(list) != 6 || list[0].Name != "refund_update" || list[0].HeaderVars != 1 || list[0].BodyVars != 2 || list[0].Header != "Booking {{1}}" ||
		list[0].MediaFormat != "" || list[0].Buttons == nil || len(list[0].Buttons) != 0 {
		t.Fatalf("templates %+v", list)
	}
	if b := list[1]; b.Name != "boarding_pass" || b.MediaFormat != "document" || b.HeaderVars != 0 || b.Header != "" {
		t.Fatalf("media header template %+v", b)
	}
	if tr := list[2]; tr.Name != "track_order" || len(tr.Buttons) != 1 || tr.Buttons[0] != (whatsapp.ButtonVar{Index: 1, Type: whatsapp.ButtonURL, Text: "Track", URL: "https://aurora.example/track/{{1}}"}) {
		t.Fatalf("URL button template %+v", tr)
	}
	if l := list[3]; l.Name != "store_map" || l.MediaFormat != "location" || l.Header != "" {
		t.Fatalf("location header template %+v", l)
	}
	if c := list[4]; c.Name != "spring_sale" || len(c.Buttons) != 1 || c.Buttons[0] != (whatsapp.ButtonVar{Index: 0, Type: whatsapp.ButtonCopyCode, Text: "Copy offer code"}) {
		t.Fatalf("copy code template %+v", c)
	}
	if o := list[5]; o.Name != "login_code" || o.BodyVars != 1 || len(o.Buttons) != 1 || o.Buttons[0] != (whatsapp.ButtonVar{Index: 0, Type: whatsapp.ButtonOTP, Text: "Copy code"}) {
		t.Fatalf("one-time code template %+v", o)
	}
	calls := len(e.fake.Calls())
	if _, err := e.c.Templates(ctx, e.conv); err != nil || len(e.fake.Calls()) != calls {
		t.Fatalf("second listing within a minute asked Meta again (%d calls, was %d): %v", len(e.fake.Calls()), calls, err)
	}
}

func TestDraftTemplateChecksTheValues(t *testing.T) {
	e := tplSetup(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		tpl  drafts.ReplyTemplate
		code string
	}{
		{"a value missing", drafts.ReplyTemplate{Name: "refund_update", Language: "en_US", Header: []string{"AB12CD"}, Body: []string{"Olga"}}, apperr.CodeTemplateParams},
		{"a value blank", drafts.ReplyTemplate{Name: "refund_update", Language: "en_US", Header: []string{"AB12CD"}, Body: []string{"Olga", "  "}}, apperr.CodeTemplateParams},
		{"another language", drafts.ReplyTemplate{Name: "refund_update", Language: "de", Header: []string{"AB12CD"}, Body: []string{"Olga", "€1"}}, apperr.CodeTemplateMissing},
		{"unknown template", drafts.ReplyTemplate{Name: "nope", Language: "en_US"}, apperr.CodeTemplateMissing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.c.DraftTemplate(ctx, e.conv, tplAgent, tc.tpl)
			if got := apperr.Classify(err).Code; got != tc.code {
				t.Fatalf("code %q (%v), want %q", got, err, tc.code)
			}
		})
	}
	r, err := e.c.DraftTemplate(ctx, e.conv, tplAgent, drafts.ReplyTemplate{Name: "refund_update", Language: "en_US", Header: []string{" AB12CD "}, Body: []string{"Olga", "€120"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Text != "Booking AB12CD\nHello Olga, your refund of €120 is on its way." || r.Source != drafts.SourceTemplate || slices.Contains(r.Allowed, drafts.ActionEdit) {
		t.Fatalf("template reply %+v", r)
	}
}

// A template reply goes out once through the Cloud API's template send,
// even when Meta throttles or the connection drops on the way.
func TestOutboxSendsTheTemplateOnce(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		fail *graphfake.Failure
		// retried: the person retries the failed reply (a dropped connection
		// may or may not have sent it: the outbox does not guess).
		retried bool
		want    int // template messages Meta accepted in the end
	}{
		{name: "straight"},
		{name: "429 with Retry-After", fail: &graphfake.Failure{HTTPStatus: http.StatusTooManyRequests, RetryAfter: "120"}},
		{name: "connection dropped before Meta acted", fail: &graphfake.Failure{Drop: graphfake.DropBefore}, retried: true},
		{name: "connection dropped after Meta sent it", fail: &graphfake.Failure{Drop: graphfake.DropAfter}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := tplSetup(t)
			r := e.queued(t)
			if tc.fail != nil {
				e.fake.Fail("POST messages", *tc.fail)
			}
			now := time.Now()
			ob := e.c.Outbox()
			if _, _, err := ob.RunOnce(ctx, now); err != nil {
				t.Fatal(err)
			}
			switch {
			case tc.fail == nil:
			case tc.fail.HTTPStatus == http.StatusTooManyRequests:
				if got := e.reply(t, r.ID); got.State != drafts.StateQueued || len(e.templatesSent()) != 0 {
					t.Fatalf("after the 429: %s, %d sent", got.State, len(e.templatesSent()))
				}
				// Not before the time Meta named.
				if sent, _, _ := ob.RunOnce(ctx, now.Add(110*time.Second)); sent != 0 {
					t.Fatal("sent before Retry-After passed")
				}
				if sent, _, err := ob.RunOnce(ctx, now.Add(125*time.Second)); sent != 1 || err != nil {
					t.Fatalf("after Retry-After: sent %d, %v", sent, err)
				}
			default:
				// The outcome is unknown: failed for a person to look, never resent by itself.
				got := e.reply(t, r.ID)
				if code, _, _, _ := apperr.Decode(got.FailReason); got.State != drafts.StateFailed || code != apperr.CodeOutcomeUnknown {
					t.Fatalf("after a dropped connection the reply is %s (%s), want failed with %s", got.State, got.FailReason, apperr.CodeOutcomeUnknown)
				}
				if tc.retried {
					if _, err := e.c.Step(ctx, r.ID, tplApprover, drafts.Step{Action: drafts.ActionRetry, Mode: drafts.ModeTeam}); err != nil {
						t.Fatal(err)
					}
					if sent, _, err := ob.RunOnce(ctx, time.Now()); sent != 1 || err != nil {
						t.Fatalf("retry: sent %d, %v", sent, err)
					}
				}
			}
			// Later passes find nothing to send.
			if sent, _, err := ob.RunOnce(ctx, time.Now().Add(time.Hour)); sent != 0 || err != nil {
				t.Fatalf("a later pass sent %d (%v)", sent, err)
			}
			got := e.templatesSent()
			if len(got) != 1 {
				t.Fatalf("Meta accepted %d template messages, want exactly 1: %+v", len(got), got)
			}
			if got[0].Text != "refund_update" || got[0].To != waCustomer {
				t.Fatalf("sent %+v", got[0])
			}
			if tc.fail != nil && tc.fail.Drop == graphfake.DropAfter {
				return
			}
			final := e.reply(t, r.ID)
			if final.State != drafts.StateSent || final.ExternalID != got[0].ID {
				t.Fatalf("reply %s, external id %q, want sent as %q", final.State, final.ExternalID, got[0].ID)
			}
			msgs, err := e.ws.Store.Thread(ctx, e.conv)
			if err != nil {
				t.Fatal(err)
			}
			if out := msgs[len(msgs)-1]; out.Direction != inbox.DirectionOut || !strings.Contains(out.Text, "your refund of €120") {
				t.Fatalf("the thread's copy %+v", out)
			}
		})
	}
}

// Meta's template refusals fail the reply with a code the page words in the
// person's language.
func TestOutboxTemplateRefusalsAreCoded(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		code int
		want string
	}{{132000, apperr.CodeTemplateParams}, {132001, apperr.CodeTemplateMissing}} {
		t.Run(tc.want, func(t *testing.T) {
			e := tplSetup(t)
			r := e.queued(t)
			e.fake.Fail("POST messages", graphfake.Failure{Code: tc.code, Details: "refused by the fake"})
			if _, failed, err := e.c.Outbox().RunOnce(ctx, time.Now()); failed != 1 || err != nil {
				t.Fatalf("failed %d, %v", failed, err)
			}
			got := e.reply(t, r.ID)
			code, _, detail, ok := apperr.Decode(got.FailReason)
			if got.State != drafts.StateFailed || !ok || code != tc.want || !strings.Contains(detail, "refused by the fake") {
				t.Fatalf("reply %s, reason %q", got.State, got.FailReason)
			}
		})
	}
}

// A template reply in a conversation whose channel has no templates is refused.
func TestTemplateRefusedOnOtherChannels(t *testing.T) {
	e := tplSetup(t)
	ctx := context.Background()
	acct, err := e.ws.Store.EnsureAccount(ctx, inbox.Account{Name: "acme-masto", Channel: inbox.ChannelMastodon, Brand: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.ws.Store.SaveItems(ctx, acct.ID, []inbox.Item{{ExternalID: "m1", ThreadKey: "status:m1", Kind: inbox.KindComment,
		Direction: inbox.DirectionIn, Author: inbox.Author{ExternalID: "u1"}, Text: "hi", SentAt: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	conv, err := e.ws.Store.ConversationIDByThreadKey(ctx, acct.ID, "status:m1")
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.c.Templates(ctx, conv)
	if got := apperr.Classify(err).Code; got != apperr.CodeTemplateUnsupported {
		t.Fatalf("templates on Mastodon: %q (%v)", got, err)
	}
	_, err = e.c.DraftTemplate(ctx, conv, tplAgent, drafts.ReplyTemplate{Name: "refund_update", Language: "en_US"})
	if got := apperr.Classify(err).Code; got != apperr.CodeTemplateUnsupported {
		t.Fatalf("template reply on Mastodon: %q (%v)", got, err)
	}
}
