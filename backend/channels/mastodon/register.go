package mastodon

import (
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Kind is the channel this package connects.
const Kind = inbox.ChannelMastodon

// Settings is the stored, non-secret settings of a Mastodon account.
type Settings struct {
	BaseURL         string `json:"baseUrl"`
	ReplyVisibility string `json:"replyVisibility,omitempty"`
}

// Secrets lists the secrets a Mastodon account needs.
func Secrets() []channels.Secret {
	return []channels.Secret{{Name: "token", Label: "Access token (read, write)", Required: true}}
}

// Open builds the connector of one account for the registry.
func Open(s channels.Setup) (channels.Connector, error) {
	var st Settings
	if err := s.DecodeSettings(&st); err != nil {
		return nil, err
	}
	return s.Opened(New(Config{BaseURL: st.BaseURL, Token: s.Secrets["token"], HTTPClient: s.HTTP, ReplyVisibility: st.ReplyVisibility, Logger: s.Log}))
}
