package workspace

import (
	"context"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

// TestDemoIsALiveInbox: the demo's two weeks of messages arrived as they were
// sent, so no demo conversation is historical and every open one has a
// running SLA clock, also those older than the history horizon.
func TestDemoIsALiveInbox(t *testing.T) {
	ws := openWS(t)
	ctx := context.Background()
	now := time.Now()
	if _, err := ws.SeedDemoIfEmpty(ctx, now, "me"); err != nil {
		t.Fatal(err)
	}
	q := store.InboxQuery{Limit: 500}
	var open, oldOpen int
	for {
		p, err := ws.Store.Conversations(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range p.Items {
			if c.SLAState == "historical" {
				t.Errorf("conversation %d (%s) is historical", c.ID, c.ThreadKey)
			}
			if c.Status != inbox.StatusOpen {
				continue
			}
			open++
			if c.SLADueAt == nil {
				t.Errorf("open conversation %d has no SLA clock", c.ID)
			}
			if c.LastMessageAt.Before(now.Add(-8 * 24 * time.Hour)) {
				oldOpen++
			}
		}
		if p.Next == "" {
			break
		}
		q.Cursor = p.Next
	}
	if open == 0 || oldOpen == 0 {
		t.Fatalf("%d open conversations, %d older than the horizon: the test needs both", open, oldOpen)
	}
}
