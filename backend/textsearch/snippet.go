package textsearch

import (
	"slices"
	"strings"
)

// Marks are what Snippet puts around matched words and cut ends.
type Marks struct {
	Start, End string // around a match
	Ellipsis   string // where the text was cut
}

// Snippet returns up to maxWords words of text (a message in lang), around
// where q matches it most, with each match wrapped in marks.Start and
// marks.End, and the number of matched words. It highlights what the index
// matched: any form of a Word, the exact words of a Phrase, the start of a
// Prefix. Text without a match gives its first words and 0.
func (a *Analyzer) Snippet(q Query, lang, text string, maxWords int, marks Marks) (string, int) {
	spans := Words(text)
	n := len(spans)
	if n == 0 {
		return text, 0
	}
	folded := make([]string, n)
	keys := make([]string, n)
	for i, sp := range spans {
		folded[i] = Fold(text[sp.Start:sp.End])
		keys[i] = matchKey(folded[i])
	}

	// Matches as word ranges [from, to).
	type match struct{ from, to int }
	var ms []match
	for _, g := range q.Groups {
		for _, t := range g {
			switch t.Kind {
			case Word:
				// A stem starts with its word's first letter: only words
				// starting like a stem are worth stemming.
				var firsts []rune
				for _, st := range t.Stems {
					firsts = append(firsts, firstRune(matchKey(st[len(tagWord):])))
				}
				for i := range n {
					if !slices.Contains(firsts, firstRune(keys[i])) {
						continue
					}
					if slices.ContainsFunc(a.Stems(lang, folded[i]), func(s string) bool { return slices.Contains(t.Stems, s) }) {
						ms = append(ms, match{i, i + 1})
					}
				}
			case Phrase, Prefix:
				want := make([]string, len(t.Words))
				for j, w := range t.Words {
					want[j] = matchKey(w)
				}
				last := len(want) - 1
				for i := 0; i+last < n; i++ {
					ok := slices.Equal(keys[i:i+last], want[:last])
					if t.Kind == Prefix {
						ok = ok && strings.HasPrefix(keys[i+last], want[last])
					} else {
						ok = ok && keys[i+last] == want[last]
					}
					if ok {
						ms = append(ms, match{i, i + last + 1})
					}
				}
			}
		}
	}
	slices.SortFunc(ms, func(x, y match) int { return x.from - y.from })
	// Overlapping matches (a word that is also inside a phrase) become one.
	merged := ms[:0]
	for _, m := range ms {
		if k := len(merged) - 1; k >= 0 && m.from < merged[k].to {
			merged[k].to = max(merged[k].to, m.to)
			continue
		}
		merged = append(merged, m)
	}
	covered := make([]bool, n)
	count := 0
	for _, m := range merged {
		for i := m.from; i < m.to; i++ {
			covered[i] = true
			count++
		}
	}

	from, to := window(covered, maxWords)
	var b strings.Builder
	if from > 0 {
		b.WriteString(marks.Ellipsis)
	}
	pos := spans[from].Start
	for _, m := range merged {
		if m.to <= from || m.from >= to {
			continue
		}
		s, e := spans[max(m.from, from)].Start, spans[min(m.to, to)-1].End
		b.WriteString(text[pos:s])
		b.WriteString(marks.Start)
		b.WriteString(text[s:e])
		b.WriteString(marks.End)
		pos = e
	}
	b.WriteString(text[pos:spans[to-1].End])
	if to < n {
		b.WriteString(marks.Ellipsis)
	}
	return b.String(), count
}

// window picks maxWords consecutive words holding the most covered ones; of
// equally good windows (one match far from both ends has many), the middle
// one, so a match stands in its context rather than at a cut.
func window(covered []bool, maxWords int) (from, to int) {
	n := len(covered)
	if maxWords <= 0 || n <= maxWords {
		return 0, n
	}
	cnt := 0
	for i := range maxWords {
		if covered[i] {
			cnt++
		}
	}
	best, lo, hi := cnt, 0, 0
	for s := 1; s+maxWords <= n; s++ {
		if covered[s-1] {
			cnt--
		}
		if covered[s+maxWords-1] {
			cnt++
		}
		switch {
		case cnt > best:
			best, lo, hi = cnt, s, s
		case cnt == best && hi == s-1:
			hi = s
		}
	}
	if best == 0 {
		return 0, maxWords
	}
	from = (lo + hi) / 2
	return from, from + maxWords
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}
