package reddit

import (
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/listening"
)

// Settings is the stored, non-secret settings of a Reddit source.
type Settings struct {
	ClientID   string   `json:"clientId"`
	UserAgent  string   `json:"userAgent"`
	Subreddits []string `json:"subreddits,omitempty"`
	AuthURL    string   `json:"authUrl,omitempty"` // "" = www.reddit.com
	APIURL     string   `json:"apiUrl,omitempty"`  // "" = oauth.reddit.com
}

// SecretClientSecret names the source's app secret, as the Reddit inbox
// channel names its own.
const SecretClientSecret = "client-secret"

// Secrets lists the secrets a Reddit source needs.
func Secrets() []channels.Secret {
	return []channels.Secret{{Name: SecretClientSecret, Label: "App secret", Required: true}}
}

// Source is a listening.Source.
var _ listening.Source = (*Source)(nil)

// Open builds a source from its stored settings and secrets (by Secrets' names).
func Open(s listening.Setup) (listening.Source, error) {
	var st Settings
	if err := s.DecodeSettings(&st); err != nil {
		return nil, err
	}
	src, err := New(Config{ClientID: st.ClientID, Secret: s.Secrets[SecretClientSecret], UserAgent: st.UserAgent, Subreddits: st.Subreddits,
		AuthURL: st.AuthURL, APIURL: st.APIURL, HTTPClient: s.HTTP})
	return listening.Opened(s, src, err)
}
