package main

import (
	"context"
	"time"

	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// llmTestTimeout bounds "Test" in the model settings, so an unreachable
// server answers with an error instead of a spinner.
const llmTestTimeout = 30 * time.Second

// ModelSettingsService configures the models: the drafting LLM (any
// OpenAI-compatible server) and the offline sentiment model's retraining.
type ModelSettingsService struct{ app *App }

// LLMSettings is the drafting model's configuration; the key stays in the OS keyring.
type LLMSettings struct {
	Settings  drafts.Settings `json:"settings"`
	HasAPIKey bool            `json:"hasApiKey"`
	APIKey    string          `json:"apiKey"` // only sent by the UI; empty keeps the stored key
}

func (s *ModelSettingsService) composer() (*workspace.Composer, error) {
	return started(s.app, &s.app.composer, "drafting")
}

// LLM returns the drafting model's settings.
func (s *ModelSettingsService) LLM() (LLMSettings, error) {
	return callOn(s.app, s.composer, func(ctx context.Context, c *workspace.Composer) (LLMSettings, error) {
		set, has, err := c.LLMSettings(ctx)
		return LLMSettings{Settings: set, HasAPIKey: has}, err
	})
}

// SaveLLM stores the drafting model's settings; the key goes to the OS keyring.
func (s *ModelSettingsService) SaveLLM(in LLMSettings) error {
	return doOn(s.app, s.composer, func(ctx context.Context, c *workspace.Composer) error {
		return c.SaveLLMSettings(ctx, in.Settings, in.APIKey)
	})
}

// TestLLM lists the configured server's models, or says why it cannot.
func (s *ModelSettingsService) TestLLM() ([]string, error) {
	return callOn(s.app, s.composer, func(ctx context.Context, c *workspace.Composer) ([]string, error) {
		ctx, cancel := context.WithTimeout(ctx, llmTestTimeout)
		defer cancel()
		return c.TestLLM(ctx)
	})
}

// RetrainSentiment learns the corrected labels on top of the shipped model and
// returns how many it learnt.
func (s *ModelSettingsService) RetrainSentiment() (int, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (int, error) {
		return ws.RetrainSentiment(ctx)
	})
}
