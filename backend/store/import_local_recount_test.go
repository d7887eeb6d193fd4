package store

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
)

// recountOpen opens a store at dsn on the tests' clock, whatever engine the
// package runs on: the moving-in tests always read SQLite into PostgreSQL.
func recountOpen(t *testing.T, dsn string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.now = func() time.Time { return testNow }
	return s
}

// convColumns is every column the save batch keeps about a conversation's
// messages, and its SLA state.
type convColumns struct {
	Status, Snippet, Sentiment, SLAState, SLAPolicy string
	Count, Negative                                 int
	First, Last                                     int64
	LastIn, LastOut, Waiting, SentimentAt, History  *int64
	Due, Warn                                       *int64
}

func readConvColumns(t *testing.T, s *Store, account, thread string) convColumns {
	t.Helper()
	var c convColumns
	err := s.db.QueryRowContext(context.Background(), `
		SELECT c.status, c.snippet, c.sentiment, c.sla_state, c.sla_policy, c.message_count, c.negative_count,
			c.first_message_at, c.last_message_at, c.last_in_at, c.last_out_at, c.waiting_since, c.sentiment_at,
			c.history_until, c.sla_due_at, c.sla_warn_at
		FROM conversations c JOIN accounts a ON a.id = c.account_id WHERE a.name = ? AND c.thread_key = ?`, account, thread).Scan(
		&c.Status, &c.Snippet, &c.Sentiment, &c.SLAState, &c.SLAPolicy, &c.Count, &c.Negative, &c.First, &c.Last,
		&c.LastIn, &c.LastOut, &c.Waiting, &c.SentimentAt, &c.History, &c.Due, &c.Warn)
	if err != nil {
		t.Fatalf("conversation %s/%s: %v", account, thread, err)
	}
	return c
}

// queryInt reads one integer.
func queryInt(t *testing.T, s *Store, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := s.db.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func accountMessages(t *testing.T, s *Store, name string) int64 {
	return queryInt(t, s, `SELECT message_count FROM accounts WHERE name = ?`, name)
}

// TestImportLocalRecountsMergedConversations: the server synced a thread
// before the desktop moved in, and the desktop holds messages of it the
// server lacks (an older first message, a newer complaint). After the move
// the thread's counters, times, waiting clock, sentiment, snippet and SLA
// state are those of a store that saved every message itself, and so is the
// account's message count; a second run recounts nothing. The desktop's
// last bulk action can still be undone on the server.
func TestImportLocalRecountsMergedConversations(t *testing.T) {
	pgtest.Require(t)
	ctx := context.Background()
	author := inbox.Author{ExternalID: "alice@example.com", DisplayName: "Alice"}
	msg := func(id, thread string, dir inbox.Direction, ago time.Duration, text string, sent inbox.Sentiment) inbox.Item {
		return inbox.Item{ExternalID: id, ThreadKey: thread, Kind: inbox.KindMail, Direction: dir, Subject: "Parcel",
			Author: author, Text: text, SentAt: testNow.Add(-ago), Sentiment: sent}
	}
	var (
		in0  = msg("in-0", "t1", inbox.DirectionIn, 6*time.Hour, "Where is my parcel?", inbox.SentimentNeutral)
		in1  = msg("in-1", "t1", inbox.DirectionIn, 5*time.Hour, "Any news on my parcel?", inbox.SentimentNeutral)
		out1 = msg("out-1", "t1", inbox.DirectionOut, 4*time.Hour, "It ships tomorrow.", "")
		in2  = msg("in-2", "t1", inbox.DirectionIn, 2*time.Hour, "Still nothing. This is terrible service.", inbox.SentimentNegative)
		d1   = msg("d-1", "t2", inbox.DirectionIn, 3*time.Hour, "Invoice please", inbox.SentimentNeutral)
		s1   = msg("s-1", "t3", inbox.DirectionIn, time.Hour, "Hello from the server", inbox.SentimentPositive)
	)
	save := func(s *Store, items ...inbox.Item) {
		t.Helper()
		acc, err := s.EnsureAccount(ctx, inbox.Account{Name: "shop", Channel: inbox.ChannelImport, Brand: "Acme"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveItems(ctx, acc.ID, items); err != nil {
			t.Fatal(err)
		}
	}
	src := recountOpen(t, filepath.Join(t.TempDir(), "stormdesk.db"))
	save(src, in0, in1, out1, in2, d1)
	dst := recountOpen(t, pgtest.NewDatabase(t))
	save(dst, in1, out1, s1) // synced by the server before the move
	want := recountOpen(t, pgtest.NewDatabase(t))
	save(want, in0, in1, out1, in2, d1, s1)

	// The desktop's last bulk action: t2 closed and tagged.
	t2, err := src.ConversationIDByThreadKey(ctx, mustAccountID(t, src, "shop"), "t2")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.ApplyTriage(ctx, []int64{t2}, Triage{Status: inbox.StatusClosed, AddTags: []string{"billing"}}, "anna"); err != nil {
		t.Fatal(err)
	}
	if _, err := want.ApplyTriage(ctx, []int64{mustConv(t, want, "t2")}, Triage{Status: inbox.StatusClosed, AddTags: []string{"billing"}}, "anna"); err != nil {
		t.Fatal(err)
	}

	res, err := dst.ImportLocal(ctx, src, ImportLocalOptions{Batch: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Recounted != 1 {
		t.Errorf("recounted %d conversations; want 1 (t1)", res.Recounted)
	}
	for _, thread := range []string{"t1", "t2", "t3"} {
		got, exp := readConvColumns(t, dst, "shop", thread), readConvColumns(t, want, "shop", thread)
		if !reflect.DeepEqual(got, exp) {
			t.Errorf("%s after the move:\n got %+v\nwant %+v", thread, got, exp)
		}
	}
	if c := readConvColumns(t, dst, "shop", "t1"); c.Count != 4 || c.Negative != 1 || c.Waiting == nil || c.Due == nil {
		t.Errorf("t1 = %+v; want 4 messages, 1 negative, waiting since the complaint, a deadline", c)
	}
	if got, exp := accountMessages(t, dst, "shop"), accountMessages(t, want, "shop"); got != exp || got != 6 {
		t.Errorf("account message count %d; want %d (6)", got, exp)
	}

	again, err := dst.ImportLocal(ctx, src, ImportLocalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Recounted != 0 {
		t.Errorf("second run recounted %d conversations; want 0", again.Recounted)
	}

	// The copied undo entry names the server's conversation.
	if n := queryInt(t, dst, `SELECT count(*) FROM triage_undo`); n != 1 {
		t.Fatalf("%d undo entries on the server; want the desktop's one", n)
	}
	ids, err := dst.Undo(ctx, queryInt(t, dst, `SELECT id FROM triage_undo`), "anna")
	if err != nil || len(ids) != 1 || ids[0] != mustConv(t, dst, "t2") {
		t.Fatalf("Undo on the server = %v, %v; want t2", ids, err)
	}
	c, err := dst.ConversationByID(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != inbox.StatusOpen || len(c.Tags) != 0 {
		t.Errorf("t2 after undo: status %s tags %v; want open, untagged", c.Status, c.Tags)
	}
}

func mustAccountID(t *testing.T, s *Store, name string) int64 {
	return queryInt(t, s, `SELECT id FROM accounts WHERE name = ?`, name)
}

func mustConv(t *testing.T, s *Store, thread string) int64 {
	t.Helper()
	id, err := s.ConversationIDByThreadKey(context.Background(), mustAccountID(t, s, "shop"), thread)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
