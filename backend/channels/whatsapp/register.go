package whatsapp

import (
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Kind is the channel this package connects.
const Kind = inbox.ChannelWhatsApp

// Settings are the stored, non-secret settings of a WhatsApp account.
type Settings struct {
	PhoneNumberID string `json:"phoneNumberId"`
	WABAID        string `json:"wabaId"`
	BaseURL       string `json:"baseUrl,omitempty"`
}

// Secret names. The app secret and verify token are the Meta app's webhook
// credentials: the team server checks each webhook's signature with the one
// and answers Meta's subscription challenge with the other.
const (
	SecretToken       = "access-token"
	SecretAppSecret   = "app-secret"
	SecretVerifyToken = "verify-token"
)

// Secrets lists the secrets a WhatsApp account needs.
func Secrets() []channels.Secret {
	return []channels.Secret{
		{Name: SecretToken, Label: "System user access token", Required: true},
		{Name: SecretAppSecret, Label: "App secret (webhook signatures)", Required: true},
		{Name: SecretVerifyToken, Label: "Webhook verify token", Required: true},
	}
}

// Open builds the connector of one account for the registry.
func Open(s channels.Setup) (channels.Connector, error) {
	var st Settings
	if err := s.DecodeSettings(&st); err != nil {
		return nil, err
	}
	return s.Opened(New(Config{PhoneNumberID: st.PhoneNumberID, WABAID: st.WABAID, Token: s.Secrets[SecretToken],
		HTTPClient: s.HTTP, BaseURL: st.BaseURL, Logger: s.Log}))
}
