package facebook

import (
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Kind is the channel this package connects.
const Kind = inbox.ChannelFacebook

// Settings is the stored, non-secret settings of a Facebook Page.
type Settings struct {
	PageID  string `json:"pageId"`
	BaseURL string `json:"baseUrl,omitempty"`
}

// Secrets lists the secrets a Facebook Page needs.
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
