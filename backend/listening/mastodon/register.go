package mastodon

import (
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/listening"
)

// Settings is the stored, non-secret settings of a Mastodon source.
type Settings struct {
	BaseURL  string   `json:"baseUrl"`
	Hashtags []string `json:"hashtags,omitempty"`
}

// Secrets lists the secrets a Mastodon source takes; without the token it
// follows hashtags only.
func Secrets() []channels.Secret {
	return []channels.Secret{{Name: "token", Label: "Access token (read:search)", Required: false}}
}

// Source is a listening.Source.
var _ listening.Source = (*Source)(nil)

// Open builds a source from its stored settings and secrets (by Secrets' names).
func Open(s listening.Setup) (listening.Source, error) {
	var st Settings
	if err := s.DecodeSettings(&st); err != nil {
		return nil, err
	}
	src, err := New(Config{BaseURL: st.BaseURL, Token: s.Secrets["token"], Hashtags: st.Hashtags, HTTPClient: s.HTTP})
	return listening.Opened(s, src, err)
}
