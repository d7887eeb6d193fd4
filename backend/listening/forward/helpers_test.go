package forward

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/telegram"
	"github.com/stormdesk/stormdesk/backend/channels/telegram/telegramfake"
	"github.com/stormdesk/stormdesk/backend/store"
)

const testToken = "123456:forward-test-token"

// tgFake starts the Telegram fake and a client on it whose waits are
// recorded instead of slept.
func tgFake(t *testing.T) (*telegramfake.Server, *telegram.Client, *[]time.Duration) {
	t.Helper()
	fake := telegramfake.New(testToken)
	t.Cleanup(fake.Close)
	var mu sync.Mutex
	waits := &[]time.Duration{}
	cl := telegram.NewClient(telegram.ClientOptions{BaseURL: fake.URL, Token: testToken, Retry: channels.Retry{
		Sleep: func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			defer mu.Unlock()
			*waits = append(*waits, d)
			return ctx.Err()
		},
	}})
	return fake, cl, waits
}

// sqliteLedger is a ledger on a real SQLite store's settings table.
func sqliteLedger(t *testing.T) (SettingsLedger, *store.Store) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "fwd.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return SettingsLedger{Store: st}, st
}

// clock is a settable time for schedulers.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// digests serves fixed digests and counts the calls.
type digests struct {
	mu    sync.Mutex
	d     Digest
	asked []string
}

func (d *digests) Digest(_ context.Context, r Rule, day string) (Digest, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.asked = append(d.asked, r.ID+"/"+day)
	return d.d, nil
}

func hostileMention(i int) Mention {
	return Mention{
		Source: "reddit", Author: `<b>evil</b> & "co"`, Reach: 125000,
		Text: `Flight <a href="javascript:alert(1)">delayed</a> again &amp; <script>x</script> #` + string(rune('0'+i%10)),
		Link: "https://reddit.example/r/air/comments/" + string(rune('a'+i%26)) + "?x=1&y=<2>",
	}
}

// tgScheduler is a scheduler at now sending to a fresh Telegram fake, with
// a ledger on a real SQLite store.
func tgScheduler(t *testing.T, now time.Time, src DigestSource) (*telegramfake.Server, *Scheduler, *testClock) {
	t.Helper()
	fake, cl, _ := tgFake(t)
	led, _ := sqliteLedger(t)
	clk := &testClock{t: now}
	return fake, &Scheduler{Now: clk.Now, Ledger: led, Telegram: cl, Digests: src}, clk
}
