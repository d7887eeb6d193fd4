package crisis

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// slowBuild is four days of steady traffic (peak negatives per bin) and
// then, from 10:00 on day 4, one extra negative every interval for three hours.
func slowBuild(seed uint64, peak float64, interval time.Duration) ([]Event, time.Time) {
	evs := steady(rand.New(rand.NewPCG(seed, seed)), t0, 5, peak, "acme")
	onset := t0.Add(4*24*time.Hour + 10*time.Hour)
	for at := onset; at.Before(onset.Add(3 * time.Hour)); at = at.Add(interval) {
		evs = append(evs, Event{Account: "acme", Channel: inbox.ChannelTelegram, At: at, Negative: true,
			Text: fmt.Sprintf("card payment declined again at checkout %d", at.Minute()), Author: "slow"})
	}
	return evs, onset
}

// firstAlertAfter is the first alert at or after onset, if any.
func firstAlertAfter(alerts []Alert, onset time.Time) (Alert, bool) {
	for _, a := range alerts {
		if !a.DetectedAt.Before(onset) {
			return a, true
		}
	}
	return Alert{}, false
}

// TestSequentialTestCatchesASlowBuild: a busy stream's negatives rise by
// about 2.2 times for three hours, under the windows' ratio of 2.5, so they
// fire only on a lucky hour; the sequential test adds the evidence up.
func TestSequentialTestCatchesASlowBuild(t *testing.T) {
	windowsOnly := DefaultConfig()
	windowsOnly.SeqThreshold = -1
	seqCaught, windowsCaught := 0, 0
	for seed := uint64(13); seed < 21; seed++ {
		evs, onset := slowBuild(seed, 5, 225*time.Second)
		end := onset.Add(3 * time.Hour)
		if a, ok := firstAlertAfter(Replay(evs, windowsOnly), onset); ok && a.DetectedAt.Before(end) {
			windowsCaught++
		}
		a, ok := firstAlertAfter(Replay(evs, DefaultConfig()), onset)
		if !ok || !a.DetectedAt.Before(end) {
			continue
		}
		seqCaught++
		if !a.Sequential {
			continue
		}
		// The explanation: since when, how many against how many expected.
		if a.Start.Before(onset.Add(-30*time.Minute)) || a.Start.After(a.DetectedAt) {
			t.Errorf("seed %d: run began %v, want near the onset %v", seed, a.Start, onset)
		}
		if a.Window() != a.DetectedAt.Sub(a.Start).Truncate(time.Millisecond) {
			t.Errorf("seed %d: window %v, want from the run's start to detection (%v)", seed, a.Window(), a.DetectedAt.Sub(a.Start))
		}
		if a.Observed < float64(a.Threshold) || a.Observed <= 1.5*a.Baseline {
			t.Errorf("seed %d: observed %.0f, baseline %.1f, threshold %d", seed, a.Observed, a.Baseline, a.Threshold)
		}
		since := a.Start.UTC().Format("15:04")
		if s := a.String(); !strings.Contains(s, "more negatives than expected arrived since "+since) {
			t.Errorf("seed %d: summary %q does not say since when", seed, s)
		}
		if len(a.Samples) == 0 || len(a.TopTerms) == 0 {
			t.Errorf("seed %d: alert without samples or terms: %+v", seed, a)
		}
	}
	t.Logf("caught within the 3 h: %d of 8 with the sequential test, %d of 8 by the windows alone", seqCaught, windowsCaught)
	if seqCaught < 4 || seqCaught <= windowsCaught {
		t.Errorf("caught %d of 8 with the sequential test, %d by the windows alone; want >= 4 and more", seqCaught, windowsCaught)
	}
}

// TestSequentialRepeatIsNoNewAlert: the same slow burst going on after its
// alert raises no second one inside the cool-down.
func TestSequentialRepeatIsNoNewAlert(t *testing.T) {
	evs, onset := slowBuild(12, 2, 4*time.Minute)
	// The burst keeps its pace for another two hours.
	for at := onset.Add(3 * time.Hour); at.Before(onset.Add(5 * time.Hour)); at = at.Add(4 * time.Minute) {
		evs = append(evs, Event{Account: "acme", Channel: inbox.ChannelTelegram, At: at, Negative: true, Text: "card payment declined"})
	}
	var got []Alert
	for _, a := range Replay(evs, DefaultConfig()) {
		if !a.DetectedAt.Before(onset) {
			got = append(got, a)
		}
	}
	if len(got) != 1 {
		t.Fatalf("%d alerts for one steady burst, want 1: %v", len(got), got)
	}
}

// TestSeqBarIsLowerForQuietStreams: a stream whose long-run mean is under
// QuietRate negatives per bin fires at QuietThreshold, a busier one, or one
// without a mean yet, at SeqThreshold; QuietRate < 0 turns the quiet bar
// off, and it never rises above SeqThreshold.
func TestSeqBarIsLowerForQuietStreams(t *testing.T) {
	for _, tt := range []struct {
		name      string
		quietRate float64
		quietBar  float64
		seq       float64
		num, den  float64
		want      float64
	}{
		{"quiet", 0, 0, 0, 0.3, 1, 6},
		{"busy", 0, 0, 0, 2, 1, 10.5},
		{"at the rate", 0, 0, 0, 0.4, 1, 10.5},
		{"no mean yet", 0, 0, 0, 0, 0, 10.5},
		{"quiet bar off", -1, 0, 0, 0.1, 1, 10.5},
		{"quiet bar above the threshold", 0, 12, 0, 0.1, 1, 10.5},
		{"both set", 1, 4, 8, 0.5, 1, 4},
	} {
		cfg := DefaultConfig()
		if tt.quietRate != 0 {
			cfg.QuietRate = tt.quietRate
		}
		if tt.quietBar != 0 {
			cfg.QuietThreshold = tt.quietBar
		}
		if tt.seq != 0 {
			cfg.SeqThreshold = tt.seq
		}
		d := NewDetector(cfg)
		if got := d.seqBar(&keyState{meanNum: tt.num, meanDen: tt.den}); got != tt.want {
			t.Errorf("%s: bar %v; want %v", tt.name, got, tt.want)
		}
	}
}

// A negative that comes after the clock left its bin (a sync that lags)
// counts in the sequential test's run when it falls inside it, as it would
// have in time; one from before the run began does not start or move it.
func TestLateNegativesCountInTheRun(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	d := NewDetector(DefaultConfig())
	for _, e := range steady(r, t0, 4, 0.3, "acme") {
		d.Observe(e)
	}
	at := t0.Add(4*24*time.Hour + 22*time.Hour + 5*time.Minute)
	neg := func(t time.Time) []Alert {
		return d.Observe(Event{Account: "acme", Channel: inbox.ChannelTelegram, At: t, Negative: true, Text: "down again"})
	}
	for i := range 3 {
		neg(at.Add(time.Duration(i) * time.Minute))
	}
	d.Advance(at.Add(16 * time.Minute)) // the next bin: what comes now for 22:05–22:15 is late
	ks := d.keys[Key{"acme", inbox.ChannelTelegram}]
	before := ks.seq.s
	neg(at.Add(-10 * time.Minute)) // before the run began: not counted
	for i := 3; i < 6; i++ {
		if a := neg(at.Add(time.Duration(i) * time.Minute)); len(a) != 0 {
			t.Fatalf("alert %v from 6 negatives", a)
		}
	}
	if ks.seq.n != 6 || !ks.seq.start.Equal(at) || ks.seq.s < before+2.5 {
		t.Fatalf("run after the late negatives: n %d (want 6), start %v (want %v), S %.2f (was %.2f)", ks.seq.n, ks.seq.start, at, ks.seq.s, before)
	}
}
