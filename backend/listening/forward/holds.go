package forward

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/stormdesk/stormdesk/backend/store"
)

// Holds keeps the alerts held in quiet hours where a restart, or another
// instance of a team server, finds them: without it they live in the
// Scheduler's memory and a restart in quiet hours loses them.
type Holds interface {
	// Hold adds a to the rule's held alerts (once per alert id).
	Hold(ctx context.Context, ruleID string, a Alert) error
	// Release removes the rule's alerts with these ids (they were sent).
	Release(ctx context.Context, ruleID string, ids []string) error
	// Load returns every held alert by rule id.
	Load(ctx context.Context) (map[string][]Alert, error)
}

// HeldKey is the settings key SettingsHolds keeps held alerts under. It does
// not start with the ledger's prefix ("listening.forward/").
const HeldKey = "listening.forward.held"

// HoldSettings is the part of the store SettingsHolds needs; both engines have it.
type HoldSettings interface {
	Setting(ctx context.Context, key string) (string, error)
	UpdateSetting(ctx context.Context, key string, fn func(value string, found bool) (string, error)) error
}

// SettingsHolds keeps held alerts in the settings table, as one JSON value
// (rule id → alerts) changed with UpdateSetting, which is atomic on SQLite
// and PostgreSQL, so instances holding and releasing at once lose nothing.
// No migration: quiet hours hold a few alerts a night.
type SettingsHolds struct {
	Store HoldSettings
}

func (h SettingsHolds) update(ctx context.Context, fn func(map[string][]Alert)) error {
	err := h.Store.UpdateSetting(ctx, HeldKey, func(v string, found bool) (string, error) {
		held := map[string][]Alert{}
		if found && v != "" {
			if err := json.Unmarshal([]byte(v), &held); err != nil {
				return "", fmt.Errorf("read held alerts: %w", err)
			}
		}
		fn(held)
		for id, as := range held {
			if len(as) == 0 {
				delete(held, id)
			}
		}
		b, err := json.Marshal(held)
		return string(b), err
	})
	if err != nil {
		return fmt.Errorf("forward held alerts: %w", err)
	}
	return nil
}

// Hold implements Holds.
func (h SettingsHolds) Hold(ctx context.Context, ruleID string, a Alert) error {
	return h.update(ctx, func(held map[string][]Alert) {
		if !slices.ContainsFunc(held[ruleID], func(x Alert) bool { return x.ID == a.ID }) {
			held[ruleID] = append(held[ruleID], a)
		}
	})
}

// Release implements Holds.
func (h SettingsHolds) Release(ctx context.Context, ruleID string, ids []string) error {
	return h.update(ctx, func(held map[string][]Alert) {
		held[ruleID] = slices.DeleteFunc(held[ruleID], func(x Alert) bool { return slices.Contains(ids, x.ID) })
	})
}

// Load implements Holds.
func (h SettingsHolds) Load(ctx context.Context) (map[string][]Alert, error) {
	held := map[string][]Alert{}
	v, err := h.Store.Setting(ctx, HeldKey)
	if errors.Is(err, store.ErrNotFound) || (err == nil && v == "") {
		return held, nil
	}
	if err != nil {
		return nil, fmt.Errorf("forward held alerts: %w", err)
	}
	if err := json.Unmarshal([]byte(v), &held); err != nil {
		return nil, fmt.Errorf("forward held alerts: %w", err)
	}
	return held, nil
}
