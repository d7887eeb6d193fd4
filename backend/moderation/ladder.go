// Package moderation is the etiquette ladder: the record Stormdesk keeps of
// warnings, temporary blocks and bans given to an author, the author's standing
// that follows from it, the next step the ladder suggests, and the checks a new
// step must pass.
//
// The ladder is a record kept by Stormdesk for the team. It never calls a
// platform's ban API, and messages from a blocked or banned author are still
// stored: nothing is lost, and nobody is silenced without a person deciding it.
package moderation

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind is what one entry of the record does.
type Kind string

// Entry kinds (the CHECK of author_moderation.kind).
const (
	KindWarning Kind = "warning"
	KindBlock   Kind = "block"
	KindBan     Kind = "ban"
	// KindLift clears the record before it: the author starts the ladder again.
	KindLift Kind = "lift"
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	switch k {
	case KindWarning, KindBlock, KindBan, KindLift:
		return true
	}
	return false
}

// Entry is one step of an author's moderation record.
type Entry struct {
	ID       int64 `json:"id"`
	AuthorID int64 `json:"authorId"`
	// AccountID is the brand account the step was taken in; 0 when none.
	AccountID int64  `json:"accountId"`
	Kind      Kind   `json:"kind"`
	Reason    string `json:"reason"`
	// Until ends a temporary block; nil for every other kind.
	Until *time.Time `json:"until" ts_type:"string | null"`
	By    string     `json:"by"`
	At    time.Time  `json:"at" ts_type:"string"`
}

// State is an author's standing in one word.
type State string

// Standings, from harmless to banned.
const (
	StateNone    State = "none"
	StateWarned  State = "warned"
	StateBlocked State = "blocked"
	StateBanned  State = "banned"
)

// Standing is where an author stands on the ladder at one moment.
type Standing struct {
	State State `json:"state"`
	// Warnings and Blocks count the steps since the last lift; a block that has
	// ended still counts, so the next one escalates.
	Warnings int `json:"warnings"`
	Blocks   int `json:"blocks"`
	// Until is the end of the running block; nil unless State is blocked.
	Until *time.Time `json:"until" ts_type:"string | null"`
}

// StandingAt returns the standing the record gives at now. Entries may come in
// any order; entries after now are ignored, and a block ends by time alone.
func StandingAt(record []Entry, now time.Time) Standing {
	entries := slices.Clone(record)
	slices.SortStableFunc(entries, func(a, b Entry) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	var st Standing
	var until *time.Time
	banned := false
	for _, e := range entries {
		if e.At.After(now) {
			break
		}
		switch e.Kind {
		case KindLift:
			st, until, banned = Standing{}, nil, false
		case KindWarning:
			st.Warnings++
		case KindBlock:
			st.Blocks++
			until = e.Until
		case KindBan:
			banned = true
		}
	}
	switch {
	case banned:
		st.State = StateBanned
	case until != nil && until.After(now):
		st.State, st.Until = StateBlocked, until
	case st.Warnings > 0 || st.Blocks > 0:
		st.State = StateWarned
	default:
		st.State = StateNone
	}
	return st
}

// Ladder is the etiquette ladder's shape: warnings first, then temporary
// blocks of growing length, then a ban.
type Ladder struct {
	// WarningsBeforeBlock is how many warnings come before the first block.
	WarningsBeforeBlock int
	// Blocks are the lengths of the temporary blocks, in order; after the last one, a ban.
	Blocks []time.Duration
}

// DefaultLadder is two warnings, a 24-hour block, a 7-day block, then a ban.
func DefaultLadder() Ladder {
	return Ladder{WarningsBeforeBlock: 2, Blocks: []time.Duration{24 * time.Hour, 7 * 24 * time.Hour}}
}

// Step is a step the ladder suggests.
type Step struct {
	Kind Kind `json:"kind"`
	// Hours is a block's length; 0 for other kinds.
	Hours int `json:"hours"`
}

// Next suggests the step after the standing: warnings until there are enough,
// then the next block, then a ban; a banned author can only be lifted.
func (l Ladder) Next(st Standing) Step {
	switch {
	case st.State == StateBanned:
		return Step{Kind: KindLift}
	case st.Blocks == 0 && st.Warnings < l.WarningsBeforeBlock:
		return Step{Kind: KindWarning}
	case st.Blocks < len(l.Blocks):
		return Step{Kind: KindBlock, Hours: int(l.Blocks[st.Blocks] / time.Hour)}
	default:
		return Step{Kind: KindBan}
	}
}

// Subject is what the checks need to know about the author.
type Subject struct {
	VIP   bool
	Reach int64
	// NegativeShare is the share of the author's messages labelled negative, 0..1.
	NegativeShare float64
}

// InfluencerReach is the reach from which an author counts as an influencer,
// the same line as the guard for hiding or deleting messages.
const InfluencerReach = 10_000

// criticShare is the share of negative messages from which an author counts as a critic.
const criticShare = 0.5

// Reasons a block or ban needs confirming, stable codes the UI translates.
const (
	ReasonVIP        = "vip"
	ReasonInfluencer = "influencer"
	ReasonNegative   = "negative"
)

// Request is a step a person asks for.
type Request struct {
	Kind     Kind
	Reason   string
	Duration time.Duration // a block's length
}

// Warning explains why a step needs a second thought; Critical means it is
// only taken once confirmed.
type Warning struct {
	Critical bool     `json:"critical"`
	Reasons  []string `json:"reasons"`
}

// Limits of a request.
const (
	MaxReasonLen = 1000
	MaxBlock     = 365 * 24 * time.Hour
)

// ErrInvalid marks a request that can never be taken as asked.
var ErrInvalid = errors.New("invalid moderation step")

// Check validates a request against the author and their standing. An
// invalid request is an error wrapping ErrInvalid. Blocking or banning a VIP,
// an influencer or a critic is critical: the returned warning says why, and
// the caller takes the step only once a person has confirmed it after seeing
// the reasons (transparency: critics are never silenced by accident).
func Check(req Request, subj Subject, st Standing) (Warning, error) {
	w := Warning{Reasons: []string{}}
	reason := strings.TrimSpace(req.Reason)
	if !req.Kind.Valid() {
		return w, fmt.Errorf("%w: unknown kind %q (warning, block, ban or lift)", ErrInvalid, req.Kind)
	}
	if utf8.RuneCountInString(reason) > MaxReasonLen {
		return w, fmt.Errorf("%w: the reason is longer than %d characters", ErrInvalid, MaxReasonLen)
	}
	switch req.Kind {
	case KindBlock, KindBan:
		if reason == "" {
			return w, fmt.Errorf("%w: a %s needs a reason", ErrInvalid, req.Kind)
		}
		if st.State == StateBanned {
			return w, fmt.Errorf("%w: the author is already banned; lift the ban first", ErrInvalid)
		}
	case KindWarning:
		if st.State == StateBanned {
			return w, fmt.Errorf("%w: the author is banned; lift the ban first", ErrInvalid)
		}
	case KindLift:
		if st.State == StateNone {
			return w, fmt.Errorf("%w: there is nothing to lift", ErrInvalid)
		}
	}
	if req.Kind == KindBlock {
		if req.Duration <= 0 {
			return w, fmt.Errorf("%w: a block needs a positive duration", ErrInvalid)
		}
		if req.Duration > MaxBlock {
			return w, fmt.Errorf("%w: a block lasts at most %d days; use a ban instead", ErrInvalid, int(MaxBlock/(24*time.Hour)))
		}
	}
	if req.Kind != KindBlock && req.Kind != KindBan {
		return w, nil
	}
	if subj.VIP {
		w.Reasons = append(w.Reasons, ReasonVIP)
	}
	if subj.Reach >= InfluencerReach {
		w.Reasons = append(w.Reasons, ReasonInfluencer)
	}
	if subj.NegativeShare >= criticShare {
		w.Reasons = append(w.Reasons, ReasonNegative)
	}
	w.Critical = len(w.Reasons) > 0
	return w, nil
}
