package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/registry"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/ingest"
	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/store"
)

// KeyringService is the service name Stormdesk's secrets are stored under.
const KeyringService = "Stormdesk"

// SecretStore keeps account secrets (the OS keyring in the app).
type SecretStore interface {
	Get(ctx context.Context, key string) (string, error)
	Set(ctx context.Context, key, value string) error
}

// AccountInput is an account as a setup form sends it. Secrets are written to
// the keyring; an empty secret value keeps the stored one.
type AccountInput struct {
	Name     string            `json:"name"`
	Channel  inbox.ChannelKind `json:"channel"`
	Brand    string            `json:"brand"`
	Handle   string            `json:"handle"`
	Settings string            `json:"settings"` // JSON object, see backend/channels/registry
	Secrets  map[string]string `json:"secrets"`
}

// AccountStatus is an account with its settings and sync state, for the UI.
type AccountStatus struct {
	Account  inbox.Account     `json:"account"`
	Settings string            `json:"settings"`
	Sync     store.SyncState   `json:"sync"`
	Secrets  []registry.Secret `json:"secrets"`
	Limits   channels.Limits   `json:"limits"`
}

// SaveAccount validates and stores an account's settings and secrets.
func (w *Workspace) SaveAccount(ctx context.Context, sec SecretStore, in AccountInput) (inbox.Account, error) {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		return inbox.Account{}, errors.New("the account needs a name")
	}
	if !in.Channel.Valid() || in.Channel == inbox.ChannelImport {
		return inbox.Account{}, fmt.Errorf("choose a channel (mail, telegram, vk, mastodon or youtube), not %q", in.Channel)
	}
	if strings.TrimSpace(in.Settings) == "" {
		in.Settings = "{}"
	}
	if err := registry.Validate(in.Channel, json.RawMessage(in.Settings)); err != nil {
		return inbox.Account{}, err
	}
	known := map[string]registry.Secret{}
	for _, s := range registry.SecretsFor(in.Channel) {
		known[s.Name] = s
	}
	for name := range in.Secrets {
		if _, ok := known[name]; !ok {
			return inbox.Account{}, fmt.Errorf("channel %s has no secret %q", in.Channel, name)
		}
	}
	acc, err := w.Store.EnsureAccount(ctx, inbox.Account{Channel: in.Channel, Name: in.Name, Brand: in.Brand, Handle: in.Handle})
	if err != nil {
		return inbox.Account{}, err
	}
	for name, v := range in.Secrets {
		if v == "" {
			continue
		}
		if err := sec.Set(ctx, secrets.Key(acc.Name, name), v); err != nil {
			return inbox.Account{}, err
		}
	}
	if err := w.Store.SetAccountConfig(ctx, acc.ID, json.RawMessage(in.Settings)); err != nil {
		return inbox.Account{}, err
	}
	return acc, nil
}

// AccountStatuses lists every account with its settings and sync state.
func (w *Workspace) AccountStatuses(ctx context.Context) ([]AccountStatus, error) {
	accounts, err := w.Store.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]AccountStatus, 0, len(accounts))
	for _, a := range accounts {
		cfg, err := w.Store.AccountConfig(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		st, err := w.Store.SyncStateOf(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, AccountStatus{Account: a, Settings: string(cfg), Sync: st, Secrets: registry.SecretsFor(a.Channel),
			Limits: registry.LimitsFor(a, cfg)})
	}
	return out, nil
}

// Connector opens the connector of a stored account.
func (w *Workspace) Connector(ctx context.Context, sec SecretStore, name string) (inbox.Account, channels.Connector, error) {
	acc, err := w.Store.AccountByName(ctx, name)
	if err != nil {
		return inbox.Account{}, nil, err
	}
	cfg, err := w.Store.AccountConfig(ctx, acc.ID)
	if err != nil {
		return inbox.Account{}, nil, err
	}
	conn, err := registry.Open(ctx, acc, cfg, registry.Deps{Secrets: sec, Log: w.Log, MessageSentAt: w.Store.MessageSentAt, YouTubeQuota: w.ytQuota})
	return acc, conn, err
}

// Syncer keeps every connected account in sync in the background.
type Syncer struct {
	ws    *Workspace
	sec   SecretStore
	sched *ingest.Scheduler

	mu    sync.Mutex
	conns map[string]channels.Connector
}

// NewSyncer prepares background sync; event receives progress and errors.
func (w *Workspace) NewSyncer(sec SecretStore, event func(ingest.Event)) *Syncer {
	if event == nil {
		event = func(ingest.Event) {}
	}
	onEvent := func(e ingest.Event) {
		if e.Completed {
			// Units spent survive a crash or restart (see quota.go).
			if err := w.SaveYouTubeQuota(); err != nil {
				w.Log.Warn("save YouTube quota", "err", err)
			}
		}
		event(e)
	}
	return &Syncer{ws: w, sec: sec, sched: ingest.NewScheduler(w.Pipeline, w.Store, ingest.SchedulerConfig{}, onEvent), conns: map[string]channels.Connector{}}
}

// StartAll starts syncing every account that has a connector configured; an
// account that cannot be opened (missing secret, bad settings) is reported and skipped.
func (s *Syncer) StartAll(ctx context.Context) []error {
	accounts, err := s.ws.Store.Accounts(ctx)
	if err != nil {
		return []error{err}
	}
	var errs []error
	for _, a := range accounts {
		if a.Channel == inbox.ChannelImport {
			continue
		}
		if cfg, err := s.ws.Store.AccountConfig(ctx, a.ID); err != nil || string(cfg) == "{}" {
			continue // demo and unconfigured accounts have nothing to sync
		}
		if err := s.Start(ctx, a.Name); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// Start (re)starts the background sync of one account.
func (s *Syncer) Start(ctx context.Context, name string) error {
	acc, conn, err := s.ws.Connector(ctx, s.sec, name)
	if err != nil {
		if acc.ID != 0 {
			_ = s.ws.Store.SetSyncError(ctx, acc.ID, err.Error())
		}
		return err
	}
	s.mu.Lock()
	if old, ok := s.conns[name]; ok {
		closeConn(old)
	}
	s.conns[name] = conn
	s.mu.Unlock()
	s.sched.Start(ctx, acc, conn)
	return nil
}

// Stop ends every sync and closes the connections.
func (s *Syncer) Stop() {
	s.sched.Stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, c := range s.conns {
		closeConn(c)
		delete(s.conns, name)
	}
}

func closeConn(c channels.Connector) {
	if cl, ok := c.(io.Closer); ok {
		_ = cl.Close()
	}
}
