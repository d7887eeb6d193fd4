package youtube_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/channels/youtube"
	"github.com/stormdesk/stormdesk/backend/channels/youtube/youtubefake"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/ingest"
)

const (
	channelID = "UCbrand"
	apiKey    = "api-key"
	oauth     = "oauth-token"
)

func setup(t *testing.T, mod func(*youtube.Config)) (*youtube.Connector, *youtubefake.Server, *channeltest.Sleeps) {
	t.Helper()
	fake := youtubefake.New(channelID, []string{apiKey}, []string{oauth})
	t.Cleanup(fake.Close)
	sl := &channeltest.Sleeps{}
	cfg := youtube.Config{
		ChannelID: channelID, APIKey: apiKey,
		Token:      func(context.Context) (string, error) { return oauth, nil },
		HTTPClient: fake.Client(), BaseURL: fake.BaseURL(),
		Retry: channels.Retry{Sleep: sl.Sleep},
	}
	return channeltest.New(t, youtube.New, cfg, mod), fake, sl
}

func loadFixture(t *testing.T, fake *youtubefake.Server) {
	t.Helper()
	var ths []youtubefake.Thread
	if err := json.Unmarshal(channeltest.Testdata(t, "threads.json"), &ths); err != nil {
		t.Fatal(err)
	}
	for _, th := range ths {
		fake.AddThread(th)
	}
}

func ids(items []inbox.Item) string {
	var out []string
	for _, it := range items {
		out = append(out, it.ExternalID)
	}
	return strings.Join(out, ",")
}

func TestFetchIncrementalNoRepeats(t *testing.T) {
	c, fake, _ := setup(t, nil)
	loadFixture(t, fake)
	b := channeltest.Fetch(t, c, "")
	if got := ids(b.Items); got != "UgxB2,UgxA1,UgxA1.r1,UgxC3" || b.More {
		t.Fatalf("first sync = %s more=%v", got, b.More)
	}
	top, reply := b.Items[1], b.Items[2]
	if top.Text != "Das Update hat alles kaputt gemacht 😤🔧" || top.ThreadKey != "video:vid1:thread:UgxA1" || top.Author.ExternalID != "UCmaria" || top.Author.Handle != "@maria" {
		t.Errorf("top = %+v", top)
	}
	if reply.Text != "نفس المشكلة عندي 😞 גם אצלי" || reply.ThreadKey != top.ThreadKey || len(reply.References) != 1 || reply.References[0] != "UgxA1" {
		t.Errorf("reply = %+v", reply)
	}
	if !top.SentAt.Equal(time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)) || top.Kind != inbox.KindComment {
		t.Errorf("top time/kind = %v %s", top.SentAt, top.Kind)
	}

	if again := channeltest.Fetch(t, c, b.Cursor); len(again.Items) != 0 {
		t.Fatalf("repeat: %s", ids(again.Items))
	}
	fake.AddThread(youtubefake.Thread{ID: "UgxD4", VideoID: "vid2", Top: youtubefake.Comment{AuthorName: "@new", AuthorChannelID: "UCnew", Text: "new", PublishedAt: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}})
	// Same second as the newest seen: the tie must not hide it.
	fake.AddThread(youtubefake.Thread{ID: "UgxE5", VideoID: "vid2", Top: youtubefake.Comment{AuthorName: "@tie", AuthorChannelID: "UCtie", Text: "tie", PublishedAt: time.Date(2026, 1, 1, 11, 0, 0, 0, time.UTC)}})
	next := channeltest.Fetch(t, c, b.Cursor)
	if got := ids(next.Items); got != "UgxD4,UgxE5" {
		t.Fatalf("incremental = %s", got)
	}
	if n := channeltest.Fetch(t, c, next.Cursor); len(n.Items) != 0 {
		t.Fatalf("repeat after incremental: %s", ids(n.Items))
	}
	if redo := channeltest.Fetch(t, c, b.Cursor); ids(redo.Items) != "UgxD4,UgxE5" {
		t.Fatalf("refetch from the older cursor = %s", ids(redo.Items))
	}
}

func TestBackfillPagedAndBounded(t *testing.T) {
	c, fake, _ := setup(t, func(cfg *youtube.Config) { cfg.MaxResults = 10; cfg.MaxPages = 2 })
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 25 {
		fake.AddThread(youtubefake.Thread{ID: fmt.Sprintf("T%02d", i), VideoID: "v", Top: youtubefake.Comment{AuthorChannelID: "UCx", Text: "x", PublishedAt: base.Add(time.Duration(i) * time.Minute)}})
	}
	b1 := channeltest.Fetch(t, c, "")
	if len(b1.Items) != 10 || !b1.More || b1.Items[0].ExternalID != "T24" {
		t.Fatalf("page 1: %s more=%v", ids(b1.Items), b1.More)
	}
	b2 := channeltest.Fetch(t, c, b1.Cursor)
	if len(b2.Items) != 10 || b2.More || b2.Items[9].ExternalID != "T05" {
		t.Fatalf("page 2 (last of the bounded pass): %s more=%v", ids(b2.Items), b2.More)
	}
	fake.AddThread(youtubefake.Thread{ID: "T99", VideoID: "v", Top: youtubefake.Comment{AuthorChannelID: "UCx", Text: "x", PublishedAt: base.Add(time.Hour)}})
	if b3 := channeltest.Fetch(t, c, b2.Cursor); ids(b3.Items) != "T99" {
		t.Fatalf("after the bounded pass: %s", ids(b3.Items))
	}
	if u := fake.Units(); u != 3 || c.Quota().Used() != 3 {
		t.Errorf("units fake=%d counted=%d, want 3", u, c.Quota().Used())
	}
}

func TestReplyThreadingAndModeration(t *testing.T) {
	c, fake, _ := setup(t, nil)
	loadFixture(t, fake)
	s, err := c.Reply(context.Background(), channels.Reply{ThreadKey: "video:vid1:thread:UgxA1", InReplyTo: "UgxA1.r1", Text: "Wir kümmern uns darum 🙏"})
	if err != nil {
		t.Fatal(err)
	}
	ins := fake.Inserts()
	if len(ins) != 1 || ins[0].ParentID != "UgxA1" || ins[0].TextOriginal != "Wir kümmern uns darum 🙏" {
		t.Fatalf("inserts = %+v", ins)
	}
	if !strings.HasPrefix(s.ExternalID, "UgxA1.") || s.SentAt.IsZero() {
		t.Errorf("sent = %+v", s)
	}
	if err := c.Moderate(context.Background(), channels.Moderation{ExternalID: "UgxB2", Action: channels.ActionHide}); err != nil {
		t.Fatal(err)
	}
	if err := c.Moderate(context.Background(), channels.Moderation{ExternalID: "UgxA1.r1", Action: channels.ActionDelete}); err != nil {
		t.Fatal(err)
	}
	if fake.Status("UgxB2") != "heldForReview" || fake.Status("UgxA1.r1") != "rejected" {
		t.Errorf("statuses %q %q", fake.Status("UgxB2"), fake.Status("UgxA1.r1"))
	}
	if got := c.Quota().Used(); got != 150 {
		t.Errorf("quota used = %d, want 150 (insert + 2 moderations)", got)
	}
	err = c.Moderate(context.Background(), channels.Moderation{ExternalID: "nope", Action: channels.ActionHide})
	var api *channels.APIError
	if !errors.As(err, &api) || api.Code != 404 || !strings.Contains(err.Error(), "commentNotFound") {
		t.Errorf("missing comment: %v", err)
	}
}

func TestReplyErrors(t *testing.T) {
	c, fake, _ := setup(t, nil)
	loadFixture(t, fake)
	fake.DisableComments("vid2")
	_, err := c.Reply(context.Background(), channels.Reply{ThreadKey: "video:vid2:thread:UgxC3", Text: "hi"})
	var api *channels.APIError
	if !errors.As(err, &api) || api.Kind != channels.Forbidden || !strings.Contains(err.Error(), "comments are disabled") {
		t.Errorf("disabled: %v", err)
	}
	if _, err := c.Reply(context.Background(), channels.Reply{ThreadKey: "peer:1", Text: "hi"}); err == nil || !strings.Contains(err.Error(), "not a YouTube thread key") {
		t.Errorf("bad key: %v", err)
	}
	if _, err := c.Reply(context.Background(), channels.Reply{ThreadKey: "video:vid1:thread:UgxA1", Text: strings.Repeat("x", youtube.MaxReplyLength+1)}); err == nil {
		t.Error("oversize reply accepted")
	}
	keyOnly, fake2, _ := setup(t, func(cfg *youtube.Config) { cfg.Token = nil })
	loadFixture(t, fake2)
	if _, err := keyOnly.Reply(context.Background(), channels.Reply{ThreadKey: "video:vid1:thread:UgxA1", Text: "hi"}); !errors.Is(err, channels.ErrAuth) || !strings.Contains(err.Error(), "OAuth") {
		t.Errorf("API-key reply: %v", err)
	}
	if fake2.Calls("/comments") != 0 {
		t.Error("reply without OAuth reached the API")
	}
}

func TestRetries(t *testing.T) {
	for _, tc := range []struct {
		name  string
		f     youtubefake.Failure
		wait  time.Duration
		calls int
	}{
		{"429 Retry-After", youtubefake.Failure{Status: 429, Reason: "rateLimitExceeded", RetryAfter: "7"}, 7 * time.Second, 2},
		{"503", youtubefake.Failure{Status: 503, Reason: "backendError"}, time.Second, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, fake, sl := setup(t, nil)
			loadFixture(t, fake)
			fake.FailNext("/commentThreads", tc.f)
			if b := channeltest.Fetch(t, c, ""); len(b.Items) != 4 {
				t.Fatalf("items %s", ids(b.Items))
			}
			if w := sl.Waits(); fake.Calls("/commentThreads") != tc.calls || len(w) != 1 || w[0] != tc.wait {
				t.Errorf("calls=%d waits=%v", fake.Calls("/commentThreads"), sl.Waits())
			}
		})
	}
	t.Run("insert not retried after 503", func(t *testing.T) {
		c, fake, _ := setup(t, nil)
		loadFixture(t, fake)
		fake.FailNext("/comments", youtubefake.Failure{Status: 503})
		if _, err := c.Reply(context.Background(), channels.Reply{ThreadKey: "video:vid1:thread:UgxA1", Text: "hi"}); err == nil || !channels.Retryable(err) {
			t.Fatalf("err = %v", err)
		}
		if fake.Calls("/comments") != 1 {
			t.Errorf("an ambiguous insert was retried %d times", fake.Calls("/comments"))
		}
	})
	t.Run("insert retried after 429", func(t *testing.T) {
		c, fake, _ := setup(t, nil)
		loadFixture(t, fake)
		fake.FailNext("/comments", youtubefake.Failure{Status: 429, RetryAfter: "2"})
		if _, err := c.Reply(context.Background(), channels.Reply{ThreadKey: "video:vid1:thread:UgxA1", Text: "hi"}); err != nil {
			t.Fatal(err)
		}
		if len(fake.Inserts()) != 1 {
			t.Errorf("inserts = %d", len(fake.Inserts()))
		}
	})
}

func TestAuthFailure(t *testing.T) {
	c, fake, _ := setup(t, func(cfg *youtube.Config) { cfg.Token = nil })
	if err := c.Test(context.Background()); err != nil {
		t.Fatalf("healthy: %v", err)
	}
	fake.Revoke(apiKey)
	err := c.Test(context.Background())
	if !errors.Is(err, channels.ErrAuth) || !strings.Contains(err.Error(), "reconnect the YouTube account") || strings.Contains(err.Error(), apiKey) {
		t.Fatalf("err = %v", err)
	}
	other, _, _ := setup(t, func(cfg *youtube.Config) { cfg.ChannelID = "UCother" })
	if err := other.Test(context.Background()); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("unknown channel: %v", err)
	}
}

func TestMalformedJSONKeepsCursor(t *testing.T) {
	c, fake, _ := setup(t, nil)
	loadFixture(t, fake)
	start := channeltest.Fetch(t, c, "")
	fake.AddThread(youtubefake.Thread{ID: "N1", VideoID: "v", Top: youtubefake.Comment{AuthorChannelID: "UCx", Text: "n", PublishedAt: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)}})
	fake.FailNext("/commentThreads", youtubefake.Failure{Body: `{"items": [{"id": `})
	b, err := c.Fetch(context.Background(), start.Cursor)
	if err == nil || !strings.Contains(err.Error(), "malformed JSON") || b.Cursor != "" {
		t.Fatalf("err=%v batch=%+v", err, b)
	}
	if got := channeltest.Fetch(t, c, start.Cursor); ids(got.Items) != "N1" {
		t.Fatalf("after malformed answer: %s", ids(got.Items))
	}
	if _, err := c.Fetch(context.Background(), "not json"); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("damaged cursor: %v", err)
	}
}

func TestQuotaStopsBeforeBudget(t *testing.T) {
	q := youtube.NewQuota(103, nil)
	c, fake, _ := setup(t, func(cfg *youtube.Config) { cfg.Quota = q; cfg.FetchReserve = 100 })
	loadFixture(t, fake)
	for range 3 {
		channeltest.Fetch(t, c, "")
	}
	_, err := c.Fetch(context.Background(), "")
	if !errors.Is(err, youtube.ErrQuotaBudget) || !strings.Contains(err.Error(), "midnight Pacific") {
		t.Fatalf("fetch over budget: %v", err)
	}
	if fake.Calls("/commentThreads") != 3 {
		t.Errorf("fetch over budget reached the API: %d calls", fake.Calls("/commentThreads"))
	}
	// The reserve still allows two replies, then the budget is spent.
	for i := range 3 {
		_, err := c.Reply(context.Background(), channels.Reply{ThreadKey: "video:vid1:thread:UgxA1", Text: "ok"})
		if (i < 2) != (err == nil) {
			t.Fatalf("reply %d: %v", i, err)
		}
	}
	if fake.Units() != 103 {
		t.Errorf("fake units = %d", fake.Units())
	}
}

func TestQuotaExceededByGoogle(t *testing.T) {
	c, fake, _ := setup(t, nil)
	fake.SetBudget(1)
	channeltest.Fetch(t, c, "")
	_, err := c.Fetch(context.Background(), "")
	var rl *channels.RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter <= 0 || !strings.Contains(err.Error(), "daily quota is used up") {
		t.Fatalf("err = %v", err)
	}
	if _, err := c.Fetch(context.Background(), ""); !errors.Is(err, youtube.ErrQuotaBudget) {
		t.Fatalf("after quotaExceeded the local budget must stop calls: %v", err)
	}
}

func TestQuotaResetsAtPacificMidnight(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 7, 1, 23, 59, 0, 0, la)
	q := youtube.NewQuota(100, func() time.Time { return now })
	if err := q.Spend(context.Background(), "x", 100, 0); err != nil {
		t.Fatal(err)
	}
	if err := q.Spend(context.Background(), "x", 1, 0); err == nil {
		t.Fatal("over budget accepted")
	}
	if d := q.UntilReset(); d != time.Minute {
		t.Errorf("UntilReset = %v", d)
	}
	now = now.Add(2 * time.Minute) // 07:01 UTC next day: midnight Pacific has passed
	if q.Used() != 0 || q.Spend(context.Background(), "x", 1, 0) != nil {
		t.Errorf("quota did not reset: used %d", q.Used())
	}
}

func TestOversizeTextAndOwnComments(t *testing.T) {
	c, fake, _ := setup(t, nil)
	long := strings.Repeat("ü🙂", channels.MaxText/5)
	fake.AddThread(youtubefake.Thread{ID: "L", VideoID: "v", Top: youtubefake.Comment{AuthorChannelID: channelID, Text: long, PublishedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}})
	b := channeltest.Fetch(t, c, "")
	it := b.Items[0]
	if len(it.Text) > channels.MaxText || !utf8.ValidString(it.Text) || !strings.HasPrefix(long, it.Text) || len(it.Flags) != 1 || it.Flags[0] != inbox.FlagTruncated {
		t.Errorf("truncation: %d bytes, flags %v", len(it.Text), it.Flags)
	}
	if it.Direction != inbox.DirectionOut {
		t.Errorf("the channel's own comment has direction %s", it.Direction)
	}
}

func TestMalformedThreadsSkipped(t *testing.T) {
	c, fake, _ := setup(t, nil)
	fake.FailNext("/commentThreads", youtubefake.Failure{Body: `{"items": [{"id": "A", "snippet": {"videoId": "v"}}, {"id": "B", "snippet": {"videoId": "v", "topLevelComment": {"id": "B", "snippet": {"textOriginal": "ok", "publishedAt": "2026-01-01T00:00:00Z"}}}}]}`})
	b := channeltest.Fetch(t, c, "")
	if ids(b.Items) != "B" || b.Skipped != 1 {
		t.Fatalf("items=%s skipped=%d", ids(b.Items), b.Skipped)
	}
}

func TestItemsPassIngestNormalizer(t *testing.T) {
	c, fake, _ := setup(t, nil)
	loadFixture(t, fake)
	b := channeltest.Fetch(t, c, "")
	n := ingest.NewNormalizer(func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) })
	for _, it := range b.Items {
		got, err := n.Normalize(inbox.ChannelYouTube, it)
		if err != nil {
			t.Fatalf("%s rejected: %v", it.ExternalID, err)
		}
		if got.Text != it.Text || len(got.Flags) != 0 {
			t.Errorf("%s changed by ingest: %q flags %v", it.ExternalID, got.Text, got.Flags)
		}
	}
}
