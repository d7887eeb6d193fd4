package telegram_test

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/channels/telegram"
	"github.com/stormdesk/stormdesk/backend/channels/telegram/telegramfake"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/ingest"
)

const token = "7000001:AAH-test-token-Secret"

func setup(t *testing.T, mod func(*telegram.Config)) (*telegramfake.Server, *telegram.Connector, *channeltest.Sleeps) {
	t.Helper()
	fake := telegramfake.New(token)
	t.Cleanup(fake.Close)
	sl := &channeltest.Sleeps{}
	cfg := telegram.Config{Token: token, BaseURL: fake.URL, HTTPClient: fake.Client(), Retry: channels.Retry{Sleep: sl.Sleep}}
	return fake, channeltest.New(t, telegram.New, cfg, mod), sl
}

func queueFixture(t *testing.T, fake *telegramfake.Server) {
	t.Helper()
	if _, err := fake.Queue(channeltest.Testdata(t, "updates.json")); err != nil {
		t.Fatal(err)
	}
}

func TestFetchMapsUpdates(t *testing.T) {
	fake, c, _ := setup(t, nil)
	queueFixture(t, fake)
	b, err := c.Fetch(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	if b.Skipped != 2 { // the poll and the service message
		t.Errorf("Skipped = %d, want 2", b.Skipped)
	}
	type want struct {
		id, thread string
		kind       inbox.MessageKind
		dir        inbox.Direction
		text       string
		refs       []string
	}
	wants := []want{
		{"111:11", "chat:111", inbox.KindDM, inbox.DirectionIn, "שלום 👋🏽 مرحبا — заказ #42 не пришёл 😡\u200f!", nil},
		{"-1001200:901", "chat:-1001200:thread:77", inbox.KindComment, inbox.DirectionIn, "Lieferung seit zwei Wochen überfällig", []string{"-1001200:77"}},
		{"-1001300:12", "chat:-1001300:thread:10", inbox.KindComment, inbox.DirectionIn, "+1, same here", []string{"-1001300:10"}},
		{"111:11:edit:1767225900", "chat:111", inbox.KindDM, inbox.DirectionIn, "שלום 👋🏽 — order #42 still missing 😡", []string{"111:11"}},
		{"-1001400:78", "chat:-1001400:thread:78", inbox.KindComment, inbox.DirectionOut, "Update 2.1 is out", nil},
		{"555:13", "chat:555", inbox.KindDM, inbox.DirectionIn, "broken box 📦", nil},
	}
	if len(b.Items) != len(wants) {
		t.Fatalf("got %d items, want %d: %+v", len(b.Items), len(wants), b.Items)
	}
	norm := ingest.NewNormalizer(time.Now)
	for i, w := range wants {
		it := b.Items[i]
		if it.ExternalID != w.id || it.ThreadKey != w.thread || it.Kind != w.kind || it.Direction != w.dir || it.Text != w.text || !reflect.DeepEqual(it.References, w.refs) {
			t.Errorf("item %d = {%s %s %s %s %q %v}, want %+v", i, it.ExternalID, it.ThreadKey, it.Kind, it.Direction, it.Text, it.References, w)
		}
		n, err := norm.Normalize(inbox.ChannelTelegram, it)
		if err != nil {
			t.Errorf("item %d rejected by ingest: %v", i, err)
		} else if n.Text != w.text {
			t.Errorf("item %d text changed by ingest: %q", i, n.Text)
		}
	}
	if a := b.Items[0].Author; a.ExternalID != "111" || a.Handle != "@noa_l" || a.DisplayName != "Noa Levi" {
		t.Errorf("author = %+v", a)
	}
	if got := b.Items[5].Attachments; len(got) != 1 || got[0].Size != 154000 {
		t.Errorf("photo attachment = %+v, want the largest size", got)
	}
	if got := fake.AllowedUpdates(); !reflect.DeepEqual(got, telegram.AllowedUpdates) {
		t.Errorf("allowed_updates sent = %v", got)
	}
}

func TestFetchIncrementalConfirmsOnlyOnNextCall(t *testing.T) {
	fake, c, _ := setup(t, func(cfg *telegram.Config) { cfg.Limit = 3 })
	queueFixture(t, fake)
	seen := map[string]bool{}
	cursor, skipped := "", 0
	for round := 0; ; round++ {
		if round > 5 {
			t.Fatal("fetch never drained the queue")
		}
		b, err := c.Fetch(t.Context(), cursor)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range b.Items {
			if seen[it.ExternalID] {
				t.Errorf("round %d repeated %s", round, it.ExternalID)
			}
			seen[it.ExternalID] = true
		}
		skipped += b.Skipped
		if round == 0 {
			// A crash now (cursor not stored) must refetch the same updates.
			if fake.Pending() != 8 {
				t.Errorf("after first fetch %d updates pending, want all 8 still unconfirmed", fake.Pending())
			}
			again, err := c.Fetch(t.Context(), "")
			if err != nil || len(again.Items) != len(b.Items) || again.Cursor != b.Cursor {
				t.Errorf("refetch after crash = %d items cursor %q (%v), want %d items cursor %q", len(again.Items), again.Cursor, err, len(b.Items), b.Cursor)
			}
		}
		if !b.More {
			cursor = b.Cursor
			break
		}
		if b.Cursor == cursor {
			t.Fatalf("More without cursor progress at %q", cursor)
		}
		cursor = b.Cursor
	}
	if len(seen) != 6 || skipped != 2 {
		t.Errorf("saw %d items and %d skipped, want 6 and 2", len(seen), skipped)
	}
	b, err := c.Fetch(t.Context(), cursor)
	if err != nil || len(b.Items) != 0 || b.Cursor != cursor {
		t.Errorf("fetch after drain = %d items cursor %q err %v, want none and cursor %q kept", len(b.Items), b.Cursor, err, cursor)
	}
	if fake.Pending() != 0 {
		t.Errorf("%d updates still pending after the cursor was passed back", fake.Pending())
	}
}

func TestFetchLongPollWakesOnNewUpdate(t *testing.T) {
	fake, c, _ := setup(t, func(cfg *telegram.Config) { cfg.PollTimeout = 20 * time.Second })
	go func() {
		time.Sleep(50 * time.Millisecond)
		_, _ = fake.Queue([]byte(`[{"message":{"message_id":1,"chat":{"id":9,"type":"private"},"from":{"id":9,"is_bot":false,"first_name":"A"},"date":1767225600,"text":"hi"}}]`))
	}()
	b, err := c.Fetch(t.Context(), "")
	if err != nil || len(b.Items) != 1 {
		t.Fatalf("long poll = %d items, %v", len(b.Items), err)
	}
	if got := fake.Calls("getUpdates")[0].Params["timeout"]; string(got) != "20" {
		t.Errorf("timeout sent = %s, want 20", got)
	}
}

func TestFetchErrors(t *testing.T) {
	tests := []struct {
		name    string
		inject  func(*telegramfake.Server)
		check   func(error) bool
		wantMsg string
	}{
		{"malformed JSON", func(f *telegramfake.Server) { f.Malformed("getUpdates", 1) }, func(err error) bool { return !channels.Retryable(err) }, "malformed answer"},
		{"revoked token", func(f *telegramfake.Server) { f.RevokeToken() }, func(err error) bool { return errors.Is(err, channels.ErrAuth) }, "@BotFather"},
		{"webhook set", func(f *telegramfake.Server) { f.SetWebhook("https://example.org/hook") }, func(err error) bool {
			var api *channels.APIError
			return errors.As(err, &api) && api.Code == 409
		}, "deleteWebhook"},
		{"502 five times", func(f *telegramfake.Server) { f.BadGateway("getUpdates", 5) }, channels.Retryable, "error 502"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, c, _ := setup(t, nil)
			queueFixture(t, fake)
			tt.inject(fake)
			b, err := c.Fetch(t.Context(), "100001")
			if err == nil {
				t.Fatal("no error")
			}
			if !tt.check(err) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("err = %v, want it to mention %q and classify right", err, tt.wantMsg)
			}
			if strings.Contains(err.Error(), token) {
				t.Errorf("error leaks the token: %v", err)
			}
			if b.Cursor != "" || len(b.Items) != 0 {
				t.Errorf("failed fetch returned cursor %q and %d items", b.Cursor, len(b.Items))
			}
			if fake.Pending() != 8 {
				t.Errorf("failed fetch confirmed updates: %d pending", fake.Pending())
			}
		})
	}
}

func TestMalformedFetchThenRetryLosesNothing(t *testing.T) {
	fake, c, _ := setup(t, nil)
	queueFixture(t, fake)
	fake.Malformed("getUpdates", 1)
	if _, err := c.Fetch(t.Context(), ""); err == nil {
		t.Fatal("malformed answer accepted")
	}
	b, err := c.Fetch(t.Context(), "")
	if err != nil || len(b.Items) != 6 {
		t.Fatalf("retry = %d items, %v; want all 6", len(b.Items), err)
	}
}

func TestBrokenSingleUpdateIsSkippedAndCounted(t *testing.T) {
	fake, c, _ := setup(t, nil)
	fake.QueueRaw(`{"update_id": 42, "message": "not an object"}`)
	b, err := c.Fetch(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	if b.Skipped != 1 || len(b.Items) != 0 || b.Cursor != "43" {
		t.Errorf("batch = %d items, %d skipped, cursor %q; want 0, 1, \"43\"", len(b.Items), b.Skipped, b.Cursor)
	}
}

func TestRateLimitHonoursRetryAfter(t *testing.T) {
	fake, c, sl := setup(t, nil)
	queueFixture(t, fake)
	fake.RateLimit("getUpdates", 1, 5)
	b, err := c.Fetch(t.Context(), "")
	if err != nil || len(b.Items) != 6 {
		t.Fatalf("fetch after 429 = %d items, %v", len(b.Items), err)
	}
	if !reflect.DeepEqual(sl.Waits(), []time.Duration{5 * time.Second}) {
		t.Errorf("waits = %v, want [5s] from retry_after", sl.Waits())
	}
	if n := len(fake.Calls("getUpdates")); n != 2 {
		t.Errorf("getUpdates called %d times, want 2", n)
	}
}

func TestRateLimitRetriesRunOut(t *testing.T) {
	fake, c, sl := setup(t, func(cfg *telegram.Config) { cfg.Retry.Attempts = 3 })
	fake.RateLimit("getUpdates", 10, 1)
	_, err := c.Fetch(t.Context(), "")
	var rl *channels.RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != time.Second {
		t.Fatalf("err = %v, want RateLimitError of 1s", err)
	}
	if len(sl.Waits()) != 2 || len(fake.Calls("getUpdates")) != 3 {
		t.Errorf("%d waits and %d calls, want 2 and 3", len(sl.Waits()), len(fake.Calls("getUpdates")))
	}
}

func TestRetryStopsWhenContextEnds(t *testing.T) {
	fake := telegramfake.New(token)
	defer fake.Close()
	fake.RateLimit("getUpdates", 5, 30)
	c := channeltest.New(t, telegram.New, telegram.Config{Token: token, BaseURL: fake.URL, HTTPClient: fake.Client()}) // real sleep
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Fetch(ctx, "")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the context's deadline", err)
	}
}

func TestTransportErrorHidesToken(t *testing.T) {
	fake := telegramfake.New(token)
	url := fake.URL
	fake.Close()
	c := channeltest.New(t, telegram.New, telegram.Config{Token: token, BaseURL: url, Retry: channels.Retry{Attempts: 2, Sleep: (&channeltest.Sleeps{}).Sleep}})
	err := c.Test(t.Context())
	if err == nil || strings.Contains(err.Error(), token) || strings.Contains(err.Error(), "AAH-test") {
		t.Errorf("err = %v; want an error without the token", err)
	}
}

func TestTest(t *testing.T) {
	fake, c, _ := setup(t, nil)
	if err := c.Test(t.Context()); err != nil {
		t.Fatalf("Test with a good token: %v", err)
	}
	fake.RevokeToken()
	err := c.Test(t.Context())
	if !errors.Is(err, channels.ErrAuth) {
		t.Errorf("Test after revoke = %v, want ErrAuth", err)
	}
}

func TestReplyThreading(t *testing.T) {
	fake, c, _ := setup(t, nil)
	queueFixture(t, fake)
	if _, err := c.Fetch(t.Context(), ""); err != nil {
		t.Fatal(err)
	}
	text := "Entschuldigung! 🙏 Wir prüfen das — מצטערים"
	sent, err := c.Reply(t.Context(), channels.Reply{ThreadKey: "chat:-1001200:thread:77", InReplyTo: "-1001200:901", Kind: inbox.KindComment, Text: text})
	if err != nil {
		t.Fatal(err)
	}
	got := fake.Sent()
	if len(got) != 1 {
		t.Fatalf("%d messages sent", len(got))
	}
	m := got[0]
	if m.ChatID != -1001200 || m.Text != text || m.ReplyParameters == nil || m.ReplyParameters.MessageID != 901 || m.ReplyParameters.ChatID != -1001200 || m.ReplyToID != 0 {
		t.Errorf("sendMessage = %+v (reply %+v)", m, m.ReplyParameters)
	}
	if want := "-1001200:" + itoa(m.MessageID); sent.ExternalID != want || sent.SentAt.IsZero() {
		t.Errorf("Sent = %+v, want id %s", sent, want)
	}
	// An edited message's id still answers the original message.
	if _, err := c.Reply(t.Context(), channels.Reply{ThreadKey: "chat:111", InReplyTo: "111:11:edit:1767225900", Text: "ok"}); err != nil {
		t.Fatal(err)
	}
	if rp := fake.Sent()[1].ReplyParameters; rp == nil || rp.MessageID != 11 || rp.ChatID != 111 {
		t.Errorf("reply to edit = %+v", rp)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestReplyRefusals(t *testing.T) {
	tests := []struct {
		name string
		r    channels.Reply
		want string
	}{
		{"too long", channels.Reply{ThreadKey: "chat:1", Text: strings.Repeat("😀", 2049)}, "Telegram allows 4096"},
		{"empty", channels.Reply{ThreadKey: "chat:1", Text: "  "}, "empty text"},
		{"foreign thread key", channels.Reply{ThreadKey: "status:1", Text: "x"}, "not a Telegram chat"},
		{"bad reply id", channels.Reply{ThreadKey: "chat:1", InReplyTo: "abc", Text: "x"}, "not a Telegram message id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, c, _ := setup(t, nil)
			_, err := c.Reply(t.Context(), tt.r)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
			if n := len(fake.Calls("sendMessage")); n != 0 {
				t.Errorf("sendMessage called %d times", n)
			}
		})
	}
}

func TestReplyIsNotRetriedAfterServerError(t *testing.T) {
	fake, c, _ := setup(t, nil)
	fake.BadGateway("sendMessage", 1)
	_, err := c.Reply(t.Context(), channels.Reply{ThreadKey: "chat:5", Text: "hello"})
	if err == nil || !channels.Retryable(err) {
		t.Fatalf("err = %v, want a retryable error for the caller", err)
	}
	if n := len(fake.Calls("sendMessage")); n != 1 {
		t.Errorf("sendMessage tried %d times; a 502 may have delivered it, want 1", n)
	}
	fake.RateLimit("sendMessage", 1, 1)
	if _, err := c.Reply(t.Context(), channels.Reply{ThreadKey: "chat:5", Text: "hello"}); err != nil {
		t.Fatalf("429 then success: %v", err)
	}
	if len(fake.Sent()) != 1 {
		t.Errorf("sent %d messages, want exactly 1", len(fake.Sent()))
	}
}

func TestModerate(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	stored := map[string]time.Time{"-100:3": now.Add(-49 * time.Hour)}
	fake, c, _ := setup(t, func(cfg *telegram.Config) {
		cfg.Now = func() time.Time { return now }
		cfg.SentAt = func(_ context.Context, id string) (time.Time, bool, error) { t, ok := stored[id]; return t, ok, nil }
	})
	fake.Now = func() time.Time { return now }
	fake.AddMessage(-100, 1, now.Add(-47*time.Hour))
	fake.AddMessage(-100, 3, now.Add(-49*time.Hour))
	fake.AddMessage(-100, 4, now.Add(-72*time.Hour)) // date unknown to Stormdesk
	queueFixture(t, fake)
	if _, err := c.Fetch(t.Context(), ""); err != nil { // fixture messages are from Jan 2026: too old
		t.Fatal(err)
	}

	if err := c.Moderate(t.Context(), channels.Moderation{ExternalID: "-100:1", Action: channels.ActionDelete}); err != nil {
		t.Errorf("delete at 47 h: %v", err)
	}
	for _, id := range []string{"-100:3", "-1001200:901", "111:11:edit:1767225900"} {
		err := c.Moderate(t.Context(), channels.Moderation{ExternalID: id, Action: channels.ActionDelete})
		if !errors.Is(err, telegram.ErrTooOld) {
			t.Errorf("delete %s = %v, want ErrTooOld", id, err)
		}
	}
	err := c.Moderate(t.Context(), channels.Moderation{ExternalID: "-100:4", Action: channels.ActionDelete})
	if err == nil || !strings.Contains(err.Error(), "can't be deleted") || !strings.Contains(err.Error(), "48 h") {
		t.Errorf("delete of unknown-age old message = %v, want Telegram's refusal explained", err)
	}
	if err := c.Moderate(t.Context(), channels.Moderation{ExternalID: "-100:1", Action: channels.ActionHide}); err == nil || !strings.Contains(err.Error(), "cannot hide") {
		t.Errorf("hide = %v", err)
	}
	if got := fake.Deleted(); !reflect.DeepEqual(got, []string{"-100:1"}) {
		t.Errorf("deleted = %v, want only -100:1", got)
	}
	if n := len(fake.Calls("deleteMessage")); n != 2 {
		t.Errorf("deleteMessage called %d times, want 2 (the refusals must not call Telegram)", n)
	}
	if c.Limits().DeleteWindow != 48*time.Hour {
		t.Errorf("DeleteWindow = %v", c.Limits().DeleteWindow)
	}
}

func TestOversizeTextTruncated(t *testing.T) {
	fake, c, _ := setup(t, nil)
	big := strings.Repeat("ж😀", 20000) // 120 000 bytes
	_, _ = fake.Queue([]byte(`[{"message":{"message_id":1,"chat":{"id":9,"type":"private"},"from":{"id":9,"is_bot":false,"first_name":"A"},"date":1767225600,"text":"` + big + `"}}]`))
	b, err := c.Fetch(t.Context(), "")
	if err != nil || len(b.Items) != 1 {
		t.Fatal(err)
	}
	it := b.Items[0]
	if len(it.Text) > 64<<10 || !utf8.ValidString(it.Text) || !strings.HasPrefix(big, it.Text) || !reflect.DeepEqual(it.Flags, []string{inbox.FlagTruncated}) {
		t.Errorf("text %d bytes, valid %v, flags %v", len(it.Text), utf8.ValidString(it.Text), it.Flags)
	}
}

var _ channels.Moderator = (*telegram.Connector)(nil)
var _ channels.Connector = (*telegram.Connector)(nil)
