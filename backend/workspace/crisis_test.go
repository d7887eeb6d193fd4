package workspace

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/crisis"
	"github.com/stormdesk/stormdesk/backend/demo"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// TestCrisisMonitorFindsTheDemoBurstAndFollowsNewMessages replays the demo
// data's history, expects its outage burst, then stores a fresh burst and
// expects the monitor to announce it on the next poll.
func TestCrisisMonitorFindsTheDemoBurstAndFollowsNewMessages(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	ws := openWS(t)
	if _, err := ws.SeedDemoIfEmpty(ctx, now, "me"); err != nil {
		t.Fatal(err)
	}
	var announced []crisis.Alert
	m := ws.NewCrisisMonitor(func(a crisis.Alert) { announced = append(announced, a) })
	if err := m.replay(ctx); err != nil {
		t.Fatal(err)
	}
	burst := demo.BurstStart(now)
	var hit *crisis.Alert
	for _, a := range alertsOf(t, m) {
		if strings.HasPrefix(a.Key.Account, "sever-telecom") && a.DetectedAt.After(burst) && a.DetectedAt.Before(burst.Add(3*time.Hour)) {
			hit = &a
			break
		}
	}
	if hit == nil {
		t.Fatalf("no alert for the demo burst at %s; alerts: %v", burst, alertsOf(t, m))
	}
	if len(announced) != 0 {
		t.Errorf("history replay announced %d alerts", len(announced))
	}
	if len(statesOf(t, m)) == 0 {
		t.Fatal("no detector states")
	}

	// A new outage on an account with a week of history.
	acc := inbox.Account{Channel: hit.Key.Channel, Name: hit.Key.Account}
	var items []inbox.Item
	for i := 0; i < 40; i++ {
		items = append(items, inbox.Item{ExternalID: fmt.Sprint("fresh-", i), Direction: inbox.DirectionIn, Kind: inbox.KindComment,
			Text: "интернет опять не работает, авария", Sentiment: inbox.SentimentNegative,
			SentAt: now.Add(-20*time.Minute + time.Duration(i)*20*time.Second), Author: inbox.Author{Handle: fmt.Sprint("u", i)}})
	}
	if _, err := ws.Pipeline.Ingest(ctx, acc, items); err != nil {
		t.Fatal(err)
	}
	if err := m.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if len(announced) == 0 {
		t.Fatalf("no alert announced for 40 negative comments in 15 minutes; states %+v", statesOf(t, m))
	}
	if got := alertsOf(t, m)[0]; !got.DetectedAt.After(now.Add(-time.Hour)) {
		t.Errorf("newest alert detected at %s", got.DetectedAt)
	}
}

func TestDemoSeedsCannedRepliesAndKnowledge(t *testing.T) {
	ctx := context.Background()
	ws := openWS(t)
	if _, err := ws.SeedDemoIfEmpty(ctx, time.Now(), "me"); err != nil {
		t.Fatal(err)
	}
	canned, err := ws.Store.CannedReplies(ctx)
	if err != nil || len(canned) != len(demo.Canned()) {
		t.Fatalf("canned = %d, %v", len(canned), err)
	}
	kb, err := ws.Store.KBEntries(ctx, demo.BurstBrand)
	if err != nil || len(kb) == 0 {
		t.Fatalf("KB for %s = %v, %v", demo.BurstBrand, kb, err)
	}
	for _, e := range kb {
		if e.Brand != "" && e.Brand != demo.BurstBrand {
			t.Fatalf("another brand's entry %+v", e)
		}
	}
}

// pastItems is four days of ordinary traffic in February 2015 with a burst
// of complaints about lost luggage on the fourth day, at burstAt.
func pastItems(prefix string) (items []inbox.Item, burstAt time.Time) {
	t0 := time.Date(2015, 2, 17, 0, 0, 0, 0, time.UTC)
	burstAt = t0.Add(3*24*time.Hour + 14*time.Hour)
	n := 0
	add := func(at time.Time, neg bool, text string) {
		s := inbox.SentimentNeutral
		if neg {
			s = inbox.SentimentNegative
		}
		items = append(items, inbox.Item{ExternalID: fmt.Sprint(prefix, n), Direction: inbox.DirectionIn, Kind: inbox.KindComment,
			Text: text, Sentiment: s, SentAt: at, Author: inbox.Author{Handle: fmt.Sprint("flyer", n%50)}})
		n++
	}
	for i := range 4 * 96 {
		at := t0.Add(time.Duration(i) * 15 * time.Minute)
		add(at, false, "@AcmeAir when does boarding start?")
		add(at.Add(5*time.Minute), i%3 == 0, "@AcmeAir the seat was not great")
	}
	for i := range 40 {
		add(burstAt.Add(time.Duration(i)*20*time.Second), true,
			fmt.Sprintf("@AcmeAir Acme Air lost luggage again on flight 42%d, the luggage belt is empty", i%3))
	}
	return items, burstAt
}

// TestImportedHistoryIsDetectedAndKept imports messages from 2015 while the
// monitor runs (as `stormdesk import` from another process does): the history
// pass finds the burst at its own time, keeps the alert, explains it without
// the brand's name, and shows the stream as it was then. A new monitor (a
// restart) lists the kept alert without finding it again.
func TestImportedHistoryIsDetectedAndKept(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ws := openWS(t)
	m := ws.NewCrisisMonitor(nil)
	if err := m.replay(ctx); err != nil {
		t.Fatal(err)
	}
	acc := inbox.Account{Channel: inbox.ChannelImport, Name: "acme-import", Brand: "Acme Air", Handle: "@AcmeAir"}
	items, burstAt := pastItems("past-")
	if _, err := ws.Pipeline.Ingest(ctx, acc, items); err != nil {
		t.Fatal(err)
	}
	if err := m.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	kept, err := ws.Store.CrisisAlerts(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	var hit *crisis.Alert
	for _, a := range alertsOf(t, m) {
		if a.Key.Account == acc.Name && !a.DetectedAt.Before(burstAt) && a.DetectedAt.Before(burstAt.Add(15*time.Minute)) {
			hit = &a
		}
	}
	if hit == nil || len(kept) == 0 {
		t.Fatalf("no alert at the 2015 burst (%s): listed %v, kept %d", burstAt, alertsOf(t, m), len(kept))
	}
	if !kept[0].DetectedAt.Equal(hit.DetectedAt) || kept[0].Account != acc.Name {
		t.Errorf("kept alert %s at %s, want %s at %s", kept[0].Account, kept[0].DetectedAt, acc.Name, hit.DetectedAt)
	}
	if !slices.ContainsFunc(hit.TopTerms, func(ts crisis.TermScore) bool { return ts.Term == "luggage" }) {
		t.Errorf("top terms %v, want luggage", hit.TopTerms)
	}
	for _, ts := range hit.TopTerms {
		if ts.Term == "acme" || ts.Term == "air" || ts.Term == "acmeair" {
			t.Errorf("top terms %v name the brand", hit.TopTerms)
		}
	}
	var st *crisis.KeyState
	for _, s := range statesOf(t, m) {
		if s.Key.Account == acc.Name {
			st = &s
		}
	}
	if st == nil || !st.Dormant || st.LastMessage.Year() != 2015 {
		t.Fatalf("stream state %+v, want the 2015 stream, dormant", st)
	}
	if len(seriesOf(t, m, st.Key)) == 0 {
		t.Error("the 2015 stream has no chart")
	}

	// A restart lists the kept alert; the history is not replayed again.
	again := ws.NewCrisisMonitor(nil)
	if err := again.replay(ctx); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range alertsOf(t, again) {
		if a.Key.Account == acc.Name {
			n++
			if a.DetectedAt.Year() != 2015 || len(a.Series) == 0 || len(a.Samples) == 0 {
				t.Errorf("kept alert after restart %s lost its explanation or time", a)
			}
		}
	}
	if n != len(kept) {
		t.Errorf("after a restart %d alerts of %s are listed, want the %d kept", n, acc.Name, len(kept))
	}
	if after, err := ws.Store.CrisisAlerts(ctx, 100); err != nil || len(after) != len(kept) {
		t.Errorf("after a restart %d alerts are kept (err %v), want %d", len(after), err, len(kept))
	}
}

func alertsOf(t *testing.T, m *CrisisMonitor) []crisis.Alert {
	t.Helper()
	out, err := m.Alerts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func statesOf(t *testing.T, m *CrisisMonitor) []crisis.KeyState {
	t.Helper()
	out, err := m.States(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func seriesOf(t *testing.T, m *CrisisMonitor, k crisis.Key) []crisis.Bin {
	t.Helper()
	out, err := m.Series(context.Background(), k)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestImportedHistoryEndsTheLearningPeriod: an account with imported history
// whose live messages begin now is judged against that history at once, when
// its first live message arrives and again after a restart; without the
// history its stream would be learning for its whole learning period.
func TestImportedHistoryEndsTheLearningPeriod(t *testing.T) {
	ctx := context.Background()
	ws := openWS(t)
	m := ws.NewCrisisMonitor(nil)
	if err := m.replay(ctx); err != nil {
		t.Fatal(err)
	}
	acc := inbox.Account{Channel: inbox.ChannelImport, Name: "acme-import", Brand: "Acme Air", Handle: "@AcmeAir"}
	items, _ := pastItems("past-")
	if _, err := ws.Pipeline.Ingest(ctx, acc, items); err != nil {
		t.Fatal(err)
	}
	if err := m.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	live := []inbox.Item{{ExternalID: "live-1", Direction: inbox.DirectionIn, Kind: inbox.KindComment,
		Text: "@AcmeAir when does boarding start?", Sentiment: inbox.SentimentNeutral,
		SentAt: time.Now().Add(-time.Minute), Author: inbox.Author{Handle: "flyer1"}}}
	if _, err := ws.Pipeline.Ingest(ctx, acc, live); err != nil {
		t.Fatal(err)
	}
	if err := m.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	stateOf := func(m *CrisisMonitor) crisis.KeyState {
		for _, s := range statesOf(t, m) {
			if s.Key.Account == acc.Name {
				return s
			}
		}
		t.Fatalf("no stream of %s", acc.Name)
		return crisis.KeyState{}
	}
	if st := stateOf(m); st.Status == crisis.StatusLearning || st.Dormant || st.Baseline <= 0 {
		t.Errorf("live stream after imported history: %+v, want judged against the history", st)
	}
	again := ws.NewCrisisMonitor(nil)
	if err := again.replay(ctx); err != nil {
		t.Fatal(err)
	}
	if st := stateOf(again); st.Status == crisis.StatusLearning || st.Dormant || st.Baseline <= 0 {
		t.Errorf("after a restart: %+v, want judged against the history", st)
	}
}
