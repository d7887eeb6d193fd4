package ingest

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Limits that keep one hostile message from bloating the store or the UI.
const (
	maxTextBytes    = channels.MaxText
	maxHTMLBytes    = 512 << 10
	maxIDBytes      = 512
	maxSubjectBytes = 998 // RFC 5322 line limit
	futureSlack     = 24 * time.Hour
)

// ErrRejected marks an item that cannot be stored at all; the wrapped text says why.
var ErrRejected = errors.New("rejected")

// Normalizer repairs what can be repaired in an item and rejects what cannot.
// It is separate from the pipeline so connectors' tests can check their output with it.
type Normalizer struct {
	html *bluemonday.Policy
	now  func() time.Time
}

// NewNormalizer returns a normalizer; now is the clock used to reject items dated in the future.
func NewNormalizer(now func() time.Time) *Normalizer {
	// Mail HTML is shown in a webview: keep formatting, drop scripts, handlers, forms and frames.
	p := bluemonday.UGCPolicy()
	p.AllowStyling()
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return &Normalizer{html: p, now: now}
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
	if it.SentAt.IsZero() {
		return it, fmt.Errorf("%w: message %s has no time", ErrRejected, it.ExternalID)
	}
	if it.SentAt.After(n.now().Add(futureSlack)) {
		return it, fmt.Errorf("%w: message %s is dated in the future (%s)", ErrRejected, it.ExternalID, it.SentAt.UTC().Format(time.RFC3339))
	}
	it.SentAt = it.SentAt.UTC()

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
	it.Text = cleanText(it.Text, maxTextBytes, &flags)
	it.Subject = strings.Join(strings.Fields(cleanText(it.Subject, maxSubjectBytes, &flags)), " ")
	if it.HTML != "" {
		h := it.HTML
		if !utf8.ValidString(h) {
			h = strings.ToValidUTF8(h, "\uFFFD")
			flags.add(inbox.FlagInvalidUTF8)
		}
		if len(h) > maxHTMLBytes {
			h = channels.TruncateUTF8(h, maxHTMLBytes)
			flags.add(inbox.FlagTruncated)
		}
		it.HTML = n.html.Sanitize(h)
	}
	if strings.TrimSpace(it.Text) == "" && strings.TrimSpace(it.HTML) == "" {
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
