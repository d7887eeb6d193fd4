package mastodon_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/channels/mastodon"
	"github.com/stormdesk/stormdesk/backend/channels/mastodon/mastodonfake"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/ingest"
)

const token = "mastodon-test-token"

func setup(t *testing.T, mod func(*mastodon.Config)) (*mastodonfake.Server, *mastodon.Connector, *channeltest.Sleeps) {
	t.Helper()
	fake := mastodonfake.New(token)
	t.Cleanup(fake.Close)
	if err := fake.AddStatuses(channeltest.Testdata(t, "statuses.json")); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"101", "102", "103", "105", "106"} {
		fake.Notify("mention", "110000000000000"+id)
	}
	sl := &channeltest.Sleeps{}
	cfg := mastodon.Config{BaseURL: fake.URL, Token: token, HTTPClient: fake.Client(), Retry: channels.Retry{Sleep: sl.Sleep}}
	return fake, channeltest.New(t, mastodon.New, cfg, mod), sl
}

func sid(n int) string { return fmt.Sprintf("110000000000000%03d", n) }

func TestFetchMapsStatuses(t *testing.T) {
	_, c, _ := setup(t, nil)
	b, err := c.Fetch(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		id, thread string
		kind       inbox.MessageKind
		dir        inbox.Direction
		text       string
	}
	wants := []want{
		{sid(103), "dm:" + sid(103), inbox.KindDM, inbox.DirectionIn, "@acme заказ не пришёл"},
		{sid(104), "dm:" + sid(103), inbox.KindDM, inbox.DirectionOut, "@ivan Проверим!"},
		{sid(105), "dm:" + sid(103), inbox.KindDM, inbox.DirectionIn, "@acme всё ещё нет 😤"},
		{sid(101), "status:" + sid(101), inbox.KindComment, inbox.DirectionIn, "@acme Lieferung seit 2 Wochen überfällig 😡 https://example.com/orders/42/details"},
		{sid(102), "status:" + sid(90), inbox.KindComment, inbox.DirectionIn, "@acme שלום 👋🏽 مرحبا & <thanks>\u200f\nsecond line\n\npara 2"},
		{sid(106), "status:" + sid(106), inbox.KindComment, inbox.DirectionIn, "CW: complaint\n\n@acme support never answers"},
	}
	if len(b.Items) != len(wants) {
		for _, it := range b.Items {
			t.Logf("%s %s", it.ExternalID, it.ThreadKey)
		}
		t.Fatalf("got %d items, want %d (duplicates of direct mentions dropped)", len(b.Items), len(wants))
	}
	norm := ingest.NewNormalizer(time.Now)
	for i, w := range wants {
		it := b.Items[i]
		if it.ExternalID != w.id || it.ThreadKey != w.thread || it.Kind != w.kind || it.Direction != w.dir || it.Text != w.text || it.HTML != "" {
			t.Errorf("item %d = {%s %s %s %s %q html %q}, want %+v", i, it.ExternalID, it.ThreadKey, it.Kind, it.Direction, it.Text, it.HTML, w)
		}
		if n, err := norm.Normalize(inbox.ChannelMastodon, it); err != nil || n.Text != w.text {
			t.Errorf("item %d through ingest: %q, %v", i, n.Text, err)
		}
	}
	if a := b.Items[3].Author; a.ExternalID != "201" || a.Handle != "@jorg@social.example" || a.DisplayName != "Jörg" || a.Reach != 350 {
		t.Errorf("author = %+v", a)
	}
	if it := b.Items[4]; !reflect.DeepEqual(it.References, []string{sid(90)}) || len(it.Attachments) != 1 || it.Attachments[0].Name != "box.png" {
		t.Errorf("reply item refs %v attachments %+v", it.References, it.Attachments)
	}
	if b.More || b.Skipped != 0 {
		t.Errorf("More %v Skipped %d", b.More, b.Skipped)
	}
}

func TestFetchIncremental(t *testing.T) {
	fake, c, _ := setup(t, nil)
	first, err := c.Fetch(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.Fetch(t.Context(), first.Cursor)
	if err != nil || len(again.Items) != 0 || again.Cursor != first.Cursor {
		t.Fatalf("refetch = %d items cursor %q (%v), want none and %q", len(again.Items), again.Cursor, err, first.Cursor)
	}
	err = fake.AddStatuses([]byte(`[
	 {"id":"110000000000000107","created_at":"2026-01-02T08:00:00.000Z","in_reply_to_id":"110000000000000105","visibility":"direct","spoiler_text":"","content":"<p>@acme hallo?</p>","account":{"id":"203","username":"ivan","acct":"ivan@mstdn.example","display_name":"Иван","followers_count":5000},"media_attachments":[]},
	 {"id":"110000000000000108","created_at":"2026-01-02T08:01:00.000Z","in_reply_to_id":null,"visibility":"public","spoiler_text":"","content":"<p>@acme new issue</p>","account":{"id":"205","username":"ola","acct":"ola","display_name":"Ola","followers_count":1},"media_attachments":[]}]`))
	if err != nil {
		t.Fatal(err)
	}
	fake.Notify("mention", sid(107))
	fake.Notify("mention", sid(108))
	b, err := c.Fetch(t.Context(), first.Cursor)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range b.Items {
		got = append(got, it.ExternalID+" "+it.ThreadKey)
	}
	want := []string{sid(107) + " dm:" + sid(103), sid(108) + " status:" + sid(108)}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("incremental items = %v, want %v", got, want)
	}
	calls := fake.Calls("/api/v1/notifications")
	if q := calls[len(calls)-1].Query; q.Get("min_id") == "" || q.Get("types[]") != "mention" {
		t.Errorf("notifications query = %v, want min_id and types[]=mention", q)
	}
}

func TestFetchBurstIsPagedWithoutGaps(t *testing.T) {
	fake, c, _ := setup(t, func(cfg *mastodon.Config) { cfg.PageSize = 2 })
	first, err := c.Fetch(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	var statuses []string
	for i := range 5 {
		statuses = append(statuses, fmt.Sprintf(`{"id":"11000000000000020%d","created_at":"2026-01-03T08:00:0%d.000Z","in_reply_to_id":null,"visibility":"public","spoiler_text":"","content":"<p>n%d</p>","account":{"id":"30%d","username":"u","acct":"u","display_name":"U","followers_count":0},"media_attachments":[]}`, i, i, i, i))
	}
	if err := fake.AddStatuses([]byte("[" + strings.Join(statuses, ",") + "]")); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		fake.Notify("mention", fmt.Sprintf("11000000000000020%d", i))
	}
	seen := map[string]int{}
	cursor := first.Cursor
	for round := 0; ; round++ {
		if round > 5 {
			t.Fatal("never drained")
		}
		b, err := c.Fetch(t.Context(), cursor)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range b.Items {
			seen[it.Text]++
		}
		cursor = b.Cursor
		if !b.More {
			break
		}
	}
	if len(seen) != 5 {
		t.Errorf("saw %v, want n0..n4 once each", seen)
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("%s seen %d times", k, n)
		}
	}
}

func TestFirstSyncBackfillFollowsLink(t *testing.T) {
	fake, c, _ := setup(t, func(cfg *mastodon.Config) { cfg.PageSize = 2; cfg.BackfillPages = 2 })
	b, err := c.Fetch(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	mentions := 0
	for _, it := range b.Items {
		if it.Kind == inbox.KindComment {
			mentions++
		}
	}
	calls := fake.Calls("/api/v1/notifications")
	if len(calls) != 2 || calls[1].Query.Get("max_id") == "" {
		t.Fatalf("notification calls = %d (%v), want 2 with the second by max_id", len(calls), calls)
	}
	if mentions != 2 { // of the 4 newest mentions two are direct and come via conversations
		t.Errorf("public mentions from 2 pages = %d, want 2", mentions)
	}
}

func TestSkippedNotificationTypes(t *testing.T) {
	fake, c, _ := setup(t, nil)
	fake.IgnoreTypes = true
	fake.Notify("favourite", sid(90))
	fake.Notify("follow", "")
	b, err := c.Fetch(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	if b.Skipped != 2 || len(b.Items) != 6 {
		t.Errorf("skipped %d items %d, want 2 and 6", b.Skipped, len(b.Items))
	}
}

func TestReplyVisibilityAndThreading(t *testing.T) {
	tests := []struct {
		name      string
		configure string
		r         channels.Reply
		wantVis   string
		wantText  string
	}{
		{"public mention, unlisted by default", "", channels.Reply{ThreadKey: "status:" + sid(101), InReplyTo: sid(101), Text: "Sorry! 🙏"}, "unlisted", "@jorg@social.example Sorry! 🙏"},
		{"public mention, public configured", "public", channels.Reply{ThreadKey: "status:" + sid(101), InReplyTo: sid(101), Text: "Sorry!"}, "public", "@jorg@social.example Sorry!"},
		{"unlisted mention stays unlisted", "public", channels.Reply{ThreadKey: "status:" + sid(90), InReplyTo: sid(102), Text: "תודה"}, "unlisted", "@noa תודה"},
		{"followers-only mention stays private", "public", channels.Reply{ThreadKey: "status:" + sid(106), InReplyTo: sid(106), Text: "We are on it"}, "private", "@kim We are on it"},
		{"direct message stays direct", "public", channels.Reply{ThreadKey: "dm:" + sid(103), InReplyTo: sid(105), Kind: inbox.KindDM, Text: "@ivan@mstdn.example уже в пути"}, "direct", "@ivan@mstdn.example уже в пути"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, c, _ := setup(t, func(cfg *mastodon.Config) { cfg.ReplyVisibility = tt.configure })
			tt.r.IdempotencyKey = "reply-" + tt.name
			sent, err := c.Reply(t.Context(), tt.r)
			if err != nil {
				t.Fatal(err)
			}
			p := fake.Posted()
			if len(p) != 1 {
				t.Fatalf("posted %d", len(p))
			}
			if p[0].Visibility != tt.wantVis || p[0].Status != tt.wantText || p[0].InReplyToID != tt.r.InReplyTo || p[0].IdempotencyKey != tt.r.IdempotencyKey {
				t.Errorf("posted %+v, want visibility %s text %q", p[0], tt.wantVis, tt.wantText)
			}
			if sent.ExternalID != p[0].ID || sent.SentAt.IsZero() {
				t.Errorf("Sent = %+v", sent)
			}
		})
	}
}

func TestReplyIdempotencyKeyPreventsDoubles(t *testing.T) {
	fake, c, _ := setup(t, nil)
	fake.ServiceUnavailable("/api/v1/statuses", 1)
	r := channels.Reply{ThreadKey: "status:" + sid(101), InReplyTo: sid(101), Text: "once", IdempotencyKey: "k-1"}
	a, err := c.Reply(t.Context(), r)
	if err != nil {
		t.Fatalf("503 then success: %v", err)
	}
	b, err := c.Reply(t.Context(), r) // e.g. the app crashed before recording the first send
	if err != nil {
		t.Fatal(err)
	}
	if a.ExternalID != b.ExternalID || len(fake.Posted()) != 1 {
		t.Errorf("ids %s/%s, %d statuses created; want one", a.ExternalID, b.ExternalID, len(fake.Posted()))
	}
	if n := len(fake.Calls("/api/v1/statuses")); n != 3 {
		t.Errorf("%d POSTs, want 3 (503, retry, repeat)", n)
	}
}

func TestModerate(t *testing.T) {
	fake, c, _ := setup(t, nil)
	if _, err := c.Fetch(t.Context(), ""); err != nil {
		t.Fatal(err)
	}
	if err := c.Moderate(t.Context(), channels.Moderation{ExternalID: sid(104), Action: channels.ActionDelete}); err != nil {
		t.Errorf("delete own status: %v", err)
	}
	err := c.Moderate(t.Context(), channels.Moderation{ExternalID: sid(101), Action: channels.ActionDelete})
	if err == nil || !strings.Contains(err.Error(), "only your own") {
		t.Errorf("delete of a customer's status = %v", err)
	}
	if err := c.Moderate(t.Context(), channels.Moderation{ExternalID: sid(101), Action: channels.ActionHide}); err == nil || !strings.Contains(err.Error(), "cannot hide") {
		t.Errorf("hide = %v", err)
	}
	// A connector that never saw the status learns it from the server's 404.
	fresh := channeltest.New(t, mastodon.New, mastodon.Config{BaseURL: fake.URL, Token: token, HTTPClient: fake.Client()})
	err = fresh.Moderate(t.Context(), channels.Moderation{ExternalID: sid(106), Action: channels.ActionDelete})
	var api *channels.APIError
	if !errors.As(err, &api) || api.Code != 404 || !strings.Contains(err.Error(), "not your own") {
		t.Errorf("uncached delete of a customer's status = %v", err)
	}
	if got := fake.Deleted(); !reflect.DeepEqual(got, []string{sid(104)}) {
		t.Errorf("deleted %v", got)
	}
	if n := len(fake.Calls("/api/v1/statuses/" + sid(101))); n != 0 {
		t.Errorf("refused delete still called the server %d times", n)
	}
	if l := c.Limits(); l.MaxTextLength != 500 || l.DeleteWindow != 0 || !strings.Contains(fmt.Sprint(l.Notes), "cannot hide") {
		t.Errorf("Limits = %+v", l)
	}
}

func TestRateLimitThenSuccess(t *testing.T) {
	for _, header := range []bool{true, false} {
		t.Run(fmt.Sprintf("Retry-After=%v", header), func(t *testing.T) {
			fake, c, sl := setup(t, nil)
			fake.RateLimit("/api/v1/notifications", 1, 2*time.Second, header)
			b, err := c.Fetch(t.Context(), "")
			if err != nil || len(b.Items) != 6 {
				t.Fatalf("fetch after 429 = %d items, %v", len(b.Items), err)
			}
			if w := sl.Waits(); len(w) != 1 || w[0] > 2*time.Second || w[0] < time.Second {
				t.Errorf("waits = %v, want one of about 2s from the rate-limit headers", sl.Waits())
			}
		})
	}
}

func TestFetchFailures(t *testing.T) {
	tests := []struct {
		name   string
		inject func(*mastodonfake.Server)
		check  func(error) bool
		msg    string
	}{
		{"malformed", func(f *mastodonfake.Server) { f.Malformed("/api/v1/notifications", 1) }, func(err error) bool { return !channels.Retryable(err) }, "malformed answer"},
		{"revoked", func(f *mastodonfake.Server) { f.RevokeToken() }, func(err error) bool { return errors.Is(err, channels.ErrAuth) }, "The access token is invalid"},
		{"503 persists", func(f *mastodonfake.Server) { f.ServiceUnavailable("/api/v1/conversations", 9) }, channels.Retryable, "error 503"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, c, _ := setup(t, nil)
			tt.inject(fake)
			b, err := c.Fetch(t.Context(), "c=1&n=1")
			if err == nil || !tt.check(err) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want %q", err, tt.msg)
			}
			if b.Cursor != "" || len(b.Items) != 0 {
				t.Errorf("failed fetch returned cursor %q, %d items", b.Cursor, len(b.Items))
			}
		})
	}
	t.Run("malformed then retry loses nothing", func(t *testing.T) {
		fake, c, _ := setup(t, nil)
		fake.Malformed("/api/v1/notifications", 1)
		if _, err := c.Fetch(t.Context(), ""); err == nil {
			t.Fatal("malformed accepted")
		}
		b, err := c.Fetch(t.Context(), "")
		if err != nil || len(b.Items) != 6 {
			t.Errorf("retry = %d items, %v", len(b.Items), err)
		}
	})
}

func TestTest(t *testing.T) {
	fake, c, _ := setup(t, nil)
	if err := c.Test(t.Context()); err != nil {
		t.Fatal(err)
	}
	fake.RevokeToken()
	if err := c.Test(t.Context()); !errors.Is(err, channels.ErrAuth) || strings.Contains(err.Error(), token) {
		t.Errorf("Test after revoke = %v", err)
	}
}

func TestOversizeStatusTruncated(t *testing.T) {
	fake, c, _ := setup(t, nil)
	big := strings.Repeat("ש😀", 15000) // 90 000 bytes
	_ = fake.AddStatuses([]byte(`[{"id":"110000000000000300","created_at":"2026-01-04T00:00:00.000Z","in_reply_to_id":null,"visibility":"public","spoiler_text":"","content":"<p>` + big + `</p>","account":{"id":"9","username":"x","acct":"x","display_name":"X","followers_count":0},"media_attachments":[]}]`))
	fake.Notify("mention", "110000000000000300")
	b, err := c.Fetch(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	it := b.Items[len(b.Items)-1]
	if it.ExternalID != "110000000000000300" || len(it.Text) > 64<<10 || !utf8.ValidString(it.Text) || !strings.HasPrefix(big, it.Text) || !reflect.DeepEqual(it.Flags, []string{inbox.FlagTruncated}) {
		t.Errorf("item %s: %d bytes, flags %v", it.ExternalID, len(it.Text), it.Flags)
	}
}

var (
	_ channels.Connector = (*mastodon.Connector)(nil)
	_ channels.Moderator = (*mastodon.Connector)(nil)
)
