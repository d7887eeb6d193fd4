package main

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/cli"
	"github.com/stormdesk/stormdesk/backend/crisis"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/ingest"
	"github.com/stormdesk/stormdesk/backend/listening/poll"
	"github.com/stormdesk/stormdesk/backend/notify"
	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// App owns the workspace for the window's lifetime and hands it to the bound
// services (service_*.go), each a thin adapter over the workspace.
type App struct {
	log    *slog.Logger
	build  cli.BuildInfo
	dbPath string
	demo   bool
	// team: the team server, whose members approve each other's replies
	// (drafts.ModeTeam) and whose calls are ruled on by role (permissions.go).
	team bool
	// publicURL is the team server's address as members reach it, for
	// invitation links ("" when unknown).
	publicURL string

	// mu guards everything startup publishes: a bound method may run on
	// another goroutine as soon as the page loads, before startup is done.
	mu         sync.RWMutex
	ws         *workspace.Workspace
	openErr    error
	seeded     bool
	composer   *workspace.Composer
	syncer     *workspace.Syncer
	monitor    *workspace.CrisisMonitor
	classifier *workspace.ClassifyWorker // the LLM sentiment pass (ClassifyService)
	wailsCtx   context.Context

	ready sync.Once
	// secrets keeps channel tokens and passwords: the OS keyring in the
	// window, the database sealed under the server's key in team mode.
	secrets workspace.AccountSecrets
	// notifier shows desktop notifications over D-Bus; nil on the server,
	// which has no desktop (the browser then uses the web Notifications API).
	notifier *notify.Notifier
	// toast, when set, shows notifications through the Wails runtime: the
	// window on Windows and macOS, where there is no freedesktop.org service.
	toast func(ctx context.Context, n notify.Notification) error
	// emit sends an event to the frontend: the Wails runtime in the window,
	// the web bridge when served over HTTP for browser tests.
	emit func(ctx context.Context, name string, data ...any)
}

// NewApp prepares the app of the window and `serve`: secrets in the OS
// keyring, notifications over D-Bus. The database opens in startup.
func NewApp(log *slog.Logger, build cli.BuildInfo, dbPath string, demo bool) *App {
	return &App{log: log, build: build, dbPath: dbPath, demo: demo, emit: wruntime.EventsEmit,
		secrets: secrets.NewKeyring(workspace.KeyringService), notifier: notify.New("Stormdesk", "")}
}

// newHeadlessApp prepares the app of `stormdesk server`: the database at dsn,
// secrets in sec, no desktop to notify. Its events go nowhere until the
// caller sets emit (server.go: teamEvents).
func newHeadlessApp(log *slog.Logger, build cli.BuildInfo, dsn string, demo bool, sec workspace.AccountSecrets) *App {
	return &App{log: log, build: build, dbPath: dsn, demo: demo, secrets: sec, team: true,
		emit: func(context.Context, string, ...any) {}}
}

// services is the one list of bound services: the window binds it (Wails
// generates frontend/wailsjs/go/main from it) and `serve` hands it to the
// web bridge, so a service added here reaches both. They hold nothing but
// the app, so each caller may have its own values.
func (a *App) services() []any { return a.servicesAs(nil) }

// servicesAs is services acting as a team member (nil: the person at this
// desktop): the team server binds them per request, so what a call records
// names the member who made it.
func (a *App) servicesAs(me *teamMember) []any {
	return []any{
		&InboxService{app: a, as: as{me}},
		&AppService{app: a, as: as{me}},
		&AccountsService{app: a},
		&CrisisService{app: a, as: as{me}},
		&ComposeService{app: a, as: as{me}},
		&ReplyLibraryService{app: a},
		&ModelSettingsService{app: a},
		&SLAService{app: a},
		&AuthorsService{app: a, as: as{me}},
		&AnalyticsService{app: a},
		&ClassifyService{app: a},
		&ImportService{app: a, as: as{me}},
		&TeamService{app: a, as: as{me}},
		&PresenceService{app: a, as: as{me}},
		&ListeningService{app: a, as: as{me}},
	}
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
		a.log.Error("open database", "path", redactDSN(a.dbPath), "err", err)
		return
	}
	a.log.Info("database open", "path", redactDSN(a.dbPath))
	// The LLM sentiment pass runs beside ingest (off until switched on in Settings);
	// crisis timeline entries reach the window as they are recorded.
	classifier := ws.NewClassifyWorker(a.secrets, func(workspace.ClassifyResult) { a.emitInboxChanged(ctx) })
	a.mu.Lock()
	a.classifier = classifier
	a.mu.Unlock()
	ws.OnCrisisEvent(func(e store.CrisisEvent) { a.emitCrisisEvent(ctx, e) })
	syncer := ws.NewSyncer(a.secrets, func(e ingest.Event) {
		if e.Stored > 0 && !e.Completed {
			// The moment messages are in the database: operators (and the team
			// server's browser test) measure delivery to the desktops from here.
			a.log.Info("sync stored", "account", e.Account, "stored", e.Stored)
		}
		a.emitSyncProgress(ctx, e)
		if e.Completed && e.Err == "" {
			classifier.Wake()
			a.emitInboxChanged(ctx)
		}
	})
	// Published under the lock like the other parts: AccountsService may
	// already be serving the page on another goroutine.
	a.mu.Lock()
	a.syncer = syncer
	a.mu.Unlock()
	// A spike on a listening topic is forwarded by the topic's rule (docs/listening.md).
	ws.OnListeningAlert = func(ctx context.Context, topicID int64, al crisis.Alert) {
		if err := ws.ForwardAlert(ctx, topicID, al); err != nil {
			a.log.Warn("forward a topic alert", "topic", topicID, "err", err)
		}
	}
	monitor := ws.NewCrisisMonitor(func(al crisis.Alert) { a.emitCrisisAlert(ctx, al) })
	composer := ws.NewComposer(a.secrets)
	// The composer shows sent or failed as soon as the outbox knows.
	composer.OnDelivery = func(conversationID int64, replyID string, state drafts.State) {
		a.emitReplyDelivered(ctx, ReplyDelivery{ConversationID: conversationID, ReplyID: replyID, State: state})
		// A failed reply marks its row and joins the "Failed to send" view.
		if state == drafts.StateFailed {
			a.emitInboxChanged(ctx)
		}
	}
	a.mu.Lock()
	a.monitor = monitor
	if a.team {
		// Members approve each other's replies: no self-review stands in for a second person.
		composer.Mode = drafts.ModeTeam
	}
	a.composer = composer
	a.mu.Unlock()
	// Every background loop runs under the workspace's supervisor, so shutdown
	// waits for all of them before the database closes.
	loops := workspace.Loops{Sync: syncer, Outbox: composer, Crisis: monitor, Classify: classifier,
		SLA: &workspace.SLASweep{OnChange: func(changed int) {
			if changed > 0 {
				a.emitInboxChanged(ctx)
			}
		}},
		Snooze: &workspace.SnoozeWaker{OnWake: func([]int64) { a.emitInboxChanged(ctx) }}}
	if a.team {
		// Presence lives in the database only on the team server; round-robin
		// hands out new conversations there (docs/team.md, "Presence").
		loops.Presence = &workspace.PresenceSweep{RoundRobin: true,
			OnChange: func(ids []int64) {
				if _, err := a.emitPresence(ctx, ws, ids); err != nil {
					a.log.Warn("announce presence", "err", err)
				}
			},
			OnAssign: func([]int64) { a.emitInboxChanged(ctx) }}
	}
	// Brand listening polls its sources beside sync (docs/listening.md).
	if lp, err := ws.NewListeningPoller(a.secrets, ws.ListeningKinds(), func(poll.Round) { a.emitListeningChanged(ctx) }); err != nil {
		a.log.Error("listening poller", "err", err)
	} else {
		loops.Listening = lp
	}
	// Listening alerts and digests go to Telegram and e-mail (docs/listening.md).
	loops.Forward = ws.NewForwarder(a.secrets)
	if a.demo {
		// Seeding runs beside the window so it is interactive at once; the list refreshes when done.
		loops.Seed = func(sctx context.Context) error {
			if _, err := a.seedDemo(sctx, ws); err != nil {
				a.log.Error("demo data", "err", err)
			}
			return nil
		}
	}
	if err := ws.Run(ctx, loops); err != nil {
		a.log.Error("start background loops", "err", err)
	}
	failLoops(ws, a.log)
}

func (a *App) shutdown(context.Context) {
	if a.notifier != nil {
		_ = a.notifier.Close()
	}
	// Not under a.mu: the demo seed, which Shutdown waits for, takes it.
	a.mu.RLock()
	ws := a.ws
	a.mu.RUnlock()
	if ws == nil {
		return
	}
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := ws.Shutdown(sctx); err != nil {
		a.log.Error("close database", "err", err)
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
		return nil, apperr.Starting("database", errors.New("the database is still opening"))
	}
	return a.ws, nil
}

// context is the app's lifetime context once started.
func (a *App) context() context.Context {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.wailsCtx != nil {
		return a.wailsCtx
	}
	return context.Background()
}

// dialogContext returns the window's context and whether a native file dialog
// may be opened in it: the Wails runtime puts its frontend into the window's
// context and exits the process when a dialog is asked for without one (serve,
// the team server), where the page does the file's part itself.
func (a *App) dialogContext() (context.Context, bool) {
	wctx := a.context()
	return wctx, wctx.Value("frontend") != nil
}

// seedDemo stores the demo data set if the workspace has no account yet,
// remembers that this session did (Info's Demo), and tells the window. It
// answers whether it seeded.
func (a *App) seedDemo(ctx context.Context, ws *workspace.Workspace) (bool, error) {
	seeded, err := ws.SeedDemoIfEmpty(ctx, time.Now(), workspace.AgentName())
	if err != nil || !seeded {
		return false, err
	}
	a.mu.Lock()
	a.seeded = true
	a.mu.Unlock()
	a.emitInboxChanged(ctx)
	return true, nil
}
