package store

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// historyUntil reads a conversation's history mark.
func historyUntil(t *testing.T, s *Store, thread string) sql.NullInt64 {
	t.Helper()
	var v sql.NullInt64
	if err := s.db.QueryRow(`SELECT history_until FROM conversations WHERE thread_key = ?`, thread).Scan(&v); err != nil {
		t.Fatalf("history of %s: %v", thread, err)
	}
	return v
}

// TestSaveItemsMarksHistory: messages older than the horizon when they are
// stored start no clock; recent ones do, also in a thread that has history;
// AsHistory makes a whole batch history.
func TestSaveItemsMarksHistory(t *testing.T) {
	s := openTest(t)
	a := mustAccount(t, s, "acme", inbox.ChannelTelegram)
	const day = 24 * 60
	mustSave(t, s, a.ID,
		item("old", "old", inbox.DirectionIn, -8*day, "last week's complaint"),
		item("recent", "recent", inbox.DirectionIn, -6*day, "within the horizon"),
		item("mixed-old", "mixed", inbox.DirectionIn, -30*day, "a month ago"),
		item("mixed-old-reply", "mixed", inbox.DirectionOut, -30*day+5, "answered then"))
	if c := convByThread(t, s, "old"); c.SLAState != "historical" || c.SLADueAt != nil {
		t.Fatalf("old message: state %q due %v, want historical without deadline", c.SLAState, c.SLADueAt)
	}
	if c := convByThread(t, s, "recent"); c.SLAState != "breached" || c.SLADueAt == nil {
		t.Fatalf("recent message: state %q due %v, want a breached clock", c.SLAState, c.SLADueAt)
	}
	if h := historyUntil(t, s, "recent"); h.Valid {
		t.Fatalf("recent conversation marked history until %d", h.Int64)
	}
	// The customer writes again today: a clock starts, the history mark stays.
	mustSave(t, s, a.ID, item("mixed-new", "mixed", inbox.DirectionIn, 100, "still broken"))
	c := convByThread(t, s, "mixed")
	if c.SLAState == "historical" || c.SLADueAt == nil || c.SLADueAt.Before(t0.Add(100*time.Minute)) {
		t.Fatalf("new message after history: state %q due %v, want a clock from %s", c.SLAState, c.SLADueAt, t0.Add(100*time.Minute))
	}
	if h := historyUntil(t, s, "mixed"); !h.Valid || h.Int64 != ms(t0.Add((-30*day+5)*time.Minute)) {
		t.Fatalf("history mark %v, want the old reply's time", h)
	}

	if _, err := s.SaveItems(AsHistory(context.Background()), a.ID,
		[]inbox.Item{item("forced", "forced", inbox.DirectionIn, 100, "imported with --historical")}); err != nil {
		t.Fatal(err)
	}
	if c := convByThread(t, s, "forced"); c.SLAState != "historical" {
		t.Fatalf("forced history: state %q", c.SLAState)
	}
}

// TestAsLiveKeepsOldMessagesOnTheClock: under AsLive (the demo) a message
// older than the horizon arrived in time, so it starts a clock and breaches;
// AsHistory still wins when both are asked for.
func TestAsLiveKeepsOldMessagesOnTheClock(t *testing.T) {
	s := openTest(t)
	a := mustAccount(t, s, "acme", inbox.ChannelTelegram)
	const day = 24 * 60
	live := AsLive(context.Background())
	if _, err := s.SaveItems(live, a.ID, []inbox.Item{item("old", "old", inbox.DirectionIn, -9*day, "nine days unanswered")}); err != nil {
		t.Fatal(err)
	}
	if c := convByThread(t, s, "old"); c.SLAState == "historical" || c.SLADueAt == nil {
		t.Fatalf("live old message: state %q due %v, want a running clock", c.SLAState, c.SLADueAt)
	}
	if h := historyUntil(t, s, "old"); h.Valid {
		t.Errorf("live old message has a history mark %v", h)
	}
	if _, err := s.SaveItems(AsHistory(live), a.ID, []inbox.Item{item("forced", "forced", inbox.DirectionIn, -1, "forced history")}); err != nil {
		t.Fatal(err)
	}
	if c := convByThread(t, s, "forced"); c.SLAState != "historical" {
		t.Errorf("AsHistory under AsLive: state %q, want historical", c.SLAState)
	}
}

// TestMarkPastHistory: a database written before history marks holds an
// import of old messages with deadlines years overdue; the migration's fill
// and the recompute that follows it make them history, and leave a
// conversation that arrived in time alone.
func TestMarkPastHistory(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustAccount(t, s, "tweets", inbox.ChannelImport)
	mustSave(t, s, a.ID, item("live", "live", inbox.DirectionIn, -60, "an hour ago"))
	if _, err := s.db.Exec(`UPDATE accounts SET created_at = ?`, ms(t0.Add(-24*time.Hour))); err != nil {
		t.Fatal(err)
	}
	old := time.Date(2015, 2, 24, 11, 35, 0, 0, time.UTC)
	it := item("2015", "2015", inbox.DirectionIn, 0, "@united where is my bag")
	it.SentAt = old
	mustSave(t, s, a.ID, it)
	// As older versions left it: no mark, a clock that broke in 2015.
	if _, err := s.db.Exec(`UPDATE conversations SET history_until = NULL`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecomputeSLA(ctx, testNow); err != nil {
		t.Fatal(err)
	}
	if c := convByThread(t, s, "2015"); c.SLAState != "breached" {
		t.Fatalf("unmarked 2015 message: state %q, want breached (the bug being repaired)", c.SLAState)
	}

	if err := markPastHistory(ctx, s.db, testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecomputeSLA(ctx, testNow); err != nil {
		t.Fatal(err)
	}
	if c := convByThread(t, s, "2015"); c.SLAState != "historical" || c.SLADueAt != nil {
		t.Fatalf("after the repair: state %q due %v, want historical", c.SLAState, c.SLADueAt)
	}
	if h := historyUntil(t, s, "2015"); !h.Valid || h.Int64 != ms(old) {
		t.Fatalf("history mark %v, want %d", h, ms(old))
	}
	if c := convByThread(t, s, "live"); c.SLAState == "historical" || c.SLADueAt == nil {
		t.Fatalf("a conversation that arrived in time became history: %+v", c)
	}
}
