package crisis

import (
	"context"
	"encoding/json"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels/fileimport"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/sentiment"
)

type burstLabel struct {
	Account string    `json:"account"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Cause   string    `json:"cause"`
}

func loadLabels(t *testing.T) []burstLabel {
	t.Helper()
	raw, err := os.ReadFile("testdata/airline_bursts.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Bursts []burstLabel `json:"bursts"`
		Minor  []burstLabel `json:"minor"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatalf("airline_bursts.json: %v", err)
	}
	if len(f.Bursts) == 0 {
		t.Fatal("airline_bursts.json has no bursts")
	}
	return f.Bursts
}

// airlineEvents reads the shared airline data (next to the repository) as
// events labelled by hand, or skips the test.
func airlineEvents(t testing.TB) []Event { return readAirline(t, nil) }

// airlineScored reads it as `stormdesk detect` does without labels: each
// tweet scored by the shipped model.
func airlineScored(t testing.TB) []Event {
	t.Helper()
	model, err := sentiment.Default()
	if err != nil {
		t.Fatal(err)
	}
	return readAirline(t, model)
}

func readAirline(t testing.TB, model *sentiment.Model) []Event {
	t.Helper()
	p := "../../../shared/data/airline_tweets_dev.csv"
	f, err := os.Open(p)
	if err != nil {
		t.Skipf("evaluation data %s not found (the repository is expected next to shared/): %v", p, err)
	}
	defer f.Close()
	m := fileimport.Mapping{ID: "tweet_id", Text: "text", Account: "airline", Sentiment: "airline_sentiment", SnowflakeTime: true}
	if model != nil {
		m.Sentiment = ""
	}
	var evs []Event
	rep, err := fileimport.ReadCSV(context.Background(), f, m, func(r fileimport.Row) error {
		if model != nil {
			r.Item.Sentiment = model.Score(r.Item.Text).Label
		}
		evs = append(evs, EventFromItem(r.Account, inbox.ChannelImport, r.Item))
		return nil
	})
	if err != nil || len(rep.Errors) > 0 {
		t.Fatalf("read %s: %v %v", p, err, rep.Errors)
	}
	return evs
}

// TestAirlineBursts checks the target on the labelled airline data:
// every burst found, median delay <= 30 min, <= 0.15 false alarms per brand-day.
func TestAirlineBursts(t *testing.T) {
	labels := loadLabels(t)
	evs := airlineEvents(t)
	cfg := DefaultConfig()
	alerts := Replay(evs, cfg)

	// Brand-days: per account, the calendar days (UTC) with messages after its learning period.
	first := map[string]time.Time{}
	for _, e := range evs {
		if f, ok := first[e.Account]; !ok || e.At.Before(f) {
			first[e.Account] = e.At
		}
	}
	days := map[string]bool{}
	for _, e := range evs {
		learnEnd := first[e.Account].Truncate(cfg.Bin).Add(cfg.MinHistory)
		if !e.At.Before(learnEnd) {
			days[e.Account+e.At.UTC().Format(" 2006-01-02")] = true
		}
	}
	brandDays := float64(len(days))

	hit, found, falseAlarms := matchLabels(alerts, labels)
	for _, a := range alerts {
		overlaps := overlapsLabel(a, labels)
		terms := []string{}
		for _, ts := range a.TopTerms {
			terms = append(terms, ts.Term)
		}
		t.Logf("alert %s window %s obs %.0f base %.1f p %.1e overlaps=%v terms %v phrases %v",
			a.Key.Account, a.Start.Format("01-02T15:04"), a.Observed, a.Baseline, a.PValue, overlaps, terms, a.TopPhrases)
	}
	var delays []float64
	for i, l := range labels {
		if !hit[i] {
			t.Errorf("burst %s %s (%s) not detected", l.Account, l.Start.Format(time.RFC3339), l.Cause)
			continue
		}
		t.Logf("burst %-10s %s delay %v", l.Account, l.Start.Format("01-02T15:04Z"), found[i])
		delays = append(delays, found[i].Minutes())
	}
	sort.Float64s(delays)
	med := 0.0
	if n := len(delays); n > 0 {
		med = delays[n/2]
		if n%2 == 0 {
			med = (delays[n/2-1] + delays[n/2]) / 2
		}
	}
	rate := float64(falseAlarms) / brandDays
	t.Logf("alerts %d, false alarms %d over %.0f brand-days = %.3f/brand-day, median delay %.1f min", len(alerts), falseAlarms, brandDays, rate, med)
	if med > 30 {
		t.Errorf("median detection delay %.1f min, want <= 30", med)
	}
	if rate > 0.15 {
		t.Errorf("false alarms %.3f per brand-day, want <= 0.15", rate)
	}
}

// overlapsLabel reports whether an alert's [Start, DetectedAt] meets a
// labelled burst of its account.
func overlapsLabel(a Alert, labels []burstLabel) bool {
	for _, l := range labels {
		if a.Key.Account == l.Account && a.Start.Before(l.End) && !a.DetectedAt.Before(l.Start) {
			return true
		}
	}
	return false
}

// matchLabels finds, per labelled burst, whether an alert met it and the
// delay of the first (0 if it began earlier), and counts the alerts that
// met none.
func matchLabels(alerts []Alert, labels []burstLabel) (hit []bool, found []time.Duration, falseAlarms int) {
	hit, found = make([]bool, len(labels)), make([]time.Duration, len(labels))
	for _, a := range alerts {
		if !overlapsLabel(a, labels) {
			falseAlarms++
		}
		for i, l := range labels {
			if !hit[i] && overlapsLabel(a, []burstLabel{l}) {
				hit[i], found[i] = true, max(a.DetectedAt.Sub(l.Start), 0)
			}
		}
	}
	return hit, found, falseAlarms
}
