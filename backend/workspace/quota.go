package workspace

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/stormdesk/stormdesk/backend/channels/youtube"
)

// quotaFile (the youtube-quota setting) keeps YouTube quota units spent today across restarts, so a
// restart cannot overrun the daily budget.
type quotaFile struct {
	Day  string `json:"day"` // Pacific date the count belongs to
	Used int    `json:"used"`
}

// loadYouTubeQuota returns the shared quota, counting in the settings table
// (quotaLedger), with today's stored count as its starting point.
func (w *Workspace) loadYouTubeQuota(ctx context.Context) *youtube.Quota {
	q := youtube.NewQuota(0, nil)
	q.UseLedger(quotaLedger{w})
	b, found, err := w.setting(ctx, settingYouTubeQuota)
	if err != nil {
		w.Log.Warn("read YouTube quota", "err", err)
		return q
	}
	if !found {
		return q
	}
	var f quotaFile
	if err := json.Unmarshal([]byte(b), &f); err != nil {
		w.Log.Warn("read YouTube quota", "setting", settingYouTubeQuota, "err", err)
		return q
	}
	if f.Day == q.Day() {
		q.Restore(f.Used)
	}
	return q
}

// quotaLedger counts YouTube units in the youtube-quota setting, each spend
// one atomic update of the row (Store.UpdateSetting): the instances of a team
// server share one Google project, so a count kept in each one's memory and
// written back would let every instance spend the whole budget.
type quotaLedger struct{ w *Workspace }

func (l quotaLedger) Spend(ctx context.Context, day string, cost, limit int) (used int, spent bool, err error) {
	err = l.update(ctx, func(f *quotaFile) {
		if f.Day != day {
			*f = quotaFile{Day: day}
		}
		if f.Used+cost <= limit {
			f.Used += cost
			spent = true
		}
		used = f.Used
	})
	return used, spent, err
}

func (l quotaLedger) Exhaust(ctx context.Context, day string, budget int) error {
	return l.update(ctx, func(f *quotaFile) {
		if f.Day != day {
			*f = quotaFile{Day: day}
		}
		f.Used = max(f.Used, budget)
	})
}

func (l quotaLedger) update(ctx context.Context, change func(*quotaFile)) error {
	err := l.w.Store.UpdateSetting(ctx, settingYouTubeQuota, func(old string, found bool) (string, error) {
		var f quotaFile
		if found {
			if err := json.Unmarshal([]byte(old), &f); err != nil {
				// A damaged count starts again rather than stopping YouTube for good;
				// Google's own quotaExceeded still stops an overrun.
				l.w.Log.Warn("read YouTube quota: starting the count again", "setting", settingYouTubeQuota, "err", err)
				f = quotaFile{}
			}
		}
		change(&f)
		b, err := json.Marshal(f)
		return string(b), err
	})
	if err != nil {
		return fmt.Errorf("YouTube quota: %w", err)
	}
	return nil
}
