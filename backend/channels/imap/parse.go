package imap

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"regexp"
	"strings"
	"time"
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
	if err != nil {
		switch {
		case message.IsUnknownCharset(err):
			flags[inbox.FlagBadCharset] = true
		case message.IsUnknownEncoding(err):
			flags[inbox.FlagBadMIME] = true
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
	if addrs, err := h.AddressList("From"); err == nil && len(addrs) > 0 {
		it.Author = inbox.Author{Channel: inbox.ChannelMail, ExternalID: strings.ToLower(addrs[0].Address),
			Handle: addrs[0].Address, DisplayName: decode8bit(addrs[0].Name, fallbackCharset, flags)}
	} else if from := hdr("From"); from != "" {
		// Unparseable address: keep what is there rather than nothing.
		it.Author = inbox.Author{Channel: inbox.ChannelMail, ExternalID: strings.ToLower(strings.TrimSpace(from)), Handle: strings.TrimSpace(from)}
	}
	if sameAddress(it.Author.Handle, own) {
		it.Direction = inbox.DirectionOut
	}
	if d, err := h.Date(); err == nil {
		it.SentAt = d.UTC()
	}

	msgID := NormalizeMessageID(h.Get("Message-Id"))
	refs := messageIDs(h.Get("References"))
	irt := messageIDs(h.Get("In-Reply-To"))
	it.References = dedupe(append(refs, irt...))

	if ent != nil {
		walk(ent, &it, flags, raw)
	}
	if it.HTML != "" && !allowRemoteImages {
		it.HTML = StripRemoteImages(it.HTML)
	}

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
	for f := range flags {
		it.Flags = append(it.Flags, f)
	}
	return parsed{item: it, messageID: msgID}
}

// walk collects the first text/plain and text/html parts and lists attachments.
func walk(ent *message.Entity, it *inbox.Item, flags map[string]bool, raw []byte) {
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
			n, _ := io.Copy(io.Discard, e.Body)
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

// StripRemoteImages removes src, srcset, background and poster attributes that
// load from the network, keeping inline (cid:, data:) images.
func StripRemoteImages(s string) string {
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
		changed := false
		for _, a := range tok.Attr {
			switch strings.ToLower(a.Key) {
			case "src", "srcset", "background", "poster":
				v := strings.ToLower(strings.TrimSpace(a.Val))
				if !strings.HasPrefix(v, "cid:") && !strings.HasPrefix(v, "data:") {
					changed = true
					continue
				}
			}
			kept = append(kept, a)
		}
		if !changed {
			b.WriteString(tok.String())
			continue
		}
		tok.Attr = kept
		b.WriteString(tok.String())
	}
}

func dateOr(t, fallback time.Time) time.Time {
	if t.IsZero() {
		return fallback.UTC()
	}
	return t
}
