package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mattn/go-sqlite3"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// t0 is a fixed base time for test items: a Monday, 09:00 UTC.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// testNow is the clock of openTest stores: after every item the tests save.
var testNow = t0.Add(2 * time.Hour)

// openTest opens a fresh store on the engine under test (see engine_test.go).
func openTest(t *testing.T) *Store {
	t.Helper()
	return openAt(t, testDSN(t))
}

func mustAccount(t *testing.T, s *Store, name string, ch inbox.ChannelKind) inbox.Account {
	t.Helper()
	a, err := s.EnsureAccount(context.Background(), inbox.Account{Name: name, Channel: ch, Brand: "Acme"})
	if err != nil {
		t.Fatalf("EnsureAccount(%s): %v", name, err)
	}
	return a
}

// item builds an item; minutes is the offset from t0.
func item(ext, thread string, dir inbox.Direction, minutes int, text string) inbox.Item {
	it := inbox.Item{
		ExternalID: ext, ThreadKey: thread, Kind: inbox.KindDM, Direction: dir,
		Text: text, SentAt: t0.Add(time.Duration(minutes) * time.Minute),
	}
	if dir == inbox.DirectionIn {
		it.Author = inbox.Author{ExternalID: "cust-" + thread, Handle: "@" + thread, DisplayName: "Customer " + thread}
	} else {
		it.Author = inbox.Author{ExternalID: "brand", Handle: "@acme", DisplayName: "Acme"}
	}
	return it
}

func mustSave(t *testing.T, s *Store, accountID int64, items ...inbox.Item) SaveResult {
	t.Helper()
	res, err := s.SaveItems(context.Background(), accountID, items)
	if err != nil {
		t.Fatalf("SaveItems: %v", err)
	}
	return res
}

// convByThread finds a conversation by thread key through the inbox API.
func convByThread(t *testing.T, s *Store, thread string) inbox.Conversation {
	t.Helper()
	var id int64
	if err := s.db.QueryRow(`SELECT id FROM conversations WHERE thread_key = ?`, thread).Scan(&id); err != nil {
		t.Fatalf("thread %s: %v", thread, err)
	}
	c, err := s.ConversationByID(context.Background(), id)
	if err != nil {
		t.Fatalf("ConversationByID: %v", err)
	}
	return c
}

func TestOpenMigratesAndReopens(t *testing.T) {
	sqliteOnly(t, "a file in a new directory, WAL and foreign_keys pragmas (PostgreSQL: TestPostgresOpenMigratesAndReopens)")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "dir", "stormdesk.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open fresh: %v", err)
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil || v != len(sqliteMigrations()) {
		t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, len(sqliteMigrations()))
	}
	var mode string
	if err := s.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v; want wal", mode, err)
	}
	var fk int
	if err := s.db.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys = %d, %v; want 1", fk, err)
	}
	a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	mustSave(t, s, a.ID, item("m1", "th1", inbox.DirectionIn, 0, "hello"))
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if v, _ := s.SchemaVersion(ctx); v != len(sqliteMigrations()) {
		t.Fatalf("SchemaVersion after reopen = %d", v)
	}
	st, err := s.Stats(ctx)
	if err != nil || st.Messages != 1 || st.Conversations != 1 {
		t.Fatalf("Stats after reopen = %+v, %v; want 1 message, 1 conversation", st, err)
	}
}

func TestOpenNewerSchema(t *testing.T) {
	sqliteOnly(t, "user_version in the file header (PostgreSQL: TestPostgresOpenNewerSchema)")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "stormdesk.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before := readFile(t, path)

	_, err = Open(ctx, path)
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Open = %v; want ErrNewerSchema", err)
	}
	want := fmt.Sprintf("database schema version 99 is newer than this Stormdesk (knows up to %d); upgrade Stormdesk", len(sqliteMigrations()))
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q does not say %q", err, want)
	}
	if !bytes.Equal(before, readFile(t, path)) {
		t.Fatal("database file changed")
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// realDB returns the bytes of a closed, checkpointed database holding some data.
func realDB(t *testing.T) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "real.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	a := mustAccount(t, s, "acme-mail", inbox.ChannelMail)
	var items []inbox.Item
	for i := range 300 {
		items = append(items, item(fmt.Sprint("m", i), fmt.Sprint("th", i%40), inbox.DirectionIn, i, strings.Repeat("lorem ipsum dolor ", 20)))
	}
	mustSave(t, s, a.ID, items...)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Fatal("WAL left after close")
	}
	return readFile(t, path)
}

func TestOpenCorrupt(t *testing.T) {
	sqliteOnly(t, "damaged SQLite files")
	real := realDB(t)
	garbage := make([]byte, 64<<10)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range garbage {
		garbage[i] = byte(r.Uint32())
	}
	badPageSize := slices.Clone(real[:4096*4])
	badPageSize[16], badPageSize[17] = 0x03, 0x00 // 768 is not a power of two
	tests := []struct {
		name string
		data []byte
	}{
		{"garbage", garbage},
		{"text file", []byte("this is my shopping list, not a database\n")},
		{"short header", []byte("SQLite format 3\x00\x10")},
		{"truncated real db", real[:len(real)/2]},
		{"truncated mid-page", real[:len(real)/2+100]},
		{"bad page size", badPageSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "stormdesk.db")
			if err := os.WriteFile(path, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := Open(context.Background(), path)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded on a damaged file")
			}
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Open = %v; want ErrCorrupt", err)
			}
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("error %q does not name the path", err)
			}
			if !bytes.Equal(tt.data, readFile(t, path)) {
				t.Fatal("damaged file was modified")
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Fatalf("Open left files next to the damaged one: %v", entries)
			}
		})
	}
}

func TestOpenForeignSQLite(t *testing.T) {
	sqliteOnly(t, "a SQLite file of another program")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "other.db")
	// A SQLite file of another program, in rollback-journal mode.
	db := sql.OpenDB(connector{drv: &sqlite3.SQLiteDriver{}, dsn: path})
	if _, err := db.Exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hello')"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := readFile(t, path)
	if _, err := Open(ctx, path); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "another program") {
		t.Fatalf("Open = %v; want ErrCorrupt naming another program", err)
	}
	if !bytes.Equal(before, readFile(t, path)) {
		t.Fatal("file was modified")
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Fatal("Open switched the foreign file to WAL")
	}
}

func TestEnsureAccount(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	if a.ID == 0 || a.CreatedAt.IsZero() || a.Brand != "Acme" {
		t.Fatalf("created account = %+v", a)
	}
	again, err := s.EnsureAccount(ctx, inbox.Account{Name: "acme-tg", Channel: inbox.ChannelTelegram, Brand: "Other"})
	if err != nil || again.ID != a.ID || again.Brand != "Acme" {
		t.Fatalf("EnsureAccount existing = %+v, %v; want id %d brand Acme", again, err, a.ID)
	}
	for _, bad := range []inbox.Account{
		{Name: "", Channel: inbox.ChannelMail},
		{Name: "x", Channel: "fax"},
		{Name: "acme-tg", Channel: inbox.ChannelMail}, // exists on telegram
	} {
		if _, err := s.EnsureAccount(ctx, bad); err == nil {
			t.Errorf("EnsureAccount(%+v) succeeded", bad)
		}
	}
	mustAccount(t, s, "acme-mail", inbox.ChannelMail)
	all, err := s.Accounts(ctx)
	if err != nil || len(all) != 2 || all[0].Name != "acme-mail" || all[1].Name != "acme-tg" {
		t.Fatalf("Accounts = %+v, %v", all, err)
	}
	if _, err := s.AccountByName(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("AccountByName(nope) = %v; want ErrNotFound", err)
	}
	if _, err := s.SaveItems(ctx, 999, []inbox.Item{item("x", "y", inbox.DirectionIn, 0, "z")}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("SaveItems to missing account = %v; want ErrNotFound", err)
	}
}

func TestSaveItemsDedupe(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	batch := []inbox.Item{
		item("m1", "th1", inbox.DirectionIn, 0, "one"),
		item("m2", "th1", inbox.DirectionOut, 1, "two"),
		item("m3", "th2", inbox.DirectionIn, 2, "three"),
	}
	if got := mustSave(t, s, a.ID, batch...); got != (SaveResult{Inserted: 3, Conversations: 2}) {
		t.Fatalf("first save = %+v", got)
	}
	before := convByThread(t, s, "th1")
	if got := mustSave(t, s, a.ID, batch...); got != (SaveResult{Duplicates: 3}) {
		t.Fatalf("second save = %+v; want all duplicates", got)
	}
	after := convByThread(t, s, "th1")
	if after.MessageCount != 2 || !after.LastMessageAt.Equal(before.LastMessageAt) || after.Snippet != before.Snippet {
		t.Fatalf("conversation changed by duplicates: before %+v after %+v", before, after)
	}
	// A duplicate inside one batch, and a re-delivered item with different content.
	changed := item("m1", "th1", inbox.DirectionIn, 50, "edited")
	got := mustSave(t, s, a.ID, item("m4", "th2", inbox.DirectionIn, 3, "four"), item("m4", "th2", inbox.DirectionIn, 3, "four"), changed)
	if got != (SaveResult{Inserted: 1, Duplicates: 2}) {
		t.Fatalf("save with in-batch duplicate = %+v", got)
	}
	st, err := s.Stats(ctx)
	if err != nil || st.Messages != 4 || st.Conversations != 2 {
		t.Fatalf("Stats = %+v, %v; want 4 messages in 2 conversations", st, err)
	}
	if c := convByThread(t, s, "th1"); c.Snippet != "two" {
		t.Fatalf("duplicate changed the snippet to %q", c.Snippet)
	}
	// Same external id on another account is not a duplicate.
	b := mustAccount(t, s, "acme-vk", inbox.ChannelVK)
	if got := mustSave(t, s, b.ID, item("m1", "th1", inbox.DirectionIn, 0, "one")); got.Inserted != 1 {
		t.Fatalf("other account save = %+v", got)
	}
	// Invalid items fail the whole batch and store nothing.
	bad := item("m9", "", inbox.DirectionIn, 0, "x")
	if _, err := s.SaveItems(ctx, a.ID, []inbox.Item{item("m8", "th3", inbox.DirectionIn, 0, "ok"), bad}); err == nil {
		t.Fatal("SaveItems accepted an item without thread key")
	}
	if st, _ := s.Stats(ctx); st.Messages != 5 {
		t.Fatalf("failed batch stored messages: %+v", st)
	}
}

func TestSaveItemsThreadingAndCounters(t *testing.T) {
	s := openTest(t)
	a := mustAccount(t, s, "acme-mail", inbox.ChannelMail)
	long := strings.Repeat("Wort ", 60) // 300 chars
	in1 := item("m1", "th1", inbox.DirectionIn, 0, "My parcel is late")
	in1.Kind, in1.Subject, in1.Sentiment, in1.Tags = inbox.KindMail, "Parcel 123", inbox.SentimentNegative, []string{"delivery"}
	out1 := item("m2", "th1", inbox.DirectionOut, 10, "Sorry, checking")
	out1.Kind, out1.Subject, out1.Tags = inbox.KindMail, "Re: Parcel 123", []string{" refund ", ""}
	in2 := item("m3", "th1", inbox.DirectionIn, 20, "Still nothing\n\n   arrived")
	in2.Kind, in2.Sentiment, in2.Tags = inbox.KindMail, inbox.SentimentNegative, []string{"delivery"}
	in2.Author.DisplayName = "Customer Renamed"
	in3 := item("m4", "th1", inbox.DirectionIn, 30, long)
	in3.Kind = inbox.KindMail   // no sentiment label: the conversation keeps the previous one
	in3.Author.DisplayName = "" // an empty name does not erase the stored one
	other := item("m5", "th2", inbox.DirectionOut, 5, "We posted an update")
	other.Kind = inbox.KindComment

	got := mustSave(t, s, a.ID, in1, out1, other, in2)
	if got != (SaveResult{Inserted: 4, Conversations: 2}) {
		t.Fatalf("SaveItems = %+v", got)
	}
	mustSave(t, s, a.ID, in3)

	c := convByThread(t, s, "th1")
	if c.AccountID != a.ID || c.Channel != inbox.ChannelMail || c.Kind != inbox.KindMail || c.Subject != "Parcel 123" {
		t.Errorf("identity: %+v", c)
	}
	if c.Status != inbox.StatusOpen || c.MessageCount != 4 || c.NegativeCount != 2 || c.Sentiment != inbox.SentimentNegative {
		t.Errorf("counters: status %s count %d negative %d sentiment %s", c.Status, c.MessageCount, c.NegativeCount, c.Sentiment)
	}
	if !c.FirstMessageAt.Equal(t0) || !c.LastMessageAt.Equal(t0.Add(30*time.Minute)) {
		t.Errorf("times: %v .. %v", c.FirstMessageAt, c.LastMessageAt)
	}
	if n := len([]rune(c.Snippet)); n > snippetRunes || n < snippetRunes-5 || !strings.HasPrefix(c.Snippet, "Wort Wort") {
		t.Errorf("snippet %q (%d runes)", c.Snippet, n)
	}
	if c.Author.ExternalID != "cust-th1" || c.Author.DisplayName != "Customer Renamed" || c.Author.Channel != inbox.ChannelMail {
		t.Errorf("author %+v", c.Author)
	}
	if !slices.Equal(c.Tags, []string{"delivery", "refund"}) {
		t.Errorf("tags %q", c.Tags)
	}
	// The next-response clock starts at in2 (after the reply): the default mail
	// policy gives 8 business hours of Mon-Fri 09-17, so Mon 09:20 + 8h is Tue 09:20.
	if c.SLADueAt == nil || !c.SLADueAt.Equal(t0.Add(24*time.Hour+20*time.Minute)) || c.SLAPolicy != "mail" {
		t.Errorf("sla %v policy %q", c.SLADueAt, c.SLAPolicy)
	}

	c2 := convByThread(t, s, "th2")
	if c2.Kind != inbox.KindComment || c2.Author.ID != 0 || c2.SLADueAt != nil || c2.Snippet != "We posted an update" {
		t.Errorf("outbound-only conversation %+v", c2)
	}

	// Snippet whitespace is collapsed.
	mustSave(t, s, a.ID, item("m6", "th3", inbox.DirectionIn, 0, "  Still nothing\n\n   arrived "))
	if c := convByThread(t, s, "th3"); c.Snippet != "Still nothing arrived" {
		t.Errorf("snippet %q", c.Snippet)
	}

	// An older message must not overwrite a newer author profile.
	old := item("m7", "th1", inbox.DirectionIn, -100, "ancient")
	old.Kind, old.Author.DisplayName = inbox.KindMail, "Old Name"
	mustSave(t, s, a.ID, old)
	if c := convByThread(t, s, "th1"); c.Author.DisplayName != "Customer Renamed" {
		t.Errorf("older item renamed the author to %q", c.Author.DisplayName)
	}
}

func TestSaveItemsOutOfOrder(t *testing.T) {
	s := openTest(t)
	a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	newest := item("m3", "th", inbox.DirectionIn, 60, "newest")
	newest.Sentiment = inbox.SentimentPositive
	middle := item("m2", "th", inbox.DirectionIn, 30, "middle")
	middle.Sentiment = inbox.SentimentNegative
	oldest := item("m1", "th", inbox.DirectionIn, 0, "oldest")
	oldest.Sentiment = inbox.SentimentNeutral

	mustSave(t, s, a.ID, newest)
	mustSave(t, s, a.ID, oldest, middle) // arrive later, older in time
	c := convByThread(t, s, "th")
	if !c.FirstMessageAt.Equal(t0) || !c.LastMessageAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("first/last %v %v", c.FirstMessageAt, c.LastMessageAt)
	}
	if c.Snippet != "newest" || c.Sentiment != inbox.SentimentPositive || c.NegativeCount != 1 || c.MessageCount != 3 {
		t.Errorf("snippet %q sentiment %s negative %d count %d", c.Snippet, c.Sentiment, c.NegativeCount, c.MessageCount)
	}
	if c.SLADueAt == nil || !c.SLADueAt.Equal(t0.Add(4*time.Hour)) { // oldest inbound + dm first response (08-20 daily)
		t.Errorf("sla %v", c.SLADueAt)
	}
	msgs, err := s.Thread(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, m := range msgs {
		texts = append(texts, m.Text)
	}
	if !slices.Equal(texts, []string{"oldest", "middle", "newest"}) {
		t.Errorf("thread order %q", texts)
	}
}

func TestConcurrentWritersAndReaders(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	accts := []inbox.Account{mustAccount(t, s, "a", inbox.ChannelMail), mustAccount(t, s, "b", inbox.ChannelVK)}
	errs := make(chan error, 16)
	done := make(chan struct{})
	for w, a := range accts {
		go func() {
			for i := range 20 {
				var batch []inbox.Item
				for j := range 50 {
					batch = append(batch, item(fmt.Sprintf("%d-%d", i, j), fmt.Sprintf("w%d-t%d", w, j%10), inbox.DirectionIn, i*50+j, "text"))
				}
				if _, err := s.SaveItems(ctx, a.ID, batch); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	go func() {
		defer close(done)
		for range 50 {
			if _, err := s.Conversations(ctx, InboxQuery{Order: OrderSLA}); err != nil {
				errs <- err
				return
			}
			if _, err := s.Search(ctx, SearchQuery{Text: "text"}); err != nil {
				errs <- err
				return
			}
		}
	}()
	for range accts {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	<-done
	select {
	case err := <-errs:
		t.Fatal(err)
	default:
	}
	if st, err := s.Stats(ctx); err != nil || st.Messages != 2000 || st.Conversations != 20 {
		t.Fatalf("Stats = %+v, %v; want 2000 messages in 20 conversations", st, err)
	}
}

func TestSaveItemsBatchOrderIrrelevant(t *testing.T) {
	// The same messages in any order inside one batch give the same conversation.
	base := []inbox.Item{
		item("a", "th", inbox.DirectionIn, 0, "question"),
		item("b", "th", inbox.DirectionOut, 10, "answer"),
		item("c", "th", inbox.DirectionIn, 20, "follow-up"),
		item("d", "th", inbox.DirectionOut, 30, "final answer"),
	}
	base[0].Subject, base[2].Subject = "Original", "Re: Original"
	var want inbox.Conversation
	for i, perm := range [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {2, 0, 3, 1}, {1, 3, 0, 2}} {
		s := openTest(t)
		a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
		first := item("z", "th", inbox.DirectionIn, -10, "earlier, closed")
		mustSave(t, s, a.ID, first, item("y", "th", inbox.DirectionOut, -5, "done"))
		if err := s.SetStatus(context.Background(), convByThread(t, s, "th").ID, inbox.StatusClosed); err != nil {
			t.Fatal(err)
		}
		var batch []inbox.Item
		for _, j := range perm {
			batch = append(batch, base[j])
		}
		mustSave(t, s, a.ID, batch...)
		got := convByThread(t, s, "th")
		if i == 0 {
			want = got
			// Answered: only the resolution clock runs.
			if got.Status != inbox.StatusOpen || got.SLADueAt == nil || got.SLAPolicy != "dm" || got.Snippet != "final answer" || got.Subject != "Original" {
				t.Fatalf("conversation %+v", got)
			}
			continue
		}
		if got.Status != want.Status || got.Snippet != want.Snippet || got.Subject != want.Subject ||
			!got.SLADueAt.Equal(*want.SLADueAt) || got.SLAState != want.SLAState || got.MessageCount != want.MessageCount {
			t.Fatalf("order %v gives %+v; order 0123 gave %+v", perm, got, want)
		}
	}
}

func TestReopenOnInbound(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		status inbox.Status
		next   inbox.Item
		want   inbox.Status
	}{
		{"closed, new inbound", inbox.StatusClosed, item("n", "th", inbox.DirectionIn, 20, "again"), inbox.StatusOpen},
		{"pending, new inbound", inbox.StatusPending, item("n", "th", inbox.DirectionIn, 20, "again"), inbox.StatusOpen},
		{"closed, outbound", inbox.StatusClosed, item("n", "th", inbox.DirectionOut, 20, "follow-up"), inbox.StatusClosed},
		{"pending, outbound", inbox.StatusPending, item("n", "th", inbox.DirectionOut, 20, "follow-up"), inbox.StatusPending},
		{"closed, backfilled inbound older than the reply", inbox.StatusClosed, item("n", "th", inbox.DirectionIn, 5, "old"), inbox.StatusClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTest(t)
			a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
			mustSave(t, s, a.ID, item("q", "th", inbox.DirectionIn, 0, "question"), item("r", "th", inbox.DirectionOut, 10, "answer"))
			c := convByThread(t, s, "th")
			if err := s.SetStatus(ctx, c.ID, tt.status); err != nil {
				t.Fatal(err)
			}
			mustSave(t, s, a.ID, tt.next)
			got := convByThread(t, s, "th")
			if got.Status != tt.want {
				t.Fatalf("status = %s; want %s", got.Status, tt.want)
			}
			if (got.Status == inbox.StatusOpen) != (got.SLADueAt != nil) {
				t.Fatalf("status %s with sla %v", got.Status, got.SLADueAt)
			}
		})
	}
}

// TestSLADue checks deadlines after ingest against the default policies (all UTC;
// t0 is Monday 09:00): public comments 1h first response in 08-22 daily, DMs 4h in
// 08-20 daily, mail 8h in Mon-Fri 09-17; answered conversations keep only their
// resolution clock (24h, 24h, 40h business time).
func TestSLADue(t *testing.T) {
	ctx := context.Background()
	in := func(ext string, min int, kind inbox.MessageKind) inbox.Item {
		it := item(ext, "th", inbox.DirectionIn, min, ext)
		it.Kind = kind
		return it
	}
	out := func(ext string, min int, kind inbox.MessageKind) inbox.Item {
		it := item(ext, "th", inbox.DirectionOut, min, ext)
		it.Kind = kind
		return it
	}
	at := func(day, hour, min int) *time.Time {
		t := time.Date(2026, 3, day, hour, min, 0, 0, time.UTC)
		return &t
	}
	C, D, M := inbox.KindComment, inbox.KindDM, inbox.KindMail
	dmResolution := at(4, 9, 0)       // Mon 09-20 (11h) + Tue 08-20 (12h) + Wed 08-09
	commentResolution := at(3, 19, 0) // Mon 09-22 (13h) + Tue 08-19 (11h)
	tests := []struct {
		name    string
		batches [][]inbox.Item
		want    *time.Time
		policy  string
		// reopened: the deadline after closing and reopening (the reply clocks stop for
		// good on close; the resolution clock resumes where it stopped)
		reopened *time.Time
	}{
		{"comment 1h", [][]inbox.Item{{in("a", 0, C)}}, at(2, 10, 0), "public-comment", commentResolution},
		{"dm 4h", [][]inbox.Item{{in("a", 0, D)}}, at(2, 13, 0), "dm", dmResolution},
		{"mail 8 business hours", [][]inbox.Item{{in("a", 0, M)}}, at(2, 17, 0), "mail", at(6, 17, 0)},
		{"oldest unanswered", [][]inbox.Item{{in("a", 0, D), in("b", 5, D)}}, at(2, 13, 0), "dm", dmResolution},
		{"answered", [][]inbox.Item{{in("a", 0, D), out("b", 5, D)}}, dmResolution, "dm", dmResolution},
		{"answered, separate batches", [][]inbox.Item{{in("a", 0, D)}, {out("b", 5, D)}}, dmResolution, "dm", dmResolution},
		{"asked again after reply", [][]inbox.Item{{in("a", 0, D), out("b", 5, D), in("c", 9, D), in("d", 12, D)}}, at(2, 13, 9), "dm", dmResolution},
		{"late reply lands between two questions", [][]inbox.Item{{in("a", 0, D), in("c", 20, D)}, {out("b", 10, D)}}, at(2, 13, 20), "dm", dmResolution},
		{"late reply lands between, same batch", [][]inbox.Item{{in("a", 0, D), in("c", 20, D), out("b", 10, D)}}, at(2, 13, 20), "dm", dmResolution},
		{"backfilled question before reply", [][]inbox.Item{{out("b", 10, D)}, {in("a", 0, D)}}, dmResolution, "dm", dmResolution},
		{"outbound only", [][]inbox.Item{{out("b", 10, D)}}, nil, "dm", nil},
		{"conversation kind decides", [][]inbox.Item{{in("a", 0, C), in("b", 1, M)}}, at(2, 10, 0), "public-comment", commentResolution},
	}
	same := func(a, b *time.Time) bool { return (a == nil) == (b == nil) && (a == nil || a.Equal(*b)) }
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTest(t)
			a := mustAccount(t, s, "acme", inbox.ChannelVK)
			for _, b := range tt.batches {
				mustSave(t, s, a.ID, b...)
			}
			c := convByThread(t, s, "th")
			if !same(c.SLADueAt, tt.want) || c.SLAPolicy != tt.policy {
				t.Fatalf("sla_due_at = %v, policy %q; want %v, %q", c.SLADueAt, c.SLAPolicy, tt.want, tt.policy)
			}
			if tt.want != nil {
				wantState := "ok" // at testNow, Monday 11:00
				if testNow.After(*tt.want) {
					wantState = "breached"
				}
				if c.SLAState != wantState || c.SLAWarnAt == nil || !c.SLAWarnAt.Before(*c.SLADueAt) {
					t.Fatalf("state %q warn %v; want %q", c.SLAState, c.SLAWarnAt, wantState)
				}
			}
			// Closing clears the deadline.
			if err := s.SetStatus(ctx, c.ID, inbox.StatusClosed); err != nil {
				t.Fatal(err)
			}
			if c := convByThread(t, s, "th"); c.SLADueAt != nil || c.SLAState != "none" || c.SLAWarnAt != nil {
				t.Fatalf("closed conversation has sla %v state %q", c.SLADueAt, c.SLAState)
			}
			if err := s.SetStatus(ctx, c.ID, inbox.StatusOpen); err != nil {
				t.Fatal(err)
			}
			if got := convByThread(t, s, "th").SLADueAt; !same(got, tt.reopened) {
				t.Fatalf("reopened sla_due_at = %v; want %v", got, tt.reopened)
			}
		})
	}
}

func TestMutationsNotFound(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	for name, err := range map[string]error{
		"SetStatus":   s.SetStatus(ctx, 42, inbox.StatusClosed),
		"SetAssignee": s.SetAssignee(ctx, 42, "ann"),
		"AddTag":      s.AddTag(ctx, 42, "x"),
		"RemoveTag":   s.RemoveTag(ctx, 42, "x"),
	} {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s on missing conversation = %v; want ErrNotFound", name, err)
		}
	}
	if _, err := s.ConversationByID(ctx, 42); !errors.Is(err, ErrNotFound) {
		t.Errorf("ConversationByID = %v", err)
	}
	if _, err := s.Thread(ctx, 42); !errors.Is(err, ErrNotFound) {
		t.Errorf("Thread = %v", err)
	}
	if err := s.SetStatus(ctx, 1, "done"); err == nil || errors.Is(err, ErrNotFound) {
		t.Errorf("SetStatus with bad status = %v", err)
	}
}

func TestThread(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	x := item("x", "th", inbox.DirectionIn, 5, "same time, stored first")
	y := item("y", "th", inbox.DirectionOut, 5, "same time, stored second")
	z := item("z", "th", inbox.DirectionIn, 1, "earliest")
	z.Flags = []string{inbox.FlagInvalidUTF8, inbox.FlagTruncated}
	z.HTML, z.SentimentScore, z.Sentiment = "<p>earliest</p>", -0.5, inbox.SentimentNegative
	mustSave(t, s, a.ID, x, y)
	mustSave(t, s, a.ID, z)
	c := convByThread(t, s, "th")
	msgs, err := s.Thread(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range msgs {
		ids = append(ids, m.ExternalID)
	}
	if !slices.Equal(ids, []string{"z", "x", "y"}) {
		t.Fatalf("thread order %v; want z x y", ids)
	}
	m := msgs[0]
	if !slices.Equal(m.Flags, z.Flags) || m.HTML != z.HTML || m.SentimentScore != -0.5 || m.Sentiment != inbox.SentimentNegative ||
		!m.SentAt.Equal(z.SentAt) || m.ConversationID != c.ID || m.AccountID != a.ID || m.Direction != inbox.DirectionIn {
		t.Errorf("message round trip: %+v", m)
	}
	if m.Author.Handle != "@th" || msgs[2].Author.Handle != "@acme" {
		t.Errorf("authors %+v / %+v", m.Author, msgs[2].Author)
	}
	if msgs[1].Flags == nil || len(msgs[1].Flags) != 0 {
		t.Errorf("no flags should be an empty list, got %#v", msgs[1].Flags)
	}
}

func TestTagsAndAssignee(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	it1 := item("1", "a", inbox.DirectionIn, 0, "x")
	it1.Tags = []string{"refund", "vip"}
	it2 := item("2", "b", inbox.DirectionIn, 1, "y")
	it2.Tags = []string{"refund"}
	mustSave(t, s, a.ID, it1, it2, item("3", "c", inbox.DirectionIn, 2, "z"))
	ca, cc := convByThread(t, s, "a"), convByThread(t, s, "c")

	if err := s.AddTag(ctx, cc.ID, "refund"); err != nil {
		t.Fatal(err)
	}
	if err := s.AddTag(ctx, cc.ID, "refund"); err != nil { // idempotent
		t.Fatal(err)
	}
	if err := s.AddTag(ctx, cc.ID, "  "); err == nil {
		t.Fatal("AddTag accepted an empty tag")
	}
	if err := s.RemoveTag(ctx, ca.ID, "vip"); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveTag(ctx, ca.ID, "vip"); err != nil { // idempotent
		t.Fatal(err)
	}
	tags, err := s.Tags(ctx)
	if err != nil || !slices.Equal(tags, []TagCount{{"refund", 3}}) {
		t.Fatalf("Tags = %v, %v", tags, err)
	}
	// Changing the conversation must reach the tag index: a tag+status+assignee query sees it.
	if err := s.SetStatus(ctx, cc.ID, inbox.StatusPending); err != nil {
		t.Fatal(err)
	}
	ann := "ann"
	if err := s.SetAssignee(ctx, cc.ID, " ann "); err != nil {
		t.Fatal(err)
	}
	for _, o := range []Order{OrderNewest, OrderSLA} {
		p, err := s.Conversations(ctx, InboxQuery{Tag: "refund", Status: inbox.StatusPending, Assignee: &ann, Order: o})
		if err != nil || len(p.Items) != 1 || p.Items[0].ID != cc.ID || p.Items[0].Assignee != "ann" {
			t.Fatalf("tag query (%s) = %+v, %v", o, p, err)
		}
		p, err = s.Conversations(ctx, InboxQuery{Tag: "refund", Status: inbox.StatusOpen, Order: o})
		if err != nil || len(p.Items) != 2 {
			t.Fatalf("tag query open (%s) = %+v, %v", o, p, err)
		}
	}
}

func TestStats(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	tg := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	mail := mustAccount(t, s, "acme-mail", inbox.ChannelMail)
	mail2 := mustAccount(t, s, "acme-mail-2", inbox.ChannelMail)
	mustSave(t, s, tg.ID, item("1", "a", inbox.DirectionIn, 0, "x"), item("2", "a", inbox.DirectionOut, 1, "y"), item("3", "b", inbox.DirectionIn, 2, "z"))
	mustSave(t, s, mail.ID, item("1", "c", inbox.DirectionIn, 0, "x"))
	mustSave(t, s, mail2.ID, item("1", "d", inbox.DirectionIn, 0, "x"), item("2", "e", inbox.DirectionIn, 0, "x"))
	if err := s.SetStatus(ctx, convByThread(t, s, "a").ID, inbox.StatusClosed); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStatus(ctx, convByThread(t, s, "d").ID, inbox.StatusPending); err != nil {
		t.Fatal(err)
	}
	mustSave(t, s, tg.ID, item("1", "a", inbox.DirectionIn, 0, "x")) // duplicate: not counted
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var msgs int64
	if err := s.db.QueryRow(`SELECT count(*) FROM messages`).Scan(&msgs); err != nil || msgs != st.Messages {
		t.Fatalf("Stats says %d messages, table has %d (%v)", st.Messages, msgs, err)
	}
	if st.Conversations != 5 || st.Messages != 6 || len(st.Channels) != len(inbox.ChannelKinds) {
		t.Fatalf("Stats totals %+v", st)
	}
	want := map[inbox.ChannelKind]ChannelStats{
		inbox.ChannelTelegram: {Channel: inbox.ChannelTelegram, Open: 1, Closed: 1, Messages: 3},
		inbox.ChannelMail:     {Channel: inbox.ChannelMail, Open: 2, Pending: 1, Messages: 3},
		inbox.ChannelVK:       {Channel: inbox.ChannelVK},
	}
	for _, cs := range st.Channels {
		if w, ok := want[cs.Channel]; ok && cs != w {
			t.Errorf("channel %s = %+v; want %+v", cs.Channel, cs, w)
		}
	}
}

// --- keyset paging ---------------------------------------------------------

// seedInbox stores a varied inbox: several accounts and channels, statuses,
// assignees, tags, sentiments, ties on sort keys and conversations without SLA.
func seedInbox(t *testing.T, s *Store, n int) []inbox.Account {
	t.Helper()
	ctx := context.Background()
	accts := []inbox.Account{
		mustAccount(t, s, "mail-1", inbox.ChannelMail),
		mustAccount(t, s, "mail-2", inbox.ChannelMail),
		mustAccount(t, s, "tg-1", inbox.ChannelTelegram),
		mustAccount(t, s, "vk-1", inbox.ChannelVK),
	}
	mustAccount(t, s, "yt-empty", inbox.ChannelYouTube)
	r := rand.New(rand.NewPCG(7, 7))
	kinds := []inbox.MessageKind{inbox.KindMail, inbox.KindDM, inbox.KindComment}
	sents := []inbox.Sentiment{"", inbox.SentimentNegative, inbox.SentimentNeutral, inbox.SentimentPositive}
	tags := []string{"refund", "delay", "vip"}
	byAcct := map[int64][]inbox.Item{}
	for i := range n {
		acct := accts[r.IntN(len(accts))]
		th := fmt.Sprintf("t%d", i)
		kind := kinds[r.IntN(len(kinds))]
		base := r.IntN(50) * 10 // coarse times: many ties on last_message_at and sla
		for j := range 1 + r.IntN(3) {
			dir := inbox.DirectionIn
			if j > 0 && r.IntN(2) == 0 {
				dir = inbox.DirectionOut
			}
			it := item(fmt.Sprintf("%s-%d", th, j), th, dir, base+j*10, "text")
			it.Kind = kind
			if dir == inbox.DirectionIn {
				it.Sentiment = sents[r.IntN(len(sents))]
			}
			if r.IntN(3) == 0 {
				it.Tags = []string{tags[r.IntN(len(tags))]}
			}
			byAcct[acct.ID] = append(byAcct[acct.ID], it)
		}
	}
	for id, items := range byAcct {
		mustSave(t, s, id, items...)
	}
	var ids []int64
	rows, err := s.db.Query(`SELECT id FROM conversations`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		switch r.IntN(4) {
		case 0:
			s.SetStatus(ctx, id, inbox.StatusClosed)
		case 1:
			s.SetStatus(ctx, id, inbox.StatusPending)
		}
		if who := []string{"", "", "ann", "bob"}[r.IntN(4)]; who != "" {
			s.SetAssignee(ctx, id, who)
		}
	}
	return accts
}

func allConversations(t *testing.T, s *Store) []inbox.Conversation {
	t.Helper()
	rows, err := s.db.Query(`SELECT id FROM conversations ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	var out []inbox.Conversation
	for _, id := range ids {
		c, err := s.ConversationByID(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// expected filters and sorts conversations the slow, obvious way.
func expected(all []inbox.Conversation, q InboxQuery) []int64 {
	var keep []inbox.Conversation
	for _, c := range all {
		if (q.Status != "" && c.Status != q.Status) || (q.Channel != "" && c.Channel != q.Channel) ||
			(q.AccountID != 0 && c.AccountID != q.AccountID) || (q.Tag != "" && !slices.Contains(c.Tags, q.Tag)) ||
			(q.Sentiment != "" && c.Sentiment != q.Sentiment) || (q.Assignee != nil && c.Assignee != *q.Assignee) {
			continue
		}
		keep = append(keep, c)
	}
	slaKey := func(c inbox.Conversation) int64 {
		if c.SLADueAt == nil {
			return math.MaxInt64
		}
		return c.SLADueAt.UnixMilli()
	}
	slices.SortFunc(keep, func(a, b inbox.Conversation) int {
		if q.Order == OrderSLA {
			if d := cmpInt(slaKey(a), slaKey(b)); d != 0 {
				return d
			}
			return cmpInt(a.ID, b.ID)
		}
		if d := cmpInt(b.LastMessageAt.UnixMilli(), a.LastMessageAt.UnixMilli()); d != 0 {
			return d
		}
		return cmpInt(b.ID, a.ID)
	})
	ids := []int64{}
	for _, c := range keep {
		ids = append(ids, c.ID)
	}
	return ids
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestConversationsKeysetWalk(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	accts := seedInbox(t, s, 400)
	all := allConversations(t, s)
	ann, none := "ann", ""
	filters := []struct {
		name string
		q    InboxQuery
	}{
		{"all", InboxQuery{}},
		{"open", InboxQuery{Status: inbox.StatusOpen}},
		{"closed", InboxQuery{Status: inbox.StatusClosed}},
		{"channel mail", InboxQuery{Channel: inbox.ChannelMail}},
		{"channel with an empty account", InboxQuery{Channel: inbox.ChannelYouTube}},
		{"channel without accounts", InboxQuery{Channel: inbox.ChannelMastodon}},
		{"account", InboxQuery{AccountID: accts[2].ID}},
		{"account not in channel", InboxQuery{AccountID: accts[2].ID, Channel: inbox.ChannelMail}},
		{"tag", InboxQuery{Tag: "refund"}},
		{"unknown tag", InboxQuery{Tag: "nope"}},
		{"sentiment", InboxQuery{Sentiment: inbox.SentimentNegative}},
		{"assignee", InboxQuery{Assignee: &ann}},
		{"unassigned", InboxQuery{Assignee: &none}},
		{"open mail negative", InboxQuery{Status: inbox.StatusOpen, Channel: inbox.ChannelMail, Sentiment: inbox.SentimentNegative}},
		{"pending tag unassigned", InboxQuery{Status: inbox.StatusPending, Tag: "delay", Assignee: &none}},
		{"tag channel assignee sentiment", InboxQuery{Tag: "vip", Channel: inbox.ChannelMail, Assignee: &ann, Sentiment: inbox.SentimentPositive}},
		{"account unassigned positive", InboxQuery{AccountID: accts[0].ID, Assignee: &none, Sentiment: inbox.SentimentPositive}},
	}
	for _, order := range []Order{OrderNewest, OrderSLA} {
		for _, f := range filters {
			t.Run(string(order)+"/"+f.name, func(t *testing.T) {
				q := f.q
				q.Order = order
				want := expected(all, q)
				for _, limit := range []int{7, 50} {
					q.Limit, q.Cursor = limit, ""
					var got []int64
					seen := map[int64]bool{}
					for pages := 0; ; pages++ {
						if pages > len(all) {
							t.Fatal("paging does not end")
						}
						p, err := s.Conversations(ctx, q)
						if err != nil {
							t.Fatal(err)
						}
						if len(p.Items) > limit || (p.Next != "" && len(p.Items) != limit) {
							t.Fatalf("page of %d items with next %q (limit %d)", len(p.Items), p.Next, limit)
						}
						for _, c := range p.Items {
							if seen[c.ID] {
								t.Fatalf("conversation %d returned twice", c.ID)
							}
							seen[c.ID] = true
							got = append(got, c.ID)
						}
						if p.Next == "" {
							break
						}
						q.Cursor = p.Next
					}
					if !slices.Equal(got, want) {
						t.Fatalf("limit %d: walked %d ids %v\nwant %d ids %v", limit, len(got), got, len(want), want)
					}
				}
			})
		}
	}
	// Sanity: the data exercise what the test claims.
	var noSLA, ties int
	lastSeen := map[int64]int{}
	for _, c := range all {
		if c.SLADueAt == nil {
			noSLA++
		}
		lastSeen[c.LastMessageAt.UnixMilli()]++
	}
	for _, n := range lastSeen {
		if n > 1 {
			ties++
		}
	}
	if noSLA == 0 || ties == 0 || noSLA == len(all) {
		t.Fatalf("seed lacks variety: %d without SLA, %d tied times", noSLA, ties)
	}
}

func TestConversationsPageContents(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	it := item("1", "a", inbox.DirectionIn, 0, "hello there")
	it.Tags = []string{"vip"}
	mustSave(t, s, a.ID, it)
	p, err := s.Conversations(ctx, InboxQuery{})
	if err != nil || len(p.Items) != 1 || p.Next != "" {
		t.Fatalf("page = %+v, %v", p, err)
	}
	c := p.Items[0]
	if c.Author.Handle != "@a" || !slices.Equal(c.Tags, []string{"vip"}) || c.Snippet != "hello there" || c.SLADueAt == nil {
		t.Fatalf("page item %+v", c)
	}
	mustSave(t, s, a.ID, item("2", "b", inbox.DirectionOut, 1, "no tags here"))
	p, _ = s.Conversations(ctx, InboxQuery{})
	if p.Items[0].Tags == nil {
		t.Fatal("conversation without tags has nil Tags")
	}
}

func TestConversationsBadInput(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	for i := range 5 {
		mustSave(t, s, a.ID, item(fmt.Sprint(i), fmt.Sprint("th", i), inbox.DirectionIn, i, "x"))
	}
	p, err := s.Conversations(ctx, InboxQuery{Order: OrderSLA, Limit: 2})
	if err != nil || p.Next == "" {
		t.Fatalf("first page %+v %v", p, err)
	}
	cursors := map[string]InboxQuery{
		"sla cursor on newest": {Order: OrderNewest, Cursor: p.Next},
		"not base64":           {Cursor: "%%%"},
		"malformed":            {Cursor: b64("newest:abc")},
		"wrong parts":          {Cursor: b64("newest:1:2:3")},
		"unknown order name":   {Cursor: b64("oldest:1:2")},
	}
	for name, q := range cursors {
		if _, err := s.Conversations(ctx, q); !errors.Is(err, ErrBadCursor) {
			t.Errorf("%s: err = %v; want ErrBadCursor", name, err)
		}
	}
	for name, q := range map[string]InboxQuery{
		"order":     {Order: "oldest"},
		"status":    {Status: "done"},
		"channel":   {Channel: "fax"},
		"sentiment": {Sentiment: "angry"},
	} {
		if _, err := s.Conversations(ctx, q); err == nil {
			t.Errorf("bad %s accepted", name)
		}
	}
	if p, err := s.Conversations(ctx, InboxQuery{Limit: 100000}); err != nil || len(p.Items) != 5 {
		t.Errorf("huge limit: %d items, %v", len(p.Items), err)
	}
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// --- search ----------------------------------------------------------------

func TestSearch(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	mail := mustAccount(t, s, "acme-mail", inbox.ChannelMail)
	tg := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	texts := []struct {
		acct    inbox.Account
		subject string
		text    string
	}{
		{mail, "Refund request", "I want my money back for order 123"},          // 1
		{mail, "", "The delivery was late and the box was damaged"},             // 2
		{tg, "", "Ваш рейс задержан? У нас задержка рейса на три часа"},         // 3
		{tg, "", "Die Verspätung des Zuges war ärgerlich, große Enttäuschung"},  // 4
		{tg, "", "late again!!! 🔥 where is my delivery"},                        // 5
		{mail, "Delivery status", "Please check the status"},                    // 6
		{tg, "", "Рейс отменили, верните деньги"},                               // 7
		{mail, "", "Flight delayed by two hours, flight crew was kind"},         // 8
		{tg, "", "delivered on time, thanks"},                                   // 9
		{mail, "", "She said \"NEAR(\" and AND OR NOT * - quotes\" everywhere"}, // 10
	}
	for i, x := range texts {
		it := item(fmt.Sprint("m", i+1), fmt.Sprint("th", i+1), inbox.DirectionIn, i, x.text)
		it.Subject = x.subject
		it.Sentiment = inbox.SentimentNeutral
		mustSave(t, s, x.acct.ID, it)
	}
	ids := func(hits []SearchHit) []int64 {
		out := []int64{}
		for _, h := range hits {
			out = append(out, h.MessageID)
		}
		return out
	}
	tests := []struct {
		name string
		q    SearchQuery
		want []int64
	}{
		{"word", SearchQuery{Text: "delivery"}, []int64{6, 5, 2}},
		{"case-insensitive", SearchQuery{Text: "DELIVERY"}, []int64{6, 5, 2}},
		{"AND", SearchQuery{Text: "late delivery"}, []int64{5, 2}},
		{"phrase", SearchQuery{Text: `"flight delayed"`}, []int64{8}},
		{"phrase order matters", SearchQuery{Text: `"delayed flight"`}, []int64{}},
		{"prefix", SearchQuery{Text: "deliv*"}, []int64{9, 6, 5, 2}},
		{"OR", SearchQuery{Text: "refund OR damaged"}, []int64{2, 1}},
		{"subject", SearchQuery{Text: "refund"}, []int64{1}},
		{"russian", SearchQuery{Text: "задержка рейса"}, []int64{3}},
		{"russian word forms", SearchQuery{Text: "рейс"}, []int64{7, 3}},
		{"russian prefix", SearchQuery{Text: "задерж*"}, []int64{3}},
		{"german umlaut", SearchQuery{Text: "Verspätung"}, []int64{4}},
		{"german without umlaut", SearchQuery{Text: "verspatung"}, []int64{4}},
		{"german ss stems like sharp s", SearchQuery{Text: "grosse"}, []int64{4}},
		{"german diacritics folded", SearchQuery{Text: "arger*"}, []int64{4}},
		{"channel filter", SearchQuery{Text: "delivery", Channel: inbox.ChannelTelegram}, []int64{5}},
		{"before id", SearchQuery{Text: "delivery", BeforeID: 6}, []int64{5, 2}},
		{"limit", SearchQuery{Text: "delivery", Limit: 1}, []int64{6}},
		{"operators as text", SearchQuery{Text: `NEAR( quotes`}, []int64{10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits, err := s.Search(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(hits); !slices.Equal(got, tt.want) {
				t.Fatalf("hits %v; want %v", got, tt.want)
			}
		})
	}

	hits, err := s.Search(ctx, SearchQuery{Text: "money"})
	if err != nil || len(hits) != 1 {
		t.Fatalf("money: %v %v", hits, err)
	}
	h := hits[0]
	if h.ConversationID == 0 || h.Channel != inbox.ChannelMail || h.Subject != "Refund request" || h.Author.Handle != "@th1" ||
		!h.SentAt.Equal(t0) || h.Sentiment != inbox.SentimentNeutral || !strings.Contains(h.Snippet, MatchStart+"money"+MatchEnd) {
		t.Fatalf("hit %+v", h)
	}

	hostile := []string{"", " ", `"`, `"""`, "AND", "OR", "NOT", "NEAR(", "NEAR(a b", "*", "**", "-", "-late", "+", "^", ":",
		"(", ")", "{a}", "🔥", "👍🏽", "a\"b", `\`, "'", "late AND", "AND OR NOT", "subject:late", "\x00", "\xff\xfe",
		strings.Repeat("a ", 500), strings.Repeat(`"`, 99)}
	for _, q := range hostile {
		if _, err := s.Search(ctx, SearchQuery{Text: q}); err != nil {
			t.Errorf("Search(%q) = %v", q, err)
		}
	}
	if hits, err := s.Search(ctx, SearchQuery{Text: ""}); err != nil || len(hits) != 0 || hits == nil {
		t.Errorf("empty query = %#v, %v; want empty list", hits, err)
	}
	if hits, err := s.Search(ctx, SearchQuery{Text: "-late"}); err != nil || len(hits) != 0 {
		t.Errorf("-late = %d hits, %v; want none (an exclusion alone selects nothing)", len(hits), err)
	}
}

func TestConversationIDByThreadKey(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	b := mustAccount(t, s, "beta-tg", inbox.ChannelTelegram)
	mustSave(t, s, a.ID, item("1", "k", inbox.DirectionIn, 0, "x"))
	mustSave(t, s, b.ID, item("1", "k", inbox.DirectionIn, 0, "x"))
	ida, err := s.ConversationIDByThreadKey(ctx, a.ID, "k")
	if err != nil {
		t.Fatal(err)
	}
	idb, err := s.ConversationIDByThreadKey(ctx, b.ID, "k")
	if err != nil {
		t.Fatal(err)
	}
	for id, acc := range map[int64]int64{ida: a.ID, idb: b.ID} {
		c, err := s.ConversationByID(ctx, id)
		if err != nil || c.AccountID != acc || c.ThreadKey != "k" {
			t.Fatalf("conversation %d = %+v, %v; want thread k of account %d", id, c, err, acc)
		}
	}
	if _, err := s.ConversationIDByThreadKey(ctx, a.ID, "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing key: %v", err)
	}
}
