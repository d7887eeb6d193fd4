// Package sla computes response-time deadlines for conversations: policies with
// targets, the rules that pick a policy, business-hour calendars (time zones, split
// shifts, holidays, DST) and the replay of a conversation's events into a deadline,
// a warning time and breach records. It is pure: no SQL, no I/O, no clock of its own;
// callers pass "now" explicitly.
package sla

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	// Embedded so IANA zones resolve on systems without a zoneinfo database (Windows).
	_ "time/tzdata"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// DefaultWarnShare is the share of a target after which a running clock warns.
const DefaultWarnShare = 0.8

// DefaultHistoryHorizon is how old a message may be when it arrives and still
// start a clock, when a policy set names no horizon of its own. A week covers a
// long weekend and a first sync's backfill of recent mail; an import of last
// year's tweets is history, not a queue of breaches.
const DefaultHistoryHorizon = 7 * 24 * time.Hour

// Duration is a time.Duration that reads and writes JSON as a Go duration string
// ("1h30m"), so stored policies stay readable.
type Duration time.Duration

// MarshalJSON writes the duration as a string such as "4h0m0s".
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads a duration string ("90m", "1h30m") or a number of seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var secs float64
		if err2 := json.Unmarshal(b, &secs); err2 != nil {
			return fmt.Errorf("duration %s: want a string like \"1h30m\" or seconds", b)
		}
		*d = Duration(secs * float64(time.Second))
		return nil
	}
	if s == "" {
		*d = 0
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("duration %q: %w", s, err)
	}
	*d = Duration(v)
	return nil
}

// Targets are the business-time limits of a policy. Zero means "no target".
type Targets struct {
	// FirstResponse runs from the first inbound message to the first reply.
	FirstResponse Duration `json:"firstResponse"`
	// NextResponse runs from a customer's message after a reply to the next reply.
	NextResponse Duration `json:"nextResponse"`
	// Resolution runs from the first inbound message until the conversation is closed.
	Resolution Duration `json:"resolution"`
}

// Shift is one range of working time on a weekday, in the policy's local wall-clock time.
// Start and End are "HH:MM"; End may be "24:00".
type Shift struct {
	Day   string `json:"day"` // mon, tue, wed, thu, fri, sat, sun
	Start string `json:"start"`
	End   string `json:"end"`
}

// Holiday is a local date on which no business hours count.
type Holiday struct {
	Date string `json:"date"` // YYYY-MM-DD
	Name string `json:"name,omitempty"`
}

// BusinessHours says when a policy's clock runs.
type BusinessHours struct {
	// TimeZone is an IANA zone name such as "Europe/Berlin".
	TimeZone string `json:"timeZone"`
	// Always makes every hour count (calendar hours, 24/7); Week is then ignored,
	// Holidays still apply.
	Always   bool      `json:"always,omitempty"`
	Week     []Shift   `json:"week,omitempty"`
	Holidays []Holiday `json:"holidays,omitempty"`
}

// Policy is a named set of targets measured in its own business hours.
type Policy struct {
	Name    string        `json:"name"`
	Targets Targets       `json:"targets"`
	Hours   BusinessHours `json:"hours"`
	// WarnShare is the share of a target (0 < s < 1) after which the state turns to
	// warning; 0 means DefaultWarnShare.
	WarnShare float64 `json:"warnShare,omitempty"`
}

// Rule picks a policy for conversations that match every condition it sets;
// unset conditions match anything.
type Rule struct {
	Policy   string              `json:"policy"`
	Channels []inbox.ChannelKind `json:"channels,omitempty"`
	Kinds    []inbox.MessageKind `json:"kinds,omitempty"`
	// MinPriority matches conversations with at least this priority (0 matches all).
	MinPriority int `json:"minPriority,omitempty"`
	// Tags matches conversations carrying any of these tags (case-insensitive).
	Tags []string `json:"tags,omitempty"`
	// VIP and MinReach describe important authors: when either is set the author must
	// be marked VIP (if VIP is set) or reach at least MinReach (if set) — one of them suffices.
	VIP      bool  `json:"vip,omitempty"`
	MinReach int64 `json:"minReach,omitempty"`
}

// PolicySet is everything a workspace configures: policies, the rules that pick one
// (first match wins, then Default) and the tighter rules used in crisis mode.
type PolicySet struct {
	Policies []Policy `json:"policies"`
	Rules    []Rule   `json:"rules"`
	Default  string   `json:"default"`
	// CrisisRules and CrisisDefault replace Rules and Default while a conversation's
	// brand is in crisis mode. With no CrisisDefault, crisis mode changes nothing.
	CrisisRules   []Rule `json:"crisisRules,omitempty"`
	CrisisDefault string `json:"crisisDefault,omitempty"`
	// HistoryHorizon: a message that is older than this when it is stored is
	// history (imported or backfilled) and starts no clock; 0 means
	// DefaultHistoryHorizon.
	HistoryHorizon Duration `json:"historyHorizon,omitempty"`
}

// Horizon returns the set's history horizon, the default when unset.
func (s PolicySet) Horizon() time.Duration {
	if s.HistoryHorizon <= 0 {
		return DefaultHistoryHorizon
	}
	return time.Duration(s.HistoryHorizon)
}

var dayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// parseClock reads "HH:MM" (00:00..24:00) as minutes after midnight.
func parseClock(s string) (int, error) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) != 2 || len(m) != 2 {
		return 0, fmt.Errorf("time %q is not HH:MM", s)
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("time %q is not HH:MM between 00:00 and 24:00", s)
	}
	return hh*60 + mm, nil
}

// Validate checks the policy as it would be saved and returns every problem found,
// joined, each naming the policy and the offending field.
func (p Policy) Validate() error {
	var errs []error
	name := p.Name
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("policy %q: "+format, append([]any{name}, args...)...))
	}
	if strings.TrimSpace(p.Name) == "" {
		bad("name is empty")
	}
	for _, t := range []struct {
		label string
		d     Duration
	}{{"first response", p.Targets.FirstResponse}, {"next response", p.Targets.NextResponse}, {"resolution", p.Targets.Resolution}} {
		if t.d < 0 {
			bad("%s target %s is negative", t.label, time.Duration(t.d))
		}
	}
	if p.WarnShare < 0 || p.WarnShare >= 1 {
		bad("warning share %g must be between 0 and 1 (e.g. 0.8)", p.WarnShare)
	}
	_, err := p.Hours.compile()
	if err != nil {
		for _, e := range unjoin(err) {
			bad("%v", e)
		}
	}
	return errors.Join(errs...)
}

// unjoin splits an errors.Join result back into its parts.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// Validate checks every policy, that names are unique and that every rule and
// default names an existing policy. It returns all problems joined.
func (s PolicySet) Validate() error {
	var errs []error
	names := map[string]bool{}
	for _, p := range s.Policies {
		if err := p.Validate(); err != nil {
			errs = append(errs, err)
		}
		if names[p.Name] {
			errs = append(errs, fmt.Errorf("policy %q is defined twice", p.Name))
		}
		names[p.Name] = true
	}
	checkRules := func(label string, rules []Rule) {
		for i, r := range rules {
			if !names[r.Policy] {
				errs = append(errs, fmt.Errorf("%s %d: unknown policy %q", label, i+1, r.Policy))
			}
			for _, c := range r.Channels {
				if !c.Valid() {
					errs = append(errs, fmt.Errorf("%s %d: unknown channel %q", label, i+1, c))
				}
			}
			for _, k := range r.Kinds {
				if !k.Valid() {
					errs = append(errs, fmt.Errorf("%s %d: unknown kind %q (want comment, dm or mail)", label, i+1, k))
				}
			}
			if r.MinReach < 0 {
				errs = append(errs, fmt.Errorf("%s %d: minimum reach %d is negative", label, i+1, r.MinReach))
			}
		}
	}
	checkRules("rule", s.Rules)
	checkRules("crisis rule", s.CrisisRules)
	if s.Default == "" {
		errs = append(errs, errors.New("default policy is not set"))
	} else if !names[s.Default] {
		errs = append(errs, fmt.Errorf("default policy %q does not exist", s.Default))
	}
	if s.HistoryHorizon < 0 {
		errs = append(errs, fmt.Errorf("history horizon %s is negative", time.Duration(s.HistoryHorizon)))
	}
	if s.CrisisDefault != "" && !names[s.CrisisDefault] {
		errs = append(errs, fmt.Errorf("crisis default policy %q does not exist", s.CrisisDefault))
	}
	if len(s.CrisisRules) > 0 && s.CrisisDefault == "" {
		errs = append(errs, errors.New("crisis rules are set but the crisis default policy is not"))
	}
	return errors.Join(errs...)
}

// ParsePolicySet reads a policy set from JSON and validates it.
func ParsePolicySet(b []byte) (PolicySet, error) {
	var s PolicySet
	if err := json.Unmarshal(b, &s); err != nil {
		return PolicySet{}, fmt.Errorf("sla: read policies: %w", err)
	}
	if err := s.Validate(); err != nil {
		return PolicySet{}, fmt.Errorf("sla: invalid policies: %w", err)
	}
	return s, nil
}

// shifts of the working week used by the defaults.
func weekdays(start, end string, days ...string) []Shift {
	out := make([]Shift, 0, len(days))
	for _, d := range days {
		out = append(out, Shift{Day: d, Start: start, End: end})
	}
	return out
}

// DefaultPolicies returns the policies a new workspace starts with. Public comments
// are answered fastest because everyone can see them; mail gets a business day.
// Zones are UTC: the user is expected to set the team's zone and holidays.
func DefaultPolicies() PolicySet {
	h := time.Hour
	allWeek := []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
	workWeek := []string{"mon", "tue", "wed", "thu", "fri"}
	always := BusinessHours{TimeZone: "UTC", Always: true}
	return PolicySet{
		Policies: []Policy{
			{Name: "vip", Targets: Targets{FirstResponse: Duration(30 * time.Minute), NextResponse: Duration(h), Resolution: Duration(8 * h)}, Hours: always},
			{Name: "urgent", Targets: Targets{FirstResponse: Duration(30 * time.Minute), NextResponse: Duration(h), Resolution: Duration(8 * h)}, Hours: always},
			{Name: "public-comment", Targets: Targets{FirstResponse: Duration(h), NextResponse: Duration(2 * h), Resolution: Duration(24 * h)},
				Hours: BusinessHours{TimeZone: "UTC", Week: weekdays("08:00", "22:00", allWeek...)}},
			{Name: "dm", Targets: Targets{FirstResponse: Duration(4 * h), NextResponse: Duration(4 * h), Resolution: Duration(24 * h)},
				Hours: BusinessHours{TimeZone: "UTC", Week: weekdays("08:00", "20:00", allWeek...)}},
			{Name: "mail", Targets: Targets{FirstResponse: Duration(8 * h), NextResponse: Duration(8 * h), Resolution: Duration(40 * h)},
				Hours: BusinessHours{TimeZone: "UTC", Week: weekdays("09:00", "17:00", workWeek...)}},
			{Name: "crisis-public", Targets: Targets{FirstResponse: Duration(15 * time.Minute), NextResponse: Duration(30 * time.Minute), Resolution: Duration(4 * h)}, Hours: always},
			{Name: "crisis-private", Targets: Targets{FirstResponse: Duration(h), NextResponse: Duration(h), Resolution: Duration(12 * h)}, Hours: always},
		},
		Rules: []Rule{
			{Policy: "vip", VIP: true, MinReach: 100_000},
			{Policy: "urgent", MinPriority: 2},
			{Policy: "public-comment", Kinds: []inbox.MessageKind{inbox.KindComment}},
			{Policy: "dm", Kinds: []inbox.MessageKind{inbox.KindDM}},
		},
		Default: "mail",
		CrisisRules: []Rule{
			{Policy: "crisis-public", Kinds: []inbox.MessageKind{inbox.KindComment}},
		},
		CrisisDefault:  "crisis-private",
		HistoryHorizon: Duration(DefaultHistoryHorizon),
	}
}

// matches reports whether the rule selects conversation c.
func (r Rule) matches(c *Conversation) bool {
	if len(r.Channels) > 0 && !containsFunc(r.Channels, func(x inbox.ChannelKind) bool { return x == c.Channel }) {
		return false
	}
	if len(r.Kinds) > 0 && !containsFunc(r.Kinds, func(x inbox.MessageKind) bool { return x == c.Kind }) {
		return false
	}
	if c.Priority < r.MinPriority {
		return false
	}
	if len(r.Tags) > 0 && !containsFunc(r.Tags, func(t string) bool {
		return containsFunc(c.Tags, func(ct string) bool { return strings.EqualFold(ct, t) })
	}) {
		return false
	}
	if r.VIP || r.MinReach > 0 {
		important := (r.VIP && c.VIP) || (r.MinReach > 0 && c.AuthorReach >= r.MinReach)
		if !important {
			return false
		}
	}
	return true
}

func containsFunc[T any](xs []T, f func(T) bool) bool {
	for _, x := range xs {
		if f(x) {
			return true
		}
	}
	return false
}

// sortedDays lists the days of a week map in Monday-first order for stable messages.
func sortedDays(m map[time.Weekday][]span) []time.Weekday {
	days := make([]time.Weekday, 0, len(m))
	for d := range m {
		days = append(days, d)
	}
	sort.Slice(days, func(i, j int) bool { return (days[i]+6)%7 < (days[j]+6)%7 })
	return days
}
