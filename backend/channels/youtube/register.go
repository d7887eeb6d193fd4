package youtube

import (
	"context"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Kind is the channel this package connects.
const Kind = inbox.ChannelYouTube

// Settings is the stored, non-secret settings of a YouTube channel.
type Settings struct {
	ChannelID string `json:"channelId"`
	BaseURL   string `json:"baseUrl,omitempty"`
}

// Secrets lists the secrets a YouTube channel needs.
func Secrets() []channels.Secret {
	return []channels.Secret{
		{Name: "api-key", Label: "API key", Required: true},
		{Name: "oauth-token", Label: "OAuth access token (replies, moderation)"},
	}
}

// Opener returns the registry's Open for YouTube accounts. quota is shared by
// every account of one Google project, since Google counts units per project.
func Opener(quota *Quota) channels.Open {
	return func(s channels.Setup) (channels.Connector, error) {
		var st Settings
		if err := s.DecodeSettings(&st); err != nil {
			return nil, err
		}
		var tok TokenFunc
		if oauth := s.Secrets["oauth-token"]; oauth != "" {
			tok = func(context.Context) (string, error) { return oauth, nil }
		}
		return s.Opened(New(Config{ChannelID: st.ChannelID, APIKey: s.Secrets["api-key"], Token: tok,
			HTTPClient: s.HTTP, BaseURL: st.BaseURL, Quota: quota, Logger: s.Log}))
	}
}
