package rss

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/unicode"

	"github.com/stormdesk/stormdesk/backend/listening"
)

// Feed is a parsed RSS 2.0, RSS 1.0 (RDF) or Atom 1.0 document.
type Feed struct {
	Format  string // "rss", "rdf" or "atom"
	Title   string
	Link    string
	Lang    string
	TTL     time.Duration // RSS <ttl>; 0 when not given
	Entries []Entry
}

// Entry is one item of a feed, reduced to text.
type Entry struct {
	ID        string // guid, atom:id or rdf:about as given; "" when none
	Link      string // absolute http(s) link; "" when none usable
	Title     string
	Text      string
	Author    string
	AuthorURL string
	Lang      string
	// Published is the entry's date; zero when it has none or an absurd one
	// (before 1995, or more than two days ahead of now).
	Published time.Time
}

// FormatError says why a document cannot be read as a feed; Reason is one
// of encoding, not-a-feed, web-page, broken (the feed-unreadable reasons).
type FormatError struct {
	Reason string
	Err    error
}

func (e *FormatError) Error() string { return e.Err.Error() }
func (e *FormatError) Unwrap() error { return e.Err }

// Limits that keep a hostile or broken feed from using much memory.
const (
	maxEntries = 1000
	maxDepth   = 64
	maxNodes   = 200000
)

// node is an element of the parsed document. Parsing builds a plain tree
// first and reads the formats from it, so one tolerant pass serves RSS, RDF
// and Atom, and markup that should have been escaped (HTML in a title) stays
// readable text instead of breaking the parse.
type node struct {
	name     xml.Name
	attr     []xml.Attr
	children []*node
	text     strings.Builder // character data of this element and, for inline markup, its descendants
}

func (n *node) attrValue(local string) string {
	for _, a := range n.attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func (n *node) child(local string) *node {
	for _, c := range n.children {
		if c.name.Local == local {
			return c
		}
	}
	return nil
}

func (n *node) childNS(space, local string) *node {
	for _, c := range n.children {
		if c.name.Local == local && c.name.Space == space {
			return c
		}
	}
	return nil
}

func (n *node) all(local string) []*node {
	var out []*node
	for _, c := range n.children {
		if c.name.Local == local {
			out = append(out, c)
		}
	}
	return out
}

// value is the element's text with surrounding space trimmed; nil gives "".
func (n *node) value() string {
	if n == nil {
		return ""
	}
	return strings.TrimSpace(n.text.String())
}

const (
	nsAtom    = "http://www.w3.org/2005/Atom"
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsDC      = "http://purl.org/dc/elements/1.1/"
	nsRDF     = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	nsXML     = "http://www.w3.org/XML/1998/namespace"
)

// blockTags are elements that separate text when markup sits unescaped in a
// feed element (Atom xhtml content, careless RSS).
var blockTags = map[string]bool{"p": true, "div": true, "br": true, "li": true, "tr": true, "h1": true, "h2": true, "h3": true, "blockquote": true}

// toUTF8 decodes body to UTF-8. A byte-order mark wins; then bytes that are
// valid UTF-8 are taken as such whatever the header or the XML declaration
// claim, since a feed declared windows-1251 or ISO-8859-1 that is valid
// UTF-8 with non-ASCII letters is mis-declared far more often than not;
// otherwise the declared charset decodes it, and windows-1252 when none is
// declared or the name is unknown.
func toUTF8(body []byte, contentType string) ([]byte, error) {
	switch {
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		return body[3:], nil
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}), bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder().Bytes(body)
		if err != nil {
			return nil, fmt.Errorf("decode UTF-16: %w", err)
		}
		return out, nil
	case utf8.Valid(body):
		return body, nil
	}
	label := ""
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		label = params["charset"]
	}
	if label == "" {
		if m := xmlEncoding.FindSubmatch(body[:min(len(body), 512)]); m != nil {
			label = string(m[1])
		}
	}
	enc, _ := charset.Lookup(label)
	if enc == nil {
		enc, _ = charset.Lookup("windows-1252")
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", label, err)
	}
	return out, nil
}

var xmlEncoding = regexp.MustCompile(`(?i)<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

// Parse reads a feed. base is the feed's address, against which relative
// links resolve; now bounds what counts as an absurd future date. A document
// that is not a feed, or whose XML breaks before any entry, is an error; one
// that breaks later gives the entries read up to the break.
func Parse(body []byte, contentType string, base *url.URL, now time.Time) (Feed, error) {
	text, err := toUTF8(body, contentType)
	if err != nil {
		return Feed{}, &FormatError{"encoding", fmt.Errorf("feed encoding: %w", err)}
	}
	root, err := parseTree(text)
	if root == nil {
		if err == nil {
			err = errors.New("the document is empty")
		}
		return Feed{}, &FormatError{"not-a-feed", fmt.Errorf("not readable XML: %w", err)}
	}
	p := parser{now: now}
	var f Feed
	switch {
	case root.name.Local == "rss" || root.name.Local == "channel":
		f = p.rss(root, base)
	case root.name.Local == "feed":
		f = p.atom(root, base)
	case root.name.Local == "RDF":
		f = p.rdf(root, base)
	case strings.EqualFold(root.name.Local, "html"):
		return Feed{}, &FormatError{"web-page", errors.New("the address gives a web page, not a feed; use the address of its RSS or Atom feed")}
	default:
		return Feed{}, &FormatError{"not-a-feed", fmt.Errorf("not an RSS or Atom feed: the document is <%s>", root.name.Local)}
	}
	if err != nil && len(f.Entries) == 0 {
		return Feed{}, &FormatError{"broken", fmt.Errorf("broken XML: %w", err)}
	}
	if len(f.Entries) > maxEntries {
		f.Entries = f.Entries[:maxEntries]
	}
	return f, nil
}

// parseTree reads the document into a tree, tolerating HTML entities,
// unclosed HTML tags and undeclared prefixes. On a syntax error it returns
// what was read so far with the error.
func parseTree(text []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(text))
	d.Strict = false
	d.AutoClose = voidTags
	d.Entity = xml.HTMLEntity
	// Already UTF-8: whatever the declaration says must not decode it again.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var root *node
	var stack []*node
	nodes := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return root, nil
		}
		if err != nil {
			return root, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			nodes++
			if nodes > maxNodes {
				return root, errors.New("the feed is too large")
			}
			n := &node{name: t.Name, attr: t.Attr}
			switch {
			case len(stack) == 0 && root != nil:
				return root, nil // a second root: ignore the trailing junk
			case len(stack) == 0:
				root = n
			case len(stack) < maxDepth:
				// Deeper elements are not kept, but their text still reaches
				// the open elements above them.
				stack[len(stack)-1].children = append(stack[len(stack)-1].children, n)
			}
			if blockTags[strings.ToLower(t.Name.Local)] {
				for _, s := range inner(stack) {
					s.text.WriteByte('\n')
				}
			}
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			// Text belongs to every open element: a title holding stray <b>
			// tags still reads "Acme <b>recall</b>" as "Acme recall".
			for _, s := range inner(stack) {
				if s.text.Len() < 1<<20 {
					s.text.Write(t)
				}
			}
		}
	}
}

// voidTags are HTML elements that never have an end tag, closed for the
// parser when markup sits unescaped in a feed. Not xml.HTMLAutoClose: that
// holds "link", which is RSS's most important element.
var voidTags = []string{"br", "hr", "img", "area", "col", "input", "meta", "param", "basefont", "frame", "isindex", "wbr"}

// inner are the innermost open elements, those whose text a piece of
// character data belongs to for reading: a title and the markup inside it,
// an Atom xhtml construct and its paragraphs. Bounding it keeps deeply nested
// junk from costing time quadratic in its depth.
func inner(stack []*node) []*node { return stack[max(0, len(stack)-textLevels):] }

const textLevels = 12

type parser struct{ now time.Time }

func (p parser) rss(root *node, base *url.URL) Feed {
	ch := root
	if root.name.Local == "rss" {
		if ch = root.child("channel"); ch == nil {
			return Feed{Format: "rss"}
		}
	}
	f := Feed{Format: "rss", Title: plainText(ch.child("title").value()), Lang: lang(ch.child("language").value())}
	if f.Lang == "" {
		f.Lang = lang(ch.childNS(nsDC, "language").value())
	}
	chLink := firstNonEmpty(ch.childNS("", "link").value(), ch.child("link").value())
	f.Link = link(base, chLink)
	base = resolveBase(base, chLink)
	if ttl, err := time.ParseDuration(ch.child("ttl").value() + "m"); err == nil && ttl > 0 {
		f.TTL = min(ttl, 24*time.Hour)
	}
	items := ch.all("item")
	if len(items) == 0 {
		items = root.all("item") // RSS 0.9x puts items beside the channel
	}
	for _, it := range items {
		e := Entry{ID: it.child("guid").value(), Title: plainText(it.child("title").value()), Lang: f.Lang}
		e.Link = link(base, firstNonEmpty(it.childNS("", "link").value(), it.child("link").value()))
		if g := it.child("guid"); e.Link == "" && g != nil && !strings.EqualFold(g.attrValue("isPermaLink"), "false") {
			e.Link = link(base, g.value())
		}
		body := it.childNS(nsContent, "encoded").value()
		if body == "" {
			body = it.child("description").value()
		}
		e.Text = plainText(body)
		e.Author = rssAuthor(firstNonEmpty(it.childNS(nsDC, "creator").value(), it.child("author").value()))
		e.Published = p.date(firstNonEmpty(it.child("pubDate").value(), it.childNS(nsDC, "date").value()))
		f.Entries = append(f.Entries, e)
	}
	return f
}

func (p parser) rdf(root *node, base *url.URL) Feed {
	f := Feed{Format: "rdf"}
	if ch := root.child("channel"); ch != nil {
		f.Title = plainText(ch.child("title").value())
		f.Lang = lang(ch.childNS(nsDC, "language").value())
		f.Link = link(base, ch.child("link").value())
		base = resolveBase(base, ch.child("link").value())
	}
	for _, it := range root.all("item") {
		e := Entry{ID: it.attrValue("about"), Title: plainText(it.child("title").value()), Lang: f.Lang}
		e.Link = link(base, firstNonEmpty(it.child("link").value(), e.ID))
		e.Text = plainText(firstNonEmpty(it.childNS(nsContent, "encoded").value(), it.child("description").value()))
		e.Author = rssAuthor(it.childNS(nsDC, "creator").value())
		e.Published = p.date(it.childNS(nsDC, "date").value())
		f.Entries = append(f.Entries, e)
	}
	return f
}

func (p parser) atom(root *node, base *url.URL) Feed {
	base = xmlBase(base, root)
	f := Feed{Format: "atom", Title: atomText(root.child("title")), Lang: lang(xmlLang(root))}
	f.Link = atomLink(base, root)
	feedAuthor := root.child("author")
	for _, en := range root.all("entry") {
		eb := xmlBase(base, en)
		e := Entry{ID: en.child("id").value(), Title: atomText(en.child("title")), Link: atomLink(eb, en), Lang: f.Lang}
		if l := lang(xmlLang(en)); l != "" {
			e.Lang = l
		}
		c := en.child("content")
		if c == nil || c.attrValue("src") != "" {
			c = en.child("summary")
		}
		e.Text = atomText(c)
		a := en.child("author")
		if a == nil {
			a = feedAuthor
		}
		if a != nil {
			e.Author = plainText(a.child("name").value())
			e.AuthorURL = link(eb, a.child("uri").value())
		}
		e.Published = p.date(firstNonEmpty(en.child("published").value(), en.child("updated").value()))
		f.Entries = append(f.Entries, e)
	}
	return f
}

// atomText reads an Atom text construct: type "html" is escaped HTML,
// "xhtml" inline markup (already reduced to its text by the tree), "text"
// plain text that may still carry entities.
func atomText(n *node) string {
	if n == nil {
		return ""
	}
	if n.attrValue("type") == "xhtml" {
		return collapse(n.value())
	}
	return plainText(n.value())
}

func atomLink(base *url.URL, n *node) string {
	var fallback string
	for _, l := range n.all("link") {
		rel := l.attrValue("rel")
		switch {
		case rel == "" || rel == "alternate":
			if u := link(base, l.attrValue("href")); u != "" {
				return u
			}
		case fallback == "" && rel != "self" && rel != "edit":
			fallback = link(base, l.attrValue("href"))
		}
	}
	return fallback
}

func xmlLang(n *node) string {
	for _, a := range n.attr {
		if a.Name.Local == "lang" && (a.Name.Space == nsXML || a.Name.Space == "xml") {
			return a.Value
		}
	}
	return ""
}

func xmlBase(base *url.URL, n *node) *url.URL {
	for _, a := range n.attr {
		if a.Name.Local == "base" && (a.Name.Space == nsXML || a.Name.Space == "xml") {
			return resolveBase(base, a.Value)
		}
	}
	return base
}

// resolveBase is ref resolved against base, or base when ref is no usable
// address.
func resolveBase(base *url.URL, ref string) *url.URL {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return base
	}
	u, err := url.Parse(ref)
	if err != nil {
		return base
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return base
	}
	return u
}

// link resolves ref against base and keeps it only if it is http(s); Google
// Alerts' redirect links (google.com/url?url=…) become the page they lead to.
func link(base *url.URL, ref string) string {
	if ref = strings.TrimSpace(ref); ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if !listening.WebAddress(u) {
		return ""
	}
	if (u.Host == "www.google.com" || u.Host == "google.com") && u.Path == "/url" {
		if target := u.Query().Get("url"); target != "" {
			if t, err := url.Parse(target); err == nil && listening.WebAddress(t) {
				u = t
			}
		}
	}
	c := *u
	c.Fragment = ""
	return c.String()
}

// rssAuthor reads RSS's "mail@example.com (Name)" as the name, else as given.
func rssAuthor(s string) string {
	s = plainText(s)
	if i, j := strings.Index(s, "("), strings.LastIndex(s, ")"); i > 0 && j > i && strings.Contains(s[:i], "@") {
		return strings.TrimSpace(s[i+1 : j])
	}
	return s
}

// lang is the primary subtag of a language tag ("en-us" → "en").
func lang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	if len(s) < 2 || len(s) > 3 {
		return ""
	}
	return s
}

var dateLayouts = []string{
	time.RFC1123Z, time.RFC1123, time.RFC3339Nano, time.RFC3339,
	"Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST", "Mon, 02 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -0700", "02 Jan 2006 15:04:05 MST", "Mon, 2 Jan 06 15:04:05 -0700",
	"Mon, 2 January 2006 15:04:05 -0700", "Monday, 02-Jan-06 15:04:05 MST",
	"2006-01-02T15:04:05", "2006-01-02T15:04:05-0700", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05", "2006-01-02",
}

// date parses the many date forms feeds use; an unreadable or absurd date
// (before 1995, or over two days ahead) is zero, and the entry is dated when
// first seen instead.
func (p parser) date(s string) time.Time {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return time.Time{}
	}
	s = strings.NewReplacer(" UT", " UTC", " Z", " UTC").Replace(s)
	for _, l := range dateLayouts {
		t, err := time.Parse(l, s)
		if err != nil {
			continue
		}
		if t.Year() < 1995 || t.After(p.now.Add(48*time.Hour)) {
			return time.Time{}
		}
		return t.UTC()
	}
	return time.Time{}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// key is an entry's identity within this feed: its id, else its link, else
// a hash of its title and text.
func (e Entry) key() string {
	if e.ID != "" {
		return "id:" + e.ID
	}
	if e.Link != "" {
		return "link:" + e.Link
	}
	h := sha256.Sum256([]byte(e.Title + "\x00" + e.Text))
	return "hash:" + hex.EncodeToString(h[:12])
}
