// Package teamevents announces every change a team server makes to every
// server instance and, through them, to every desktop: each event is
// appended to the store's events table (a numbered log on both engines),
// and on PostgreSQL the append notifies the stormdesk_events channel with
// the new sequence number only. A Hub listens on a dedicated connection,
// reads the log in order from the last sequence it delivered, and hands each
// event to its subscribers exactly once; after a lost connection it reconnects
// and reads what it missed from the table. A web bridge in journal mode
// (webbridge.Bridge.UseJournal) numbers its event stream with the same
// sequence and replays a reconnecting desktop from the table.
//
// Wiring in a server (st is the server's *store.Store, dsn its postgres:// URL):
//
//	hub, err := teamevents.New(ctx, st, teamevents.Options{DSN: dsn, Log: log})
//	if err != nil {
//		return err
//	}
//	bridge.UseJournal(hub)  // before the bridge serves its first request
//	app.emit = bridge.Emit  // through the log; page-local events: bridge.EmitLocal
//	go func() {
//		if err := hub.Run(ctx); err != nil {
//			log.Error("events hub stopped", "err", err)
//		}
//	}()
//
// With a SQLite store (one process) the DSN is the file path or empty: the
// Hub then wakes on its own Publish calls, with a slow poll as a safety net.
package teamevents

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/stormdesk/stormdesk/backend/store"
)

// Defaults for Options.
const (
	// DefaultRetention is how long events stay in the table: a desktop away
	// longer than this misses what was pruned (see docs/team.md "Events").
	DefaultRetention = 24 * time.Hour
	// DefaultPruneEvery is how often a Hub deletes events older than the retention.
	DefaultPruneEvery = 10 * time.Minute
	// DefaultPoll is the safety-net re-read of the table; notifications and
	// in-process wake-ups deliver long before it.
	DefaultPoll = 30 * time.Second

	// readBatch bounds one read of the table.
	readBatch = 500
	// publishTimeout bounds one append: a change is announced even when the
	// caller's context ends right after it, but not forever.
	publishTimeout = 15 * time.Second
	// Reconnect backoff of the PostgreSQL listener.
	minBackoff = 100 * time.Millisecond
	maxBackoff = 10 * time.Second
	// applicationName names the listener's connection in pg_stat_activity.
	applicationName = "stormdesk-events"
	// idleCheck is how long the listener waits for a notification before it
	// pings: a connection whose server vanished without closing it (a host
	// gone, a partition) would otherwise wait forever.
	idleCheck = 30 * time.Second
	// dialTimeout and pingTimeout bound the listener's connect and ping.
	dialTimeout = 10 * time.Second
	pingTimeout = 10 * time.Second
)

// Event is one entry of the log: Payload is the JSON array of the data
// Publish was given.
type Event = store.Event

// Store is the event log a Hub appends to and reads (*store.Store).
type Store interface {
	AppendEvent(ctx context.Context, name string, payload []byte) (int64, error)
	EventsAfter(ctx context.Context, after int64, limit int) ([]store.Event, error)
	LatestEventSeq(ctx context.Context) (int64, error)
	PruneEvents(ctx context.Context, before time.Time) (int64, error)
	EventsPrunedThrough(ctx context.Context) (int64, error)
}

// Options configure a Hub; zero values take the defaults.
type Options struct {
	// DSN is the database's postgres:// URL: the Hub then LISTENs on a
	// connection of its own. Anything else (a SQLite path, empty) means one
	// process: the Hub wakes on its own Publish calls only.
	DSN        string
	Retention  time.Duration
	PruneEvery time.Duration
	Poll       time.Duration
	Log        *slog.Logger
}

// Hub publishes events to the log and delivers the log's new events, in
// order and once each, to its subscribers.
type Hub struct {
	st         Store
	log        *slog.Logger
	retention  time.Duration
	pruneEvery time.Duration
	poll       time.Duration
	// dial opens the listener's connection; tests wrap it.
	dial func(ctx context.Context) (*pgx.Conn, error)
	// idleCheck is idleCheck; tests shorten it.
	idleCheck time.Duration

	wake    chan struct{}
	running atomic.Bool
	// listenerPID is the backend pid of the current listener connection (0: none); tests kill it.
	listenerPID atomic.Uint32

	mu      sync.Mutex // guards hw and subs; held while an event is handed to the subscribers
	hw      int64      // the last sequence delivered
	subs    map[uint64]func(Event)
	nextSub uint64
}

// New returns a Hub that delivers the events appended after it was made.
func New(ctx context.Context, st Store, opts Options) (*Hub, error) {
	h := &Hub{
		st:         st,
		log:        opts.Log,
		retention:  opts.Retention,
		pruneEvery: opts.PruneEvery,
		poll:       opts.Poll,
		idleCheck:  idleCheck,
		wake:       make(chan struct{}, 1),
		subs:       map[uint64]func(Event){},
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.retention <= 0 {
		h.retention = DefaultRetention
	}
	if h.pruneEvery <= 0 {
		h.pruneEvery = DefaultPruneEvery
	}
	if h.poll <= 0 {
		h.poll = DefaultPoll
	}
	if store.IsPostgresDSN(opts.DSN) {
		cfg, err := pgx.ParseConfig(opts.DSN)
		if err != nil {
			return nil, fmt.Errorf("teamevents: listener address: %w", err)
		}
		cfg.RuntimeParams["application_name"] = applicationName
		if cfg.ConnectTimeout == 0 {
			cfg.ConnectTimeout = dialTimeout
		}
		h.dial = func(ctx context.Context) (*pgx.Conn, error) { return pgx.ConnectConfig(ctx, cfg.Copy()) }
	}
	hw, err := st.LatestEventSeq(ctx)
	if err != nil {
		return nil, fmt.Errorf("teamevents: start: %w", err)
	}
	h.hw = hw
	return h, nil
}

// Publish appends an event with data (JSON-encoded as an array) to the log;
// every Hub on the database then delivers it. Its signature is App.emit's, so
// it takes the place of the window's or the bridge's Emit. Errors are logged:
// the change it announces has happened either way.
func (h *Hub) Publish(ctx context.Context, name string, data ...any) {
	_, _ = h.Append(ctx, name, data...)
}

// Append is Publish returning the event's sequence number (0 with the error
// when it was not recorded), so a caller can tell when the Hub has delivered
// it. Errors are logged here too.
func (h *Hub) Append(ctx context.Context, name string, data ...any) (int64, error) {
	if data == nil {
		data = []any{}
	}
	payload, err := json.Marshal(data)
	if err != nil {
		h.log.Error("teamevents: event not published, its data is not JSON", "event", name, "err", err)
		return 0, fmt.Errorf("teamevents: publish %s: %w", name, err)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), publishTimeout)
	defer cancel()
	seq, err := h.st.AppendEvent(ctx, name, payload)
	if err != nil {
		h.log.Error("teamevents: event not published", "event", name, "err", err)
		return 0, fmt.Errorf("teamevents: publish %s: %w", name, err)
	}
	h.poke()
	return seq, nil
}

// poke wakes Run to read the table; a wake-up already pending covers this one.
func (h *Hub) poke() {
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// Subscribe registers fn to receive every event with a sequence number above
// from, in order, each once. fn runs on Run's goroutine with the Hub locked:
// it must not block or call the Hub. stop ends the subscription.
func (h *Hub) Subscribe(fn func(Event)) (from int64, stop func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.nextSub++
	id := h.nextSub
	h.subs[id] = fn
	return h.hw, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.subs, id)
	}
}

// Follow is Subscribe for webbridge.Journal, which speaks in plain values.
func (h *Hub) Follow(deliver func(seq int64, name string, data []byte)) (from int64, stop func()) {
	return h.Subscribe(func(e Event) { deliver(e.Seq, e.Name, e.Payload) })
}

// Replay reads the events with a sequence number in (after, upTo] from the
// table, in order, and passes each to send; it stops at send's first error.
// Events already pruned are not there to replay.
func (h *Hub) Replay(ctx context.Context, after, upTo int64, send func(seq int64, name string, data []byte) error) error {
	for after < upTo {
		evs, err := h.st.EventsAfter(ctx, after, readBatch)
		if err != nil {
			return fmt.Errorf("teamevents: replay after %d: %w", after, err)
		}
		for _, e := range evs {
			if e.Seq > upTo {
				return nil
			}
			if err := send(e.Seq, e.Name, e.Payload); err != nil {
				return err
			}
			after = e.Seq
		}
		if len(evs) < readBatch {
			return nil
		}
	}
	return nil
}

// Pruned returns the largest sequence number pruned from the log: a reader
// whose last seen number is below it has missed events that cannot be
// replayed, and must start over (webbridge sends the page a reset).
func (h *Hub) Pruned(ctx context.Context) (int64, error) {
	n, err := h.st.EventsPrunedThrough(ctx)
	if err != nil {
		return 0, fmt.Errorf("teamevents: %w", err)
	}
	return n, nil
}

// Run delivers new events until ctx ends: it listens for notifications
// (PostgreSQL), wakes on its own Publish calls, re-reads the table every
// Poll as a safety net, and prunes events older than the retention every
// PruneEvery. It returns nil when ctx ends.
func (h *Hub) Run(ctx context.Context) error {
	if !h.running.CompareAndSwap(false, true) {
		return errors.New("teamevents: Run called while the hub already runs")
	}
	defer h.running.Store(false)
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if h.dial != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.listen(ctx)
		}()
	}
	poll := time.NewTicker(h.poll)
	defer poll.Stop()
	prune := time.NewTicker(h.pruneEvery)
	defer prune.Stop()
	h.prune(ctx)
	h.catchUp(ctx)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-h.wake:
			h.catchUp(ctx)
		case <-poll.C:
			h.catchUp(ctx)
		case <-prune.C:
			h.prune(ctx)
		}
	}
}

// catchUp delivers every event after the high-water mark. Appends commit in
// sequence order (store.AppendEvent), so reading "after the last delivered"
// skips nothing; an error leaves the mark where it was, for the next wake-up
// or poll.
func (h *Hub) catchUp(ctx context.Context) {
	for {
		h.mu.Lock()
		after := h.hw
		h.mu.Unlock()
		evs, err := h.st.EventsAfter(ctx, after, readBatch)
		if err != nil {
			if ctx.Err() == nil {
				h.log.Warn("teamevents: read events; retrying on the next wake-up", "after", after, "err", err)
			}
			return
		}
		for _, e := range evs {
			h.deliver(e)
		}
		if len(evs) < readBatch {
			return
		}
	}
}

func (h *Hub) deliver(e Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if e.Seq <= h.hw {
		return
	}
	h.hw = e.Seq
	for _, fn := range h.subs {
		fn(e)
	}
}

func (h *Hub) prune(ctx context.Context) {
	n, err := h.st.PruneEvents(ctx, time.Now().Add(-h.retention))
	if err != nil {
		if ctx.Err() == nil {
			h.log.Warn("teamevents: prune old events", "err", err)
		}
		return
	}
	if n > 0 {
		h.log.Debug("teamevents: pruned old events", "deleted", n, "retention", h.retention)
	}
}

// listen keeps a LISTEN connection open until ctx ends, reconnecting with
// backoff after it drops. Each (re)connection wakes Run once LISTEN is in
// place, so what was committed while no one listened is read from the table.
func (h *Hub) listen(ctx context.Context) {
	backoff := minBackoff
	for {
		connected, err := h.listenOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		if connected {
			backoff = minBackoff
		}
		h.log.Warn("teamevents: listener connection lost; reconnecting", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// listenOnce runs one listener connection until it fails; connected says
// whether LISTEN was in place.
func (h *Hub) listenOnce(ctx context.Context) (connected bool, err error) {
	conn, err := h.dial(ctx)
	if err != nil {
		return false, fmt.Errorf("connect: %w", err)
	}
	defer func() {
		h.listenerPID.Store(0)
		closeCtx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		conn.Close(closeCtx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+store.EventsChannel); err != nil {
		return false, fmt.Errorf("listen: %w", err)
	}
	h.listenerPID.Store(conn.PgConn().PID())
	h.poke()
	for {
		waitCtx, cancel := context.WithTimeout(ctx, h.idleCheck)
		n, err := conn.WaitForNotification(waitCtx)
		cancel()
		if n != nil && n.Channel == store.EventsChannel {
			h.poke()
		}
		if err == nil {
			continue
		}
		if ctx.Err() != nil || !pgconn.Timeout(err) || conn.IsClosed() {
			return true, fmt.Errorf("wait for notification: %w", err)
		}
		// Quiet for idleCheck: make sure the server is still there.
		pingCtx, cancel := context.WithTimeout(ctx, pingTimeout)
		err = conn.Ping(pingCtx)
		cancel()
		if err != nil {
			return true, fmt.Errorf("ping after %s without notifications: %w", h.idleCheck, err)
		}
	}
}
