package workspace

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/crisis"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

// CrisisMonitor runs the spike detector over everything stored: at start it
// replays the last week (the detector's history window), then follows new
// messages by storage order, so imports and syncs feed it alike, including
// messages another process (`stormdesk import`) writes to the same database.
type CrisisMonitor struct {
	ws      *Workspace
	det     *crisis.Detector
	onAlert func(crisis.Alert)
	poll    time.Duration
	now     func() time.Time

	mu     sync.Mutex
	alerts []crisis.Alert // newest first
	lastID int64          // every message up to this id has been looked at
	ready  bool
}

// maxAlerts bounds the alerts kept in memory.
const maxAlerts = 200

// NewCrisisMonitor returns a monitor; onAlert (may be nil) hears of each new alert.
func (w *Workspace) NewCrisisMonitor(onAlert func(crisis.Alert)) *CrisisMonitor {
	if onAlert == nil {
		onAlert = func(crisis.Alert) {}
	}
	return &CrisisMonitor{ws: w, det: crisis.NewDetector(crisis.DefaultConfig()), onAlert: onAlert, poll: crisisPoll, now: time.Now}
}

// crisisPoll is how often the monitor looks for new messages. A look is one
// read of the newest message id, so it can be short: an alert for a burst
// that a sync or an import just stored shows within a few seconds.
const crisisPoll = 2 * time.Second

// Run replays history and then follows new messages until ctx ends.
func (m *CrisisMonitor) Run(ctx context.Context) error {
	if err := m.replay(ctx); err != nil {
		return err
	}
	t := time.NewTicker(m.poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if err := m.Poll(ctx); err != nil {
				m.ws.Log.Warn("crisis monitor", "err", err)
			}
		}
	}
}

const feedPage = 5000

// replay feeds the last history window in time order; alerts it finds are
// history, kept for the dashboard but not announced.
func (m *CrisisMonitor) replay(ctx context.Context) error {
	top, err := m.ws.Store.MaxMessageID(ctx)
	if err != nil {
		return fmt.Errorf("crisis monitor: %w", err)
	}
	since := m.now().Add(-7 * 24 * time.Hour)
	var all []store.FeedMessage
	var last int64
	for {
		page, err := m.ws.Store.InboundAfter(ctx, last, since, feedPage)
		if err != nil {
			return err
		}
		all = append(all, page...)
		if len(page) < feedPage {
			break
		}
		last = page[len(page)-1].ID
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].SentAt.Before(all[j].SentAt) })
	var found []crisis.Alert
	for _, f := range all {
		found = append(found, m.det.Observe(event(f))...)
		if f.ID > last {
			last = f.ID
		}
	}
	m.det.Advance(m.now())
	m.mu.Lock()
	defer m.mu.Unlock()
	// Messages up to top that the feed skipped (outbound, older than the
	// window) need no second look.
	m.lastID = max(m.lastID, last, top)
	for _, a := range found {
		m.add(a)
	}
	m.ready = true
	m.ws.Log.Info("crisis monitor watching", "replayed", len(all), "alerts", len(found))
	return nil
}

// Poll feeds messages stored since the last call and announces new alerts.
// When nothing was stored it only advances the detector's clock.
func (m *CrisisMonitor) Poll(ctx context.Context) error {
	m.mu.Lock()
	last := m.lastID
	m.mu.Unlock()
	top, err := m.ws.Store.MaxMessageID(ctx)
	if err != nil {
		return fmt.Errorf("crisis monitor: %w", err)
	}
	if top <= last {
		m.det.Advance(m.now())
		return nil
	}
	since := m.now().Add(-7 * 24 * time.Hour)
	for {
		page, err := m.ws.Store.InboundAfter(ctx, last, since, feedPage)
		if err != nil {
			return err
		}
		for _, f := range page {
			for _, a := range m.det.Observe(event(f)) {
				m.mu.Lock()
				m.add(a)
				m.mu.Unlock()
				if err := m.ws.recordAlert(ctx, a, m.now()); err != nil {
					m.ws.Log.Warn("crisis timeline: record alert", "account", a.Key.Account, "err", err)
				}
				m.onAlert(a)
			}
			last = f.ID
		}
		if len(page) < feedPage {
			// Everything up to top was read, even rows the feed skipped, so a
			// trail of outbound or old messages is not rescanned on every poll.
			last = max(last, top)
		}
		m.mu.Lock()
		m.lastID = last
		m.mu.Unlock()
		if len(page) < feedPage {
			break
		}
	}
	m.det.Advance(m.now())
	return nil
}

func (m *CrisisMonitor) add(a crisis.Alert) {
	m.alerts = slices.Insert(m.alerts, 0, a)
	sort.SliceStable(m.alerts, func(i, j int) bool { return m.alerts[i].DetectedAt.After(m.alerts[j].DetectedAt) })
	if len(m.alerts) > maxAlerts {
		m.alerts = m.alerts[:maxAlerts]
	}
}

func event(f store.FeedMessage) crisis.Event {
	return crisis.Event{Account: f.Account, Channel: f.Channel, At: f.SentAt, Negative: f.Sentiment == inbox.SentimentNegative,
		Text: f.Text, Author: f.Author, Reach: f.Reach}
}

// States returns the visible baseline of every brand account and channel.
func (m *CrisisMonitor) States() []crisis.KeyState {
	keys := m.det.Keys()
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
	out := make([]crisis.KeyState, 0, len(keys))
	for _, k := range keys {
		out = append(out, m.det.State(k))
	}
	return out
}

// seriesBins is how far back a stream's chart on the dashboard reaches: 48 hours.
const seriesBins = 2 * 96

// Series returns the last 48 hours of one stream in 15-minute bins with its
// baseline band, oldest first.
func (m *CrisisMonitor) Series(k crisis.Key) []crisis.Bin {
	return m.det.Series(k, seriesBins)
}

// Alerts returns the alerts found so far, newest first.
func (m *CrisisMonitor) Alerts() []crisis.Alert {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.alerts)
}

// Ready reports whether the history replay has finished.
func (m *CrisisMonitor) Ready() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ready
}
