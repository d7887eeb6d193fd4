package whatsapp_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/channels/graph"
	"github.com/stormdesk/stormdesk/backend/channels/graph/graphfake"
	"github.com/stormdesk/stormdesk/backend/channels/whatsapp"
	"github.com/stormdesk/stormdesk/backend/channels/whatsapp/whatsappfake"
)

const (
	phoneID = "106540352242922"
	wabaID  = "102290129340398"
	token   = "system-user-token"
	olga    = "4915112345678"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func setup(t *testing.T) (*whatsapp.Connector, *whatsappfake.Server, *clock, *channeltest.Sleeps) {
	t.Helper()
	clk := &clock{time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)}
	fake := whatsappfake.New(phoneID, wabaID, "+49 30 1234567")
	t.Cleanup(fake.Close)
	fake.SetNow(clk.now)
	fake.AddToken(token, graphfake.Token{User: "system", Perms: []string{whatsapp.PermMessaging, whatsapp.PermManagement}})
	fake.AddTemplate(whatsappfake.Template{Name: "refund_update", Language: "en_US", Category: "UTILITY", Components: []whatsappfake.Component{
		{Type: "HEADER", Format: "TEXT", Text: "Booking {{1}}"},
		{Type: "BODY", Text: "Hello {{1}}, your refund of {{2}} is on its way."},
	}})
	fake.AddTemplate(whatsappfake.Template{Name: "summer_sale", Language: "en_US", Category: "MARKETING", Status: "PENDING",
		Components: []whatsappfake.Component{{Type: "BODY", Text: "Sale!"}}})
	sl := &channeltest.Sleeps{}
	cfg := whatsapp.Config{PhoneNumberID: phoneID, WABAID: wabaID, Token: token, HTTPClient: fake.Client(), BaseURL: fake.URL(),
		Retry: channels.Retry{Sleep: sl.Sleep}, Now: clk.now}
	return channeltest.New(t, whatsapp.New, cfg), fake, clk, sl
}

func reply(text string) channels.Reply {
	return channels.Reply{ThreadKey: whatsapp.ThreadKey(olga), Text: text, IdempotencyKey: "k1"}
}

func TestReplyInsideTheWindowQuotesTheMessage(t *testing.T) {
	c, fake, clk, _ := setup(t)
	in, _ := fake.Receive(olga, "Olga", "Where is my refund?", clk.t.Add(-23*time.Hour))
	r := reply("It left our bank today.")
	r.InReplyTo = in
	s, err := c.Reply(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	sent := fake.Sent()
	if len(sent) != 1 || sent[0].ID != s.ExternalID || sent[0].To != olga || sent[0].Type != "text" || sent[0].Text != r.Text || sent[0].ReplyTo != in {
		t.Fatalf("sent = %+v, answer %+v", sent, s)
	}
}

func TestOutsideTheWindowTextIsRefusedButATemplateGoes(t *testing.T) {
	c, fake, clk, _ := setup(t)
	fake.Receive(olga, "Olga", "Hello?", clk.t.Add(-25*time.Hour))
	_, err := c.Reply(context.Background(), reply("Sorry for the wait"))
	var we *channels.WindowError
	var ge *graph.Error
	if !errors.As(err, &we) || we.Window != graph.StandardWindow || !errors.As(err, &ge) || ge.Code != 131047 || ge.FBTraceID == "" {
		t.Fatalf("err = %v, want a WindowError from 131047 with its fbtrace_id", err)
	}
	if !strings.Contains(ge.Message, "24 hours have passed") {
		t.Errorf("Meta's error_data.details is lost: %v", err)
	}
	if len(fake.Sent()) != 0 {
		t.Fatalf("a refused message counts as sent")
	}

	ts, err := c.Templates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 1 || ts[0].Name != "refund_update" || ts[0].HeaderVars() != 1 || ts[0].BodyVars() != 2 {
		t.Fatalf("templates = %+v, want only the approved one with 1 header and 2 body variables", ts)
	}
	send := whatsapp.TemplateSend{Name: "refund_update", Language: "en_US", Header: []string{"AB12"}, Body: []string{"Olga", "€120"}}
	s, err := c.SendTemplate(context.Background(), whatsapp.ThreadKey(olga), ts[0], send)
	if err != nil {
		t.Fatal(err)
	}
	got := fake.Sent()
	if len(got) != 1 || got[0].ID != s.ExternalID || got[0].Type != "template" || strings.Join(got[0].Params, "|") != "AB12|Olga|€120" {
		t.Fatalf("sent = %+v", got)
	}
	if r := ts[0].Render(send.Header, send.Body); r != "Booking AB12\nHello Olga, your refund of €120 is on its way." {
		t.Errorf("render = %q", r)
	}
}

func TestTemplateErrors(t *testing.T) {
	c, _, _, _ := setup(t)
	ctx := context.Background()
	ts, err := c.Templates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Too few values: refused before any call, in our words.
	if _, err := c.SendTemplate(ctx, whatsapp.ThreadKey(olga), ts[0], whatsapp.TemplateSend{Name: "refund_update", Language: "en_US", Body: []string{"x"}}); err == nil || !strings.Contains(err.Error(), "needs 1 header and 2 body values") {
		t.Errorf("err = %v", err)
	}
	// A template Meta does not have (deleted since it was listed): 132001.
	gone := whatsapp.Template{Name: "gone", Language: "de"}
	_, err = c.SendTemplate(ctx, whatsapp.ThreadKey(olga), gone, whatsapp.TemplateSend{Name: "gone", Language: "de"})
	var ge *graph.Error
	if !errors.As(err, &ge) || ge.Code != graph.CodeWANoTemplate {
		t.Errorf("err = %v, want 132001", err)
	}
}

func TestErrorCodes(t *testing.T) {
	cases := []struct {
		name  string
		fail  graphfake.Failure
		check func(error) bool
	}{
		{"4 app rate limit waits as Meta says", graphfake.Failure{Code: 4, RegainMinutes: 7}, func(err error) bool {
			var rl *channels.RateLimitError
			return errors.As(err, &rl) && rl.RetryAfter == 7*time.Minute
		}},
		{"80001 business use case limit with Retry-After", graphfake.Failure{Code: 80001, RetryAfter: "120"}, func(err error) bool {
			var rl *channels.RateLimitError
			return errors.As(err, &rl) && rl.RetryAfter == 2*time.Minute
		}},
		{"HTTP 429 with Retry-After", graphfake.Failure{HTTPStatus: 429, RetryAfter: "900"}, func(err error) bool {
			var rl *channels.RateLimitError
			return errors.As(err, &rl) && rl.RetryAfter == 15*time.Minute
		}},
		{"130429 throughput", graphfake.Failure{Code: 130429, RetryAfter: "600"}, func(err error) bool {
			var rl *channels.RateLimitError
			return errors.As(err, &rl) && rl.RetryAfter == 10*time.Minute
		}},
		{"190 expired token asks to reconnect", graphfake.Failure{Code: 190, Subcode: 463, Message: "Session has expired"}, func(err error) bool {
			return errors.Is(err, channels.ErrAuth) && strings.Contains(err.Error(), "reconnect")
		}},
		{"131047 re-engagement", graphfake.Failure{Code: 131047, Message: "Re-engagement message"}, func(err error) bool {
			var we *channels.WindowError
			return errors.As(err, &we)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, fake, clk, _ := setup(t)
			fake.Receive(olga, "Olga", "hi", clk.t.Add(-time.Hour))
			fake.Fail("POST messages", tc.fail)
			_, err := c.Reply(context.Background(), reply("hello"))
			if !tc.check(err) {
				t.Fatalf("err = %v", err)
			}
			if len(fake.Sent()) != 0 {
				t.Errorf("sent despite the error")
			}
		})
	}
}

func TestTransientErrorOfASendIsNotRepeated(t *testing.T) {
	// Meta takes no idempotency key for messages: after error 2 the message
	// may have gone out, so the outbox decides, not a blind retry.
	c, fake, clk, _ := setup(t)
	fake.Receive(olga, "Olga", "hi", clk.t.Add(-time.Hour))
	fake.Fail("POST messages", graphfake.Failure{Code: 2, HTTPStatus: 500})
	if _, err := c.Reply(context.Background(), reply("hello")); err == nil {
		t.Fatal("no error")
	}
	if n := strings.Count(strings.Join(fake.Calls(), "\n"), "messages"); n != 1 {
		t.Errorf("%d send calls, want 1", n)
	}
}

func TestTestConnection(t *testing.T) {
	c, fake, _, _ := setup(t)
	if err := c.Test(context.Background()); err != nil {
		t.Fatal(err)
	}
	// A passing test reports the token's permissions, read from /me/permissions.
	fake.SetPerms(token, []string{whatsapp.PermMessaging, whatsapp.PermManagement, "business_management"}, []string{"catalog_management"})
	perms, err := c.TestPermissions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if g := strings.Join(perms.Granted, ","); g != "business_management,whatsapp_business_management,whatsapp_business_messaging" || perms.Missing == nil || len(perms.Missing) != 0 {
		t.Fatalf("permissions = %+v", perms)
	}
	// A token that cannot list its permissions still passes: the calls before proved the account works.
	fake.Fail("GET permissions", graphfake.Failure{Code: 100, Message: "Unsupported get request."})
	perms, err = c.TestPermissions(context.Background())
	if err != nil || perms.Granted == nil || perms.Missing == nil || len(perms.Granted)+len(perms.Missing) != 0 {
		t.Fatalf("permissions not listable: %+v, %v; want a pass with empty lists", perms, err)
	}
	if calls := fake.Calls(); !strings.HasSuffix(calls[len(calls)-1], "/me/permissions") {
		t.Fatalf("last call %v, want the permissions call that failed", calls)
	}
	fake.SetPerms(token, []string{whatsapp.PermMessaging}, nil)
	err = c.Test(context.Background())
	var ge *graph.Error
	if !errors.As(err, &ge) || ge.Permission != whatsapp.PermManagement {
		t.Fatalf("err = %v, want the missing management permission named", err)
	}
	fake.Expire(token)
	if err := c.Test(context.Background()); !errors.Is(err, channels.ErrAuth) {
		t.Fatalf("expired token: %v", err)
	}
}

func TestFetchHasNothingToPoll(t *testing.T) {
	c, fake, _, _ := setup(t)
	b := channeltest.Fetch(t, c, "cur")
	if len(b.Items) != 0 || b.Cursor != "cur" || len(fake.Calls()) != 0 {
		t.Errorf("batch %+v, calls %v", b, fake.Calls())
	}
}
