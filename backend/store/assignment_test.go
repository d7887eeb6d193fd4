package store

import (
	"context"
	"reflect"
	"testing"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// TestRoundRobinQueries: the new open unassigned conversations after a
// mark, the per-member load that caps them, and an assignment that does not
// overwrite one made by hand meanwhile.
func TestRoundRobinQueries(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	acc := mustAccount(t, s, "acme", inbox.ChannelTelegram)
	var ids []int64
	for i, th := range []string{"t1", "t2", "t3", "t4"} {
		mustSave(t, s, acc.ID, item("m"+th, th, inbox.DirectionIn, i, "hello"))
		ids = append(ids, convByThread(t, s, th).ID)
	}
	if last, err := s.LastConversationID(ctx); err != nil || last != ids[3] {
		t.Fatalf("LastConversationID = %d, %v; want %d", last, err, ids[3])
	}
	if err := s.SetAssignee(ctx, ids[1], "Ann"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStatus(ctx, ids[2], inbox.StatusClosed); err != nil {
		t.Fatal(err)
	}
	got, err := s.UnassignedOpenAfter(ctx, ids[0], 10)
	if err != nil || !reflect.DeepEqual(got, []int64{ids[3]}) {
		t.Fatalf("UnassignedOpenAfter(%d) = %v, %v; want [%d]", ids[0], got, err, ids[3])
	}
	if got, _ := s.UnassignedOpenAfter(ctx, 0, 1); !reflect.DeepEqual(got, []int64{ids[0]}) {
		t.Fatalf("UnassignedOpenAfter(0, limit 1) = %v, want [%d]", got, ids[0])
	}

	if ok, err := s.AssignIfUnassigned(ctx, ids[3], "Bob"); err != nil || !ok {
		t.Fatalf("AssignIfUnassigned(unassigned) = %v, %v", ok, err)
	}
	if ok, err := s.AssignIfUnassigned(ctx, ids[1], "Bob"); err != nil || ok {
		t.Fatalf("AssignIfUnassigned over Ann's = %v, %v; want false", ok, err)
	}
	if c := convByThread(t, s, "t2"); c.Assignee != "Ann" {
		t.Fatalf("Ann's conversation went to %q", c.Assignee)
	}
	if err := s.SetAssignee(ctx, ids[2], "Ann"); err != nil { // closed: no load
		t.Fatal(err)
	}
	if err := s.SetStatus(ctx, ids[3], inbox.StatusPending); err != nil { // pending: load
		t.Fatal(err)
	}
	if got, err := s.OpenAssignedCounts(ctx); err != nil || !reflect.DeepEqual(got, map[string]int{"Ann": 1, "Bob": 1}) {
		t.Fatalf("OpenAssignedCounts = %v, %v", got, err)
	}
}
