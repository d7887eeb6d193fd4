// Package imap is the mail channel: it syncs IMAP folders with go-imap v2
// (UIDVALIDITY + UID cursors, CONDSTORE flag changes, IDLE push) and sends
// replies over SMTP, appending a copy to the Sent folder.
package imap

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"
	_ "github.com/emersion/go-message/charset" // KOI8-R, windows-1251, ISO-8859-x … for bodies and encoded words

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// TLS modes for IMAP and SMTP.
const (
	TLSImplicit = "imaps"    // IMAP on 993
	TLSStartTLS = "starttls" // IMAP 143, SMTP submission 587
	TLSPlain    = "plain"    // loopback only
	SMTPTLS     = "tls"      // SMTP on 465
)

// Defaults.
const (
	DefaultChunkSize       = 1000
	DefaultMaxMessageBytes = 25 << 20
	DefaultPollInterval    = time.Minute
	defaultWatchBase       = 500 * time.Millisecond
	defaultWatchMax        = 5 * time.Minute
)

// SMTPConfig is the outgoing server of an account.
type SMTPConfig struct {
	Host     string
	Port     int
	TLS      string // "tls" (465), "starttls" (587) or "plain" (loopback only)
	Username string
	Password string
}

// Config is one mail account. Passwords come from the OS keyring via the
// caller and are never logged.
type Config struct {
	Name     string
	Host     string
	Port     int
	TLS      string // "imaps", "starttls" or "plain" (loopback only)
	Username string
	Password string
	// Folders to sync; empty means INBOX. "*" means every selectable folder
	// except Sent, Junk, Trash and Drafts (by SPECIAL-USE), unless IncludeSpecial.
	Folders        []string
	IncludeSpecial bool
	SMTP           SMTPConfig
	From           string // the account's address; mail from it is outbound
	// AllowRemoteImages keeps remote <img src> in HTML; off, they are removed
	// so opening a mail does not tell the sender it was read.
	AllowRemoteImages bool

	ChunkSize       int           // messages per Fetch; DefaultChunkSize when 0
	MaxMessageBytes int64         // larger messages are cut and flagged truncated
	PollInterval    time.Duration // Watch without IDLE
	// WatchBackoff paces Watch's reconnects after a dropped connection: Base
	// (default 500 ms) doubles per failure in a row up to Max (default 5 min),
	// jittered, and starts over once a login succeeds. Tests set Sleep.
	WatchBackoff channels.Retry
	// TLSConfig overrides the TLS settings (tests trust a throwaway CA with it).
	TLSConfig *tls.Config
	Logger    *slog.Logger
}

// Connector is one mail account. It is safe for concurrent use; IMAP commands
// of Fetch, Reply and SentContains share one connection, Watch has its own.
type Connector struct {
	cfg Config
	log *slog.Logger

	mu     sync.Mutex
	client *imapclient.Client

	// onIdle, when set (tests), runs each time Watch enters IDLE.
	onIdle func()
	// stopSend, when set (tests), is asked at each step of Reply; an error
	// ends Reply right there with no clean-up, the way a crash would.
	stopSend func(sendStep) error
}

var (
	_ channels.Connector = (*Connector)(nil)
	_ channels.Watcher   = (*Connector)(nil)
)

// New checks cfg and returns a connector; it does not connect yet.
func New(cfg Config) (*Connector, error) {
	if cfg.Host == "" || cfg.Username == "" {
		return nil, fmt.Errorf("imap account %q: host and username are required", cfg.Name)
	}
	switch cfg.TLS {
	case TLSImplicit, TLSStartTLS:
	case TLSPlain:
		if !isLoopback(cfg.Host) {
			return nil, fmt.Errorf("imap account %q: plaintext IMAP is allowed only on loopback, not %s", cfg.Name, cfg.Host)
		}
	case "":
		cfg.TLS = TLSImplicit
	default:
		return nil, fmt.Errorf("imap account %q: unknown TLS mode %q (want imaps, starttls or plain)", cfg.Name, cfg.TLS)
	}
	if cfg.Port == 0 {
		cfg.Port = map[string]int{TLSImplicit: 993, TLSStartTLS: 143, TLSPlain: 143}[cfg.TLS]
	}
	if cfg.SMTP.Host != "" {
		switch cfg.SMTP.TLS {
		case SMTPTLS, TLSStartTLS:
		case TLSPlain:
			if !isLoopback(cfg.SMTP.Host) {
				return nil, fmt.Errorf("imap account %q: plaintext SMTP is allowed only on loopback, not %s", cfg.Name, cfg.SMTP.Host)
			}
		case "":
			cfg.SMTP.TLS = TLSStartTLS
		default:
			return nil, fmt.Errorf("imap account %q: unknown SMTP TLS mode %q (want tls, starttls or plain)", cfg.Name, cfg.SMTP.TLS)
		}
		if cfg.SMTP.Port == 0 {
			cfg.SMTP.Port = map[string]int{SMTPTLS: 465, TLSStartTLS: 587, TLSPlain: 25}[cfg.SMTP.TLS]
		}
	}
	if len(cfg.Folders) == 0 {
		cfg.Folders = []string{"INBOX"}
	}
	if cfg.ChunkSize <= 0 {
		cfg.ChunkSize = DefaultChunkSize
	}
	if cfg.MaxMessageBytes <= 0 {
		cfg.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	cfg.WatchBackoff = cfg.WatchBackoff.Or(channels.Retry{Base: defaultWatchBase, Max: defaultWatchMax}).WithDefaults()
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Connector{cfg: cfg, log: cfg.Logger.With("account", cfg.Name)}, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Kind is mail.
func (c *Connector) Kind() inbox.ChannelKind { return inbox.ChannelMail }

// Limits of e-mail replies.
func (c *Connector) Limits() channels.Limits {
	return channels.Limits{Notes: []channels.Note{{
		Code:   "mail.sentFrom",
		Params: map[string]string{"from": c.cfg.From},
		Text:   "Replies are sent from " + c.cfg.From + " and a copy is kept in Sent.",
	}}}
}

// Test logs in and logs out.
func (c *Connector) Test(ctx context.Context) error {
	cl, err := c.dial(ctx, nil)
	if err != nil {
		return err
	}
	defer cl.Close()
	return cl.Logout().Wait()
}

// Close drops the shared connection.
func (c *Connector) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.client != nil {
		err := c.client.Close()
		c.client = nil
		return err
	}
	return nil
}
