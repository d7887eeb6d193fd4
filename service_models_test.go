package main

import (
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/drafts"
)

// The UI edits the drafting settings in milliseconds and sends back what it
// did not touch; a round trip must give the stored settings back unchanged.
func TestModelSettingsRoundTrip(t *testing.T) {
	in := drafts.Settings{
		Provider: drafts.ProviderAzure, BaseURL: "http://127.0.0.1:1/v1", Model: "m", APIVersion: "2024-06-01",
		Timeout: 90 * time.Second, Temperature: 0.3, MaxTokens: 512, NoStreamUsage: true,
		Retry:    drafts.RetryPolicy{MaxAttempts: 5, BaseDelay: 750 * time.Millisecond, MaxDelay: 8 * time.Second, MaxRetryAfter: time.Minute, Jitter: 0.2},
		Classify: drafts.ClassifySettings{Enabled: true, Threshold: 0.55, Batch: 30},
	}
	w := modelSettings(in)
	if w.TimeoutMs != 90000 || w.Retry.BaseDelayMs != 750 || w.Retry.MaxRetryAfterMs != 60000 {
		t.Fatalf("wire = %+v, want milliseconds", w)
	}
	if out := w.settings(); out != in {
		t.Fatalf("round trip = %+v, want %+v", out, in)
	}
}
