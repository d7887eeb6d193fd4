// Package workspace wires one database to the pipeline that fills it; the
// window and the headless commands both start from here.
package workspace

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels/youtube"
	"github.com/stormdesk/stormdesk/backend/crisis"
	"github.com/stormdesk/stormdesk/backend/demo"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/ingest"
	"github.com/stormdesk/stormdesk/backend/store"
)

// Workspace is an open database with its ingest pipeline.
type Workspace struct {
	Store    *store.Store
	Pipeline *ingest.Pipeline
	DBPath   string
	Log      *slog.Logger

	ytQuota *youtube.Quota // shared by every YouTube account (one Google project)

	crisisMu      sync.Mutex
	onCrisisEvent func(store.CrisisEvent) // see OnCrisisEvent

	// OnListeningAlert (may be nil) hears once of each new alert of a
	// listening topic's stream (crisis_topics.go), with the topic's id; set
	// it before Run. Alerts found replaying history are not announced.
	OnListeningAlert func(ctx context.Context, topicID int64, a crisis.Alert)

	sup supervisor // the background loops Run starts and Close waits for

	fwd atomic.Pointer[Forwarder] // see NewForwarder; ForwardAlert uses it

	model modelWatch // see CurrentSentimentModel

	// Timing tunes how instances sharing one PostgreSQL database hand work
	// over; zero fields take the defaults. Set it before NewSyncer and Run.
	Timing Timing
}

// Timing is the hand-over timing of several instances on one database (see
// docs/team.md, "Several instances") and the pause before a failed
// background loop starts again; tests shorten it.
type Timing struct {
	// LockRetry is how often an instance without an account's sync lock, or
	// a once-per-team loop's lock, tries to take it; default 30 s.
	LockRetry time.Duration
	// LockCheck is how often a held lock's connection is checked; a lock
	// whose connection failed is given up within about this long. Default 10 s.
	LockCheck time.Duration
	// PollInterval is the sync's poll interval for connectors that cannot
	// push; default 2 min.
	PollInterval time.Duration
	// RestartMin is the pause before a background loop that panicked or
	// failed is started again; each failure in a row doubles it, up to
	// RestartMax. A run that outlasts RestartMax ends the row. Defaults 2 s
	// and 5 min: long enough that a loop failing at once does not spin on
	// the log and the database, short enough that crisis detection or the
	// SLA sweep is back within minutes.
	RestartMin, RestartMax time.Duration
}

func (t Timing) restartMin() time.Duration {
	if t.RestartMin > 0 {
		return t.RestartMin
	}
	return 2 * time.Second
}

func (t Timing) restartMax() time.Duration {
	if t.RestartMax > 0 {
		return max(t.RestartMax, t.restartMin())
	}
	return max(5*time.Minute, t.restartMin())
}

func (t Timing) lockRetry() time.Duration {
	if t.LockRetry > 0 {
		return t.LockRetry
	}
	return 30 * time.Second
}

// Open opens (or creates) the database at path. A nil logger discards logs.
func Open(ctx context.Context, path string, log *slog.Logger) (*Workspace, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if !store.IsPostgresDSN(path) {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("create data folder for %s: %w", path, err)
		}
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	w := &Workspace{Store: st, Pipeline: ingest.New(st, log), DBPath: path, Log: log}
	if store.IsPostgresDSN(path) {
		// DBPath reaches logs and the UI: never the URL's password.
		w.DBPath = st.Path()
	}
	if !store.IsPostgresDSN(path) {
		moved, err := MoveSideFilesIn(ctx, st, filepath.Dir(path), log)
		if err != nil {
			st.Close()
			return nil, err
		}
		if len(moved) > 0 {
			log.Info("settings files moved into the database", "settings", moved)
		}
	}
	model, err := w.loadModel(ctx)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("load the sentiment model: %w", err)
	}
	w.Pipeline.SetScorer(model)
	w.ytQuota = w.loadYouTubeQuota(ctx)
	return w, nil
}

// SeedDemoIfEmpty stores the demo data set when no account exists yet, so a
// first start shows a living inbox; me is the agent some conversations are
// assigned to. It reports whether it seeded.
func (w *Workspace) SeedDemoIfEmpty(ctx context.Context, now time.Time, me string) (bool, error) {
	accounts, err := w.Store.Accounts(ctx)
	if err != nil {
		return false, fmt.Errorf("demo: list accounts: %w", err)
	}
	if len(accounts) > 0 {
		return false, nil
	}
	data := demo.Generate(now, 1)
	// The demo is a live inbox, not an import: its messages arrived as they
	// were sent, so the history horizon does not stop their SLA clocks.
	ctx = store.AsLive(ctx)
	wr := w.Pipeline.NewWriter()
	for _, da := range data {
		for _, it := range da.Items {
			if err := wr.Add(ctx, da.Account, it); err != nil {
				return false, fmt.Errorf("demo: %w", err)
			}
		}
	}
	res, err := wr.Close(ctx)
	if err != nil {
		return false, fmt.Errorf("demo: %w", err)
	}
	if err := w.triageDemo(ctx, data, now, me); err != nil {
		return false, err
	}
	for _, c := range demo.Canned() {
		if err := w.Store.PutCanned(ctx, c, now); err != nil {
			return false, fmt.Errorf("demo: %w", err)
		}
	}
	for _, e := range demo.KB() {
		if err := w.Store.PutKBEntry(ctx, e, now); err != nil {
			return false, fmt.Errorf("demo: %w", err)
		}
	}
	if err := w.seedDemoBrands(ctx); err != nil {
		return false, err
	}
	if err := w.seedDemoListening(ctx, now); err != nil {
		return false, err
	}
	w.Log.Info("demo data stored", "messages", res.Inserted, "conversations", res.Conversations)
	return true, nil
}

// runSLASweep recomputes SLA states every interval (a minute is right: states
// change at warning and due times) until ctx ends, so the inbox moves from ok to
// warning to breached without new events. Most sweeps read only the
// conversations whose warning or due time has passed (due); the first one and
// one every fullEvery read every open conversation (full), for the facts that
// change without recomputing (an author's reach saved with another
// conversation). onChange, if set, is called after a sweep that changed rows
// (the window refreshes its list and notifies). A failed sweep is logged and
// retried at the next tick, a failed full one as a full one. Run starts it as
// Loops.SLA.
func (w *Workspace) runSLASweep(ctx context.Context, every, fullEvery time.Duration, full, due func(context.Context, time.Time) (int, error), onChange func(changed int)) {
	if every <= 0 {
		every = time.Minute
	}
	if fullEvery <= 0 {
		fullEvery = defaultFullSweep
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	var lastFull time.Time
	for {
		now := time.Now()
		sweep, isFull := due, lastFull.IsZero() || now.Sub(lastFull) >= fullEvery
		if isFull {
			sweep = full
		}
		n, err := sweep(ctx, now)
		switch {
		case err != nil && ctx.Err() == nil:
			w.Log.Warn("SLA sweep failed", "err", err, "full", isFull)
		case n > 0:
			w.Log.Debug("SLA sweep", "changed", n, "full", isFull)
			if onChange != nil {
				onChange(n)
			}
		}
		if isFull && err == nil {
			lastFull = now
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// defaultFullSweep is how often the SLA sweep reads every open conversation.
// An author's reach crossing a policy's minimum reaches the author's other
// conversations within it.
const defaultFullSweep = 10 * time.Minute

// DefaultDBPath is the database file in the OS's per-user data folder.
func DefaultDBPath() string {
	return filepath.Join(userDataDir(), "Stormdesk", "stormdesk.db")
}

func userDataDir() string {
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LOCALAPPDATA"); d != "" {
			return d
		}
	case "darwin":
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, "Library", "Application Support")
		}
	default:
		if d := os.Getenv("XDG_DATA_HOME"); d != "" {
			return d
		}
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, ".local", "share")
		}
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "."
	}
	return d
}

// triageDemo gives the demo conversations the states a working team leaves behind.
func (w *Workspace) triageDemo(ctx context.Context, data []demo.Account, now time.Time, me string) error {
	for _, da := range data {
		acc, err := w.Store.AccountByName(ctx, da.Account.Name)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		for key, tr := range demo.TriageFor(da, now, me) {
			id, err := w.Store.ConversationIDByThreadKey(ctx, acc.ID, key)
			if err != nil {
				return fmt.Errorf("demo: %w", err)
			}
			if tr.Status != inbox.StatusOpen {
				if err := w.Store.SetStatus(ctx, id, tr.Status); err != nil {
					return fmt.Errorf("demo: %w", err)
				}
			}
			if tr.Assignee != "" {
				if err := w.Store.SetAssignee(ctx, id, tr.Assignee); err != nil {
					return fmt.Errorf("demo: %w", err)
				}
			}
		}
	}
	return nil
}

// AgentName is the name of the person using the app, for "Mine" and "Assign to me":
// $STORMDESK_AGENT, else the OS user name.
func AgentName() string {
	if n := os.Getenv("STORMDESK_AGENT"); n != "" {
		return n
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "me"
}
