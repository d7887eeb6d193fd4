// Package registry builds a channel connector from an account's stored
// settings and its secrets in the OS keyring. It is the one place that knows
// every channel package, so the rest of the app deals only in channels.Connector.
package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/imap"
	"github.com/stormdesk/stormdesk/backend/channels/mastodon"
	"github.com/stormdesk/stormdesk/backend/channels/telegram"
	"github.com/stormdesk/stormdesk/backend/channels/vk"
	"github.com/stormdesk/stormdesk/backend/channels/youtube"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/secrets"
)

// Secrets reads an account's secrets (see secrets.Keyring).
type Secrets interface {
	Get(ctx context.Context, key string) (string, error)
}

// Secret describes one secret a channel needs.
type Secret struct {
	Name     string `json:"name"` // stored under secrets.Key(account, Name)
	Label    string `json:"label"`
	Required bool   `json:"required"`
}

// SecretsFor lists the secrets of a channel, for setup forms and the CLI.
func SecretsFor(kind inbox.ChannelKind) []Secret {
	switch kind {
	case inbox.ChannelMail:
		return []Secret{{"password", "IMAP password", true}, {"smtp-password", "SMTP password (if different)", false}}
	case inbox.ChannelTelegram:
		return []Secret{{"token", "Bot token from @BotFather", true}}
	case inbox.ChannelMastodon:
		return []Secret{{"token", "Access token (read, write)", true}}
	case inbox.ChannelVK:
		return []Secret{{"token", "Community access token", true}, {"user-token", "Admin user token (wall comments)", false}}
	case inbox.ChannelYouTube:
		return []Secret{{"api-key", "API key", true}, {"oauth-token", "OAuth access token (replies, moderation)", false}}
	}
	return nil
}

// Mail is the stored, non-secret settings of a mail account.
type Mail struct {
	Host              string   `json:"host"`
	Port              int      `json:"port"`
	TLS               string   `json:"tls"` // imaps, starttls, plain (loopback only)
	Username          string   `json:"username"`
	Folders           []string `json:"folders,omitempty"`
	IncludeSpecial    bool     `json:"includeSpecial,omitempty"`
	From              string   `json:"from"`
	SMTPHost          string   `json:"smtpHost"`
	SMTPPort          int      `json:"smtpPort"`
	SMTPTLS           string   `json:"smtpTls"` // tls, starttls, plain (loopback only)
	SMTPUsername      string   `json:"smtpUsername,omitempty"`
	AllowRemoteImages bool     `json:"allowRemoteImages,omitempty"`
}

// Telegram is the stored settings of a Telegram bot account.
type Telegram struct {
	BaseURL string `json:"baseUrl,omitempty"`
}

// Mastodon is the stored settings of a Mastodon account.
type Mastodon struct {
	BaseURL         string `json:"baseUrl"`
	ReplyVisibility string `json:"replyVisibility,omitempty"`
}

// VK is the stored settings of a VK community.
type VK struct {
	GroupID int64  `json:"groupId"`
	BaseURL string `json:"baseUrl,omitempty"`
}

// YouTube is the stored settings of a YouTube channel.
type YouTube struct {
	ChannelID string `json:"channelId"`
	BaseURL   string `json:"baseUrl,omitempty"`
}

// Deps are what connectors share.
type Deps struct {
	Secrets Secrets
	HTTP    *http.Client // nil = a client with a 90 s timeout (above long-poll waits)
	Log     *slog.Logger
	// YouTubeQuota is shared by every YouTube account of one Google project.
	YouTubeQuota *youtube.Quota
	// MessageSentAt looks up when a stored message was sent, for platform
	// rules with time windows (Telegram deletes only within 48 h); may be nil.
	MessageSentAt func(ctx context.Context, accountID int64, externalID string) (time.Time, bool, error)
}

// Open builds the connector of account a from its stored settings (JSON).
func Open(ctx context.Context, a inbox.Account, settings json.RawMessage, d Deps) (channels.Connector, error) {
	if d.HTTP == nil {
		d.HTTP = &http.Client{Timeout: 90 * time.Second}
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	log := d.Log.With("account", a.Name)
	secret := func(name string, required bool) (string, error) {
		v, err := d.Secrets.Get(ctx, secrets.Key(a.Name, name))
		if errors.Is(err, secrets.ErrNotFound) && !required {
			return "", nil
		}
		if err != nil {
			return "", fmt.Errorf("account %s: %s: %w", a.Name, name, err)
		}
		return v, nil
	}
	decode := func(v any) error {
		dec := json.NewDecoder(strings.NewReader(string(settings)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			return fmt.Errorf("account %s: settings: %w", a.Name, err)
		}
		return nil
	}
	switch a.Channel {
	case inbox.ChannelMail:
		var s Mail
		if err := decode(&s); err != nil {
			return nil, err
		}
		pw, err := secret("password", true)
		if err != nil {
			return nil, err
		}
		smtpPW, err := secret("smtp-password", false)
		if err != nil {
			return nil, err
		}
		if smtpPW == "" {
			smtpPW = pw
		}
		smtpUser := s.SMTPUsername
		if smtpUser == "" {
			smtpUser = s.Username
		}
		return imap.New(imap.Config{Name: a.Name, Host: s.Host, Port: s.Port, TLS: s.TLS, Username: s.Username, Password: pw,
			Folders: s.Folders, IncludeSpecial: s.IncludeSpecial, From: s.From, AllowRemoteImages: s.AllowRemoteImages,
			SMTP:   imap.SMTPConfig{Host: s.SMTPHost, Port: s.SMTPPort, TLS: s.SMTPTLS, Username: smtpUser, Password: smtpPW},
			Logger: log})
	case inbox.ChannelTelegram:
		var s Telegram
		if err := decode(&s); err != nil {
			return nil, err
		}
		tok, err := secret("token", true)
		if err != nil {
			return nil, err
		}
		cfg := telegram.Config{Token: tok, BaseURL: s.BaseURL, HTTPClient: d.HTTP, Logger: log}
		if d.MessageSentAt != nil {
			cfg.SentAt = func(ctx context.Context, externalID string) (time.Time, bool, error) {
				return d.MessageSentAt(ctx, a.ID, externalID)
			}
		}
		return telegram.New(cfg), nil
	case inbox.ChannelMastodon:
		var s Mastodon
		if err := decode(&s); err != nil {
			return nil, err
		}
		tok, err := secret("token", true)
		if err != nil {
			return nil, err
		}
		return mastodon.New(mastodon.Config{BaseURL: s.BaseURL, Token: tok, HTTPClient: d.HTTP, ReplyVisibility: s.ReplyVisibility, Logger: log}), nil
	case inbox.ChannelVK:
		var s VK
		if err := decode(&s); err != nil {
			return nil, err
		}
		tok, err := secret("token", true)
		if err != nil {
			return nil, err
		}
		user, err := secret("user-token", false)
		if err != nil {
			return nil, err
		}
		return vk.New(vk.Config{GroupID: s.GroupID, Token: tok, UserToken: user, HTTPClient: d.HTTP, BaseURL: s.BaseURL, Logger: log})
	case inbox.ChannelYouTube:
		var s YouTube
		if err := decode(&s); err != nil {
			return nil, err
		}
		key, err := secret("api-key", true)
		if err != nil {
			return nil, err
		}
		oauth, err := secret("oauth-token", false)
		if err != nil {
			return nil, err
		}
		var tok youtube.TokenFunc
		if oauth != "" {
			tok = func(context.Context) (string, error) { return oauth, nil }
		}
		return youtube.New(youtube.Config{ChannelID: s.ChannelID, APIKey: key, Token: tok, HTTPClient: d.HTTP, BaseURL: s.BaseURL, Quota: d.YouTubeQuota, Logger: log})
	}
	return nil, fmt.Errorf("account %s: channel %s has no connector (import accounts are filled by `stormdesk import`)", a.Name, a.Channel)
}

// LimitsFor returns the platform rules of an account's connector, built
// without its secrets (constructors do not connect); zero if it cannot be built.
func LimitsFor(a inbox.Account, settings json.RawMessage) channels.Limits {
	conn, err := Open(context.Background(), a, settings, Deps{Secrets: fixedSecrets{}})
	if err != nil {
		return channels.Limits{}
	}
	if c, ok := conn.(interface{ Close() error }); ok {
		defer c.Close()
	}
	return conn.Limits()
}

// ChannelInfo describes a channel for setup forms.
type ChannelInfo struct {
	Channel inbox.ChannelKind `json:"channel"`
	Secrets []Secret          `json:"secrets"`
}

// Channels lists the channels an account can be set up for, with their secrets.
func Channels() []ChannelInfo {
	var out []ChannelInfo
	for _, k := range inbox.ChannelKinds {
		if k == inbox.ChannelImport {
			continue
		}
		out = append(out, ChannelInfo{Channel: k, Secrets: SecretsFor(k)})
	}
	return out
}

// Validate checks stored settings for a channel without opening a connection.
func Validate(kind inbox.ChannelKind, settings json.RawMessage) error {
	_, err := Open(context.Background(), inbox.Account{Name: "validate", Channel: kind}, settings, Deps{Secrets: fixedSecrets{}})
	return err
}

// fixedSecrets answers every secret, so Validate checks settings only.
type fixedSecrets struct{}

func (fixedSecrets) Get(context.Context, string) (string, error) { return "x", nil }
