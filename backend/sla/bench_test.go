package sla

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// benchConversations builds n open conversations like the store benchmark's: 1-9
// messages (about 5), 45% of replies outbound, some pending, spread over 180 days,
// comment/DM/mail mixed, a few VIP and tagged ones.
func benchConversations(n int) []Conversation {
	rng := rand.New(rand.NewPCG(5, 5))
	kinds := []inbox.MessageKind{inbox.KindComment, inbox.KindComment, inbox.KindDM, inbox.KindMail}
	chans := map[inbox.MessageKind][]inbox.ChannelKind{
		inbox.KindComment: {inbox.ChannelVK, inbox.ChannelYouTube, inbox.ChannelMastodon},
		inbox.KindDM:      {inbox.ChannelTelegram, inbox.ChannelVK},
		inbox.KindMail:    {inbox.ChannelMail},
	}
	base := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	convs := make([]Conversation, n)
	for i := range convs {
		k := kinds[rng.IntN(len(kinds))]
		c := Conversation{Kind: k, Channel: chans[k][rng.IntN(len(chans[k]))], Status: inbox.StatusOpen}
		if rng.IntN(20) == 0 {
			c.AuthorReach = 500_000
		}
		if rng.IntN(4) == 0 {
			c.Tags = []string{"billing"}
		}
		at := base.Add(-time.Duration(rng.Int64N(int64(180 * 24 * time.Hour))))
		msgs := 1 + rng.IntN(9)
		c.Events = make([]Event, 0, msgs+2)
		c.Events = append(c.Events, Event{Kind: EventInbound, At: at})
		for j := 1; j < msgs; j++ {
			at = at.Add(time.Duration(rng.Int64N(int64(6 * time.Hour))))
			kind := EventInbound
			if rng.IntN(100) < 45 {
				kind = EventOutbound
			}
			c.Events = append(c.Events, Event{Kind: kind, At: at, Agent: "agent"})
			if kind == EventOutbound && rng.IntN(3) == 0 {
				c.Events = append(c.Events, Event{Kind: EventStatus, At: at, Status: inbox.StatusPending})
				c.Status = inbox.StatusPending
			} else if kind == EventInbound {
				c.Status = inbox.StatusOpen
			}
		}
		convs[i] = c
	}
	return convs
}

// BenchmarkRecompute200k evaluates 200,000 open conversations, as a periodic sweep
// does, under the default policies moved to Europe/Berlin with holidays.
func BenchmarkRecompute200k(b *testing.B) {
	set := DefaultPolicies()
	for i := range set.Policies {
		set.Policies[i].Hours.TimeZone = "Europe/Berlin"
		set.Policies[i].Hours.Holidays = []Holiday{{Date: "2025-12-25"}, {Date: "2025-12-26"}, {Date: "2026-01-01"}, {Date: "2026-04-03"}, {Date: "2026-05-01"}}
	}
	e := mustEngine(b, set)
	convs := benchConversations(200_000)
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	events := 0
	for _, c := range convs {
		events += len(c.Events)
	}
	var breached int
	start := time.Now()
	runs := 0
	for b.Loop() {
		breached = 0
		for _, c := range convs {
			if e.Evaluate(c, now).State == StateBreached {
				breached++
			}
		}
		runs++
	}
	sec := time.Since(start).Seconds() / float64(runs)
	b.ReportMetric(float64(events)/float64(len(convs)), "events/conv")
	b.ReportMetric(sec, "s/recompute")
	b.ReportMetric(float64(len(convs))/sec, "conv/s")
	if breached == 0 {
		b.Fatal("no conversation breached: the data set does not exercise the engine")
	}
}
