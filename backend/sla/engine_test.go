package sla

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

const (
	m = time.Minute
	h = time.Hour
)

// testSet has a 24/7 policy with round targets, a Berlin split-shift office policy
// with holidays, and a tight crisis policy.
func testSet() PolicySet {
	return PolicySet{
		Policies: []Policy{
			{Name: "fast", Targets: Targets{FirstResponse: Duration(h), NextResponse: Duration(30 * m), Resolution: Duration(4 * h)},
				Hours: BusinessHours{TimeZone: "UTC", Always: true}},
			{Name: "office", Targets: Targets{FirstResponse: Duration(2 * h), NextResponse: Duration(2 * h), Resolution: Duration(16 * h)},
				Hours: BusinessHours{TimeZone: "Europe/Berlin", Week: append(workWeek("09:00", "12:00"), workWeek("13:00", "18:00")...),
					Holidays: []Holiday{{Date: "2026-12-25", Name: "Weihnachten"}}}},
			{Name: "crisis", Targets: Targets{FirstResponse: Duration(15 * m), NextResponse: Duration(15 * m), Resolution: Duration(2 * h)},
				Hours: BusinessHours{TimeZone: "UTC", Always: true}, WarnShare: 0.5},
		},
		Rules:         []Rule{{Policy: "fast", Kinds: []inbox.MessageKind{inbox.KindComment}}},
		Default:       "office",
		CrisisRules:   []Rule{},
		CrisisDefault: "crisis",
	}
}

func mustEngine(t testing.TB, s PolicySet) *Engine {
	t.Helper()
	e, err := NewEngine(s)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func in(at time.Time) Event  { return Event{Kind: EventInbound, At: at} }
func out(at time.Time) Event { return Event{Kind: EventOutbound, At: at, Agent: "anna"} }
func status(at time.Time, s inbox.Status) Event {
	return Event{Kind: EventStatus, At: at, Status: s}
}

func tp(v time.Time) *time.Time { return &v }

func eqTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

func TestEvaluate(t *testing.T) {
	e := mustEngine(t, testSet())
	t0 := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC) // Monday
	berlin := mustLoc(t, "Europe/Berlin")
	comment := func(evs ...Event) Conversation {
		return Conversation{Channel: inbox.ChannelVK, Kind: inbox.KindComment, Status: "", Events: evs}
	}
	mail := func(evs ...Event) Conversation {
		return Conversation{Channel: inbox.ChannelMail, Kind: inbox.KindMail, Events: evs}
	}
	tests := []struct {
		name       string
		conv       Conversation
		now        time.Time
		policy     string
		target     Target
		state      State
		due        *time.Time
		warn       *time.Time
		remaining  time.Duration
		frBreach   *time.Time
		resBreach  *time.Time
		nBreaches  int
		resolvedAt *time.Time
	}{
		{name: "no messages: nothing to do", conv: comment(), now: t0, policy: "fast", state: StateNone},
		{name: "fresh comment is ok", conv: comment(in(t0)), now: t0.Add(47 * m), policy: "fast",
			target: TargetFirstResponse, state: StateOK, due: tp(t0.Add(h)), warn: tp(t0.Add(48 * m)), remaining: 13 * m},
		{name: "warning at 80%", conv: comment(in(t0)), now: t0.Add(48 * m), policy: "fast",
			target: TargetFirstResponse, state: StateWarning, due: tp(t0.Add(h)), warn: tp(t0.Add(48 * m)), remaining: 12 * m},
		{name: "at the deadline still not breached", conv: comment(in(t0)), now: t0.Add(h), policy: "fast",
			target: TargetFirstResponse, state: StateWarning, due: tp(t0.Add(h)), warn: tp(t0.Add(48 * m)), remaining: 0},
		{name: "breached after the deadline", conv: comment(in(t0)), now: t0.Add(h + time.Second), policy: "fast",
			target: TargetFirstResponse, state: StateBreached, due: tp(t0.Add(h)), warn: tp(t0.Add(48 * m)), remaining: -time.Second,
			frBreach: tp(t0.Add(h)), nBreaches: 1},
		{name: "late reply records the first-response breach", conv: comment(in(t0), out(t0.Add(90*m))), now: t0.Add(2 * h), policy: "fast",
			target: TargetResolution, state: StateOK, due: tp(t0.Add(4 * h)), warn: tp(t0.Add(192 * m)), remaining: 2 * h,
			frBreach: tp(t0.Add(h)), nBreaches: 1},
		{name: "second message after reply starts next-response clock", conv: comment(in(t0), out(t0.Add(10*m)), in(t0.Add(20*m))), now: t0.Add(25 * m), policy: "fast",
			target: TargetNextResponse, state: StateOK, due: tp(t0.Add(50 * m)), warn: tp(t0.Add(44 * m)), remaining: 25 * m},
		{name: "missed next response is a breach but not a first-response breach", conv: comment(in(t0), out(t0.Add(10*m)), in(t0.Add(20*m)), out(t0.Add(60*m))), now: t0.Add(65 * m), policy: "fast",
			target: TargetResolution, state: StateOK, due: tp(t0.Add(4 * h)), warn: tp(t0.Add(192 * m)), remaining: 4*h - 65*m, nBreaches: 1},
		{name: "pending pauses: no due date, remaining frozen", conv: comment(in(t0), status(t0.Add(20*m), inbox.StatusPending)), now: t0.Add(5 * h), policy: "fast",
			target: TargetFirstResponse, state: StatePaused, remaining: 40 * m},
		{name: "customer reply resumes the paused clock", conv: comment(in(t0), status(t0.Add(20*m), inbox.StatusPending), in(t0.Add(3*h))), now: t0.Add(3*h + 10*m), policy: "fast",
			target: TargetFirstResponse, state: StateOK, due: tp(t0.Add(3*h + 40*m)), warn: tp(t0.Add(3*h + 28*m)), remaining: 30 * m},
		{name: "agent reopening resumes resolution", conv: comment(in(t0), out(t0.Add(10*m)), status(t0.Add(10*m), inbox.StatusPending), status(t0.Add(5*h), inbox.StatusOpen)), now: t0.Add(5 * h), policy: "fast",
			target: TargetResolution, state: StateOK, due: tp(t0.Add(5*h + 3*h + 50*m)), warn: tp(t0.Add(5*h + 3*h + 2*m)), remaining: 3*h + 50*m},
		{name: "closed: no clock, resolution recorded", conv: comment(in(t0), out(t0.Add(10*m)), status(t0.Add(30*m), inbox.StatusClosed)), now: t0.Add(9 * h), policy: "fast",
			state: StateNone, resolvedAt: tp(t0.Add(30 * m))},
		{name: "closed late: resolution breach", conv: comment(in(t0), out(t0.Add(10*m)), status(t0.Add(5*h), inbox.StatusClosed)), now: t0.Add(9 * h), policy: "fast",
			state: StateNone, resolvedAt: tp(t0.Add(5 * h)), resBreach: tp(t0.Add(4 * h)), nBreaches: 1},
		{name: "status recorded only on the conversation is applied at the last event",
			conv: Conversation{Kind: inbox.KindComment, Status: inbox.StatusClosed, Events: []Event{in(t0), out(t0.Add(10 * m))}}, now: t0.Add(9 * h), policy: "fast",
			state: StateNone, resolvedAt: tp(t0.Add(10 * m))},
		{name: "events out of order are sorted", conv: comment(out(t0.Add(10*m)), in(t0)), now: t0.Add(20 * m), policy: "fast",
			target: TargetResolution, state: StateOK, due: tp(t0.Add(4 * h)), warn: tp(t0.Add(192 * m)), remaining: 4*h - 20*m},
		{name: "events after now are ignored", conv: comment(in(t0), out(t0.Add(10*m))), now: t0.Add(5 * m), policy: "fast",
			target: TargetFirstResponse, state: StateOK, due: tp(t0.Add(h)), warn: tp(t0.Add(48 * m)), remaining: 55 * m},
		{name: "mail at 12:30 on split shift waits until 13:00", conv: mail(in(time.Date(2026, 6, 1, 12, 30, 0, 0, berlin))), now: time.Date(2026, 6, 1, 12, 59, 0, 0, berlin), policy: "office",
			target: TargetFirstResponse, state: StateOK, due: tp(time.Date(2026, 6, 1, 15, 0, 0, 0, berlin)), warn: tp(time.Date(2026, 6, 1, 14, 36, 0, 0, berlin)), remaining: 2 * h},
		{name: "mail on a holiday is due the next working day", conv: mail(in(time.Date(2026, 12, 25, 10, 0, 0, 0, berlin))), now: time.Date(2026, 12, 25, 20, 0, 0, 0, berlin), policy: "office",
			target: TargetFirstResponse, state: StateOK, due: tp(time.Date(2026, 12, 28, 11, 0, 0, 0, berlin)), warn: tp(time.Date(2026, 12, 28, 10, 36, 0, 0, berlin)), remaining: 2 * h},
		{name: "mail friday 17:00 is due monday 10:00 across Berlin DST", conv: mail(in(time.Date(2026, 3, 27, 17, 0, 0, 0, berlin))), now: time.Date(2026, 3, 30, 10, 0, 1, 0, berlin), policy: "office",
			target: TargetFirstResponse, state: StateBreached, due: tp(time.Date(2026, 3, 30, 10, 0, 0, 0, berlin)), warn: tp(time.Date(2026, 3, 30, 9, 36, 0, 0, berlin)), remaining: -time.Second,
			frBreach: tp(time.Date(2026, 3, 30, 10, 0, 0, 0, berlin)), nBreaches: 1},
		{name: "crisis switches to the crisis default with its own warn share", conv: Conversation{Kind: inbox.KindMail, Crisis: true, Events: []Event{in(t0)}}, now: t0.Add(8 * m), policy: "crisis",
			target: TargetFirstResponse, state: StateWarning, due: tp(t0.Add(15 * m)), warn: tp(t0.Add(450 * time.Second)), remaining: 7 * m},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Evaluate(tt.conv, tt.now)
			if r.Policy != tt.policy || r.Target != tt.target || r.State != tt.state {
				t.Fatalf("policy/target/state = %s/%q/%s, want %s/%q/%s", r.Policy, r.Target, r.State, tt.policy, tt.target, tt.state)
			}
			if !eqTime(r.DueAt, tt.due) {
				t.Errorf("due %v, want %v", r.DueAt, tt.due)
			}
			if !eqTime(r.WarnAt, tt.warn) {
				t.Errorf("warn %v, want %v", r.WarnAt, tt.warn)
			}
			if tt.state != StateNone && r.Remaining != tt.remaining {
				t.Errorf("remaining %s, want %s", r.Remaining, tt.remaining)
			}
			if !eqTime(r.FirstResponseBreachedAt, tt.frBreach) {
				t.Errorf("first-response breach %v, want %v", r.FirstResponseBreachedAt, tt.frBreach)
			}
			if !eqTime(r.ResolutionBreachedAt, tt.resBreach) {
				t.Errorf("resolution breach %v, want %v", r.ResolutionBreachedAt, tt.resBreach)
			}
			if len(r.Breaches) != tt.nBreaches {
				t.Errorf("breaches %v, want %d", r.Breaches, tt.nBreaches)
			}
			if !eqTime(r.ResolvedAt, tt.resolvedAt) {
				t.Errorf("resolved %v, want %v", r.ResolvedAt, tt.resolvedAt)
			}
		})
	}
}

func TestEvaluateReportFacts(t *testing.T) {
	e := mustEngine(t, testSet())
	berlin := mustLoc(t, "Europe/Berlin")
	// Mail Friday 17:00; reply Monday 09:30; pending until the customer answers Monday
	// 14:00; closed Tuesday 10:00. Business time: first response 1h30m; resolution
	// Fri 1h + Mon 09:00-09:30 (pending from 09:30) + Mon 14:00-18:00 + Tue 09:00-10:00.
	c := Conversation{Kind: inbox.KindMail, Events: []Event{
		in(time.Date(2026, 3, 27, 17, 0, 0, 0, berlin)),
		out(time.Date(2026, 3, 30, 9, 30, 0, 0, berlin)),
		status(time.Date(2026, 3, 30, 9, 30, 0, 0, berlin), inbox.StatusPending),
		in(time.Date(2026, 3, 30, 14, 0, 0, 0, berlin)),
		out(time.Date(2026, 3, 30, 14, 30, 0, 0, berlin)),
		status(time.Date(2026, 3, 31, 10, 0, 0, 0, berlin), inbox.StatusClosed),
	}}
	r := e.Evaluate(c, time.Date(2026, 4, 1, 0, 0, 0, 0, berlin))
	if r.FirstResponseTime != 90*m || r.FirstResponder != "anna" {
		t.Errorf("first response %s by %q, want 1h30m by anna", r.FirstResponseTime, r.FirstResponder)
	}
	if want := h + 30*m + 4*h + h; r.ResolutionTime != want {
		t.Errorf("resolution time %s, want %s", r.ResolutionTime, want)
	}
	if len(r.Breaches) != 0 || !r.HasTarget || r.State != StateNone {
		t.Errorf("breaches %v hasTarget %v state %s", r.Breaches, r.HasTarget, r.State)
	}
}

func TestEvaluatePolicyChange(t *testing.T) {
	e := mustEngine(t, testSet())
	berlin := mustLoc(t, "Europe/Berlin")
	mon10 := time.Date(2026, 6, 1, 10, 0, 0, 0, berlin)
	policy := func(at time.Time, name string) Event { return Event{Kind: EventPolicy, At: at, Policy: name} }
	tests := []struct {
		name   string
		events []Event
		now    time.Time
		policy string
		state  State
		due    *time.Time
		breach *time.Time
	}{
		// 30 min of business time are used under "office"; "fast" (1h, 24/7) leaves 30 min from 10:30.
		{"looser to tighter keeps elapsed business time", []Event{in(mon10), policy(mon10.Add(30*m), "fast")}, mon10.Add(40 * m),
			"fast", StateOK, tp(mon10.Add(60 * m)), nil},
		// 20 min used; crisis target 15 min is already exceeded: due and breached at the change.
		{"tighter target already used up breaches at the change", []Event{in(mon10), policy(mon10.Add(20*m), "crisis")}, mon10.Add(21 * m),
			"crisis", StateBreached, tp(mon10.Add(20 * m)), tp(mon10.Add(20 * m))},
		// A 24/7 policy counts 08:00-08:50 (office would count none); after the switch the
		// remaining 70 min run in office time from the 09:00 opening: 10:10, not 11:00.
		{"24/7 to office hours continues in office time", []Event{policy(mon10.Add(-2*h), "fast"), in(mon10.Add(-2 * h)), policy(mon10.Add(-70*m), "office")}, mon10.Add(-65 * m),
			"office", StateOK, tp(time.Date(2026, 6, 1, 10, 10, 0, 0, berlin)), nil},
		{"unknown policy name keeps the current policy", []Event{in(mon10), policy(mon10.Add(5*m), "nope")}, mon10.Add(10 * m),
			"office", StateOK, tp(mon10.Add(2 * h)), nil},
		// Office's 2h ran out at 12:00; crisis mode at 12:28 must not restart the
		// count from 12:28 ("0m left", then "Overdue 1m"): it stays overdue since 12:00.
		{"crisis mode keeps an earlier breach at its time", []Event{in(mon10), policy(mon10.Add(148*m), "crisis")}, mon10.Add(149 * m),
			"crisis", StateBreached, tp(mon10.Add(2 * h)), tp(mon10.Add(2 * h))},
		// Breached under crisis at 10:15; ending crisis mode at 10:20 brings office's
		// 2h back, which is not used up, but the breach stays.
		{"ending crisis mode keeps the breach", []Event{policy(mon10, "crisis"), in(mon10), policy(mon10.Add(20*m), "office")}, mon10.Add(30 * m),
			"office", StateBreached, tp(mon10.Add(15 * m)), tp(mon10.Add(15 * m))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Evaluate(Conversation{Kind: inbox.KindMail, Events: tt.events}, tt.now)
			if r.Policy != tt.policy || r.State != tt.state {
				t.Fatalf("policy/state %s/%s, want %s/%s", r.Policy, r.State, tt.policy, tt.state)
			}
			if !eqTime(r.DueAt, tt.due) {
				t.Errorf("due %v, want %v", r.DueAt, tt.due)
			}
			if !eqTime(r.FirstResponseBreachedAt, tt.breach) {
				t.Errorf("breach %v, want %v", r.FirstResponseBreachedAt, tt.breach)
			}
		})
	}
}

// TestCrisisOnlyBringsDeadlinesForward switches to a crisis policy whose office
// hours would, counted plainly, put a running deadline after the one it had.
func TestCrisisOnlyBringsDeadlinesForward(t *testing.T) {
	set := testSet()
	set.Policies = append(set.Policies, Policy{Name: "crisis-office", Targets: Targets{FirstResponse: Duration(30 * m)},
		Hours: BusinessHours{TimeZone: "Europe/Berlin", Week: workWeek("09:00", "18:00")}})
	set.CrisisDefault = "crisis-office"
	e := mustEngine(t, set)
	berlin := mustLoc(t, "Europe/Berlin")
	fri := time.Date(2026, 6, 5, 17, 50, 0, 0, berlin)
	policy := func(at time.Time, name string) Event { return Event{Kind: EventPolicy, At: at, Policy: name} }
	// "fast" (1h, 24/7) is due at 18:50. Crisis at 17:55: 5 of 30 min used and
	// office hours end at 18:00, so a plain count says Monday 09:20.
	evs := []Event{policy(fri, "fast"), in(fri), policy(fri.Add(5*m), "crisis-office")}
	conv := Conversation{Kind: inbox.KindComment, Crisis: true, Events: evs}
	for _, now := range []time.Time{fri.Add(6 * m), fri.Add(9 * m)} {
		r := e.Evaluate(conv, now)
		if r.Policy != "crisis-office" || r.DueAt == nil {
			t.Fatalf("at %s: %+v", now, r)
		}
		if r.DueAt.After(fri.Add(time.Hour)) {
			t.Fatalf("at %s: crisis mode moved the deadline from %s to %s", now, fri.Add(time.Hour), r.DueAt)
		}
		if want := fri.Add(10 * m); !r.DueAt.Equal(want) { // what office hours leave of the old deadline
			t.Errorf("at %s: due %s, want %s", now, r.DueAt, want)
		}
	}
	if r := e.Evaluate(conv, fri.Add(11*m)); r.State != StateBreached || r.FirstResponseBreachedAt == nil {
		t.Errorf("after the deadline: %+v", r)
	}
}

// TestEvaluateHistory: customer messages at or before HistoryUntil start no clock.
func TestEvaluateHistory(t *testing.T) {
	e := mustEngine(t, testSet())
	old := time.Date(2015, 2, 24, 11, 35, 0, 0, time.UTC)
	now := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		conv   Conversation
		state  State
		due    *time.Time
		opened time.Time
	}{
		// Reports still count it where it opened (no target, no breach).
		{"history only", Conversation{Kind: inbox.KindComment, HistoryUntil: old.Add(m), Events: []Event{in(old), in(old.Add(m))}},
			StateHistorical, nil, old},
		{"the same messages without the marker are years overdue", Conversation{Kind: inbox.KindComment, Events: []Event{in(old)}},
			StateBreached, tp(old.Add(h)), old},
		{"a new message after history starts the first-response clock", Conversation{Kind: inbox.KindComment, HistoryUntil: old,
			Events: []Event{in(old), out(old.Add(m)), in(now.Add(-10 * m))}}, StateOK, tp(now.Add(50 * m)), now.Add(-10 * m)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Evaluate(tt.conv, now)
			if r.State != tt.state || !eqTime(r.DueAt, tt.due) || !r.OpenedAt.Equal(tt.opened) {
				t.Fatalf("state %s due %v opened %v, want %s %v %v", r.State, r.DueAt, r.OpenedAt, tt.state, tt.due, tt.opened)
			}
			if tt.state == StateHistorical && (len(r.Breaches) > 0 || r.HasTarget) {
				t.Errorf("history has breaches or targets: %+v", r)
			}
		})
	}
}

// TestEvaluateHistoryReplies: imported history that holds replies has first
// response times for reports, from its first message to the first reply
// after it (business time, 24/7 here); without a reply there is none, and a
// conversation that went on live is measured by its live messages only.
func TestEvaluateHistoryReplies(t *testing.T) {
	e := mustEngine(t, testSet())
	old := time.Date(2015, 2, 24, 11, 35, 0, 0, time.UTC)
	now := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	hist := Conversation{Kind: inbox.KindComment, HistoryUntil: old.Add(50 * m),
		Events: []Event{in(old), in(old.Add(10 * m)), out(old.Add(40 * m)), in(old.Add(50 * m)), out(old.Add(90 * m))}}
	r := e.Evaluate(hist, now)
	if r.State != StateHistorical || r.FirstResponseAt == nil || !r.FirstResponseAt.Equal(old.Add(40*m)) || r.FirstResponseTime != 40*m {
		t.Fatalf("history with replies: state %s first response %v after %s, want historical, 40m", r.State, r.FirstResponseAt, r.FirstResponseTime)
	}
	if r.HasTarget || len(r.Breaches) > 0 || r.DueAt != nil {
		t.Errorf("history has a target, breach or deadline: %+v", r)
	}
	if r := e.Evaluate(Conversation{Kind: inbox.KindComment, HistoryUntil: old, Events: []Event{in(old)}}, now); r.FirstResponseAt != nil {
		t.Errorf("history without a reply has a first response %v", r.FirstResponseAt)
	}
	wentOn := Conversation{Kind: inbox.KindComment, HistoryUntil: old,
		Events: []Event{in(old), out(old.Add(m)), in(now.Add(-10 * m)), out(now.Add(-5 * m))}}
	if r := e.Evaluate(wentOn, now); r.FirstResponseAt == nil || r.FirstResponseTime != 5*m || !r.OpenedAt.Equal(now.Add(-10*m)) {
		t.Errorf("live after history: opened %v first response %v after %s, want the live 5m", r.OpenedAt, r.FirstResponseAt, r.FirstResponseTime)
	}
}

func TestMatchDefaults(t *testing.T) {
	e := mustEngine(t, DefaultPolicies())
	tests := []struct {
		name string
		c    Conversation
		want string
	}{
		{"public comment", Conversation{Channel: inbox.ChannelYouTube, Kind: inbox.KindComment}, "public-comment"},
		{"dm", Conversation{Channel: inbox.ChannelTelegram, Kind: inbox.KindDM}, "dm"},
		{"mail falls to the default", Conversation{Channel: inbox.ChannelMail, Kind: inbox.KindMail}, "mail"},
		{"influencer by reach", Conversation{Kind: inbox.KindMail, AuthorReach: 250_000}, "vip"},
		{"reach just below threshold", Conversation{Kind: inbox.KindMail, AuthorReach: 99_999}, "mail"},
		{"vip flag", Conversation{Kind: inbox.KindComment, VIP: true}, "vip"},
		{"urgent priority beats kind", Conversation{Kind: inbox.KindComment, Priority: 2}, "urgent"},
		{"first matching rule wins: vip before urgent", Conversation{Kind: inbox.KindDM, Priority: 3, VIP: true}, "vip"},
		{"crisis comment", Conversation{Kind: inbox.KindComment, Crisis: true}, "crisis-public"},
		{"crisis mail", Conversation{Kind: inbox.KindMail, Crisis: true}, "crisis-private"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := e.Match(tt.c); got != tt.want {
				t.Errorf("Match = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestRuleConditions(t *testing.T) {
	set := testSet()
	set.Rules = []Rule{
		{Policy: "crisis", Tags: []string{"Legal", "press"}},
		{Policy: "fast", Channels: []inbox.ChannelKind{inbox.ChannelTelegram}, Kinds: []inbox.MessageKind{inbox.KindDM}},
	}
	e := mustEngine(t, set)
	tests := []struct {
		name string
		c    Conversation
		want string
	}{
		{"tag any-of, case-insensitive", Conversation{Kind: inbox.KindMail, Tags: []string{"billing", "legal"}}, "crisis"},
		{"channel and kind both required", Conversation{Channel: inbox.ChannelTelegram, Kind: inbox.KindDM}, "fast"},
		{"channel matches, kind does not", Conversation{Channel: inbox.ChannelTelegram, Kind: inbox.KindComment}, "office"},
		{"kind matches, channel does not", Conversation{Channel: inbox.ChannelVK, Kind: inbox.KindDM}, "office"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := e.Match(tt.c); got != tt.want {
				t.Errorf("Match = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestPolicyValidate(t *testing.T) {
	ok := Policy{Name: "p", Targets: Targets{FirstResponse: Duration(h)}, Hours: BusinessHours{TimeZone: "Europe/Berlin", Week: workWeek("09:00", "17:00")}}
	with := func(f func(p *Policy)) Policy {
		p := ok
		p.Hours.Week = append([]Shift(nil), ok.Hours.Week...)
		f(&p)
		return p
	}
	tests := []struct {
		name string
		p    Policy
		want []string // every substring must appear; nil means valid
	}{
		{"valid", ok, nil},
		{"calendar hours need no shifts", with(func(p *Policy) { p.Hours = BusinessHours{TimeZone: "Asia/Tokyo", Always: true} }), nil},
		{"unknown time zone", with(func(p *Policy) { p.Hours.TimeZone = "Europe/Atlantis" }), []string{`policy "p": unknown time zone "Europe/Atlantis"`}},
		{"empty time zone", with(func(p *Policy) { p.Hours.TimeZone = "" }), []string{`time zone is empty`}},
		{"Local is refused", with(func(p *Policy) { p.Hours.TimeZone = "Local" }), []string{`time zone "Local" is not allowed`}},
		{"overlapping shifts", with(func(p *Policy) { p.Hours.Week = append(p.Hours.Week, Shift{Day: "mon", Start: "16:00", End: "19:00"}) }),
			[]string{`mon: shifts 09:00-17:00 and 16:00-19:00 overlap`}},
		{"empty range", with(func(p *Policy) { p.Hours.Week = append(p.Hours.Week, Shift{Day: "sat", Start: "10:00", End: "10:00"}) }),
			[]string{`shift 6 (sat 10:00-10:00): empty range`}},
		{"end before start", with(func(p *Policy) { p.Hours.Week = append(p.Hours.Week, Shift{Day: "sun", Start: "18:00", End: "09:00"}) }),
			[]string{`shift 6 (sun 18:00-09:00): end is before start`}},
		{"no shifts", with(func(p *Policy) { p.Hours.Week = nil }), []string{`no business hours`}},
		{"bad clock", with(func(p *Policy) { p.Hours.Week[0].End = "25:00" }), []string{`time "25:00" is not HH:MM between 00:00 and 24:00`}},
		{"unknown day", with(func(p *Policy) { p.Hours.Week[0].Day = "monday" }), []string{`unknown day "monday"`}},
		{"negative target", with(func(p *Policy) { p.Targets.Resolution = Duration(-h) }), []string{`resolution target -1h0m0s is negative`}},
		{"bad holiday", with(func(p *Policy) { p.Hours.Holidays = []Holiday{{Date: "24.12.2026", Name: "Xmas"}} }), []string{`holiday 1 "Xmas": date "24.12.2026" is not YYYY-MM-DD`}},
		{"bad warn share", with(func(p *Policy) { p.WarnShare = 1.5 }), []string{`warning share 1.5 must be between 0 and 1`}},
		{"all problems reported together", with(func(p *Policy) {
			p.Name = ""
			p.Targets.FirstResponse = Duration(-m)
			p.Hours.TimeZone = "Mars/Olympus"
			p.Hours.Week = append(p.Hours.Week, Shift{Day: "tue", Start: "08:00", End: "10:00"})
		}), []string{`name is empty`, `first response target -1m0s is negative`, `unknown time zone "Mars/Olympus"`, `tue: shifts 08:00-10:00 and 09:00-17:00 overlap`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestPolicySetValidate(t *testing.T) {
	s := testSet()
	s.Policies = append(s.Policies, s.Policies[0])
	s.Rules = append(s.Rules, Rule{Policy: "ghost", Channels: []inbox.ChannelKind{"fax"}, Kinds: []inbox.MessageKind{"letter"}})
	s.Default = "nowhere"
	err := s.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{`policy "fast" is defined twice`, `rule 2: unknown policy "ghost"`, `rule 2: unknown channel "fax"`,
		`rule 2: unknown kind "letter"`, `default policy "nowhere" does not exist`} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
	if _, err := NewEngine(s); err == nil {
		t.Error("NewEngine accepted an invalid set")
	}
}

func TestPolicyJSON(t *testing.T) {
	def := DefaultPolicies()
	b, err := json.Marshal(def)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"firstResponse":"1h0m0s"`) {
		t.Errorf("durations are not written as strings: %s", b)
	}
	got, err := ParsePolicySet(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(got)
	if string(b) != string(b2) {
		t.Errorf("round trip changed the set:\n%s\n%s", b, b2)
	}

	in := `{"policies":[{"name":"p","targets":{"firstResponse":"90m","nextResponse":3600,"resolution":""},
		"hours":{"timeZone":"Europe/Moscow","week":[{"day":"mon","start":"09:00","end":"12:00"},{"day":"mon","start":"13:00","end":"18:00"}],
		"holidays":[{"date":"2026-01-07","name":"Рождество"}]}}],"default":"p"}`
	s, err := ParsePolicySet([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	tg := s.Policies[0].Targets
	if tg.FirstResponse != Duration(90*m) || tg.NextResponse != Duration(h) || tg.Resolution != 0 {
		t.Errorf("targets %+v", tg)
	}
	for _, bad := range []struct{ in, want string }{
		{`{"policies":[{"name":"p","targets":{"firstResponse":"soon"}}]}`, `duration "soon"`},
		{`{"policies":[{"name":"p","hours":{"timeZone":"Nowhere/City","always":true}}],"default":"p"}`, `unknown time zone "Nowhere/City"`},
		{`not json`, `sla: read policies`},
	} {
		if _, err := ParsePolicySet([]byte(bad.in)); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("ParsePolicySet(%s) = %v, want %q", bad.in, err, bad.want)
		}
	}
}
