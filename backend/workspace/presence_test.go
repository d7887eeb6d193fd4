package workspace

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

// TestRoundRobinAssignment: with round-robin on, new open unassigned
// conversations go to the online, enabled members in turn, up to the cap;
// the backlog from before it was switched on, a conversation assigned by
// hand, and anything while everyone is at the cap stay as they are; closing
// a conversation frees a place; switched off, nothing is assigned.
// STORMDESK_TEST_ENGINE=postgres runs it on PostgreSQL.
func TestRoundRobinAssignment(t *testing.T) {
	ctx := context.Background()
	ws := openAtDSN(t, sharedDSN(t))
	st := ws.Store
	acc, err := st.EnsureAccount(ctx, inbox.Account{Name: "acme", Channel: inbox.ChannelTelegram, Brand: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	newConv := func() int64 {
		t.Helper()
		n++
		th := fmt.Sprintf("t%d", n)
		if _, err := st.SaveItems(ctx, acc.ID, []inbox.Item{{ExternalID: "m" + th, ThreadKey: th, Kind: inbox.KindDM,
			Direction: inbox.DirectionIn, Text: "hello", SentAt: time.Now().Add(-time.Minute),
			Author: inbox.Author{ExternalID: "c" + th, Handle: "@" + th, DisplayName: th}}}); err != nil {
			t.Fatal(err)
		}
		id, err := st.ConversationIDByThreadKey(ctx, acc.ID, th)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	assignee := func(id int64) string {
		t.Helper()
		c, err := st.ConversationByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return c.Assignee
	}
	pass := func(want int) {
		t.Helper()
		got, err := ws.AssignRoundRobin(ctx)
		if err != nil || len(got) != want {
			t.Fatalf("AssignRoundRobin = %v, %v; want %d assigned", got, err, want)
		}
	}

	for _, m := range []struct {
		name string
		role store.Role
	}{{"Ann", store.RoleAgent}, {"Bob", store.RoleApprover}, {"Cyd", store.RoleAdmin}, {"Dan", store.RoleAgent}} {
		mm, err := st.CreateMember(ctx, m.name, m.role)
		if err != nil {
			t.Fatal(err)
		}
		if m.name == "Cyd" {
			if err := st.SetMemberDisabled(ctx, mm.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		if m.name != "Dan" { // Dan is offline
			if _, err := st.Heartbeat(ctx, m.name, 0, false); err != nil {
				t.Fatal(err)
			}
		}
	}
	backlog := newConv()
	pass(0) // off
	if err := ws.SaveAssignment(ctx, AssignmentSettings{RoundRobin: true, Cap: 2}); err != nil {
		t.Fatal(err)
	}
	if err := ws.SaveAssignment(ctx, AssignmentSettings{RoundRobin: true, Cap: -1}); err == nil {
		t.Fatal("a negative cap was stored")
	}
	if got, err := ws.Assignment(ctx); err != nil || got != (AssignmentSettings{RoundRobin: true, Cap: 2}) {
		t.Fatalf("Assignment = %+v, %v", got, err)
	}
	c := []int64{newConv(), newConv(), newConv(), newConv(), newConv()}
	if err := st.SetAssignee(ctx, c[1], "Zed"); err != nil {
		t.Fatal(err)
	}
	pass(4)
	want := []string{"Ann", "Zed", "Bob", "Ann", "Bob"}
	for i, id := range c {
		if got := assignee(id); got != want[i] {
			t.Fatalf("conversation %d went to %q, want %q", i, got, want[i])
		}
	}
	if got := assignee(backlog); got != "" {
		t.Fatalf("the backlog from before round-robin went to %q", got)
	}
	late := newConv()
	pass(0) // Ann and Bob are at the cap of 2
	if got := assignee(late); got != "" {
		t.Fatalf("a conversation went to %q past the cap", got)
	}
	if err := st.SetStatus(ctx, c[0], inbox.StatusClosed); err != nil {
		t.Fatal(err)
	}
	pass(1)
	if got := assignee(late); got != "Ann" {
		t.Fatalf("after Ann closed one, the waiting conversation went to %q, want Ann", got)
	}
	if err := ws.SaveAssignment(ctx, AssignmentSettings{RoundRobin: false, Cap: 2}); err != nil {
		t.Fatal(err)
	}
	newConv()
	pass(0)
}

// TestPresenceLoopAnnouncesExpiryAndAssigns: the presence loop, run by the
// supervisor, reports the conversations whose viewers changed when heartbeats
// stop (typing first, then viewing and being online), and with round-robin
// on hands a new conversation to the member online.
func TestPresenceLoopAnnouncesExpiryAndAssigns(t *testing.T) {
	ctx := context.Background()
	ws := openAtDSN(t, sharedDSN(t))
	var clock atomic.Int64
	clock.Store(time.Now().UnixMilli())
	ws.Store.SetClock(func() time.Time { return time.UnixMilli(clock.Load()) })
	if _, err := ws.Store.CreateMember(ctx, "Ann", store.RoleAgent); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Store.Heartbeat(ctx, "Ann", 7, true); err != nil {
		t.Fatal(err)
	}
	if err := ws.SaveAssignment(ctx, AssignmentSettings{RoundRobin: true}); err != nil {
		t.Fatal(err)
	}
	changed, assigned := make(chan []int64, 10), make(chan []int64, 10)
	if err := ws.Run(ctx, Loops{Presence: &PresenceSweep{Every: 5 * time.Millisecond, RoundRobin: true,
		OnChange: func(ids []int64) { changed <- ids },
		OnAssign: func(ids []int64) { assigned <- ids }}}); err != nil {
		t.Fatal(err)
	}
	next := func(ch chan []int64, what string) []int64 {
		t.Helper()
		select {
		case ids := <-ch:
			return ids
		case <-time.After(20 * time.Second):
			t.Fatalf("no %s from the presence loop", what)
			return nil
		}
	}

	acc, err := ws.Store.EnsureAccount(ctx, inbox.Account{Name: "acme", Channel: inbox.ChannelTelegram, Brand: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Store.SaveItems(ctx, acc.ID, []inbox.Item{{ExternalID: "m1", ThreadKey: "t1", Kind: inbox.KindDM,
		Direction: inbox.DirectionIn, Text: "hello", SentAt: time.Now().Add(-time.Minute),
		Author: inbox.Author{ExternalID: "c1", Handle: "@c1", DisplayName: "c1"}}}); err != nil {
		t.Fatal(err)
	}
	ids := next(assigned, "assignment")
	if c, err := ws.Store.ConversationByID(ctx, ids[0]); err != nil || c.Assignee != "Ann" {
		t.Fatalf("round-robin gave %v to %q, %v; want Ann", ids, c.Assignee, err)
	}

	clock.Add((store.TypingTTL + time.Second).Milliseconds())
	if got := next(changed, "typing expiry"); fmt.Sprint(got) != "[7]" {
		t.Fatalf("typing expiry changed %v, want [7]", got)
	}
	clock.Add(store.OnlineTTL.Milliseconds())
	if got := next(changed, "viewing expiry"); fmt.Sprint(got) != "[0 7]" {
		t.Fatalf("expiry changed %v, want [0 7]", got)
	}
}
