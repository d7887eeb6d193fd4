package reddit

import (
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Kind is the channel this package connects.
const Kind = inbox.ChannelReddit

// Settings is the stored, non-secret settings of a Reddit account.
type Settings struct {
	ClientID  string `json:"clientId"`  // the "script" app's id
	Username  string `json:"username"`  // the brand's account, without u/
	UserAgent string `json:"userAgent"` // unique, naming the app and its owner
	MarkRead  bool   `json:"markRead,omitempty"`
	AuthURL   string `json:"authUrl,omitempty"`
	APIURL    string `json:"apiUrl,omitempty"`
}

// Secrets lists the secrets a Reddit account needs.
func Secrets() []channels.Secret {
	return []channels.Secret{
		{Name: "client-secret", Label: "App secret", Required: true},
		{Name: "password", Label: "Account password", Required: true},
	}
}

// Open builds the connector of one account for the registry.
func Open(s channels.Setup) (channels.Connector, error) {
	var st Settings
	if err := s.DecodeSettings(&st); err != nil {
		return nil, err
	}
	return s.Opened(New(Config{ClientID: st.ClientID, Secret: s.Secrets["client-secret"], Username: st.Username, Password: s.Secrets["password"],
		UserAgent: st.UserAgent, MarkRead: st.MarkRead, AuthURL: st.AuthURL, APIURL: st.APIURL, HTTPClient: s.HTTP}))
}
