package crisis

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// TestImportedHistorySkipsTheLearningPeriod: a stream with three days of
// imported history that comes back live weeks later is judged against that
// history at once: not learning, a baseline near the history's level, quiet
// on ordinary traffic and alerting on a burst. Without the history the same
// live traffic only starts the learning period.
func TestImportedHistorySkipsTheLearningPeriod(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	history := steady(r, t0, 3, 3, "acme")
	liveFrom := t0.Add(40*24*time.Hour + 9*time.Hour)
	live := steady(r, liveFrom, 1, 3, "acme")
	var ordinary []Event
	for _, e := range live {
		if e.At.Before(liveFrom.Add(6 * time.Hour)) {
			ordinary = append(ordinary, e)
		}
	}
	k := Key{"acme", inbox.ChannelTelegram}

	fresh := NewDetector(DefaultConfig())
	ReplayOn(fresh, ordinary)
	if st := fresh.State(k); st.Status != StatusLearning {
		t.Fatalf("without history: status %s, want learning", st.Status)
	}

	d := NewDetector(DefaultConfig())
	if alerts := ReplayOn(d, append(append([]Event(nil), history...), ordinary...)); len(alerts) != 0 {
		t.Fatalf("ordinary live traffic after imported history raised %v", alerts)
	}
	st := d.State(k)
	if st.Status != StatusNormal {
		t.Fatalf("with history: status %s, want normal", st.Status)
	}
	// At 15:00 the diurnal profile expects about 2.7 negatives a bin; a
	// baseline of zeros (history forgotten over the gap) would be 0.
	want := diurnal(st.BinStart.UTC(), 3)
	if st.Baseline < want/2 || st.Baseline > want*2 {
		t.Errorf("baseline %.2f at %s, want near the history's %.2f", st.Baseline, st.BinStart.Format("15:04"), want)
	}
	if len(d.Series(k, 96*3)) < 96*2 {
		t.Errorf("series keeps %d bins, want the carried history too", len(d.Series(k, 96*3)))
	}
	burstAt := liveFrom.Add(6*time.Hour + time.Minute)
	var burst []Event
	for i := range 30 {
		burst = append(burst, Event{Account: "acme", Channel: inbox.ChannelTelegram, Negative: true,
			At: burstAt.Add(time.Duration(i) * 20 * time.Second), Text: "payments failing again"})
	}
	alerts := ReplayOn(d, burst)
	if len(alerts) != 1 || alerts[0].DetectedAt.After(burstAt.Add(10*time.Minute)) {
		for _, a := range alerts {
			t.Logf("%s %s seq=%v esc=%v", a.Kind, a.DetectedAt, a.Sequential, a.Escalation)
		}
		t.Fatalf("burst right after the learning period would have been: alerts %v, want one within 10 min", alerts)
	}
}
