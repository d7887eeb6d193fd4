package hn

import (
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/listening"
)

// Settings is the stored settings of a Hacker News source: nothing but,
// for tests, another address of the search API.
type Settings struct {
	BaseURL string `json:"baseUrl,omitempty"` // "" = hn.algolia.com
}

// Secrets lists the secrets a Hacker News source needs: none.
func Secrets() []channels.Secret { return nil }

// Source is a listening.Source.
var _ listening.Source = (*Source)(nil)

// Open builds a source from its stored settings.
func Open(s listening.Setup) (listening.Source, error) {
	var st Settings
	if err := s.DecodeSettings(&st); err != nil {
		return nil, err
	}
	return New(Config{BaseURL: st.BaseURL, HTTPClient: s.HTTP}), nil
}
