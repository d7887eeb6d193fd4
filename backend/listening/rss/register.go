package rss

import (
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/listening"
)

// Settings is the stored, non-secret settings of a feed source.
type Settings struct {
	// URL is the feed's address; empty when it is kept as the "url" secret.
	URL       string `json:"url,omitempty"`
	UserAgent string `json:"userAgent,omitempty"`
}

// Secrets lists the secrets of a feed: a private feed's address carries its
// token (?key=…), so such an address is kept in the keyring, not the settings.
func Secrets() []channels.Secret {
	return []channels.Secret{{Name: "url", Label: "Private feed address (with its token)"}}
}

// Open builds a feed source from its stored settings and secrets; the secret
// address, when there is one, wins over the settings'.
func Open(s listening.Setup) (listening.Source, error) {
	var st Settings
	if err := s.DecodeSettings(&st); err != nil {
		return nil, err
	}
	u := st.URL
	if secret := s.Secrets["url"]; secret != "" {
		u = secret
	}
	src, err := New(Config{URL: u, UserAgent: st.UserAgent, HTTPClient: s.HTTP, Logger: s.Log})
	return listening.Opened(s, src, err)
}
