package youtube

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
	_ "time/tzdata" // Pacific time must resolve on Windows, which has no zoneinfo
)

// Quota costs in units, per developers.google.com/youtube/v3/determine_quota_cost.
const (
	CostList       = 1
	CostInsert     = 50
	CostModeration = 50
	CostSearch     = 100 // search.list, per page
)

// DefaultDailyBudget is the default daily quota of a Google Cloud project.
const DefaultDailyBudget = 10000

// ErrQuotaBudget is returned, wrapped, when a call would overrun the daily budget.
var ErrQuotaBudget = errors.New("YouTube daily quota budget exhausted")

// Quota counts units spent today against a daily budget. The day starts at
// midnight Pacific time, when Google resets quotas. Share one Quota between
// every connector using the same Google Cloud project.
type Quota struct {
	mu     sync.Mutex
	budget int
	used   int // with a ledger: its count as of the last step
	day    string
	now    func() time.Time
	loc    *time.Location
	ledger Ledger
}

// Ledger keeps a Quota's count where several processes spend from one
// Google project (the team server's instances on one database): each change
// is one atomic step there, so no process writes back a count that another
// has moved on meanwhile.
type Ledger interface {
	// Spend adds cost to day's count unless the count would pass limit; it
	// returns the count after the step and whether cost was added.
	Spend(ctx context.Context, day string, cost, limit int) (used int, spent bool, err error)
	// Exhaust raises day's count to budget.
	Exhaust(ctx context.Context, day string, budget int) error
}

// UseLedger makes the ledger the count's home: every Spend and Exhaust is a
// step there, and Used reports what the last step saw. Call it before the
// quota is shared.
func (q *Quota) UseLedger(l Ledger) { q.ledger = l }

// NewQuota returns a counter for budget units a day (0 = DefaultDailyBudget);
// now may be nil for the real clock.
func NewQuota(budget int, now func() time.Time) *Quota {
	if budget <= 0 {
		budget = DefaultDailyBudget
	}
	if now == nil {
		now = time.Now
	}
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		loc = time.FixedZone("PST", -8*3600) // only without tzdata; off by an hour in summer
	}
	return &Quota{budget: budget, now: now, loc: loc}
}

func (q *Quota) rollover() {
	day := q.now().In(q.loc).Format(time.DateOnly)
	if day != q.day {
		q.day, q.used = day, 0
	}
}

// Spend takes cost units if at least reserve units stay free afterwards.
func (q *Quota) Spend(ctx context.Context, what string, cost, reserve int) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.rollover()
	if q.ledger != nil {
		used, spent, err := q.ledger.Spend(ctx, q.day, cost, q.budget-reserve)
		if err != nil {
			return fmt.Errorf("count YouTube quota units for %s: %w", what, err)
		}
		q.used = used
		if spent {
			return nil
		}
	} else if q.used+cost <= q.budget-reserve {
		q.used += cost
		return nil
	}
	return fmt.Errorf("%w: %d of %d units used today, %s needs %d (%d kept for replies and moderation); it resets at midnight Pacific time, in %s",
		ErrQuotaBudget, q.used, q.budget, what, cost, reserve, q.untilReset().Round(time.Minute))
}

// Exhaust marks the budget as used up, after Google answered quotaExceeded.
// A ledger that cannot be reached is left as it is: the local count still
// stops this process, and Google refuses the others.
func (q *Quota) Exhaust(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.rollover()
	q.used = q.budget
	if q.ledger != nil {
		if err := q.ledger.Exhaust(ctx, q.day, q.budget); err != nil {
			return fmt.Errorf("mark the YouTube quota used up: %w", err)
		}
	}
	return nil
}

// Used reports units spent today (with a ledger: as of the last step).
func (q *Quota) Used() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.rollover()
	return q.used
}

// Restore sets today's spent units, e.g. from a value saved before a restart.
func (q *Quota) Restore(used int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.rollover()
	q.used = used
}

// UntilReset is the time left until the next midnight Pacific.
func (q *Quota) UntilReset() time.Duration {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.untilReset()
}

func (q *Quota) untilReset() time.Duration {
	now := q.now().In(q.loc)
	y, m, d := now.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, q.loc).Sub(now)
}

// Remaining is the units left today (with a ledger: as of the last step).
func (q *Quota) Remaining() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.rollover()
	return max(0, q.budget-q.used)
}

// ResetAt is the next midnight Pacific, when Google restores the budget.
func (q *Quota) ResetAt() time.Time {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.now().Add(q.untilReset())
}

// Day is the current quota day (Pacific date, YYYY-MM-DD), for saving Used with it.
func (q *Quota) Day() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.rollover()
	return q.day
}
