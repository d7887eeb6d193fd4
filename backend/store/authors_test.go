package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/moderation"
)

// byAnna is an inbound item written by the same author whatever its thread.
func byAnna(ext, thread string, minutes int, text string, s inbox.Sentiment) inbox.Item {
	it := item(ext, thread, inbox.DirectionIn, minutes, text)
	it.Author = inbox.Author{ExternalID: "anna", Handle: "@anna", DisplayName: "Anna", Reach: 12_000}
	it.Sentiment = s
	return it
}

// withAnna opens a store with one Telegram account where Anna wrote once, in thread t1.
func withAnna(t *testing.T) (*Store, inbox.Account, inbox.Author) {
	t.Helper()
	s := openTest(t)
	acc := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	mustSave(t, s, acc.ID, byAnna("1", "t1", 0, "hello", inbox.SentimentNeutral))
	return s, acc, convByThread(t, s, "t1").Author
}

func TestAuthorProfileHistory(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	b := mustAccount(t, s, "acme-de-tg", inbox.ChannelTelegram)
	mustSave(t, s, a.ID,
		byAnna("1", "t1", 0, "hello", inbox.SentimentNeutral),
		item("2", "t1", inbox.DirectionOut, 5, "hi Anna"),
		byAnna("3", "t1", 10, "still broken", inbox.SentimentNegative),
		byAnna("4", "t2", 30, "refund?", inbox.SentimentNegative),
		item("5", "other", inbox.DirectionIn, 40, "someone else"))
	mustSave(t, s, b.ID, byAnna("6", "t3", 20, "danke", inbox.SentimentPositive))
	anna := convByThread(t, s, "t1").Author

	p, err := s.AuthorProfile(ctx, anna.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	if p.Author.Handle != "@anna" || p.Author.Reach != 12_000 || p.Author.Channel != inbox.ChannelTelegram {
		t.Errorf("author = %+v", p.Author)
	}
	// Newest first, limited; the totals still cover all three.
	if len(p.Conversations) != 2 || p.Conversations[0].Snippet != "refund?" || p.Conversations[1].Account != "acme-de-tg" {
		t.Fatalf("history = %+v", p.Conversations)
	}
	if c := p.Conversations[0]; c.Account != "acme-tg" || c.Brand != "Acme" || c.MessageCount != 1 ||
		c.Sentiment != inbox.SentimentNegative || !c.LastMessageAt.Equal(t0.Add(30*time.Minute)) || c.Status != inbox.StatusOpen {
		t.Errorf("newest = %+v", c)
	}
	want := AuthorTotals{Conversations: 3, Messages: 4, Negative: 2, NegativeShare: 0.5}
	got := p.Totals
	if got.Conversations != want.Conversations || got.Messages != want.Messages || got.Negative != want.Negative ||
		got.NegativeShare != want.NegativeShare {
		t.Errorf("totals = %+v, want %+v (the brand's reply is not Anna's)", got, want)
	}
	if got.FirstSeen == nil || !got.FirstSeen.Equal(t0) || got.LastSeen == nil || !got.LastSeen.Equal(t0.Add(30*time.Minute)) {
		t.Errorf("first/last seen = %v / %v", got.FirstSeen, got.LastSeen)
	}
	if p.Standing.State != moderation.StateNone || len(p.Record) != 0 {
		t.Errorf("clean author: %+v %+v", p.Standing, p.Record)
	}
	if all, err := s.AuthorProfile(ctx, anna.ID, 0); err != nil || len(all.Conversations) != 3 {
		t.Errorf("default limit: %d conversations, %v", len(all.Conversations), err)
	}
	if _, err := s.AuthorProfile(ctx, 9999, 10); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown author: %v", err)
	}
}

func TestModerationRecordAndStanding(t *testing.T) {
	ctx := context.Background()
	s, acc, anna := withAnna(t)
	clock := testNow
	s.now = func() time.Time { return clock }

	w, err := s.AddModeration(ctx, moderation.Entry{AuthorID: anna.ID, AccountID: acc.ID, Kind: moderation.KindWarning, Reason: " rude ", By: "olga"})
	if err != nil || w.ID == 0 || !w.At.Equal(clock) {
		t.Fatalf("warning = %+v, %v", w, err)
	}
	until := clock.Add(24 * time.Hour)
	if _, err := s.AddModeration(ctx, moderation.Entry{AuthorID: anna.ID, Kind: moderation.KindBlock, Reason: "spam", Until: &until, By: "olga",
		At: clock.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Hour)
	p, err := s.AuthorProfile(ctx, anna.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Record) != 2 || p.Record[0].Kind != moderation.KindBlock || p.Record[1].Reason != "rude" ||
		p.Record[1].AccountID != acc.ID || p.Record[0].AccountID != 0 || p.Record[1].By != "olga" {
		t.Fatalf("record = %+v", p.Record)
	}
	if p.Standing.State != moderation.StateBlocked || p.Standing.Until == nil || !p.Standing.Until.Equal(until) {
		t.Errorf("standing while blocked = %+v", p.Standing)
	}
	clock = until
	if p, _ = s.AuthorProfile(ctx, anna.ID, 10); p.Standing.State != moderation.StateWarned || p.Standing.Blocks != 1 {
		t.Errorf("standing after the block ended = %+v", p.Standing)
	}

	bad := []moderation.Entry{
		{AuthorID: anna.ID, Kind: "mute"},
		{AuthorID: anna.ID, Kind: moderation.KindBlock, Reason: "no end"},
		{AuthorID: anna.ID, Kind: moderation.KindBan, Reason: "x", Until: &until},
	}
	for _, e := range bad {
		if _, err := s.AddModeration(ctx, e); err == nil {
			t.Errorf("AddModeration(%+v) accepted", e)
		}
	}
	if _, err := s.AddModeration(ctx, moderation.Entry{AuthorID: 9999, Kind: moderation.KindWarning}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown author: %v", err)
	}
	if rec, err := s.ModerationRecord(ctx, anna.ID); err != nil || len(rec) != 2 {
		t.Errorf("rejected entries changed the record: %+v, %v", rec, err)
	}
}

// TestBlockedAuthorStillStored: the ladder is a record, not a filter; a banned
// author's new messages are stored and counted like anyone's.
func TestBlockedAuthorStillStored(t *testing.T) {
	ctx := context.Background()
	s, acc, anna := withAnna(t)
	if _, err := s.AddModeration(ctx, moderation.Entry{AuthorID: anna.ID, Kind: moderation.KindBan, Reason: "abuse"}); err != nil {
		t.Fatal(err)
	}
	res := mustSave(t, s, acc.ID, byAnna("2", "t1", 50, "you banned me?", inbox.SentimentNegative))
	if res.Inserted != 1 {
		t.Fatalf("save after ban: %+v", res)
	}
	p, err := s.AuthorProfile(ctx, anna.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if p.Totals.Messages != 2 || p.Conversations[0].Snippet != "you banned me?" || p.Standing.State != moderation.StateBanned {
		t.Errorf("after ban: totals %+v, history %+v, standing %+v", p.Totals, p.Conversations, p.Standing)
	}
}

func TestAuthorNotesAndVIP(t *testing.T) {
	ctx := context.Background()
	s, acc, anna := withAnna(t)
	if err := s.SetAuthorNotes(ctx, anna.ID, "  prefers German \n"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetAuthorVIP(ctx, anna.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetAuthorNotes(ctx, anna.ID, strings.Repeat("x", MaxAuthorNotes+1)); err == nil {
		t.Error("notes over the limit accepted")
	}
	p, err := s.AuthorProfile(ctx, anna.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if p.Author.Notes != "prefers German" || !p.Author.VIP {
		t.Errorf("author = %+v", p.Author)
	}
	// Ingest updates the profile's handle and reach, never the team's notes or flag.
	later := byAnna("2", "t1", 60, "again", inbox.SentimentNeutral)
	later.Author.Reach = 15_000
	mustSave(t, s, acc.ID, later)
	if p, _ = s.AuthorProfile(ctx, anna.ID, 10); p.Author.Notes != "prefers German" || !p.Author.VIP || p.Author.Reach != 15_000 {
		t.Errorf("after ingest: %+v", p.Author)
	}
	if err := s.SetAuthorNotes(ctx, 9999, "x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown author: %v", err)
	}
}

// TestStandingOnTheAuthorRow: bans and running blocks reach the author every
// list row carries (schema v10), follow each step, and are rebuilt by the
// migration's backfill from the record alone.
func TestStandingOnTheAuthorRow(t *testing.T) {
	ctx := context.Background()
	s, _, anna := withAnna(t)
	at := testNow
	until := at.Add(24 * time.Hour)
	steps := []struct {
		e          moderation.Entry
		banned     bool
		blockedTil *time.Time
	}{
		{moderation.Entry{Kind: moderation.KindWarning, Reason: "rude"}, false, nil},
		{moderation.Entry{Kind: moderation.KindBlock, Reason: "spam", Until: &until}, false, &until},
		{moderation.Entry{Kind: moderation.KindBan, Reason: "threats"}, true, nil},
		{moderation.Entry{Kind: moderation.KindLift, Reason: "apologised"}, false, nil},
	}
	for i, st := range steps {
		st.e.AuthorID, st.e.At = anna.ID, at.Add(time.Duration(i)*time.Minute)
		if _, err := s.AddModeration(ctx, st.e); err != nil {
			t.Fatal(err)
		}
		a := convByThread(t, s, "t1").Author
		if a.Banned != st.banned || (a.BlockedUntil == nil) != (st.blockedTil == nil) ||
			(a.BlockedUntil != nil && !a.BlockedUntil.Equal(*st.blockedTil)) {
			t.Fatalf("after %s: banned %v, blocked until %v; want %v, %v", st.e.Kind, a.Banned, a.BlockedUntil, st.banned, st.blockedTil)
		}
	}

	// A ban written before schema v10 is folded in by the backfill.
	if _, err := s.AddModeration(ctx, moderation.Entry{AuthorID: anna.ID, Kind: moderation.KindBan, Reason: "again", At: at.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE authors SET banned = 0, blocked_until = NULL`); err != nil {
		t.Fatal(err)
	}
	if err := backfillStanding(ctx, s.db); err != nil {
		t.Fatal(err)
	}
	if a := convByThread(t, s, "t1").Author; !a.Banned {
		t.Errorf("backfill lost the ban: %+v", a)
	}
}
