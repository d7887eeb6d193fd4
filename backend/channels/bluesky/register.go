package bluesky

import (
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Kind is the channel this package connects.
const Kind = inbox.ChannelBluesky

// Settings is the stored, non-secret settings of a Bluesky account.
type Settings struct {
	Identifier string `json:"identifier"`        // handle or e-mail
	BaseURL    string `json:"baseUrl,omitempty"` // the PDS; "" = bsky.social
}

// Secrets lists the secrets a Bluesky account needs.
func Secrets() []channels.Secret {
	return []channels.Secret{{Name: "app-password", Label: "App password", Required: true}}
}

// Open builds the connector of one account for the registry.
func Open(s channels.Setup) (channels.Connector, error) {
	var st Settings
	if err := s.DecodeSettings(&st); err != nil {
		return nil, err
	}
	return s.Opened(New(Config{Identifier: st.Identifier, AppPassword: s.Secrets["app-password"], BaseURL: st.BaseURL, HTTPClient: s.HTTP}))
}
