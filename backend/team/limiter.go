package team

import (
	"sync"
	"time"
)

// Limiter bounds login attempts per key (a member's name, a client
// address): each key has a bucket of Burst attempts that refills one
// attempt every Refill. It lives in one server instance's memory, so behind
// a load balancer each instance counts on its own.
type Limiter struct {
	Burst  int
	Refill time.Duration
	Now    func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// NewLimiter returns a limiter of burst attempts refilled one per refill.
func NewLimiter(burst int, refill time.Duration) *Limiter {
	return &Limiter{Burst: burst, Refill: refill, Now: time.Now, buckets: map[string]*bucket{}}
}

// maxBuckets bounds the memory a flood of distinct keys can take; full
// buckets are forgotten first, as they hold nothing.
const maxBuckets = 100_000

// Allow takes one attempt for every key, or none when any key has none
// left: then it returns false and how long until each would have one.
func (l *Limiter) Allow(keys ...string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.Now()
	var wait time.Duration
	bs := make([]*bucket, len(keys))
	for i, k := range keys {
		b := l.buckets[k]
		if b == nil {
			if len(l.buckets) >= maxBuckets {
				l.forgetFull(now)
			}
			b = &bucket{tokens: float64(l.Burst), at: now}
			l.buckets[k] = b
		}
		l.refill(b, now)
		if b.tokens < 1 {
			wait = max(wait, time.Duration((1-b.tokens)*float64(l.Refill)))
		}
		bs[i] = b
	}
	if wait > 0 {
		return false, wait
	}
	for _, b := range bs {
		b.tokens--
	}
	return true, 0
}

// Reset refills key's bucket (a successful login forgives its name's misses).
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.buckets, key)
}

func (l *Limiter) refill(b *bucket, now time.Time) {
	if d := now.Sub(b.at); d > 0 {
		b.tokens = min(float64(l.Burst), b.tokens+float64(d)/float64(l.Refill))
		b.at = now
	}
}

func (l *Limiter) forgetFull(now time.Time) {
	for k, b := range l.buckets {
		l.refill(b, now)
		if b.tokens >= float64(l.Burst) {
			delete(l.buckets, k)
		}
	}
}
