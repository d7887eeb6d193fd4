package workspace

import (
	"context"
	"encoding/json"
	"errors"
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
//
// Messages older than the week (imported history) go through a history pass:
// a fresh detector replays their accounts over their own period, and the
// alerts it finds are kept with their historical times. Alerts are stored, so
// they outlive a restart; the pass remembers the last message it looked at.
// An account whose newest message is older than the week is fed its own last
// week, so its streams show as they were then (dormant) instead of not at all.
type CrisisMonitor struct {
	ws      *Workspace
	det     *crisis.Detector
	onAlert func(crisis.Alert)
	poll    time.Duration
	now     func() time.Time

	mu      sync.Mutex
	alerts  []crisis.Alert // newest first
	lastID  int64          // every message up to this id has been looked at
	ready   bool
	leading bool // Run is running: this instance holds the loop's lock
	// lastMention: every listening mention up to this id has been looked
	// at; topicIDs: a topic stream's topic id by the topic's name.
	lastMention int64
	topicIDs    map[string]int64
	// det is replaced by Run (under mu); other goroutines reach it only
	// through liveDet.

	// What publish last wrote (the Run goroutine's own): names to values,
	// nil until the first publication after taking over.
	published map[string]string
	pubBin    int64 // the detector's bin at the last publication
	dirty     bool  // messages were fed since the last publication
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

// Run replays history and then follows new messages until ctx ends. Only
// the instance holding the crisis loop's lock runs it (Workspace.Run); it
// publishes what the detector knows to the live_state table, from which the
// other instances answer (see States).
func (m *CrisisMonitor) Run(ctx context.Context) error {
	m.mu.Lock()
	// Afresh on every take: a runner that lost the lock and takes it again
	// replays the week, which the old detector has already counted.
	m.det = crisis.NewDetector(m.det.Config())
	m.alerts, m.lastID, m.lastMention = nil, 0, 0
	m.leading, m.ready, m.published = true, false, nil
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		m.leading, m.ready = false, false
		m.mu.Unlock()
	}()
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

// historyWindow is how far back the running detector looks: its seasonal
// baseline's days. Older messages go through the history pass.
func (m *CrisisMonitor) historyWindow() time.Duration {
	return time.Duration(m.det.Config().HistoryDays) * 24 * time.Hour
}

// replay loads the kept alerts, feeds the last history window in time order
// (alerts it finds are history: kept and listed, not announced), runs the
// history pass over what was stored while the app was closed, and feeds each
// dormant account its own last week.
func (m *CrisisMonitor) replay(ctx context.Context) error {
	if err := m.exclude(ctx, m.det); err != nil {
		return fmt.Errorf("crisis monitor: %w", err)
	}
	kept, err := m.ws.Store.CrisisAlerts(ctx, maxAlerts)
	if err != nil {
		return fmt.Errorf("crisis monitor: %w", err)
	}
	m.mu.Lock()
	for _, k := range kept {
		var a crisis.Alert
		if err := json.Unmarshal(k.Body, &a); err != nil {
			m.ws.Log.Warn("crisis monitor: unreadable kept alert", "account", k.Account, "at", k.DetectedAt, "err", err)
			continue
		}
		m.add(a)
	}
	m.mu.Unlock()
	top, err := m.ws.Store.MaxMessageID(ctx)
	if err != nil {
		return fmt.Errorf("crisis monitor: %w", err)
	}
	since := m.now().Add(-m.historyWindow())
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
	if err := m.primeFromHistory(ctx, all, since); err != nil {
		return err
	}
	var found []crisis.Alert
	for _, f := range all {
		found = append(found, m.det.Observe(event(f))...)
		if f.ID > last {
			last = f.ID
		}
	}
	topicAlerts, err := m.replayTopics(ctx, since)
	if err != nil {
		return err
	}
	found = append(found, topicAlerts...)
	m.det.Advance(m.now())
	if _, err := m.keep(ctx, found); err != nil {
		return err
	}
	m.mu.Lock()
	// Messages up to top that the feed skipped (outbound, older than the
	// window) need no second look here: the history pass reads those.
	m.lastID = max(m.lastID, last, top)
	m.mu.Unlock()
	n, err := m.history(ctx, top)
	if err != nil {
		return err
	}
	if err := m.wakeDormant(ctx, nil); err != nil {
		return err
	}
	m.dirty = true
	if err := m.publish(ctx); err != nil {
		m.ws.Log.Warn("crisis monitor: publish live state", "err", err)
	}
	m.mu.Lock()
	m.ready = true
	m.mu.Unlock()
	m.ws.Log.Info("crisis monitor watching", "replayed", len(all), "alerts", len(found), "history alerts", n)
	return nil
}

// primeFromHistory feeds the running detector, before the window's
// messages (all, in time order, sent since since), the last history window of
// older messages of each account whose messages in the window began less
// than the learning period ago: its imported history, carried forward by the
// detector, is then its baseline and it does not learn again after a
// restart. Accounts with a full window need nothing and cost no query.
func (m *CrisisMonitor) primeFromHistory(ctx context.Context, all []store.FeedMessage, since time.Time) error {
	learning := map[string]bool{}
	seen := map[string]bool{}
	learnt := m.now().Add(-m.det.Config().MinHistory)
	for _, f := range all {
		if !seen[f.Account] {
			seen[f.Account] = true
			learning[f.Account] = f.SentAt.After(learnt)
		}
	}
	need := false
	for _, l := range learning {
		need = need || l
	}
	if !need {
		return nil
	}
	spans, err := m.ws.Store.InboundSpans(ctx, 0, since)
	if err != nil {
		return fmt.Errorf("crisis monitor: prime from history: %w", err)
	}
	var read []store.AccountSpan
	for _, sp := range spans {
		if learning[sp.Account] {
			sp.First = maxTime(sp.First, sp.Last.Add(-m.historyWindow()))
			read = append(read, sp)
		}
	}
	err = m.ws.Store.EachInbound(ctx, read, func(f store.FeedMessage) error {
		// Alerts in this history are the history pass's to keep.
		m.det.Observe(event(f))
		return ctx.Err()
	})
	if err != nil {
		return fmt.Errorf("crisis monitor: prime from history: %w", err)
	}
	return nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// exclude tells detectors each account's own names (account, brand,
// handle), so their explanations leave them out of the top terms.
func (m *CrisisMonitor) exclude(ctx context.Context, dets ...*crisis.Detector) error {
	accs, err := m.ws.Store.Accounts(ctx)
	if err != nil {
		return err
	}
	for _, a := range accs {
		for _, d := range dets {
			d.Exclude(a.Name, ownNames(a))
		}
	}
	return nil
}

// ownNames are the words an account's top terms leave out: its name, its
// brand (the brand profile's name) and its handle.
func ownNames(a inbox.Account) []string { return []string{a.Name, a.Brand, a.Handle} }

// keep stores alerts and lists them; it returns how many were new. The
// store keeps one alert per stream and detection time, so a replay that
// finds an alert again adds nothing.
func (m *CrisisMonitor) keep(ctx context.Context, alerts []crisis.Alert) (int, error) {
	n := 0
	for _, a := range alerts {
		body, err := json.Marshal(a)
		if err != nil {
			return n, fmt.Errorf("crisis monitor: keep alert of %s: %w", a.Key, err)
		}
		added, err := m.ws.Store.PutCrisisAlert(ctx, store.StoredAlert{Account: a.Key.Account, Channel: a.Key.Channel,
			Start: a.Start, DetectedAt: a.DetectedAt, Body: body})
		if err != nil {
			return n, fmt.Errorf("crisis monitor: %w", err)
		}
		if added {
			n++
		}
		m.mu.Lock()
		m.add(a)
		m.mu.Unlock()
	}
	return n, nil
}

// history runs the history pass over messages stored up to message id top
// that the pass has not looked at and that are older than the running
// detector's window. Per account, a fresh detector replays its messages from
// a history window before the oldest new one (for the baseline) to the
// newest, in send order; the alerts it finds in the new period are kept. It
// returns how many alerts were new.
func (m *CrisisMonitor) history(ctx context.Context, top int64) (int, error) {
	from, err := m.ws.Store.CrisisScanned(ctx)
	if err != nil {
		return 0, fmt.Errorf("crisis history: %w", err)
	}
	if from >= top {
		return 0, nil
	}
	spans, err := m.ws.Store.InboundSpans(ctx, from, m.now().Add(-m.historyWindow()))
	if err != nil {
		return 0, fmt.Errorf("crisis history: %w", err)
	}
	n := 0
	if len(spans) > 0 {
		// Accounts an import just created are new to the running detector too.
		det := crisis.NewDetector(m.det.Config())
		if err := m.exclude(ctx, det, m.det); err != nil {
			return 0, fmt.Errorf("crisis history: %w", err)
		}
		newFrom := map[string]time.Time{}
		read := make([]store.AccountSpan, len(spans))
		for i, sp := range spans {
			newFrom[sp.Account] = sp.First
			read[i] = sp
			read[i].First = sp.First.Add(-m.historyWindow())
		}
		var found []crisis.Alert
		err = m.ws.Store.EachInbound(ctx, read, func(f store.FeedMessage) error {
			for _, a := range det.Observe(event(f)) {
				if !a.DetectedAt.Before(newFrom[a.Key.Account]) {
					found = append(found, a)
				}
			}
			return ctx.Err()
		})
		if err != nil {
			return 0, fmt.Errorf("crisis history: %w", err)
		}
		if n, err = m.keep(ctx, found); err != nil {
			return n, err
		}
		names := make([]string, len(spans))
		for i, sp := range spans {
			names[i] = sp.Account
		}
		if err := m.wakeDormant(ctx, names); err != nil {
			return n, err
		}
		m.ws.Log.Info("crisis history pass", "accounts", len(spans), "alerts", len(found), "new", n)
	}
	if err := m.ws.Store.SetCrisisScanned(ctx, top); err != nil {
		return n, fmt.Errorf("crisis history: %w", err)
	}
	return n, nil
}

// wakeDormant feeds each named account (nil: every account the running
// detector has no stream of) whose newest message is older than the history
// window its own last window, so the dashboard shows its streams as they were
// then. The alerts of that replay are the history pass's to keep.
func (m *CrisisMonitor) wakeDormant(ctx context.Context, accounts []string) error {
	if accounts == nil {
		accs, err := m.ws.Store.Accounts(ctx)
		if err != nil {
			return fmt.Errorf("crisis monitor: %w", err)
		}
		seen := map[string]bool{}
		for _, k := range m.det.Keys() {
			seen[k.Account] = true
		}
		for _, a := range accs {
			if !seen[a.Name] {
				accounts = append(accounts, a.Name)
			}
		}
	}
	horizon := m.now().Add(-m.historyWindow())
	var spans []store.AccountSpan
	for _, name := range accounts {
		last, ok, err := m.ws.Store.LastInbound(ctx, name)
		if err != nil {
			return fmt.Errorf("crisis monitor: %w", err)
		}
		if !ok || !last.Before(horizon) {
			continue
		}
		m.det.Forget(name)
		spans = append(spans, store.AccountSpan{Account: name, First: last.Add(-m.historyWindow()), Last: last})
	}
	err := m.ws.Store.EachInbound(ctx, spans, func(f store.FeedMessage) error {
		m.det.Observe(event(f))
		return ctx.Err()
	})
	if err != nil {
		return fmt.Errorf("crisis monitor: %w", err)
	}
	m.det.Advance(m.now())
	return nil
}

// Poll feeds messages stored since the last call and announces new alerts;
// messages older than the detector's window go through the history pass.
// When nothing was stored it only advances the detector's clock. What the
// detector then knows is published before the alerts are announced, so a
// page that reloads on the announcement reads the new state from any instance.
func (m *CrisisMonitor) Poll(ctx context.Context) error {
	announce, err := m.feed(ctx)
	if perr := m.publish(ctx); perr != nil {
		m.ws.Log.Warn("crisis monitor: publish live state", "err", perr)
	}
	for _, a := range announce {
		m.onAlert(a)
	}
	return err
}

func (m *CrisisMonitor) feed(ctx context.Context) (announce []crisis.Alert, err error) {
	m.mu.Lock()
	last := m.lastID
	m.mu.Unlock()
	top, err := m.ws.Store.MaxMessageID(ctx)
	if err != nil {
		return nil, fmt.Errorf("crisis monitor: %w", err)
	}
	topicAlerts, err := m.feedTopics(ctx)
	announce = append(announce, topicAlerts...)
	if err != nil {
		return announce, err
	}
	if top <= last {
		m.det.Advance(m.now())
		return announce, nil
	}
	m.dirty = true
	since := m.now().Add(-m.historyWindow())
	for {
		page, err := m.ws.Store.InboundAfter(ctx, last, since, feedPage)
		if err != nil {
			return announce, err
		}
		for _, f := range page {
			for _, a := range m.det.Observe(event(f)) {
				if _, err := m.keep(ctx, []crisis.Alert{a}); err != nil {
					m.ws.Log.Warn("crisis monitor: keep alert", "account", a.Key.Account, "err", err)
				}
				if err := m.ws.recordAlert(ctx, a, m.now()); err != nil {
					m.ws.Log.Warn("crisis timeline: record alert", "account", a.Key.Account, "err", err)
				}
				announce = append(announce, a)
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
	if _, err := m.history(ctx, top); err != nil {
		return announce, err
	}
	return announce, nil
}

// add lists an alert, newest first, once per stream and detection time.
func (m *CrisisMonitor) add(a crisis.Alert) {
	for _, x := range m.alerts {
		if x.Key == a.Key && x.DetectedAt.Equal(a.DetectedAt) {
			return
		}
	}
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
// The instance running the monitor answers from the detector; the others
// (and the runner while it replays) from what the runner last published.
func (m *CrisisMonitor) States(ctx context.Context) ([]crisis.KeyState, error) {
	if det := m.liveDet(); det != nil {
		return states(det), nil
	}
	out := []crisis.KeyState{}
	if err := m.readPublished(ctx, liveCrisisStates, &out); err != nil {
		return nil, err
	}
	return out, nil
}

func states(det *crisis.Detector) []crisis.KeyState {
	keys := det.Keys()
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
	out := make([]crisis.KeyState, 0, len(keys))
	for _, k := range keys {
		out = append(out, det.State(k))
	}
	return out
}

// seriesBins is how far back a stream's chart on the dashboard reaches: 72 hours,
// so a storm of Friday evening is still on Monday morning's chart.
const seriesBins = 3 * 96

// Series returns the last 72 hours of one stream in 15-minute bins with its
// baseline band, oldest first (nil for a stream the detector has not seen);
// answered as States is.
func (m *CrisisMonitor) Series(ctx context.Context, k crisis.Key) ([]crisis.Bin, error) {
	if det := m.liveDet(); det != nil {
		return det.Series(k, seriesBins), nil
	}
	var out []crisis.Bin
	if err := m.readPublished(ctx, liveCrisisSeries+k.String(), &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Alerts returns the alerts found so far, newest first. The instance running
// the monitor answers from its list; the others read the stored alerts,
// which are the same: the runner stores each alert before it lists it.
func (m *CrisisMonitor) Alerts(ctx context.Context) ([]crisis.Alert, error) {
	m.mu.Lock()
	if m.leading && m.ready {
		defer m.mu.Unlock()
		// Not slices.Clone: the UI is sent [] rather than null before the first alert.
		return append(make([]crisis.Alert, 0, len(m.alerts)), m.alerts...), nil
	}
	m.mu.Unlock()
	kept, err := m.ws.Store.CrisisAlerts(ctx, maxAlerts)
	if err != nil {
		return nil, fmt.Errorf("crisis alerts: %w", err)
	}
	out := make([]crisis.Alert, 0, len(kept))
	for _, k := range kept {
		var a crisis.Alert
		if err := json.Unmarshal(k.Body, &a); err != nil {
			m.ws.Log.Warn("crisis alerts: unreadable kept alert", "account", k.Account, "at", k.DetectedAt, "err", err)
			continue
		}
		out = append(out, a)
	}
	return out, nil
}

// Ready reports whether the history replay has finished.
func (m *CrisisMonitor) Ready() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ready
}

// liveDet returns the detector when this instance runs the monitor and has
// replayed history, so its detector is the state every instance shows; nil otherwise.
func (m *CrisisMonitor) liveDet() *crisis.Detector {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.leading && m.ready {
		return m.det
	}
	return nil
}

// Names of the monitor's rows in the live_state table: the states of every
// stream as one value, and each stream's chart as one value of its own.
const (
	liveCrisis       = "crisis/"
	liveCrisisStates = liveCrisis + "states"
	liveCrisisSeries = liveCrisis + "series/"
)

// publish writes what the detector knows (States and every stream's Series)
// to the live_state table when it may have changed: messages were fed, or
// the detector's clock entered another bin. Only the values that differ from
// the last publication are written; the first one after taking over replaces
// whatever the previous runner left.
func (m *CrisisMonitor) publish(ctx context.Context) error {
	bin := m.now().UnixNano() / int64(m.det.Config().Bin)
	if m.published != nil && !m.dirty && bin == m.pubBin {
		return nil
	}
	sts := states(m.det)
	vals := make(map[string]string, len(sts)+1)
	b, err := json.Marshal(sts)
	if err != nil {
		return fmt.Errorf("crisis states: %w", err)
	}
	vals[liveCrisisStates] = string(b)
	for _, st := range sts {
		b, err := json.Marshal(m.det.Series(st.Key, seriesBins))
		if err != nil {
			return fmt.Errorf("crisis series of %s: %w", st.Key, err)
		}
		vals[liveCrisisSeries+st.Key.String()] = string(b)
	}
	if m.published == nil {
		err = m.ws.Store.ReplaceLiveState(ctx, liveCrisis, vals)
	} else {
		set := map[string]string{}
		for n, v := range vals {
			if m.published[n] != v {
				set[n] = v
			}
		}
		var drop []string
		for n := range m.published {
			if _, ok := vals[n]; !ok {
				drop = append(drop, n)
			}
		}
		if len(set) > 0 || len(drop) > 0 {
			err = m.ws.Store.PutLiveState(ctx, set, drop)
		}
	}
	if err != nil {
		return err
	}
	m.published, m.pubBin, m.dirty = vals, bin, false
	return nil
}

// readPublished decodes the published value name into v; a name nothing was
// published under leaves v as it is (no monitor has run yet).
func (m *CrisisMonitor) readPublished(ctx context.Context, name string, v any) error {
	st, err := m.ws.Store.LiveState(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("crisis monitor: %w", err)
	}
	if err := json.Unmarshal([]byte(st.Value), v); err != nil {
		return fmt.Errorf("crisis monitor: published %s: %w", name, err)
	}
	return nil
}
