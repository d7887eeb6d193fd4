package webapi

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/listening"
)

// Every source here lists search results newest first and pages towards
// older ones, so "what is new since the last poll" is a sweep: page down
// from the top until reaching what the previous sweep already delivered.
// The position is kept per query (a source that cannot OR the terms runs
// one query per term) in one JSON cursor, so a crash resumes the sweep
// where the stored cursor says, and a term added to the topic starts from
// the request's Since without disturbing the others.

// Sweep is the position of one query.
type Sweep struct {
	Mark listening.Watermark `json:"mark"` // newest delivered by the last finished sweep
	// Next is the platform's paging position inside the sweep under way
	// ("" = from the top); Top and Floor the newest and oldest items that
	// sweep delivered. Offset cursors (Bluesky's) shift when posts arrive
	// during a sweep, so a page may repeat items above Floor: they are
	// skipped, not delivered twice.
	Next  string               `json:"next,omitempty"`
	Top   *listening.Watermark `json:"top,omitempty"`
	Floor *listening.Watermark `json:"floor,omitempty"`
	// Ahead holds the posts dated beyond now (channels.Future: a broken
	// clock, a federated server's) already delivered, by id, with their
	// dates. Such a post tops a newest-first listing until its date comes;
	// as the mark it would cover everything written until then, so it
	// never becomes the mark, and is remembered here to be delivered once.
	Ahead map[string]time.Time `json:"ahead,omitempty"`
}

// maxAhead bounds Sweep.Ahead; beyond it a future-dated post is delivered
// again each sweep, which the store takes as the same mention.
const maxAhead = 100

// Listing is one page of one query, newest first.
type Listing struct {
	Mentions []listening.Mention
	// Deleted are items the listing shows as deleted or removed; they count
	// for the sweep's position like the others.
	Deleted []listening.Mention
	// Next is the platform's position of the following page; "" when the
	// platform says there is none.
	Next string
	// Full says the page held as many items as asked for, so more may follow.
	Full   bool
	Limits listening.Limits
}

// Lister fetches the page of query key at the platform's paging position
// next ("" = the newest page). since is the oldest time the sweep wants,
// for platforms that filter by time themselves.
type Lister func(ctx context.Context, key, next string, since time.Time) (Listing, error)

// Cursor is a source's stored position: one Sweep per query key.
type Cursor map[string]*Sweep

// Run asks every query once for its next page and merges the answers into
// one listening.Page: new mentions (each once, even when two queries found
// it), deleted ids, the advanced cursor, More when any sweep is unfinished,
// and the tightest limits reported.
//
// A rate limit after some queries answered ends the round early without an
// error: the page keeps what they found, the queries not asked keep their
// positions, and Limits.NextPoll says when to go on, so a topic with more
// terms than a window allows still moves forward. A rate limit on the first
// query, and every other error, fails the whole call and advances nothing.
func (c *Caller) Run(ctx context.Context, r listening.Request, keys []string, list Lister) (listening.Page, error) {
	platform := c.Platform
	var cur Cursor
	if err := channels.DecodeCursor(platform, r.Cursor, &cur); err != nil {
		return listening.Page{}, err
	}
	next := Cursor{}
	page := listening.Page{Limits: listening.Limits{Remaining: -1}}
	seen := map[string]bool{}
	limited := false
	for i, key := range keys {
		sw := cur[key]
		if sw == nil {
			sw = &Sweep{Mark: listening.Watermark{At: r.Since}}
		}
		if limited {
			next[key] = sw
			continue
		}
		l, err := list(ctx, key, sw.Next, sw.Mark.At)
		var rl *channels.RateLimitError
		if err != nil && i > 0 && errors.As(err, &rl) {
			limited = true
			page.Limits.NextPoll = c.now().Add(rl.RetryAfter)
			page.Limits.Remaining = 0
			next[key] = sw
			continue
		}
		if err != nil {
			return listening.Page{}, fmt.Errorf("%s search %q: %w", platform, key, err)
		}
		page.Limits = tighter(page.Limits, l.Limits)
		top, floor := listening.Watermark{}, listening.Watermark{}
		if sw.Top != nil {
			top = *sw.Top
		}
		if sw.Floor != nil {
			floor = *sw.Floor
		}
		reached := l.Next == "" || !l.Full
		now := c.now()
		visit := func(m listening.Mention, deleted bool) {
			ahead := channels.Future(m.Published, now)
			if _, ok := sw.Ahead[m.ExternalID]; ok && ahead {
				return
			}
			if !ahead && sw.Mark.Covers(m.Published, m.ExternalID) {
				reached = true
				return
			}
			// A zero floor: the sweep's pages so far held only posts it
			// delivered before (remembered in Ahead), so nothing is below it.
			if sw.Floor != nil && !sw.Floor.At.IsZero() && sw.Floor.Reaches(m.Published, m.ExternalID) {
				return // delivered earlier in this sweep
			}
			if !ahead {
				top.Add(m.Published, m.ExternalID)
			} else if len(sw.Ahead) < maxAhead {
				if sw.Ahead == nil {
					sw.Ahead = map[string]time.Time{}
				}
				sw.Ahead[m.ExternalID] = m.Published
			}
			floor.Lower(m.Published, m.ExternalID)
			if seen[m.ExternalID] {
				return
			}
			seen[m.ExternalID] = true
			if deleted {
				page.Deleted = append(page.Deleted, m.ExternalID)
			} else {
				page.Mentions = append(page.Mentions, m)
			}
		}
		for _, m := range l.Mentions {
			visit(m, false)
		}
		for _, m := range l.Deleted {
			visit(m, true)
		}
		if reached {
			if !top.At.IsZero() {
				sw.Mark = sw.Mark.Merge(top)
			}
			// A remembered post the mark has reached is covered by it.
			maps.DeleteFunc(sw.Ahead, func(_ string, at time.Time) bool { return !at.After(sw.Mark.At) })
			sw.Next, sw.Top, sw.Floor = "", nil, nil
		} else {
			sw.Next, sw.Top, sw.Floor = l.Next, &top, &floor
			page.More = true
		}
		next[key] = sw
	}
	if limited {
		page.More = false // the poller waits for NextPoll
	}
	page.Cursor = channels.EncodeCursor(next)
	return page, nil
}

// tighter keeps the fewest remaining calls and the latest reset and next poll.
func tighter(a, b listening.Limits) listening.Limits {
	if b.Remaining >= 0 && (a.Remaining < 0 || b.Remaining < a.Remaining) {
		a.Remaining = b.Remaining
	}
	if b.Reset.After(a.Reset) {
		a.Reset = b.Reset
	}
	if b.NextPoll.After(a.NextPoll) {
		a.NextPoll = b.NextPoll
	}
	return a
}
