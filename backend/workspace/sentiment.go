package workspace

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/sentiment"
)

// loadModel returns the team's retrained model if there is one, else the
// shipped one. The retrained model is kept in the settings table (base64 of
// the gzipped model file): it cannot be rebuilt from the stored corrections,
// because it learnt the corrections that existed when it was retrained, not
// those made since.
func (w *Workspace) loadModel(ctx context.Context) (*sentiment.Model, error) {
	v, found, err := w.setting(ctx, settingSentimentModel)
	if err == nil && !found {
		return sentiment.Default()
	}
	if err == nil {
		var b []byte
		if b, err = base64.StdEncoding.DecodeString(v); err == nil {
			m, lerr := sentiment.Load(bytes.NewReader(b))
			if lerr == nil {
				return m, nil
			}
			err = lerr
		}
	}
	// A damaged value must not stop the app: fall back and say so.
	w.Log.Warn("retrained sentiment model unreadable; using the shipped one", "setting", settingSentimentModel, "err", err)
	return sentiment.Default()
}

// CorrectSentiment records a manager's label for a message; RetrainSentiment learns from them.
func (w *Workspace) CorrectSentiment(ctx context.Context, messageID int64, label inbox.Sentiment, by string) error {
	return w.Store.CorrectSentiment(ctx, messageID, label, by, time.Now())
}

// RetrainSentiment learns every stored correction on top of the shipped model
// (always from the shipped model, so corrections do not pile up on each
// other), stores it in the settings table and scores new messages with it.
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
	if err := w.Store.PutSetting(ctx, settingSentimentModel, base64.StdEncoding.EncodeToString(buf.Bytes())); err != nil {
		return 0, fmt.Errorf("save retrained model: %w", err)
	}
	w.Pipeline.SetScorer(m)
	return len(cs), nil
}
