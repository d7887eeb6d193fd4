package store

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// TestPresenceSharedAndExpiring: what one instance records, another reads;
// a beat that only renews a row changes nothing; typing, viewing and being
// online end on their own when the beats stop, each after its own time, and
// each ending is reported once.
func TestPresenceSharedAndExpiring(t *testing.T) {
	ctx := context.Background()
	dsn := testDSN(t)
	a, b := openAt(t, dsn), openAt(t, dsn)
	now := testNow
	clock := func() time.Time { return now }
	a.now, b.now = clock, clock

	beat := func(s *Store, member string, id int64, typing bool, want ...int64) {
		t.Helper()
		got, err := s.Heartbeat(ctx, member, id, typing)
		if err != nil {
			t.Fatalf("Heartbeat(%s, %d, %v): %v", member, id, typing, err)
		}
		if len(got) == 0 && len(want) == 0 {
			return
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Heartbeat(%s, %d, %v) changed %v, want %v", member, id, typing, got, want)
		}
	}
	viewers := func(s *Store, id int64) []Viewer {
		t.Helper()
		p, err := s.Presence(ctx, id)
		if err != nil || len(p) != 1 || p[0].ConversationID != id {
			t.Fatalf("Presence(%d) = %+v, %v", id, p, err)
		}
		return p[0].Viewers
	}
	expire := func(want ...int64) {
		t.Helper()
		got, err := b.ExpirePresence(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 && len(want) == 0 {
			return
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("ExpirePresence changed %v, want %v", got, want)
		}
	}

	if v := viewers(b, 7); v == nil || len(v) != 0 {
		t.Fatalf("viewers of an unwatched conversation = %#v, want an empty list", v)
	}
	beat(a, "Ann", 7, false, 0, 7) // Ann comes online and opens 7
	beat(a, "Pete Lee", 7, false, 0, 7)
	beat(a, "Ann", 7, false) // a renewal: nothing to announce
	if got, want := viewers(b, 7), []Viewer{{Name: "Ann"}, {Name: "Pete Lee"}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("viewers of 7 seen by the other instance = %+v, want %+v", got, want)
	}
	beat(a, "Ann", 7, true, 7) // starts typing
	beat(a, "Ann", 7, true)    // still typing
	if got, want := viewers(b, 7), []Viewer{{Name: "Ann", Typing: true}, {Name: "Pete Lee"}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("viewers while Ann types = %+v, want %+v", got, want)
	}
	if on, err := b.OnlineMembers(ctx); err != nil || !reflect.DeepEqual(on, []string{"Ann", "Pete Lee"}) {
		t.Fatalf("OnlineMembers = %v, %v", on, err)
	}

	// Typing lapses after TypingTTL without a beat; viewing stays.
	now = now.Add(TypingTTL + time.Second)
	if got := viewers(b, 7); got[0].Typing {
		t.Fatalf("typing shown after its time: %+v", got)
	}
	expire(7)
	expire()
	beat(a, "Pete Lee", 7, false)
	// Pete keeps his thread open; Ann's page stops beating.
	now = now.Add(ViewingTTL - TypingTTL)
	beat(a, "Pete Lee", 7, false)
	expire(7)
	if got, want := viewers(b, 7), []Viewer{{Name: "Pete Lee"}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("viewers after Ann's rows expired = %+v, want %+v", got, want)
	}
	if on, _ := b.OnlineMembers(ctx); !reflect.DeepEqual(on, []string{"Ann", "Pete Lee"}) {
		t.Fatalf("Ann went offline with her thread; online = %v", on)
	}
	now = now.Add(OnlineTTL - ViewingTTL)
	expire(0)
	if on, _ := b.OnlineMembers(ctx); !reflect.DeepEqual(on, []string{"Pete Lee"}) {
		t.Fatalf("online after Ann's app row expired = %v", on)
	}

	// Leaving a conversation ends viewing at once; leaving the app ends all.
	beat(a, "Ann", 9, true, 0, 9)
	if got, err := a.LeavePresence(ctx, "Ann", 9); err != nil || !reflect.DeepEqual(got, []int64{9}) {
		t.Fatalf("LeavePresence(9) = %v, %v", got, err)
	}
	beat(a, "Ann", 9, false, 9)
	if got, err := a.LeavePresence(ctx, "Ann", 0); err != nil || !reflect.DeepEqual(got, []int64{0, 9}) {
		t.Fatalf("LeavePresence(app) = %v, %v", got, err)
	}
	all, err := b.Presence(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []ConversationViewers{{ConversationID: 0, Viewers: []Viewer{{Name: "Pete Lee"}}}, {ConversationID: 7, Viewers: []Viewer{{Name: "Pete Lee"}}}}; !reflect.DeepEqual(all, want) {
		t.Fatalf("Presence() = %+v, want %+v", all, want)
	}
}
