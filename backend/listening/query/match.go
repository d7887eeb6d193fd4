package query

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/sentiment"
	"github.com/stormdesk/stormdesk/backend/textsearch"
)

// How words are compared. A word of a query and a word of a post are read in
// their forms: folded (textsearch.Fold: lower case, ё as е), without the
// diacritics of Latin letters (as the search index reads words), and with
// German umlauts written out (ä as ae, ß as ss), since Germans type
// "Verspaetung" where they have no umlauts. Each form is stemmed with
// textsearch's stemmers: a post's Latin words with the stemmer of the
// language its source gives (both English and German when it gives none, or
// another one, as search stems a message of unknown language), a query's
// with both, as search stems a query. The language is not detected for
// stemming: detecting it would cost more than all the rest of matching, and
// both stems only ever find more. A word matches when a form of
// it and a form of the post's word share a stem of the same stemmer; a phrase
// or prefix compares the forms themselves.
//
// Matching never looks at a post's words one by one against every topic:
// a Set collects the keys (stems, forms, prefixes) its topics ask about, and
// a post is read once into the set of those keys it holds.

// Key prefixes, apart from textsearch's tagged stems (a letter tag first).
const (
	keyForm   = "="
	keyPrefix = "*"
)

func isWordRune(r rune) bool { return textsearch.IsWordRune(r) }

// foldedWords returns the folded words of s, as the search tokenizer splits them.
func foldedWords(s string) []string {
	var out []string
	for _, sp := range textsearch.Words(s) {
		out = append(out, textsearch.Fold(s[sp.Start:sp.End]))
	}
	return out
}

// umlauts writes German umlauts out, as people without them type.
var umlauts = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss")

// forms returns the forms of a folded word: without Latin diacritics, and
// with umlauts written out (one form when they are the same).
func forms(folded string) []string {
	plain := true
	for _, r := range folded {
		if r > unicode.MaxASCII && unicode.Is(unicode.Latin, r) {
			plain = false
			break
		}
	}
	if plain {
		return []string{folded}
	}
	stripped := textsearch.StripLatinMarks(folded)
	expanded := textsearch.StripLatinMarks(umlauts.Replace(folded))
	if expanded == stripped {
		return []string{stripped}
	}
	return []string{stripped, expanded}
}

// wordKeys returns the keys of one folded word in lang: its forms (keyForm)
// and the tagged stems of the word and of its forms.
func wordKeys(a *textsearch.Analyzer, lang, folded string) []string {
	fs := forms(folded)
	var out []string
	add := func(k string) {
		for _, o := range out {
			if o == k {
				return
			}
		}
		out = append(out, k)
	}
	for _, f := range fs {
		add(keyForm + f)
	}
	for _, st := range a.Stems(lang, folded) {
		add(st)
	}
	for _, f := range fs {
		if f != folded {
			for _, st := range a.Stems(lang, f) {
				add(st)
			}
		}
	}
	return out
}

// Set matches posts against many queries at once, reading each post once.
// It is not safe for concurrent use: make one per goroutine.
type Set struct {
	roots []*cnode
	an    *textsearch.Analyzer
	keys  map[string]uint32 // every key a query asks about, by id
	// prefixes are the prefix keys' forms, with their ids.
	prefixes []prefixKey
	phrases  bool // some query has a phrase: keep the post's word order

	// cache holds, per language class (langClasses) and word as written,
	// the ids of the keys it has.
	cache    [len(langClasses)]map[string][]uint32
	maxCache int
	// Per post: stamp[id] == gen when the post has key id; seq is the post's
	// words' ids in order when a query has a phrase (nil between parts).
	stamp []uint32
	gen   uint32
	seq   [][]uint32
	// The post's language and source; lang is detected (Lang) only when a
	// lang: filter asks.
	doc       Doc
	lang      string
	langKnown bool
	source    string
}

type prefixKey struct {
	form string
	id   uint32
}

// langClasses are the languages a word may be stemmed in: only Latin words
// depend on the post's language, and only English and German stem them
// differently.
var langClasses = [...]string{textsearch.LangUnknown, textsearch.LangEnglish, textsearch.LangGerman}

// maxCache bounds a Set's word cache (per language class); it starts over
// when full.
const maxCache = 100_000

// cnode is a query node compiled against a Set's keys.
type cnode struct {
	kind  kind
	kids  []*cnode
	any   []uint32   // kWord: the word's key ids (any of them); kPrefix: its prefix ids
	seq   [][]uint32 // kPhrase: per word, its form ids
	value string     // kLang, kSource
}

// detects reports whether evaluating c may detect the post's language, as
// 0 or 1 for sorting.
func (c *cnode) detects() int {
	if c.kind == kLang {
		return 1
	}
	for _, k := range c.kids {
		if k.detects() == 1 {
			return 1
		}
	}
	return 0
}

// NewSet returns a Set of queries; Match reports matches by their index.
func NewSet(queries ...*Query) *Set {
	s := &Set{an: textsearch.NewAnalyzer(), keys: map[string]uint32{}, maxCache: maxCache}
	for i := range s.cache {
		s.cache[i] = map[string][]uint32{}
	}
	for _, q := range queries {
		s.roots = append(s.roots, s.compile(q.root))
	}
	s.stamp = make([]uint32, len(s.keys))
	return s
}

func (s *Set) id(key string) uint32 {
	if id, ok := s.keys[key]; ok {
		return id
	}
	id := uint32(len(s.keys))
	s.keys[key] = id
	return id
}

func (s *Set) compile(n *node) *cnode {
	c := &cnode{kind: n.kind, value: n.value}
	switch n.kind {
	case kAnd, kOr, kNot:
		for _, k := range n.kids {
			c.kids = append(c.kids, s.compile(k))
		}
		// AND and OR stop at the first kid that decides; a lang: filter
		// may have to detect the post's language, which costs more than
		// the rest of matching, so it comes last: most posts are decided by
		// their words before.
		slices.SortStableFunc(c.kids, func(a, b *cnode) int { return cmp.Compare(a.detects(), b.detects()) })
	case kWord:
		for _, k := range wordKeys(s.an, textsearch.LangUnknown, n.words[0]) {
			c.any = append(c.any, s.id(k))
		}
	case kPhrase:
		s.phrases = true
		for _, w := range n.words {
			var ids []uint32
			for _, f := range forms(w) {
				ids = append(ids, s.id(keyForm+f))
			}
			c.seq = append(c.seq, ids)
		}
	case kPrefix:
		for _, f := range forms(n.words[0]) {
			id := s.id(keyPrefix + f)
			c.any = append(c.any, id)
			s.prefixes = append(s.prefixes, prefixKey{f, id})
		}
	}
	return c
}

// Match returns the indexes (into NewSet's queries) of the queries d matches,
// in order; nil when none.
func (s *Set) Match(d Doc) []int {
	return s.AppendMatches(nil, d)
}

// AppendMatches is Match appending to dst, for a caller that reuses it.
func (s *Set) AppendMatches(dst []int, d Doc) []int {
	s.read(d)
	for i, r := range s.roots {
		if s.eval(r) {
			dst = append(dst, i)
		}
	}
	return dst
}

// Lang is the language Match takes d to be in: its own (lower case, without
// a region: "en-US" is "en"), else the one detected from its title and text
// ("" when unknown).
func Lang(d Doc) string {
	if d.Lang != "" {
		l := strings.ToLower(d.Lang)
		if i := strings.IndexAny(l, "-_"); i >= 0 {
			l = l[:i]
		}
		return l
	}
	l := textsearch.DetectLang(d.Title, d.Text)
	if l == textsearch.LangUnknown {
		// textsearch leaves text without Latin letters unknown (its stems
		// do not depend on it); lang:ru needs to know it is Russian.
		l = sentiment.DetectLang(d.Title + "\n" + d.Text)
	}
	return l
}

// read takes in a post: stamps the keys it holds and, when needed, keeps the
// order of its words.
func (s *Set) read(d Doc) {
	s.doc, s.lang, s.langKnown = d, "", false
	if d.Lang != "" {
		s.lang, s.langKnown = Lang(d), true
	}
	s.source = strings.ToLower(d.Source)
	s.gen++
	if s.gen == 0 { // wrapped: old stamps could read as current
		clear(s.stamp)
		s.gen = 1
	}
	s.seq = s.seq[:0]
	stemLang := s.lang
	if stemLang != textsearch.LangEnglish && stemLang != textsearch.LangGerman {
		stemLang = textsearch.LangUnknown
	}
	for part, text := range [2]string{d.Title, d.Text} {
		if part > 0 && s.phrases {
			s.seq = append(s.seq, nil) // a phrase does not run from title into text
		}
		eachWord(text, func(w string) { s.word(stemLang, w) })
	}
}

// eachWord calls fn with every word of text as textsearch.Words splits it,
// without building the list and reading ASCII bytes without decoding: this
// loop is most of what matching a post costs.
func eachWord(text string, fn func(string)) {
	start := -1
	for i := 0; i < len(text); {
		c := text[i]
		word, size := false, 1
		if c < utf8.RuneSelf {
			word = 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9'
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			word = isWordRune(r)
		}
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			fn(text[start:i])
			start = -1
		}
		i += size
	}
	if start >= 0 {
		fn(text[start:])
	}
}

// word takes in one word of a post as written.
func (s *Set) word(lang, raw string) {
	ids := s.wordIDs(lang, raw)
	for _, id := range ids {
		s.stamp[id] = s.gen
	}
	if s.phrases {
		s.seq = append(s.seq, ids)
	}
}

// wordIDs returns the ids of the keys the word has, cached: posts repeat a
// few thousand words.
func (s *Set) wordIDs(lang, raw string) []uint32 {
	class := 0
	if lang != textsearch.LangUnknown && textsearch.HasLatin(raw) {
		class = slices.Index(langClasses[:], lang)
	} else {
		lang = textsearch.LangUnknown
	}
	cache := s.cache[class]
	if ids, ok := cache[raw]; ok {
		return ids
	}
	folded := textsearch.Fold(raw)
	var ids []uint32
	for _, k := range wordKeys(s.an, lang, folded) {
		if id, ok := s.keys[k]; ok {
			ids = append(ids, id)
		}
	}
	if len(s.prefixes) > 0 {
		fs := forms(folded)
		for _, p := range s.prefixes {
			for _, f := range fs {
				if strings.HasPrefix(f, p.form) {
					ids = append(ids, p.id)
					break
				}
			}
		}
	}
	if len(cache) >= s.maxCache {
		clear(cache)
	}
	cache[strings.Clone(raw)] = ids
	return ids
}

func (s *Set) has(ids []uint32) bool {
	for _, id := range ids {
		if s.stamp[id] == s.gen {
			return true
		}
	}
	return false
}

// docLang is the post's language, detected once when asked.
func (s *Set) docLang() string {
	if !s.langKnown {
		s.lang, s.langKnown = Lang(s.doc), true
	}
	return s.lang
}

func (s *Set) eval(c *cnode) bool {
	switch c.kind {
	case kAnd:
		for _, k := range c.kids {
			if !s.eval(k) {
				return false
			}
		}
		return true
	case kOr:
		for _, k := range c.kids {
			if s.eval(k) {
				return true
			}
		}
		return false
	case kNot:
		return !s.eval(c.kids[0])
	case kWord, kPrefix:
		return s.has(c.any)
	case kPhrase:
		return s.phrase(c.seq)
	case kLang:
		return s.docLang() == c.value
	case kSource:
		return s.source == c.value
	}
	return false
}

// phrase reports whether the post has the phrase's words in a row.
func (s *Set) phrase(words [][]uint32) bool {
	for _, w := range words {
		if !s.has(w) {
			return false // a word of it is nowhere in the post
		}
	}
	for i := 0; i+len(words) <= len(s.seq); i++ {
		ok := true
		for j, w := range words {
			if !shares(s.seq[i+j], w) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func shares(a, b []uint32) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// setPool keeps one-query Sets for Query.Match. Not a sync.Pool: that one
// is emptied at every garbage collection, and a new Set starts with a cold
// word cache, which makes Match several times slower.
type setPool struct {
	mu   sync.Mutex
	free []*Set
}

// maxFree bounds the Sets a query keeps for concurrent Match calls.
const maxFree = 4

// queryCache bounds a one-query Set's word cache: a caller may hold many
// queries, and one query asks about few words.
const queryCache = 10_000

// Match reports whether d matches the query. It is safe for concurrent use;
// to match many posts against many queries, a Set reads each post once.
func (q *Query) Match(d Doc) bool {
	p := &q.pool
	p.mu.Lock()
	var s *Set
	if n := len(p.free); n > 0 {
		s, p.free = p.free[n-1], p.free[:n-1]
	}
	p.mu.Unlock()
	if s == nil {
		s = NewSet(q)
		s.maxCache = queryCache
	}
	s.read(d)
	ok := s.eval(s.roots[0])
	p.mu.Lock()
	if len(p.free) < maxFree {
		p.free = append(p.free, s)
	}
	p.mu.Unlock()
	return ok
}
