package youtube

import (
	"github.com/stormdesk/stormdesk/backend/channels"
	yt "github.com/stormdesk/stormdesk/backend/channels/youtube"
	"github.com/stormdesk/stormdesk/backend/listening"
)

// Settings is the stored, non-secret settings of a YouTube listening source;
// zero fields take Config's defaults.
type Settings struct {
	BaseURL     string `json:"baseUrl,omitempty"`
	Reserve     int    `json:"reserve,omitempty"`
	MaxPages    int    `json:"maxPages,omitempty"`
	WatchVideos int    `json:"watchVideos,omitempty"`
}

// Secrets lists the secrets a YouTube listening source needs.
func Secrets() []channels.Secret {
	return []channels.Secret{{Name: "api-key", Label: "API key", Required: true}}
}

// Opener returns the Open of YouTube listening sources. quota is the one the
// inbox's YouTube accounts of the same Google project spend from.
func Opener(quota *yt.Quota) func(listening.Setup) (listening.Source, error) {
	return func(s listening.Setup) (listening.Source, error) {
		var st Settings
		if err := s.DecodeSettings(&st); err != nil {
			return nil, err
		}
		src, err := New(Config{APIKey: s.Secrets["api-key"], HTTPClient: s.HTTP, BaseURL: st.BaseURL, Quota: quota,
			Reserve: st.Reserve, MaxPages: st.MaxPages, WatchVideos: st.WatchVideos, Logger: s.Log})
		return listening.Opened(s, src, err)
	}
}
