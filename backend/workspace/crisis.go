package workspace

import (
	"context"
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
// messages by storage order, so imports and syncs feed it alike.
type CrisisMonitor struct {
	ws      *Workspace
	det     *crisis.Detector
	onAlert func(crisis.Alert)
	poll    time.Duration
	now     func() time.Time

	mu     sync.Mutex
	alerts []crisis.Alert // newest first
	lastID int64
	ready  bool
}

// maxAlerts bounds the alerts kept in memory.
const maxAlerts = 200

// NewCrisisMonitor returns a monitor; onAlert (may be nil) hears of each new alert.
func (w *Workspace) NewCrisisMonitor(onAlert func(crisis.Alert)) *CrisisMonitor {
	if onAlert == nil {
		onAlert = func(crisis.Alert) {}
	}
	return &CrisisMonitor{ws: w, det: crisis.NewDetector(crisis.DefaultConfig()), onAlert: onAlert, poll: 15 * time.Second, now: time.Now}
}

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
	m.lastID = max(m.lastID, last)
	for _, a := range found {
		m.add(a)
	}
	m.ready = true
	return nil
}

// Poll feeds messages stored since the last call and announces new alerts.
func (m *CrisisMonitor) Poll(ctx context.Context) error {
	m.mu.Lock()
	last := m.lastID
	m.mu.Unlock()
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
