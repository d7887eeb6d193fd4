package workspace

import (
	"context"
	"sync"

	"github.com/stormdesk/stormdesk/backend/ingest"
)

// modelWatch remembers which stored sentiment model the pipeline scores
// with, so a model stored by another process (`stormdesk sentiment import`
// or retrain from the command line, another team instance) is noticed.
type modelWatch struct {
	mu    sync.Mutex
	stamp string // store.SettingsStamp of the model settings when last loaded
}

// CurrentSentimentModel returns the model to score with now: the
// pipeline's, reloaded first when the stored models changed since it was
// loaded. The check reads two rows' timestamps, not the models, so it is
// cheap enough for every page of mentions. When the store cannot be read
// the model in use is kept (and the failure logged): scoring goes on.
func (w *Workspace) CurrentSentimentModel(ctx context.Context) ingest.Scorer {
	w.model.mu.Lock()
	defer w.model.mu.Unlock()
	stamp, err := w.Store.SettingsStamp(ctx, settingSentimentModel, settingSentimentBase)
	if err != nil {
		w.Log.Warn("sentiment model not checked for changes", "err", err)
		return w.Pipeline.Scorer()
	}
	if stamp != w.model.stamp {
		m, err := w.loadModel(ctx)
		if err != nil {
			w.Log.Warn("changed sentiment model not loaded; keeping the one in use", "err", err)
			return w.Pipeline.Scorer()
		}
		w.Pipeline.SetScorer(m)
		w.model.stamp = stamp
		w.Log.Info("sentiment model reloaded", "provenance", m.Provenance())
	}
	return w.Pipeline.Scorer()
}
