// Package forward delivers listening alerts and a daily digest per topic to
// a Telegram chat (Bot API sendMessage) and by e-mail (SMTP), honouring each
// rule's quiet hours, and sends each of them once per target even across a
// restart or several team-server instances (a Ledger of claims).
//
// Its inputs are plain types (Alert, Digest, Rule) so it does not depend on
// how topics and mentions are stored: the caller turns a crisis alert or a
// day's counts into them.
package forward

import (
	"fmt"
	"strings"
	"time"
)

// What a rule forwards.
const (
	WhatAlerts = "alerts"
	WhatDigest = "digest"
	WhatBoth   = "both"
)

// Target kinds.
const (
	TargetTelegram = "telegram"
	TargetEmail    = "email"
)

// Target is one place a rule delivers to: a Telegram chat (through the
// workspace's bot) or an e-mail address (through its SMTP account).
type Target struct {
	Kind    string // TargetTelegram or TargetEmail
	ChatID  int64  // Telegram: the chat (negative for groups and channels)
	Address string // e-mail: one recipient
}

// Key names the target in ledger keys and errors; it holds no secret.
func (t Target) Key() string {
	if t.Kind == TargetTelegram {
		return fmt.Sprintf("tg:%d", t.ChatID)
	}
	return "mail:" + strings.ToLower(t.Address)
}

// Rule is what one topic forwards, where, and when.
type Rule struct {
	ID      string // stable; part of ledger keys and Message-IDs
	Topic   string // the topic's name, shown in messages
	Lang    string // "en", "ru" or "de": the wording of messages and subjects
	What    string // WhatAlerts, WhatDigest or WhatBoth
	Targets []Target
	// DigestHour is the local hour (0–23) the previous day's digest is sent.
	DigestHour int
	// TimeZone is an IANA name ("Europe/Berlin"); "" is UTC.
	TimeZone string
	// QuietFrom and QuietTo are local "HH:MM"; both "" means no quiet hours.
	// A span over midnight (22:00–07:00) is the usual case.
	QuietFrom, QuietTo string
}

// Location returns the rule's time zone.
func (r Rule) Location() (*time.Location, error) {
	if r.TimeZone == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(r.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("forward rule %s: time zone %q: %w", r.ID, r.TimeZone, err)
	}
	return loc, nil
}

func (r Rule) wantsAlerts() bool { return r.What == WhatAlerts || r.What == WhatBoth || r.What == "" }
func (r Rule) wantsDigest() bool { return r.What == WhatDigest || r.What == WhatBoth || r.What == "" }

// Validate checks what can be checked without sending.
func (r Rule) Validate() error {
	if r.ID == "" || strings.ContainsAny(r.ID, "/ \r\n<>@") {
		return fmt.Errorf("forward rule %q: the id must be non-empty without '/', '<', '>', '@' or spaces", r.ID)
	}
	switch r.What {
	case "", WhatAlerts, WhatDigest, WhatBoth:
	default:
		return fmt.Errorf("forward rule %s: unknown kind %q", r.ID, r.What)
	}
	if r.DigestHour < 0 || r.DigestHour > 23 {
		return fmt.Errorf("forward rule %s: digest hour %d is not 0–23", r.ID, r.DigestHour)
	}
	if _, err := r.Location(); err != nil {
		return err
	}
	if (r.QuietFrom == "") != (r.QuietTo == "") {
		return fmt.Errorf("forward rule %s: quiet hours need both a start and an end", r.ID)
	}
	if r.QuietFrom != "" {
		if _, err := clock(r.QuietFrom); err != nil {
			return fmt.Errorf("forward rule %s: quiet hours: %w", r.ID, err)
		}
		if _, err := clock(r.QuietTo); err != nil {
			return fmt.Errorf("forward rule %s: quiet hours: %w", r.ID, err)
		}
	}
	for _, t := range r.Targets {
		switch t.Kind {
		case TargetTelegram:
			if t.ChatID == 0 {
				return fmt.Errorf("forward rule %s: a Telegram target needs a chat id", r.ID)
			}
		case TargetEmail:
			if !strings.Contains(t.Address, "@") || strings.ContainsAny(t.Address, " \r\n<>") {
				return fmt.Errorf("forward rule %s: %q is not an e-mail address", r.ID, t.Address)
			}
		default:
			return fmt.Errorf("forward rule %s: unknown target kind %q", r.ID, t.Kind)
		}
	}
	return nil
}

// clock parses "HH:MM" into minutes after midnight.
func clock(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("%q is not HH:MM", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// Mention is one post shown in an alert or a digest. Every field but Reach
// is someone else's text and is escaped wherever it is shown.
type Mention struct {
	Source string // listening source name ("reddit", "rss", …)
	Author string
	Reach  int64 // followers or subscribers; 0 when unknown
	Text   string
	Link   string // only http(s) links become clickable
	At     time.Time
}

// Alert is a crisis alert on a topic's stream, in plain words.
type Alert struct {
	ID       string // stable per alert (e.g. stream + start); part of ledger keys
	Topic    string
	Stream   string
	At       time.Time // when it was detected
	Since    time.Time // start of the window that fired
	Window   time.Duration
	Observed int     // negatives in the window
	Expected float64 // negatives expected in the window
	Terms    []string
	Samples  []Mention
	// Urgent alerts (an escalation, or one the caller judges severe) are
	// sent during quiet hours too.
	Urgent bool
}

// Tonality counts mentions by sentiment.
type Tonality struct {
	Positive, Neutral, Negative int
}

// Total is the sum of the three.
func (t Tonality) Total() int { return t.Positive + t.Neutral + t.Negative }

// Digest is one topic's day.
type Digest struct {
	Topic string
	// Day is the local calendar day (rule's time zone), "2006-01-02".
	Day      string
	BySource map[string]int
	Tonality Tonality
	// Previous is the day before, for the change; nil when unknown.
	Previous *Tonality
	// TopNegative are the day's most important negative mentions, best first.
	TopNegative []Mention
}

// DayRange is the span of a local calendar day: 23 or 25 hours on the days
// the clocks change, which a digest's counts must use.
func DayRange(day string, loc *time.Location) (from, to time.Time, err error) {
	d, err := time.ParseInLocation("2006-01-02", day, loc)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("forward: day %q: %w", day, err)
	}
	return d, time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc), nil
}
