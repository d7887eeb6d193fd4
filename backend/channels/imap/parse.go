package imap

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/charset"
	"github.com/emersion/go-message/mail"
	"golang.org/x/net/html"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

var charsetRe = regexp.MustCompile(`(?i)charset="?([a-z0-9_.:-]+)`)

// maxPartBytes bounds the text of one part kept in memory; attachments are
// only counted.
const maxPartBytes = 4 << 20

// parsed is what one raw message yields besides the item.
type parsed struct {
	item      inbox.Item
	messageID string // normalized, "" when the header is missing
}

// ParseMessage turns a raw RFC 5322 message into an item. It never fails:
// what cannot be decoded is flagged (bad-mime, bad-charset) and the rest kept.
// own is the account's address: mail from it is outbound.
func ParseMessage(raw []byte, own string, allowRemoteImages bool) inbox.Item {
	return parse(raw, own, allowRemoteImages).item
}

func parse(raw []byte, own string, allowRemoteImages bool) parsed {
	if bytes.HasPrefix(raw, []byte("From ")) {
		// An mbox "From " separator line is not a header; dovecot strips it too.
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			raw = raw[i+1:]
		}
	}
	var it inbox.Item
	it.Kind = inbox.KindMail
	it.Direction = inbox.DirectionIn
	flags := map[string]bool{}

	ent, err := message.Read(bytes.NewReader(raw))
	if ent == nil {
		// The header block itself is broken (a wrapped line without leading
		// whitespace, a stray "?" line): read it again repaired, so the
		// Subject, From and Date after the broken line are not lost.
		flags[inbox.FlagBadMIME] = true
		if repaired, ok := repairHeader(raw); ok {
			if fixed, ferr := message.Read(bytes.NewReader(repaired)); fixed != nil {
				ent, err = fixed, ferr
			}
		}
	}
	if err != nil {
		switch {
		case message.IsUnknownCharset(err):
			flags[inbox.FlagBadCharset] = true
		default:
			flags[inbox.FlagBadMIME] = true
		}
	}
	var h mail.Header
	if ent != nil {
		h = mail.Header{Header: ent.Header}
	} else {
		// The header itself is unreadable: keep the raw text as the body.
		it.Text = string(raw)
	}
	fallbackCharset := ""
	if ent != nil {
		if _, params, err := ent.Header.ContentType(); err == nil {
			fallbackCharset = params["charset"]
		}
	}
	if fallbackCharset == "" {
		// Multipart mail: raw 8-bit headers are usually in the charset of its text parts.
		if m := charsetRe.FindSubmatch(raw); m != nil {
			fallbackCharset = string(m[1])
		}
	}
	hdr := func(key string) string {
		v, err := h.Text(key)
		if err != nil {
			flags[inbox.FlagBadCharset] = true
			v = h.Get(key)
		}
		return decode8bit(v, fallbackCharset, flags)
	}

	it.Subject = hdr("Subject")
	it.Author = author(h, func(s string) string { return decode8bit(s, fallbackCharset, flags) }, hdr)
	if sameAddress(it.Author.Handle, own) {
		it.Direction = inbox.DirectionOut
	}
	// No readable Date leaves SentAt zero: ingest flags the message and
	// orders it by ReceivedAt, which the sync sets from INTERNALDATE.
	if d, ok := parseDate(h.Get("Date")); ok {
		it.SentAt = d.UTC()
	}

	msgID := NormalizeMessageID(h.Get("Message-Id"))
	if !usableID(msgID) {
		msgID = ""
	}
	refs := usableIDs(messageIDs(h.Get("References")))
	irt := usableIDs(messageIDs(h.Get("In-Reply-To")))
	it.References = dedupe(append(refs, irt...))

	if ent != nil {
		images := walk(ent, &it, flags, raw)
		if it.HTML != "" && len(images) > 0 {
			it.HTML = inlineImages(it.HTML, images)
		}
	}
	// Remote images are removed by ingest's sanitizer, the one way HTML enters the store.
	it.AllowRemoteImages = allowRemoteImages

	if msgID != "" {
		it.ExternalID = msgID
	} else {
		it.ExternalID = fallbackID(h.Get("Date"), h.Get("From"), h.Get("Subject"), raw)
	}
	switch {
	case len(refs) > 0:
		it.ThreadKey = refs[0]
	case len(irt) > 0:
		it.ThreadKey = irt[0]
	default:
		it.ThreadKey = it.ExternalID
	}
	validUTF8(&it, flags)
	for f := range flags {
		it.Flags = append(it.Flags, f)
	}
	slices.Sort(it.Flags)
	return parsed{item: it, messageID: msgID}
}

// author is the sender from From, or Sender, or Reply-To: the first that
// holds an address. The name is what a mail client shows in its From column:
// a From without an address ("Customer Service") still names the sender.
// Without any address the From text itself identifies the sender.
func author(h mail.Header, decode func(string) string, text func(string) string) inbox.Author {
	from := cleanName(unquote(strings.Join(strings.Fields(text("From")), " ")), "")
	if !strings.ContainsFunc(from, isAlnum) { // "<>", "?": nothing a person could read
		from = ""
	}
	for i, key := range []string{"From", "Sender", "Reply-To"} {
		if addr, name, ok := extractAddress(h.Get(key)); ok {
			if i > 0 && from != "" {
				name = from
			}
			return inbox.Author{Channel: inbox.ChannelMail, ExternalID: strings.ToLower(addr), Handle: addr, DisplayName: decode(name)}
		}
	}
	if from == "" {
		return inbox.Author{}
	}
	return inbox.Author{Channel: inbox.ChannelMail, ExternalID: strings.ToLower(from), Handle: from, DisplayName: from}
}

// maxIDBytes is ingest's limit for an external id; a longer Message-ID would
// get the whole message rejected, so the content hash stands in for it.
const maxIDBytes = 512

func usableID(id string) bool {
	return id != "" && len(id) <= maxIDBytes && utf8.ValidString(id)
}

// usableIDs drops references no stored message can have as its id.
func usableIDs(ids []string) []string {
	return slices.DeleteFunc(ids, func(id string) bool { return !usableID(id) })
}

// validUTF8 repairs what is still not UTF-8 (an undeclared 8-bit body, a
// header in no known charset), so every field a caller reads is valid text.
func validUTF8(it *inbox.Item, flags map[string]bool) {
	fix := func(s *string) {
		if !utf8.ValidString(*s) {
			*s = strings.ToValidUTF8(*s, "\uFFFD")
			flags[inbox.FlagInvalidUTF8] = true
		}
	}
	for _, s := range []*string{&it.Subject, &it.Text, &it.HTML, &it.Author.ExternalID, &it.Author.Handle, &it.Author.DisplayName} {
		fix(s)
	}
	for i := range it.Attachments {
		fix(&it.Attachments[i].Name)
		fix(&it.Attachments[i].ContentType)
	}
}

// repairHeader rewrites a header block go-message refuses: the block ends at
// the first empty line (or the end of raw), a line that is neither
// "Name: value" nor a continuation is joined to the header before it when it
// reads like a wrapped value (it has a letter or digit) and dropped otherwise.
// ok is false when no header line is left: then raw is no message at all.
func repairHeader(raw []byte) (repaired []byte, ok bool) {
	var out bytes.Buffer
	out.Grow(len(raw) + 64)
	rest := raw
	haveHeader := false
	for len(rest) > 0 {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			break
		}
		switch {
		case line[0] == ' ' || line[0] == '\t':
			if !haveHeader {
				continue
			}
			out.WriteString("\r\n")
		case isHeaderLine(line):
			if haveHeader {
				out.WriteString("\r\n")
			}
			haveHeader = true
		case haveHeader && bytes.ContainsFunc(line, isAlnum):
			out.WriteString("\r\n ")
		default:
			continue
		}
		out.Write(line)
	}
	if haveHeader {
		out.WriteString("\r\n")
	}
	out.WriteString("\r\n")
	out.Write(rest)
	return out.Bytes(), haveHeader
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// isHeaderLine reports "Name: value" with a name go-message accepts
// (printable ASCII but the colon; spaces before the colon are tolerated).
func isHeaderLine(line []byte) bool {
	i := bytes.IndexByte(line, ':')
	if i <= 0 {
		return false
	}
	name := bytes.TrimRight(line[:i], " \t")
	if len(name) == 0 {
		return false
	}
	for _, c := range name {
		if c < 33 || c > 126 {
			return false
		}
	}
	return true
}

// walk collects the first text/plain and text/html parts and lists
// attachments; it returns the small inline images by Content-ID.
func walk(ent *message.Entity, it *inbox.Item, flags map[string]bool, raw []byte) map[string]inlineImage {
	images := map[string]inlineImage{}
	err := ent.Walk(func(path []int, e *message.Entity, err error) error {
		if err != nil {
			if message.IsUnknownCharset(err) {
				flags[inbox.FlagBadCharset] = true
			} else {
				flags[inbox.FlagBadMIME] = true
				return nil
			}
		}
		if e.MultipartReader() != nil {
			return nil
		}
		ct, params, cerr := e.Header.ContentType()
		if cerr != nil {
			ct = "text/plain"
		}
		disp, dparams, _ := e.Header.ContentDisposition()
		name := dparams["filename"]
		if name == "" {
			name = params["name"]
		}
		if name != "" {
			if dec, err := new(mime.WordDecoder).DecodeHeader(name); err == nil {
				name = dec
			}
		}
		isText := ct == "text/plain" || ct == "text/html"
		if disp == "attachment" || (name != "" && !isText) || (!isText && !strings.HasPrefix(ct, "multipart/") && len(path) > 0) {
			var n int64
			if cid := contentID(e.Header.Get("Content-Id")); cid != "" && isInlineType(ct) && disp != "attachment" {
				img, m := readInlineImage(e.Body)
				n = m
				if img.uri != "" {
					images[cid] = img
				}
			}
			m, _ := io.Copy(io.Discard, e.Body)
			n += m
			it.Attachments = append(it.Attachments, inbox.Attachment{Name: name, ContentType: ct, Size: n})
			return nil
		}
		if !isText && len(path) == 0 {
			// A single-part message of another type (application/octet-stream …).
			n, _ := io.Copy(io.Discard, e.Body)
			it.Attachments = append(it.Attachments, inbox.Attachment{Name: name, ContentType: ct, Size: n})
			return nil
		}
		b, rerr := io.ReadAll(io.LimitReader(e.Body, maxPartBytes))
		if rerr != nil {
			flags[inbox.FlagBadMIME] = true
		}
		if len(b) == maxPartBytes {
			flags[inbox.FlagTruncated] = true
			io.Copy(io.Discard, e.Body)
		}
		if cs := strings.ToLower(params["charset"]); !utf8.Valid(b) && (cs == "" || cs == "utf-8" || cs == "us-ascii") {
			flags[inbox.FlagBadCharset] = true
		}
		switch {
		case ct == "text/html" && it.HTML == "":
			it.HTML = string(b)
		case ct == "text/plain" && it.Text == "":
			it.Text = string(b)
		}
		return nil
	})
	if err != nil {
		flags[inbox.FlagBadMIME] = true
	}
	if it.Text == "" && it.HTML == "" && len(it.Attachments) == 0 && !bytes.Contains(raw, []byte("\n\n")) && !bytes.Contains(raw, []byte("\r\n\r\n")) {
		flags[inbox.FlagBadMIME] = true
	}
	return images
}

// decode8bit repairs raw 8-bit header text: when it is not UTF-8, it is read
// in the message's declared charset (the common case for old KOI8-R or
// windows-1251 mail); otherwise it is left for ingest to repair and flagged.
func decode8bit(s, cs string, flags map[string]bool) string {
	if utf8.ValidString(s) {
		return s
	}
	if cs != "" && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "us-ascii") {
		if r, err := charset.Reader(cs, strings.NewReader(s)); err == nil {
			if b, err := io.ReadAll(r); err == nil && utf8.Valid(b) {
				return string(b)
			}
		}
	}
	flags[inbox.FlagBadCharset] = true
	return s
}

// NormalizeMessageID returns a Message-ID without angle brackets or spaces
// and with a lower-case domain, so the same id always yields the same
// ExternalID and thread key. It returns "" for an empty or blank header.
func NormalizeMessageID(s string) string {
	ids := messageIDs(s)
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// messageIDs splits a References / In-Reply-To header into normalized ids.
func messageIDs(s string) []string {
	var out []string
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			s = s[i+1:]
			break
		}
		if id := normID(s[i+1 : i+j]); id != "" {
			out = append(out, id)
		}
		s = s[i+j+1:]
	}
	if len(out) == 0 {
		// Some mailers omit the brackets.
		if f := strings.Fields(s); len(f) == 1 && strings.Contains(f[0], "@") {
			out = append(out, normID(f[0]))
		}
	}
	return out
}

func normID(id string) string {
	id = strings.Join(strings.Fields(id), "")
	if at := strings.LastIndexByte(id, '@'); at >= 0 {
		id = id[:at] + strings.ToLower(id[at:])
	}
	return id
}

func dedupe(ids []string) []string {
	seen := map[string]bool{}
	out := ids[:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// fallbackID identifies a message without Message-ID by what every copy of it
// shares, so a refetch after a UIDVALIDITY change dedupes.
func fallbackID(date, from, subject string, raw []byte) string {
	body := raw
	if i := bytes.Index(raw, []byte("\r\n\r\n")); i >= 0 {
		body = raw[i+4:]
	} else if i := bytes.Index(raw, []byte("\n\n")); i >= 0 {
		body = raw[i+2:]
	}
	// Line endings differ between delivery paths; they must not change the id.
	body = bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n"))
	h := sha256.New()
	for _, s := range []string{date, from, subject} {
		io.WriteString(h, strings.TrimSpace(s))
		h.Write([]byte{0})
	}
	h.Write(body)
	return "sha256:" + hex.EncodeToString(h.Sum(nil)[:16])
}

// rewriteAttrs passes every attribute of every start tag to keep, which may
// change it, and drops those it returns false for; the rest of s is copied.
func rewriteAttrs(s string, keep func(a *html.Attribute) bool) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	b.Grow(len(s))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if !errors.Is(z.Err(), io.EOF) {
				b.Write(z.Raw())
			}
			return b.String()
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			b.Write(z.Raw())
			continue
		}
		tok := z.Token()
		kept := tok.Attr[:0]
		for i := range tok.Attr {
			if keep(&tok.Attr[i]) {
				kept = append(kept, tok.Attr[i])
			}
		}
		tok.Attr = kept
		b.WriteString(tok.String())
	}
}

// Limits for images embedded as data: URIs: a few logos and signatures, not
// photo albums, so a message stays small in the database and the webview.
// The first two are what ingest's sanitizer keeps (a data: URI of at most
// 256 KiB) and what it stores of a message's HTML (512 KiB; beyond it the
// HTML is cut, which must never happen because of an image we inlined).
const (
	maxInlineImageBytes = 256 << 10 // one data: URI
	maxHTMLBytes        = 512 << 10
	maxInlineTotalBytes = 1 << 20 // all data: URIs of a message
)

// contentID is the key of a Content-ID or a cid: URL: no brackets, and
// lower-case because senders' HTML and headers disagree on case.
func contentID(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "<"), ">")
	return strings.ToLower(strings.TrimSpace(s))
}

// inlineImage is an image part an HTML part refers to by cid:.
type inlineImage struct {
	uri string // the data: URI, "" when the part cannot be inlined
}

// isInlineType lists the image types a data: URI may carry; the ingest
// sanitizer allows exactly these on img src.
func isInlineType(ct string) bool {
	switch ct {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return false
}

// readInlineImage reads an image part; one whose data: URI would be over
// maxInlineImageBytes, or whose bytes are not the image type it claims, has
// no uri. n is how much was read.
func readInlineImage(r io.Reader) (img inlineImage, n int64) {
	b, err := io.ReadAll(io.LimitReader(r, maxInlineImageBytes+1))
	n = int64(len(b))
	if err != nil || len(b) == 0 || len(b) > maxInlineImageBytes {
		return inlineImage{}, n
	}
	// The declared type is the sender's word; the bytes decide.
	t := http.DetectContentType(b)
	if !isInlineType(t) {
		return inlineImage{}, n
	}
	uri := "data:" + t + ";base64," + base64.StdEncoding.EncodeToString(b)
	if len(uri) > maxInlineImageBytes {
		return inlineImage{}, n
	}
	return inlineImage{uri: uri}, n
}

// inlineImages turns cid: references into data: URIs in document order, as
// long as the URIs stay within maxInlineTotalBytes and the HTML within
// maxHTMLBytes; references it cannot resolve stay cid: and are dropped by the
// sanitizer.
func inlineImages(s string, images map[string]inlineImage) string {
	budget := min(maxInlineTotalBytes, maxHTMLBytes-len(s))
	return rewriteAttrs(s, func(a *html.Attribute) bool {
		k := strings.ToLower(a.Key)
		v := strings.TrimSpace(a.Val)
		if (k != "src" && k != "background") || len(v) < 4 || !strings.EqualFold(v[:4], "cid:") {
			return true
		}
		id := v[4:]
		if u, err := url.PathUnescape(id); err == nil { // RFC 2392: cid URLs are %-encoded
			id = u
		}
		// A repeated reference repeats the URI in the HTML, so it counts again.
		if img := images[contentID(id)]; img.uri != "" && len(img.uri) <= budget {
			budget -= len(img.uri)
			a.Val = img.uri
		}
		return true
	})
}
