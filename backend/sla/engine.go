package sla

import (
	"fmt"
	"sort"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// EventKind names what happened in a conversation.
type EventKind string

// Event kinds the engine replays.
const (
	EventInbound  EventKind = "inbound"  // a customer's message
	EventOutbound EventKind = "outbound" // a reply from the brand
	EventStatus   EventKind = "status"   // status changed to Event.Status
	EventPolicy   EventKind = "policy"   // the policy changed to Event.Policy from this moment on
)

// Event is one fact in a conversation's history.
type Event struct {
	Kind   EventKind
	At     time.Time
	Status inbox.Status // for EventStatus
	Policy string       // for EventPolicy
	Agent  string       // for EventOutbound: who replied (reports)
}

// Conversation is what the engine needs to know about a conversation: the facts the
// rules match on and its events in time order.
type Conversation struct {
	Channel     inbox.ChannelKind
	Kind        inbox.MessageKind
	Priority    int
	Tags        []string
	AuthorReach int64
	VIP         bool
	// Status is the current status. When the events replay to another status (a change
	// that was not recorded as an event) it is applied at the time of the last event.
	Status inbox.Status
	// Crisis is set while the conversation's brand is in crisis mode.
	Crisis bool
	// HistoryUntil marks imported or backfilled history: customer messages sent at
	// or before it start no clock (see PolicySet.HistoryHorizon). Zero: none.
	HistoryUntil time.Time
	Events       []Event
}

// Target names the clock a deadline belongs to.
type Target string

// Targets a result can report.
const (
	TargetNone          Target = ""
	TargetFirstResponse Target = "first_response"
	TargetNextResponse  Target = "next_response"
	TargetResolution    Target = "resolution"
)

// State is the colour of a conversation's clock at "now".
type State string

// Clock states.
const (
	StateNone     State = "none"     // no running target: nothing to answer, closed, or no targets
	StateOK       State = "ok"       // running, before the warning time
	StateWarning  State = "warning"  // running, past the warning share of the target
	StateBreached State = "breached" // past the deadline
	StatePaused   State = "paused"   // pending: waiting on the customer
	// StateHistorical: every customer message is history (older than the horizon
	// when it was stored, or imported with --historical); no clock ever ran.
	StateHistorical State = "historical"
)

// Breach records a missed target.
type Breach struct {
	Target Target
	At     time.Time // when the deadline passed
}

// Result is a conversation's SLA position at "now".
type Result struct {
	Policy string
	// Target is the clock DueAt belongs to: the running clock with the earliest deadline.
	Target    Target
	State     State
	DueAt     *time.Time // nil when paused or when there is no running target
	WarnAt    *time.Time
	Elapsed   time.Duration // business time on Target's clock
	Remaining time.Duration // business time left on Target's clock; negative once exceeded

	// Facts for reports.
	OpenedAt          time.Time     // first inbound message; zero if none
	FirstResponseAt   *time.Time    // first reply after the first inbound message
	FirstResponder    string        // Agent of that reply
	FirstResponseTime time.Duration // business time to the first reply
	ResolvedAt        *time.Time    // last close, if the conversation is closed
	ResolutionTime    time.Duration // business time from first inbound to ResolvedAt
	// HasTarget is set when any clock of the conversation had a target.
	HasTarget bool

	FirstResponseBreachedAt *time.Time
	ResolutionBreachedAt    *time.Time
	// Breaches lists every missed target in time order, next responses included.
	Breaches []Breach
}

// Engine evaluates conversations against a validated policy set. It is safe for
// concurrent use.
type Engine struct {
	policies      map[string]*compiled
	rules         []Rule
	crisisRules   []Rule
	def, crisisDf *compiled
	horizon       time.Duration
}

// compiled is a policy with its calendar ready.
type compiled struct {
	name    string
	targets [3]time.Duration // indexed by first, next, resolution
	cal     Calendar
	warn    float64
	// crisis: named by a crisis rule or the crisis default; crisisOnly: and by
	// no normal rule nor the default. Entering crisis mode may only bring
	// deadlines forward (see Evaluate).
	crisis, crisisOnly bool
}

const (
	idxFirst = iota
	idxNext
	idxResolution
)

// NewEngine validates the policy set and prepares its calendars.
func NewEngine(set PolicySet) (*Engine, error) {
	if err := set.Validate(); err != nil {
		return nil, fmt.Errorf("sla: invalid policies: %w", err)
	}
	e := &Engine{policies: map[string]*compiled{}, rules: set.Rules, crisisRules: set.CrisisRules, horizon: set.Horizon()}
	for _, p := range set.Policies {
		cal, err := p.Hours.compile()
		if err != nil { // Validate ran; kept for safety if the two drift apart
			return nil, fmt.Errorf("sla: policy %q: %w", p.Name, err)
		}
		w := p.WarnShare
		if w == 0 {
			w = DefaultWarnShare
		}
		e.policies[p.Name] = &compiled{
			name:    p.Name,
			targets: [3]time.Duration{time.Duration(p.Targets.FirstResponse), time.Duration(p.Targets.NextResponse), time.Duration(p.Targets.Resolution)},
			cal:     cal,
			warn:    w,
		}
	}
	e.def = e.policies[set.Default]
	if set.CrisisDefault != "" {
		e.crisisDf = e.policies[set.CrisisDefault]
		normal := map[string]bool{set.Default: true}
		for _, r := range set.Rules {
			normal[r.Policy] = true
		}
		mark := func(name string) {
			p := e.policies[name]
			p.crisis, p.crisisOnly = true, !normal[name]
		}
		mark(set.CrisisDefault)
		for _, r := range set.CrisisRules {
			mark(r.Policy)
		}
	}
	return e, nil
}

// HistoryHorizon returns how old a message may be when it is stored and still
// start a clock; older ones are history (Conversation.HistoryUntil).
func (e *Engine) HistoryHorizon() time.Duration { return e.horizon }

// Match returns the name of the policy the rules choose for c: in crisis mode the
// first matching crisis rule or the crisis default, otherwise the first matching rule
// or the default.
func (e *Engine) Match(c Conversation) string { return e.match(&c).name }

func (e *Engine) match(c *Conversation) *compiled {
	rules, def := e.rules, e.def
	if c.Crisis && e.crisisDf != nil {
		rules, def = e.crisisRules, e.crisisDf
	}
	for i := range rules {
		if rules[i].matches(c) {
			return e.policies[rules[i].Policy]
		}
	}
	return def
}

// Calendar returns the calendar of the named policy.
func (e *Engine) Calendar(policy string) (Calendar, bool) {
	p, ok := e.policies[policy]
	if !ok {
		return Calendar{}, false
	}
	return p.cal, true
}

// clock measures one target in business time across pauses and policy changes.
type clock struct {
	on       bool // started and not stopped
	running  bool
	idx      int // which target of the policy applies
	segStart time.Time
	elapsed  time.Duration // business time before segStart
	due      time.Time     // while running with a target
	breached time.Time     // zero until the target is missed
}

func (k *clock) start(t time.Time, idx int, run bool, p *compiled) {
	*k = clock{on: true, idx: idx}
	if run {
		k.resume(t, p)
	}
}

func (k *clock) resume(t time.Time, p *compiled) {
	if !k.on || k.running {
		return
	}
	k.running, k.segStart, k.due = true, t, time.Time{}
	if !k.breached.IsZero() {
		// A breach stays a breach at its own time, whatever policy follows: a
		// deadline moved to t would count "0m left" and then overdue from t.
		k.due = k.breached
		return
	}
	limit := p.targets[k.idx]
	if limit <= 0 {
		return
	}
	if rem := limit - k.elapsed; rem < 0 {
		// A tighter policy took over after its target had already passed.
		k.breached, k.due = t, t
	} else {
		k.due = p.cal.Add(t, rem)
	}
}

// tighten moves a running deadline back to old when a policy that may only bring
// deadlines forward would have put it later (its calendar has fewer hours, say).
// The business time left is then what remains until old in p's calendar.
func (k *clock) tighten(old time.Time, p *compiled) {
	limit := p.targets[k.idx]
	if !k.running || old.IsZero() || limit <= 0 || !k.breached.IsZero() || !k.due.After(old) {
		return
	}
	rem := p.cal.Elapsed(k.segStart, old)
	k.elapsed = limit - rem
	k.due = p.cal.Add(k.segStart, rem)
}

func (k *clock) pause(t time.Time, p *compiled) {
	if !k.running {
		return
	}
	if !k.due.IsZero() && t.After(k.due) && k.breached.IsZero() {
		k.breached = k.due
	}
	k.elapsed += p.cal.Elapsed(k.segStart, t)
	k.running = false
}

// Evaluate replays c's events up to now under the matching policy and reports the
// deadline of the running clock and what was missed so far.
//
// Clocks: first response runs from the first inbound message to the first reply;
// next response from a customer's message after a reply to the next reply;
// resolution from the first inbound message to the close. All run in business time
// of the policy in effect, stop while the status is pending, and stop for good on
// close. A customer's message reopens a pending or closed conversation. A policy
// change at T keeps the business time already measured on each clock and applies the
// new targets and hours from T on; a clock whose new target is already used up is
// breached at T. Events after now are ignored.
func (e *Engine) Evaluate(c Conversation, now time.Time) Result {
	pol := e.match(&c)
	res := Result{Policy: pol.name, State: StateNone}
	events := c.Events
	if !sort.SliceIsSorted(events, func(i, j int) bool { return events[i].At.Before(events[j].At) }) {
		events = append([]Event(nil), events...)
		sort.SliceStable(events, func(i, j int) bool { return events[i].At.Before(events[j].At) })
	}

	status := inbox.StatusOpen
	var resp, resol clock
	awaiting, answered, history := false, false, false
	var lastAt time.Time
	// History runs no clock, but a conversation that is all history still has
	// facts for reports: when its first message came and when a reply followed.
	var histOpened time.Time
	var histReply *Event
	histWaiting := false

	// stopResponse ends the response clock at t and books a breach.
	stopResponse := func(t time.Time) {
		if !resp.on {
			return
		}
		resp.pause(t, pol)
		if !resp.breached.IsZero() {
			res.Breaches = append(res.Breaches, Breach{Target: targetOf(resp.idx), At: resp.breached})
			if resp.idx == idxFirst {
				b := resp.breached
				res.FirstResponseBreachedAt = &b
			}
		}
		resp.on = false
	}
	setStatus := func(st inbox.Status, t time.Time) {
		if st == status || !st.Valid() {
			return
		}
		switch st {
		case inbox.StatusPending:
			resp.pause(t, pol)
			resol.pause(t, pol)
		case inbox.StatusOpen:
			if status == inbox.StatusClosed {
				res.ResolvedAt = nil
				resol.on = !res.OpenedAt.IsZero()
			}
			resp.resume(t, pol)
			resol.resume(t, pol)
		case inbox.StatusClosed:
			stopResponse(t)
			awaiting = false
			if resol.on {
				resol.pause(t, pol)
				resol.on = false
				r := t
				res.ResolvedAt = &r
				res.ResolutionTime = resol.elapsed
			}
		}
		status = st
	}

	for _, ev := range events {
		if ev.At.After(now) {
			break
		}
		lastAt = ev.At
		switch ev.Kind {
		case EventInbound:
			if !c.HistoryUntil.IsZero() && !ev.At.After(c.HistoryUntil) {
				history = true // nobody was waiting for an answer to it in this inbox
				if histOpened.IsZero() {
					histOpened = ev.At
				}
				histWaiting = histReply == nil
				continue
			}
			if res.OpenedAt.IsZero() {
				res.OpenedAt = ev.At
				resol.start(ev.At, idxResolution, false, pol)
			}
			if status != inbox.StatusOpen {
				setStatus(inbox.StatusOpen, ev.At)
			}
			if !awaiting {
				awaiting = true
				idx := idxNext
				if !answered {
					idx = idxFirst
				}
				resp.start(ev.At, idx, false, pol)
			}
			resp.resume(ev.At, pol)
			resol.resume(ev.At, pol)
		case EventOutbound:
			if histWaiting && !awaiting {
				r := ev
				histReply, histWaiting = &r, false
				continue
			}
			if !awaiting {
				continue // a post or a follow-up: nothing was waiting for it
			}
			if resp.idx == idxFirst && res.FirstResponseAt == nil {
				at := ev.At
				resp.pause(ev.At, pol)
				res.FirstResponseAt = &at
				res.FirstResponder = ev.Agent
				res.FirstResponseTime = resp.elapsed
			}
			stopResponse(ev.At)
			awaiting, answered = false, true
		case EventStatus:
			setStatus(ev.Status, ev.At)
		case EventPolicy:
			next, ok := e.policies[ev.Policy]
			if !ok || next == pol {
				continue // unknown names cannot be saved (Validate); keep the current policy
			}
			// Entering crisis mode applies tighter targets: a deadline may come
			// earlier, never later, and a breach stays where it was.
			tighter := next.crisis && !pol.crisisOnly
			for _, k := range []*clock{&resp, &resol} {
				if k.running {
					old := k.due
					k.pause(ev.At, pol)
					k.resume(ev.At, next)
					if tighter {
						k.tighten(old, next)
					}
				}
			}
			pol = next
			res.Policy = pol.name
		}
	}
	if c.Status.Valid() && c.Status != status && len(events) > 0 && !lastAt.IsZero() {
		setStatus(c.Status, lastAt)
	}

	if resol.breached.IsZero() && resol.on && resol.running && !resol.due.IsZero() && now.After(resol.due) {
		resol.breached = resol.due
	}
	if !resol.breached.IsZero() {
		b := resol.breached
		res.ResolutionBreachedAt = &b
		res.Breaches = append(res.Breaches, Breach{Target: TargetResolution, At: b})
	}
	if resp.on && resp.breached.IsZero() && resp.running && !resp.due.IsZero() && now.After(resp.due) {
		resp.breached = resp.due
	}
	if resp.on && !resp.breached.IsZero() {
		b := resp.breached
		res.Breaches = append(res.Breaches, Breach{Target: targetOf(resp.idx), At: b})
		if resp.idx == idxFirst {
			res.FirstResponseBreachedAt = &b
		}
	}
	if len(res.Breaches) > 1 {
		sort.SliceStable(res.Breaches, func(i, j int) bool { return res.Breaches[i].At.Before(res.Breaches[j].At) })
	}
	res.HasTarget = !res.OpenedAt.IsZero() && (pol.targets[idxFirst] > 0 || pol.targets[idxNext] > 0 || pol.targets[idxResolution] > 0 || len(res.Breaches) > 0)
	if history && res.OpenedAt.IsZero() {
		res.State = StateHistorical
		// Reports count the conversation in the period it opened, with its
		// first reply time if the history holds one (imported outgoing
		// messages), measured like a live one in the policy's business time.
		// It had no target (HasTarget).
		res.OpenedAt = histOpened
		if histReply != nil {
			at := histReply.At
			res.FirstResponseAt, res.FirstResponder = &at, histReply.Agent
			res.FirstResponseTime = pol.cal.Elapsed(histOpened, at)
		}
		return res
	}

	if status == inbox.StatusClosed {
		return res
	}
	// Pick the clock that matters now: the earliest deadline among running clocks,
	// or while paused the one with the least business time left.
	var best *clock
	var bestRem time.Duration
	for _, k := range []*clock{&resp, &resol} {
		limit := pol.targets[k.idx]
		if !k.on || limit <= 0 {
			continue
		}
		el := k.elapsed
		if k.running {
			el += pol.cal.Elapsed(k.segStart, now)
		}
		rem := limit - el
		if best == nil || (k.running && k.due.Before(best.due)) || (!k.running && rem < bestRem) {
			best, bestRem = k, rem
			res.Elapsed, res.Remaining = el, rem
		}
	}
	if best == nil {
		return res
	}
	res.Target = targetOf(best.idx)
	if !best.running {
		res.State = StatePaused
		return res
	}
	due := best.due
	res.DueAt = &due
	limit := pol.targets[best.idx]
	warn := best.segStart
	if w := time.Duration(float64(limit)*pol.warn) - best.elapsed; w > 0 {
		warn = pol.cal.Add(best.segStart, w)
	}
	if warn.After(due) { // a looser policy after a breach: the breach decides
		warn = due
	}
	res.WarnAt = &warn
	switch {
	case now.After(due):
		res.State = StateBreached
	case !now.Before(warn):
		res.State = StateWarning
	default:
		res.State = StateOK
	}
	return res
}

func targetOf(idx int) Target {
	switch idx {
	case idxFirst:
		return TargetFirstResponse
	case idxNext:
		return TargetNextResponse
	default:
		return TargetResolution
	}
}
