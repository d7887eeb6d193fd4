package main

import (
	"context"
	"time"

	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// classifyRunTimeout bounds a run started from Settings: a slow model on a
// large backlog must not keep the button busy for good.
const classifyRunTimeout = 10 * time.Minute

// ClassifyService runs the optional LLM sentiment pass over the messages the
// offline model was unsure about (docs/sentiment.md, "LLM classification").
type ClassifyService struct{ app *App }

func (s *ClassifyService) worker() (*workspace.ClassifyWorker, error) {
	return started(s.app, &s.app.classifier, "classification")
}

// Status returns the settings (defaults filled in), whether an LLM is
// configured (false in offline mode) and the last run's outcome.
func (s *ClassifyService) Status() (workspace.ClassifyStatus, error) {
	return callOn(s.app, s.worker, func(ctx context.Context, w *workspace.ClassifyWorker) (workspace.ClassifyStatus, error) {
		return w.Status(ctx)
	})
}

// SaveSettings stores the classify part of the LLM settings (on/off, threshold, batch size).
func (s *ClassifyService) SaveSettings(in drafts.ClassifySettings) error {
	return doOn(s.app, s.worker, func(ctx context.Context, w *workspace.ClassifyWorker) error {
		return w.SaveSettings(ctx, in)
	})
}

// RunNow classifies the uncertain messages now, even while the background
// pass is off, and returns how many were labelled and relabelled.
func (s *ClassifyService) RunNow() (workspace.ClassifyResult, error) {
	return callOn(s.app, s.worker, func(ctx context.Context, w *workspace.ClassifyWorker) (workspace.ClassifyResult, error) {
		ctx, cancel := context.WithTimeout(ctx, classifyRunTimeout)
		defer cancel()
		return w.RunOnce(ctx, true) // a run that relabels emits "inbox:changed" itself
	})
}
