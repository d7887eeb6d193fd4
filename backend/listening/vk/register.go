package vk

import (
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/listening"
)

// Settings is the stored, non-secret settings of a VK listening source.
type Settings struct {
	BaseURL  string `json:"baseUrl,omitempty"`
	PageSize int    `json:"pageSize,omitempty"`
	MaxPages int    `json:"maxPages,omitempty"`
}

// Secrets lists the secrets a VK listening source needs.
func Secrets() []channels.Secret {
	return []channels.Secret{{Name: "token", Label: "User or service access token", Required: true}}
}

// Open builds a VK listening source from its stored settings and secrets.
func Open(s listening.Setup) (listening.Source, error) {
	var st Settings
	if err := s.DecodeSettings(&st); err != nil {
		return nil, err
	}
	src, err := New(Config{Token: s.Secrets["token"], HTTPClient: s.HTTP, BaseURL: st.BaseURL, PageSize: st.PageSize, MaxPages: st.MaxPages, Logger: s.Log})
	return listening.Opened(s, src, err)
}
