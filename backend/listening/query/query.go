// Package query reads a listening topic's query and matches posts against it
// locally, so every source gets the same semantics whatever its own search
// understands.
//
// The syntax is the listening tools' one:
//
//	stormdesk OR "storm desk" -job lang:en
//	(delay OR задержка OR Verspätung) AND source:reddit
//	stormdesk NOT (careers OR vacancy)
//
// Words are ANDed when nothing stands between them (AND may be written);
// OR between two terms matches either, and AND binds tighter than OR (a b OR
// c is (a AND b) OR c); parentheses group; NOT or a leading - excludes the
// term or group after it. A word matches any form of it, with the stemming
// and folding of the inbox search (backend/textsearch): "delays" finds
// "delay", "Задержки" finds "задержка", "Verspätung" finds "verspatung" and
// "verspaetung". "A phrase" matches those words in a row, as written (case,
// ё/е and diacritics aside, ä = ae), not stemmed; a word the tokenizer splits
// (e-mail, stormdesk.com) is such a phrase too. A trailing * makes a word a
// prefix (deliv* finds delivery). lang:xx (ISO 639-1) and source:name
// (mastodon, bluesky, reddit, hn, youtube, vk, rss) keep posts of that
// language or source.
//
// AND, OR and NOT are operators only in capitals; "and" is a word. Every
// query must look for something: one that only excludes or only filters
// (-job, lang:ru) is refused, since no source can search for it.
package query

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Error codes of Parse, part of the contract with the frontend's dictionaries
// (listening.query.<code>): a code is never renamed, only added.
const (
	CodeEmptyQuery       = "empty-query"       // nothing to look for at all
	CodeUnbalancedParen  = "unbalanced-paren"  // a ( without ) or a ) without (
	CodeEmptyGroup       = "empty-group"       // () with nothing inside
	CodeUnclosedQuote    = "unclosed-quote"    // a " without its closing "
	CodeDanglingOperator = "dangling-operator" // AND, OR or NOT without a term on a side; Param is the operator
	CodeUnknownField     = "unknown-field"     // name:value with a name other than lang or source; Param is the name
	CodeMissingValue     = "missing-value"     // lang: or source: with nothing after it; Param is the field
	CodeUnknownLang      = "unknown-lang"      // lang:xx where xx is no ISO 639-1 code; Param is xx
	CodeUnknownSource    = "unknown-source"    // source:x where x is no listening source; Param is x
	CodeOnlyNegative     = "only-negative"     // a query (or an OR branch) that only excludes or filters
	CodeTooLong          = "too-long"          // longer than MaxLen characters; Param is MaxLen
)

// Codes lists every error code, for the frontend's translation check.
func Codes() []string {
	return []string{
		CodeEmptyQuery, CodeUnbalancedParen, CodeEmptyGroup, CodeUnclosedQuote, CodeDanglingOperator,
		CodeUnknownField, CodeMissingValue, CodeUnknownLang, CodeUnknownSource, CodeOnlyNegative, CodeTooLong,
	}
}

// MaxLen bounds a query's length in characters (runes).
const MaxLen = 2000

// Error is why Parse refused a query: Code (one of the Code* constants) and
// where, as character (rune) offsets [Pos, End) into the query, so the editor
// can mark the place; Param is the offending name or value where the code has
// one.
type Error struct {
	Code     string
	Pos, End int
	Param    string
}

func (e *Error) Error() string {
	if e.Param != "" {
		return fmt.Sprintf("query: %s %q at %d-%d", e.Code, e.Param, e.Pos, e.End)
	}
	return fmt.Sprintf("query: %s at %d-%d", e.Code, e.Pos, e.End)
}

// Sources are the names source: accepts: the listening.Source* names (a test
// in backend/listening keeps the two lists equal; this package cannot import
// listening, which the poller that imports this package lives in).
var sources = []string{"mastodon", "bluesky", "reddit", "hn", "youtube", "vk", "rss"}

// sourceAliases are other names people write for a source.
var sourceAliases = map[string]string{"hackernews": "hn", "bsky": "bluesky"}

// Sources returns the names source: accepts.
func Sources() []string { return slices.Clone(sources) }

// Doc is a post to match: its text, its title (a thread, video or entry
// title; "" when none), its language as the source reported it ("" unknown:
// then it is detected from the text) and its source's name.
type Doc struct {
	Text, Title, Lang, Source string
}

// Query is a parsed topic query. It is immutable, and Match is safe for
// concurrent use.
type Query struct {
	root *node
	// pool holds one-query Sets for Match (a Set is not safe for concurrent use).
	pool setPool
}

type kind int

const (
	kAnd kind = iota
	kOr
	kNot
	kWord   // any form of one word
	kPhrase // words in a row, as written
	kPrefix // a word starting with the text
	kLang
	kSource
)

type node struct {
	kind kind
	kids []*node
	// raw is a term as written (a word, a prefix with its *, a phrase's
	// inside without the quotes); value is a field's normalized value.
	raw   string
	words []string // kWord, kPhrase, kPrefix: the folded words
	value string
	pos   int // first character of the node in the query
	end   int // one past its last character
}

// Parse reads a topic query. The error is always an *Error.
func Parse(s string) (*Query, error) {
	rs := []rune(strings.ToValidUTF8(s, "\uFFFD"))
	if len(rs) > MaxLen {
		return nil, &Error{Code: CodeTooLong, Pos: MaxLen, End: len(rs), Param: fmt.Sprint(MaxLen)}
	}
	toks, err := tokenize(rs)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, &Error{Code: CodeEmptyQuery, Pos: 0, End: len(rs)}
	}
	p := &parser{toks: toks}
	root, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t != nil {
		// or() stops only at the end or at a ) it has no ( for.
		return nil, &Error{Code: CodeUnbalancedParen, Pos: t.pos, End: t.end}
	}
	if bad := nonPositive(root); bad != nil {
		return nil, &Error{Code: CodeOnlyNegative, Pos: bad.pos, End: bad.end}
	}
	return &Query{root: root}, nil
}

// token kinds.
type tokKind int

const (
	tTerm tokKind = iota // a word, phrase, prefix or field (node holds it)
	tAnd
	tOr
	tNot
	tOpen
	tClose
)

type token struct {
	kind     tokKind
	neg      bool  // a term or ( written with a leading -
	node     *node // tTerm
	pos, end int
}

var operators = map[string]tokKind{"AND": tAnd, "OR": tOr, "NOT": tNot}

func isSpace(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }

// tokenize splits the query into operators, parentheses and terms. A token
// without any word character (a lone -, "&&", emoji) is dropped, as search
// drops it.
func tokenize(rs []rune) ([]token, error) {
	var toks []token
	for i := 0; i < len(rs); {
		r := rs[i]
		if isSpace(r) {
			i++
			continue
		}
		start := i
		neg := false
		if r == '-' && i+1 < len(rs) && !isSpace(rs[i+1]) && rs[i+1] != '-' && rs[i+1] != ')' {
			neg = true
			i++
			r = rs[i]
		}
		switch {
		case r == '(':
			toks = append(toks, token{kind: tOpen, neg: neg, pos: start, end: i + 1})
			i++
		case r == ')':
			toks = append(toks, token{kind: tClose, pos: start, end: i + 1})
			i++
		case r == '"':
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			if j == len(rs) {
				return nil, &Error{Code: CodeUnclosedQuote, Pos: i, End: len(rs)}
			}
			raw := string(rs[i+1 : j])
			i = j + 1
			if ws := foldedWords(raw); len(ws) > 0 {
				toks = append(toks, token{kind: tTerm, neg: neg, pos: start, end: i,
					node: &node{kind: kPhrase, raw: raw, words: ws, pos: start, end: i}})
			}
		default:
			j := i
			for j < len(rs) && !isSpace(rs[j]) && rs[j] != '(' && rs[j] != ')' && rs[j] != '"' {
				j++
			}
			word := string(rs[i:j])
			i = j
			if !neg {
				if k, ok := operators[word]; ok {
					toks = append(toks, token{kind: k, pos: start, end: i})
					continue
				}
			}
			n, err := term(word, start, i)
			if err != nil {
				return nil, err
			}
			if n != nil {
				toks = append(toks, token{kind: tTerm, neg: neg, pos: start, end: i, node: n})
			}
		}
	}
	return toks, nil
}

// term reads one unquoted token: a field (name:value), a prefix (word*), a
// word, or a phrase when the tokenizer splits it; nil when it holds no word.
// pos and end span the token with its leading - if any.
func term(word string, pos, end int) (*node, error) {
	if name, value, ok := fieldParts(word); ok {
		namePos := end - len([]rune(word))
		switch strings.ToLower(name) {
		case "lang":
			v := strings.ToLower(value)
			switch {
			case v == "":
				return nil, &Error{Code: CodeMissingValue, Pos: namePos, End: end, Param: "lang"}
			case !isLang(v):
				return nil, &Error{Code: CodeUnknownLang, Pos: namePos + len([]rune(name)) + 1, End: end, Param: value}
			}
			return &node{kind: kLang, value: v, pos: pos, end: end}, nil
		case "source":
			v := strings.ToLower(value)
			if a, ok := sourceAliases[v]; ok {
				v = a
			}
			switch {
			case v == "":
				return nil, &Error{Code: CodeMissingValue, Pos: namePos, End: end, Param: "source"}
			case !slices.Contains(sources, v):
				return nil, &Error{Code: CodeUnknownSource, Pos: namePos + len([]rune(name)) + 1, End: end, Param: value}
			}
			return &node{kind: kSource, value: v, pos: pos, end: end}, nil
		default:
			return nil, &Error{Code: CodeUnknownField, Pos: namePos, End: namePos + len([]rune(name)), Param: name}
		}
	}
	// Leading -s are not part of the word (--x is the word x); dropping them
	// keeps String's -x unambiguous.
	word = strings.TrimLeft(word, "-")
	k := kWord
	if strings.HasSuffix(word, "*") {
		k = kPrefix
	}
	ws := foldedWords(strings.TrimRight(word, "*"))
	switch {
	case len(ws) == 0:
		return nil, nil
	case len(ws) > 1:
		k = kPhrase // e-mail: its words in a row, as search reads it
	}
	return &node{kind: k, raw: word, words: ws, pos: pos, end: end}, nil
}

// fieldParts splits a token read as a field, name:value (a name of letters,
// a value that does not begin a URL's path as in http://...).
func fieldParts(word string) (name, value string, ok bool) {
	name, value, ok = strings.Cut(word, ":")
	return name, value, ok && name != "" && isLetters(name) && !strings.HasPrefix(value, "/")
}

func isLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

type parser struct {
	toks []token
	i    int
}

func (p *parser) peek() *token {
	if p.i < len(p.toks) {
		return &p.toks[p.i]
	}
	return nil
}

// startsTerm reports whether t can begin an operand.
func startsTerm(t *token) bool {
	return t != nil && (t.kind == tTerm || t.kind == tOpen || t.kind == tNot)
}

func dangling(t *token) error {
	op := map[tokKind]string{tAnd: "AND", tOr: "OR", tNot: "NOT"}[t.kind]
	return &Error{Code: CodeDanglingOperator, Pos: t.pos, End: t.end, Param: op}
}

// or := and (OR and)*
func (p *parser) or() (*node, error) {
	first, err := p.and()
	if err != nil {
		return nil, err
	}
	kids := []*node{first}
	for t := p.peek(); t != nil && t.kind == tOr; t = p.peek() {
		p.i++
		if !startsTerm(p.peek()) {
			return nil, dangling(t)
		}
		n, err := p.and()
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	return group(kOr, kids), nil
}

// and := unary ([AND] unary)*
func (p *parser) and() (*node, error) {
	t := p.peek()
	if t == nil {
		return nil, nil // callers check startsTerm first, and Parse has tokens
	}
	if t.kind == tAnd || t.kind == tOr {
		return nil, dangling(t)
	}
	first, err := p.unary()
	if err != nil {
		return nil, err
	}
	kids := []*node{first}
	for {
		t := p.peek()
		if t != nil && t.kind == tAnd {
			p.i++
			if !startsTerm(p.peek()) {
				return nil, dangling(t)
			}
		} else if !startsTerm(t) {
			break
		}
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	return group(kAnd, kids), nil
}

// unary := NOT unary | [-] ( or ) | [-] term
func (p *parser) unary() (*node, error) {
	t := p.peek()
	switch {
	case t == nil:
		return nil, nil
	case t.kind == tAnd || t.kind == tOr:
		return nil, dangling(t)
	case t.kind == tClose:
		return nil, &Error{Code: CodeUnbalancedParen, Pos: t.pos, End: t.end}
	}
	p.i++
	var n *node
	switch t.kind {
	case tNot:
		if !startsTerm(p.peek()) {
			return nil, dangling(t)
		}
		inner, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &node{kind: kNot, kids: []*node{inner}, pos: t.pos, end: inner.end}, nil
	case tOpen:
		c := p.peek()
		if c == nil {
			return nil, &Error{Code: CodeUnbalancedParen, Pos: t.end - 1, End: t.end}
		}
		if c.kind == tClose {
			return nil, &Error{Code: CodeEmptyGroup, Pos: t.pos, End: c.end}
		}
		inner, err := p.or()
		if err != nil {
			return nil, err
		}
		c = p.peek()
		if c == nil || c.kind != tClose {
			return nil, &Error{Code: CodeUnbalancedParen, Pos: t.end - 1, End: t.end}
		}
		p.i++
		// The group spans its parentheses, so errors about it mark them too.
		n = inner
		if !t.neg {
			return withSpan(n, t.pos, c.end), nil
		}
		return &node{kind: kNot, kids: []*node{n}, pos: t.pos, end: c.end}, nil
	default: // tTerm
		n = t.node
	}
	if t.neg {
		return &node{kind: kNot, kids: []*node{n}, pos: t.pos, end: t.end}, nil
	}
	return n, nil
}

// withSpan returns n spanning [pos, end); a parenthesized group is the same
// node, marked with its parentheses.
func withSpan(n *node, pos, end int) *node {
	c := *n
	c.pos, c.end = pos, end
	return &c
}

// group makes an AND or OR of kids; a single kid is itself.
func group(k kind, kids []*node) *node {
	if len(kids) == 1 {
		return kids[0]
	}
	return &node{kind: k, kids: kids, pos: kids[0].pos, end: kids[len(kids)-1].end}
}

// positive reports whether every match of n needs a word, phrase or prefix
// to be present: a source can search for it. NOT NOT a is a.
func positive(n *node) bool { return needsTerm(n, false) }

// needsTerm reports whether every post that matches n (every post that does
// not, when negated) holds a word, phrase or prefix of n.
func needsTerm(n *node, negated bool) bool {
	switch n.kind {
	case kWord, kPhrase, kPrefix:
		return !negated // a post without the word holds nothing in particular
	case kNot:
		return needsTerm(n.kids[0], !negated)
	case kAnd, kOr:
		// A match of an AND (a miss of an OR) passes every kid: one kid
		// that needs a term is enough; otherwise every kid must need one.
		all := (n.kind == kAnd) == negated
		for _, k := range n.kids {
			if needsTerm(k, negated) != all {
				return !all
			}
		}
		return all
	}
	return false // lang:, source:
}

// nonPositive returns the part of n to blame when n is not positive: the
// first OR branch that is not, else n itself; nil when n is positive.
func nonPositive(n *node) *node {
	if positive(n) {
		return nil
	}
	if n.kind == kOr {
		for _, k := range n.kids {
			if !positive(k) {
				return nonPositive(k)
			}
		}
	}
	return n
}

// String is the query in canonical form: Parse(q.String()) is the same query.
func (q *Query) String() string {
	var b strings.Builder
	write(&b, q.root)
	return b.String()
}

func write(b *strings.Builder, n *node) {
	switch n.kind {
	case kWord, kPrefix:
		_, op := operators[n.raw]
		if _, _, field := fieldParts(n.raw); op || field {
			// --AND is the word "and", not the operator; --a:b the words
			// of "a:b", not a field: written as its folded word.
			b.WriteString(n.words[0])
			if n.kind == kPrefix {
				b.WriteString("*")
			}
			return
		}
		b.WriteString(n.raw)
	case kPhrase:
		b.WriteString(`"` + n.raw + `"`)
	case kLang:
		b.WriteString("lang:" + n.value)
	case kSource:
		b.WriteString("source:" + n.value)
	case kNot:
		if n.kids[0].kind == kNot {
			b.WriteString("NOT ") // --x is the word x
		} else {
			b.WriteString("-")
		}
		writeKid(b, n, n.kids[0])
	case kAnd, kOr:
		sep := " "
		if n.kind == kOr {
			sep = " OR "
		}
		for i, k := range n.kids {
			if i > 0 {
				b.WriteString(sep)
			}
			writeKid(b, n, k)
		}
	}
}

// writeKid writes a group inside another node in parentheses, except an AND
// inside an OR (AND binds tighter).
func writeKid(b *strings.Builder, parent, k *node) {
	if (k.kind == kAnd || k.kind == kOr) && (parent.kind != kOr || k.kind != kAnd) {
		b.WriteString("(")
		write(b, k)
		b.WriteString(")")
		return
	}
	write(b, k)
}

// Terms returns the positive words and phrases of the query (those not under
// an odd number of NOTs), for a source's own search: words as written, a
// phrase's words joined by single spaces, a prefix without its * (punctuation
// around words dropped: #stormdesk is stormdesk); in order,
// each once (case aside). Any of them may be what a post has: a source ORs
// them.
func (q *Query) Terms() []string {
	var out []string
	seen := map[string]bool{}
	var walk func(n *node, neg bool)
	walk = func(n *node, neg bool) {
		switch n.kind {
		case kNot:
			walk(n.kids[0], !neg)
		case kAnd, kOr:
			for _, k := range n.kids {
				walk(k, neg)
			}
		case kWord, kPhrase, kPrefix:
			if neg {
				return
			}
			t := strings.Join(strings.FieldsFunc(n.raw, func(r rune) bool { return !isWordRune(r) }), " ")
			if k := strings.ToLower(t); !seen[k] {
				seen[k] = true
				out = append(out, t)
			}
		}
	}
	walk(q.root, false)
	return out
}

// Langs returns the languages every match is in (lang: filters the query
// requires); empty when any language matches.
func (q *Query) Langs() []string { return restriction(q.root, kLang) }

// Sources returns the sources every match comes from (source: filters the
// query requires); empty when any source matches.
func (q *Query) Sources() []string { return restriction(q.root, kSource) }

// restriction returns the values of field k that every match of the query
// must have, or nil when it is not restricted. lang:ru lang:de restricts to
// no language at all: the query matches nothing, and nil (any) is returned,
// since the caller cannot do better with an empty list.
func restriction(root *node, k kind) []string {
	var vals func(n *node) ([]string, bool)
	vals = func(n *node) ([]string, bool) {
		switch n.kind {
		case k:
			return []string{n.value}, true
		case kAnd:
			var out []string
			restricted := false
			for _, c := range n.kids {
				v, ok := vals(c)
				if !ok {
					continue
				}
				if !restricted {
					out, restricted = v, true
					continue
				}
				out = slices.DeleteFunc(out, func(s string) bool { return !slices.Contains(v, s) })
			}
			return out, restricted
		case kOr:
			var out []string
			for _, c := range n.kids {
				v, ok := vals(c)
				if !ok {
					return nil, false
				}
				for _, s := range v {
					if !slices.Contains(out, s) {
						out = append(out, s)
					}
				}
			}
			return out, true
		}
		return nil, false
	}
	out, _ := vals(root)
	if len(out) == 0 {
		return nil
	}
	slices.Sort(out)
	return out
}
