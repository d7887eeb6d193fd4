package workspace

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/sentiment"
)

// modelPath is where the model retrained on this team's corrections is kept.
func (w *Workspace) modelPath() string {
	return filepath.Join(filepath.Dir(w.DBPath), "sentiment-model.bin.gz")
}

// loadModel returns the team's retrained model if there is one, else the shipped one.
func (w *Workspace) loadModel() (*sentiment.Model, error) {
	b, err := os.ReadFile(w.modelPath())
	if errors.Is(err, os.ErrNotExist) {
		return sentiment.Default()
	}
	if err == nil {
		m, lerr := sentiment.Load(bytes.NewReader(b))
		if lerr == nil {
			return m, nil
		}
		err = lerr
	}
	// A damaged file must not stop the app: fall back and say so.
	w.Log.Warn("retrained sentiment model unreadable; using the shipped one", "path", w.modelPath(), "err", err)
	return sentiment.Default()
}

// CorrectSentiment records a manager's label for a message; RetrainSentiment learns from them.
func (w *Workspace) CorrectSentiment(ctx context.Context, messageID int64, label inbox.Sentiment, by string) error {
	return w.Store.CorrectSentiment(ctx, messageID, label, by, time.Now())
}

// RetrainSentiment learns every stored correction on top of the shipped model
// (always from the shipped model, so corrections do not pile up on each
// other), saves it beside the database and scores new messages with it.
// It returns how many corrections were learnt.
func (w *Workspace) RetrainSentiment(ctx context.Context) (int, error) {
	cs, err := w.Store.SentimentCorrections(ctx)
	if err != nil {
		return 0, err
	}
	if len(cs) == 0 {
		return 0, errors.New("no corrected labels yet: correct some messages' sentiment in the inbox first")
	}
	base, err := sentiment.Default()
	if err != nil {
		return 0, err
	}
	ex := make([]sentiment.Example, 0, len(cs))
	for _, c := range cs {
		ex = append(ex, sentiment.Example{Text: c.Text, Label: c.Label})
	}
	m, err := base.Retrain(ex)
	if err != nil {
		return 0, fmt.Errorf("retrain sentiment: %w", err)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		return 0, fmt.Errorf("retrain sentiment: %w", err)
	}
	tmp := w.modelPath() + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o600); err != nil {
		return 0, fmt.Errorf("save retrained model: %w", err)
	}
	if err := os.Rename(tmp, w.modelPath()); err != nil {
		return 0, fmt.Errorf("save retrained model: %w", err)
	}
	w.Pipeline.SetScorer(m)
	return len(cs), nil
}
