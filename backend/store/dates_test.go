package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

func TestReadMSClampsIntoTheReadableRange(t *testing.T) {
	tests := []struct {
		name    string
		v       int64
		want    time.Time
		clamped bool
	}{
		{"epoch", 0, time.Unix(0, 0).UTC(), false},
		{"ordinary", t0.UnixMilli(), t0, false},
		{"last readable instant", maxReadMS, time.Date(9999, 12, 31, 23, 59, 59, 999e6, time.UTC), false},
		{"one ms before the epoch", -1, time.Unix(0, 0).UTC(), true},
		{"year -1", -62198755200000, time.Unix(0, 0).UTC(), true},
		{"year 10000", maxReadMS + 1, time.Date(9999, 12, 31, 23, 59, 59, 999e6, time.UTC), true},
		{"int64 extremes", -1 << 63, time.Unix(0, 0).UTC(), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, clamped := readMS(tt.v)
			if !got.Equal(tt.want) || clamped != tt.clamped || got.Location() != time.UTC {
				t.Fatalf("readMS(%d) = %v, %v; want %v, %v", tt.v, got, clamped, tt.want, tt.clamped)
			}
			if _, err := got.MarshalJSON(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestSaveItemsTakesOnlyNormalizedDates: the store accepts what ingest's
// Normalizer produces and refuses dates it would have replaced, instead of
// storing a row every screen would have to clamp.
func TestSaveItemsTakesOnlyNormalizedDates(t *testing.T) {
	s := openTest(t)
	a := mustAccount(t, s, "acme", inbox.ChannelTelegram)
	claim := time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)
	year0 := time.Date(0, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		sent   time.Time
		claim  *time.Time
		reject string
	}{
		{"ordinary", t0, nil, ""},
		{"replaced date with its claim", t0, &claim, ""},
		{"zero", time.Time{}, nil, "zero sent time"},
		{"before the epoch", time.Unix(-1, 0), nil, "outside 1970..9999"},
		{"year 10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), nil, "outside 1970..9999"},
		{"beyond int64 milliseconds", time.Date(300_000_000, 1, 1, 0, 0, 0, 0, time.UTC), nil, "outside 1970..9999"},
		{"claim beyond int64 milliseconds", t0, ptrTime(time.Date(-300_000_000, 1, 1, 0, 0, 0, 0, time.UTC)), "claimed time"},
		{"claim of year 0", t0, &year0, "claimed time"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := item(tt.name, "th", inbox.DirectionIn, i, "x")
			it.SentAt, it.ClaimedAt = tt.sent, tt.claim
			_, err := s.SaveItems(context.Background(), a.ID, []inbox.Item{it})
			if (err == nil) != (tt.reject == "") || (err != nil && !strings.Contains(err.Error(), tt.reject)) {
				t.Fatalf("err = %v, want %q", err, tt.reject)
			}
		})
	}
}

// TestMigrationRepairsOutOfRangeDates opens a version-10 database holding
// times older versions let in and checks that version 11 moved them into
// the sane range, kept what can be shown as the claim, flagged the
// messages, and recomputed the conversations' times from them.
func TestMigrationRepairsOutOfRangeDates(t *testing.T) {
	sqliteOnly(t, "upgrade from an old SQLite schema")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.now = func() time.Time { return testNow }
	a := mustAccount(t, s, "acme", inbox.ChannelTelegram)
	mustSave(t, s, a.ID,
		item("past", "a", inbox.DirectionIn, 0, "before the epoch"),
		item("reply", "a", inbox.DirectionOut, 5, "answer"),
		item("future", "b", inbox.DirectionIn, 10, "far future"),
		item("ok", "c", inbox.DirectionIn, 20, "fine"))
	s.Close()

	// The rows as a version-10 database held them, with the times it let in.
	path = rewindTo(t, path, 10)
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	const year1900, year10k = int64(-2208988800000), int64(253402300800000 + 86400000)
	for _, q := range []string{
		`UPDATE messages SET sent_at = -2208988800000, flags = 'invalid-utf8' WHERE external_id = 'past'`,
		`UPDATE messages SET sent_at = 253402387200000 WHERE external_id = 'future'`,
		`UPDATE conversations SET first_message_at = -2208988800000 WHERE thread_key = 'a'`,
		`UPDATE conversations SET last_message_at = 253402387200000, last_in_at = 253402387200000,
			waiting_since = 253402387200000, sla_due_at = 253402387200000, sla_key = 253402387200000 WHERE thread_key = 'b'`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()

	before := time.Now()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("open version 10: %v", err)
	}
	defer s.Close()
	after := time.Now()

	var sent, convFirst, convLast, waiting, slaKey int64
	var claimed sql.NullInt64
	var flags string
	row := func(q string, dst ...any) {
		t.Helper()
		if err := s.db.QueryRow(q).Scan(dst...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	row(`SELECT sent_at, claimed_at, flags FROM messages WHERE external_id = 'past'`, &sent, &claimed, &flags)
	if sent != 0 || !claimed.Valid || claimed.Int64 != year1900 || flags != "invalid-utf8,suspicious-date" {
		t.Errorf("past: sent %d claimed %v flags %q", sent, claimed, flags)
	}
	row(`SELECT first_message_at FROM conversations WHERE thread_key = 'a'`, &convFirst)
	if convFirst != 0 {
		t.Errorf("conversation a starts at %d, want its repaired first message at 0", convFirst)
	}
	row(`SELECT sent_at, claimed_at, flags FROM messages WHERE external_id = 'future'`, &sent, &claimed, &flags)
	if sent < before.UnixMilli() || sent > after.UnixMilli() || claimed.Valid || flags != inbox.FlagSuspiciousDate {
		t.Errorf("future: sent %d (want the upgrade time) claimed %v flags %q", sent, claimed, flags)
	}
	row(`SELECT last_message_at, waiting_since, sla_key FROM conversations WHERE thread_key = 'b'`, &convLast, &waiting, &slaKey)
	if convLast != sent || waiting != sent || slaKey > maxReadMS {
		t.Errorf("conversation b: last %d waiting %d sla key %d; message at %d", convLast, waiting, slaKey, sent)
	}
	row(`SELECT sent_at, claimed_at, flags FROM messages WHERE external_id = 'ok'`, &sent, &claimed, &flags)
	if sent != t0.Add(20*time.Minute).UnixMilli() || claimed.Valid || flags != "" {
		t.Errorf("an ordinary message was touched: sent %d claimed %v flags %q", sent, claimed, flags)
	}
	var tagLast int64
	if _, err := s.db.Exec(`INSERT INTO conversation_tags (conversation_id, tag, status, account_id, sentiment, assignee, last_message_at, sla_key)
		SELECT id, 'x', status, account_id, sentiment, assignee, last_message_at, sla_key FROM conversations WHERE thread_key = 'b'`); err != nil {
		t.Fatal(err)
	}
	row(`SELECT last_message_at FROM conversation_tags WHERE tag = 'x'`, &tagLast)
	if tagLast != convLast {
		t.Errorf("tag index at %d, conversation at %d", tagLast, convLast)
	}

	msgs, err := s.Thread(ctx, convByThread(t, s, "a").ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || msgs[0].ExternalID != "past" || msgs[0].ClaimedAt == nil || msgs[0].ClaimedAt.Year() != 1900 ||
		!slices.Contains(msgs[0].Flags, inbox.FlagSuspiciousDate) {
		t.Fatalf("thread after repair: %+v", msgs)
	}
}

func ptrTime(t time.Time) *time.Time { return &t }

// rewindTo writes a database at schema version v holding the rows of the
// current-version database at path: a fresh file gets the first v migrations,
// then every table of it takes the columns it shares with the newer one. So a
// test of an old version's data stays right however many steps come later.
func rewindTo(t *testing.T, path string, v int) string {
	t.Helper()
	ctx := context.Background()
	old := filepath.Join(filepath.Dir(path), fmt.Sprintf("v%d.db", v))
	db, err := sql.Open("sqlite3", old)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // the attached file belongs to one connection
	if err := runMigrations(ctx, db, sqliteVersion{}, sqliteMigrations()[:v], 0, time.Now); err != nil {
		t.Fatalf("migrate a fresh file to version %d: %v", v, err)
	}
	if _, err := db.ExecContext(ctx, "ATTACH DATABASE ? AS src", path); err != nil {
		t.Fatal(err)
	}
	// Virtual tables and their shadow tables are filled by the old schema's own triggers.
	tables := queryStrings(t, db, `SELECT name FROM main.sqlite_schema WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'
		AND name NOT IN (SELECT name || suffix FROM main.sqlite_schema, (SELECT '_data' AS suffix UNION ALL SELECT '_idx' UNION ALL SELECT '_content' UNION ALL SELECT '_docsize' UNION ALL SELECT '_config') WHERE sql LIKE 'CREATE VIRTUAL TABLE%')`)
	for _, table := range tables {
		newer := map[string]bool{}
		for _, c := range queryStrings(t, db, fmt.Sprintf("SELECT name FROM pragma_table_info('%s', 'src')", table)) {
			newer[c] = true
		}
		var shared []string
		for _, c := range queryStrings(t, db, fmt.Sprintf("SELECT name FROM pragma_table_info('%s', 'main')", table)) {
			if newer[c] {
				shared = append(shared, `"`+c+`"`)
			}
		}
		if len(shared) == 0 {
			continue
		}
		cols := strings.Join(shared, ", ")
		if _, err := db.ExecContext(ctx, fmt.Sprintf(`INSERT INTO main."%s" (%s) SELECT %s FROM src."%s"`, table, cols, cols, table)); err != nil {
			t.Fatalf("copy %s into version %d: %v", table, v, err)
		}
	}
	return old
}

// queryStrings returns the first column of every row query returns.
func queryStrings(t *testing.T, db querier, query string, args ...any) []string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
