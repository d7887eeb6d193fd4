package graph

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// Usage is how much of a rate limit Meta says is spent, in percent, as sent
// in X-App-Usage ({"call_count","total_time","total_cputime"}) and
// X-Business-Use-Case-Usage ({"<business id>":[{"type","call_count",
// "total_time","total_cputime","estimated_time_to_regain_access"}]}).
type Usage struct {
	Percent int           // the highest of the counters
	Regain  time.Duration // estimated_time_to_regain_access (minutes in the header); 0 = none given
}

type usageCounters struct {
	CallCount    int `json:"call_count"`
	TotalTime    int `json:"total_time"`
	TotalCPUTime int `json:"total_cputime"`
	// EstimatedTimeToRegainAccess is in minutes; only the business header has it.
	EstimatedTimeToRegainAccess int `json:"estimated_time_to_regain_access"`
}

func (u usageCounters) usage() Usage {
	return Usage{
		Percent: max(u.CallCount, u.TotalTime, u.TotalCPUTime),
		Regain:  time.Duration(u.EstimatedTimeToRegainAccess) * time.Minute,
	}
}

// ReadUsage reads both usage headers of an answer and gives the higher; ok is
// false when neither is present or readable.
func ReadUsage(h http.Header) (u Usage, ok bool) {
	if v := h.Get("X-App-Usage"); v != "" {
		var c usageCounters
		if json.Unmarshal([]byte(v), &c) == nil {
			u, ok = c.usage(), true
		}
	}
	if v := h.Get("X-Business-Use-Case-Usage"); v != "" {
		var byBusiness map[string][]usageCounters
		if json.Unmarshal([]byte(v), &byBusiness) == nil {
			for _, list := range byBusiness {
				for _, c := range list {
					b := c.usage()
					u.Percent = max(u.Percent, b.Percent)
					u.Regain = max(u.Regain, b.Regain)
					ok = true
				}
			}
		}
	}
	return u, ok
}

// Pacer slows calls down as Meta's usage counters approach their limit, so
// the account is not blocked: below SlowFrom percent calls go at once, above
// it each call waits up to MaxGap (growing with the usage), and at 100 % no
// call is made until Meta's estimated time to regain access has passed.
// Usage is counted per app and per business, so accounts of one app may share
// one Pacer; it is safe for concurrent use.
type Pacer struct {
	SlowFrom int           // 0 = 75
	MaxGap   time.Duration // 0 = 10 s
	// Now is the clock; nil = time.Now.
	Now func() time.Time

	mu       sync.Mutex
	percent  int
	blockEnd time.Time
}

func (p *Pacer) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// Observe records the usage headers of an answer.
func (p *Pacer) Observe(h http.Header) {
	u, ok := ReadUsage(h)
	if !ok {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.percent = u.Percent
	if u.Percent >= 100 {
		wait := u.Regain
		if wait <= 0 {
			wait = DefaultRateWait
		}
		p.blockEnd = p.now().Add(wait)
	}
}

// Block records that Meta refused a call with a throttling error until d from now.
func (p *Pacer) Block(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if end := p.now().Add(d); end.After(p.blockEnd) {
		p.blockEnd = end
	}
}

// Delay is how long the next call should wait, and blocked is true when no
// call may be made at all for that long (usage at 100 %).
func (p *Pacer) Delay() (d time.Duration, blocked bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if now.Before(p.blockEnd) {
		return p.blockEnd.Sub(now), true
	}
	slow, gap := p.SlowFrom, p.MaxGap
	if slow <= 0 || slow >= 100 {
		slow = 75
	}
	if gap <= 0 {
		gap = 10 * time.Second
	}
	if p.percent < slow {
		return 0, false
	}
	// Linear from nothing at SlowFrom to MaxGap just below 100 %.
	return gap * time.Duration(min(p.percent, 100)-slow) / time.Duration(100-slow), false
}
