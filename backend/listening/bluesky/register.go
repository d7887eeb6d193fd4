package bluesky

import (
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/listening"
)

// Settings is the stored, non-secret settings of a Bluesky source.
type Settings struct {
	Identifier string `json:"identifier"`        // handle or e-mail
	BaseURL    string `json:"baseUrl,omitempty"` // the PDS; "" = bsky.social
}

// SecretAppPassword names the source's app password, as the Bluesky inbox
// channel names its own (app passwords are made the same way).
const SecretAppPassword = "app-password"

// Secrets lists the secrets a Bluesky source needs.
func Secrets() []channels.Secret {
	return []channels.Secret{{Name: SecretAppPassword, Label: "App password", Required: true}}
}

// Source is a listening.Source.
var _ listening.Source = (*Source)(nil)

// Open builds a source from its stored settings and secrets (by Secrets' names).
func Open(s listening.Setup) (listening.Source, error) {
	var st Settings
	if err := s.DecodeSettings(&st); err != nil {
		return nil, err
	}
	src, err := New(Config{Identifier: st.Identifier, AppPassword: s.Secrets[SecretAppPassword], BaseURL: st.BaseURL, HTTPClient: s.HTTP})
	return listening.Opened(s, src, err)
}
