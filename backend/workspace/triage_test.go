package workspace

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

// TestBulkTriageAndUndo: a bulk "mark spam" answers with every conversation
// as stored, and its undo brings back what each one was.
func TestBulkTriageAndUndo(t *testing.T) {
	ctx := context.Background()
	ws := demoWorkspace(t, time.Now())
	page, err := ws.Conversations(ctx, store.InboxQuery{Status: inbox.StatusOpen, Limit: 3})
	if err != nil || len(page.Items) != 3 {
		t.Fatalf("demo page = %d, %v", len(page.Items), err)
	}
	ids := []int64{page.Items[0].ID, page.Items[1].ID, page.Items[2].ID}
	res, err := ws.Triage(ctx, ids, MarkSpam(), "me")
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range res.Items {
		if c.ID != ids[i] || c.Status != inbox.StatusClosed || !slices.Contains(c.Tags, SpamTag) {
			t.Errorf("after mark spam: %d %s %v; want %d closed and tagged %s", c.ID, c.Status, c.Tags, ids[i], SpamTag)
		}
	}
	back, err := ws.Undo(ctx, res.UndoID, "me")
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range back {
		if c.Status != page.Items[i].Status || !slices.Equal(c.Tags, page.Items[i].Tags) {
			t.Errorf("after undo: %d %s %v; want %s %v", c.ID, c.Status, c.Tags, page.Items[i].Status, page.Items[i].Tags)
		}
	}
}

// TestSnoozeWakerRunsUnderTheSupervisor: the loop is started by Run, opens a
// conversation whose snooze has ended, tells OnWake, and stops with Close.
func TestSnoozeWakerRunsUnderTheSupervisor(t *testing.T) {
	ctx := context.Background()
	ws := demoWorkspace(t, time.Now())
	page, err := ws.Conversations(ctx, store.InboxQuery{Status: inbox.StatusOpen, Limit: 1})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("demo page = %d, %v", len(page.Items), err)
	}
	id := page.Items[0].ID
	// Snoozed and closed an hour ago until a minute ago, by the store's clock.
	past := time.Now().Add(-time.Hour)
	ws.Store.SetClock(func() time.Time { return past })
	until := past.Add(59 * time.Minute)
	if _, err := ws.Triage(ctx, []int64{id}, store.Triage{Status: inbox.StatusClosed, SnoozeUntil: &until}, "me"); err != nil {
		t.Fatal(err)
	}
	ws.Store.SetClock(nil)

	woke := make(chan []int64, 1)
	if err := ws.Run(ctx, Loops{Snooze: &SnoozeWaker{OnWake: func(ids []int64) { woke <- ids }}}); err != nil {
		t.Fatal(err)
	}
	select {
	case ids := <-woke:
		if !slices.Equal(ids, []int64{id}) {
			t.Errorf("woken %v, want [%d]", ids, id)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the snooze loop did not wake the conversation")
	}
	if !slices.Contains(ws.Running(), "snooze") {
		t.Errorf("running loops %v, want snooze among them", ws.Running())
	}
	c, err := ws.Store.ConversationByID(ctx, id)
	if err != nil || c.Status != inbox.StatusOpen {
		t.Errorf("woken conversation is %s (%v), want open", c.Status, err)
	}
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	if r := ws.Running(); len(r) != 0 {
		t.Errorf("loops still running after Close: %v", r)
	}
}
