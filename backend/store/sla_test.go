package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/sla"
)

// clock is a controllable "now" for a store.
type clock struct{ t time.Time }

func (c *clock) set(t time.Time) { c.t = t }

func withClock(s *Store, start time.Time) *clock {
	c := &clock{t: start}
	s.now = func() time.Time { return c.t }
	return c
}

func mustStatus(t *testing.T, s *Store, id int64, st inbox.Status) {
	t.Helper()
	if err := s.SetStatusBy(context.Background(), id, st, "ann"); err != nil {
		t.Fatalf("SetStatus(%s): %v", st, err)
	}
}

func TestSLAPublicCommentAndMailGetDifferentDeadlines(t *testing.T) {
	s := openTest(t)
	withClock(s, t0.Add(time.Minute))
	a := mustAccount(t, s, "acme", inbox.ChannelVK)
	comment := item("c1", "comment", inbox.DirectionIn, 0, "where is my parcel?")
	comment.Kind = inbox.KindComment
	mail := item("m1", "mail", inbox.DirectionIn, 0, "where is my parcel?")
	mail.Kind = inbox.KindMail
	mustSave(t, s, a.ID, comment, mail)

	c, m := convByThread(t, s, "comment"), convByThread(t, s, "mail")
	if c.SLAPolicy != "public-comment" || c.SLADueAt == nil || !c.SLADueAt.Equal(t0.Add(time.Hour)) || c.SLAState != "ok" {
		t.Errorf("comment: policy %q due %v state %q; want public-comment, t0+1h, ok", c.SLAPolicy, c.SLADueAt, c.SLAState)
	}
	if m.SLAPolicy != "mail" || m.SLADueAt == nil || !m.SLADueAt.Equal(t0.Add(8*time.Hour)) {
		t.Errorf("mail: policy %q due %v; want mail, t0+8h (Mon 17:00)", m.SLAPolicy, m.SLADueAt)
	}
	if c.SLAWarnAt == nil || !c.SLAWarnAt.Equal(t0.Add(48*time.Minute)) {
		t.Errorf("comment warns at %v; want 80%% of 1h", c.SLAWarnAt)
	}
	// The inbox's SLA order puts the comment first.
	page, err := s.Conversations(context.Background(), InboxQuery{Order: OrderSLA})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 || page.Items[0].ThreadKey != "comment" {
		t.Fatalf("SLA order: %+v", page.Items)
	}
}

func TestSLAPendingPausesAndCustomerReplyResumes(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	clk := withClock(s, t0.Add(30*time.Minute))
	a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	mustSave(t, s, a.ID, item("q", "th", inbox.DirectionIn, 0, "question"))
	id := convByThread(t, s, "th").ID

	// Pending after 30 min: nothing due, the state says paused.
	mustStatus(t, s, id, inbox.StatusPending)
	c := convByThread(t, s, "th")
	if c.SLADueAt != nil || c.SLAState != "paused" || c.SLAWarnAt != nil {
		t.Fatalf("pending: due %v state %q warn %v", c.SLADueAt, c.SLAState, c.SLAWarnAt)
	}
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM conversation_events WHERE conversation_id = ? AND kind = 'status' AND status = 'pending' AND agent = 'ann' AND at = ?`,
		id, ms(t0.Add(30*time.Minute))).Scan(&n); err != nil || n != 1 {
		t.Fatalf("status event rows %d, %v", n, err)
	}
	// A sweep while pending keeps it paused, however late.
	clk.set(t0.Add(10 * time.Hour))
	if _, err := s.RecomputeSLA(ctx, clk.t); err != nil {
		t.Fatal(err)
	}
	if c := convByThread(t, s, "th"); c.SLAState != "paused" || c.SLADueAt != nil {
		t.Fatalf("pending after sweep: state %q due %v", c.SLAState, c.SLADueAt)
	}
	// The customer answers at 12:00: 3h30m of the 4h DM target remain.
	clk.set(t0.Add(3 * time.Hour))
	mustSave(t, s, a.ID, item("q2", "th", inbox.DirectionIn, 180, "any news?"))
	c = convByThread(t, s, "th")
	want := t0.Add(3*time.Hour + 210*time.Minute)
	if c.Status != inbox.StatusOpen || c.SLADueAt == nil || !c.SLADueAt.Equal(want) || c.SLAState != "ok" {
		t.Fatalf("resumed: status %s due %v state %q; want open, %v, ok", c.Status, c.SLADueAt, c.SLAState, want)
	}
}

func TestSLAClosingClearsDeadline(t *testing.T) {
	s := openTest(t)
	withClock(s, t0.Add(10*time.Minute))
	a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	mustSave(t, s, a.ID, item("q", "th", inbox.DirectionIn, 0, "question"))
	c := convByThread(t, s, "th")
	mustStatus(t, s, c.ID, inbox.StatusClosed)
	c = convByThread(t, s, "th")
	if c.SLADueAt != nil || c.SLAState != "none" {
		t.Fatalf("closed: due %v state %q", c.SLADueAt, c.SLAState)
	}
	var key int64
	if err := s.db.QueryRow(`SELECT sla_key FROM conversation_tags WHERE conversation_id = ?`, c.ID).Scan(&key); err == nil && key != noSLA {
		t.Fatalf("tag row keeps sla_key %d", key)
	}
}

func TestSaveSLAPoliciesRejectsInvalidSetsAndChangesNothing(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	withClock(s, t0.Add(10*time.Minute))
	a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	mustSave(t, s, a.ID, item("q", "th", inbox.DirectionIn, 0, "question"))
	before := convByThread(t, s, "th")
	savedBefore, err := s.SLAPolicies(ctx)
	if err != nil {
		t.Fatal(err)
	}

	overlap := sla.DefaultPolicies()
	overlap.Policies[3].Hours.Week = []sla.Shift{{Day: "mon", Start: "09:00", End: "17:00"}, {Day: "mon", Start: "16:00", End: "19:00"}}
	overlap.Policies[4].Hours.TimeZone = "Europe/Atlantis"
	overlapJSON, _ := json.Marshal(overlap)
	tests := []struct {
		name string
		raw  string
		want []string // substrings of the error, the engine's own wording
	}{
		{"not JSON", `{"policies": [`, []string{"read policies"}},
		{"overlapping shifts and unknown zone", string(overlapJSON),
			[]string{`policy "dm": mon: shifts 09:00-17:00 and 16:00-19:00 overlap`, `policy "mail": unknown time zone "Europe/Atlantis"`}},
		{"unknown default", `{"policies": [{"name": "a", "targets": {"firstResponse": "1h"}, "hours": {"timeZone": "UTC", "always": true}}], "default": "nowhere"}`,
			[]string{`default policy "nowhere" does not exist`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.SaveSLAPolicies(ctx, []byte(tt.raw))
			if err == nil {
				t.Fatal("invalid policies saved")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			got, err := s.SLAPolicies(ctx)
			if err != nil {
				t.Fatal(err)
			}
			gb, _ := json.Marshal(got)
			bb, _ := json.Marshal(savedBefore)
			if string(gb) != string(bb) {
				t.Fatal("stored policies changed")
			}
			if c := convByThread(t, s, "th"); !c.SLADueAt.Equal(*before.SLADueAt) || c.SLAPolicy != before.SLAPolicy {
				t.Fatalf("deadline changed to %v (%s)", c.SLADueAt, c.SLAPolicy)
			}
		})
	}
}

func TestSaveSLAPoliciesRecomputesOpenConversations(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	withClock(s, t0.Add(10*time.Minute))
	a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	mustSave(t, s, a.ID, item("q", "open", inbox.DirectionIn, 0, "question"),
		item("q2", "closed", inbox.DirectionIn, 0, "question"))
	closed := convByThread(t, s, "closed")
	mustStatus(t, s, closed.ID, inbox.StatusClosed)
	if c := convByThread(t, s, "open"); !c.SLADueAt.Equal(t0.Add(4 * time.Hour)) {
		t.Fatalf("default dm due %v", c.SLADueAt)
	}

	set := sla.DefaultPolicies()
	for i := range set.Policies {
		if set.Policies[i].Name == "dm" {
			set.Policies[i].Targets.FirstResponse = sla.Duration(time.Hour)
		}
	}
	raw, _ := json.Marshal(set)
	if err := s.SaveSLAPolicies(ctx, raw); err != nil {
		t.Fatal(err)
	}
	if c := convByThread(t, s, "open"); c.SLADueAt == nil || !c.SLADueAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("after policy change due %v; want t0+1h", c.SLADueAt)
	}
	if c := convByThread(t, s, "closed"); c.SLADueAt != nil || c.SLAState != "none" {
		t.Fatalf("closed conversation recomputed: %v %q", c.SLADueAt, c.SLAState)
	}
	got, err := s.SLAPolicies(ctx)
	if err != nil || got.Policies[3].Targets.FirstResponse != sla.Duration(time.Hour) {
		t.Fatalf("SLAPolicies = %+v, %v", got.Policies[3], err)
	}
	// New messages follow the saved policies too (the engine was swapped).
	mustSave(t, s, a.ID, item("q3", "later", inbox.DirectionIn, 5, "question"))
	if c := convByThread(t, s, "later"); !c.SLADueAt.Equal(t0.Add(65 * time.Minute)) {
		t.Fatalf("new conversation due %v; want t0+1h05m", c.SLADueAt)
	}
}

// TestRecomputeSLAFlipsStates: both sweeps move a waiting conversation from
// ok to warning to breached as time passes, writing only when it changes.
func TestRecomputeSLAFlipsStates(t *testing.T) {
	for _, sweep := range []struct {
		name string
		fn   func(*Store) func(context.Context, time.Time) (int, error)
	}{
		{"full", func(s *Store) func(context.Context, time.Time) (int, error) { return s.RecomputeSLA }},
		{"due", func(s *Store) func(context.Context, time.Time) (int, error) { return s.RecomputeSLADue }},
	} {
		t.Run(sweep.name, func(t *testing.T) {
			s := openTest(t)
			clk := withClock(s, t0.Add(time.Minute))
			a := mustAccount(t, s, "acme", inbox.ChannelVK)
			it := item("c1", "th", inbox.DirectionIn, 0, "hello?")
			it.Kind = inbox.KindComment // 1h, warning after 48 min
			mustSave(t, s, a.ID, it)
			steps := []struct {
				at      time.Duration
				state   string
				changed int
			}{
				{10 * time.Minute, "ok", 0}, // nothing changed: nothing written
				{48 * time.Minute, "warning", 1},
				{59 * time.Minute, "warning", 0},
				{60 * time.Minute, "warning", 0}, // a reply exactly at the deadline is in time
				{61 * time.Minute, "breached", 1},
				{90 * time.Minute, "breached", 0},
			}
			for _, st := range steps {
				clk.set(t0.Add(st.at))
				n, err := sweep.fn(s)(context.Background(), clk.t)
				if err != nil {
					t.Fatal(err)
				}
				c := convByThread(t, s, "th")
				if c.SLAState != st.state || n != st.changed {
					t.Fatalf("at +%v: state %q, %d changed; want %q, %d", st.at, c.SLAState, n, st.state, st.changed)
				}
				if !c.SLADueAt.Equal(t0.Add(time.Hour)) {
					t.Fatalf("at +%v: due moved to %v", st.at, c.SLADueAt)
				}
			}
		})
	}
}

// TestRecomputeSLADueReadsOnlyPassedTimes: the minute's sweep recomputes the
// conversations whose warning or due time has passed and leaves the others,
// even when their stored deadline is stale (an author's reach saved with
// another conversation), which the full sweep then corrects.
func TestRecomputeSLADueReadsOnlyPassedTimes(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	clk := withClock(s, t0.Add(time.Minute))
	a := mustAccount(t, s, "acme", inbox.ChannelVK)
	for _, th := range []struct {
		name string
		at   int
	}{{"early", 0}, {"late", 30}} {
		clk.set(t0.Add(time.Duration(th.at+1) * time.Minute))
		it := item("c-"+th.name, th.name, inbox.DirectionIn, th.at, "hello?")
		it.Kind = inbox.KindComment // 1h, warning after 48 min
		mustSave(t, s, a.ID, it)
	}
	late := convByThread(t, s, "late")
	// The late author's reach crosses the VIP rule's minimum behind the
	// store's back, as a save of another conversation of theirs would.
	if _, err := s.db.ExecContext(ctx, `UPDATE authors SET reach = 1000000 WHERE id = ?`, late.Author.ID); err != nil {
		t.Fatal(err)
	}
	clk.set(t0.Add(50 * time.Minute))
	n, err := s.RecomputeSLADue(ctx, clk.t)
	if err != nil || n != 1 {
		t.Fatalf("due sweep: %d changed, %v; want 1", n, err)
	}
	if c := convByThread(t, s, "early"); c.SLAState != "warning" {
		t.Fatalf("early: state %q; want warning", c.SLAState)
	}
	if c := convByThread(t, s, "late"); c.SLAState != "ok" || c.SLAPolicy != late.SLAPolicy {
		t.Fatalf("late after the due sweep: %q under %q; want it untouched (ok under %q)", c.SLAState, c.SLAPolicy, late.SLAPolicy)
	}
	if n, err := s.RecomputeSLA(ctx, clk.t); err != nil || n != 1 {
		t.Fatalf("full sweep: %d changed, %v; want 1", n, err)
	}
	if c := convByThread(t, s, "late"); c.SLAPolicy != "vip" {
		t.Fatalf("late after the full sweep: policy %q; want vip", c.SLAPolicy)
	}
}

// TestRecomputeSLAInChunks: a sweep split into transactions of a few
// conversations still reaches every active one, and skips closed ones.
func TestRecomputeSLAInChunks(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	s.sweepChunk = 3
	clk := withClock(s, t0.Add(time.Minute))
	a := mustAccount(t, s, "acme", inbox.ChannelVK)
	const n = 10
	for i := range n {
		it := item(fmt.Sprintf("c%d", i), fmt.Sprintf("th%d", i), inbox.DirectionIn, 0, "hello?")
		it.Kind = inbox.KindComment
		mustSave(t, s, a.ID, it)
	}
	closed := convByThread(t, s, "th4")
	if err := s.SetStatus(ctx, closed.ID, inbox.StatusClosed); err != nil {
		t.Fatal(err)
	}
	clk.set(t0.Add(61 * time.Minute))
	changed, err := s.RecomputeSLA(ctx, clk.t)
	if err != nil {
		t.Fatal(err)
	}
	if changed != n-1 {
		t.Fatalf("%d conversations changed; want %d", changed, n-1)
	}
	for i := range n {
		c := convByThread(t, s, fmt.Sprintf("th%d", i))
		want := "breached"
		if i == 4 {
			want = "none" // closing stopped its clock; the sweep leaves it alone
		}
		if c.SLAState != want {
			t.Fatalf("th%d: state %q; want %q", i, c.SLAState, want)
		}
	}
}

func TestSLATagsPriorityAndVIPChooseThePolicy(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	withClock(s, t0.Add(5*time.Minute))
	a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	mustSave(t, s, a.ID, item("q", "th", inbox.DirectionIn, 0, "question"))
	c := convByThread(t, s, "th")

	if err := s.SetPriority(ctx, c.ID, 2); err != nil {
		t.Fatal(err)
	}
	if c := convByThread(t, s, "th"); c.SLAPolicy != "urgent" || !c.SLADueAt.Equal(t0.Add(30*time.Minute)) || c.Priority != 2 {
		t.Fatalf("priority 2: policy %q due %v", c.SLAPolicy, c.SLADueAt)
	}
	if err := s.SetPriority(ctx, c.ID, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.SetAuthorVIP(ctx, c.Author.ID, true); err != nil {
		t.Fatal(err)
	}
	if c := convByThread(t, s, "th"); c.SLAPolicy != "vip" || !c.Author.VIP {
		t.Fatalf("VIP author: policy %q vip %v", c.SLAPolicy, c.Author.VIP)
	}
	if err := s.SetAuthorVIP(ctx, c.Author.ID, false); err != nil {
		t.Fatal(err)
	}

	// A tag rule: conversations tagged "legal" get the mail policy.
	set := sla.DefaultPolicies()
	set.Rules = append([]sla.Rule{{Policy: "mail", Tags: []string{"Legal"}}}, set.Rules...)
	raw, _ := json.Marshal(set)
	if err := s.SaveSLAPolicies(ctx, raw); err != nil {
		t.Fatal(err)
	}
	if err := s.AddTag(ctx, c.ID, "legal"); err != nil {
		t.Fatal(err)
	}
	if c := convByThread(t, s, "th"); c.SLAPolicy != "mail" || !c.SLADueAt.Equal(t0.Add(8*time.Hour)) {
		t.Fatalf("tagged legal: policy %q due %v", c.SLAPolicy, c.SLADueAt)
	}
	if err := s.RemoveTag(ctx, c.ID, "legal"); err != nil {
		t.Fatal(err)
	}
	if c := convByThread(t, s, "th"); c.SLAPolicy != "dm" {
		t.Fatalf("untagged: policy %q", c.SLAPolicy)
	}
	if err := s.SetPriority(ctx, 9999, 1); err == nil {
		t.Fatal("SetPriority of a missing conversation succeeded")
	}
}

func TestSetCrisisTightensFromThenOn(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	clk := withClock(s, t0.Add(30*time.Minute))
	a := mustAccount(t, s, "acme", inbox.ChannelVK)
	it := item("c1", "old", inbox.DirectionIn, 0, "hello?")
	it.Kind = inbox.KindComment
	mustSave(t, s, a.ID, it)

	// Crisis from 09:30: 30 min of the comment's first-response clock are used; the
	// crisis-public target is 15 min, so it is due (and breached) at the switch.
	if err := s.SetCrisis(ctx, a.ID, true); err != nil {
		t.Fatal(err)
	}
	c := convByThread(t, s, "old")
	if c.SLAPolicy != "crisis-public" || !c.SLADueAt.Equal(t0.Add(30*time.Minute)) {
		t.Fatalf("old conversation in crisis: policy %q due %v", c.SLAPolicy, c.SLADueAt)
	}
	// A conversation that starts during the crisis gets the crisis policy from its start.
	clk.set(t0.Add(41 * time.Minute))
	it2 := item("c2", "new", inbox.DirectionIn, 40, "hello?")
	it2.Kind = inbox.KindComment
	mustSave(t, s, a.ID, it2)
	if c := convByThread(t, s, "new"); c.SLAPolicy != "crisis-public" || !c.SLADueAt.Equal(t0.Add(55*time.Minute)) {
		t.Fatalf("new conversation in crisis: policy %q due %v", c.SLAPolicy, c.SLADueAt)
	}
	// Switching off at 09:45 returns to the normal rules from then on, keeping the
	// business time measured: the new one has 5 of 60 minutes used.
	clk.set(t0.Add(45 * time.Minute))
	if err := s.SetCrisis(ctx, a.ID, false); err != nil {
		t.Fatal(err)
	}
	if c := convByThread(t, s, "new"); c.SLAPolicy != "public-comment" || !c.SLADueAt.Equal(t0.Add(100*time.Minute)) {
		t.Fatalf("after the crisis: policy %q due %v", c.SLAPolicy, c.SLADueAt)
	}
	if err := s.SetCrisis(ctx, 999, true); err == nil {
		t.Fatal("SetCrisis of a missing account succeeded")
	}
}

func TestSLAReport(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	clk := withClock(s, t0.Add(time.Minute))
	a := mustAccount(t, s, "acme", inbox.ChannelVK)
	// "fast": answered in 20 min, closed at 10:00. "slow": answered after 2h (comment: 1h target).
	fast := []inbox.Item{item("f1", "fast", inbox.DirectionIn, 0, "q"), item("f2", "fast", inbox.DirectionOut, 20, "a")}
	slow := []inbox.Item{item("s1", "slow", inbox.DirectionIn, 0, "q"), item("s2", "slow", inbox.DirectionOut, 120, "a")}
	for i := range slow {
		slow[i].Kind = inbox.KindComment
	}
	mustSave(t, s, a.ID, append(fast, slow...)...)
	clk.set(t0.Add(time.Hour))
	mustStatus(t, s, convByThread(t, s, "fast").ID, inbox.StatusClosed)
	clk.set(t0.Add(3 * time.Hour))

	r, err := s.SLAReport(ctx, t0.Add(-24*time.Hour), t0.Add(24*time.Hour), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if r.Total.Conversations != 2 || r.Total.WithSLA != 2 || r.Total.WithinSLA != 1 || r.Total.FirstResponse.P50 != 20*time.Minute ||
		r.Total.FirstResponse.P90 != 2*time.Hour || r.Total.Resolution.Count != 1 || r.Total.Resolution.P50 != time.Hour {
		t.Fatalf("total %+v", r.Total)
	}
	if len(r.Breaches) != 1 || r.Breaches[0].ConversationID != convByThread(t, s, "slow").ID ||
		r.Breaches[0].Target != sla.TargetFirstResponse || !r.Breaches[0].DueAt.Equal(t0.Add(time.Hour)) || r.Breaches[0].Agent != "Acme" {
		t.Fatalf("breaches %+v", r.Breaches)
	}
	// A period before the conversations is empty; an empty period is an error.
	if r, err := s.SLAReport(ctx, t0.Add(-48*time.Hour), t0.Add(-24*time.Hour), time.UTC); err != nil || r.Total.Conversations != 0 {
		t.Fatalf("earlier period: %+v, %v", r.Total, err)
	}
	if _, err := s.SLAReport(ctx, t0, t0, time.UTC); err == nil {
		t.Fatal("empty period accepted")
	}
}
