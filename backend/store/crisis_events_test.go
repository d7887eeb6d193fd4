package store

import (
	"context"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

func TestCrisisTimelineRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	acc := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	other := mustAccount(t, s, "other", inbox.ChannelTelegram)
	at := t0.Add(time.Hour)
	// Inserted out of order: the timeline must come back by time.
	events := []CrisisEvent{
		{AccountID: acc.ID, At: at.Add(2 * time.Minute), Kind: CrisisReply, Text: "reply queued", Ref: "r1"},
		{AccountID: acc.ID, At: at, Kind: CrisisOpened, Text: "anna"},
		{AccountID: acc.ID, At: at.Add(time.Minute), Kind: CrisisAlert, Text: "12 negatives"},
		{AccountID: acc.ID, At: at.Add(-time.Hour), Kind: CrisisNote, Text: "before the window"},
		{AccountID: other.ID, At: at, Kind: CrisisOpened},
	}
	for _, e := range events {
		if _, err := s.AddCrisisEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.CrisisTimeline(ctx, acc.ID, at)
	if err != nil {
		t.Fatal(err)
	}
	want := []CrisisEventKind{CrisisOpened, CrisisAlert, CrisisReply}
	if len(got) != len(want) {
		t.Fatalf("timeline = %+v", got)
	}
	for i, k := range want {
		if got[i].Kind != k || got[i].AccountID != acc.ID {
			t.Errorf("entry %d = %+v, want kind %s", i, got[i], k)
		}
	}
	if got[2].Ref != "r1" || !got[0].At.Equal(at) || got[0].Text != "anna" {
		t.Errorf("fields lost: %+v", got)
	}
	if _, err := s.AddCrisisEvent(ctx, CrisisEvent{AccountID: acc.ID, Kind: "bogus"}); err == nil {
		t.Error("unknown kind accepted")
	}
}

func TestHourlyVolumeAndCrisisSince(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	acc := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	if _, on, err := s.CrisisSince(ctx, acc.ID); err != nil || on {
		t.Fatalf("CrisisSince before = %v, %v", on, err)
	}
	neg := item("1", "a", inbox.DirectionIn, 5, "terrible")
	neg.Sentiment = inbox.SentimentNegative
	items := []inbox.Item{neg, item("2", "b", inbox.DirectionIn, 10, "hello"), item("3", "a", inbox.DirectionOut, 20, "sorry"),
		item("4", "c", inbox.DirectionIn, 130, "later")}
	if _, err := s.SaveItems(ctx, acc.ID, items); err != nil {
		t.Fatal(err)
	}
	bins, err := s.HourlyVolume(ctx, acc.ID, t0, t0.Add(3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := []VolumeBin{{t0, 2, 1}, {t0.Add(time.Hour), 0, 0}, {t0.Add(2 * time.Hour), 1, 0}}
	if len(bins) != len(want) {
		t.Fatalf("bins = %+v", bins)
	}
	for i := range want {
		if !bins[i].Hour.Equal(want[i].Hour) || bins[i].Inbound != want[i].Inbound || bins[i].Negative != want[i].Negative {
			t.Errorf("bin %d = %+v, want %+v", i, bins[i], want[i])
		}
	}
	if err := s.SetCrisis(ctx, acc.ID, true); err != nil {
		t.Fatal(err)
	}
	if since, on, err := s.CrisisSince(ctx, acc.ID); err != nil || !on || !since.Equal(testNow.Truncate(time.Millisecond)) {
		t.Errorf("CrisisSince = %v %v %v", since, on, err)
	}
	conv, ok, err := s.ConversationOfMessage(ctx, "acme-tg", neg.SentAt, "terrible")
	if err != nil || !ok {
		t.Fatalf("ConversationOfMessage = %v %v", ok, err)
	}
	msgs, _ := s.Thread(ctx, conv)
	if len(msgs) != 2 || msgs[0].Text != "terrible" {
		t.Errorf("mapped to conversation with %+v", msgs)
	}
	if _, ok, _ := s.ConversationOfMessage(ctx, "acme-tg", neg.SentAt, "other text"); ok {
		t.Error("matched a text that is not stored")
	}
	tgt, err := s.ModerationTarget(ctx, msgs[0].ID)
	if err != nil || tgt.Sentiment != inbox.SentimentNegative || tgt.ExternalID != "1" || tgt.ConversationID != conv || tgt.ThreadKey != "a" {
		t.Errorf("ModerationTarget = %+v, %v", tgt, err)
	}
}

func TestLastInbound(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	acc := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	other := mustAccount(t, s, "acme-mail", inbox.ChannelMail)
	if _, ok, err := s.LastInbound(ctx, "acme-tg"); err != nil || ok {
		t.Fatalf("LastInbound without messages = %v, %v; want none", ok, err)
	}
	batches := [][]inbox.Item{
		{item("1", "a", inbox.DirectionIn, 5, "hello"), item("2", "b", inbox.DirectionIn, 40, "newest inbound")},
		// A reply after it, and an older message stored later, change nothing.
		{item("3", "a", inbox.DirectionOut, 90, "reply"), item("4", "c", inbox.DirectionIn, 20, "older, stored later")},
	}
	for _, b := range batches {
		if _, err := s.SaveItems(ctx, acc.ID, b); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SaveItems(ctx, other.ID, []inbox.Item{item("9", "z", inbox.DirectionIn, 300, "another account")}); err != nil {
		t.Fatal(err)
	}
	last, ok, err := s.LastInbound(ctx, "acme-tg")
	if want := t0.Add(40 * time.Minute); err != nil || !ok || !last.Equal(want) {
		t.Errorf("LastInbound = %v, %v, %v; want %v", last, ok, err, want)
	}
	if _, ok, err := s.LastInbound(ctx, "nobody"); err != nil || ok {
		t.Errorf("LastInbound of an unknown account = %v, %v; want none", ok, err)
	}
}
