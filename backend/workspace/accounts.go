package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
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

// AccountSecrets is the keyring as account setup needs it: besides reading and
// writing, SaveAccount deletes secrets that must not follow a changed server.
type AccountSecrets interface {
	SecretStore
	Delete(ctx context.Context, key string) error
}

// AccountInput is an account as a setup form sends it. Secrets are written to
// the keyring; an empty secret value keeps the stored one, unless the account's
// server changed (see SaveAccount).
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
	Account  inbox.Account      `json:"account"`
	State    store.AccountState `json:"state"` // active or disabled; removed accounts are not listed
	Settings string             `json:"settings"`
	Sync     SyncStatus         `json:"sync"`
	// Retry is the background loop's backoff after failed runs (from the
	// running scheduler; zero when none runs or the last run succeeded).
	Retry   RetryStatus       `json:"retry"`
	Secrets []registry.Secret `json:"secrets"`
	Limits  AccountLimits     `json:"limits"`
}

// SyncStatus is an account's stored sync state as the UI reads it
// (store.SyncState with an unset time as nil).
type SyncStatus struct {
	Cursor    string     `json:"cursor"`
	SyncedAt  *time.Time `json:"syncedAt" ts_type:"string | null"` // nil before the first sync
	Fetched   int64      `json:"fetched"`
	Skipped   int64      `json:"skipped"`
	LastError string     `json:"lastError"`
}

// RetryStatus is the sync loop's backoff as the UI reads it (ingest.Backoff
// with an unset time as nil).
type RetryStatus struct {
	Failures    int        `json:"failures"`
	NextAttempt *time.Time `json:"nextAttempt" ts_type:"string | null"` // nil unless the loop waits after a failure
	LastError   string     `json:"lastError"`
}

// AccountLimits is channels.Limits as the UI reads it: the delete window in
// milliseconds (0 = no limit) and notes always a list.
type AccountLimits struct {
	MaxTextLength  int             `json:"maxTextLength"`
	DeleteWindowMs int64           `json:"deleteWindowMs"`
	Notes          []channels.Note `json:"notes"`
}

func accountLimits(l channels.Limits) AccountLimits {
	notes := make([]channels.Note, len(l.Notes))
	for i, n := range l.Notes {
		if n.Params == nil {
			n.Params = map[string]string{}
		}
		notes[i] = n
	}
	return AccountLimits{MaxTextLength: l.MaxTextLength, DeleteWindowMs: l.DeleteWindow.Milliseconds(), Notes: notes}
}

// timeOrNil is t, or nil for the zero time: how the UI is sent an unset time.
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// SaveAccount validates and stores an account's settings and secrets.
//
// A stored secret is only ever sent to the server it was entered for: when the
// save changes where the account connects (see destination), or creates the
// account, every stored secret not given anew in the same save is deleted, so
// whoever can edit the settings cannot redirect a saved password or token to a
// server of their choosing.
//
// Saving the name of a removed account again reconnects its conversations
// (and makes it active); a disabled account stays disabled.
func (w *Workspace) SaveAccount(ctx context.Context, sec AccountSecrets, in AccountInput) (inbox.Account, error) {
	in, err := checkInput(in)
	if err != nil {
		return inbox.Account{}, err
	}
	moved, err := w.destinationChanged(ctx, in)
	if err != nil {
		return inbox.Account{}, err
	}
	acc, err := w.Store.EnsureAccount(ctx, inbox.Account{Channel: in.Channel, Name: in.Name, Brand: in.Brand, Handle: in.Handle})
	if err != nil {
		return inbox.Account{}, err
	}
	if moved {
		// Deleted before the new settings are stored: if the keyring refuses, the
		// account still points at the old server and nothing leaks.
		var cleared []string
		for _, s := range registry.SecretsFor(in.Channel) {
			if in.Secrets[s.Name] != "" {
				continue
			}
			if err := sec.Delete(ctx, secrets.Key(acc.Name, s.Name)); err != nil {
				return inbox.Account{}, fmt.Errorf("account %s: its server changed, so the stored %s must be removed: %w", acc.Name, s.Name, err)
			}
			cleared = append(cleared, s.Name)
		}
		if len(cleared) > 0 {
			w.Log.Info("account server changed; stored secrets not given again were removed", "account", acc.Name, "secrets", cleared)
		}
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
	state, err := w.Store.AccountStateOf(ctx, acc.ID)
	if err != nil {
		return inbox.Account{}, err
	}
	if state == store.AccountRemoved {
		if err := w.Store.SetAccountState(ctx, acc.ID, store.AccountActive); err != nil {
			return inbox.Account{}, err
		}
		w.Log.Info("removed account saved again; its conversations are connected again", "account", acc.Name)
	}
	return acc, nil
}

// checkInput validates what a setup form sends (for saving or testing) and
// returns it with the name trimmed and empty settings as "{}".
func checkInput(in AccountInput) (AccountInput, error) {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		return in, apperr.InvalidInput("name", errors.New("the account needs a name"))
	}
	if !in.Channel.Valid() || in.Channel == inbox.ChannelImport {
		return in, apperr.InvalidInput("channel", fmt.Errorf("choose a channel (mail, telegram, vk, mastodon, youtube, bluesky or reddit), not %q", in.Channel))
	}
	if strings.TrimSpace(in.Settings) == "" {
		in.Settings = "{}"
	}
	if err := registry.Validate(in.Channel, json.RawMessage(in.Settings)); err != nil {
		return in, apperr.InvalidInput("settings", err)
	}
	known := map[string]bool{}
	for _, s := range registry.SecretsFor(in.Channel) {
		known[s.Name] = true
	}
	for name := range in.Secrets {
		if !known[name] {
			return in, apperr.InvalidInput("secrets", fmt.Errorf("channel %s has no secret %q", in.Channel, name))
		}
	}
	return in, nil
}

// destinationChanged reports whether saving in would point the account at
// another server than its stored settings do; a new account counts as changed,
// so secrets left in the keyring under its name by an earlier one are not reused.
func (w *Workspace) destinationChanged(ctx context.Context, in AccountInput) (bool, error) {
	prev, err := w.Store.AccountByName(ctx, in.Name)
	if errors.Is(err, store.ErrNotFound) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("account %s: %w", in.Name, err)
	}
	if prev.Channel != in.Channel {
		return true, nil // EnsureAccount refuses this save
	}
	state, err := w.Store.AccountStateOf(ctx, prev.ID)
	if err != nil {
		return false, fmt.Errorf("account %s: %w", in.Name, err)
	}
	if state == store.AccountRemoved {
		return true, nil // its secrets went with it; nothing stored may be reused
	}
	cfg, err := w.Store.AccountConfig(ctx, prev.ID)
	if err != nil {
		return false, fmt.Errorf("account %s: %w", in.Name, err)
	}
	before, err := destination(prev.Channel, cfg)
	if err != nil {
		// Stored settings that cannot be read name no server the secrets were meant for.
		return true, nil
	}
	after, err := destination(in.Channel, json.RawMessage(in.Settings))
	if err != nil {
		return false, fmt.Errorf("account %s: settings: %w", in.Name, err)
	}
	return before != after, nil
}

// destination names the servers a channel's settings send its secrets to: the
// IMAP and SMTP host and port for mail, the API base URL's scheme, host and port
// for the others ("" where the connector's built-in default is used). The path
// is left out: it selects an endpoint on the same server, not another recipient.
func destination(kind inbox.ChannelKind, settings json.RawMessage) (string, error) {
	var s struct {
		Host     string `json:"host"`
		Port     int    `json:"port"`
		SMTPHost string `json:"smtpHost"`
		SMTPPort int    `json:"smtpPort"`
		BaseURL  string `json:"baseUrl"`
		AuthURL  string `json:"authUrl"`
		APIURL   string `json:"apiUrl"`
	}
	if err := json.Unmarshal(settings, &s); err != nil {
		return "", fmt.Errorf("read the server address: %w", err)
	}
	if kind == inbox.ChannelMail {
		return "imap " + hostPort(s.Host, s.Port) + " smtp " + hostPort(s.SMTPHost, s.SMTPPort), nil
	}
	if kind == inbox.ChannelReddit {
		// The password goes to the token host, the token to the API host.
		return "auth " + origin(s.AuthURL) + " api " + origin(s.APIURL), nil
	}
	return "api " + origin(s.BaseURL), nil
}

func hostPort(host string, port int) string {
	return net.JoinHostPort(normHost(host), strconv.Itoa(port))
}

// normHost makes spellings of one host name compare equal ("Mail.Example.org." and "mail.example.org").
func normHost(host string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
}

// origin reduces a base URL to scheme://host:port with the scheme's default
// port filled in, so "https://Example.org/" and "https://example.org:443/api"
// are the same server and "http://example.org" is not.
func origin(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if raw == "" || err != nil || u.Host == "" {
		return raw
	}
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "http":
			port = "80"
		case "https":
			port = "443"
		}
	}
	return scheme + "://" + net.JoinHostPort(normHost(u.Hostname()), port)
}

// AccountStatuses lists every account that is not removed with its state,
// settings and sync state.
func (w *Workspace) AccountStatuses(ctx context.Context) ([]AccountStatus, error) {
	accounts, err := w.Store.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	states, err := w.Store.AccountStates(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]AccountStatus, 0, len(accounts))
	for _, a := range accounts {
		if states[a.ID] == store.AccountRemoved {
			continue
		}
		cfg, err := w.Store.AccountConfig(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		st, err := w.Store.SyncStateOf(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, AccountStatus{Account: a, State: states[a.ID], Settings: string(cfg),
			Sync:    SyncStatus{Cursor: st.Cursor, SyncedAt: timeOrNil(st.SyncedAt), Fetched: st.Fetched, Skipped: st.Skipped, LastError: st.LastError},
			Secrets: registry.SecretsFor(a.Channel), Limits: accountLimits(registry.LimitsFor(a, cfg))})
	}
	return out, nil
}

// Connector opens the connector of a stored, active account: a disabled or
// removed one is refused with its code, so neither sync nor the outbox uses it.
func (w *Workspace) Connector(ctx context.Context, sec SecretStore, name string) (inbox.Account, channels.Connector, error) {
	return w.connector(ctx, sec, name, false)
}

// requireActive fails for a removed account, and for a disabled one unless
// evenDisabled: nothing is synced or sent through them.
func (w *Workspace) requireActive(ctx context.Context, acc inbox.Account, evenDisabled bool) error {
	state, err := w.Store.AccountStateOf(ctx, acc.ID)
	if err != nil {
		return err
	}
	switch {
	case state == store.AccountRemoved:
		return apperr.AccountRemoved(acc.Name, fmt.Errorf("account %s was removed: its conversations are kept read-only", acc.Name))
	case state == store.AccountDisabled && !evenDisabled:
		return apperr.AccountDisabled(acc.Name, fmt.Errorf("account %s is disabled: nothing is synced or sent through it until it is enabled in Settings", acc.Name))
	}
	return nil
}

// connector is Connector; evenDisabled lets a test reach a disabled account.
func (w *Workspace) connector(ctx context.Context, sec SecretStore, name string, evenDisabled bool) (inbox.Account, channels.Connector, error) {
	acc, err := w.Store.AccountByName(ctx, name)
	if err != nil {
		return inbox.Account{}, nil, err
	}
	if err := w.requireActive(ctx, acc, evenDisabled); err != nil {
		return acc, nil, err
	}
	cfg, err := w.Store.AccountConfig(ctx, acc.ID)
	if err != nil {
		return inbox.Account{}, nil, err
	}
	if err := w.requireConnection(ctx, acc, cfg); err != nil {
		return acc, nil, err
	}
	conn, err := w.open(ctx, sec, acc, cfg)
	return acc, conn, err
}

// open checks that the secrets the channel needs are there and builds the connector.
func (w *Workspace) open(ctx context.Context, sec registry.Secrets, acc inbox.Account, cfg json.RawMessage) (channels.Connector, error) {
	if err := requireSecrets(ctx, sec, acc); err != nil {
		return nil, err
	}
	return registry.Open(ctx, acc, cfg, registry.Deps{Secrets: sec, Log: w.Log, MessageSentAt: w.Store.MessageSentAt, YouTubeQuota: w.ytQuota})
}

// requireConnection fails for accounts that were never connected (no
// settings stored), before the keyring is asked: a demo account would
// otherwise report a missing secret (or a keyring fault where none runs),
// which tells the person nothing about why the demo cannot send.
func (w *Workspace) requireConnection(ctx context.Context, acc inbox.Account, cfg json.RawMessage) error {
	if acc.Channel == inbox.ChannelImport || (len(cfg) != 0 && string(cfg) != "{}") {
		return nil // import accounts get registry.Open's own explanation
	}
	isDemo, err := w.isDemoAccount(ctx, acc)
	if err != nil {
		return err
	}
	if isDemo {
		return apperr.DemoAccount(acc.Name, fmt.Errorf("account %s is demo data: it has no connection to send or sync through", acc.Name))
	}
	return nil
}

// requireSecrets fails when a secret the channel needs is not stored, e.g.
// because SaveAccount removed it when the server changed, saying what to do
// rather than which keyring entry is missing. Nothing is sent anywhere first.
func requireSecrets(ctx context.Context, sec registry.Secrets, acc inbox.Account) error {
	for _, s := range registry.SecretsFor(acc.Channel) {
		if !s.Required {
			continue
		}
		_, err := sec.Get(ctx, secrets.Key(acc.Name, s.Name))
		if errors.Is(err, secrets.ErrNotFound) {
			return apperr.SecretMissing(acc.Name, s.Name, fmt.Errorf("account %s: enter the %s again in Settings: none is stored for its current server (a saved one is removed when the server changes): %w",
				acc.Name, strings.ReplaceAll(s.Name, "-", " "), err))
		}
		if err != nil {
			return fmt.Errorf("account %s: read %s: %w", acc.Name, s.Name, err)
		}
	}
	return nil
}

// Syncer keeps every connected account in sync in the background.
type Syncer struct {
	ws    *Workspace
	sec   SecretStore
	sched *ingest.Scheduler

	mu      sync.Mutex
	conns   map[string]channels.Connector
	stopped bool // after Stop, Start refuses: a loop started then would outlive the database
}

// NewSyncer prepares background sync; event receives progress and errors.
func (w *Workspace) NewSyncer(sec SecretStore, event func(ingest.Event)) *Syncer {
	if event == nil {
		event = func(ingest.Event) {}
	}
	w.Store.SetLockCheck(w.Timing.LockCheck)
	cfg := ingest.SchedulerConfig{PollInterval: w.Timing.PollInterval, LockRetry: w.Timing.LockRetry}
	return &Syncer{ws: w, sec: sec, sched: ingest.NewScheduler(w.Pipeline, w.Store, cfg, event), conns: map[string]channels.Connector{}}
}

// StartAll starts syncing every active account that has a connector
// configured; an account that cannot be opened (missing secret, bad settings)
// is reported and skipped.
func (s *Syncer) StartAll(ctx context.Context) []error {
	accounts, err := s.ws.Store.Accounts(ctx)
	if err != nil {
		return []error{err}
	}
	states, err := s.ws.Store.AccountStates(ctx)
	if err != nil {
		return []error{err}
	}
	var errs []error
	for _, a := range accounts {
		if a.Channel == inbox.ChannelImport || states[a.ID] != store.AccountActive {
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
		// A disabled or removed account is not failing: it is not meant to sync.
		if acc.ID != 0 && !apperr.Is(err, apperr.CodeAccountDisabled) && !apperr.Is(err, apperr.CodeAccountRemoved) {
			_ = s.ws.Store.SetSyncError(ctx, acc.ID, err.Error())
		}
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		closeConn(conn)
		return fmt.Errorf("sync %s: %w", name, ErrClosed)
	}
	if old, ok := s.conns[name]; ok {
		closeConn(old)
	}
	s.conns[name] = conn
	// Under the lock, so Stop either sees this loop or this Start sees stopped.
	s.sched.Start(ctx, acc, conn)
	return nil
}

// StopAccount ends one account's background sync, waits for it and closes
// its connection (the account was disabled or removed).
func (s *Syncer) StopAccount(name string) {
	s.sched.StopAccount(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.conns[name]; ok {
		closeConn(c)
		delete(s.conns, name)
	}
}

// AccountStatuses is Workspace.AccountStatuses with each running loop's
// backoff, so the UI shows when the next attempt really is.
func (s *Syncer) AccountStatuses(ctx context.Context) ([]AccountStatus, error) {
	out, err := s.ws.AccountStatuses(ctx)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if b, ok := s.sched.Backoff(out[i].Account.Name); ok {
			out[i].Retry = RetryStatus{Failures: b.Failures, NextAttempt: timeOrNil(b.NextAttempt), LastError: b.LastError}
		}
	}
	return out, nil
}

// Stop ends every sync, waits for the loops and closes the connections;
// later Starts are refused.
func (s *Syncer) Stop() {
	s.mu.Lock()
	s.stopped = true
	s.mu.Unlock()
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
