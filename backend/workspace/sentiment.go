package workspace

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/sentiment"
	"github.com/stormdesk/stormdesk/backend/store"
)

// maxModelFile bounds an imported model file: the shipped one is ~0.5 MB,
// and a 2^24-bucket model with every bucket set stays under 64 MB.
const maxModelFile = 64 << 20

// The model in use is, in order: the retrained model (shipped or imported
// base plus the managers' corrections), else the imported base, else the
// model shipped in the binary. Both are kept in the settings table (base64 of
// the gzipped model file) so a team's server instances share them.

// loadModel returns the model new messages are scored with.
func (w *Workspace) loadModel(ctx context.Context) (*sentiment.Model, error) {
	for _, key := range []string{settingSentimentModel, settingSentimentBase} {
		m, found, err := w.storedModel(ctx, key)
		if err != nil {
			// A damaged value must not stop the app: fall back and say so.
			w.Log.Warn("stored sentiment model unreadable; falling back", "setting", key, "err", err)
			continue
		}
		if found {
			return m, nil
		}
	}
	return sentiment.Default()
}

// baseModel is what a retrain starts from: the imported model, else the shipped one.
func (w *Workspace) baseModel(ctx context.Context) (*sentiment.Model, error) {
	m, found, err := w.storedModel(ctx, settingSentimentBase)
	if err != nil {
		return nil, fmt.Errorf("imported sentiment model: %w", err)
	}
	if found {
		return m, nil
	}
	return sentiment.Default()
}

func (w *Workspace) storedModel(ctx context.Context, key string) (*sentiment.Model, bool, error) {
	v, found, err := w.setting(ctx, key)
	if err != nil || !found {
		return nil, false, err
	}
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return nil, true, fmt.Errorf("setting %s: %w", key, err)
	}
	m, err := sentiment.Load(bytes.NewReader(b))
	if err != nil {
		return nil, true, fmt.Errorf("setting %s: %w", key, err)
	}
	return m, true, nil
}

func (w *Workspace) putModel(ctx context.Context, key string, m *sentiment.Model) error {
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		return err
	}
	if err := w.Store.PutSetting(ctx, key, base64.StdEncoding.EncodeToString(buf.Bytes())); err != nil {
		return fmt.Errorf("store sentiment model: %w", err)
	}
	return nil
}

// CorrectSentiment records a manager's label for a message; RetrainSentiment learns from them.
func (w *Workspace) CorrectSentiment(ctx context.Context, messageID int64, label inbox.Sentiment, by string) error {
	return w.Store.CorrectSentiment(ctx, messageID, label, by, time.Now())
}

// RetrainSentiment learns every stored correction on top of the base model
// (always from the base, so corrections do not pile up on each other),
// stores it in the settings table and scores new messages with it. The new
// model records the base and the number of corrections it learnt. It returns
// how many corrections were learnt.
func (w *Workspace) RetrainSentiment(ctx context.Context) (int, error) {
	cs, err := w.Store.SentimentCorrections(ctx)
	if err != nil {
		return 0, err
	}
	if len(cs) == 0 {
		return 0, errors.New("no corrected labels yet: correct some messages' sentiment in the inbox first")
	}
	base, err := w.baseModel(ctx)
	if err != nil {
		return 0, err
	}
	m, err := retrain(base, cs)
	if err != nil {
		return 0, err
	}
	if err := w.putModel(ctx, settingSentimentModel, m); err != nil {
		return 0, fmt.Errorf("save retrained model: %w", err)
	}
	w.Pipeline.SetScorer(m)
	return len(cs), nil
}

func retrain(base *sentiment.Model, cs []store.Correction) (*sentiment.Model, error) {
	ex := make([]sentiment.Example, 0, len(cs))
	for _, c := range cs {
		ex = append(ex, sentiment.Example{Text: c.Text, Label: c.Label})
	}
	m, err := base.Retrain(ex)
	if err != nil {
		return nil, fmt.Errorf("retrain sentiment: %w", err)
	}
	p := m.Provenance()
	p.RetrainedAt = time.Now().UTC().Truncate(time.Second)
	m.SetProvenance(p)
	return m, nil
}

// SentimentModelInfo says which model scores new messages and where it came from.
type SentimentModelInfo struct {
	// Origin is "shipped", "imported" or "retrained".
	Origin     string               `json:"origin"`
	Provenance sentiment.Provenance `json:"provenance"`
	// Imported is true when an imported model is the base (also under a retrain).
	Imported bool `json:"imported"`
}

// SentimentModel describes the model in use.
func (w *Workspace) SentimentModel(ctx context.Context) (SentimentModelInfo, error) {
	origin := "shipped"
	if _, found, err := w.setting(ctx, settingSentimentModel); err != nil {
		return SentimentModelInfo{}, err
	} else if found {
		origin = "retrained"
	}
	_, imported, err := w.setting(ctx, settingSentimentBase)
	if err != nil {
		return SentimentModelInfo{}, err
	}
	if imported && origin == "shipped" {
		origin = "imported"
	}
	m, err := w.loadModel(ctx)
	if err != nil {
		return SentimentModelInfo{}, err
	}
	return SentimentModelInfo{Origin: origin, Provenance: m.Provenance(), Imported: imported}, nil
}

// ImportSentimentModel makes the model file read from r the base for this
// workspace: new messages are scored with it and retrains start from it.
// Stored corrections are learnt on top of it at once, so a manager's labels
// keep winning after an import. The file must be a Stormdesk model; its
// provenance (licence, sources) is returned for the caller to show.
func (w *Workspace) ImportSentimentModel(ctx context.Context, r io.Reader) (SentimentModelInfo, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxModelFile+1))
	if err != nil {
		return SentimentModelInfo{}, fmt.Errorf("import sentiment model: %w", err)
	}
	if len(b) > maxModelFile {
		return SentimentModelInfo{}, fmt.Errorf("import sentiment model: file larger than %d MB", maxModelFile>>20)
	}
	base, err := sentiment.Load(bytes.NewReader(b))
	if err != nil {
		return SentimentModelInfo{}, fmt.Errorf("import sentiment model: %w", err)
	}
	if err := w.Store.PutSetting(ctx, settingSentimentBase, base64.StdEncoding.EncodeToString(b)); err != nil {
		return SentimentModelInfo{}, fmt.Errorf("import sentiment model: %w", err)
	}
	if err := w.applyCorrections(ctx, base); err != nil {
		return SentimentModelInfo{}, err
	}
	return w.SentimentModel(ctx)
}

// ResetSentimentModel drops the imported model and goes back to the shipped
// one, with the stored corrections learnt on top of it again.
func (w *Workspace) ResetSentimentModel(ctx context.Context) (SentimentModelInfo, error) {
	if err := w.Store.DeleteSetting(ctx, settingSentimentBase); err != nil {
		return SentimentModelInfo{}, fmt.Errorf("reset sentiment model: %w", err)
	}
	base, err := sentiment.Default()
	if err != nil {
		return SentimentModelInfo{}, err
	}
	if err := w.applyCorrections(ctx, base); err != nil {
		return SentimentModelInfo{}, err
	}
	return w.SentimentModel(ctx)
}

// applyCorrections swaps base in for scoring after an import or reset: the
// retrained model built on the old base is replaced by one built on base, or
// dropped when there are no corrections.
func (w *Workspace) applyCorrections(ctx context.Context, base *sentiment.Model) error {
	cs, err := w.Store.SentimentCorrections(ctx)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		if err := w.Store.DeleteSetting(ctx, settingSentimentModel); err != nil {
			return fmt.Errorf("drop retrained model: %w", err)
		}
		w.Pipeline.SetScorer(base)
		return nil
	}
	m, err := retrain(base, cs)
	if err != nil {
		return err
	}
	if err := w.putModel(ctx, settingSentimentModel, m); err != nil {
		return fmt.Errorf("save retrained model: %w", err)
	}
	w.Pipeline.SetScorer(m)
	return nil
}
