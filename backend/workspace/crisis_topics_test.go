package workspace

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/crisis"
	"github.com/stormdesk/stormdesk/backend/demo"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/store"
)

// topicMentions stores n mentions of one topic published at the times at(i),
// negative where neg(i), with text(i).
func topicMentions(t *testing.T, ws *Workspace, topicID int64, prefix string, n int, at func(int) time.Time, neg func(int) bool, text func(int) string) {
	t.Helper()
	var batch []store.ScoredMention
	for i := range n {
		s := inbox.SentimentNeutral
		if neg(i) {
			s = inbox.SentimentNegative
		}
		batch = append(batch, store.ScoredMention{Mention: listening.Mention{Source: listening.SourceMastodon,
			ExternalID: fmt.Sprint(prefix, i), URL: fmt.Sprintf("https://mastodon.example/@u%d/%s%d", i, prefix, i),
			Author: fmt.Sprint("user", i), Reach: int64(100 + i), Text: text(i), Published: at(i), Replies: -1, Reactions: -1},
			Sentiment: s})
	}
	if _, err := ws.Store.SaveListeningBatch(context.Background(), store.ListeningBatch{TopicID: topicID, Mentions: batch}); err != nil {
		t.Fatal(err)
	}
}

// TestTopicSpike: a topic with six quiet days of mentions and then a burst
// of negative ones gets one explained alert on its stream (the topic's
// name on the listening channel), announced once and handed once to
// Workspace.OnListeningAlert with the topic's id; another topic stays quiet.
func TestTopicSpike(t *testing.T) {
	ctx := context.Background()
	ws := openWS(t)
	now := time.Now()
	topic, err := ws.Store.SaveListeningTopic(ctx, store.ListeningTopic{Name: "Nimbus Rail", Query: `"nimbus rail"`, Kind: store.TopicBrand, Enabled: true, CreatedAt: now.Add(-7 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	quiet, err := ws.Store.SaveListeningTopic(ctx, store.ListeningTopic{Name: "Other Rail", Query: `"other rail"`, Kind: store.TopicCompetitor, Enabled: true, CreatedAt: now.Add(-7 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	// Six days, a mention every two hours, one in four negative.
	day := func(i int) time.Time { return now.Add(-6*24*time.Hour + time.Duration(i)*2*time.Hour) }
	everyFourth := func(i int) bool { return i%4 == 0 }
	plain := func(i int) string {
		return fmt.Sprintf("Nimbus Rail train number %d today, seats and coffee as usual", i)
	}
	topicMentions(t, ws, topic.ID, "day-", 72, day, everyFourth, plain)
	topicMentions(t, ws, quiet.ID, "other-", 72, day, everyFourth, plain)

	var hooked []int64
	ws.OnListeningAlert = func(_ context.Context, id int64, a crisis.Alert) { hooked = append(hooked, id) }
	var announced []crisis.Alert
	m := ws.NewCrisisMonitor(func(a crisis.Alert) { announced = append(announced, a) })
	if err := m.replay(ctx); err != nil {
		t.Fatal(err)
	}
	if len(announced) != 0 || len(hooked) != 0 {
		t.Fatalf("quiet history announced %v, hooked %v", announced, hooked)
	}

	burst := func(i int) time.Time { return now.Add(-12*time.Minute + time.Duration(i)*30*time.Second) }
	always := func(int) bool { return true }
	angry := func(i int) string {
		return fmt.Sprintf("Nimbus Rail derailed the evening train again, passenger %d stuck for hours without water", i)
	}
	topicMentions(t, ws, topic.ID, "burst-", 20, burst, always, angry)
	for range 2 {
		if err := m.Poll(ctx); err != nil {
			t.Fatal(err)
		}
	}
	key := crisis.Key{Account: "Nimbus Rail", Channel: ListeningChannel}
	if len(announced) != 1 || announced[0].Key != key {
		t.Fatalf("announced %v, want one alert of %s", announced, key)
	}
	if len(hooked) != 1 || hooked[0] != topic.ID {
		t.Fatalf("OnListeningAlert got topics %v, want [%d]", hooked, topic.ID)
	}
	a := announced[0]
	// The sequential test may fire first (a quiet stream's bar is low), at
	// fewer negatives than the window tests need.
	if a.DetectedAt.Before(now.Add(-12*time.Minute)) || a.Observed < float64(crisis.DefaultConfig().SeqMinCount) {
		t.Errorf("alert %s: not the burst", a)
	}
	terms := map[string]bool{}
	for _, tt := range a.TopTerms {
		terms[tt.Term] = true
	}
	if len(a.Samples) == 0 || !strings.Contains(a.Samples[0].Text, "derailed") || !strings.Contains(a.Samples[0].URL, "/burst-") {
		t.Errorf("samples %+v, want the burst's mentions", a.Samples)
	}
	if len(a.TopTerms) == 0 || terms["nimbus"] || terms["rail"] {
		t.Errorf("top terms %+v: want the burst's words, not the topic's name", a.TopTerms)
	}
	if id, ok := m.TopicID(key); !ok || id != topic.ID {
		t.Errorf("TopicID(%s) = %d, %v; want %d", key, id, ok, topic.ID)
	}
	kept, err := ws.Store.CrisisAlerts(ctx, 10)
	if err != nil || len(kept) != 1 || kept[0].Account != key.Account || kept[0].Channel != key.Channel {
		t.Fatalf("kept alerts %+v, %v", kept, err)
	}
	sts, err := m.States(ctx)
	if err != nil {
		t.Fatal(err)
	}
	streams := map[crisis.Key]bool{}
	for _, st := range sts {
		streams[st.Key] = true
	}
	if !streams[key] || !streams[crisis.Key{Account: "Other Rail", Channel: ListeningChannel}] {
		t.Errorf("dashboard streams %v, want both topics", streams)
	}
}

// TestTopicSpikeDemo: the demo brand topic's burst of negatives shows, after
// the replay at start, as an explained alert of its stream on the spike's
// day (history: kept, not announced); the competitor's topic has none.
func TestTopicSpikeDemo(t *testing.T) {
	ctx := context.Background()
	ws := openWS(t)
	now := time.Now()
	if _, err := ws.SeedDemoIfEmpty(ctx, now, "me"); err != nil {
		t.Fatal(err)
	}
	hooked := 0
	ws.OnListeningAlert = func(context.Context, int64, crisis.Alert) { hooked++ }
	m := ws.NewCrisisMonitor(nil)
	if err := m.replay(ctx); err != nil {
		t.Fatal(err)
	}
	alerts, err := m.Alerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	start := demo.SpikeStart(now)
	var found []crisis.Alert
	for _, a := range alerts {
		if a.Key.Channel != ListeningChannel {
			continue
		}
		if a.Key.Account != demo.ListeningBrand {
			t.Errorf("alert for topic %q: %s", a.Key.Account, a)
			continue
		}
		found = append(found, a)
	}
	if len(found) == 0 {
		t.Fatalf("no alert for the demo topic among %d alerts", len(alerts))
	}
	a := found[len(found)-1] // the first one, as alerts are newest first
	if a.DetectedAt.Before(start) || a.DetectedAt.After(start.Add(2*time.Hour)) {
		t.Errorf("first demo topic alert at %s, want within the spike from %s", a.DetectedAt, start)
	}
	words := ""
	for _, tt := range a.TopTerms {
		words += " " + tt.Term
	}
	t.Logf("demo topic alert: %s; top terms:%s", a, words)
	if !strings.Contains(words, "denver") && !strings.Contains(words, "stranded") {
		t.Errorf("top terms%s do not explain the spike", words)
	}
	if len(a.Samples) == 0 {
		t.Error("alert without samples")
	}
	if hooked != 0 {
		t.Errorf("history alerts handed to OnListeningAlert %d times", hooked)
	}
}

// TestTopicCrisisMode: opening crisis mode from the demo brand topic's
// stream opens it on every account of the brand, and ending it ends them;
// the competitor's topic has no crisis mode.
func TestTopicCrisisMode(t *testing.T) {
	ctx := context.Background()
	ws := openWS(t)
	if _, err := ws.SeedDemoIfEmpty(ctx, time.Now(), "me"); err != nil {
		t.Fatal(err)
	}
	accs, err := ws.Store.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, a := range accs {
		if a.Brand == demo.ListeningBrand {
			want = append(want, a.Name)
		}
	}
	if len(want) < 2 {
		t.Fatalf("demo brand %s has accounts %v", demo.ListeningBrand, want)
	}
	if err := ws.SetCrisisMode(ctx, demo.ListeningBrand, true, "me"); err != nil {
		t.Fatal(err)
	}
	got, err := ws.AccountsInCrisis(ctx)
	if err != nil || strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("in crisis %v (%v), want %v", got, err, want)
	}
	if err := ws.SetCrisisMode(ctx, demo.ListeningBrand, false, "me"); err != nil {
		t.Fatal(err)
	}
	if got, err := ws.AccountsInCrisis(ctx); err != nil || len(got) != 0 {
		t.Fatalf("after ending, in crisis %v (%v)", got, err)
	}
	if err := ws.SetCrisisMode(ctx, demo.ListeningCompetitor, true, "me"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("crisis mode for the competitor's topic: %v, want not found", err)
	}
}

// TestTopicSpikeFoundLate: mentions published weeks ago that are stored only
// now (a sweep catching up after a long pause, an import) go through the
// topic history pass: a burst among them is kept and listed as an alert of
// its time, explained, and neither announced nor handed to the forwarding
// hook; newer mentions are fed as usual.
func TestTopicSpikeFoundLate(t *testing.T) {
	ctx := context.Background()
	ws := openWS(t)
	now := time.Now()
	topic, err := ws.Store.SaveListeningTopic(ctx, store.ListeningTopic{Name: "Nimbus Rail", Query: `"nimbus rail"`, Kind: store.TopicBrand, Enabled: true, CreatedAt: now.Add(-40 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	var hooked, announced int
	ws.OnListeningAlert = func(context.Context, int64, crisis.Alert) { hooked++ }
	m := ws.NewCrisisMonitor(func(crisis.Alert) { announced++ })
	if err := m.replay(ctx); err != nil {
		t.Fatal(err)
	}
	// What a catch-up brings at once: ten quiet days from 30 days ago, a
	// mention every two hours, one in four negative, and a burst 20 days ago.
	quietDays := func(i int) time.Time { return now.Add(-30*24*time.Hour + time.Duration(i)*2*time.Hour) }
	topicMentions(t, ws, topic.ID, "old-", 120, quietDays, func(i int) bool { return i%4 == 0 }, func(i int) string {
		return fmt.Sprintf("Nimbus Rail train number %d today, seats and coffee as usual", i)
	})
	burstAt := now.Add(-20 * 24 * time.Hour)
	topicMentions(t, ws, topic.ID, "late-burst-", 20, func(i int) time.Time { return burstAt.Add(time.Duration(i) * 30 * time.Second) },
		func(int) bool { return true }, func(i int) string {
			return fmt.Sprintf("Nimbus Rail derailed the evening train again, passenger %d stuck for hours without water", i)
		})
	if err := m.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	key := crisis.Key{Account: "Nimbus Rail", Channel: ListeningChannel}
	kept, err := ws.Store.CrisisAlerts(ctx, 10)
	if err != nil || len(kept) == 0 {
		t.Fatalf("kept alerts %+v, %v; want the late burst's", kept, err)
	}
	alerts, err := m.Alerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var found *crisis.Alert
	for i, a := range alerts {
		if a.Key == key {
			found = &alerts[i]
		}
	}
	if found == nil || found.DetectedAt.Before(burstAt) || found.DetectedAt.After(burstAt.Add(time.Hour)) {
		t.Fatalf("alerts %v: want one of %s at the burst of %s", alerts, key, burstAt)
	}
	if len(found.Samples) == 0 || !strings.Contains(found.Samples[0].Text, "derailed") {
		t.Errorf("samples %+v, want the burst's mentions", found.Samples)
	}
	if announced != 0 || hooked != 0 {
		t.Errorf("a weeks-old spike was announced %d times and forwarded %d times", announced, hooked)
	}
	if err := m.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if again, _ := ws.Store.CrisisAlerts(ctx, 10); len(again) != len(kept) {
		t.Errorf("a second poll kept %d alerts, the first %d", len(again), len(kept))
	}
}
