package forward

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/store"
)

// Ledger records what was sent, so a digest or an alert goes to each target
// once across restarts and instances: Claim before sending, Finish after.
type Ledger interface {
	// Claim reserves key for one send. It returns false when the key was
	// sent already or another sender holds a live claim on it.
	Claim(ctx context.Context, key string, now time.Time) (Claim, bool, error)
	// Finish records the outcome: sent, or not sent (a definite failure,
	// which a later Claim may try again).
	Finish(ctx context.Context, c Claim, sent bool) error
}

// Claim is one held reservation.
type Claim struct {
	Key     string
	Attempt int
}

// Settings is the part of the store SettingsLedger needs; both engines have it.
type Settings interface {
	Setting(ctx context.Context, key string) (string, error)
	PutSetting(ctx context.Context, key, value string) error
	PutSettingIfAbsent(ctx context.Context, key, value string) (bool, error)
}

// DefaultLease is how long a claim without an outcome keeps others off:
// longer than any send (the Telegram client waits out 429s for up to 2 min
// per try). A claim older than that belongs to a sender that died mid-send.
const DefaultLease = 15 * time.Minute

// maxAttempts bounds the attempts per key: a target that fails this often
// in one period is left for the person to look at (LastError).
const maxAttempts = 20

// SettingsLedger keeps claims in the settings table, one row per attempt
// (key + "#" + attempt), written with PutSettingIfAbsent, which is atomic on
// SQLite and PostgreSQL: of two instances claiming the same attempt one
// wins. A failed or expired attempt lets the next one be claimed; nothing
// is ever overwritten except an attempt's own state by its owner.
type SettingsLedger struct {
	Store Settings
	Lease time.Duration // DefaultLease when 0
}

type attempt struct {
	State string `json:"state"` // "claimed", "sent", "failed"
	At    int64  `json:"at"`    // unix ms of the claim
}

const keyPrefix = "listening.forward/"

// Claim implements Ledger.
func (l SettingsLedger) Claim(ctx context.Context, key string, now time.Time) (Claim, bool, error) {
	lease := l.Lease
	if lease <= 0 {
		lease = DefaultLease
	}
	claimed, _ := json.Marshal(attempt{State: "claimed", At: now.UnixMilli()})
	for n := 1; n <= maxAttempts; n++ {
		k := keyPrefix + key + "#" + strconv.Itoa(n)
		ok, err := l.Store.PutSettingIfAbsent(ctx, k, string(claimed))
		if err != nil {
			return Claim{}, false, fmt.Errorf("forward ledger claim %s: %w", key, err)
		}
		if ok {
			return Claim{Key: key, Attempt: n}, true, nil
		}
		v, err := l.Store.Setting(ctx, k)
		if err != nil {
			return Claim{}, false, fmt.Errorf("forward ledger read %s: %w", key, err)
		}
		var a attempt
		if err := json.Unmarshal([]byte(v), &a); err != nil {
			return Claim{}, false, fmt.Errorf("forward ledger read %s: %w", key, err)
		}
		switch {
		case a.State == "sent":
			return Claim{}, false, nil
		case a.State == "claimed" && now.Sub(time.UnixMilli(a.At)) < lease:
			return Claim{}, false, nil
		}
		// failed, or a claim whose sender died: the next attempt is free.
	}
	return Claim{}, false, nil
}

// Finish implements Ledger.
func (l SettingsLedger) Finish(ctx context.Context, c Claim, sent bool) error {
	k := keyPrefix + c.Key + "#" + strconv.Itoa(c.Attempt)
	v, err := l.Store.Setting(ctx, k)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("forward ledger finish %s: %w", c.Key, err)
	}
	var a attempt
	_ = json.Unmarshal([]byte(v), &a)
	a.State = "failed"
	if sent {
		a.State = "sent"
	}
	b, _ := json.Marshal(a)
	if err := l.Store.PutSetting(ctx, k, string(b)); err != nil {
		return fmt.Errorf("forward ledger finish %s: %w", c.Key, err)
	}
	return nil
}

// DedupeHorizon is how long the ledger remembers a send. A digest is only
// ever claimed for the latest due day (a missed older day is not sent
// late), and an alert while its spike is current or held through quiet
// hours (under a day), so a key is never claimed again a week on: its rows
// are kept that long and then pruned.
const DedupeHorizon = 7 * 24 * time.Hour

// Pruner is a Ledger that can forget old sends; the Scheduler prunes one
// that implements it.
type Pruner interface {
	// Prune forgets the keys whose every attempt was claimed before
	// before, and returns how many attempts it removed.
	Prune(ctx context.Context, before time.Time) (int, error)
}

// PrunableSettings is the store's part SettingsLedger.Prune needs.
type PrunableSettings interface {
	SettingsWithPrefix(ctx context.Context, prefix string) ([]store.Setting, error)
	DeleteSetting(ctx context.Context, key string) error
}

// Prune implements Pruner. A key goes with all its attempts or not at all:
// forgetting attempt 1 of a key whose attempt 2 was sent would let the next
// Claim take attempt 1 again and send twice. An attempt whose row cannot be
// read keeps its key (it is not known to be old).
func (l SettingsLedger) Prune(ctx context.Context, before time.Time) (int, error) {
	ps, ok := l.Store.(PrunableSettings)
	if !ok {
		return 0, nil
	}
	rows, err := ps.SettingsWithPrefix(ctx, keyPrefix)
	if err != nil {
		return 0, fmt.Errorf("forward ledger prune: %w", err)
	}
	type family struct {
		rows []string
		old  bool
	}
	keys := map[string]*family{}
	var order []string
	for _, r := range rows {
		base, _, found := cutLast(r.Key, "#")
		if !found {
			continue // not an attempt row
		}
		f := keys[base]
		if f == nil {
			f = &family{old: true}
			keys[base] = f
			order = append(order, base)
		}
		f.rows = append(f.rows, r.Key)
		var a attempt
		if err := json.Unmarshal([]byte(r.Value), &a); err != nil || !time.UnixMilli(a.At).Before(before) {
			f.old = false
		}
	}
	n := 0
	for _, base := range order {
		f := keys[base]
		if !f.old {
			continue
		}
		for _, k := range f.rows {
			if err := ps.DeleteSetting(ctx, k); err != nil {
				return n, fmt.Errorf("forward ledger prune %s: %w", base, err)
			}
			n++
		}
	}
	return n, nil
}

// cutLast is strings.Cut at the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}
