package crisis

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// afterBusyEvening is a quiet stream (0.4 negatives per bin) for five days;
// on day 4 a storm from 20:00 to midnight adds 2 per bin; from 04:00 on day
// 5 a burst adds 2 per bin for four hours.
func afterBusyEvening(seed uint64) ([]Event, time.Time) {
	r := rand.New(rand.NewPCG(seed, 7))
	var evs []Event
	add := func(from time.Time, bins int, rate float64) {
		for b := range bins {
			start := from.Add(time.Duration(b) * 15 * time.Minute)
			for range poisson(r, rate) {
				evs = append(evs, Event{Account: "acme", Channel: inbox.ChannelTelegram, Negative: true,
					At: start.Add(time.Duration(r.IntN(900)) * time.Second), Text: "refund still not here"})
			}
		}
	}
	add(t0, 5*96, 0.4)
	add(t0.Add(3*24*time.Hour+20*time.Hour), 16, 2)
	onset := t0.Add(4*24*time.Hour + 4*time.Hour)
	add(onset, 16, 2)
	slices.SortStableFunc(evs, func(a, b Event) int { return a.At.Compare(b.At) })
	return evs, onset
}

// TestProfileBaselineForgetsABusyEvening: four hours after an evening storm
// the recent trend still expects about twice the usual rate, so a burst at
// night is measured against the storm's tail. The profile baseline (the
// usual rate for the hour times the stream's level over about half a day)
// has mostly forgotten it and finds the burst sooner.
func TestProfileBaselineForgetsABusyEvening(t *testing.T) {
	trend := DefaultConfig()
	trend.NoProfile = true
	var sumP, sumT time.Duration
	const seeds = 8
	for seed := range uint64(seeds) {
		evs, onset := afterBusyEvening(seed)
		delay := func(cfg Config) time.Duration {
			a, ok := firstAlertAfter(Replay(evs, cfg), onset)
			if !ok {
				return 6 * time.Hour
			}
			return a.DetectedAt.Sub(onset)
		}
		p, tr := delay(DefaultConfig()), delay(trend)
		t.Logf("seed %d: profile %v, trend %v", seed, p, tr)
		if p > 4*time.Hour || p > tr {
			t.Errorf("seed %d: the profile baseline found the burst after %v (the trend after %v), want within its 4 h and no later", seed, p, tr)
		}
		sumP += p
		sumT += tr
	}
	if sumP >= sumT {
		t.Errorf("mean delay with the profile %v, with the trend %v: want the profile sooner", sumP/seeds, sumT/seeds)
	}
}
