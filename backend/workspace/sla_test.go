package workspace

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// TestRunSLASweepMovesStates saves a conversation under a 1-second policy and
// checks that the sweep, with no new event, turns it to breached and reports it.
func TestRunSLASweepMovesStates(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ws, err := Open(ctx, filepath.Join(t.TempDir(), "ws.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	policies := `{"policies": [{"name": "instant", "targets": {"firstResponse": "1s"},
		"hours": {"timeZone": "UTC", "always": true}}], "default": "instant"}`
	if err := ws.Store.SaveSLAPolicies(ctx, []byte(policies)); err != nil {
		t.Fatal(err)
	}
	a, err := ws.Store.EnsureAccount(ctx, inbox.Account{Name: "acme", Channel: inbox.ChannelTelegram})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Store.SaveItems(ctx, a.ID, []inbox.Item{{ExternalID: "q", ThreadKey: "th", Kind: inbox.KindDM,
		Direction: inbox.DirectionIn, Text: "hello?", SentAt: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	id, err := ws.Store.ConversationIDByThreadKey(ctx, a.ID, "th")
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := ws.Store.ConversationByID(ctx, id); c.SLAState == "breached" {
		t.Fatalf("breached at once: %+v", c)
	}
	changed := make(chan int, 10)
	if err := ws.Run(ctx, Loops{SLA: &SLASweep{Every: 100 * time.Millisecond, OnChange: func(n int) { changed <- n }}}); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(10 * time.Second)
	for {
		select {
		case n := <-changed:
			if n != 1 {
				t.Fatalf("sweep changed %d rows; want 1", n)
			}
			c, err := ws.Store.ConversationByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if c.SLAState == "breached" {
				cancel()
				if err := ws.Close(); err != nil { // returns once the sweep has stopped
					t.Fatal(err)
				}
				if len(ws.Running()) != 0 {
					t.Fatalf("still running after Close: %v", ws.Running())
				}
				return
			}
		case <-deadline:
			t.Fatal("the sweep never marked the conversation breached")
		}
	}
}
