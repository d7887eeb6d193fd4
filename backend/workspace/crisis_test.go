package workspace

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/crisis"
	"github.com/stormdesk/stormdesk/backend/demo"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// TestCrisisMonitorFindsTheDemoBurstAndFollowsNewMessages replays the demo
// data's history, expects its outage burst, then stores a fresh burst and
// expects the monitor to announce it on the next poll.
func TestCrisisMonitorFindsTheDemoBurstAndFollowsNewMessages(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	ws := openWS(t)
	if _, err := ws.SeedDemoIfEmpty(ctx, now, "me"); err != nil {
		t.Fatal(err)
	}
	var announced []crisis.Alert
	m := ws.NewCrisisMonitor(func(a crisis.Alert) { announced = append(announced, a) })
	if err := m.replay(ctx); err != nil {
		t.Fatal(err)
	}
	burst := demo.BurstStart(now)
	var hit *crisis.Alert
	for _, a := range m.Alerts() {
		if strings.HasPrefix(a.Key.Account, "sever-telecom") && a.DetectedAt.After(burst) && a.DetectedAt.Before(burst.Add(3*time.Hour)) {
			hit = &a
			break
		}
	}
	if hit == nil {
		t.Fatalf("no alert for the demo burst at %s; alerts: %v", burst, m.Alerts())
	}
	if len(announced) != 0 {
		t.Errorf("history replay announced %d alerts", len(announced))
	}
	if len(m.States()) == 0 {
		t.Fatal("no detector states")
	}

	// A new outage on an account with a week of history.
	acc := inbox.Account{Channel: hit.Key.Channel, Name: hit.Key.Account}
	var items []inbox.Item
	for i := 0; i < 40; i++ {
		items = append(items, inbox.Item{ExternalID: fmt.Sprint("fresh-", i), Direction: inbox.DirectionIn, Kind: inbox.KindComment,
			Text: "интернет опять не работает, авария", Sentiment: inbox.SentimentNegative,
			SentAt: now.Add(-20*time.Minute + time.Duration(i)*20*time.Second), Author: inbox.Author{Handle: fmt.Sprint("u", i)}})
	}
	if _, err := ws.Pipeline.Ingest(ctx, acc, items); err != nil {
		t.Fatal(err)
	}
	if err := m.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if len(announced) == 0 {
		t.Fatalf("no alert announced for 40 negative comments in 15 minutes; states %+v", m.States())
	}
	if got := m.Alerts()[0]; !got.DetectedAt.After(now.Add(-time.Hour)) {
		t.Errorf("newest alert detected at %s", got.DetectedAt)
	}
}

func TestDemoSeedsCannedRepliesAndKnowledge(t *testing.T) {
	ctx := context.Background()
	ws := openWS(t)
	if _, err := ws.SeedDemoIfEmpty(ctx, time.Now(), "me"); err != nil {
		t.Fatal(err)
	}
	canned, err := ws.Store.CannedReplies(ctx)
	if err != nil || len(canned) != len(demo.Canned()) {
		t.Fatalf("canned = %d, %v", len(canned), err)
	}
	kb, err := ws.Store.KBEntries(ctx, demo.BurstBrand)
	if err != nil || len(kb) == 0 {
		t.Fatalf("KB for %s = %v, %v", demo.BurstBrand, kb, err)
	}
	for _, e := range kb {
		if e.Brand != "" && e.Brand != demo.BurstBrand {
			t.Fatalf("another brand's entry %+v", e)
		}
	}
}
