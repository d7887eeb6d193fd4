package workspace

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/crisis"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

// ListeningChannel is the channel of a listening topic's stream in the
// crisis detector: Key{Account: the topic's name, Channel: ListeningChannel}.
// The name (not the id) is the key's account so the dashboard and an
// alert's detail read as the topic; it cannot be taken for a brand account's
// stream, whose channel is a real one.
const ListeningChannel inbox.ChannelKind = "listening"

func topicEvent(t store.TopicMention) crisis.Event {
	return crisis.Event{Account: t.Topic, Channel: ListeningChannel, At: t.Published,
		Negative: t.Sentiment == inbox.SentimentNegative, Text: t.Text, Author: t.Author, Reach: t.Reach, Replies: max(t.Replies, 0), URL: t.URL}
}

// readTopicMentions reads every link of a mention to an enabled topic with
// a mention id above after, published since since, and remembers each
// topic's id by its name (for OnListeningAlert). It returns them and the
// highest mention id read (after when none).
func (m *CrisisMonitor) readTopicMentions(ctx context.Context, after int64, since time.Time) ([]store.TopicMention, int64, error) {
	var all []store.TopicMention
	last := after
	for {
		page, err := m.ws.Store.TopicMentionsAfter(ctx, last, since, feedPage)
		if err != nil {
			return nil, after, fmt.Errorf("crisis monitor: %w", err)
		}
		all = append(all, page...)
		if len(page) > 0 {
			last = page[len(page)-1].MentionID
		}
		if len(page) < feedPage {
			break
		}
	}
	m.mu.Lock()
	if m.topicIDs == nil {
		m.topicIDs = map[string]int64{}
	}
	for _, t := range all {
		if _, ok := m.topicIDs[t.Topic]; !ok {
			// A topic's own name is no explanation of its spike.
			m.det.Exclude(t.Topic, []string{t.Topic})
		}
		m.topicIDs[t.Topic] = t.TopicID
	}
	m.mu.Unlock()
	// A poll's page may hold late finds (a feed's older entries): the
	// detector takes each stream in time order best.
	sort.SliceStable(all, func(i, j int) bool { return all[i].Published.Before(all[j].Published) })
	return all, last, nil
}

// replayTopics feeds the topics' mentions of the history window to the
// detector before its clock is advanced to now; the alerts found are history
// (kept and listed, not announced).
func (m *CrisisMonitor) replayTopics(ctx context.Context, since time.Time) ([]crisis.Alert, error) {
	top, err := m.ws.Store.MaxMentionID(ctx)
	if err != nil {
		return nil, fmt.Errorf("crisis monitor: %w", err)
	}
	all, _, err := m.readTopicMentions(ctx, 0, since)
	if err != nil {
		return nil, err
	}
	var found []crisis.Alert
	for _, t := range all {
		found = append(found, m.det.Observe(topicEvent(t))...)
	}
	m.mu.Lock()
	m.lastMention = top
	m.mu.Unlock()
	return found, nil
}

// feedTopics feeds mentions stored since the last look, keeps each new
// alert and returns it to be announced, telling Workspace.OnListeningAlert.
func (m *CrisisMonitor) feedTopics(ctx context.Context) ([]crisis.Alert, error) {
	m.mu.Lock()
	last := m.lastMention
	m.mu.Unlock()
	top, err := m.ws.Store.MaxMentionID(ctx)
	if err != nil {
		return nil, fmt.Errorf("crisis monitor: %w", err)
	}
	if top <= last {
		return nil, nil
	}
	m.dirty = true
	all, _, err := m.readTopicMentions(ctx, last, time.Time{})
	if err != nil {
		return nil, err
	}
	// Late finds published before the running detector's window go through
	// the history pass; the rest is fed.
	horizon := m.now().Add(-m.historyWindow())
	var old []store.TopicMention
	recent := all[:0:0]
	for _, t := range all {
		if t.Published.Before(horizon) {
			old = append(old, t)
		} else {
			recent = append(recent, t)
		}
	}
	if len(old) > 0 {
		if _, err := m.topicHistory(ctx, old); err != nil {
			return nil, err
		}
	}
	var announce []crisis.Alert
	for _, t := range recent {
		for _, a := range m.det.Observe(topicEvent(t)) {
			added, err := m.keep(ctx, []crisis.Alert{a})
			if err != nil {
				m.ws.Log.Warn("crisis monitor: keep topic alert", "topic", a.Key.Account, "err", err)
			}
			announce = append(announce, a)
			if added > 0 && m.ws.OnListeningAlert != nil {
				m.ws.OnListeningAlert(ctx, t.TopicID, a)
			}
		}
	}
	m.mu.Lock()
	m.lastMention = top
	m.mu.Unlock()
	return announce, nil
}

// topicHistory is the history pass of topics' streams, as history is for
// messages: mentions published before the running detector's window that
// were stored late (a sweep catching up after weeks without polling, a
// desktop's mentions imported into the team store). Per topic, a fresh
// detector replays its mentions from a history window before the oldest
// late one (for the baseline) to the newest late one, in published order;
// the alerts it finds from the oldest late one on are kept and listed as
// history: not announced and not forwarded, since they are over. It returns
// how many were new.
func (m *CrisisMonitor) topicHistory(ctx context.Context, late []store.TopicMention) (int, error) {
	type span struct {
		id          int64
		first, last time.Time
	}
	spans := map[string]*span{}
	var names []string
	for _, t := range late {
		sp, ok := spans[t.Topic]
		if !ok {
			sp = &span{id: t.TopicID, first: t.Published, last: t.Published}
			spans[t.Topic] = sp
			names = append(names, t.Topic)
		}
		if t.Published.Before(sp.first) {
			sp.first = t.Published
		}
		if t.Published.After(sp.last) {
			sp.last = t.Published
		}
	}
	sort.Strings(names)
	var found []crisis.Alert
	for _, name := range names {
		sp := spans[name]
		ms, err := m.ws.Store.TopicMentionsBetween(ctx, sp.id, sp.first.Add(-m.historyWindow()), sp.last)
		if err != nil {
			return 0, fmt.Errorf("crisis topic history %s: %w", name, err)
		}
		// One detector per topic: each replays its own period.
		det := crisis.NewDetector(m.det.Config())
		det.Exclude(name, []string{name})
		for _, t := range ms {
			for _, a := range det.Observe(topicEvent(t)) {
				if !a.DetectedAt.Before(sp.first) {
					found = append(found, a)
				}
			}
		}
	}
	n, err := m.keep(ctx, found)
	if err == nil {
		m.ws.Log.Info("crisis topic history pass", "topics", len(names), "alerts", len(found), "new", n)
	}
	return n, err
}

// TopicID returns the listening topic a stream belongs to (ok false for a
// brand account's stream or a topic the monitor has not read).
func (m *CrisisMonitor) TopicID(k crisis.Key) (int64, bool) {
	if k.Channel != ListeningChannel {
		return 0, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.topicIDs[k.Account]
	return id, ok
}

// TopicAccounts returns the brand accounts a listening topic's crisis mode
// opens: for a brand topic named name, every account whose brand (or own
// name) is the topic's name, compared without case. ok is false when no
// brand topic has that name or no account speaks for it (a competitor's
// topic has no crisis mode of ours).
func (w *Workspace) TopicAccounts(ctx context.Context, name string) ([]inbox.Account, bool, error) {
	topics, err := w.Store.ListeningTopics(ctx)
	if err != nil {
		return nil, false, err
	}
	found := false
	for _, t := range topics {
		found = found || (t.Kind == store.TopicBrand && t.Name == name)
	}
	if !found {
		return nil, false, nil
	}
	accs, err := w.Store.Accounts(ctx)
	if err != nil {
		return nil, false, err
	}
	var out []inbox.Account
	for _, a := range accs {
		if strings.EqualFold(a.Brand, name) || strings.EqualFold(a.Name, name) {
			out = append(out, a)
		}
	}
	return out, len(out) > 0, nil
}
