package workspace

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels/telegram/telegramfake"
	"github.com/stormdesk/stormdesk/backend/crisis"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/store"
)

// TestForwardDigestThroughTheLoop saves a rule the way the panel does and
// checks the running loop delivers the due digest, counted from the stored
// mentions, to the Telegram fake through the real client, once across
// ticks of two forwarders (two instances); that "send a test message"
// reaches the chat; and that neither secret is in the database.
func TestForwardDigestThroughTheLoop(t *testing.T) {
	ctx := context.Background()
	const token = "987:forward-bot-token-in-keyring"
	const smtpPW = "smtp-password-in-keyring"
	const chat = int64(-1001234)
	fake := telegramfake.New(token)
	t.Cleanup(fake.Close)

	dir := t.TempDir()
	ws, err := Open(ctx, filepath.Join(dir, "ws.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	sec := &memSecrets{m: map[string]string{}}

	topic, err := ws.SaveListeningTopic(ctx, store.ListeningTopic{Name: "Acme", Query: "acme", Kind: "brand", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	at := func(day, hour int) time.Time { return time.Date(2026, 12, day, hour, 0, 0, 0, berlin) }
	type m struct {
		src, author string
		reach       int64
		s           inbox.Sentiment
		when        time.Time
	}
	ms := []m{
		// The digest's day, 1 December in Berlin (00:30 is still the 1st
		// there though it is 30 November in UTC).
		{listening.SourceReddit, "loud critic", 90000, inbox.SentimentNegative, at(1, 0).Add(30 * time.Minute)},
		{listening.SourceMastodon, "small critic", 10, inbox.SentimentNegative, at(1, 12)},
		{listening.SourceMastodon, "fan", 500, inbox.SentimentPositive, at(1, 13)},
		{listening.SourceHN, "reader", 5, inbox.SentimentNeutral, at(1, 23)},
		// The day before: one negative.
		{listening.SourceReddit, "yesterday's critic", 1, inbox.SentimentNegative, at(1, 0).AddDate(0, 0, -1).Add(15 * time.Hour)},
		// The day after (today): not in the digest.
		{listening.SourceReddit, "today's critic", 999999, inbox.SentimentNegative, at(2, 1)},
	}
	for i, x := range ms {
		if _, err := ws.Store.SaveListeningBatch(ctx, store.ListeningBatch{TopicID: topic.ID, Mentions: []store.ScoredMention{{
			Mention: listening.Mention{Source: x.src, ExternalID: string(rune('a' + i)), Author: x.author, Reach: x.reach,
				Text: "acme " + x.author, URL: "https://example.com/" + string(rune('a'+i)), Published: x.when},
			Sentiment: x.s}}}); err != nil {
			t.Fatal(err)
		}
	}

	if err := ws.SaveForwardConfig(ctx, sec, ForwardConfig{SMTPHost: "127.0.0.1", SMTPPort: 2525, SMTPTLS: "plain",
		SMTPUser: "alerts", From: "Stormdesk <alerts@example.com>", BotToken: token, SMTPPassword: smtpPW}); err != nil {
		t.Fatal(err)
	}
	cfg, err := ws.ForwardConfig(ctx, sec)
	if err != nil || !cfg.HasBotToken || !cfg.HasPassword || cfg.BotToken != "" || cfg.SMTPPassword != "" {
		t.Fatalf("config answered %+v, %v", cfg, err)
	}
	if err := ws.SaveForwardRule(ctx, ForwardRule{TopicID: topic.ID, What: "bogus", ChatIDs: []int64{chat}}); !apperr.Is(err, apperr.CodeInvalidInput) {
		t.Fatalf("a bad rule: %v", err)
	}
	rule := ForwardRule{TopicID: topic.ID, What: "digest", ChatIDs: []int64{chat}, DigestHour: 8,
		TimeZone: "Europe/Berlin", QuietFrom: "22:00", QuietTo: "07:00", Lang: "en"}
	if err := ws.SaveForwardRule(ctx, rule); err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	// Past the digest hour on 2 December: 1 December's digest is due.
	now := at(2, 8).Add(5 * time.Minute)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	f := ws.NewForwarder(sec)
	f.TelegramURL, f.Now = fake.URL, clock

	// The loop ticks at start.
	if err := ws.Run(ctx, Loops{Forward: f}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(fake.Chat(chat)) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	// A second tick here and one of a second instance's forwarder.
	if err := f.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	other := ws.NewForwarder(sec)
	other.TelegramURL, other.Now = fake.URL, clock
	if err := other.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	got := fake.Chat(chat)
	if len(got) != 1 {
		t.Fatalf("digest sent %d times: %q", len(got), got)
	}
	d := got[0]
	for _, want := range []string{"Acme", "2026-12-01", "Mentions: 4 (+3 against the previous day)",
		"Positive 1 · Neutral 1 · Negative 2 (negative +1 against the previous day)",
		"mastodon 2", "reddit 1", "hn 1", "loud critic"} {
		if !strings.Contains(d, want) {
			t.Errorf("digest lacks %q:\n%s", want, d)
		}
	}
	if strings.Contains(d, "today's critic") || strings.Contains(d, "yesterday's critic") {
		t.Errorf("digest shows another day's mention:\n%s", d)
	}
	if strings.Index(d, "loud critic") > strings.Index(d, "small critic") {
		t.Errorf("top negative not by reach:\n%s", d)
	}

	// "Send a test message" goes at once, even in quiet hours.
	mu.Lock()
	now = at(2, 23)
	mu.Unlock()
	if err := ws.TestForwardRule(ctx, topic.ID); err != nil {
		t.Fatal(err)
	}
	if got := fake.Chat(chat); len(got) != 2 || !strings.Contains(got[1], "Acme") {
		t.Fatalf("test message: %q", got)
	}
	// Without a bot token the test says so, coded.
	delete(sec.m, forwardSecretKey(ForwardBotToken))
	if err := ws.TestForwardRule(ctx, topic.ID); !apperr.Is(err, apperr.CodeNotConfigured) {
		t.Fatalf("no bot token: %v", err)
	}

	// An alert on the topic's stream is forwarded (outside quiet hours).
	sec.m[forwardSecretKey(ForwardBotToken)] = token
	mu.Lock()
	now = at(2, 12)
	mu.Unlock()
	rule.What = "both"
	if err := ws.SaveForwardRule(ctx, rule); err != nil {
		t.Fatal(err)
	}
	if err := ws.ForwardAlert(ctx, topic.ID, crisis.Alert{Key: crisis.Key{Account: "topic:Acme", Channel: "listening"},
		Start: at(2, 11), DetectedAt: at(2, 12), WindowMs: 3600000, Observed: 9, Baseline: 1.5,
		TopTerms: []crisis.TermScore{{Term: "outage"}}, Samples: []crisis.Sample{{Author: "angry", Text: "acme is down", URL: "https://social.example/@angry/1"}}}); err != nil {
		t.Fatal(err)
	}
	if got := fake.Chat(chat); len(got) != 3 || !strings.Contains(got[2], "outage") || !strings.Contains(got[2], "acme is down") {
		t.Fatalf("alert: %q", got)
	}
	// The sample links to the mention's original.
	if sent := fake.Sent(); !strings.Contains(sent[len(sent)-1].Text, `href="https://social.example/@angry/1"`) {
		t.Fatalf("alert's HTML %q: want a link to the sample's original", sent[len(sent)-1].Text)
	}
	rules, err := ws.ForwardRules(ctx)
	if err != nil || len(rules) != 1 || rules[0].ErrorCode != "" {
		t.Fatalf("rules %+v, %v", rules, err)
	}

	// The secrets live in the keyring only: not in any file of the database.
	ws.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "ws.db*"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{token, smtpPW} {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s holds a secret", filepath.Base(p))
			}
		}
	}
	if len(files) == 0 {
		t.Fatal("no database files")
	}
}
