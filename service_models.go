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
	Settings  ModelSettings `json:"settings"`
	HasAPIKey bool          `json:"hasApiKey"`
	APIKey    string        `json:"apiKey"` // only sent by the UI; empty keeps the stored key
}

// ModelSettings is drafts.Settings as the UI reads it: durations in
// milliseconds. drafts.Settings itself stays as it is because it is stored as
// JSON (with nanoseconds) in existing databases.
type ModelSettings struct {
	Provider      string                  `json:"provider"`
	BaseURL       string                  `json:"baseUrl"`
	Model         string                  `json:"model"`
	APIVersion    string                  `json:"apiVersion"`
	TimeoutMs     int64                   `json:"timeoutMs"`
	Temperature   float32                 `json:"temperature"`
	MaxTokens     int                     `json:"maxTokens"`
	NoStreamUsage bool                    `json:"noStreamUsage"`
	Retry         ModelRetry              `json:"retry"`
	Classify      drafts.ClassifySettings `json:"classify"`
}

// ModelRetry is drafts.RetryPolicy with its waits in milliseconds.
type ModelRetry struct {
	MaxAttempts     int     `json:"maxAttempts"`
	BaseDelayMs     int64   `json:"baseDelayMs"`
	MaxDelayMs      int64   `json:"maxDelayMs"`
	MaxRetryAfterMs int64   `json:"maxRetryAfterMs"`
	Jitter          float64 `json:"jitter"`
}

func modelSettings(s drafts.Settings) ModelSettings {
	return ModelSettings{
		Provider: s.Provider, BaseURL: s.BaseURL, Model: s.Model, APIVersion: s.APIVersion,
		TimeoutMs: s.Timeout.Milliseconds(), Temperature: s.Temperature, MaxTokens: s.MaxTokens,
		NoStreamUsage: s.NoStreamUsage, Classify: s.Classify,
		Retry: ModelRetry{
			MaxAttempts: s.Retry.MaxAttempts, BaseDelayMs: s.Retry.BaseDelay.Milliseconds(),
			MaxDelayMs: s.Retry.MaxDelay.Milliseconds(), MaxRetryAfterMs: s.Retry.MaxRetryAfter.Milliseconds(),
			Jitter: s.Retry.Jitter,
		},
	}
}

func (m ModelSettings) settings() drafts.Settings {
	ms := func(n int64) time.Duration { return time.Duration(n) * time.Millisecond }
	return drafts.Settings{
		Provider: m.Provider, BaseURL: m.BaseURL, Model: m.Model, APIVersion: m.APIVersion,
		Timeout: ms(m.TimeoutMs), Temperature: m.Temperature, MaxTokens: m.MaxTokens,
		NoStreamUsage: m.NoStreamUsage, Classify: m.Classify,
		Retry: drafts.RetryPolicy{
			MaxAttempts: m.Retry.MaxAttempts, BaseDelay: ms(m.Retry.BaseDelayMs),
			MaxDelay: ms(m.Retry.MaxDelayMs), MaxRetryAfter: ms(m.Retry.MaxRetryAfterMs),
			Jitter: m.Retry.Jitter,
		},
	}
}

func (s *ModelSettingsService) composer() (*workspace.Composer, error) {
	return started(s.app, &s.app.composer, "drafting")
}

// LLM returns the drafting model's settings.
func (s *ModelSettingsService) LLM() (LLMSettings, error) {
	return callOn(s.app, s.composer, func(ctx context.Context, c *workspace.Composer) (LLMSettings, error) {
		set, has, err := c.LLMSettings(ctx)
		return LLMSettings{Settings: modelSettings(set), HasAPIKey: has}, err
	})
}

// SaveLLM stores the drafting model's settings; the key goes to the OS keyring.
func (s *ModelSettingsService) SaveLLM(in LLMSettings) error {
	return doOn(s.app, s.composer, func(ctx context.Context, c *workspace.Composer) error {
		return c.SaveLLMSettings(ctx, in.Settings.settings(), in.APIKey)
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
