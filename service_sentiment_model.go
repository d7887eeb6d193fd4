package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/sentiment"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// SentimentModelView is the sentiment model in use as Settings shows it: its
// name, licence and sources, so a user sees before relying on it whether it
// may be used commercially.
type SentimentModelView struct {
	Origin      string                 `json:"origin"` // shipped, imported or retrained
	Imported    bool                   `json:"imported"`
	Name        string                 `json:"name"`
	Licence     string                 `json:"licence"`
	Commercial  bool                   `json:"commercial"`
	Base        string                 `json:"base"`
	RetrainedAt *time.Time             `json:"retrainedAt"`
	Sources     []sentiment.Source     `json:"sources"`
	Evaluation  []sentiment.EvalFigure `json:"evaluation"`
}

func sentimentModelView(in workspace.SentimentModelInfo) SentimentModelView {
	p := in.Provenance
	v := SentimentModelView{
		Origin: in.Origin, Imported: in.Imported, Name: p.Name, Licence: p.Licence, Commercial: p.Commercial,
		Base: p.Base, Sources: append([]sentiment.Source{}, p.Sources...), Evaluation: append([]sentiment.EvalFigure{}, p.Evaluation...),
	}
	if !p.RetrainedAt.IsZero() {
		at := p.RetrainedAt
		v.RetrainedAt = &at
	}
	return v
}

// SentimentModel describes the model new messages are scored with.
func (s *ModelSettingsService) SentimentModel() (SentimentModelView, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (SentimentModelView, error) {
		info, err := ws.SentimentModel(ctx)
		return sentimentModelView(info), err
	})
}

// ImportSentimentModel makes an uploaded model file (base64, as the page
// reads it from a file input) the workspace's model and returns its
// provenance; a file that is not a Stormdesk model is refused unchanged.
func (s *ModelSettingsService) ImportSentimentModel(contentBase64 string) (SentimentModelView, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (SentimentModelView, error) {
		b, err := base64.StdEncoding.DecodeString(contentBase64)
		if err != nil {
			return sentimentModelView(workspace.SentimentModelInfo{}), apperr.InvalidInput("model", fmt.Errorf("model file: %w", err))
		}
		info, err := ws.ImportSentimentModel(ctx, bytes.NewReader(b))
		if apperr.Is(err, apperr.CodeModelFeaturesUnknown) {
			// A model from a newer build: say so, rather than "invalid file".
			return sentimentModelView(workspace.SentimentModelInfo{}), apperr.Classify(err)
		}
		if err != nil {
			return sentimentModelView(workspace.SentimentModelInfo{}), apperr.InvalidInput("model", err)
		}
		return sentimentModelView(info), nil
	})
}

// ResetSentimentModel goes back to the model shipped with Stormdesk.
func (s *ModelSettingsService) ResetSentimentModel() (SentimentModelView, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (SentimentModelView, error) {
		info, err := ws.ResetSentimentModel(ctx)
		return sentimentModelView(info), err
	})
}
