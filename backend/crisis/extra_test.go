package crisis

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/demo"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// vocab is the word pool of varied, unrelated complaints: no two share
// enough words to be near-duplicates.
var vocab = strings.Fields(`baggage refund seat crew gate delay lounge meal wifi upgrade voucher pilot
ticket boarding luggage counter checkin app website booking miles status cabin aisle window blanket
pillow coffee snack screen movie charger outlet legroom armrest tray bathroom queue security passport
visa transfer shuttle taxi parking hotel rebooking standby overbooked stroller wheelchair pet crate
suitcase handle wheel zipper scratch stain smell noise temperature heater fan light button remote`)

func variedText(r *rand.Rand) string {
	w := make([]string, 6)
	for i := range w {
		w[i] = vocab[r.IntN(len(vocab))]
	}
	return strings.Join(w, " ") + fmt.Sprintf(" case %d", 1000+r.IntN(9000))
}

// variedTraffic is steady's diurnal Poisson traffic with varied texts and
// authors whose reach follows reach (nil: unknown).
func variedTraffic(r *rand.Rand, from time.Time, days int, peak float64, acc string, reach func() int64) []Event {
	var evs []Event
	for b := range days * 96 {
		start := from.Add(time.Duration(b) * 15 * time.Minute)
		for range poisson(r, diurnal(start, peak)*4) {
			e := Event{Account: acc, Channel: inbox.ChannelTelegram,
				At:       start.Add(time.Duration(r.IntN(900)) * time.Second),
				Negative: r.IntN(4) == 0, Text: variedText(r), Author: fmt.Sprintf("user%d", r.IntN(5000))}
			if reach != nil {
				e.Reach = reach()
			}
			evs = append(evs, e)
		}
	}
	slices.SortStableFunc(evs, func(a, b Event) int { return a.At.Compare(b.At) })
	return evs
}

// negatives are n unrelated negatives of acme/telegram from at, every step
// apart, by authors prefix0, prefix1, ...
func negatives(r *rand.Rand, at time.Time, n int, step time.Duration, prefix string) []Event {
	out := make([]Event, n)
	for i := range out {
		out[i] = Event{Account: "acme", Channel: inbox.ChannelTelegram, At: at.Add(time.Duration(i) * step),
			Negative: true, Text: variedText(r), Author: fmt.Sprintf("%s%d", prefix, i), Reach: 300}
	}
	return out
}

func replayWith(evs, extra []Event, cfg Config) []Alert {
	all := append(slices.Clone(evs), extra...)
	return Replay(all, cfg)
}

// alertsAfter keeps the alerts detected at or after t.
func alertsAfter(as []Alert, t time.Time) []Alert {
	var out []Alert
	for _, a := range as {
		if !a.DetectedAt.Before(t) {
			out = append(out, a)
		}
	}
	return out
}

func TestWeight(t *testing.T) {
	cfg := DefaultConfig()
	for _, c := range []struct {
		reach   int64
		replies int
		want    float64
	}{
		{0, 0, 1}, {9999, 19, 1}, {10000, 0, 2}, {20000, 0, 3}, {0, 20, 2}, {0, 40, 3},
		{10000, 20, 3}, {100_000_000, 0, 8}, // capped at MaxWeight
	} {
		if got := cfg.Weight(Event{Reach: c.reach, Replies: c.replies}); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("Weight(reach %d, replies %d) = %v, want %v", c.reach, c.replies, got, c.want)
		}
	}
}

// TestInfluencerTipsAlert: four ordinary negatives and one by an author with
// a million followers in a quiet hour alert as an influence burst naming the
// author; five ordinary negatives do not, and neither do the same five with
// weighting turned off.
func TestInfluencerTipsAlert(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	evs := variedTraffic(r, t0, 4, 1, "acme", func() int64 { return int64(r.IntN(2000)) })
	at := t0.Add(3*24*time.Hour + 3*time.Hour) // a night hour on day 4
	burst := func(star bool) []Event {
		out := negatives(r, at, 5, 7*time.Minute, "angry")
		if star {
			out[2].Author, out[2].Reach, out[2].Text = "@bigvoice", 1_000_000, "never flying acme again, they lost my luggage and laughed"
		}
		return out
	}
	if got := alertsAfter(Replay(evs, DefaultConfig()), at); len(got) != 0 {
		t.Fatalf("clean traffic alerts after the injection time: %v", got)
	}
	if got := alertsAfter(replayWith(evs, burst(false), DefaultConfig()), at); len(got) != 0 {
		t.Fatalf("five ordinary negatives raised %v, want nothing", got)
	}
	off := DefaultConfig()
	off.NoInfluence = true
	if got := alertsAfter(replayWith(evs, burst(true), off), at); len(got) != 0 {
		t.Fatalf("without weighting the influencer's five raised %v, want nothing", got)
	}
	got := alertsAfter(replayWith(evs, burst(true), DefaultConfig()), at)
	if len(got) != 1 {
		t.Fatalf("%d alerts with an influencer among five negatives, want 1: %v", len(got), got)
	}
	a := got[0]
	if a.Kind != KindInfluence || a.Observed < 4 || a.Weighted < a.Observed+5 || a.Weighted < float64(a.Threshold) {
		t.Errorf("alert kind %q observed %.0f weighted %.1f threshold %d, want an influence alert whose weight crossed", a.Kind, a.Observed, a.Weighted, a.Threshold)
	}
	if len(a.Influencers) == 0 || a.Influencers[0].Author != "@bigvoice" || a.Influencers[0].Reach != 1_000_000 || a.Influencers[0].Weight != 8 {
		t.Errorf("influencers %+v, want @bigvoice (reach 1M, weight 8) first", a.Influencers)
	}
}

// TestVolumeAlertNamesInfluencers: an ordinary volume burst lists the
// influential authors among its messages.
func TestVolumeAlertNamesInfluencers(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	evs := variedTraffic(r, t0, 4, 2, "acme", nil)
	at := t0.Add(3*24*time.Hour + 14*time.Hour)
	extra := negatives(r, at, 30, 20*time.Second, "p")
	extra[3].Author, extra[3].Replies = "@threadstarter", 160
	got := alertsAfter(replayWith(evs, extra, DefaultConfig()), at)
	if len(got) == 0 {
		t.Fatal("no alert for 30 negatives in 10 minutes")
	}
	a := got[0]
	if a.Kind != KindVolume {
		t.Errorf("kind %q, want %q", a.Kind, KindVolume)
	}
	if len(a.Influencers) != 1 || a.Influencers[0].Author != "@threadstarter" || a.Influencers[0].Replies != 160 {
		t.Errorf("influencers %+v, want @threadstarter with 160 replies", a.Influencers)
	}
	if a.Weighted <= a.Observed {
		t.Errorf("weighted %.1f, want above the count %.0f", a.Weighted, a.Observed)
	}
}

func campaign(r *rand.Rand, at time.Time, n int) []Event {
	base := strings.Fields("flight 2231 to denver cancelled again and the hotline hangs up on everyone refund now")
	var out []Event
	for i := range n {
		w := slices.Clone(base)
		// A copy-paste campaign: each copy changes a word or adds a tag.
		if i%3 == 1 {
			w = append(w, "#boycottacme")
		}
		if i%3 == 2 {
			w[len(w)-1] = "immediately"
		}
		out = append(out, Event{Account: "acme", Channel: inbox.ChannelTelegram, At: at.Add(time.Duration(i) * 4 * time.Minute),
			Negative: true, Text: "@acme " + strings.Join(w, " "), Author: fmt.Sprintf("camp%d", r.IntN(1e6))})
	}
	return out
}

// TestTopicBurstNamesCampaign: twelve near-copies in an hour, well inside the
// stream's normal negative volume, alert as a topic burst that names the
// campaign; twelve unrelated negatives at the same time do not.
func TestTopicBurstNamesCampaign(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	evs := variedTraffic(r, t0, 4, 5, "acme", nil)
	at := t0.Add(3*24*time.Hour + 13*time.Hour) // the daily peak: ~20 negatives an hour
	if got := alertsAfter(Replay(evs, DefaultConfig()), at); len(got) != 0 {
		t.Fatalf("clean traffic alerts after the injection time: %v", got)
	}
	unrelated := negatives(r, at, 12, 4*time.Minute, "u")
	if got := alertsAfter(replayWith(evs, unrelated, DefaultConfig()), at); len(got) != 0 {
		t.Fatalf("twelve unrelated negatives raised %v, want nothing", got)
	}
	got := alertsAfter(replayWith(evs, campaign(r, at, 12), DefaultConfig()), at)
	if len(got) != 1 {
		t.Fatalf("%d alerts for a campaign of 12, want 1: %v", len(got), got)
	}
	a := got[0]
	if a.Kind != KindTopic || a.Topic.Count == 0 {
		t.Fatalf("kind %q topic %v, want a topic burst", a.Kind, a.Topic)
	}
	if !strings.Contains(a.Topic.Text, "hotline hangs up") || a.Topic.Count < 10 || a.Topic.Authors < 3 {
		t.Errorf("topic %+v, want the campaign's text with >= 10 members", a.Topic)
	}
	if !slices.Contains(a.Topic.Terms, "hotline") && !slices.Contains(a.Topic.Terms, "2231") {
		t.Errorf("topic terms %v, want the campaign's words", a.Topic.Terms)
	}
	if a.Observed != float64(a.Topic.Count) || a.Observed < float64(a.Threshold) || a.Baseline >= a.Observed/3 {
		t.Errorf("observed %.0f threshold %d baseline %.2f: the explanation does not add up", a.Observed, a.Threshold, a.Baseline)
	}
	// Stored and read back (the monitor keeps alerts as JSON), it still names its topic.
	raw, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var back Alert
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if back.Kind != KindTopic || back.Topic.Count == 0 || back.Topic.Text != a.Topic.Text || !slices.Equal(back.Topic.Terms, a.Topic.Terms) || back.Influencers == nil {
		t.Errorf("read back: kind %q topic %+v influencers %v", back.Kind, back.Topic, back.Influencers)
	}
	// The same campaign's volume stayed inside the stream's range: no volume alert.
	off := DefaultConfig()
	off.NoTopics = true
	if got := alertsAfter(replayWith(evs, campaign(r, at, 12), off), at); len(got) != 0 {
		t.Errorf("without topic bursts the campaign raised %v; the test wants it inside normal volume", got)
	}
}

// TestTopicBurstInsideCooldownIsNewAlert: a campaign that starts after a
// volume alert, inside its cool-down, is a different burst and alerts.
func TestTopicBurstInsideCooldownIsNewAlert(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	evs := variedTraffic(r, t0, 4, 5, "acme", nil)
	first := t0.Add(3*24*time.Hour + 10*time.Hour)
	storm := negatives(r, first, 40, 20*time.Second, "s")
	later := first.Add(2 * time.Hour)
	got := alertsAfter(replayWith(evs, append(storm, campaign(r, later, 12)...), DefaultConfig()), first)
	if len(got) != 2 || got[0].Kind != KindVolume || got[1].Kind != KindTopic || got[1].DetectedAt.Before(later) {
		t.Fatalf("alerts %v, want the volume alert and then the campaign's topic burst", got)
	}
}

// TestSteadyTemplateIsNoTopic: a stream whose complaints all follow one
// template (steady's texts are near-duplicates of each other) never raises a
// topic burst: the cluster's share of the stream does not change.
func TestSteadyTemplateIsNoTopic(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	var kinds []string
	for _, a := range Replay(steady(r, t0, 10, 20, "acme"), DefaultConfig()) {
		kinds = append(kinds, a.Kind)
	}
	if slices.Contains(kinds, KindTopic) {
		t.Errorf("alert kinds %v on a steady template stream, want no topic burst", kinds)
	}
}

// TestTopicIndexBounded: the per-stream index keeps at most MaxTopicEntries
// messages and its band buckets stay proportional.
func TestTopicIndexBounded(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxTopicEntries = 500
	d := NewDetector(cfg)
	r := rand.New(rand.NewPCG(13, 14))
	for i := range 20000 {
		d.Observe(Event{Account: "acme", Channel: inbox.ChannelTelegram, At: t0.Add(time.Duration(i) * 10 * time.Second),
			Negative: true, Text: variedText(r)})
	}
	x := d.keys[Key{"acme", inbox.ChannelTelegram}].extra.topics
	if live := len(x.entries) - x.head; live > 500 || len(x.entries) > 2*500+1024 {
		t.Errorf("%d live entries (%d stored), want <= 500", live, len(x.entries))
	}
	if len(x.buckets.keys) > 8*topicBands*500 {
		t.Errorf("%d band slots for 500 entries, want <= %d", len(x.buckets.keys), 8*topicBands*500)
	}
	if len(x.hashes) > 16*len(x.entries) {
		t.Errorf("%d word hashes kept for %d stored entries", len(x.hashes), len(x.entries))
	}
	if len(x.clusters) > 500 {
		t.Errorf("%d clusters for 500 live entries", len(x.clusters))
	}
}

// pareto draws a heavy-tailed audience: P(reach >= x) = (xm/x)^alpha.
func pareto(r *rand.Rand, xm, alpha float64) int64 {
	return int64(xm / math.Pow(1-r.Float64(), 1/alpha))
}

// TestInfluenceOnCleanTraffic measures what the weighting costs on clean
// traffic: 8 streams × 14 days whose authors' reach is Pareto-distributed
// (x_min 100; alpha 1: 1 % of posts from authors of 10k or more, alpha 0.5:
// 10 %), alerts with and without weighting. The figures are in docs/crisis.md.
func TestInfluenceOnCleanTraffic(t *testing.T) {
	for _, alpha := range []float64{1, 0.5} {
		r := rand.New(rand.NewPCG(15, 16))
		var evs []Event
		for _, acc := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
			evs = append(evs, variedTraffic(r, t0, 14, float64(1+r.IntN(8)), acc, func() int64 { return pareto(r, 100, alpha) })...)
		}
		slices.SortStableFunc(evs, func(a, b Event) int { return a.At.Compare(b.At) })
		off := DefaultConfig()
		off.NoInfluence = true
		without, with := Replay(evs, off), Replay(evs, DefaultConfig())
		heavy := 0
		for _, e := range evs {
			if off.Weight(e) > 1 {
				heavy++
			}
		}
		brandDays := 8.0 * 12 // after the 48-h learning period
		t.Logf("alpha %.1f (%.1f %% of posts weigh more), %d messages: %d alerts without weighting, %d with (%.3f/brand-day)",
			alpha, 100*float64(heavy)/float64(len(evs)), len(evs), len(without), len(with), float64(len(with))/brandDays)
		if float64(len(with)-len(without)) > 0.05*brandDays {
			t.Errorf("alpha %.1f: weighting adds %d alerts on clean traffic, want <= %.0f (0.05 per brand-day)", alpha, len(with)-len(without), 0.05*brandDays)
		}
	}
}

// TestInfluenceOnDemoData: the demo data (reach per author, one complaint
// burst with influencers) with and without weighting.
func TestInfluenceOnDemoData(t *testing.T) {
	now := time.Date(2025, 3, 14, 15, 7, 0, 0, time.UTC)
	var evs []Event
	for _, a := range demo.Generate(now, 1) {
		for _, it := range a.Items {
			if it.Direction == inbox.DirectionIn {
				evs = append(evs, EventFromItem(a.Account.Name, a.Account.Channel, it))
			}
		}
	}
	count := func(as []Alert) map[string]int {
		m := map[string]int{}
		for _, a := range as {
			m[a.Kind]++
		}
		return m
	}
	off := DefaultConfig()
	off.NoInfluence = true
	without, with := Replay(evs, off), Replay(evs, DefaultConfig())
	t.Logf("demo data, %d inbound messages: without weighting %d alerts %v; with %d %v", len(evs), len(without), count(without), len(with), count(with))
	burst := demo.BurstStart(now)
	named := false
	for _, a := range with {
		t.Logf("  %s %s kind %s observed %.0f weighted %.1f influencers %v", a.Key, a.DetectedAt.Format("01-02T15:04"), a.Kind, a.Observed, a.Weighted, a.Influencers)
		if !a.DetectedAt.Before(burst) && a.DetectedAt.Before(burst.Add(3*time.Hour)) && len(a.Influencers) > 0 {
			named = true
		}
	}
	if !named {
		t.Errorf("no alert during the demo burst (from %s) names an influencer", burst.Format(time.RFC3339))
	}
	if len(with) > len(without)+2 {
		t.Errorf("weighting raises %d alerts on the demo data against %d without", len(with), len(without))
	}
}

// TestAirlineCampaigns injects copy-paste campaigns into the airline series
// (scored by its labels): 30 times, 12 copies of a real negative of a random
// brand in one hour (every other copy with a tag added), from a random onset
// in the second half. Topic bursts must catch nearly all within the hour and
// raise nothing on the clean series; docs/crisis.md has the figures.
func TestAirlineCampaigns(t *testing.T) {
	evs := airlineEvents(t)
	var lo, hi time.Time
	texts := map[string][]string{}
	for _, e := range evs {
		if lo.IsZero() || e.At.Before(lo) {
			lo = e.At
		}
		hi = maxTime(hi, e.At)
		if e.Negative && len(strings.Fields(e.Text)) >= 8 {
			texts[e.Account] = append(texts[e.Account], e.Text)
		}
	}
	for _, a := range Replay(evs, DefaultConfig()) {
		if a.Kind != KindVolume {
			t.Errorf("clean series: %s alert %s", a.Kind, a)
		}
	}
	brands := slices.Sorted(maps.Keys(texts))
	r := rand.New(rand.NewPCG(42, 1))
	mid := lo.Add(hi.Sub(lo) / 2)
	caught, volumeOnly := 0, 0
	var delays []float64
	for range 30 {
		b := brands[r.IntN(len(brands))]
		tmpl := texts[b][r.IntN(len(texts[b]))]
		onset := mid.Add(time.Duration(r.Int64N(int64(hi.Sub(mid) - 2*time.Hour))))
		var extra []Event
		for i := range 12 {
			txt := tmpl
			if i%2 == 1 {
				txt += " #fail"
			}
			extra = append(extra, Event{Account: b, Channel: inbox.ChannelImport, At: onset.Add(time.Duration(i) * 5 * time.Minute),
				Negative: true, Text: txt, Author: fmt.Sprintf("c%d", i)})
		}
		for _, a := range replayWith(evs, extra, DefaultConfig()) {
			if a.Key.Account == b && !a.DetectedAt.Before(onset) && a.DetectedAt.Before(onset.Add(time.Hour)) {
				caught++
				if a.Kind == KindVolume {
					volumeOnly++
				}
				delays = append(delays, a.DetectedAt.Sub(onset).Minutes())
				break
			}
		}
	}
	slices.Sort(delays)
	med := math.NaN()
	if len(delays) > 0 {
		med = delays[len(delays)/2]
	}
	t.Logf("campaigns of 12 copies in 1 h: %d/30 caught within the hour (%d of them first by the volume test), median delay %.0f min", caught, volumeOnly, med)
	if caught < 27 {
		t.Errorf("%d/30 campaigns caught within 1 h, want >= 27", caught)
	}
}

// BenchmarkObserveKinds is BenchmarkObserve with the influence and topic
// tests off and on: what they cost per message.
func BenchmarkObserveKinds(b *testing.B) {
	evs := benchTraffic()
	for _, name := range []string{"volume", "influence", "all"} {
		b.Run(name, func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.NoInfluence, cfg.NoTopics = name == "volume", name != "all"
			n := 0
			for b.Loop() {
				d := NewDetector(cfg)
				for _, e := range evs {
					d.Observe(e)
				}
				n += len(evs)
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "msg/s")
		})
	}
}

// TestWordSetMatchesTokenize: the one-pass word hasher gives the word set
// tokenize's words give, on hand-picked EN/RU/DE texts and, when present,
// every text of the airline data.
func TestWordSetMatchesTokenize(t *testing.T) {
	ref := func(text string) []uint64 {
		var content, stop []uint64
		for _, w := range tokenize(text, nil) {
			if stopwords[w] {
				stop = append(stop, fnv64a(w))
			} else {
				content = append(content, fnv64a(w))
			}
		}
		if len(content) < 3 {
			content = append(content, stop...)
		}
		slices.Sort(content)
		return slices.Compact(content)
	}
	texts := []string{
		"", "  ", "🙂🙂", "Where is my BAG?", "@acme HTTP://x.y Flight 2231's delay... it's 2h!!",
		"RT @United: “@jetblue thanks” #Fail — can't we've 12 123 a b c", "Don’t ''quoted'' 'single'",
		"Задержка рейса SU-1234: ещё ЖДЁМ, где багаж?", "Verspätung! Größe ÄÖÜ straße — wo ist mein Koffer",
		"www.example.com .@handle \"@quoted text\tTabs\nnewlines İstanbul ΣΊΣΥΦΟΣ",
	}
	if _, err := os.Stat("../../../shared/data/airline_tweets_dev.csv"); err == nil {
		for _, e := range airlineEvents(t) {
			texts = append(texts, e.Text)
		}
	}
	bad := 0
	for _, text := range texts {
		got, want := wordSet(text), ref(text)
		if !slices.Equal(got, want) {
			if bad++; bad <= 5 {
				t.Errorf("%q: word set %v, tokenize gives %v (%q)", text, got, want, tokenize(text, nil))
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d texts differ", bad, len(texts))
	}
}
