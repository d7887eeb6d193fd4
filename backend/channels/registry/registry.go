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
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/bluesky"
	"github.com/stormdesk/stormdesk/backend/channels/facebook"
	"github.com/stormdesk/stormdesk/backend/channels/imap"
	"github.com/stormdesk/stormdesk/backend/channels/instagram"
	"github.com/stormdesk/stormdesk/backend/channels/mastodon"
	"github.com/stormdesk/stormdesk/backend/channels/reddit"
	"github.com/stormdesk/stormdesk/backend/channels/telegram"
	"github.com/stormdesk/stormdesk/backend/channels/vk"
	"github.com/stormdesk/stormdesk/backend/channels/whatsapp"
	"github.com/stormdesk/stormdesk/backend/channels/youtube"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/secrets"
)

// Secrets reads an account's secrets (see secrets.Keyring).
type Secrets interface {
	Get(ctx context.Context, key string) (string, error)
}

// Secret describes one secret a channel needs. It stays a type of this
// package (not an alias of channels.Secret) so the bindings generated for the
// UI keep their name.
type Secret struct {
	Name     string `json:"name"` // stored under secrets.Key(account, Name)
	Label    string `json:"label"`
	Required bool   `json:"required"`
}

// kind is one channel the registry can build a connector for.
type kind struct {
	channel inbox.ChannelKind
	secrets []channels.Secret
	open    channels.Open
}

// kinds is the one list of connectors. Adding a channel is a package with
// Kind, Secrets and Open, and one line here. Deps are what the Open
// functions close over (YouTube's shared quota).
func kinds(d Deps) []kind {
	return []kind{
		{imap.Kind, imap.Secrets(), imap.Open},
		{telegram.Kind, telegram.Secrets(), telegram.Open},
		{mastodon.Kind, mastodon.Secrets(), mastodon.Open},
		{vk.Kind, vk.Secrets(), vk.Open},
		{youtube.Kind, youtube.Secrets(), youtube.Opener(d.YouTubeQuota)},
		{bluesky.Kind, bluesky.Secrets(), bluesky.Open},
		{reddit.Kind, reddit.Secrets(), reddit.Open},
		{facebook.Kind, facebook.Secrets(), facebook.Open},
		{instagram.Kind, instagram.Secrets(), instagram.Open},
		{whatsapp.Kind, whatsapp.Secrets(), whatsapp.Open},
	}
}

func lookup(d Deps, ch inbox.ChannelKind) (kind, bool) {
	for _, k := range kinds(d) {
		if k.channel == ch {
			return k, true
		}
	}
	return kind{}, false
}

// SecretsFor lists the secrets of a channel, for setup forms and the CLI.
func SecretsFor(ch inbox.ChannelKind) []Secret {
	k, ok := lookup(Deps{}, ch)
	if !ok {
		return nil
	}
	out := make([]Secret, len(k.secrets))
	for i, s := range k.secrets {
		out[i] = Secret(s)
	}
	return out
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
	k, ok := lookup(d, a.Channel)
	if !ok {
		return nil, fmt.Errorf("account %s: channel %s has no connector (import accounts are filled by `stormdesk import`)", a.Name, a.Channel)
	}
	if d.HTTP == nil {
		d.HTTP = &http.Client{Timeout: 90 * time.Second}
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	// Every secret of the kind is read before Open, so connector packages
	// never see the keyring.
	sec := make(map[string]string, len(k.secrets))
	for _, x := range k.secrets {
		v, err := d.Secrets.Get(ctx, secrets.Key(a.Name, x.Name))
		if errors.Is(err, secrets.ErrNotFound) && !x.Required {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("account %s: %s: %w", a.Name, x.Name, err)
		}
		sec[x.Name] = v
	}
	s := channels.Setup{Account: a, Settings: settings, Secrets: sec, HTTP: d.HTTP, Log: d.Log.With("account", a.Name)}
	if d.MessageSentAt != nil {
		s.SentAt = func(ctx context.Context, externalID string) (time.Time, bool, error) {
			return d.MessageSentAt(ctx, a.ID, externalID)
		}
	}
	return k.open(s)
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
func Validate(ch inbox.ChannelKind, settings json.RawMessage) error {
	_, err := Open(context.Background(), inbox.Account{Name: "validate", Channel: ch}, settings, Deps{Secrets: fixedSecrets{}})
	return err
}

// fixedSecrets answers every secret, so Validate checks settings only.
type fixedSecrets struct{}

func (fixedSecrets) Get(context.Context, string) (string, error) { return "x", nil }
