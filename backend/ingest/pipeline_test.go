package ingest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // the "sqlite3" driver, to write rows as an old version did

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/textsearch"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestPipelineBatchesAndDedupes writes more items than one batch across two
// accounts, with duplicates inside and across batches and a few rejects, then
// writes everything again: the second run must store nothing.
func TestPipelineBatchesAndDedupes(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	p := New(st, nil).WithBatchSize(7).WithClock(func() time.Time { return testNow })
	acme := inbox.Account{Channel: inbox.ChannelImport, Name: "acme", Brand: "Acme"}
	beta := inbox.Account{Channel: inbox.ChannelVK, Name: "beta", Brand: "Beta"}

	run := func() Result {
		w := p.NewWriter()
		for i := range 40 {
			a := acme
			if i%3 == 0 {
				a = beta
			}
			it := inbox.Item{ExternalID: fmt.Sprint(i % 30), ThreadKey: fmt.Sprint("t", i%10), Text: fmt.Sprint("message ", i), SentAt: testNow.Add(-time.Duration(i) * time.Minute)}
			if i == 5 || i == 6 {
				it.ExternalID = " " // rejected: no id (a missing time is repaired, not rejected)
			}
			if err := w.Add(ctx, a, it); err != nil {
				t.Fatal(err)
			}
		}
		res, err := w.Close(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	first := run()
	if first.Received != 40 || len(first.Rejections) != 2 {
		t.Fatalf("first run: %+v", first)
	}
	if first.Inserted+first.Duplicates != 38 {
		t.Fatalf("first run inserted %d + duplicates %d, want 38 in all", first.Inserted, first.Duplicates)
	}
	stats, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Messages != int64(first.Inserted) {
		t.Fatalf("store has %d messages, pipeline says %d inserted", stats.Messages, first.Inserted)
	}
	for _, r := range first.Rejections {
		if !strings.Contains(r.Reason, "no external id") {
			t.Errorf("rejection reason %q", r.Reason)
		}
	}

	second := run()
	if second.Inserted != 0 || second.Conversations != 0 || second.Duplicates != 38 {
		t.Fatalf("second run changed the store: %+v", second)
	}
	again, _ := st.Stats(ctx)
	if again.Messages != stats.Messages || again.Conversations != stats.Conversations {
		t.Fatalf("stats changed: %+v -> %+v", stats, again)
	}
}

func TestPipelineCancelled(t *testing.T) {
	st := openStore(t)
	p := New(st, nil).WithBatchSize(2).WithClock(func() time.Time { return testNow })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := p.Ingest(ctx, inbox.Account{Channel: inbox.ChannelImport, Name: "a"}, []inbox.Item{item("1", "a"), item("2", "b")})
	if err == nil {
		t.Fatal("want an error from a cancelled context")
	}
}

// TestBadDatesNeverBreakAScreen stores messages with dates JSON cannot carry
// through both ways they reach a database: the pipeline (year 0, year 10000,
// year 3000) and raw rows as an older Stormdesk or another program left them
// (negative and huge sent_at, deadlines past year 9999). Every inbox view in
// both orders, page by page, a search matching them and their threads must
// then load and marshal to JSON, with the odd rows marked.
func TestBadDatesNeverBreakAScreen(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	// The store's clock too: a message older than the SLA history horizon when stored is history.
	st.SetClock(func() time.Time { return testNow })
	received := testNow.Add(-5 * time.Minute)
	p := New(st, nil).WithClock(func() time.Time { return testNow })
	acc := inbox.Account{Channel: inbox.ChannelMail, Name: "acme-mail", Brand: "Acme"}
	items := []inbox.Item{
		{ExternalID: "y0", Text: "zeitreise year zero", SentAt: time.Date(0, 1, 1, 0, 0, 0, 0, time.FixedZone("CET", 3600)), ReceivedAt: received},
		{ExternalID: "y10000", Text: "zeitreise far future", SentAt: time.Date(10000, 6, 1, 0, 0, 0, 0, time.UTC)},
		{ExternalID: "y3000", Text: "zeitreise claimed", SentAt: time.Date(3000, 1, 2, 3, 4, 5, 0, time.UTC), ReceivedAt: received},
		{ExternalID: "fine", Text: "zeitreise ordinary", SentAt: testNow.Add(-time.Hour), Sentiment: inbox.SentimentNegative},
	}
	res, err := p.Ingest(ctx, acc, items)
	if err != nil || res.Inserted != len(items) || len(res.Rejections) != 0 {
		t.Fatalf("ingest: %+v, %v", res, err)
	}

	// The SLA clock and the inbox order run on the receipt time, not the claim.
	stored, err := st.EnsureAccount(ctx, acc)
	if err != nil {
		t.Fatal(err)
	}
	id, err := st.ConversationIDByThreadKey(ctx, stored.ID, "y3000")
	if err != nil {
		t.Fatal(err)
	}
	conv, err := st.ConversationByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !conv.LastMessageAt.Equal(received) || conv.SLADueAt == nil || !conv.SLADueAt.After(received) || conv.SLADueAt.Year() != received.Year() {
		t.Fatalf("conversation of a replaced date: last %v, due %v; want both from %v", conv.LastMessageAt, conv.SLADueAt, received)
	}

	// Rows as an old database holds them: written before dates were bounded.
	raw, err := sql.Open("sqlite3", st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	const year10k = int64(253402300800000 + 86400000) // 10000-01-02
	const yearMinus1 = int64(-62198755200000)         // -0001-01-01
	stmts := []string{
		`INSERT INTO accounts (id, channel, name, created_at) VALUES (90, 'telegram', 'old-bot', -5)`,
		fmt.Sprintf(`INSERT INTO conversations (id, account_id, channel, thread_key, kind, status, assignee, sentiment,
			first_message_at, last_message_at, last_in_at, waiting_since, sla_due_at, sla_key, sla_warn_at, sla_state)
			VALUES (901, 90, 'telegram', 'chat-1', 'dm', 'open', '', 'negative', %[1]d, %[2]d, %[2]d, %[1]d, %[2]d, %[2]d, %[2]d, 'ok')`, yearMinus1, year10k),
		fmt.Sprintf(`INSERT INTO conversations (id, account_id, channel, thread_key, kind, status, assignee,
			first_message_at, last_message_at, sla_due_at, sla_key)
			VALUES (902, 90, 'telegram', 'chat-2', 'dm', 'pending', 'anna', -1, -1, %[1]d, %[1]d)`, yearMinus1),
		fmt.Sprintf(`INSERT INTO messages (conversation_id, account_id, external_id, direction, kind, text, sent_at, sentiment)
			VALUES (901, 90, 'old-1', 'in', 'dm', 'zeitreise before year zero', %d, 'negative'),
			       (901, 90, 'old-2', 'in', 'dm', 'zeitreise beyond 9999', %d, 'negative'),
			       (902, 90, 'old-3', 'in', 'dm', 'zeitreise negative unix', -1, '')`, yearMinus1, year10k),
		`INSERT INTO conversation_tags (conversation_id, tag, status, account_id, sentiment, assignee, last_message_at, sla_key)
			SELECT id, 'legacy', status, account_id, sentiment, assignee, last_message_at, sla_key FROM conversations WHERE id IN (901, 902)`,
	}
	for _, q := range stmts {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatalf("old rows: %v\n%s", err, q)
		}
	}
	// Stemmed as the search-index migration leaves every stored message.
	an := textsearch.NewAnalyzer()
	for _, id := range []string{"old-1", "old-2", "old-3"} {
		var text string
		if err := raw.QueryRowContext(ctx, `SELECT text FROM messages WHERE external_id = ?`, id).Scan(&text); err != nil {
			t.Fatal(err)
		}
		stems := an.Document(textsearch.DetectLang("", text), "", text)
		if _, err := raw.ExecContext(ctx, `UPDATE messages SET stems = ? WHERE external_id = ?`, stems, id); err != nil {
			t.Fatal(err)
		}
	}

	marshal := func(what string, v any) {
		t.Helper()
		if _, err := json.Marshal(v); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	stats, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	none, anna := "", "anna"
	views := []store.InboxQuery{
		{}, {Status: inbox.StatusOpen}, {Status: inbox.StatusPending}, {Status: inbox.StatusClosed},
		{Channel: inbox.ChannelMail}, {Channel: inbox.ChannelTelegram}, {AccountID: 90}, {Tag: "legacy"},
		{Sentiment: inbox.SentimentNegative}, {Assignee: &none}, {Assignee: &anna}, {Status: inbox.StatusOpen, Tag: "legacy"},
	}
	seen := map[int64]inbox.Conversation{}
	for _, order := range []store.Order{store.OrderNewest, store.OrderSLA} {
		for _, v := range views {
			v.Order, v.Limit = order, 1 // one row a page: every row is on a page of its own
			for page := 0; ; page++ {
				pg, err := st.Conversations(ctx, v)
				if err != nil {
					t.Fatalf("%+v page %d: %v", v, page, err)
				}
				marshal(fmt.Sprintf("%+v page %d", v, page), pg)
				for _, c := range pg.Items {
					seen[c.ID] = c
				}
				if pg.Next == "" {
					break
				}
				v.Cursor = pg.Next
			}
		}
	}
	if int64(len(seen)) != stats.Conversations {
		t.Fatalf("paging showed %d of %d conversations", len(seen), stats.Conversations)
	}
	for _, id := range []int64{901, 902} {
		if !seen[id].SuspiciousDate {
			t.Errorf("conversation %d with out-of-range times not marked: %+v", id, seen[id])
		}
	}

	hits, err := st.Search(ctx, store.SearchQuery{Text: "zeitreise"})
	if err != nil {
		t.Fatal(err)
	}
	marshal("search", hits)
	if len(hits) != 7 {
		t.Fatalf("search found %d of 7 messages", len(hits))
	}
	for _, h := range hits {
		if h.SuspiciousDate == strings.Contains(h.Snippet, "ordinary") {
			t.Errorf("hit %q: suspicious %v", h.Snippet, h.SuspiciousDate)
		}
	}

	claims := map[string]*time.Time{}
	for id := range seen {
		c, err := st.ConversationByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		msgs, err := st.Thread(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		marshal(fmt.Sprintf("thread %d", id), struct {
			C inbox.Conversation
			M []inbox.Message
		}{c, msgs})
		for _, m := range msgs {
			if slices.Contains(m.Flags, inbox.FlagSuspiciousDate) == (m.ExternalID == "fine") {
				t.Errorf("message %s: flags %v", m.ExternalID, m.Flags)
			}
			if m.SentAt.Unix() < 0 || m.SentAt.After(testNow.Add(inbox.FutureSkew)) && m.ExternalID != "old-2" {
				t.Errorf("message %s ordered at %v", m.ExternalID, m.SentAt)
			}
			claims[m.ExternalID] = m.ClaimedAt
		}
	}
	// The pipeline's claims survive the round trip; an old row's out-of-range
	// time is its claim when a time can show it (year -1 and 10000 cannot).
	want := map[string]*time.Time{"y3000": ptr(time.Date(3000, 1, 2, 3, 4, 5, 0, time.UTC)), "old-3": ptr(time.UnixMilli(-1).UTC())}
	for id, c := range claims {
		w := want[id]
		if (c == nil) != (w == nil) || (c != nil && !c.Equal(*w)) {
			t.Errorf("message %s claimed %v, want %v", id, c, w)
		}
	}
}
