package telegram

import (
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Kind is the channel this package connects.
const Kind = inbox.ChannelTelegram

// Settings is the stored, non-secret settings of a Telegram bot account.
type Settings struct {
	BaseURL string `json:"baseUrl,omitempty"`
}

// Secrets lists the secrets a bot account needs.
func Secrets() []channels.Secret {
	return []channels.Secret{{Name: "token", Label: "Bot token from @BotFather", Required: true}}
}

// Open builds the connector of one account for the registry.
func Open(s channels.Setup) (channels.Connector, error) {
	var st Settings
	if err := s.DecodeSettings(&st); err != nil {
		return nil, err
	}
	return s.Opened(New(Config{Token: s.Secrets["token"], BaseURL: st.BaseURL, HTTPClient: s.HTTP, Logger: s.Log, SentAt: s.SentAt}))
}
