package forward

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels/telegram"
)

func berlinRule(targets ...Target) Rule {
	return Rule{ID: "r1", Topic: "Acme <Air>", Lang: "en", What: WhatBoth, Targets: targets,
		DigestHour: 9, TimeZone: "Europe/Berlin", QuietFrom: "22:00", QuietTo: "07:00"}
}

func testAlert(id string, at time.Time) Alert {
	return Alert{ID: id, Topic: "Acme <Air>", Stream: "topic:acme", At: at, Since: at.Add(-45 * time.Minute),
		Window: time.Hour, Observed: 23, Expected: 4.5, Terms: []string{"delay", "<refund>"},
		Samples: []Mention{hostileMention(1), {Source: "rss", Author: "x", Text: "bad link", Link: "javascript:alert(1)"}}}
}

func TestTelegramAlertEscapedAndRendered(t *testing.T) {
	fake, cl, _ := tgFake(t)
	led, _ := sqliteLedger(t)
	clk := &testClock{t: time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)} // 13:00 Berlin, not quiet
	s := &Scheduler{Now: clk.Now, Ledger: led, Telegram: cl}
	r := berlinRule(Target{Kind: TargetTelegram, ChatID: -100777})
	if err := s.Alert(context.Background(), r, testAlert("a1", clk.Now())); err != nil {
		t.Fatal(err)
	}
	chat := fake.Chat(-100777)
	if len(chat) != 1 {
		t.Fatalf("chat got %d messages, want 1", len(chat))
	}
	shown := chat[0]
	for _, want := range []string{
		"Stormdesk: spike in mentions of Acme <Air>",
		"23 negative mentions since 12:15 (1 h); 4.5 expected.",
		"Top terms: delay, <refund>",
		`<b>evil</b> & "co" (reddit, reach 125K)`,
		`Flight <a href="javascript:alert(1)">delayed</a> again &amp; <script>x</script>`,
	} {
		if !strings.Contains(shown, want) {
			t.Errorf("chat shows\n%s\nwant it to contain %q", shown, want)
		}
	}
	sent := fake.Sent()[0]
	if sent.ParseMode != "HTML" {
		t.Errorf("parse mode %q", sent.ParseMode)
	}
	// The only links are the safe http(s) one, its query escaped.
	if got := strings.Count(sent.Text, "<a href="); got != 1 {
		t.Errorf("%d links in %s, want 1 (javascript: must not become a link)", got, sent.Text)
	}
	if !strings.Contains(sent.Text, `<a href="https://reddit.example/r/air/comments/b?x=1&amp;y=&lt;2&gt;">open</a>`) {
		t.Errorf("link not escaped as expected: %s", sent.Text)
	}
	// Sending the same alert again (a restart re-feeding it) does nothing.
	if err := s.Alert(context.Background(), r, testAlert("a1", clk.Now())); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Chat(-100777)); n != 1 {
		t.Errorf("alert sent %d times", n)
	}
}

func TestTelegramDigestCutWithin4096(t *testing.T) {
	fake, cl, _ := tgFake(t)
	led, _ := sqliteLedger(t)
	var top []Mention
	for i := range 60 {
		m := hostileMention(i)
		m.Text = strings.Repeat("Задержка рейса & <возврат> ", 20) // cut to 280 characters each
		top = append(top, m)
	}
	src := &digests{d: Digest{BySource: map[string]int{"reddit": 40, "rss": 12, "vk": 40},
		Tonality: Tonality{Positive: 10, Neutral: 30, Negative: 52}, Previous: &Tonality{Positive: 12, Neutral: 20, Negative: 20},
		TopNegative: top}}
	clk := &testClock{t: time.Date(2026, 12, 3, 8, 30, 0, 0, time.UTC)} // 09:30 Berlin
	r := berlinRule(Target{Kind: TargetTelegram, ChatID: 42})
	r.Lang = "ru"
	s := &Scheduler{Now: clk.Now, Ledger: led, Telegram: cl, Digests: src}
	if err := s.Tick(context.Background(), []Rule{r}); err != nil {
		t.Fatal(err)
	}
	chat := fake.Chat(42)
	if len(chat) != 1 {
		t.Fatalf("chat got %d messages, want 1", len(chat))
	}
	text := fake.Sent()[0].Text
	if n := utf8.RuneCountInString(text); n > TelegramLimit {
		t.Fatalf("text of %d characters", n)
	}
	for _, want := range []string{
		"Сводка Stormdesk: «Acme <Air>», 2026-12-02",
		"Упоминаний: 92 (+40 к предыдущему дню)",
		"Позитивных 10 · Нейтральных 30 · Негативных 52 (негативных +32 к предыдущему дню)",
		"По источникам: reddit 40 · vk 40 · rss 12",
		"Главные негативные упоминания:",
		", не показаны",
	} {
		if !strings.Contains(chat[0], want) {
			t.Errorf("digest shows\n%s\nwant %q", chat[0], want)
		}
	}
	shownItems := strings.Count(chat[0], "• ")
	if shownItems < 5 || shownItems >= 60 {
		t.Errorf("%d mentions shown; want as many as fit, fewer than 60", shownItems)
	}
	if !strings.Contains(chat[0], "…и ещё "+strconv.Itoa(60-shownItems)+", не показаны") {
		t.Errorf("the count of left-out mentions is wrong (%d shown): %s", shownItems, chat[0][len(chat[0])-80:])
	}
	if len(src.asked) != 1 || src.asked[0] != "r1/2026-12-02" {
		t.Errorf("digest asked for %v", src.asked)
	}
}

func TestTelegram429RetryAfterHonoured(t *testing.T) {
	fake, cl, waits := tgFake(t)
	led, _ := sqliteLedger(t)
	fake.RateLimit("sendMessage", 1, 7)
	clk := &testClock{t: time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)}
	s := &Scheduler{Now: clk.Now, Ledger: led, Telegram: cl}
	r := berlinRule(Target{Kind: TargetTelegram, ChatID: 5})
	if err := s.Alert(context.Background(), r, testAlert("a1", clk.Now())); err != nil {
		t.Fatal(err)
	}
	if len(*waits) != 1 || (*waits)[0] != 7*time.Second {
		t.Errorf("waits %v, want the 7 s retry_after", *waits)
	}
	if n := len(fake.Chat(5)); n != 1 {
		t.Errorf("%d messages after the 429, want 1", n)
	}
	if len(fake.Calls("sendMessage")) != 2 {
		t.Errorf("%d sendMessage calls, want 2", len(fake.Calls("sendMessage")))
	}
}

func TestTelegramErrorsCoded(t *testing.T) {
	fake, cl, _ := tgFake(t)
	led, _ := sqliteLedger(t)
	clk := &testClock{t: time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)}
	s := &Scheduler{Now: clk.Now, Ledger: led, Telegram: cl}
	r := berlinRule(Target{Kind: TargetTelegram, ChatID: 5})
	fake.RevokeToken()
	if err := s.Alert(context.Background(), r, testAlert("a1", clk.Now())); err == nil {
		t.Fatal("a revoked token sent")
	}
	if e := s.LastError("r1"); e == nil || e.Code != apperr.CodeAuthFailed {
		t.Fatalf("last error %v, want %s", e, apperr.CodeAuthFailed)
	}
	// Without a bot the error says what is missing.
	s2 := &Scheduler{Now: clk.Now, Ledger: led}
	r.ID = "r2"
	if err := s2.Alert(context.Background(), r, testAlert("a2", clk.Now())); err == nil {
		t.Fatal("sent without a bot")
	}
	if e := s2.LastError("r2"); e == nil || e.Code != apperr.CodeNotConfigured {
		t.Fatalf("last error %v, want %s", e, apperr.CodeNotConfigured)
	}
}

// The fake parses HTML as Telegram does, so the escaping above is tested
// against something that would reject unescaped markup.
func TestTelegramFakeRejectsUnescapedMarkup(t *testing.T) {
	fake, cl, _ := tgFake(t)
	for _, text := range []string{`a <script>x</script>`, `fish & chips`, `1 > 0`, `<b>open`} {
		_, err := cl.SendMessage(context.Background(), telegram.SendMessageParams{ChatID: 1, Text: text, ParseMode: "HTML"})
		if err == nil || !strings.Contains(err.Error(), "can't parse entities") {
			t.Errorf("%q: err %v, want can't parse entities", text, err)
		}
	}
	if len(fake.Sent()) != 0 {
		t.Errorf("fake took %d malformed messages", len(fake.Sent()))
	}
}

// Telegram counts UTF-16 units: a digest full of emoji stays within the
// limit as Telegram counts it, not only in runes.
func TestTelegramLimitCountsUTF16(t *testing.T) {
	var top []Mention
	for range 40 {
		top = append(top, Mention{Source: "vk", Author: "😡😡😡", Text: strings.Repeat("😡", 300), Link: "https://vk.example/wall1_2"})
	}
	m := digestMessage(Rule{Lang: "en"}, Digest{Topic: "t", Day: "2026-12-02", TopNegative: top})
	text := m.telegramText(TelegramLimit)
	if n := tgLen(text); n > TelegramLimit {
		t.Fatalf("%d UTF-16 units", n)
	}
	if !strings.Contains(text, "…and ") {
		t.Errorf("nothing was left out of 40 long mentions")
	}
	if utf8.RuneCountInString(text) > TelegramLimit/2+200 {
		t.Errorf("emoji counted once: %d runes", utf8.RuneCountInString(text))
	}
}
