package graph

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
)

// PageConfig is what a connector of a Facebook Page (or of the Instagram
// account linked to one) is configured with.
type PageConfig struct {
	PageID     string
	UserToken  string // long-lived user token of a person with a task on the Page
	HTTPClient *http.Client
	BaseURL    string // "" = DefaultBaseURL
	Retry      channels.Retry
	Pacer      *Pacer // shared by the accounts of one app; nil = the connector's own
	// MaxPages bounds the pages read per post, media or conversation per Fetch. 0 = 4.
	MaxPages int
	Now      func() time.Time // nil = time.Now
	Logger   *slog.Logger
}

// Open checks c, fills its defaults, and returns the client and the Page token
// cache the connector works with; it does no I/O.
func (c *PageConfig) Open(platform string) (*Client, *PageTokenCache, error) {
	if _, err := strconv.ParseUint(c.PageID, 10, 64); err != nil {
		return nil, nil, fmt.Errorf("%s: the Facebook Page id must be its number (%q)", platform, c.PageID)
	}
	if c.UserToken == "" {
		return nil, nil, errors.New(platform + ": the user access token is empty")
	}
	if c.MaxPages <= 0 {
		c.MaxPages = 4
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	api := New(Options{Platform: platform, HTTPClient: c.HTTPClient, BaseURL: c.BaseURL, Retry: c.Retry, Pacer: c.Pacer, Logger: c.Logger})
	return api, &PageTokenCache{Client: api, UserToken: c.UserToken, PageID: c.PageID}, nil
}

// PageSettings is the stored, non-secret settings of a Page account.
type PageSettings struct {
	PageID  string `json:"pageId"`
	BaseURL string `json:"baseUrl,omitempty"`
	// IGUserID is the Instagram account's id, which Instagram webhooks name
	// the account by; only the team server's webhook routing reads it.
	IGUserID string `json:"igUserId,omitempty"`
}

// UserTokenSecrets lists the secrets of a Page account: the user token, and
// the Meta app's webhook secrets, which only the team server uses (polling
// needs neither).
func UserTokenSecrets() []channels.Secret {
	return []channels.Secret{{Name: "user-token", Label: "Long-lived user access token", Required: true},
		{Name: "app-secret", Label: "App secret (webhooks, team server only)"},
		{Name: "verify-token", Label: "Webhook verify token (team server only)"}}
}

// PageSetup reads a registry Setup into a PageConfig.
func PageSetup(s channels.Setup) (PageConfig, error) {
	var st PageSettings
	if err := s.DecodeSettings(&st); err != nil {
		return PageConfig{}, err
	}
	return PageConfig{PageID: st.PageID, UserToken: s.Secrets["user-token"], HTTPClient: s.HTTP, BaseURL: st.BaseURL, Logger: s.Log}, nil
}
