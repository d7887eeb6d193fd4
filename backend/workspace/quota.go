package workspace

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/stormdesk/stormdesk/backend/channels/youtube"
)

// quotaFile keeps YouTube quota units spent today across restarts, so a
// restart cannot overrun the daily budget.
type quotaFile struct {
	Day  string `json:"day"` // Pacific date the count belongs to
	Used int    `json:"used"`
}

func (w *Workspace) quotaPath() string {
	return filepath.Join(filepath.Dir(w.DBPath), "youtube-quota.json")
}

// loadYouTubeQuota returns the shared quota with today's saved count restored.
func (w *Workspace) loadYouTubeQuota() *youtube.Quota {
	q := youtube.NewQuota(0, nil)
	b, err := os.ReadFile(w.quotaPath())
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			w.Log.Warn("read YouTube quota", "err", err)
		}
		return q
	}
	var f quotaFile
	if err := json.Unmarshal(b, &f); err != nil {
		w.Log.Warn("read YouTube quota", "path", w.quotaPath(), "err", err)
		return q
	}
	if f.Day == q.Day() {
		q.Restore(f.Used)
	}
	return q
}

// SaveYouTubeQuota writes today's spent YouTube units beside the database.
func (w *Workspace) SaveYouTubeQuota() error {
	b, err := json.Marshal(quotaFile{Day: w.ytQuota.Day(), Used: w.ytQuota.Used()})
	if err != nil {
		return err
	}
	if err := os.WriteFile(w.quotaPath(), b, 0o600); err != nil {
		return fmt.Errorf("save YouTube quota: %w", err)
	}
	return nil
}
