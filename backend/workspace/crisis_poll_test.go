package workspace

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/crisis"
	"github.com/stormdesk/stormdesk/backend/demo"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// burstItems is n negative comments spread over the last 15 minutes.
func burstItems(prefix string, n int, now time.Time) []inbox.Item {
	var items []inbox.Item
	for i := range n {
		items = append(items, inbox.Item{ExternalID: fmt.Sprint(prefix, i), Direction: inbox.DirectionIn, Kind: inbox.KindComment,
			Text: "сервис опять не работает, верните деньги", Sentiment: inbox.SentimentNegative,
			SentAt: now.Add(-15*time.Minute + time.Duration(i)*20*time.Second), Author: inbox.Author{Handle: fmt.Sprint("burst", i)}})
	}
	return items
}

// TestCrisisMonitorNoticesAnotherWriter runs the monitor as the app does and
// stores a burst through a second workspace on the same file, as `stormdesk
// import` does from another process: the alert is announced without a restart.
func TestCrisisMonitorNoticesAnotherWriter(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	now := time.Now()
	path := filepath.Join(t.TempDir(), "ws.db")
	app, err := Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	if _, err := app.SeedDemoIfEmpty(ctx, now, "me"); err != nil {
		t.Fatal(err)
	}
	alerts := make(chan crisis.Alert, 16)
	m := app.NewCrisisMonitor(func(a crisis.Alert) { alerts <- a })
	m.poll = 20 * time.Millisecond
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	waitFor(t, "history replay", m.Ready)

	other, err := Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	acc := inbox.Account{Channel: inbox.ChannelTelegram, Name: demoAccount(t, app, demo.BurstBrand, inbox.ChannelTelegram)}
	if _, err := other.Pipeline.Ingest(ctx, acc, burstItems("import-", 40, now)); err != nil {
		t.Fatal(err)
	}
	select {
	case a := <-alerts:
		if a.Key.Account != acc.Name {
			t.Errorf("alert for %s, want %s", a.Key, acc.Name)
		}
		if a.DetectedAt.Before(now.Add(-time.Hour)) {
			t.Errorf("alert detected at %s, want the fresh burst", a.DetectedAt)
		}
		// The stream's chart holds the burst in its newest bins, within 48 hours, oldest first.
		series := seriesOf(t, m, a.Key)
		if len(series) == 0 || len(series) > seriesBins {
			t.Fatalf("series of %s has %d bins, want 1..%d", a.Key, len(series), seriesBins)
		}
		recent := 0
		for i, b := range series {
			if i > 0 && !b.Start.After(series[i-1].Start) {
				t.Fatalf("bin %d at %s is not after %s", i, b.Start, series[i-1].Start)
			}
			if b.Start.After(now.Add(-31 * time.Minute)) {
				recent += b.Negative
			}
		}
		if recent < 40 {
			t.Errorf("the newest bins hold %d negatives, want the 40 of the burst", recent)
		}
	case err := <-done:
		t.Fatalf("monitor stopped: %v", err)
	case <-time.After(15 * time.Second):
		t.Fatalf("no alert for 40 negative comments written by another connection; states %+v", statesOf(t, m))
	}
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("Run returned %v, want context.Canceled", err)
	}
}

// TestCrisisMonitorPollMovesPastSkippedMessages: messages the feed skips
// (outbound, older than the history window) still count as seen, so later
// polls start after them instead of reading them again.
func TestCrisisMonitorPollMovesPastSkippedMessages(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	ws := openWS(t)
	m := ws.NewCrisisMonitor(nil)
	if err := m.replay(ctx); err != nil {
		t.Fatal(err)
	}
	if m.lastID != 0 {
		t.Fatalf("empty store: lastID = %d", m.lastID)
	}
	acc := inbox.Account{Channel: inbox.ChannelImport, Name: "archive"}
	cases := []struct {
		name  string
		items []inbox.Item
	}{
		{"old inbound", []inbox.Item{{ExternalID: "old-1", Direction: inbox.DirectionIn, Kind: inbox.KindComment, Text: "old", SentAt: now.Add(-30 * 24 * time.Hour), Author: inbox.Author{Handle: "a"}}}},
		{"outbound", []inbox.Item{{ExternalID: "out-1", ThreadKey: "old-1", Direction: inbox.DirectionOut, Kind: inbox.KindComment, Text: "reply", SentAt: now, Author: inbox.Author{Handle: "brand"}}}},
		{"fresh inbound", []inbox.Item{{ExternalID: "new-1", Direction: inbox.DirectionIn, Kind: inbox.KindComment, Text: "hello", SentAt: now, Author: inbox.Author{Handle: "b"}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := ws.Pipeline.Ingest(ctx, acc, c.items); err != nil {
				t.Fatal(err)
			}
			if err := m.Poll(ctx); err != nil {
				t.Fatal(err)
			}
			top, err := ws.Store.MaxMessageID(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if top == 0 || m.lastID != top {
				t.Errorf("after poll lastID = %d, newest message id = %d", m.lastID, top)
			}
			// A poll with nothing new keeps the position.
			if err := m.Poll(ctx); err != nil || m.lastID != top {
				t.Errorf("idle poll: lastID = %d, err %v", m.lastID, err)
			}
		})
	}
	// Only the fresh inbound message reached the detector.
	states := statesOf(t, m)
	if len(states) != 1 || states[0].Key.Account != "archive" || states[0].Volume != 1 {
		t.Errorf("detector states %+v, want one key with the fresh message", states)
	}
}

func demoAccount(t *testing.T, ws *Workspace, brand string, ch inbox.ChannelKind) string {
	t.Helper()
	accs, err := ws.Store.Accounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accs {
		if a.Brand == brand && a.Channel == ch {
			return a.Name
		}
	}
	t.Fatalf("no %s account of %s in the demo data", ch, brand)
	return ""
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
