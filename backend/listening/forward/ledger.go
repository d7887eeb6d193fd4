package forward

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
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
