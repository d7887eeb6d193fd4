package workspace

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/stormdesk/stormdesk/backend/store"
)

// The workspace's settings live in the store's settings table, so a team's
// server instances share them (a PostgreSQL store has no folder to keep
// files in). Older versions kept each in a file beside the SQLite file;
// moveSideFilesIn carries those over once.
const (
	settingBrands         = "brands"               // drafting voice per brand (JSON, as brands.json)
	settingLLM            = "llm"                  // LLM settings without the key (JSON, as llm.json)
	settingYouTubeQuota   = "youtube-quota"        // units spent today (JSON, as youtube-quota.json)
	settingSentimentModel = "sentiment-model"      // retrained model (base64 of sentiment-model.bin.gz)
	settingSentimentBase  = "sentiment-base-model" // imported model retrains start from (base64 of the file)
)

// SideFile is a file an older Stormdesk kept beside the SQLite file and the
// setting that now holds it.
type SideFile struct {
	Name   string // file name beside the database
	Key    string // settings key
	Encode func([]byte) string
}

// SideFiles lists the files moved into the settings table.
func SideFiles() []SideFile {
	text := func(b []byte) string { return string(b) }
	return []SideFile{
		{Name: "brands.json", Key: settingBrands, Encode: text},
		{Name: "llm.json", Key: settingLLM, Encode: text},
		{Name: "youtube-quota.json", Key: settingYouTubeQuota, Encode: text},
		{Name: "sentiment-model.bin.gz", Key: settingSentimentModel, Encode: base64.StdEncoding.EncodeToString},
	}
}

// MoveSideFilesIn stores each side file found in dir that has no setting yet
// and renames the file to NAME.migrated, so nothing is read from it again
// and nothing is lost: the renamed file stays as a copy the user can delete.
// A file whose setting already exists (a crash between the insert and the
// rename) is only renamed: the table wins, so a file that cannot be renamed
// (a read-only folder) is only logged. It reports the keys it stored.
func MoveSideFilesIn(ctx context.Context, st *store.Store, dir string, log *slog.Logger) ([]string, error) {
	var moved []string
	for _, f := range SideFiles() {
		path := filepath.Join(dir, f.Name)
		b, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return moved, fmt.Errorf("move %s into the settings table: %w", f.Name, err)
		}
		stored, err := st.PutSettingIfAbsent(ctx, f.Key, f.Encode(b))
		if err != nil {
			return moved, fmt.Errorf("move %s into the settings table: %w", f.Name, err)
		}
		if stored {
			moved = append(moved, f.Key)
		}
		if err := os.Rename(path, filepath.Join(dir, f.Name+".migrated")); err != nil {
			log.Warn("settings file moved into the database but not renamed; it is no longer read", "file", path, "err", err)
		}
	}
	return moved, nil
}

// setting reads one setting; found is false when none is stored.
func (w *Workspace) setting(ctx context.Context, key string) (value string, found bool, err error) {
	v, err := w.Store.Setting(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return v, true, nil
}
