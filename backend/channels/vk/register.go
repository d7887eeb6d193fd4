package vk

import (
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Kind is the channel this package connects.
const Kind = inbox.ChannelVK

// Settings is the stored, non-secret settings of a VK community.
type Settings struct {
	GroupID int64  `json:"groupId"`
	BaseURL string `json:"baseUrl,omitempty"`
}

// Secrets lists the secrets a VK community needs.
func Secrets() []channels.Secret {
	return []channels.Secret{
		{Name: "token", Label: "Community access token", Required: true},
		{Name: "user-token", Label: "Admin user token (wall comments)"},
	}
}

// Open builds the connector of one account for the registry.
func Open(s channels.Setup) (channels.Connector, error) {
	var st Settings
	if err := s.DecodeSettings(&st); err != nil {
		return nil, err
	}
	return s.Opened(New(Config{GroupID: st.GroupID, Token: s.Secrets["token"], UserToken: s.Secrets["user-token"],
		HTTPClient: s.HTTP, BaseURL: st.BaseURL, Logger: s.Log}))
}
