package listening

import (
	"hash/maphash"
	"math/bits"
	"net/url"
	"slices"
	"strings"

	"github.com/stormdesk/stormdesk/backend/textsearch"
	"github.com/stormdesk/stormdesk/backend/textsim"
)

// Dedupe across sources: one post found twice is one mention with two
// sources. Two mentions are the same post when
//
//   - their links are the same once normalized (DedupeKey: http and https,
//     "www.", a trailing slash, the fragment, utm_* and other tracking
//     parameters and the order of the others do not matter), whatever the
//     sources, or
//   - they come from two different sources and their texts are near-identical
//     (NearDuplicate): a cross-post, a feed entry and the post it announces.
//
// Near-identical texts from one source are not merged: they are different
// posts (a copy-paste campaign is several people, and counts as several).
//
// The crisis package's near-duplicate grouping (crisis.GroupNearDuplicates)
// groups a batch once; here each mention is checked against the recent ones
// as it arrives, so Index keeps its own MinHash bands over word pairs, with
// the same banding (16 bands of 2 rows).

// trackingParams are query parameters that only say where a click came from.
var trackingParams = []string{"fbclid", "gclid", "yclid", "mc_cid", "mc_eid", "igshid", "ref_src"}

// DedupeKey returns the normalized link of m (see NormalizeURL); "" when m
// has no link, and then only its text can tell it is a duplicate.
func DedupeKey(m Mention) string { return NormalizeURL(m.URL) }

// WebAddress reports whether u is an absolute http or https address: the only
// links a source's mention keeps, a digest sends and the window shows.
func WebAddress(u *url.URL) bool {
	return (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// NormalizeURL returns a link in the form two links to one page share:
// without the scheme (http and https are one page), host in lower case
// without "www." and a default port, no fragment, no trailing slash, and the
// query without utm_* and other tracking parameters, sorted. "" for text that
// is not an absolute http(s) link.
func NormalizeURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || !WebAddress(u) {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	host = strings.TrimPrefix(host, "www.")
	if p := u.Port(); p != "" && p != "80" && p != "443" {
		host += ":" + p
	}
	path := strings.TrimRight(u.EscapedPath(), "/")
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(strings.ToLower(k), "utm_") || slices.Contains(trackingParams, strings.ToLower(k)) {
			q.Del(k)
		}
	}
	key := host + path
	if len(q) > 0 {
		key += "?" + q.Encode() // Encode sorts by key
	}
	return key
}

// Near-duplicate texts. A text is read as the set of its pairs of adjacent
// words (folded, without diacritics, links and @handles dropped), so word
// order counts but one changed word changes only two pairs.
const (
	// NearJaccard is the Jaccard similarity of two texts' word pairs from
	// which they are near-identical.
	NearJaccard = 0.6
	// NearContained is the share of the shorter text's word pairs the
	// longer one must hold for a cut-short copy (Bluesky's 300 characters,
	// a feed's summary) to count as near-identical.
	NearContained = 0.9
	// MinNearPairs is how many word pairs each text needs before its text
	// can make it a duplicate: "Stormair is down again" from two people is
	// two mentions.
	MinNearPairs = 6
)

// NearDuplicate reports whether two texts are near-identical: at least
// MinNearPairs word pairs each, and a Jaccard similarity of NearJaccard, or
// the shorter one's pairs NearContained in the longer one.
func NearDuplicate(a, b string) bool {
	seed := maphash.MakeSeed()
	return similar(pairs(seed, a), pairs(seed, b))
}

// pairs returns the sorted, distinct hashes of the pairs of adjacent words
// of text.
func pairs(seed maphash.Seed, text string) []uint64 {
	var out []uint64
	var prev uint64
	first := true
	for _, f := range strings.Fields(text) {
		if hasPrefixFold(f, "http://") || hasPrefixFold(f, "https://") || hasPrefixFold(f, "www.") || strings.HasPrefix(f, "@") {
			continue // links and handles differ between two copies of a post
		}
		for _, sp := range textsearch.Words(f) {
			w := textsearch.Fold(f[sp.Start:sp.End])
			if !ascii(w) {
				w = textsearch.StripLatinMarks(w)
			}
			h := maphash.String(seed, w)
			if !first {
				out = append(out, bits.RotateLeft64(prev, 31)^h) // ordered: "a b" is not "b a"
			}
			prev, first = h, false
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// similar applies NearDuplicate's rule to two sorted pair sets.
func similar(a, b []uint64) bool {
	if len(a) < MinNearPairs || len(b) < MinNearPairs {
		return false
	}
	inter := textsim.Intersect(a, b)
	union := len(a) + len(b) - inter
	return float64(inter) >= NearJaccard*float64(union) ||
		float64(inter) >= NearContained*float64(min(len(a), len(b)))
}

// MinHash banding for Index's candidates: a pair of texts with Jaccard 0.6
// shares a band with probability 1-(1-0.6²)^16 > 0.999.
const (
	bands    = 16
	bandRows = 2
)

// Index finds, among the last mentions added to it, the one a new mention
// duplicates. K is the caller's id for a stored mention. The poller fills it
// with the recent stored mentions at start, then for each new mention calls
// Find and, when it is new, stores it and calls Add. It is not safe for
// concurrent use.
type Index[K comparable] struct {
	seed    maphash.Seed
	hashes  [bands * bandRows]uint64 // the MinHash functions' multipliers
	entries []indexEntry[K]          // a ring of the last len(entries) mentions
	next    int
	links   map[string]int    // DedupeKey → entry
	buckets map[bandKey][]int // band → entries
	// The last text read and its pairs (see pairsOf).
	lastText  string
	lastPairs []uint64
}

type indexEntry[K comparable] struct {
	used   bool
	id     K
	source string
	link   string
	pairs  []uint64
	bands  [bands]uint64
}

type bandKey struct {
	band int
	hash uint64
}

// NewIndex returns an Index remembering the last size mentions (at least 1).
func NewIndex[K comparable](size int) *Index[K] {
	x := &Index[K]{seed: maphash.MakeSeed(), entries: make([]indexEntry[K], max(size, 1)),
		links: map[string]int{}, buckets: map[bandKey][]int{}}
	for i := range x.hashes {
		// Odd multipliers from the seed: a cheap family of hash functions.
		x.hashes[i] = maphash.Comparable(x.seed, i) | 1
	}
	return x
}

// pairsOf returns the word pairs of t; Find and then Add of one mention read
// its text once.
func (x *Index[K]) pairsOf(t string) []uint64 {
	if t != x.lastText || x.lastPairs == nil {
		x.lastText, x.lastPairs = t, pairs(x.seed, t)
	}
	return x.lastPairs
}

// text is what of a mention is compared: its title and text.
func text(m Mention) string {
	if m.Title == "" {
		return m.Text
	}
	return m.Title + "\n" + m.Text
}

// signature returns the band hashes of a pair set (nothing when it is too
// short to be compared).
func (x *Index[K]) signature(ps []uint64) (sig [bands]uint64, ok bool) {
	if len(ps) < MinNearPairs {
		return sig, false
	}
	var mins [bands * bandRows]uint64
	for i := range mins {
		mins[i] = ^uint64(0)
	}
	for _, p := range ps {
		for i, h := range x.hashes {
			v := p * h
			v ^= v >> 29
			if v < mins[i] {
				mins[i] = v
			}
		}
	}
	for b := range sig {
		sig[b] = maphash.Comparable(x.seed, [bandRows]uint64(mins[b*bandRows:(b+1)*bandRows]))
	}
	return sig, true
}

// Find returns the id of the mention m duplicates: the one with the same
// link, else the most similar near-identical one from another source; ok is
// false when m is new.
func (x *Index[K]) Find(m Mention) (id K, ok bool) {
	if k := DedupeKey(m); k != "" {
		if i, found := x.links[k]; found {
			return x.entries[i].id, true
		}
	}
	ps := x.pairsOf(text(m))
	sig, long := x.signature(ps)
	if !long {
		return id, false
	}
	best, bestShared := -1, 0
	var seen []int // candidates are few: a slice beats a map
	for b, h := range sig {
		for _, i := range x.buckets[bandKey{b, h}] {
			e := &x.entries[i]
			if e.source == m.Source || slices.Contains(seen, i) {
				continue
			}
			seen = append(seen, i)
			if !similar(ps, e.pairs) {
				continue
			}
			if s := shared(ps, e.pairs); s > bestShared {
				best, bestShared = i, s
			}
		}
	}
	if best < 0 {
		return id, false
	}
	return x.entries[best].id, true
}

// shared counts the elements two sorted sets have in common.
func shared(a, b []uint64) int {
	n := 0
	for _, v := range a {
		if _, found := slices.BinarySearch(b, v); found {
			n++
		}
	}
	return n
}

// Add remembers m, stored as id; the oldest mention is forgotten when the
// index is full.
func (x *Index[K]) Add(id K, m Mention) {
	i := x.next
	x.next = (x.next + 1) % len(x.entries)
	x.forget(i)
	e := indexEntry[K]{used: true, id: id, source: m.Source, link: DedupeKey(m), pairs: x.pairsOf(text(m))}
	if e.link != "" {
		x.links[e.link] = i
	}
	if sig, ok := x.signature(e.pairs); ok {
		e.bands = sig
		for b, h := range sig {
			k := bandKey{b, h}
			x.buckets[k] = append(x.buckets[k], i)
		}
	} else {
		e.pairs = nil // too short to be compared, and never looked at
	}
	x.entries[i] = e
}

// forget removes entry i from the maps before it is overwritten.
func (x *Index[K]) forget(i int) {
	e := &x.entries[i]
	if !e.used {
		return
	}
	if e.link != "" && x.links[e.link] == i {
		delete(x.links, e.link)
	}
	if e.pairs != nil {
		for b, h := range e.bands {
			k := bandKey{b, h}
			list := slices.DeleteFunc(x.buckets[k], func(j int) bool { return j == i })
			if len(list) == 0 {
				delete(x.buckets, k)
			} else {
				x.buckets[k] = list
			}
		}
	}
	*e = indexEntry[K]{}
}

// Len is how many mentions the index remembers.
func (x *Index[K]) Len() int {
	n := 0
	for i := range x.entries {
		if x.entries[i].used {
			n++
		}
	}
	return n
}
