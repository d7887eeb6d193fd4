package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// triageFixture stores n open conversations t1..tn, one inbound message each,
// and returns their ids in that order.
func triageFixture(t *testing.T, s *Store, n int) []int64 {
	t.Helper()
	a := mustAccount(t, s, "mail", inbox.ChannelMail)
	ids := make([]int64, n)
	for i := range n {
		key := fmt.Sprintf("t%d", i+1)
		mustSave(t, s, a.ID, item("m-"+key, key, inbox.DirectionIn, i, "hello "+key))
		ids[i] = convByThread(t, s, key).ID
	}
	return ids
}

// state is the undoable part of a conversation, for comparisons.
type state struct {
	Status   inbox.Status
	Assignee string
	Tags     string
}

func stateOf(t *testing.T, s *Store, id int64) state {
	t.Helper()
	c, err := s.ConversationByID(context.Background(), id)
	if err != nil {
		t.Fatalf("ConversationByID(%d): %v", id, err)
	}
	tags := slices.Clone(c.Tags)
	slices.Sort(tags)
	return state{c.Status, c.Assignee, fmt.Sprint(tags)}
}

// pageIDs returns the ids of the first inbox page of q.
func pageIDs(t *testing.T, s *Store, q InboxQuery) []int64 {
	t.Helper()
	p, err := s.Conversations(context.Background(), q)
	if err != nil {
		t.Fatalf("Conversations(%+v): %v", q, err)
	}
	ids := []int64{}
	for _, c := range p.Items {
		ids = append(ids, c.ID)
	}
	slices.Sort(ids)
	return ids
}

func ptr[T any](v T) *T { return &v }

func TestApplyTriageAndUndo(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		triage Triage
		want   state // of every triaged conversation afterwards
	}{
		{"close", Triage{Status: inbox.StatusClosed}, state{inbox.StatusClosed, "ana", "[vip]"}},
		{"assign", Triage{Assignee: ptr("bob")}, state{inbox.StatusOpen, "bob", "[vip]"}},
		{"unassign", Triage{Assignee: ptr("")}, state{inbox.StatusOpen, "", "[vip]"}},
		{"tag", Triage{AddTags: []string{" billing ", "billing"}}, state{inbox.StatusOpen, "ana", "[billing vip]"}},
		{"untag", Triage{RemoveTags: []string{"vip"}}, state{inbox.StatusOpen, "ana", "[]"}},
		{"spam", Triage{Status: inbox.StatusClosed, AddTags: []string{"spam"}}, state{inbox.StatusClosed, "ana", "[spam vip]"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openTest(t)
			ids := triageFixture(t, s, 4)
			// Every conversation starts assigned to ana and tagged vip; the
			// fourth is left out of the triage and must not change.
			for _, id := range ids {
				if err := s.SetAssignee(ctx, id, "ana"); err != nil {
					t.Fatal(err)
				}
				if err := s.AddTag(ctx, id, "vip"); err != nil {
					t.Fatal(err)
				}
			}
			before := stateOf(t, s, ids[0])
			undo, err := s.ApplyTriage(ctx, ids[:3], tc.triage, "me")
			if err != nil {
				t.Fatalf("ApplyTriage: %v", err)
			}
			for _, id := range ids[:3] {
				if got := stateOf(t, s, id); got != tc.want {
					t.Errorf("after triage, conversation %d = %+v, want %+v", id, got, tc.want)
				}
			}
			if got := stateOf(t, s, ids[3]); got != before {
				t.Errorf("untouched conversation changed to %+v", got)
			}
			// The tag index follows, so the tag views agree.
			if tc.name == "tag" {
				if got := pageIDs(t, s, InboxQuery{Tag: "billing"}); !slices.Equal(got, ids[:3]) {
					t.Errorf("tag view billing = %v, want %v", got, ids[:3])
				}
			}

			restored, err := s.Undo(ctx, undo, "me")
			if err != nil {
				t.Fatalf("Undo: %v", err)
			}
			if !slices.Equal(restored, ids[:3]) {
				t.Errorf("Undo restored %v, want %v", restored, ids[:3])
			}
			for _, id := range ids {
				if got := stateOf(t, s, id); got != before {
					t.Errorf("after undo, conversation %d = %+v, want %+v", id, got, before)
				}
			}
			if _, err := s.Undo(ctx, undo, "me"); !errors.Is(err, ErrNotFound) {
				t.Errorf("second Undo = %v, want ErrNotFound", err)
			}
		})
	}
}

func TestApplyTriageIsOneTransaction(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ids := triageFixture(t, s, 2)
	_, err := s.ApplyTriage(ctx, []int64{ids[0], 999999, ids[1]}, Triage{Status: inbox.StatusClosed}, "me")
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("ApplyTriage with an unknown id = %v, want ErrNotFound", err)
	}
	for _, id := range ids {
		if st := stateOf(t, s, id).Status; st != inbox.StatusOpen {
			t.Errorf("conversation %d is %s after a failed batch, want open", id, st)
		}
	}
	for _, tc := range []struct {
		name string
		ids  []int64
		t    Triage
	}{
		{"no ids", nil, Triage{Status: inbox.StatusClosed}},
		{"bad status", ids, Triage{Status: "gone"}},
		{"bad tag", ids, Triage{AddTags: []string{"a" + tagSep + "b"}}},
		{"snooze in the past", ids, Triage{SnoozeUntil: ptr(testNow.Add(-time.Minute))}},
	} {
		if _, err := s.ApplyTriage(ctx, tc.ids, tc.t, "me"); err == nil {
			t.Errorf("%s: ApplyTriage succeeded, want an error", tc.name)
		}
	}
}

func TestUndoExpires(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	clk := withClock(s, testNow)
	ids := triageFixture(t, s, 1)
	undo, err := s.ApplyTriage(ctx, ids, Triage{Status: inbox.StatusClosed}, "me")
	if err != nil {
		t.Fatal(err)
	}
	clk.set(testNow.Add(undoKeep + time.Minute))
	if _, err := s.Undo(ctx, undo, "me"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Undo after %v = %v, want ErrNotFound", undoKeep, err)
	}
}

func TestSnoozeLeavesViewsAndWakesByTime(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	clk := withClock(s, testNow)
	ids := triageFixture(t, s, 3)
	if err := s.SetStatus(ctx, ids[1], inbox.StatusPending); err != nil {
		t.Fatal(err)
	}
	early, late := testNow.Add(time.Hour), testNow.Add(3*time.Hour)
	if _, err := s.ApplyTriage(ctx, ids[:1], Triage{SnoozeUntil: &early}, "me"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyTriage(ctx, ids[1:2], Triage{SnoozeUntil: &late}, "me"); err != nil {
		t.Fatal(err)
	}

	// ids[2] stays open throughout; ids[0] was open and ids[1] pending when snoozed.
	open := []inbox.Status{"open", "pending", "open"}
	steps := []struct {
		name          string
		at            time.Time
		wake          bool
		open, snoozed []int64 // the open and the snoozed view
		woken         []int64
		next          time.Time
		status        []inbox.Status
	}{
		{"snoozed", testNow, false, ids[2:], ids[:2], nil, time.Time{}, open},
		// The query alone decides by time, before any wake-up ran.
		{"first due, not yet woken", early, false, []int64{ids[0], ids[2]}, ids[1:2], nil, time.Time{}, open},
		{"first woken", early, true, []int64{ids[0], ids[2]}, ids[1:2], ids[:1], late, open},
		{"second woken and opened", late.Add(time.Second), true, ids, []int64{}, ids[1:2], time.Time{},
			[]inbox.Status{"open", "open", "open"}},
	}
	for _, st := range steps {
		clk.set(st.at)
		if st.wake {
			woken, next, err := s.WakeSnoozed(ctx)
			if err != nil {
				t.Fatalf("%s: WakeSnoozed: %v", st.name, err)
			}
			if !slices.Equal(woken, st.woken) || !next.Equal(st.next) {
				t.Errorf("%s: WakeSnoozed = %v, next %v; want %v, next %v", st.name, woken, next, st.woken, st.next)
			}
		}
		if got := pageIDs(t, s, InboxQuery{Status: inbox.StatusOpen}); !slices.Equal(got, st.open) {
			t.Errorf("%s: open view = %v, want %v", st.name, got, st.open)
		}
		if got := pageIDs(t, s, InboxQuery{Snoozed: true}); !slices.Equal(got, st.snoozed) {
			t.Errorf("%s: snoozed view = %v, want %v", st.name, got, st.snoozed)
		}
		// The sidebar's count is the view's length, and each row carries its wake time.
		if stats, err := s.Stats(ctx); err != nil || stats.Snoozed != len(st.snoozed) {
			t.Errorf("%s: Stats().Snoozed = %d (%v), want %d", st.name, stats.Snoozed, err, len(st.snoozed))
		}
		wake := map[int64]time.Time{ids[0]: early, ids[1]: late}
		p, err := s.Conversations(ctx, InboxQuery{Snoozed: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range p.Items {
			if c.SnoozedUntil == nil || !c.SnoozedUntil.Equal(wake[c.ID]) {
				t.Errorf("%s: conversation %d snoozedUntil = %v, want %v", st.name, c.ID, c.SnoozedUntil, wake[c.ID])
			}
		}
		if c, err := s.ConversationByID(ctx, ids[2]); err != nil || c.SnoozedUntil != nil {
			t.Errorf("%s: never-snoozed conversation has snoozedUntil %v (%v)", st.name, c.SnoozedUntil, err)
		}
		for i, id := range ids {
			if got := stateOf(t, s, id).Status; got != st.status[i] {
				t.Errorf("%s: conversation %d is %s, want %s", st.name, id, got, st.status[i])
			}
		}
	}
}

func TestSnoozeEndsWhenTheCustomerWrites(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ids := triageFixture(t, s, 1)
	until := testNow.Add(24 * time.Hour)
	undo, err := s.ApplyTriage(ctx, ids, Triage{SnoozeUntil: &until}, "me")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.SnoozedUntil(ctx, ids[0]); !got.Equal(until) {
		t.Fatalf("SnoozedUntil = %v, want %v", got, until)
	}
	// Undo of a snooze ends it; snooze again, then the customer writes.
	if _, err := s.Undo(ctx, undo, "me"); err != nil {
		t.Fatal(err)
	}
	if got := pageIDs(t, s, InboxQuery{}); !slices.Equal(got, ids) {
		t.Errorf("after undoing the snooze the list = %v, want %v", got, ids)
	}
	if _, err := s.ApplyTriage(ctx, ids, Triage{SnoozeUntil: &until}, "me"); err != nil {
		t.Fatal(err)
	}
	a, _ := s.Accounts(ctx)
	mustSave(t, s, a[0].ID, item("m-t1-again", "t1", inbox.DirectionIn, 30, "any news?"))
	if got := pageIDs(t, s, InboxQuery{Status: inbox.StatusOpen}); !slices.Equal(got, ids) {
		t.Errorf("after the customer wrote, the open view = %v, want %v", got, ids)
	}
	if got, _ := s.SnoozedUntil(ctx, ids[0]); !got.IsZero() {
		t.Errorf("SnoozedUntil after a new message = %v, want none", got)
	}
}

func TestNotes(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	clk := withClock(s, testNow)
	ids := triageFixture(t, s, 2)
	for _, tc := range []struct {
		name    string
		id      int64
		body    string
		wantErr error
	}{
		{"first", ids[0], "  refund approved by finance  ", nil},
		{"second", ids[0], "called the customer", nil},
		{"other conversation", ids[1], "unrelated", nil},
		{"empty", ids[0], "   ", errors.New("empty")},
		{"unknown conversation", 424242, "x", ErrNotFound},
	} {
		clk.set(clk.t.Add(time.Minute))
		n, err := s.AddNote(ctx, tc.id, "ana", tc.body)
		switch {
		case tc.wantErr == nil && err != nil:
			t.Errorf("%s: AddNote: %v", tc.name, err)
		case tc.wantErr == ErrNotFound && !errors.Is(err, ErrNotFound):
			t.Errorf("%s: AddNote = %v, want ErrNotFound", tc.name, err)
		case tc.wantErr != nil && err == nil:
			t.Errorf("%s: AddNote succeeded, want an error", tc.name)
		case tc.wantErr == nil && (n.Author != "ana" || !n.CreatedAt.Equal(clk.t)):
			t.Errorf("%s: note = %+v", tc.name, n)
		}
	}
	notes, err := s.Notes(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, n := range notes {
		bodies = append(bodies, n.Body)
	}
	if want := []string{"refund approved by finance", "called the customer"}; !slices.Equal(bodies, want) {
		t.Errorf("Notes = %q, want %q", bodies, want)
	}
	// A note is internal: it is not a message and does not touch the thread or its counters.
	msgs, err := s.Thread(ctx, ids[0])
	if err != nil || len(msgs) != 1 {
		t.Errorf("Thread has %d messages (%v), want the one customer message", len(msgs), err)
	}
	if err := s.DeleteNote(ctx, notes[0].ID, "bob"); !errors.Is(err, ErrNotFound) {
		t.Errorf("DeleteNote by another agent = %v, want ErrNotFound", err)
	}
	if err := s.DeleteNote(ctx, notes[0].ID, "ana"); err != nil {
		t.Errorf("DeleteNote by its author: %v", err)
	}
	if notes, _ := s.Notes(ctx, ids[0]); len(notes) != 1 {
		t.Errorf("after delete %d notes, want 1", len(notes))
	}
}

func TestSavedViews(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	neg := ViewFilters{Base: "all", Status: "open", Sentiment: "negative", Order: OrderSLA}
	mail := ViewFilters{Base: "channel:email", Status: "", Order: OrderNewest}
	steps := []struct {
		name    string
		run     func() error
		wantErr error
		want    []string // names in the sidebar afterwards
	}{
		{"save", func() error { _, err := s.SaveView(ctx, "Angry, by SLA", neg); return err }, nil, []string{"Angry, by SLA"}},
		{"save another", func() error { _, err := s.SaveView(ctx, " all mail ", mail); return err }, nil,
			[]string{"all mail", "Angry, by SLA"}},
		{"same name in another case", func() error { _, err := s.SaveView(ctx, "ALL MAIL", neg); return err }, ErrViewName,
			[]string{"all mail", "Angry, by SLA"}},
		{"empty name", func() error { _, err := s.SaveView(ctx, "  ", neg); return err }, ErrViewName,
			[]string{"all mail", "Angry, by SLA"}},
		{"bad order", func() error { _, err := s.SaveView(ctx, "x", ViewFilters{Order: "random"}); return err }, errAny,
			[]string{"all mail", "Angry, by SLA"}},
		{"rename", func() error { return s.RenameView(ctx, 1, "Negative first") }, nil, []string{"all mail", "Negative first"}},
		{"rename to a used name", func() error { return s.RenameView(ctx, 1, "All Mail") }, ErrViewName,
			[]string{"all mail", "Negative first"}},
		{"delete", func() error { return s.DeleteView(ctx, 2) }, nil, []string{"Negative first"}},
		{"delete again", func() error { return s.DeleteView(ctx, 2) }, ErrNotFound, []string{"Negative first"}},
	}
	for _, st := range steps {
		err := st.run()
		switch {
		case st.wantErr == nil && err != nil:
			t.Errorf("%s: %v", st.name, err)
		case st.wantErr == errAny && err == nil:
			t.Errorf("%s: succeeded, want an error", st.name)
		case st.wantErr != nil && st.wantErr != errAny && !errors.Is(err, st.wantErr):
			t.Errorf("%s: error %v, want %v", st.name, err, st.wantErr)
		}
		views, err := s.SavedViews(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, v := range views {
			names = append(names, v.Name)
		}
		if !slices.Equal(names, st.want) {
			t.Errorf("%s: views %q, want %q", st.name, names, st.want)
		}
	}
	views, _ := s.SavedViews(ctx)
	if views[0].Filters != neg {
		t.Errorf("saved filters = %+v, want %+v", views[0].Filters, neg)
	}
}

// errAny stands for "some error" in table tests.
var errAny = errors.New("any error")

func TestAssigneesListsEachPersonOnce(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ids := triageFixture(t, s, 5)
	if got, err := s.Assignees(ctx); err != nil || len(got) != 0 {
		t.Fatalf("Assignees on an unassigned store = %v (%v), want none", got, err)
	}
	for i, who := range []string{"mikhail", "anna", "mikhail", "", "jonas"} {
		if _, err := s.ApplyTriage(ctx, ids[i:i+1], Triage{Assignee: &who}, "me"); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Assignees(ctx)
	if want := []string{"anna", "jonas", "mikhail"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("Assignees = %v (%v), want %v", got, err, want)
	}
}
