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

// loadYouTubeQuota returns the shared quota with today's saved count restored.
func (w *Workspace) loadYouTubeQuota(ctx context.Context) *youtube.Quota {
	q := youtube.NewQuota(0, nil)
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

// SaveYouTubeQuota stores today's spent YouTube units in the settings table.
// It runs when a sync completes and at Close, which have no caller's context.
func (w *Workspace) SaveYouTubeQuota() error {
	b, err := json.Marshal(quotaFile{Day: w.ytQuota.Day(), Used: w.ytQuota.Used()})
	if err != nil {
		return err
	}
	if err := w.Store.PutSetting(context.Background(), settingYouTubeQuota, string(b)); err != nil {
		return fmt.Errorf("save YouTube quota: %w", err)
	}
	return nil
}
