package forward

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/channels/telegram"
	"github.com/stormdesk/stormdesk/backend/listening"
)

// TelegramLimit is sendMessage's limit on a text's length in characters.
const TelegramLimit = 4096

// Cuts for other people's text: a message stays readable and within limits
// however long a post or a name is.
const (
	maxMentionRunes = 280
	maxNameRunes    = 120
)

// tgLen is a text's length as Telegram counts it, in UTF-16 code units: an
// emoji outside the Basic Multilingual Plane counts twice.
func tgLen(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// block is one paragraph in plain text and in the HTML subset Telegram and
// mail readers share (b, i, a href); its HTML has every user text escaped.
type block struct{ plain, html string }

// message is what is sent: the head always, then as many items as fit.
type message struct {
	subject string
	head    []block
	items   []block
	more    string // format for the items left out (count)
}

var esc = telegram.EscapeHTML

// cut shortens s to n characters, marking the cut.
func cut(s string, n int) string {
	// Telegram refuses a text that is not UTF-8; a broken byte in someone's
	// post must not stop the digest.
	s = strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD"))
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// oneLine folds a post's line breaks so one mention is one paragraph.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
}

// safeLink returns the link when it is an absolute http(s) URL: anything
// else (javascript:, data:, relative) is not made clickable.
func safeLink(s string) string {
	u, err := url.Parse(percentInvalid(strings.TrimSpace(s)))
	if err != nil || !listening.WebAddress(u) {
		return ""
	}
	return u.String()
}

// percentInvalid writes the bytes of s that are not UTF-8 as %XX. A source
// may send a link whose query is in another encoding; url.Parse keeps such
// bytes as they are, and a message with them is not UTF-8, which Telegram and
// mail refuse. Percent-encoded, the link still means the same bytes.
func percentInvalid(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			fmt.Fprintf(&b, "%%%02X", s[i])
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func reachText(n int64) string {
	switch {
	case n >= 1_000_000:
		return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + "M"
	case n >= 10_000:
		return strconv.FormatInt(n/1000, 10) + "K"
	}
	return strconv.FormatInt(n, 10)
}

func durationText(d time.Duration, w words) string {
	if d >= time.Hour && d%time.Hour == 0 {
		return fmt.Sprintf("%d %s", d/time.Hour, w.hours)
	}
	return fmt.Sprintf("%d %s", d/time.Minute, w.minutes)
}

// mentionBlock shows one mention: author, source, reach, text, link.
func mentionBlock(m Mention, w words) block {
	who := cut(oneLine(m.Author), maxNameRunes)
	meta := m.Source
	if m.Reach > 0 {
		meta += ", " + fmt.Sprintf(w.reach, reachText(m.Reach))
	}
	text := cut(oneLine(m.Text), maxMentionRunes)
	p := fmt.Sprintf("• %s (%s): %s", who, meta, text)
	h := fmt.Sprintf("• <b>%s</b> (%s): %s", esc(who), esc(meta), esc(text))
	if link := safeLink(m.Link); link != "" {
		p += "\n  " + link
		h += ` <a href="` + esc(link) + `">` + esc(w.open) + `</a>`
	}
	return block{p, h}
}

func alertMessage(r Rule, a Alert, loc *time.Location) message {
	w := wordsFor(r.Lang)
	topic := cut(oneLine(a.Topic), maxNameRunes)
	title := fmt.Sprintf(w.alertSubject, topic)
	body := fmt.Sprintf(w.alertBody, a.Observed, a.Since.In(loc).Format("15:04"), durationText(a.Window, w), a.Expected)
	m := message{subject: title, more: w.more}
	m.head = append(m.head, block{title, "<b>" + esc(title) + "</b>"}, block{body, esc(body)})
	if a.Urgent {
		m.head = append(m.head, block{w.escalation, "<b>" + esc(w.escalation) + "</b>"})
	}
	if len(a.Terms) > 0 {
		terms := cut(strings.Join(a.Terms, ", "), maxMentionRunes)
		m.head = append(m.head, block{w.terms + ": " + terms, esc(w.terms) + ": <i>" + esc(terms) + "</i>"})
	}
	if len(a.Samples) > 0 {
		m.head = append(m.head, block{w.samples + ":", "<b>" + esc(w.samples) + ":</b>"})
	}
	for _, s := range a.Samples {
		m.items = append(m.items, mentionBlock(s, w))
	}
	return m
}

// heldMessage is the one message that releases alerts held in quiet hours.
func heldMessage(r Rule, alerts []Alert, loc *time.Location) message {
	w := wordsFor(r.Lang)
	topic := cut(oneLine(r.Topic), maxNameRunes)
	title := fmt.Sprintf(w.heldSubject, len(alerts), topic)
	intro := fmt.Sprintf(w.heldIntro, r.QuietFrom, r.QuietTo)
	m := message{subject: title, more: w.more}
	m.head = append(m.head, block{title, "<b>" + esc(title) + "</b>"}, block{intro, esc(intro)})
	for _, a := range alerts {
		body := a.At.In(loc).Format("15:04") + " " + fmt.Sprintf(w.alertBody, a.Observed, a.Since.In(loc).Format("15:04"), durationText(a.Window, w), a.Expected)
		b := block{"• " + body, "• " + esc(body)}
		if len(a.Terms) > 0 {
			terms := cut(strings.Join(a.Terms, ", "), maxMentionRunes)
			b.plain += " " + w.terms + ": " + terms
			b.html += " " + esc(w.terms) + ": <i>" + esc(terms) + "</i>"
		}
		if len(a.Samples) > 0 {
			s := mentionBlock(a.Samples[0], w)
			b.plain += "\n  " + s.plain
			b.html += "\n  " + s.html
		}
		m.items = append(m.items, b)
	}
	return m
}

func digestMessage(r Rule, d Digest) message {
	w := wordsFor(r.Lang)
	topic := cut(oneLine(d.Topic), maxNameRunes)
	title := fmt.Sprintf(w.digestSubject, topic, d.Day)
	m := message{subject: title, more: w.more}
	m.head = append(m.head, block{title, "<b>" + esc(title) + "</b>"})
	total := d.Tonality.Total()
	counts := fmt.Sprintf(w.mentions, total)
	if d.Previous != nil {
		counts += " (" + fmt.Sprintf(w.change, total-d.Previous.Total()) + ")"
	}
	ton := fmt.Sprintf(w.tonality, d.Tonality.Positive, d.Tonality.Neutral, d.Tonality.Negative)
	if d.Previous != nil {
		ton += " (" + fmt.Sprintf(w.negChange, d.Tonality.Negative-d.Previous.Negative) + ")"
	}
	m.head = append(m.head, block{counts, esc(counts)}, block{ton, esc(ton)})
	if len(d.BySource) > 0 {
		names := make([]string, 0, len(d.BySource))
		for s := range d.BySource {
			names = append(names, s)
		}
		// Largest first; names break ties so the text is stable.
		sort.Slice(names, func(i, j int) bool {
			a, b := d.BySource[names[i]], d.BySource[names[j]]
			return a > b || a == b && names[i] < names[j]
		})
		parts := make([]string, len(names))
		for i, s := range names {
			parts[i] = fmt.Sprintf("%s %d", cut(s, 40), d.BySource[s])
		}
		line := w.bySource + ": " + strings.Join(parts, " · ")
		m.head = append(m.head, block{line, esc(line)})
	}
	if len(d.TopNegative) == 0 {
		m.head = append(m.head, block{w.noNegative, esc(w.noNegative)})
		return m
	}
	m.head = append(m.head, block{w.topNegative + ":", "<b>" + esc(w.topNegative) + ":</b>"})
	for _, n := range d.TopNegative {
		m.items = append(m.items, mentionBlock(n, w))
	}
	return m
}

// telegramText is the message in Telegram's HTML within limit (UTF-16 units):
// the items that do not fit are left out and counted in a last line. The
// raw HTML is measured, which is never shorter than what the chat shows,
// and blocks are never split, so no tag or entity is cut in half.
func (m message) telegramText(limit int) string {
	var parts []string
	n := 0
	add := func(s string) { parts = append(parts, s); n += tgLen(s) + 1 }
	for _, b := range m.head {
		add(b.html)
	}
	for i, b := range m.items {
		rest := len(m.items) - i - 1
		reserve := 0
		if rest > 0 {
			reserve = tgLen(fmt.Sprintf(m.more, rest)) + 1
		}
		if n+tgLen(b.html)+1+reserve > limit {
			parts = append(parts, esc(fmt.Sprintf(m.more, len(m.items)-i)))
			break
		}
		add(b.html)
	}
	text := strings.Join(parts, "\n")
	if tgLen(text) > limit {
		// Only a head longer than the limit gets here; its blocks are cut
		// from the end until it fits, again never inside a block.
		for len(parts) > 1 && tgLen(text) > limit {
			parts = parts[:len(parts)-1]
			text = strings.Join(parts, "\n")
		}
	}
	return text
}

// plainText is the whole message as plain text (e-mail has no length limit
// worth cutting for).
func (m message) plainText() string {
	var parts []string
	for _, b := range m.head {
		parts = append(parts, b.plain)
	}
	for _, b := range m.items {
		parts = append(parts, b.plain)
	}
	return strings.Join(parts, "\n\n") + "\n"
}

// htmlText is the whole message as an HTML document.
func (m message) htmlText(lang string) string {
	var sb strings.Builder
	sb.WriteString(`<!DOCTYPE html><html lang="` + esc(lang) + `"><head><meta charset="utf-8"><title>` + esc(m.subject) + "</title></head><body>\n")
	for _, b := range m.head {
		sb.WriteString("<p>" + strings.ReplaceAll(b.html, "\n", "<br>") + "</p>\n")
	}
	for _, b := range m.items {
		sb.WriteString("<p>" + strings.ReplaceAll(b.html, "\n", "<br>") + "</p>\n")
	}
	sb.WriteString("</body></html>\n")
	return sb.String()
}
