package crisis

import (
	"iter"
	"sort"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// EventFromItem turns an imported or fetched item of an account into an
// event. Only inbound items matter to the detector; callers skip outbound ones.
func EventFromItem(account string, channel inbox.ChannelKind, it inbox.Item) Event {
	return Event{
		Account:  account,
		Channel:  channel,
		At:       it.SentAt,
		Negative: it.Sentiment == inbox.SentimentNegative,
		Text:     it.Text,
		Author:   it.Author.Handle,
		Reach:    it.Author.Reach,
	}
}

// Replay runs a fresh detector over events in time order (a stable sort, so
// equal times keep their input order) and returns every alert, as an online
// run would have raised them.
func Replay(events []Event, cfg Config) []Alert {
	return ReplayOn(NewDetector(cfg), events)
}

// ReplayOn is Replay on a detector the caller set up (Exclude).
func ReplayOn(d *Detector, events []Event) []Alert {
	sorted := make([]Event, len(events))
	copy(sorted, events)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].At.Before(sorted[j].At) })
	var out []Alert
	for _, e := range sorted {
		out = append(out, d.Observe(e)...)
	}
	return out
}

// ReplaySeq runs a fresh detector over events in the order given (late ones
// are handled as late) and returns every alert.
func ReplaySeq(events iter.Seq[Event], cfg Config) []Alert {
	d := NewDetector(cfg)
	var out []Alert
	for e := range events {
		out = append(out, d.Observe(e)...)
	}
	return out
}
