package telegram_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/channels/telegram"
	"github.com/stormdesk/stormdesk/backend/channels/telegram/telegramfake"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/ingest/ingesttest"
)

func message(id int, text string) []byte {
	return fmt.Appendf(nil, `[{"message":{"message_id":%d,"chat":{"id":9,"type":"private"},"from":{"id":9,"is_bot":false,"first_name":"A"},"date":1767225600,"text":%q}}]`, id, text)
}

func queue(t *testing.T, fake *telegramfake.Server, id int, text string) {
	t.Helper()
	if _, err := fake.Queue(message(id, text)); err != nil {
		t.Fatal(err)
	}
}

var eventually = ingesttest.Eventually

func ids(b channels.Batch) []string {
	var out []string
	for _, it := range b.Items {
		out = append(out, it.ExternalID)
	}
	return out
}

func TestWatchNotifiesAndNextFetchReturnsOnce(t *testing.T) {
	fake, c, _ := setup(t, nil)
	queue(t, fake, 1, "already stored")
	stored := channeltest.Fetch(t, c, "").Cursor

	w := channeltest.StartWatch(t, c, stored)
	eventually(t, "watch long-polls", fake.Holding)
	if fake.Pending() != 0 {
		t.Errorf("%d updates pending: the watch must confirm what the stored cursor covers", fake.Pending())
	}
	select {
	case <-w.Notes():
		t.Fatal("notify before anything arrived")
	default:
	}
	if got := string(fake.Calls("getUpdates")[1].Params["timeout"]); got != "25" {
		t.Errorf("watch timeout = %s, want 25", got)
	}

	queue(t, fake, 2, "where is my order?")
	w.Notified(t)
	b := channeltest.Fetch(t, c, stored)
	if got := ids(b); len(got) != 1 || got[0] != "9:2" {
		t.Fatalf("fetch after notify = %v, want [9:2]", got)
	}
	if fake.Pending() != 1 {
		t.Errorf("%d pending after the fetch: the watch confirmed an update the caller has not stored", fake.Pending())
	}
	stored = b.Cursor
	if again := channeltest.Fetch(t, c, stored); len(again.Items) != 0 {
		t.Errorf("next fetch repeated %v", ids(again))
	}

	// The watch goes on after a fetch and reports the next message too.
	eventually(t, "watch long-polls again", fake.Holding)
	for len(w.Notes()) > 0 {
		<-w.Notes()
	}
	queue(t, fake, 3, "hello?")
	w.Notified(t)
	if got := ids(channeltest.Fetch(t, c, stored)); len(got) != 1 || got[0] != "9:3" {
		t.Errorf("second fetch = %v, want [9:3]", got)
	}
	w.Stop()
	if err := w.Ended(t); !errors.Is(err, context.Canceled) {
		t.Errorf("watch ended with %v, want context.Canceled", err)
	}
	if n := fake.Conflicts(); n != 0 {
		t.Errorf("%d getUpdates conflicts", n)
	}
}

// TestWatchAndFetchNeverConflict fetches on a fast ticker and on every
// notify while messages keep arriving, so fetches land during watch long
// polls; Telegram would answer 409 to any overlap.
func TestWatchAndFetchNeverConflict(t *testing.T) {
	const total = 40
	fake, c, _ := setup(t, nil)
	w := channeltest.StartWatch(t, c, "")

	go func() {
		for i := 1; i <= total; i++ {
			_, _ = fake.Queue(message(i, fmt.Sprint("msg ", i)))
			time.Sleep(time.Duration(i%4) * time.Millisecond)
		}
	}()

	seen := map[string]int{}
	cursor, overlaps := "", 0
	tick := time.NewTicker(3 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(2 * channeltest.Guard)
	for len(seen) < total {
		select {
		case <-w.Notes():
		case <-tick.C:
		case <-w.Done():
			t.Fatalf("watch ended: %v", w.Err())
		case <-deadline:
			t.Fatalf("received %d of %d messages", len(seen), total)
		}
		if fake.Holding() {
			overlaps++
		}
		b := channeltest.Fetch(t, c, cursor)
		for _, id := range ids(b) {
			seen[id]++
		}
		cursor = b.Cursor
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s received %d times", id, n)
		}
	}
	if overlaps == 0 {
		t.Error("no fetch ran while the watch was long-polling; the test proved nothing")
	}
	if n := fake.Conflicts(); n != 0 {
		t.Errorf("%d getUpdates conflicts between Watch and Fetch", n)
	}
	w.Stop()
	if err := w.Ended(t); !errors.Is(err, context.Canceled) {
		t.Errorf("watch ended with %v", err)
	}
}

// TestSecondPollerIsAConflict checks the fake's side of the test above: a
// second program polling the same bot terminates our long poll with 409.
func TestSecondPollerIsAConflict(t *testing.T) {
	fake, c, _ := setup(t, nil)
	other := channeltest.New(t, telegram.New, telegram.Config{Token: token, BaseURL: fake.URL, HTTPClient: fake.Client()})
	w := channeltest.StartWatch(t, c, "")
	eventually(t, "watch long-polls", fake.Holding)
	if _, err := other.Fetch(t.Context(), ""); err != nil {
		t.Fatalf("the newer getUpdates is served: %v", err)
	}
	err := w.Ended(t)
	var api *channels.APIError
	if !errors.As(err, &api) || api.Code != http.StatusConflict || !strings.Contains(err.Error(), "terminated by other getUpdates request") || !strings.Contains(err.Error(), "another program polls it") {
		t.Errorf("watch ended with %v, want Telegram's 409 explained", err)
	}
	if fake.Conflicts() != 1 {
		t.Errorf("fake recorded %d conflicts, want 1", fake.Conflicts())
	}
}

func TestWatchEndsPromptlyOnCancel(t *testing.T) {
	fake, c, _ := setup(t, nil)
	w := channeltest.StartWatch(t, c, "")
	eventually(t, "watch long-polls", fake.Holding)
	w.Stop()
	if err := w.Ended(t); !errors.Is(err, context.Canceled) {
		t.Errorf("watch ended with %v, want context.Canceled", err)
	}
	eventually(t, "the fake sees the poll abandoned", func() bool { return !fake.Holding() })
	if len(w.Notes()) != 0 {
		t.Error("notify on cancel")
	}
}

func TestWatchErrors(t *testing.T) {
	tests := []struct {
		name   string
		cursor string
		inject func(*telegramfake.Server)
		check  func(error) bool
		want   string
	}{
		{"revoked token", "", func(f *telegramfake.Server) { f.RevokeToken() }, func(err error) bool {
			return errors.Is(err, channels.ErrAuth) && !channels.Retryable(err)
		}, "@BotFather"},
		{"webhook set", "", func(f *telegramfake.Server) { f.SetWebhook("https://example.org/hook") }, func(err error) bool {
			var api *channels.APIError
			return errors.As(err, &api) && api.Code == http.StatusConflict
		}, "deleteWebhook"},
		{"dropped connection", "", func(f *telegramfake.Server) { f.DropConnection("getUpdates", 2) }, func(err error) bool {
			return errors.Is(err, channels.ErrTransport)
		}, "transport error"},
		{"damaged cursor", "12ab", func(*telegramfake.Server) {}, func(err error) bool { return err != nil }, "bad cursor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, c, _ := setup(t, func(cfg *telegram.Config) { cfg.Retry.Attempts = 2 })
			queue(t, fake, 1, "must survive")
			tt.inject(fake)
			w := channeltest.StartWatch(t, c, tt.cursor)
			err := w.Ended(t)
			if err == nil || !tt.check(err) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q and classify right", err, tt.want)
			}
			if strings.Contains(fmt.Sprint(err), token) {
				t.Errorf("error leaks the token: %v", err)
			}
			if len(w.Notes()) != 0 {
				t.Error("notify on error")
			}
			if fake.Pending() != 1 {
				t.Errorf("failed watch lost the pending update: %d pending", fake.Pending())
			}
		})
	}
}

func TestWatchHonoursRetryAfter(t *testing.T) {
	fake, c, sl := setup(t, nil)
	fake.RateLimit("getUpdates", 1, 7)
	queue(t, fake, 1, "hi")
	w := channeltest.StartWatch(t, c, "")
	w.Notified(t)
	waits := sl.Waits()
	if len(waits) != 1 || waits[0] != 7*time.Second {
		t.Errorf("waits = %v, want [7s] from retry_after", waits)
	}
}

func TestWatchTimeoutStaysUnderHTTPTimeout(t *testing.T) {
	fake := telegramfake.New(token)
	t.Cleanup(fake.Close)
	hc := *fake.Client()
	hc.Timeout = 12 * time.Second
	c := channeltest.New(t, telegram.New, telegram.Config{Token: token, BaseURL: fake.URL, HTTPClient: &hc})
	w := channeltest.StartWatch(t, c, "")
	eventually(t, "watch long-polls", fake.Holding)
	if got := string(fake.Calls("getUpdates")[0].Params["timeout"]); got != "7" {
		t.Errorf("timeout = %s, want 7 (5 s under the client's 12 s)", got)
	}
	w.Stop()
	w.Ended(t)
}

// TestSchedulerSyncsTelegramOnPush runs the real ingest scheduler with a
// poll interval it never reaches: messages arrive through Watch alone.
func TestSchedulerSyncsTelegramOnPush(t *testing.T) {
	fake, c, _ := setup(t, nil)
	queue(t, fake, 1, "before start")
	run := ingesttest.StartScheduler(t, inbox.Account{Channel: inbox.ChannelTelegram, Name: "acme-bot"}, c)
	eventually(t, "first sync", func() bool { return run.Messages(t) == 1 })
	for i := 2; i <= 4; i++ {
		eventually(t, "watch long-polls", fake.Holding)
		queue(t, fake, i, fmt.Sprint("push ", i))
		eventually(t, fmt.Sprintf("message %d stored", i), func() bool { return run.Messages(t) == int64(i) })
	}
	eventually(t, "all confirmed", func() bool { return fake.Pending() == 0 })
	if errs := run.Errors(); len(errs) != 0 || fake.Conflicts() != 0 {
		t.Errorf("sync errors %v, %d conflicts", errs, fake.Conflicts())
	}
}
