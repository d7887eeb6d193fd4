package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/registry"
	"github.com/stormdesk/stormdesk/backend/cli"
	"github.com/stormdesk/stormdesk/backend/crisis"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/ingest"
	"github.com/stormdesk/stormdesk/backend/notify"
	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// App owns the workspace for the window's lifetime and hands it to the bound services.
type App struct {
	log    *slog.Logger
	build  cli.BuildInfo
	dbPath string
	demo   bool

	mu       sync.RWMutex
	ws       *workspace.Workspace
	openErr  error
	seeded   bool
	ready    sync.Once
	inbox    *InboxService
	appInfo  *AppService
	accounts *AccountsService
	crisis   *CrisisService
	compose  *ComposeService
	sla      *SLAService
	composer *workspace.Composer
	syncer   *workspace.Syncer
	monitor  *workspace.CrisisMonitor
	secrets  *secrets.Keyring
	notifier *notify.Notifier
	// toast, when set, shows notifications through the Wails runtime: the
	// window on Windows and macOS, where there is no freedesktop.org service.
	toast    func(ctx context.Context, n notify.Notification) error
	wailsCtx context.Context
	// emit sends an event to the frontend: the Wails runtime in the window,
	// the web bridge when served over HTTP for browser tests.
	emit func(ctx context.Context, name string, data ...any)

	classifier *workspace.ClassifyWorker // the LLM sentiment pass (ClassifyService)
}

// NewApp prepares the app; the database opens in startup.
func NewApp(log *slog.Logger, build cli.BuildInfo, dbPath string, demo bool) *App {
	a := &App{log: log, build: build, dbPath: dbPath, demo: demo, emit: wruntime.EventsEmit}
	a.inbox = &InboxService{app: a}
	a.appInfo = &AppService{app: a}
	a.accounts = &AccountsService{app: a}
	a.crisis = &CrisisService{app: a}
	a.compose = &ComposeService{app: a}
	a.sla = &SLAService{app: a}
	a.secrets = secrets.NewKeyring(workspace.KeyringService)
	a.notifier = notify.New("Stormdesk", "")
	return a
}

func (a *App) services() []interface{} {
	return []interface{}{a.inbox, a.appInfo, a.accounts, a.crisis, a.compose, a.sla, &AuthorsService{app: a}, &AnalyticsService{app: a}, &ClassifyService{app: a}}
}

func (a *App) startup(ctx context.Context) {
	a.mu.Lock()
	a.wailsCtx = ctx
	a.mu.Unlock()
	ws, err := workspace.Open(ctx, a.dbPath, a.log)
	a.mu.Lock()
	a.ws, a.openErr = ws, err
	a.mu.Unlock()
	if err != nil {
		a.log.Error("open database", "path", a.dbPath, "err", err)
		return
	}
	a.log.Info("database open", "path", a.dbPath)
	// The LLM sentiment pass runs beside ingest (off until switched on in Settings);
	// crisis timeline entries reach the window as they are recorded.
	classifier := ws.NewClassifyWorker(a.secrets, func(workspace.ClassifyResult) { a.emit(ctx, "inbox:changed") })
	a.mu.Lock()
	a.classifier = classifier
	a.mu.Unlock()
	go classifier.Run(ctx)
	ws.OnCrisisEvent(func(e store.CrisisEvent) { a.emit(ctx, "crisis:event", e) })
	a.syncer = ws.NewSyncer(a.secrets, func(e ingest.Event) {
		a.emit(ctx, "sync:progress", e)
		if e.Completed && e.Err == "" {
			classifier.Wake()
			a.emit(ctx, "inbox:changed")
		}
	})
	for _, err := range a.syncer.StartAll(ctx) {
		a.log.Warn("background sync not started", "err", err)
	}
	monitor := ws.NewCrisisMonitor(func(al crisis.Alert) { a.emit(ctx, "crisis:alert", al) })
	composer := ws.NewComposer(a.secrets)
	// The composer shows sent or failed as soon as the outbox knows.
	composer.OnDelivery = func(conversationID int64, replyID string, state drafts.State) {
		a.emit(ctx, "reply:delivered", map[string]any{"conversationId": conversationID, "replyId": replyID, "state": state})
	}
	a.mu.Lock()
	a.monitor = monitor
	a.composer = composer
	a.mu.Unlock()
	go ws.RunSLASweep(ctx, time.Minute, func(changed int) {
		if changed > 0 {
			a.emit(ctx, "inbox:changed")
		}
	})
	go func() {
		if err := composer.RunOutbox(ctx); err != nil && ctx.Err() == nil {
			a.log.Error("outbox stopped", "err", err)
		}
	}()
	if a.demo {
		// Seeding runs beside the window so it is interactive at once; the list refreshes when done.
		go func() {
			seeded, err := ws.SeedDemoIfEmpty(ctx, time.Now(), workspace.AgentName())
			if err != nil {
				a.log.Error("demo data", "err", err)
				return
			}
			if seeded {
				a.mu.Lock()
				a.seeded = true
				a.mu.Unlock()
				a.emit(ctx, "inbox:changed")
			}
			a.runMonitor(ctx, monitor)
		}()
	} else {
		go a.runMonitor(ctx, monitor)
	}
}

// runMonitor runs the spike detector until the app stops.
func (a *App) runMonitor(ctx context.Context, m *workspace.CrisisMonitor) {
	if err := m.Run(ctx); err != nil && ctx.Err() == nil {
		a.log.Error("crisis monitor stopped", "err", err)
	}
}

func (a *App) shutdown(context.Context) {
	if a.syncer != nil {
		a.syncer.Stop()
	}
	_ = a.notifier.Close()
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ws != nil {
		if err := a.ws.Close(); err != nil {
			a.log.Error("close database", "err", err)
		}
	}
}

// workspace returns the open workspace or the reason there is none, for the UI to show.
func (a *App) workspace() (*workspace.Workspace, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.openErr != nil {
		return nil, a.openErr
	}
	if a.ws == nil {
		return nil, errors.New("the database is still opening")
	}
	return a.ws, nil
}

// AppInfo describes the running app.
type AppInfo struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
	Date    string `json:"date"`
	DBPath  string `json:"dbPath"`
	Me      string `json:"me"`
	Role    string `json:"role"` // "agent" or "approver"
	Demo    bool   `json:"demo"`
}

// AppService answers questions about the app itself.
type AppService struct{ app *App }

// Info returns version, database path and the current agent. The first call
// also marks the frontend as ready in the log (the end-to-end test waits for it).
func (s *AppService) Info() (AppInfo, error) {
	s.app.ready.Do(func() { s.app.log.Info("frontend ready") })
	ws, err := s.app.workspace()
	if err != nil {
		return AppInfo{}, err
	}
	s.app.mu.RLock()
	seeded := s.app.seeded
	s.app.mu.RUnlock()
	b := s.app.build
	return AppInfo{Version: b.Version, Commit: b.Commit, Date: b.Date, DBPath: ws.DBPath, Me: workspace.AgentName(), Role: string(actor().Role), Demo: seeded}, nil
}

// Notification is a desktop notification the frontend asks for.
type Notification struct {
	Tag    string `json:"tag"` // what it is about; a repeat replaces the earlier one
	Title  string `json:"title"`
	Body   string `json:"body"`
	Urgent bool   `json:"urgent"`
}

// Notify shows a desktop notification through the system's notification
// service. It answers false, without an error, when the desktop has none: the
// frontend then tries the web Notifications API.
func (s *AppService) Notify(n Notification) (bool, error) {
	show := s.app.notifier.Notify
	if s.app.toast != nil {
		show = s.app.toast
	}
	err := show(s.app.context(), notify.Notification{Tag: n.Tag, Title: n.Title, Body: n.Body, Urgent: n.Urgent})
	if errors.Is(err, notify.ErrUnavailable) {
		s.app.log.Debug("desktop notification not shown", "err", err)
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, nil
}

// wailsToast returns a notifier through the Wails runtime of the window whose
// context ctx() gives. Its set-up (Windows registers the app for toasts) runs
// once, on the first notification.
func wailsToast(ctx func() context.Context) func(context.Context, notify.Notification) error {
	var once sync.Once
	var initErr error
	return func(_ context.Context, n notify.Notification) error {
		wctx := ctx()
		once.Do(func() { initErr = wruntime.InitializeNotifications(wctx) })
		if initErr != nil {
			return fmt.Errorf("notify %q: %w: %v", n.Tag, notify.ErrUnavailable, initErr)
		}
		if !wruntime.IsNotificationAvailable(wctx) {
			return fmt.Errorf("notify %q: %w", n.Tag, notify.ErrUnavailable)
		}
		if err := wruntime.SendNotification(wctx, wruntime.NotificationOptions{ID: n.Tag, Title: n.Title, Body: n.Body}); err != nil {
			return fmt.Errorf("notify %q: %w", n.Tag, err)
		}
		return nil
	}
}

// ConversationQuery is the inbox filter as the UI sends it.
type ConversationQuery struct {
	Status     inbox.Status      `json:"status"`
	Channel    inbox.ChannelKind `json:"channel"`
	AccountID  int64             `json:"accountId"`
	Tag        string            `json:"tag"`
	Sentiment  inbox.Sentiment   `json:"sentiment"`
	Assignee   string            `json:"assignee"`
	Unassigned bool              `json:"unassigned"`
	Mine       bool              `json:"mine"`
	Order      store.Order       `json:"order"`
	Cursor     string            `json:"cursor"`
	Limit      int               `json:"limit"`
}

// ThreadView is a conversation with its messages.
type ThreadView struct {
	Conversation inbox.Conversation `json:"conversation"`
	Messages     []inbox.Message    `json:"messages"`
}

// SearchRequest is a full-text search as the UI sends it.
type SearchRequest struct {
	Text     string            `json:"text"`
	Channel  inbox.ChannelKind `json:"channel"`
	BeforeID int64             `json:"beforeId"`
	Limit    int               `json:"limit"`
}

// InboxService serves the inbox screen: lists, threads, search and triage.
type InboxService struct{ app *App }

// Conversations returns one keyset page of conversations matching q.
func (s *InboxService) Conversations(q ConversationQuery) (store.Page, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return store.Page{}, err
	}
	sq := store.InboxQuery{Status: q.Status, Channel: q.Channel, AccountID: q.AccountID, Tag: q.Tag,
		Sentiment: q.Sentiment, Order: q.Order, Cursor: q.Cursor, Limit: q.Limit}
	switch {
	case q.Mine:
		m := workspace.AgentName()
		sq.Assignee = &m
	case q.Unassigned:
		none := ""
		sq.Assignee = &none
	case q.Assignee != "":
		sq.Assignee = &q.Assignee
	}
	return ws.Store.Conversations(s.ctx(), sq)
}

// Thread returns a conversation and its messages.
func (s *InboxService) Thread(id int64) (ThreadView, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return ThreadView{}, err
	}
	c, err := ws.Store.ConversationByID(s.ctx(), id)
	if err != nil {
		return ThreadView{}, err
	}
	msgs, err := ws.Store.Thread(s.ctx(), id)
	if err != nil {
		return ThreadView{}, err
	}
	return ThreadView{Conversation: c, Messages: msgs}, nil
}

// Search finds messages by words, phrases ("…"), prefixes (word*) and OR.
func (s *InboxService) Search(q SearchRequest) ([]store.SearchHit, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return nil, err
	}
	return ws.Store.Search(s.ctx(), store.SearchQuery{Text: q.Text, Channel: q.Channel, BeforeID: q.BeforeID, Limit: q.Limit})
}

// Stats returns counts per channel and status.
func (s *InboxService) Stats() (store.Stats, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return store.Stats{}, err
	}
	return ws.Store.Stats(s.ctx())
}

// Accounts lists the brand accounts.
func (s *InboxService) Accounts() ([]inbox.Account, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return nil, err
	}
	return ws.Store.Accounts(s.ctx())
}

// Tags lists the tags in use with their conversation counts.
func (s *InboxService) Tags() ([]store.TagCount, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return nil, err
	}
	return ws.Store.Tags(s.ctx())
}

// SetStatus opens, parks (pending) or closes a conversation.
func (s *InboxService) SetStatus(id int64, name string) (inbox.Conversation, error) {
	status := inbox.Status(name)
	if !status.Valid() {
		return inbox.Conversation{}, fmt.Errorf("unknown status %q", status)
	}
	return s.update(id, func(ctx context.Context, st *store.Store) error {
		return st.SetStatusBy(ctx, id, status, workspace.AgentName())
	})
}

// Assign gives a conversation to an agent; an empty name unassigns it.
func (s *InboxService) Assign(id int64, assignee string) (inbox.Conversation, error) {
	return s.update(id, func(ctx context.Context, st *store.Store) error { return st.SetAssignee(ctx, id, assignee) })
}

// AddTag tags a conversation.
func (s *InboxService) AddTag(id int64, tag string) (inbox.Conversation, error) {
	return s.update(id, func(ctx context.Context, st *store.Store) error { return st.AddTag(ctx, id, tag) })
}

// RemoveTag removes a tag from a conversation.
func (s *InboxService) RemoveTag(id int64, tag string) (inbox.Conversation, error) {
	return s.update(id, func(ctx context.Context, st *store.Store) error { return st.RemoveTag(ctx, id, tag) })
}

// CorrectSentiment relabels a message's sentiment by hand ("negative",
// "neutral", "positive"); the correction is stored so a retrain learns from it.
func (s *InboxService) CorrectSentiment(messageID int64, label string) error {
	ws, err := s.app.workspace()
	if err != nil {
		return err
	}
	l := inbox.Sentiment(label)
	if l == inbox.SentimentUnknown || !l.Valid() {
		return fmt.Errorf("unknown sentiment %q: use negative, neutral or positive", label)
	}
	if err := ws.CorrectSentiment(s.ctx(), messageID, l, workspace.AgentName()); err != nil {
		return err
	}
	s.app.emit(s.ctx(), "inbox:changed")
	return nil
}

// Moderate hides or deletes a customer's message through its account's
// connector. For a critical message (negative, an author with reach >= 10k,
// or an account in crisis) it acts only with confirm; without, it returns the
// warning and its reasons and does nothing.
func (s *InboxService) Moderate(messageID int64, action string, confirm bool) (workspace.ModerationWarning, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return workspace.ModerationWarning{}, err
	}
	ctx := s.ctx()
	w, err := ws.Moderate(ctx, s.app.secrets, messageID, channels.ModerationAction(action), confirm, actor().Name)
	if err == nil && (confirm || !w.Critical) {
		s.app.emit(ctx, "inbox:changed")
	}
	return w, err
}

func (s *InboxService) update(id int64, change func(context.Context, *store.Store) error) (inbox.Conversation, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return inbox.Conversation{}, err
	}
	if err := change(s.ctx(), ws.Store); err != nil {
		return inbox.Conversation{}, err
	}
	return ws.Store.ConversationByID(s.ctx(), id)
}

func (s *InboxService) ctx() context.Context { return s.app.context() }

// context is the app's lifetime context once started.
func (a *App) context() context.Context {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.wailsCtx != nil {
		return a.wailsCtx
	}
	return context.Background()
}

// AccountsService serves the account settings: channels, secrets, test, sync.
type AccountsService struct{ app *App }

// List returns every account with its settings, sync state and the secrets its channel needs.
func (s *AccountsService) List() ([]workspace.AccountStatus, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return nil, err
	}
	return ws.AccountStatuses(s.app.context())
}

// Channels lists the channels an account can be set up for, with the secrets each needs.
func (s *AccountsService) Channels() []registry.ChannelInfo { return registry.Channels() }

// Save stores an account's settings (secrets go to the OS keyring) and restarts its sync.
func (s *AccountsService) Save(in workspace.AccountInput) (inbox.Account, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return inbox.Account{}, err
	}
	acc, err := ws.SaveAccount(s.app.context(), s.app.secrets, in)
	if err != nil {
		return inbox.Account{}, err
	}
	if err := s.app.syncer.Start(s.app.context(), acc.Name); err != nil {
		return acc, fmt.Errorf("saved, but sync cannot start: %w", err)
	}
	return acc, nil
}

// Test checks an account's credentials and reachability with one cheap call.
func (s *AccountsService) Test(name string) (string, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(s.app.context(), 30*time.Second)
	defer cancel()
	_, conn, err := ws.Connector(ctx, s.app.secrets, name)
	if err != nil {
		return "", err
	}
	defer func() {
		if c, ok := conn.(interface{ Close() error }); ok {
			_ = c.Close()
		}
	}()
	if err := conn.Test(ctx); err != nil {
		return "", err
	}
	return "connected", nil
}

// SyncNow restarts an account's background sync at once.
func (s *AccountsService) SyncNow(name string) error {
	if _, err := s.app.workspace(); err != nil {
		return err
	}
	return s.app.syncer.Start(s.app.context(), name)
}

// CrisisService serves the crisis dashboard: the detector's visible baselines and its alerts.
type CrisisService struct{ app *App }

func (s *CrisisService) monitor() (*workspace.CrisisMonitor, error) {
	if _, err := s.app.workspace(); err != nil {
		return nil, err
	}
	s.app.mu.RLock()
	defer s.app.mu.RUnlock()
	if s.app.monitor == nil {
		return nil, errors.New("the crisis monitor is starting")
	}
	return s.app.monitor, nil
}

// States returns each brand account and channel's status, observed count and baseline.
func (s *CrisisService) States() ([]crisis.KeyState, error) {
	m, err := s.monitor()
	if err != nil {
		return nil, err
	}
	return m.States(), nil
}

// Series returns the last 48 hours of one brand account and channel in
// 15-minute bins with the baseline band, for the dashboard's stream chart.
func (s *CrisisService) Series(account string, channel inbox.ChannelKind) ([]crisis.Bin, error) {
	m, err := s.monitor()
	if err != nil {
		return nil, err
	}
	return m.Series(crisis.Key{Account: account, Channel: channel}), nil
}

// Alerts returns the spike alerts, newest first, each with its explanation.
func (s *CrisisService) Alerts() ([]crisis.Alert, error) {
	m, err := s.monitor()
	if err != nil {
		return nil, err
	}
	return m.Alerts(), nil
}

// SetCrisisMode opens (on) or ends crisis mode for a brand account: its open
// conversations switch to the crisis SLA rules from now on.
func (s *CrisisService) SetCrisisMode(accountName string, on bool) error {
	ws, err := s.app.workspace()
	if err != nil {
		return err
	}
	ctx := s.app.context()
	acc, err := ws.Store.AccountByName(ctx, accountName)
	if err != nil {
		return fmt.Errorf("crisis mode for %q: %w", accountName, err)
	}
	if err := ws.SetCrisisMode(ctx, acc.Name, on, actor().Name); err != nil {
		return err
	}
	s.app.emit(ctx, "inbox:changed")
	return nil
}

// Timeline returns the current crisis of an account, oldest first: opening,
// alerts, approved statements, replies, notes and hourly volume since it was
// opened. Empty when the account is not in crisis.
func (s *CrisisService) Timeline(accountName string) ([]workspace.TimelineEntry, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return nil, err
	}
	return ws.Timeline(s.app.context(), accountName, time.Now())
}

// BurstGroups groups the negative messages of an alert's burst by
// near-duplicate text, largest first, each with its conversations, so one
// statement can answer a group. The alert is given by its account, window
// start and detection time (RFC 3339, as the alert carries them) and window
// length in milliseconds.
func (s *CrisisService) BurstGroups(account, start, detectedAt string, windowMs int64) ([]workspace.BurstGroup, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return nil, err
	}
	from, err := time.Parse(time.RFC3339Nano, start)
	if err != nil {
		return nil, fmt.Errorf("burst groups of %s: window start: %w", account, err)
	}
	at, err := time.Parse(time.RFC3339Nano, detectedAt)
	if err != nil {
		return nil, fmt.Errorf("burst groups of %s: detection time: %w", account, err)
	}
	return ws.BurstGroups(s.app.context(), account, from, at, time.Duration(windowMs)*time.Millisecond)
}

// SampleConversations maps an alert's samples to their conversations (0 when
// a sample is not stored), so a group of them can get one statement.
func (s *CrisisService) SampleConversations(accountName string, samples []crisis.Sample) ([]int64, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return nil, err
	}
	return ws.GroupConversations(s.app.context(), accountName, samples)
}

// InCrisis returns the names of the accounts with crisis mode on.
func (s *CrisisService) InCrisis() ([]string, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return nil, err
	}
	ctx := s.app.context()
	accs, err := ws.Store.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	names := []string{}
	for _, acc := range accs {
		on, err := ws.Store.InCrisis(ctx, acc.ID)
		if err != nil {
			return nil, err
		}
		if on {
			names = append(names, acc.Name)
		}
	}
	return names, nil
}

// Groups groups near-duplicate texts (indexes into texts), largest group first.
func (s *CrisisService) Groups(texts []string) [][]int {
	return crisis.GroupNearDuplicates(texts)
}

// ComposeService drafts replies and moves them through approval to the outbox.
// Nothing is sent before a person approves it.
type ComposeService struct{ app *App }

// ComposeStep is one workflow step as the UI sends it.
type ComposeStep struct {
	ReplyID string `json:"replyId"`
	Action  string `json:"action"` // edit, submit, withdraw, approve, reject, queue, retry
	Text    string `json:"text"`
	Comment string `json:"comment"`
}

// LLMSettings is the drafting model's configuration; the key stays in the OS keyring.
type LLMSettings struct {
	Settings  drafts.Settings `json:"settings"`
	HasAPIKey bool            `json:"hasApiKey"`
	APIKey    string          `json:"apiKey"` // only sent by the UI; empty keeps the stored key
}

func (s *ComposeService) composer() (*workspace.Composer, error) {
	if _, err := s.app.workspace(); err != nil {
		return nil, err
	}
	s.app.mu.RLock()
	defer s.app.mu.RUnlock()
	if s.app.composer == nil {
		return nil, errors.New("drafting is starting")
	}
	return s.app.composer, nil
}

// actor is the person using the app; STORMDESK_ROLE=approver grants approval rights.
func actor() drafts.Actor {
	role := drafts.RoleAgent
	if os.Getenv("STORMDESK_ROLE") == string(drafts.RoleApprover) {
		role = drafts.RoleApprover
	}
	return drafts.Actor{Name: workspace.AgentName(), Role: role}
}

// Draft writes a reply for a conversation and stores it as a draft. The text
// streams to the UI as "compose:delta" events {conversationId, text}.
func (s *ComposeService) Draft(conversationID int64, guidance string) (drafts.Reply, error) {
	c, err := s.composer()
	if err != nil {
		return drafts.Reply{}, err
	}
	ctx := s.app.context()
	return c.Draft(ctx, conversationID, actor(), guidance, func(delta string) {
		s.app.emit(ctx, "compose:delta", map[string]any{"conversationId": conversationID, "text": delta})
	})
}

// DraftForGroup drafts the same statement in each conversation of a group of
// near-duplicate complaints. Every draft still needs approval; nothing is sent.
func (s *ComposeService) DraftForGroup(conversationIDs []int64, text string) ([]drafts.Reply, error) {
	c, err := s.composer()
	if err != nil {
		return nil, err
	}
	return c.DraftForGroup(s.app.context(), conversationIDs, text, actor())
}

// Cancel stops drafting for a conversation.
func (s *ComposeService) Cancel(conversationID int64) {
	if c, err := s.composer(); err == nil {
		c.CancelDraft(conversationID)
	}
}

// Step applies one workflow step to a reply.
func (s *ComposeService) Step(step ComposeStep) (drafts.Reply, error) {
	c, err := s.composer()
	if err != nil {
		return drafts.Reply{}, err
	}
	ctx := s.app.context()
	r, err := c.Step(ctx, step.ReplyID, actor(), drafts.Step{Action: drafts.Action(step.Action), Text: step.Text, Comment: step.Comment})
	if err != nil {
		return r, err
	}
	// The approval queue changes with every submit, withdraw, approve and reject;
	// a fresh submission is also an approval request approvers are notified of.
	s.app.emit(ctx, "approval:changed")
	if r.State == drafts.StateSubmitted {
		s.app.emit(ctx, "approval:requested", r)
	}
	return r, nil
}

// ApprovalQueue lists the replies waiting for an approver, crisis replies first.
func (s *ComposeService) ApprovalQueue() ([]store.PendingApproval, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return nil, err
	}
	return ws.Store.PendingApprovals(s.app.context(), 200)
}

// Replies lists a conversation's replies, newest last.
func (s *ComposeService) Replies(conversationID int64) ([]drafts.Reply, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return nil, err
	}
	return ws.Store.RepliesByConversation(s.app.context(), conversationID)
}

// Audit lists every step of a reply: who, when, what changed.
func (s *ComposeService) Audit(replyID string) ([]drafts.AuditEntry, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return nil, err
	}
	return ws.Store.ReplyAudit(s.app.context(), replyID)
}

// Canned lists the canned replies matching query (all when empty), best first.
func (s *ComposeService) Canned(query string) ([]drafts.Canned, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return nil, err
	}
	all, err := ws.Store.CannedReplies(s.app.context())
	if err != nil {
		return nil, err
	}
	if query == "" {
		return all, nil
	}
	return drafts.Search(all, query), nil
}

// KB lists the approved statements and FAQ entries of a brand ("" = all brands).
func (s *ComposeService) KB(brand string) ([]drafts.KBEntry, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return nil, err
	}
	return ws.Store.KBEntries(s.app.context(), brand)
}

// DeleteKB removes a knowledge-base entry.
func (s *ComposeService) DeleteKB(id string) error {
	ws, err := s.app.workspace()
	if err != nil {
		return err
	}
	return ws.Store.DeleteKBEntry(s.app.context(), id)
}

// SaveCanned adds or replaces a canned reply.
func (s *ComposeService) SaveCanned(c drafts.Canned) error {
	ws, err := s.app.workspace()
	if err != nil {
		return err
	}
	return ws.Store.PutCanned(s.app.context(), c, time.Now())
}

// DeleteCanned removes a canned reply.
func (s *ComposeService) DeleteCanned(id string) error {
	ws, err := s.app.workspace()
	if err != nil {
		return err
	}
	return ws.Store.DeleteCanned(s.app.context(), id)
}

// Brands returns each brand's drafting voice (tone, signature, default language).
func (s *ComposeService) Brands() ([]drafts.Brand, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return nil, err
	}
	return ws.Brands(s.app.context())
}

// SaveBrand stores a brand's drafting voice.
func (s *ComposeService) SaveBrand(b drafts.Brand) error {
	ws, err := s.app.workspace()
	if err != nil {
		return err
	}
	return ws.SaveBrand(b)
}

// RetrainSentiment learns the corrected labels on top of the shipped model and
// returns how many it learnt.
func (s *ComposeService) RetrainSentiment() (int, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return 0, err
	}
	return ws.RetrainSentiment(s.app.context())
}

// Me is the person using the app and their role (agent or approver).
func (s *ComposeService) Me() drafts.Actor { return actor() }

// SaveKB adds or replaces a knowledge-base entry.
func (s *ComposeService) SaveKB(e drafts.KBEntry) error {
	ws, err := s.app.workspace()
	if err != nil {
		return err
	}
	return ws.SaveKBEntry(s.app.context(), e, time.Now())
}

// LLM returns the drafting model's settings.
func (s *ComposeService) LLM() (LLMSettings, error) {
	c, err := s.composer()
	if err != nil {
		return LLMSettings{}, err
	}
	set, has, err := c.LLMSettings(s.app.context())
	return LLMSettings{Settings: set, HasAPIKey: has}, err
}

// SaveLLM stores the drafting model's settings; the key goes to the OS keyring.
func (s *ComposeService) SaveLLM(in LLMSettings) error {
	c, err := s.composer()
	if err != nil {
		return err
	}
	return c.SaveLLMSettings(s.app.context(), in.Settings, in.APIKey)
}

// TestLLM lists the configured server's models, or says why it cannot.
func (s *ComposeService) TestLLM() ([]string, error) {
	c, err := s.composer()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(s.app.context(), 30*time.Second)
	defer cancel()
	return c.TestLLM(ctx)
}

// SLAService edits the SLA policy set (docs/sla.md).
type SLAService struct{ app *App }

// Policies returns the stored policy set as indented JSON, ready to edit.
func (s *SLAService) Policies() (string, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return "", err
	}
	set, err := ws.Store.SLAPolicies(s.app.context())
	if err != nil {
		return "", err
	}
	b, err := json.MarshalIndent(set, "", "  ")
	if err != nil {
		return "", fmt.Errorf("encode SLA policies: %w", err)
	}
	return string(b), nil
}

// SavePolicies validates and stores a policy set given as JSON and recomputes
// every open deadline. An invalid set changes nothing; the error lists every
// problem, one per line.
func (s *SLAService) SavePolicies(raw string) error {
	ws, err := s.app.workspace()
	if err != nil {
		return err
	}
	if err := ws.Store.SaveSLAPolicies(s.app.context(), []byte(raw)); err != nil {
		return err
	}
	s.app.emit(s.app.context(), "inbox:changed")
	return nil
}

// AuthorsService serves the author panel: an author's history with the brand,
// reach, VIP flag, notes and the etiquette ladder (docs/authors.md). The
// ladder is Stormdesk's own record: it never calls a platform's ban API.
type AuthorsService struct{ app *App }

// Profile returns an author's panel.
func (s *AuthorsService) Profile(authorID int64) (workspace.AuthorPanel, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return workspace.AuthorPanel{}, err
	}
	return ws.AuthorPanel(s.app.context(), authorID)
}

// SetVIP marks or unmarks an author as VIP. SLA rules may match on it, and the
// list marks VIPs, so the inbox refreshes.
func (s *AuthorsService) SetVIP(authorID int64, vip bool) (workspace.AuthorPanel, error) {
	p, err := s.change(authorID, func(ctx context.Context, st *store.Store) error { return st.SetAuthorVIP(ctx, authorID, vip) })
	if err == nil {
		s.app.emit(s.app.context(), "inbox:changed")
	}
	return p, err
}

// SetNotes replaces the team's notes about an author.
func (s *AuthorsService) SetNotes(authorID int64, notes string) (workspace.AuthorPanel, error) {
	return s.change(authorID, func(ctx context.Context, st *store.Store) error { return st.SetAuthorNotes(ctx, authorID, notes) })
}

// Moderate records a step of the etiquette ladder (see workspace.ModerateAuthor):
// a critical step is only recorded with confirm. Nothing is sent to the platform.
func (s *AuthorsService) Moderate(in workspace.AuthorModeration) (workspace.ModerationOutcome, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return workspace.ModerationOutcome{}, err
	}
	ctx := s.app.context()
	out, err := ws.ModerateAuthor(ctx, in, actor().Name, time.Now())
	if err == nil && out.Applied {
		s.app.emit(ctx, "inbox:changed")
	}
	return out, err
}

func (s *AuthorsService) change(authorID int64, fn func(context.Context, *store.Store) error) (workspace.AuthorPanel, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return workspace.AuthorPanel{}, err
	}
	ctx := s.app.context()
	if err := fn(ctx, ws.Store); err != nil {
		return workspace.AuthorPanel{}, err
	}
	return ws.AuthorPanel(ctx, authorID)
}

// AnalyticsService answers the analytics page (docs/analytics.md).
type AnalyticsService struct{ app *App }

// Overview returns everything the analytics page shows for one range, account and
// time zone: the weekday x hour heatmap, response times, sentiment trend and topics.
func (s *AnalyticsService) Overview(req workspace.AnalyticsRequest) (workspace.Analytics, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return workspace.Analytics{}, err
	}
	return ws.Analytics(s.app.context(), req, time.Now())
}

// ExportCSV returns one part of the analytics page as CSV text; kind is one of
// heatmap, response-times, sentiment, topics, sla or breaches.
func (s *AnalyticsService) ExportCSV(kind string, req workspace.AnalyticsRequest) (string, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := ws.ExportAnalyticsCSV(s.app.context(), &b, kind, req, time.Now()); err != nil {
		return "", err
	}
	return b.String(), nil
}

// ClassifyService runs the optional LLM sentiment pass over the messages the
// offline model was unsure about (docs/sentiment.md, "LLM classification").
type ClassifyService struct{ app *App }

func (s *ClassifyService) worker() (*workspace.ClassifyWorker, error) {
	if _, err := s.app.workspace(); err != nil {
		return nil, err
	}
	s.app.mu.RLock()
	defer s.app.mu.RUnlock()
	if s.app.classifier == nil {
		return nil, errors.New("classification is starting")
	}
	return s.app.classifier, nil
}

// Status returns the settings (defaults filled in), whether an LLM is
// configured (false in offline mode) and the last run's outcome.
func (s *ClassifyService) Status() (workspace.ClassifyStatus, error) {
	w, err := s.worker()
	if err != nil {
		return workspace.ClassifyStatus{}, err
	}
	return w.Status(s.app.context())
}

// SaveSettings stores the classify part of llm.json (on/off, threshold, batch size).
func (s *ClassifyService) SaveSettings(in drafts.ClassifySettings) error {
	w, err := s.worker()
	if err != nil {
		return err
	}
	return w.SaveSettings(s.app.context(), in)
}

// RunNow classifies the uncertain messages now, even while the background
// pass is off, and returns how many were labelled and relabelled.
func (s *ClassifyService) RunNow() (workspace.ClassifyResult, error) {
	w, err := s.worker()
	if err != nil {
		return workspace.ClassifyResult{}, err
	}
	ctx, cancel := context.WithTimeout(s.app.context(), 10*time.Minute)
	defer cancel()
	return w.RunOnce(ctx, true) // a run that relabels emits "inbox:changed" itself
}
