package crisis

import (
	"sort"

	"github.com/stormdesk/stormdesk/backend/textsim"
)

// Near-duplicate grouping uses MinHash signatures over each text's set of
// content words, banded for candidate pairs (16 bands of 2 rows: a pair with
// Jaccard 0.6 becomes a candidate with probability > 0.999), and confirms
// every candidate with the exact Jaccard similarity.
const (
	minhashBands = 16
	minhashRows  = 2
	// DuplicateJaccard is the word-set Jaccard similarity from which two
	// complaints count as near-duplicates.
	DuplicateJaccard = 0.6
)

// GroupNearDuplicates groups texts that say nearly the same thing, so one
// approved statement can answer a group. Every index appears in exactly one
// group; groups are ordered by size (largest first), then by first index, and
// indexes inside a group are ascending. Texts without words (empty,
// emoji-only) stay alone unless they are identical after trimming.
func GroupNearDuplicates(texts []string) [][]int {
	n := len(texts)
	sets := make([][]uint64, n)
	sigs := make([][minhashBands * minhashRows]uint64, n)
	for i, t := range texts {
		sets[i] = wordSet(t)
		sigs[i] = signature(sets[i])
	}
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	union := func(a, b int) {
		ra, rb := find(a), find(b)
		if ra != rb {
			if ra < rb {
				parent[rb] = ra
			} else {
				parent[ra] = rb
			}
		}
	}
	empties := map[string]int{}
	for b := 0; b < minhashBands; b++ {
		buckets := map[[minhashRows]uint64][]int{}
		for i := range texts {
			if len(sets[i]) == 0 {
				continue
			}
			var k [minhashRows]uint64
			copy(k[:], sigs[i][b*minhashRows:(b+1)*minhashRows])
			buckets[k] = append(buckets[k], i)
		}
		for _, ids := range buckets {
			for x := 0; x < len(ids); x++ {
				for y := x + 1; y < len(ids); y++ {
					if find(ids[x]) != find(ids[y]) && textsim.Jaccard(sets[ids[x]], sets[ids[y]]) >= DuplicateJaccard {
						union(ids[x], ids[y])
					}
				}
			}
		}
	}
	for i, t := range texts {
		if len(sets[i]) > 0 {
			continue
		}
		k := trimSpace(t)
		if k == "" {
			continue
		}
		if j, ok := empties[k]; ok {
			union(j, i)
		} else {
			empties[k] = i
		}
	}
	groups := map[int][]int{}
	for i := range texts {
		r := find(i)
		groups[r] = append(groups[r], i)
	}
	out := make([][]int, 0, len(groups))
	for _, g := range groups {
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) > len(out[j])
		}
		return out[i][0] < out[j][0]
	})
	return out
}

func trimSpace(s string) string {
	start, end := 0, len(s)
	for start < end && (s[start] == ' ' || s[start] == '\t' || s[start] == '\n' || s[start] == '\r') {
		start++
	}
	for end > start && (s[end-1] == ' ' || s[end-1] == '\t' || s[end-1] == '\n' || s[end-1] == '\r') {
		end--
	}
	return s[start:end]
}

// wordSet hashes a text's content words into a sorted set; short texts keep
// their stopwords too, since "where is my bag" has almost no content words.
func wordSet(text string) []uint64 {
	set, _ := appendWordSet(nil, text, nil)
	return set
}

// mix is the SplitMix64 finaliser: a cheap family of hash functions by seed.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

func signature(set []uint64) [minhashBands * minhashRows]uint64 {
	var sig [minhashBands * minhashRows]uint64
	minhash(set, sig[:])
	return sig
}

// minhash fills sig with the set's MinHash values, one per seeded hash.
func minhash(set []uint64, sig []uint64) {
	for i := range sig {
		sig[i] = ^uint64(0)
	}
	for _, h := range set {
		for i := range sig {
			if v := mix(h ^ (uint64(i+1) * 0x9e3779b97f4a7c15)); v < sig[i] {
				sig[i] = v
			}
		}
	}
}
