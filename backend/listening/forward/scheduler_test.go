package forward

import (
	"context"
	"strings"
	"testing"
	"time"
)

func berlin(t *testing.T, y int, mo time.Month, d, h, mi int) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(y, mo, d, h, mi, 0, 0, loc)
}

func TestQuietHoursHoldAndRelease(t *testing.T) {
	fake, s, clk := tgScheduler(t, berlin(t, 2026, 12, 3, 23, 10), &digests{})
	r := berlinRule(Target{Kind: TargetTelegram, ChatID: 9})
	r.What = WhatAlerts
	ctx := context.Background()
	for i, id := range []string{"a1", "a2", "a3"} {
		clk.Set(berlin(t, 2026, 12, 3, 23, 10).Add(time.Duration(i) * 2 * time.Hour)) // 23:10, 01:10, 03:10
		if err := s.Alert(ctx, r, testAlert(id, clk.Now())); err != nil {
			t.Fatal(err)
		}
	}
	// The same alert fed twice is held once.
	if err := s.Alert(ctx, r, testAlert("a2", clk.Now())); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Sent()); n != 0 {
		t.Fatalf("%d messages during quiet hours", n)
	}
	// An urgent alert goes out in quiet hours, silently.
	urgent := testAlert("u1", clk.Now())
	urgent.Urgent = true
	if err := s.Alert(ctx, r, urgent); err != nil {
		t.Fatal(err)
	}
	if sent := fake.Sent(); len(sent) != 1 || !strings.Contains(sent[0].Shown, "The spike is growing.") {
		t.Fatalf("urgent alert not sent: %+v", sent)
	}
	if c := fake.Calls("sendMessage"); string(c[0].Params["disable_notification"]) != "true" {
		t.Errorf("urgent alert in quiet hours not silent: %s", c[0].Params["disable_notification"])
	}
	// Still quiet at 06:59: nothing released.
	clk.Set(berlin(t, 2026, 12, 4, 6, 59))
	if err := s.Tick(ctx, []Rule{r}); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Sent()); n != 1 {
		t.Fatalf("%d messages before quiet hours ended", n)
	}
	clk.Set(berlin(t, 2026, 12, 4, 7, 0))
	if err := s.Tick(ctx, []Rule{r}); err != nil {
		t.Fatal(err)
	}
	chat := fake.Chat(9)
	if len(chat) != 2 {
		t.Fatalf("chat has %d messages after quiet hours, want the urgent one and one summary", len(chat))
	}
	sum := chat[1]
	if !strings.Contains(sum, "Stormdesk: 3 alerts during quiet hours for Acme <Air>") ||
		!strings.Contains(sum, "Held during quiet hours (22:00–07:00):") {
		t.Errorf("summary:\n%s", sum)
	}
	for _, at := range []string{"• 23:10 ", "• 01:10 ", "• 03:10 "} {
		if !strings.Contains(sum, at) {
			t.Errorf("summary lacks the alert at %q:\n%s", at, sum)
		}
	}
	if len(s.Held("r1")) != 0 {
		t.Errorf("alerts still held: %v", s.Held("r1"))
	}
	// Nothing more on the next ticks.
	if err := s.Tick(ctx, []Rule{r}); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Sent()); n != 2 {
		t.Errorf("%d messages after another tick", n)
	}
}

// A release that fails keeps the alerts held; the next tick sends them.
func TestQuietHoursReleaseRetriedAfterFailure(t *testing.T) {
	fake, s, clk := tgScheduler(t, berlin(t, 2026, 12, 3, 23, 0), nil)
	r := berlinRule(Target{Kind: TargetTelegram, ChatID: 9})
	r.What = WhatAlerts
	ctx := context.Background()
	if err := s.Alert(ctx, r, testAlert("a1", clk.Now())); err != nil {
		t.Fatal(err)
	}
	clk.Set(berlin(t, 2026, 12, 4, 7, 5))
	fake.BadGateway("sendMessage", 1)
	if err := s.Tick(ctx, []Rule{r}); err == nil {
		t.Fatal("a 502 passed as sent")
	}
	if len(s.Held("r1")) != 1 {
		t.Fatalf("held after a failed release: %v", s.Held("r1"))
	}
	if e := s.LastError("r1"); e == nil || e.Code != "unreachable" {
		t.Errorf("last error %v, want unreachable", e)
	}
	if err := s.Tick(ctx, []Rule{r}); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Chat(9)); n != 1 {
		t.Errorf("%d messages after the retry, want 1", n)
	}
	if e := s.LastError("r1"); e != nil {
		t.Errorf("last error kept after a good send: %v", e)
	}
}

func TestDigestOnceAcrossTwoSchedulers(t *testing.T) {
	fake, cl, _ := tgFake(t)
	led, _ := sqliteLedger(t)
	src := &digests{d: Digest{Tonality: Tonality{Positive: 1, Neutral: 2, Negative: 3}}}
	clk := &testClock{t: berlin(t, 2026, 12, 3, 8, 59)}
	a := &Scheduler{Now: clk.Now, Ledger: led, Telegram: cl, Digests: src}
	b := &Scheduler{Now: clk.Now, Ledger: led, Telegram: cl, Digests: src}
	r := berlinRule(Target{Kind: TargetTelegram, ChatID: 3}, Target{Kind: TargetTelegram, ChatID: 4})
	r.What = WhatDigest
	ctx := context.Background()
	// 08:59: the digest due is the one of Dec 1, which was never sent (the
	// app was closed): it is caught up once.
	for _, s := range []*Scheduler{a, b} {
		if err := s.Tick(ctx, []Rule{r}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tm := range []time.Time{berlin(t, 2026, 12, 3, 9, 0), berlin(t, 2026, 12, 3, 9, 1), berlin(t, 2026, 12, 3, 23, 0)} {
		clk.Set(tm)
		errs := make(chan error, 2)
		for _, s := range []*Scheduler{a, b} {
			go func() { errs <- s.Tick(ctx, []Rule{r}) }()
		}
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, chat := range []int64{3, 4} {
		got := fake.Chat(chat)
		if len(got) != 2 || !strings.Contains(got[0], "2026-12-01") || !strings.Contains(got[1], "2026-12-02") {
			t.Errorf("chat %d got %d digests: %q", chat, len(got), got)
		}
	}
}

func TestDueDigestDST(t *testing.T) {
	r := Rule{ID: "r", DigestHour: 2, TimeZone: "Europe/Berlin"}
	cases := []struct {
		now  time.Time
		want string
	}{
		// Spring forward: 02:00 does not exist on 2026-03-29; the digest
		// comes at 03:00 that day.
		{time.Date(2026, 3, 29, 0, 59, 0, 0, time.UTC), "2026-03-27"}, // 01:59 CET
		{time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), "2026-03-28"},  // 03:00 CEST
		// Fall back: 02:00 happens twice on 2026-10-25; the day is the same.
		{time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), "2026-10-24"},  // 02:30 CEST, first 02:00 passed
		{time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), "2026-10-24"},  // 02:30 CET, again
		{time.Date(2026, 10, 24, 23, 59, 0, 0, time.UTC), "2026-10-23"}, // 01:59 CEST
	}
	for _, c := range cases {
		got, err := DueDigest(r, c.now)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("DueDigest(%s) = %s, want %s", c.now.In(time.FixedZone("", 0)), got, c.want)
		}
	}
	loc, _ := r.Location()
	from, to, err := DayRange("2026-03-29", loc)
	if err != nil || to.Sub(from) != 23*time.Hour {
		t.Errorf("2026-03-29 is %v long (%v)", to.Sub(from), err)
	}
	from, to, _ = DayRange("2026-10-25", loc)
	if to.Sub(from) != 25*time.Hour {
		t.Errorf("2026-10-25 is %v long", to.Sub(from))
	}
}

// Across the fall-back night the digest of the day goes out once although
// 02:00 comes twice.
func TestDigestOnceOnFallBack(t *testing.T) {
	fake, s, clk := tgScheduler(t, time.Time{}, &digests{})
	r := Rule{ID: "r", Topic: "t", What: WhatDigest, DigestHour: 2, TimeZone: "Europe/Berlin", Targets: []Target{{Kind: TargetTelegram, ChatID: 1}}}
	for m := 0; m <= 240; m += 15 {
		clk.Set(time.Date(2026, 10, 24, 22, 0, 0, 0, time.UTC).Add(time.Duration(m) * time.Minute))
		if err := s.Tick(context.Background(), []Rule{r}); err != nil {
			t.Fatal(err)
		}
	}
	got := fake.Chat(1)
	if len(got) != 2 || !strings.Contains(got[0], "2026-10-23") || !strings.Contains(got[1], "2026-10-24") {
		t.Errorf("digests %q", got)
	}
}

func TestInQuiet(t *testing.T) {
	r := Rule{QuietFrom: "22:00", QuietTo: "07:00", TimeZone: "Europe/Berlin"}
	cases := []struct {
		at    time.Time
		quiet bool
		end   time.Time
	}{
		{berlin(t, 2026, 12, 3, 21, 59), false, time.Time{}},
		{berlin(t, 2026, 12, 3, 22, 0), true, berlin(t, 2026, 12, 4, 7, 0)},
		{berlin(t, 2026, 12, 4, 3, 0), true, berlin(t, 2026, 12, 4, 7, 0)},
		{berlin(t, 2026, 12, 4, 7, 0), false, time.Time{}},
		// The night the clocks go back is an hour longer.
		{berlin(t, 2026, 10, 24, 23, 0), true, berlin(t, 2026, 10, 25, 7, 0)},
	}
	for _, c := range cases {
		q, end, err := InQuiet(r, c.at)
		if err != nil || q != c.quiet || !end.Equal(c.end) {
			t.Errorf("InQuiet(%s) = %v %s %v, want %v %s", c.at, q, end, err, c.quiet, c.end)
		}
	}
	if q, end, _ := InQuiet(r, berlin(t, 2026, 10, 24, 23, 0)); !q || end.Sub(berlin(t, 2026, 10, 24, 23, 0)) != 9*time.Hour {
		t.Errorf("fall-back night: quiet %v for %v, want 9 h", q, end.Sub(berlin(t, 2026, 10, 24, 23, 0)))
	}
}

func TestLedgerExpiredClaimTakenOver(t *testing.T) {
	led, _ := sqliteLedger(t)
	ctx := context.Background()
	t0 := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	c1, ok, err := led.Claim(ctx, "digest/r/d/x", t0)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	// A live claim keeps others off; a dead one (its sender crashed) does not.
	if _, ok, _ := led.Claim(ctx, "digest/r/d/x", t0.Add(time.Minute)); ok {
		t.Fatal("claimed a key held by a live claim")
	}
	c2, ok, err := led.Claim(ctx, "digest/r/d/x", t0.Add(DefaultLease))
	if err != nil || !ok || c2.Attempt != 2 {
		t.Fatalf("expired claim not taken over: %+v %v %v", c2, ok, err)
	}
	if err := led.Finish(ctx, c2, true); err != nil {
		t.Fatal(err)
	}
	// The crashed sender coming back finishing its own attempt changes nothing.
	if err := led.Finish(ctx, c1, false); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := led.Claim(ctx, "digest/r/d/x", t0.Add(time.Hour)); ok {
		t.Error("claimed a key that was sent")
	}
}

// A digest hour inside quiet hours sends the digest without a sound.
func TestDigestInQuietHoursIsSilent(t *testing.T) {
	fake, s, _ := tgScheduler(t, berlin(t, 2026, 12, 3, 6, 0), &digests{})
	r := berlinRule(Target{Kind: TargetTelegram, ChatID: 8})
	r.DigestHour = 6
	if err := s.Tick(context.Background(), []Rule{r}); err != nil {
		t.Fatal(err)
	}
	calls := fake.Calls("sendMessage")
	if len(calls) != 1 || string(calls[0].Params["disable_notification"]) != "true" {
		t.Fatalf("calls %+v", calls)
	}
	if !strings.Contains(fake.Chat(8)[0], "No negative mentions.") {
		t.Errorf("digest: %s", fake.Chat(8)[0])
	}
}

// An alert whose send fails outside quiet hours is tried again at the next
// Tick, and only where it did not arrive.
func TestFailedAlertRetriedAtNextTick(t *testing.T) {
	fake, s, _ := tgScheduler(t, berlin(t, 2026, 12, 3, 12, 0), nil)
	r := berlinRule(Target{Kind: TargetTelegram, ChatID: 1}, Target{Kind: TargetTelegram, ChatID: 2})
	r.What = WhatAlerts
	ctx := context.Background()
	fake.BadGateway("sendMessage", 1) // the first target's send fails
	if err := s.Alert(ctx, r, testAlert("a1", s.Now())); err == nil {
		t.Fatal("a 502 passed as sent")
	}
	if len(fake.Chat(1)) != 0 || len(fake.Chat(2)) != 1 {
		t.Fatalf("after the failure: chat 1 %d, chat 2 %d", len(fake.Chat(1)), len(fake.Chat(2)))
	}
	if err := s.Tick(ctx, []Rule{r}); err != nil {
		t.Fatal(err)
	}
	if len(fake.Chat(1)) != 1 || len(fake.Chat(2)) != 1 {
		t.Fatalf("after the retry: chat 1 %d, chat 2 %d, want 1 each", len(fake.Chat(1)), len(fake.Chat(2)))
	}
	if !strings.Contains(fake.Chat(1)[0], "spike in mentions of Acme <Air>") {
		t.Errorf("retried alert: %s", fake.Chat(1)[0])
	}
}

// TestHeldAlertsSurviveARestart: alerts held in quiet hours are kept in the
// settings table (SettingsHolds over a real SQLite store), so a scheduler
// started after a restart, which was never told of them, releases them as
// one message when the quiet hours end, once, and the kept row is emptied.
// An alert held while another instance's release is under way stays held.
func TestHeldAlertsSurviveARestart(t *testing.T) {
	fake, cl, _ := tgFake(t)
	led, st := sqliteLedger(t)
	holds := SettingsHolds{Store: st}
	clk := &testClock{t: berlin(t, 2026, 12, 3, 23, 10)}
	r := berlinRule(Target{Kind: TargetTelegram, ChatID: 9})
	r.What = WhatAlerts
	ctx := context.Background()
	before := &Scheduler{Now: clk.Now, Ledger: led, Telegram: cl, Holds: holds}
	for i, id := range []string{"a1", "a2"} {
		clk.Set(berlin(t, 2026, 12, 3, 23, 10).Add(time.Duration(i) * 2 * time.Hour))
		if err := before.Alert(ctx, r, testAlert(id, clk.Now())); err != nil {
			t.Fatal(err)
		}
	}
	if err := before.Alert(ctx, r, testAlert("a2", clk.Now())); err != nil { // fed twice, held once
		t.Fatal(err)
	}
	kept, err := holds.Load(ctx)
	if err != nil || len(kept["r1"]) != 2 {
		t.Fatalf("held alerts kept: %+v, %v", kept, err)
	}

	// The app restarts at 03:00: a new scheduler, in quiet hours still.
	after := &Scheduler{Now: clk.Now, Ledger: led, Telegram: cl, Holds: holds}
	clk.Set(berlin(t, 2026, 12, 4, 3, 0))
	if err := after.Tick(ctx, []Rule{r}); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Sent()); n != 0 {
		t.Fatalf("%d messages in quiet hours", n)
	}
	clk.Set(berlin(t, 2026, 12, 4, 7, 0))
	if err := after.Tick(ctx, []Rule{r}); err != nil {
		t.Fatal(err)
	}
	chat := fake.Chat(9)
	if len(chat) != 1 || !strings.Contains(chat[0], "2 alerts during quiet hours") {
		t.Fatalf("chat after the restart's release: %q", chat)
	}
	if kept, err := holds.Load(ctx); err != nil || len(kept) != 0 {
		t.Fatalf("held alerts left after the release: %+v, %v", kept, err)
	}
	// The old instance, still running with its memory, releases nothing twice.
	if err := before.Tick(ctx, []Rule{r}); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Chat(9)); n != 1 {
		t.Errorf("%d messages after the other instance's tick, want 1", n)
	}

	// Release removes only the alerts sent: one held meanwhile stays.
	if err := holds.Hold(ctx, "r1", testAlert("b1", clk.Now())); err != nil {
		t.Fatal(err)
	}
	if err := holds.Hold(ctx, "r1", testAlert("b2", clk.Now())); err != nil {
		t.Fatal(err)
	}
	if err := holds.Release(ctx, "r1", []string{"b1"}); err != nil {
		t.Fatal(err)
	}
	if kept, err := holds.Load(ctx); err != nil || len(kept["r1"]) != 1 || kept["r1"][0].ID != "b2" || !kept["r1"][0].At.Equal(clk.Now()) {
		t.Fatalf("after releasing b1: %+v, %v", kept, err)
	}
}
