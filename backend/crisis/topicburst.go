package crisis

import (
	"sort"
	"time"

	"github.com/stormdesk/stormdesk/backend/textsim"
)

// Topic bursts: a fast-growing cluster of near-duplicate complaints (a
// copy-paste campaign, many people reporting one outage in the same words)
// is a storm of its own even while the stream's total negative count stays
// within its range. Every negative joins a cluster of near-duplicates, found
// incrementally with the MinHash bands of dedupe.go: each band remembers the
// newest message that fell into it, and a new message joins the cluster of
// the first such message it shares a band with whose exact word-set Jaccard
// is at least DuplicateJaccard. A cluster alerts when its share of the last
// hour's negatives is far above its share over the earlier day. The
// index keeps at most Config.MaxTopicEntries messages of the last
// Config.TopicHistory per stream. See docs/crisis.md, "Topic bursts".

// Topic defaults; zero Config fields take them.
const (
	defaultTopicWindow     = time.Hour
	defaultTopicHistory    = 24 * time.Hour
	defaultTopicMinCount   = 10
	defaultMaxTopicEntries = 4096
	// topicRatio: the last hour must hold this multiple of the cluster's
	// usual share, so a stream's standing template ("where is my order")
	// never alerts.
	topicRatio = 3
	// topicMinWords: shorter texts ("delayed again") match too much.
	topicMinWords = 3
	// topicBands: the index uses the first 8 of dedupe.go's 16 bands of 2
	// rows, half the work per message: a pair with Jaccard 0.6 still meets
	// in a band with probability 0.97, and a message need only meet one of
	// a cluster's members.
	topicBands = 4
	// topicMinAuthors: a campaign has many voices; one author repeating
	// himself is spam, not a storm. Streams without authors skip this.
	topicMinAuthors = 3
)

// Topic names the cluster behind a topic burst.
type Topic struct {
	Terms   []string `json:"terms"`   // its most characteristic words
	Text    string   `json:"text"`    // a representative message: the member most like the others
	Count   int      `json:"count"`   // members in the alert's window
	Authors int      `json:"authors"` // distinct known authors among them

	events []Event // the window's members, for the influence figures
}

func (c Config) topicWindow() time.Duration { return orDefault(c.TopicWindow, defaultTopicWindow) }
func (c Config) topicMinCount() int         { return orDefault(c.TopicMinCount, defaultTopicMinCount) }
func (c Config) maxTopicEntries() int       { return orDefault(c.MaxTopicEntries, defaultMaxTopicEntries) }

// topicHistory is at least two windows: the window and one before it.
func (c Config) topicHistory() time.Duration {
	if c.TopicHistory > c.topicWindow() {
		return c.TopicHistory
	}
	return max(defaultTopicHistory, 2*c.topicWindow())
}

type topicEntry struct {
	cluster int64
	off     int64 // its word set is hashes[off-hashBase:][:n]
	n       int32
	ev      Event
}

type topicCluster struct {
	members []int64 // entry sequence numbers, in arrival order; evicted ones are trimmed lazily
	live    int
	// alerted is the window's count when the cluster last alerted (0: never);
	// it alerts again only once that count has doubled.
	alerted int
}

// topicIndex is one stream's incremental near-duplicate index.
type topicIndex struct {
	entries  []topicEntry // entries[head:] are live, oldest first
	head     int
	seq0     int64 // sequence number of entries[0]
	buckets  bandTable
	clusters map[int64]*topicCluster
	nextID   int64
	wordBuf  []byte // appendWordSet's scratch
	// hashes holds the live entries' word sets one after another: one slice
	// instead of one allocation per message, which the collector would scan.
	hashes   []uint64
	hashBase int64
}

func newTopicIndex() *topicIndex {
	return &topicIndex{clusters: map[int64]*topicCluster{}}
}

func (x *topicIndex) entry(seq int64) (*topicEntry, bool) {
	i := seq - x.seq0
	if i < int64(x.head) || i >= int64(len(x.entries)) {
		return nil, false
	}
	return &x.entries[i], true
}

func (x *topicIndex) firstSeq() int64 { return x.seq0 + int64(x.head) }

func (x *topicIndex) set(e *topicEntry) []uint64 {
	i := e.off - x.hashBase
	return x.hashes[i : i+int64(e.n)]
}

// evict forgets entries older than horizon and beyond the cap.
func (x *topicIndex) evict(horizon time.Time, maxEntries int) {
	for x.head < len(x.entries) && (x.entries[x.head].ev.At.Before(horizon) || len(x.entries)-x.head > maxEntries) {
		e := &x.entries[x.head]
		if c := x.clusters[e.cluster]; c != nil {
			if c.live--; c.live <= 0 {
				delete(x.clusters, e.cluster)
			}
		}
		*e = topicEntry{}
		x.head++
	}
	if x.head > 1024 && x.head*2 > len(x.entries) {
		n := copy(x.entries, x.entries[x.head:])
		clear(x.entries[n:])
		x.entries = x.entries[:n]
		x.seq0 += int64(x.head)
		x.head = 0
		drop := int64(len(x.hashes))
		if n > 0 {
			drop = x.entries[0].off - x.hashBase
		}
		x.hashes = x.hashes[:copy(x.hashes, x.hashes[drop:])]
		x.hashBase += drop
	}
}

// add files a text's word set and returns the cluster it joined. A text
// that is a near-duplicate of members of two clusters merges them (the
// smaller into the larger), so a standing template stays one cluster with
// one history instead of drifting into fresh ones that look like bursts.
func (x *topicIndex) add(off int64, e Event) *topicCluster {
	set := x.hashes[off-x.hashBase:]
	var sig [topicBands * minhashRows]uint64
	minhash(set, sig[:])
	var keys [topicBands]uint64
	cluster := int64(-1)
	for b := range topicBands {
		k := mix(uint64(b+1)*0x9e3779b97f4a7c15 ^ sig[b*minhashRows])
		for r := 1; r < minhashRows; r++ {
			k = mix(k ^ sig[b*minhashRows+r])
		}
		keys[b] = k
		seq, ok := x.buckets.get(k)
		if !ok {
			continue
		}
		old, ok := x.entry(seq)
		if !ok || old.cluster == cluster || textsim.Jaccard(x.set(old), set) < DuplicateJaccard {
			continue
		}
		if cluster < 0 {
			cluster = old.cluster
		} else {
			cluster = x.merge(cluster, old.cluster)
		}
	}
	c := x.clusters[cluster]
	if c == nil {
		cluster = x.nextID
		x.nextID++
		c = &topicCluster{}
		x.clusters[cluster] = c
	}
	seq := x.seq0 + int64(len(x.entries))
	x.entries = append(x.entries, topicEntry{cluster: cluster, off: off, n: int32(len(set)), ev: e})
	x.buckets.reserve(topicBands*(len(x.entries)-x.head), x.firstSeq())
	for _, k := range keys {
		x.buckets.put(k, seq, x.firstSeq())
	}
	c.members = append(c.members, seq)
	c.live++
	return c
}

// merge joins clusters a and b and returns the id that remains.
func (x *topicIndex) merge(a, b int64) int64 {
	ca, cb := x.clusters[a], x.clusters[b]
	if ca == nil || cb == nil {
		if ca == nil {
			return b
		}
		return a
	}
	if len(ca.members) < len(cb.members) {
		a, b, ca, cb = b, a, cb, ca
	}
	for _, seq := range cb.members {
		if en, ok := x.entry(seq); ok {
			en.cluster = a
		}
	}
	ca.members = mergeSorted(ca.members, cb.members)
	ca.live += cb.live
	ca.alerted = max(ca.alerted, cb.alerted)
	delete(x.clusters, b)
	return a
}

func mergeSorted(a, b []int64) []int64 {
	out := make([]int64, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if a[i] < b[j] {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// topicTest files a negative in its stream's near-duplicate index and, if
// test, tests the cluster it joined.
func (d *Detector) topicTest(ks *keyState, e Event, test bool) (Alert, bool) {
	if d.cfg.NoTopics {
		return Alert{}, false
	}
	x := d.extraOf(ks)
	if x.topics == nil {
		x.topics = newTopicIndex()
	}
	idx := x.topics
	now := ks.lastAt
	var c *topicCluster
	n0 := len(idx.hashes)
	idx.hashes, idx.wordBuf = appendWordSet(idx.hashes, e.Text, idx.wordBuf)
	if len(idx.hashes)-n0 >= topicMinWords {
		c = idx.add(idx.hashBase+int64(n0), e)
	} else {
		idx.hashes = idx.hashes[:n0]
	}
	idx.evict(now.Add(-d.cfg.topicHistory()), d.cfg.maxTopicEntries())
	if c == nil || c.live == 0 || !test || d.slot(ks, ks.cur).learning {
		return Alert{}, false
	}
	// Drop the cluster's evicted members from its front.
	first := idx.firstSeq()
	k := 0
	for k < len(c.members) && c.members[k] < first {
		k++
	}
	c.members = c.members[k:]

	win := d.cfg.topicWindow()
	from := now.Add(-win)
	// Members and entries are in arrival order, which is time order but for
	// late messages: a binary search finds the window's start.
	split := sort.Search(len(c.members), func(i int) bool {
		en, _ := idx.entry(c.members[i])
		return en.ev.At.After(from)
	})
	nRecent, past := len(c.members)-split, split
	minCount := d.cfg.topicMinCount()
	// A topic that alerted is the same burst until the cool-down ends; after
	// it, it alerts again only at twice the count it alerted with.
	if nRecent < minCount || (c.alerted > 0 && (now.Before(ks.cooldownUntil) || nRecent < 2*c.alerted)) {
		return Alert{}, false
	}
	live := idx.entries[idx.head:]
	streamPast := sort.Search(len(live), func(i int) bool { return live[i].ev.At.After(from) })
	streamRecent := len(live) - streamPast
	// The cluster's expected count is its usual share of the stream's
	// negatives (over the history before the window) times the window's
	// negatives: a share, not a rate, so the day's rhythm and a busy day
	// move both sides alike. Add-one smoothing gives a new cluster a small
	// share rather than none.
	expected := float64(past+1) / float64(streamPast+1) * float64(streamRecent)
	if float64(nRecent) < topicRatio*expected {
		return Alert{}, false // short of the ratio, which the threshold includes
	}
	thr := alertThreshold(expected, d.cfg.MaxPValue, minCount, topicRatio)
	if nRecent < thr {
		return Alert{}, false
	}
	recent := make([]Event, 0, nRecent)
	for _, seq := range c.members[split:] {
		en, _ := idx.entry(seq)
		recent = append(recent, en.ev)
	}
	authors := map[string]bool{}
	for _, r := range recent {
		if r.Author != "" {
			authors[r.Author] = true
		}
	}
	if len(authors) > 0 && len(authors) < topicMinAuthors {
		return Alert{}, false
	}
	// Inside the volume test's cool-down a cluster that was already part of
	// the alerted burst is the same storm; one that began after it is a
	// different burst and alerts.
	if !ks.lastAlert.IsZero() && now.Before(ks.lastAlert.Add(d.cfg.Cooldown)) && !recent[0].At.After(ks.lastAlert) && c.alerted == 0 {
		return Alert{}, false
	}
	escalation := c.alerted > 0
	c.alerted = len(recent)
	return d.explainTopic(ks, recent, expected, thr, now, len(authors), escalation), true
}

// explainTopic builds a topic burst's alert: the window from its first
// member, the cluster's figures, and its terms, samples and authors.
func (d *Detector) explainTopic(ks *keyState, recent []Event, expected float64, thr int, now time.Time, nAuthors int, escalation bool) Alert {
	start := recent[0].At
	a := Alert{
		Key:        ks.key,
		Kind:       KindTopic,
		Start:      start,
		DetectedAt: now,
		WindowMs:   d.cfg.topicWindow().Milliseconds(),
		Observed:   float64(len(recent)),
		Baseline:   expected,
		Threshold:  thr,
		PValue:     poissonUpperTail(len(recent), expected),
		Escalation: escalation,
	}
	for j := d.binIndex(start); j <= ks.cur; j++ {
		if s, ok := d.valid(ks, j); ok {
			a.Volume += int(s.tot)
		}
	}
	a.Series = d.series(ks, d.cfg.SeriesBins)
	var background []Event
	for _, e := range ks.ctx[ks.ctxHead:] {
		if e.At.Before(start) && !e.At.Before(start.Add(-d.cfg.ContextWindow)) {
			background = append(background, e)
		}
	}
	small := max(d.cfg.TopN/2, 1)
	a.TopTerms, a.TopPhrases = burstTerms(recent, background, d.cfg.TopN, small, d.exclude[ks.key.Account])
	a.Samples = samples(recent, small)
	a.Authors = authors(recent, small)
	t := Topic{Text: representative(recent), Count: len(recent), Authors: nAuthors, events: recent}
	for _, ts := range a.TopTerms {
		if len(t.Terms) == small {
			break
		}
		t.Terms = append(t.Terms, ts.Term)
	}
	if t.Terms == nil {
		t.Terms = []string{}
	}
	a.Topic = t
	d.annotate(ks, &a)
	return a
}

// representative picks the member whose word set is, summed over the others,
// most like them (among the last 50, to bound the work).
func representative(evs []Event) string {
	if len(evs) > 50 {
		evs = evs[len(evs)-50:]
	}
	sets := make([][]uint64, len(evs))
	for i, e := range evs {
		sets[i] = wordSet(e.Text)
	}
	best, bestScore := 0, -1.0
	for i := range evs {
		s := 0.0
		for j := range evs {
			if i != j {
				s += textsim.Jaccard(sets[i], sets[j])
			}
		}
		if s > bestScore {
			best, bestScore = i, s
		}
	}
	return evs[best].Text
}

// bandTable maps a band's key to the newest entry that fell into it: open
// addressing over a few probes, where a slot of an evicted entry (its
// sequence number before the index's first) counts as free and, when all
// probes are taken, the oldest entry's slot is reused. Losing an old link
// costs little (a cluster's newer members share its bands); a Go map here
// was most of the index's time.
type bandTable struct {
	keys []uint64
	seqs []int64
}

const bandProbes = 4

func (t *bandTable) get(k uint64) (int64, bool) {
	if len(t.keys) == 0 {
		return 0, false
	}
	mask := uint64(len(t.keys) - 1)
	for p := range uint64(bandProbes) {
		i := (k + p) & mask
		if t.keys[i] == k && t.seqs[i] >= 0 {
			return t.seqs[i], true
		}
	}
	return 0, false
}

func (t *bandTable) put(k uint64, seq, first int64) {
	mask := uint64(len(t.keys) - 1)
	victim := k & mask
	for p := range uint64(bandProbes) {
		i := (k + p) & mask
		if t.keys[i] == k || t.seqs[i] < first {
			victim = i
			break
		}
		if t.seqs[i] < t.seqs[victim] {
			victim = i
		}
	}
	t.keys[victim], t.seqs[victim] = k, seq
}

// reserve keeps the table at least twice as large as the live keys,
// moving the live ones when it grows.
func (t *bandTable) reserve(live int, first int64) {
	if len(t.keys) >= 2*live && len(t.keys) > 0 {
		return
	}
	n := 256
	for n < 4*live {
		n *= 2
	}
	old := *t
	t.keys, t.seqs = make([]uint64, n), make([]int64, n)
	for i := range t.seqs {
		t.seqs[i] = -1
	}
	for i, k := range old.keys {
		if old.seqs[i] >= first {
			t.put(k, old.seqs[i], first)
		}
	}
}
