package sla

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/stormdesk/stormdesk/backend/csvsafe"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// ReportInput is one evaluated conversation.
type ReportInput struct {
	ConversationID int64
	Channel        inbox.ChannelKind
	// Agent is the assignee; when empty the first responder from Result is used.
	Agent  string
	Result Result
	// Warned is set when the conversation met its targets only after their warning
	// share (Engine.Warned); it counts towards Group.Warnings.
	Warned bool
}

// Stats are percentiles of a set of durations (nearest-rank method).
type Stats struct {
	Count int
	P50   time.Duration
	P90   time.Duration
}

// Group is one row of a report: all conversations, one channel, one agent or one week.
type Group struct {
	Dimension string // "all", "channel", "agent" or "week"
	Key       string
	// Conversations counts those opened in the period.
	Conversations int
	FirstResponse Stats
	Resolution    Stats
	// WithSLA counts conversations that had a target; WithinSLA those of them with no breach.
	WithSLA   int
	WithinSLA int
	// Warnings counts conversations within SLA that went past the warning share of a
	// target before meeting it: near misses.
	Warnings int
}

// Breached returns how many conversations with a target missed at least one.
func (g Group) Breached() int { return g.WithSLA - g.WithinSLA }

// WithinPct returns the share of conversations with a target that had no breach, in
// percent; 100 when none had a target.
func (g Group) WithinPct() float64 {
	if g.WithSLA == 0 {
		return 100
	}
	return 100 * float64(g.WithinSLA) / float64(g.WithSLA)
}

// BreachRow is one missed target.
type BreachRow struct {
	ConversationID int64
	Channel        inbox.ChannelKind
	Agent          string
	Policy         string
	Target         Target
	DueAt          time.Time
}

// Report summarises SLA outcomes of the conversations opened in [From, To).
type Report struct {
	From, To  time.Time
	Total     Group
	ByChannel []Group
	ByAgent   []Group
	ByWeek    []Group
	Breaches  []BreachRow
}

// BuildReport summarises the conversations whose first inbound message lies in
// [from, to). Response and resolution times are business time under the conversation's
// policy. Weeks are ISO weeks ("2026-W09") in the location of from. A conversation
// still open counts as within SLA until it breaches. Agents without a name are "(none)".
func BuildReport(convs []ReportInput, from, to time.Time) Report {
	r := Report{From: from, To: to}
	type acc struct {
		g        Group
		frt, res []time.Duration
	}
	total := &acc{g: Group{Dimension: "all", Key: "all"}}
	dims := map[string]map[string]*acc{"channel": {}, "agent": {}, "week": {}}
	get := func(dim, key string) *acc {
		a, ok := dims[dim][key]
		if !ok {
			a = &acc{g: Group{Dimension: dim, Key: key}}
			dims[dim][key] = a
		}
		return a
	}
	loc := from.Location()
	for _, c := range convs {
		res := c.Result
		if res.OpenedAt.IsZero() || res.OpenedAt.Before(from) || !res.OpenedAt.Before(to) {
			continue
		}
		agent := c.Agent
		if agent == "" {
			agent = res.FirstResponder
		}
		if agent == "" {
			agent = "(none)"
		}
		y, w := res.OpenedAt.In(loc).ISOWeek()
		week := fmt.Sprintf("%04d-W%02d", y, w)
		for _, a := range []*acc{total, get("channel", string(c.Channel)), get("agent", agent), get("week", week)} {
			a.g.Conversations++
			if res.FirstResponseAt != nil {
				a.frt = append(a.frt, res.FirstResponseTime)
			}
			if res.ResolvedAt != nil {
				a.res = append(a.res, res.ResolutionTime)
			}
			if res.HasTarget {
				a.g.WithSLA++
				if len(res.Breaches) == 0 {
					a.g.WithinSLA++
					if c.Warned {
						a.g.Warnings++
					}
				}
			}
		}
		for _, b := range res.Breaches {
			r.Breaches = append(r.Breaches, BreachRow{ConversationID: c.ConversationID, Channel: c.Channel,
				Agent: agent, Policy: res.Policy, Target: b.Target, DueAt: b.At})
		}
	}
	finish := func(a *acc) Group {
		a.g.FirstResponse = stats(a.frt)
		a.g.Resolution = stats(a.res)
		return a.g
	}
	r.Total = finish(total)
	collect := func(dim string) []Group {
		keys := make([]string, 0, len(dims[dim]))
		for k := range dims[dim] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make([]Group, 0, len(keys))
		for _, k := range keys {
			out = append(out, finish(dims[dim][k]))
		}
		return out
	}
	r.ByChannel, r.ByAgent, r.ByWeek = collect("channel"), collect("agent"), collect("week")
	sort.SliceStable(r.Breaches, func(i, j int) bool {
		if !r.Breaches[i].DueAt.Equal(r.Breaches[j].DueAt) {
			return r.Breaches[i].DueAt.Before(r.Breaches[j].DueAt)
		}
		return r.Breaches[i].ConversationID < r.Breaches[j].ConversationID
	})
	return r
}

// Warned reports whether a conversation without breaches went past the warning
// share of a target before meeting it: its first response or its resolution took
// longer than the share, or a clock still running is in the warning state now.
// Targets are those of the policy in effect at the end (r.Policy), because that is
// the policy the times in r are measured against last.
func (e *Engine) Warned(r Result) bool {
	if len(r.Breaches) > 0 || !r.HasTarget {
		return false
	}
	if r.State == StateWarning {
		return true
	}
	p, ok := e.policies[r.Policy]
	if !ok {
		return false
	}
	past := func(took, limit time.Duration) bool {
		return limit > 0 && took > time.Duration(float64(limit)*p.warn)
	}
	return (r.FirstResponseAt != nil && past(r.FirstResponseTime, p.targets[idxFirst])) ||
		(r.ResolvedAt != nil && past(r.ResolutionTime, p.targets[idxResolution]))
}

// stats computes nearest-rank percentiles: the p-th percentile of n sorted values is
// the value at rank ceil(p/100*n).
func stats(ds []time.Duration) Stats {
	if len(ds) == 0 {
		return Stats{}
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	rank := func(p float64) time.Duration {
		k := int(math.Ceil(p / 100 * float64(len(s))))
		if k < 1 {
			k = 1
		}
		return s[k-1]
	}
	return Stats{Count: len(s), P50: rank(50), P90: rank(90)}
}

// csvHeader is the column list of WriteCSV. Durations are whole seconds.
var csvHeader = []string{"dimension", "key", "conversations", "first_response_count", "first_response_p50_s",
	"first_response_p90_s", "resolution_count", "resolution_p50_s", "resolution_p90_s", "with_sla", "within_sla",
	"within_sla_pct", "warnings"}

// WriteCSV writes the report's summary: one row for all conversations, then one per
// channel, agent and ISO week. Breaches go to WriteBreachesCSV.
func WriteCSV(w io.Writer, r Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("sla: write report csv: %w", err)
	}
	rows := append([]Group{r.Total}, r.ByChannel...)
	rows = append(rows, r.ByAgent...)
	rows = append(rows, r.ByWeek...)
	secs := func(d time.Duration) string { return strconv.FormatInt(int64(d/time.Second), 10) }
	for _, g := range rows {
		rec := []string{g.Dimension, g.Key, strconv.Itoa(g.Conversations),
			strconv.Itoa(g.FirstResponse.Count), secs(g.FirstResponse.P50), secs(g.FirstResponse.P90),
			strconv.Itoa(g.Resolution.Count), secs(g.Resolution.P50), secs(g.Resolution.P90),
			strconv.Itoa(g.WithSLA), strconv.Itoa(g.WithinSLA), strconv.FormatFloat(g.WithinPct(), 'f', 1, 64),
			strconv.Itoa(g.Warnings)}
		if err := cw.Write(csvsafe.Row(rec)); err != nil {
			return fmt.Errorf("sla: write report csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("sla: write report csv: %w", err)
	}
	return nil
}

// WriteBreachesCSV writes the report's breaches, oldest first, times in RFC 3339 UTC.
func WriteBreachesCSV(w io.Writer, r Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"conversation_id", "channel", "agent", "policy", "target", "due_at"}); err != nil {
		return fmt.Errorf("sla: write breaches csv: %w", err)
	}
	for _, b := range r.Breaches {
		if err := cw.Write(csvsafe.Row([]string{strconv.FormatInt(b.ConversationID, 10), string(b.Channel), b.Agent, b.Policy,
			string(b.Target), b.DueAt.UTC().Format(time.RFC3339)})); err != nil {
			return fmt.Errorf("sla: write breaches csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("sla: write breaches csv: %w", err)
	}
	return nil
}
