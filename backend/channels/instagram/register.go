package instagram

import (
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Kind is the channel this package connects.
const Kind = inbox.ChannelInstagram

// Settings is the stored, non-secret settings of an Instagram account.
type Settings struct {
	PageID  string `json:"pageId"` // the Facebook Page linked to the account
	BaseURL string `json:"baseUrl,omitempty"`
}

// Secrets lists the secrets an Instagram account needs.
func Secrets() []channels.Secret {
	return []channels.Secret{{Name: "user-token", Label: "Long-lived user access token", Required: true}}
}

// Open builds the connector of one account for the registry.
func Open(s channels.Setup) (channels.Connector, error) {
	var st Settings
	if err := s.DecodeSettings(&st); err != nil {
		return nil, err
	}
	return s.Opened(New(Config{PageID: st.PageID, UserToken: s.Secrets["user-token"], HTTPClient: s.HTTP, BaseURL: st.BaseURL, Logger: s.Log}))
}
