package crisis

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

var t0 = time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)

// poisson draws from Poisson(lambda) (Knuth; lambda is small here).
func poisson(r *rand.Rand, lambda float64) int {
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// diurnal is a day/night traffic profile: negatives per 15-min bin.
func diurnal(at time.Time, peak float64) float64 {
	h := float64(at.Hour()) + float64(at.Minute())/60
	return peak * (0.2 + 0.8*math.Max(0, math.Sin((h-6)/24*2*math.Pi)))
}

// steady generates days of Poisson traffic with a diurnal profile; every
// fourth message is negative on average.
func steady(r *rand.Rand, from time.Time, days int, peak float64, acc string) []Event {
	var evs []Event
	for b := range days * 96 {
		start := from.Add(time.Duration(b) * 15 * time.Minute)
		n := poisson(r, diurnal(start, peak)*4)
		for range n {
			evs = append(evs, Event{Account: acc, Channel: inbox.ChannelTelegram,
				At:       start.Add(time.Duration(r.IntN(900)) * time.Second),
				Negative: r.IntN(4) == 0, Text: fmt.Sprintf("question about order %d and delivery", r.IntN(1000)),
				Author: fmt.Sprintf("user%d", r.IntN(500))})
		}
	}
	slices.SortStableFunc(evs, func(a, b Event) int { return a.At.Compare(b.At) })
	return evs
}

func TestSteadyTrafficRaisesNoAlert(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	evs := steady(r, t0, 14, 3, "acme")
	if alerts := Replay(evs, DefaultConfig()); len(alerts) != 0 {
		t.Fatalf("steady traffic over 14 days raised %d alerts, first: %v", len(alerts), alerts[0])
	}
}

func TestInjectedBurstDetectedWithinTwoBins(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	evs := steady(r, t0, 5, 3, "acme")
	burstAt := t0.Add(4*24*time.Hour + 14*time.Hour) // an afternoon bin: baseline near its peak
	base := diurnal(burstAt, 3)
	var burst []Event
	for b := range 4 {
		start := burstAt.Add(time.Duration(b) * 15 * time.Minute)
		for i := range int(10 * base) {
			burst = append(burst, Event{Account: "acme", Channel: inbox.ChannelTelegram,
				At: start.Add(time.Duration(i*800/int(10*base)) * time.Second), Negative: true,
				Text:   "the app deleted my payment card again, refund the double charge now",
				Author: fmt.Sprintf("angry%d", i), Reach: int64(i * 100)})
		}
	}
	evs = append(evs, burst...)
	alerts := Replay(evs, DefaultConfig())
	if len(alerts) == 0 {
		t.Fatal("a 10x burst raised no alert")
	}
	a := alerts[0]
	if a.DetectedAt.Before(burstAt) || a.DetectedAt.Sub(burstAt) > 30*time.Minute {
		t.Fatalf("first alert %v, want within 2 bins of %v", a, burstAt)
	}
	if a.Observed < a.Baseline*2.5 || a.PValue >= 3e-5 || len(a.Series) == 0 {
		t.Errorf("alert does not explain itself: %+v", a)
	}
	terms := map[string]bool{}
	for _, ts := range a.TopTerms {
		terms[ts.Term] = true
	}
	for _, w := range []string{"payment", "refund", "charge"} {
		if !terms[w] {
			t.Errorf("top terms %v lack burst word %q", a.TopTerms, w)
		}
	}
	if terms["order"] || terms["delivery"] {
		t.Errorf("top terms %v contain background words", a.TopTerms)
	}
	if len(a.Authors) == 0 || a.Authors[0].Reach < a.Authors[len(a.Authors)-1].Reach {
		t.Errorf("authors not ranked by reach: %+v", a.Authors)
	}
	if len(a.Samples) != 1 {
		t.Errorf("identical burst texts should give one sample, got %d", len(a.Samples))
	}
	last := a.Series[len(a.Series)-1]
	if last.Negative == 0 || last.Baseline <= 0 || last.Upper <= int(last.Baseline) {
		t.Errorf("chart's last bin %+v lacks the baseline band", last)
	}
}

func TestNewAccountIsLearning(t *testing.T) {
	d := NewDetector(DefaultConfig())
	k := Key{Account: "fresh", Channel: inbox.ChannelVK}
	if st := d.State(k); st.Status != StatusLearning {
		t.Fatalf("unknown key status %q, want learning", st.Status)
	}
	// One quiet day, then a flood of negatives: no history, so no alert.
	for i := range 20 {
		d.Observe(Event{Account: k.Account, Channel: k.Channel, At: t0.Add(time.Duration(i) * time.Hour), Text: "hi"})
	}
	for i := range 200 {
		if a := d.Observe(Event{Account: k.Account, Channel: k.Channel, At: t0.Add(21*time.Hour + time.Duration(i)*time.Second), Negative: true, Text: "bad"}); len(a) > 0 {
			t.Fatalf("alert on a new account: %v", a[0])
		}
	}
	st := d.State(k)
	if until := t0.Add(DefaultConfig().MinHistory); st.Status != StatusLearning || st.Observed != 200 || !st.LearningUntil.Equal(until) {
		t.Errorf("state %+v, want learning with 200 observed until %v", st, until)
	}
}

// TestQuietKeyHasNoTimes: a key without a message has no bin, history or
// alert times, and says so with nil (null to the UI) rather than the zero time.
func TestQuietKeyHasNoTimes(t *testing.T) {
	st := NewDetector(DefaultConfig()).State(Key{Account: "quiet", Channel: inbox.ChannelVK})
	for name, at := range map[string]*time.Time{"binStart": st.BinStart, "historyFrom": st.HistoryFrom, "learningUntil": st.LearningUntil,
		"lastAlert": st.LastAlert, "cooldownUntil": st.CooldownUntil, "lastMessage": st.LastMessage} {
		if at != nil {
			t.Errorf("%s = %v for a key without messages, want nil", name, at)
		}
	}
}

func TestCooldownSuppressesRepeats(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	evs := steady(r, t0, 4, 2, "acme")
	at := t0.Add(3*24*time.Hour + 13*time.Hour)
	burst := func(start time.Time, n int) {
		for i := range n {
			evs = append(evs, Event{Account: "acme", Channel: inbox.ChannelTelegram, At: start.Add(time.Duration(i) * 10 * time.Second), Negative: true, Text: "outage again"})
		}
	}
	burst(at, 30)                  // alert
	burst(at.Add(2*time.Hour), 30) // same size inside the cool-down: suppressed
	burst(at.Add(9*time.Hour), 40) // after the 3 h cool-down: alerts again
	alerts := Replay(evs, DefaultConfig())
	if len(alerts) != 2 {
		for _, a := range alerts {
			t.Log(a)
		}
		t.Fatalf("%d alerts, want 2 (the repeat inside the cool-down suppressed)", len(alerts))
	}
	if alerts[1].DetectedAt.Before(at.Add(9 * time.Hour)) {
		t.Errorf("second alert %v came inside the cool-down", alerts[1])
	}
	slices.SortStableFunc(evs, func(a, b Event) int { return a.At.Compare(b.At) })
	d := NewDetector(DefaultConfig())
	for _, e := range evs {
		if e.At.After(at.Add(150 * time.Minute)) {
			break
		}
		d.Observe(e)
	}
	if st := d.State(Key{"acme", inbox.ChannelTelegram}); st.Status != StatusCooldown || !st.CooldownUntil.After(at.Add(170*time.Minute)) {
		t.Errorf("state after the alert %+v, want cooldown", st)
	}
}

func TestEscalationInsideCooldownAlerts(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	evs := steady(r, t0, 4, 2, "acme")
	at := t0.Add(3*24*time.Hour + 13*time.Hour)
	for i := range 200 {
		e := Event{Account: "acme", Channel: inbox.ChannelTelegram, Negative: true, Text: "outage"}
		if i < 20 {
			e.At = at.Add(time.Duration(i) * 30 * time.Second)
		} else { // an hour later, ten times as many in one bin
			e.At = at.Add(time.Hour + time.Duration(i)*3*time.Second)
		}
		evs = append(evs, e)
	}
	alerts := Replay(evs, DefaultConfig())
	if len(alerts) != 2 || alerts[0].Escalation || !alerts[1].Escalation {
		t.Fatalf("alerts %v, want a first alert and one escalation", alerts)
	}
}

// A burst synced late (its first minutes in a bin the clock has left, as
// when the monitor reads messages fetched minutes after they were written)
// is found by a window's test, whose count includes a lone background
// negative from half an hour before. The alert holds the burst's pace, not
// that of the window's first negative: the same burst, going on, is no
// escalation.
func TestWindowAlertHoldsTheBurstsPace(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	evs := steady(r, t0, 4, 0.3, "acme")
	at := t0.Add(4*24*time.Hour + 22*time.Hour + 22*time.Minute + 39*time.Second)
	d := NewDetector(DefaultConfig())
	for _, e := range evs {
		d.Observe(e)
	}
	d.Observe(Event{Account: "acme", Channel: inbox.ChannelTelegram, At: at.Add(-30 * time.Minute), Negative: true, Text: "slow again"})
	d.Advance(at.Add(20 * time.Minute))
	var alerts []Alert
	for i := range 40 {
		alerts = append(alerts, d.Observe(Event{Account: "acme", Channel: inbox.ChannelTelegram, At: at.Add(time.Duration(i) * 20 * time.Second),
			Negative: true, Text: "internet down again", Author: fmt.Sprint("u", i)})...)
	}
	if len(alerts) != 1 || alerts[0].Sequential {
		t.Fatalf("alerts %v, want one, from a window's test", alerts)
	}
}

// TestAbsurdTimesAreDropped: a broken clock's date (before 1900, from 2200
// on) is dropped like a missing one, while a stream that really lies before
// 1970 (negative bin indices) is counted and tested like any other, influence
// test included.
func TestAbsurdTimesAreDropped(t *testing.T) {
	for _, tc := range []struct {
		name    string
		at      time.Time
		dropped bool
	}{
		{"year 1", time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"1899", time.Date(1899, 12, 31, 12, 0, 0, 0, time.UTC), true},
		{"1950", time.Date(1950, 6, 1, 12, 0, 0, 0, time.UTC), false},
		{"epoch", time.Unix(0, 0), false},
		{"2199", time.Date(2199, 12, 31, 23, 0, 0, 0, time.UTC), false},
		{"2200", time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"year 9999", time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := NewDetector(DefaultConfig())
			k := Key{"acme", inbox.ChannelVK}
			for i := range 3 {
				d.Observe(Event{Account: "acme", Channel: inbox.ChannelVK, At: tc.at.Add(time.Duration(i) * time.Minute),
					Negative: true, Text: "no signal", Author: "famous", Reach: 1 << 30, Replies: 500})
			}
			st := d.State(k)
			if tc.dropped && (st.Dropped != 3 || st.Observed != 0) {
				t.Errorf("state %+v, want all 3 dropped", st)
			}
			if !tc.dropped && (st.Dropped != 0 || st.Observed != 3) {
				t.Errorf("state %+v, want all 3 counted in the running bin", st)
			}
		})
	}
}

func TestLateEventLandsInItsBin(t *testing.T) {
	d := NewDetector(DefaultConfig())
	k := Key{"acme", inbox.ChannelMail}
	d.Observe(Event{Account: "acme", Channel: inbox.ChannelMail, At: t0.Add(10 * time.Minute), Negative: true})
	d.Observe(Event{Account: "acme", Channel: inbox.ChannelMail, At: t0.Add(50 * time.Minute)}) // bin 3 runs
	d.Observe(Event{Account: "acme", Channel: inbox.ChannelMail, At: t0.Add(5 * time.Minute), Negative: true})
	d.Observe(Event{Account: "acme", Channel: inbox.ChannelMail, At: t0.Add(-30 * 24 * time.Hour), Negative: true}) // far too old
	d.Observe(Event{Account: "acme", Channel: inbox.ChannelMail, Negative: true})                                   // no time
	st := d.State(k)
	if st.Late != 1 || st.Dropped != 2 || st.Observed != 0 || st.Volume != 1 {
		t.Fatalf("state %+v, want 1 late, 2 dropped, running bin with 1 message and no negatives", st)
	}
	d.mu.Lock()
	ks := d.keys[k]
	s, ok := d.valid(ks, d.binIndex(t0.Add(5*time.Minute)))
	d.mu.Unlock()
	if !ok || s.neg != 2 || s.tot != 2 {
		t.Errorf("bin 0 = %+v, want both negatives (one late) in it", s)
	}
	// Idle gaps: an hour-long Advance leaves empty bins that count as zeros.
	d.Advance(t0.Add(3 * time.Hour))
	if st := d.State(k); st.Observed != 0 || !st.BinStart.Equal(t0.Add(3*time.Hour)) {
		t.Errorf("after Advance state %+v, want an empty running bin at %v", st, t0.Add(3*time.Hour))
	}
}

func TestTermsSurviveEmptyAndEmojiText(t *testing.T) {
	burst := []Event{{Text: ""}, {Text: "😡😡😡"}, {Text: "   "}, {Text: "\xff\xfe broken"}, {Text: "flight 424 bags missing"}, {Text: "flight 424 still no bags"}}
	bg := []Event{{Text: "🙂"}, {Text: "thanks for the flight"}}
	terms, phrases := burstTerms(burst, bg, 10, 5, nil)
	got := map[string]bool{}
	for _, ts := range terms {
		got[ts.Term] = true
	}
	if !got["424"] || !got["bags"] {
		t.Errorf("terms %v, want 424 and bags", terms)
	}
	if !slices.Contains(phrases, "flight 424") {
		t.Errorf("phrases %v, want \"flight 424\"", phrases)
	}
	if terms, phrases := burstTerms([]Event{{Text: "😡"}, {Text: ""}}, nil, 10, 5, nil); len(terms) != 0 || len(phrases) != 0 {
		t.Errorf("emoji-only burst gave terms %v phrases %v", terms, phrases)
	}
}

func TestTokenizeStopwords(t *testing.T) {
	tests := []struct{ in, want string }{
		{"@united Where is my BAG?! http://t.co/x #lostbag", "bag lostbag"},
		{"Это не работает, и оплата не проходит", "работает оплата проходит"},
		{"Die App ist schon wieder kaputt und das nervt", "app kaputt nervt"},
		{"JetBlue's fleet’s on fleek", "jetblue fleet fleek"},
	}
	for _, tt := range tests {
		var kept []string
		for _, w := range tokenize(tt.in, nil) {
			if !stopwords[w] {
				kept = append(kept, w)
			}
		}
		if got := strings.Join(kept, " "); got != tt.want {
			t.Errorf("tokenize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestGroupNearDuplicates(t *testing.T) {
	texts := []string{
		"@acme my order 123 never arrived, where is my refund?",
		"Order 123 never arrived! Where is my refund @acme",
		"the app crashes when I open the settings page",
		"@acme my order 123 never arrived where is my refund??",
		"",
		"😡",
		"😡",
		"App crashes when i open settings page",
		"love the new design",
	}
	groups := GroupNearDuplicates(texts)
	want := [][]int{{0, 1, 3}, {2, 7}, {5, 6}, {4}, {8}}
	if fmt.Sprint(groups) != fmt.Sprint(want) {
		t.Fatalf("groups %v, want %v", groups, want)
	}
	if g := GroupNearDuplicates(nil); len(g) != 0 {
		t.Errorf("no texts gave %v", g)
	}
}

func TestPoissonTail(t *testing.T) {
	tests := []struct {
		k      int
		lambda float64
		want   float64
	}{
		{1, 1, 1 - math.Exp(-1)},           // k <= lambda is reported as 1 (conservative)
		{3, 1, 1 - math.Exp(-1)*(1+1+0.5)}, // 0.0803
		{10, 2, 4.6498e-05},
		{0, 5, 1},
		{5, 0, 0},
	}
	for _, tt := range tests {
		got := poissonUpperTail(tt.k, tt.lambda)
		if tt.k == 1 && tt.lambda == 1 {
			if got != 1 {
				t.Errorf("tail(1,1) = %g, want 1", got)
			}
			continue
		}
		if math.Abs(got-tt.want) > 1e-4*math.Max(tt.want, 1e-9)+1e-12 {
			t.Errorf("tail(%d, %g) = %g, want %g", tt.k, tt.lambda, got, tt.want)
		}
	}
	if thr := alertThreshold(2, 3e-5, 8, 2.5); thr != 11 {
		t.Errorf("threshold for lambda 2 = %d, want 11 (P(X>=10)=4.6e-5 too likely)", thr)
	}
}

// benchTraffic is the benchmarks' traffic: 8 keys, 10 days of steady().
func benchTraffic() []Event {
	r := rand.New(rand.NewPCG(9, 10))
	var evs []Event
	for _, acc := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		evs = append(evs, steady(r, t0, 10, 20, acc)...)
	}
	slices.SortStableFunc(evs, func(a, b Event) int { return a.At.Compare(b.At) })
	return evs
}

func BenchmarkObserve(b *testing.B) {
	evs := benchTraffic()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		d := NewDetector(DefaultConfig())
		for _, e := range evs {
			d.Observe(e)
		}
		n += len(evs)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "msg/s")
}

func TestSeriesOfAStream(t *testing.T) {
	d := NewDetector(DefaultConfig())
	k := Key{"acme", inbox.ChannelMail}
	if got := d.Series(k, 8); got != nil {
		t.Fatalf("unknown key: %d bins, want none", len(got))
	}
	// Bin 0: two messages, one negative; bin 1 empty; bin 2: three negatives.
	for _, e := range []struct {
		min int
		neg bool
	}{{1, true}, {2, false}, {31, true}, {32, true}, {33, true}} {
		d.Observe(Event{Account: "acme", Channel: inbox.ChannelMail, At: t0.Add(time.Duration(e.min) * time.Minute), Negative: e.neg})
	}
	all := d.Series(k, 8)
	if len(all) != 3 {
		t.Fatalf("%d bins, want 3 (the stream started at bin 0)", len(all))
	}
	want := []struct {
		neg, tot int
		frac     float64
	}{{1, 2, 0.5}, {0, 0, 0}, {3, 3, 1}}
	for i, w := range want {
		b := all[i]
		if !b.Start.Equal(t0.Add(time.Duration(i)*15*time.Minute)) || b.Negative != w.neg || b.Total != w.tot || b.ObservedFraction != w.frac {
			t.Errorf("bin %d = %+v, want start +%dm, %d of %d negative", i, b, 15*i, w.neg, w.tot)
		}
	}
	if last := d.Series(k, 1); len(last) != 1 || last[0].Negative != 3 {
		t.Errorf("Series(k, 1) = %+v, want only the running bin", last)
	}
}

// A stream whose last message is older than the history kept stays as it was
// at that message (imported history), instead of being emptied by the clock.
func TestDormantKeyKeepsItsHistory(t *testing.T) {
	d := NewDetector(DefaultConfig())
	t0 := time.Date(2015, 2, 17, 0, 0, 0, 0, time.UTC)
	old := Key{Account: "old", Channel: inbox.ChannelImport}
	live := Key{Account: "live", Channel: inbox.ChannelImport}
	for i := range 3 * 96 {
		d.Observe(Event{Account: old.Account, Channel: old.Channel, At: t0.Add(time.Duration(i) * 15 * time.Minute), Negative: i%4 == 0})
	}
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	d.Observe(Event{Account: live.Account, Channel: live.Channel, At: now.Add(-time.Hour)})
	d.Advance(now)
	st := d.State(old)
	if !st.Dormant || st.BinStart.After(t0.Add(72*time.Hour)) || !st.LastMessage.Equal(t0.Add((3*96-1)*15*time.Minute)) {
		t.Errorf("old stream state %+v, want dormant at its last message", st)
	}
	if n := len(d.Series(old, 192)); n != 192 {
		t.Errorf("old stream series has %d bins, want its last 192", n)
	}
	if st := d.State(live); st.Dormant || !st.BinStart.Equal(now) {
		t.Errorf("live stream state %+v, want advanced to now and not dormant", st)
	}
	d.Forget(old.Account)
	if slices.Contains(d.Keys(), old) {
		t.Error("Forget left the old stream")
	}
}

// The brand's own name and handle never explain a burst.
func TestBurstTermsExcludeTheBrand(t *testing.T) {
	burst := []Event{{Text: "@JetBlue flight 424 bags missing #jetblue"}, {Text: "JetBlue flight 424 still no bags, jet blue"},
		{Text: "jetblue where are the bags of 424"}}
	terms, phrases := burstTerms(burst, nil, 10, 5, excludeSet([]string{"Jet Blue", "@JetBlue"}))
	for _, ts := range terms {
		if ts.Term == "jetblue" || ts.Term == "jet" || ts.Term == "blue" {
			t.Errorf("terms %v name the brand", terms)
		}
	}
	for _, p := range phrases {
		if strings.Contains(p, "jet") {
			t.Errorf("phrases %v name the brand", phrases)
		}
	}
	if len(terms) == 0 || !slices.ContainsFunc(terms, func(ts TermScore) bool { return ts.Term == "bags" }) {
		t.Errorf("terms %v, want bags", terms)
	}
}

// An alert stored by an earlier version (window in nanoseconds, lists
// marshalled as null) reads back as a current one.
func TestAlertReadsEarlierStoredForm(t *testing.T) {
	var a Alert
	body := `{"key":{"account":"acme","channel":"mail"},"window":14400000000000,"topTerms":null,"topPhrases":null,"samples":null,"authors":null,"series":null}`
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatal(err)
	}
	if a.WindowMs != 14_400_000 || a.Window() != 4*time.Hour {
		t.Errorf("WindowMs = %d, want 14400000", a.WindowMs)
	}
	out, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "null") {
		t.Errorf("marshalled again: %s, want no null lists", out)
	}
	var b Alert
	if err := json.Unmarshal([]byte(`{"windowMs":60000}`), &b); err != nil || b.WindowMs != 60000 {
		t.Errorf("current form: WindowMs = %d, %v; want 60000", b.WindowMs, err)
	}
}
