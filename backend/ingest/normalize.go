package ingest

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Limits that keep one hostile message from bloating the store or the UI.
const (
	maxTextBytes    = channels.MaxText
	maxHTMLBytes    = 512 << 10
	maxIDBytes      = 512
	maxSubjectBytes = 998 // RFC 5322 line limit
)

// ErrRejected marks an item that cannot be stored at all; the wrapped text says why.
var ErrRejected = errors.New("rejected")

// Normalizer repairs what can be repaired in an item and rejects what cannot.
// It is separate from the pipeline so connectors' tests can check their output with it.
type Normalizer struct {
	html *Sanitizer
	now  func() time.Time
}

// NewNormalizer returns a normalizer; now is the clock that bounds how far in
// the future a message's own date may be, and dates those that have none.
func NewNormalizer(now func() time.Time) *Normalizer {
	return &Normalizer{html: NewSanitizer(), now: now}
}

// normalizeDate makes SentAt the time the message is ordered and clocked by.
// The sender's date is kept when inbox.PlausibleDate holds for it; a
// missing, future or absurd one is a sender's clock or a forger, never a
// reason to lose the message: it is flagged suspicious-date, kept in
// ClaimedAt when a time can show it, and replaced by when the server received
// the message, or by now.
func (n *Normalizer) normalizeDate(it *inbox.Item, flags *flagSet) {
	now := n.now().UTC()
	// Nothing Stormdesk reads predates the Unix epoch: older dates are parse or clock errors.
	sane := func(t time.Time) bool { return inbox.PlausibleDate(t, now) }
	if it.ClaimedAt != nil && !representable(*it.ClaimedAt) {
		it.ClaimedAt = nil
	}
	if sane(it.SentAt) {
		it.SentAt = it.SentAt.UTC()
		// Normalizing again keeps what the first pass set aside; a claimed date
		// without the flag would be a marker the UI never shows.
		if it.ClaimedAt != nil {
			c := it.ClaimedAt.UTC()
			it.ClaimedAt = &c
			flags.add(inbox.FlagSuspiciousDate)
		}
		return
	}
	flags.add(inbox.FlagSuspiciousDate)
	it.ClaimedAt = nil
	if !it.SentAt.IsZero() && representable(it.SentAt) {
		c := it.SentAt.UTC()
		it.ClaimedAt = &c
	}
	it.SentAt = now
	if sane(it.ReceivedAt) {
		it.SentAt = it.ReceivedAt.UTC()
	}
}

// representable reports whether t can be shown: JSON (RFC 3339) and the
// webview's dates need a four-digit year.
func representable(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 1 && y <= 9999
}

// Normalize returns the cleaned item, or an error wrapping ErrRejected.
func (n *Normalizer) Normalize(channel inbox.ChannelKind, it inbox.Item) (inbox.Item, error) {
	it.ExternalID = strings.TrimSpace(it.ExternalID)
	if it.ExternalID == "" {
		return it, fmt.Errorf("%w: no external id", ErrRejected)
	}
	if len(it.ExternalID) > maxIDBytes || !utf8.ValidString(it.ExternalID) {
		return it, fmt.Errorf("%w: external id is too long or not UTF-8", ErrRejected)
	}
	if it.Kind == "" {
		it.Kind = inbox.KindComment
		if channel == inbox.ChannelMail {
			it.Kind = inbox.KindMail
		}
	}
	if !it.Kind.Valid() {
		return it, fmt.Errorf("%w: message %s has unknown kind %q", ErrRejected, it.ExternalID, it.Kind)
	}
	switch it.Direction {
	case "":
		it.Direction = inbox.DirectionIn
	case inbox.DirectionIn, inbox.DirectionOut:
	default:
		return it, fmt.Errorf("%w: message %s has unknown direction %q", ErrRejected, it.ExternalID, it.Direction)
	}
	if !it.Sentiment.Valid() {
		it.Sentiment = inbox.SentimentUnknown
	}
	if it.SentimentScore < -1 || it.SentimentScore > 1 || it.SentimentScore != it.SentimentScore {
		it.SentimentScore = 0
	}

	var flags flagSet
	flags.add(it.Flags...)
	n.normalizeDate(&it, &flags)
	if !it.ReceivedAt.IsZero() {
		it.ReceivedAt = it.ReceivedAt.UTC()
	}
	it.Text = cleanText(it.Text, maxTextBytes, &flags)
	it.Subject = strings.Join(strings.Fields(cleanText(it.Subject, maxSubjectBytes, &flags)), " ")
	if it.HTML != "" {
		h := it.HTML
		// Repaired before the size cut, so the cut lands on a rune boundary.
		if !utf8.ValidString(h) {
			h = strings.ToValidUTF8(h, "\uFFFD")
			flags.add(inbox.FlagInvalidUTF8)
		}
		if len(h) > maxHTMLBytes {
			h = channels.TruncateUTF8(h, maxHTMLBytes)
			flags.add(inbox.FlagTruncated)
		}
		it.HTML = n.html.Sanitize(h, it.AllowRemoteImages)
	}
	// A photo or voice note without words is not empty: its attachment is what it says.
	if strings.TrimSpace(it.Text) == "" && strings.TrimSpace(it.HTML) == "" && len(it.Attachments) == 0 {
		flags.add(inbox.FlagNoText)
	}

	it.ThreadKey = strings.TrimSpace(it.ThreadKey)
	if it.ThreadKey == "" {
		it.ThreadKey = it.ExternalID
	}
	it.Author = normalizeAuthor(channel, it.Author, &flags)
	it.Tags = normalizeTags(it.Tags)
	it.References = normalizeRefs(it.References, it.ExternalID)
	it.Flags = flags.list
	return it, nil
}

func normalizeAuthor(channel inbox.ChannelKind, a inbox.Author, flags *flagSet) inbox.Author {
	a.Channel = channel
	a.Handle = cleanLine(a.Handle, 256, flags)
	a.DisplayName = cleanLine(a.DisplayName, 256, flags)
	a.ExternalID = cleanLine(a.ExternalID, maxIDBytes, flags)
	if a.ExternalID == "" {
		a.ExternalID = a.Handle
	}
	if a.ExternalID == "" {
		a.ExternalID = "unknown"
	}
	if a.Handle == "" {
		a.Handle = a.ExternalID
	}
	if a.Reach < 0 {
		a.Reach = 0
	}
	return a
}

func normalizeTags(tags []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.ToLower(strings.Join(strings.Fields(strings.ToValidUTF8(t, "")), "-"))
		if t == "" || len(t) > 64 || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	return out
}

// maxRefs bounds how many referenced ids are kept; long References headers list the root first.
const maxRefs = 50

func normalizeRefs(refs []string, self string) []string {
	var out []string
	for _, r := range refs {
		r = strings.TrimSpace(r)
		if r == "" || r == self || len(r) > maxIDBytes || !utf8.ValidString(r) {
			continue
		}
		out = append(out, r)
		if len(out) == maxRefs {
			break
		}
	}
	return out
}

// cleanText makes s valid UTF-8 without control characters (tabs and newlines stay),
// with LF line ends, trimmed and at most limit bytes. What it repairs is recorded in flags.
func cleanText(s string, limit int, flags *flagSet) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
		flags.add(inbox.FlagInvalidUTF8)
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return '\n'
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len(s) > limit {
		s = channels.TruncateUTF8(s, limit)
		flags.add(inbox.FlagTruncated)
	}
	return s
}

func cleanLine(s string, limit int, flags *flagSet) string {
	return strings.Join(strings.Fields(cleanText(s, limit, flags)), " ")
}

type flagSet struct{ list []string }

func (f *flagSet) add(flags ...string) {
	for _, fl := range flags {
		found := false
		for _, have := range f.list {
			if have == fl {
				found = true
				break
			}
		}
		if !found && fl != "" {
			f.list = append(f.list, fl)
		}
	}
}
