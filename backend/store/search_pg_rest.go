package store

import (
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// A search's next page starts where its page ended. On PostgreSQL a page of
// an AND or a phrase is found by windows (pgSearch), and each window scans
// the search index for every word of the query whatever its id range: 13 ms
// for the 5,849 messages holding both words of "still waiting" at 1M, before
// the table is read to keep the 290 where they stand together. A next page
// scanned all that again, from a fresh estimate, a window at a time.
//
// So the scan is kept between pages (pgSearchScan): where it stopped, how
// dense the matches were, and the ids of matches its last window found
// beyond the page (a window fetches up to a page more than it needs:
// they were read and tested anyway, only their rows are new). The next page
// asked with BeforeID = the page's last hit takes those ids, reads their
// rows afresh by primary key (sentiment, author and flags change; the words
// of a stored message do not), and goes on from where the scan stopped only
// when they are too few. Ids only ever grow, so messages stored since lie
// above BeforeID and belong to no next page: the kept scan is exactly what a
// new one would find, unless a message in its range was deleted (its row is
// then simply not read) or re-stemmed (rare; the scan expires).
//
// The scans live in the instance that served the page; a next page served
// by another instance behind a load balancer scans as before.
//
// Ids are taken when a message is inserted, not when its transaction
// commits: a scan can miss a message whose transaction was still open, and
// a scan from scratch a moment later would find it. Paging by BeforeID
// misses such a message above the page's last hit anyway; below it, only a
// kept scan would. So a scan is kept only for a page whose last hit is at
// least pgSearchSettle ids below the newest message when the search began:
// a message that old was written by a transaction that has ended, unless it
// stayed open while 10,000 newer messages were stored.

// pgSearchSettle is how many ids below the newest a page's last hit must
// be for its scan to be kept: 20 s of the 500 msg/s a team server is
// benchmarked ingesting; a search whose page reaches nearer the newest is
// cheap to repeat anyway (dense matches).
const pgSearchSettle = 10_000

// A scan also measures how dense the query's matches are, which the
// planner can only guess at: it counts an AND's words as independent and a
// phrase as the AND of its words ("still waiting": 3,406 expected, 290
// found at 1M), so a phrase's first page took two windows, each scanning
// the search index, where one sized by the true density does. The density
// the last search of the same words and channel found sizes the first
// window of the next one for pgSearchDensityTTL (the planner's estimate,
// EXPLAIN included, is skipped), and nextWindow still widens a window that
// holds too few. Unlike a kept scan this is a guess: a wrong one costs a
// window, never a hit. Only first pages (BeforeID 0) measure and use it:
// they all start at the newest message, while matches elsewhere may be far
// denser or sparser (an account's history is stored in one run of ids, so a
// channel's matches bunch up): a density measured among one channel's
// messages made a search below them take window after window (p99 54 ms
// against 39).

// pgSearchDensityTTL is how long a query's measured density sizes its first
// window: matches of the same words thin or thicken over hours, not
// minutes.
const pgSearchDensityTTL = 10 * time.Minute

// pgSearchRestTTL is how long a page's scan is kept for its next page: a
// person reads a page before asking for more.
const pgSearchRestTTL = 2 * time.Minute

// pgSearchRestMax bounds the kept scans (each holds at most a page of ids,
// 200 at most: about 2 MB) and, apart, the measured densities.
const pgSearchRestMax = 1024

// pgSearchScan is where a windowed search stopped.
type pgSearchScan struct {
	hi, lo int64 // the id range searched: the first page's newest id down to the oldest
	top    int64 // ids at or below top are not searched yet
	width  int64 // the last window's width
	found  int   // matches found from hi down to top
	walk   bool  // the matches are dense: a first window walks messages_pkey
	// settled is the newest id kept pages may reach (pgSearchSettle).
	settled int64
	// rest are the ids of matches found below the page, newest first.
	rest []int64
}

// pgRestKey names the next page a scan is kept for.
type pgRestKey struct {
	text    string
	channel inbox.ChannelKind
	before  int64
}

// pgDensityKey names a query whose density is measured.
type pgDensityKey struct {
	text    string
	channel inbox.ChannelKind
}

// pgDensity is a query's measured density: matches per id, and whether its
// first window walks messages_pkey (decided from the planner's estimate,
// on which pgWalkDensity was set).
type pgDensity struct {
	perID float64
	walk  bool
	at    time.Time
}

// pgSearchMemory is what a server keeps between searches: scans for their
// next pages and the queries' densities; safe for concurrent use. The zero
// value is ready.
type pgSearchMemory struct {
	mu        sync.Mutex
	scans     map[pgRestKey]pgRestEntry
	densities map[pgDensityKey]pgDensity
}

// density returns the density measured for key, if it is fresh.
func (r *pgSearchMemory) density(key pgDensityKey, now time.Time) (pgDensity, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.densities[key]
	return d, ok && now.Sub(d.at) <= pgSearchDensityTTL
}

// learn keeps d as key's density.
func (r *pgSearchMemory) learn(key pgDensityKey, d pgDensity, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.densities == nil {
		r.densities = map[pgDensityKey]pgDensity{}
	}
	d.at = now
	putBounded(r.densities, key, d, func(d pgDensity) bool { return now.Sub(d.at) > pgSearchDensityTTL })
}

type pgRestEntry struct {
	scan pgSearchScan
	at   time.Time
}

// get returns a copy of the scan kept for key, if it is fresh.
func (r *pgSearchMemory) get(key pgRestKey, now time.Time) (pgSearchScan, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.scans[key]
	if !ok || now.Sub(e.at) > pgSearchRestTTL {
		return pgSearchScan{}, false
	}
	sc := e.scan
	sc.rest = slices.Clone(e.scan.rest)
	return sc, true
}

// put keeps sc for key's page.
func (r *pgSearchMemory) put(key pgRestKey, sc pgSearchScan, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.scans == nil {
		r.scans = map[pgRestKey]pgRestEntry{}
	}
	putBounded(r.scans, key, pgRestEntry{scan: sc, at: now}, func(e pgRestEntry) bool { return now.Sub(e.at) > pgSearchRestTTL })
}

// putBounded sets m[k] = v, first making room when m holds pgSearchRestMax
// entries: it drops the expired ones, and any one when none has expired.
func putBounded[K comparable, V any](m map[K]V, k K, v V, expired func(V) bool) {
	if _, ok := m[k]; !ok && len(m) >= pgSearchRestMax {
		maps.DeleteFunc(m, func(_ K, v V) bool { return expired(v) })
		for old := range m {
			if len(m) < pgSearchRestMax {
				break
			}
			delete(m, old)
		}
	}
	m[k] = v
}

// reset forgets every kept scan and density.
func (r *pgSearchMemory) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	clear(r.scans)
	clear(r.densities)
}
