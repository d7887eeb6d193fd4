package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/testutil/benchdata"
	"github.com/stormdesk/stormdesk/backend/textsearch"
)

// stemTexts are the messages of the word-form tests, ids 1..n in order.
var stemTexts = []string{
	"Счёт за интернет пришёл дважды",                  // 1
	"Где мой счет? Нет интернета третий день",         // 2
	"Die Verspätung des Zuges war sehr ärgerlich",     // 3
	"Wieder Verspätungen bei der Lieferung, danke",    // 4
	"My orders were delayed twice, this is not fair",  // 5
	"The order is delaying again, please refund it",   // 6
	"I want refunds for both of them",                 // 7
	"Our flight was delayed and the crew was helpful", // 8
	"Счета приходят с опозданием",                     // 9
}

// wantHits is a word-form case: the query, the message ids it must find
// (newest first) and a text the first hit's snippet must hold.
type wantHits struct {
	name, query string
	want        []int64
	snippet     string
}

var stemCases = []wantHits{
	{"ё folded in the query", "счет", []int64{9, 2, 1}, MatchStart + "Счета" + MatchEnd},
	{"ё in the query", "счёт", []int64{9, 2, 1}, ""},
	{"ё folded in the index", "счет", []int64{9, 2, 1}, ""},
	{"russian case forms", "интернет", []int64{2, 1}, MatchStart + "интернета" + MatchEnd},
	{"russian genitive finds nominative", "интернета", []int64{2, 1}, MatchStart + "интернета" + MatchEnd},
	{"ё found by е in the index", "счёт -интернет", []int64{9}, ""},
	{"е found by ё, with its snippet", `счёт -"счета"`, []int64{2, 1}, MatchStart + "счет" + MatchEnd},
	{"russian plural", "счета", []int64{9, 2, 1}, MatchStart + "Счета" + MatchEnd},
	{"german plural finds singular", "Verspätungen", []int64{4, 3}, MatchStart + "Verspätungen" + MatchEnd},
	{"german singular finds plural", "Verspätung", []int64{4, 3}, ""},
	{"german without umlaut", "verspatungen", []int64{4, 3}, ""},
	{"english plural", "orders", []int64{6, 5}, MatchStart + "order" + MatchEnd},
	{"english singular", "order", []int64{6, 5}, ""},
	{"english verb forms", "delay", []int64{8, 6, 5}, MatchStart + "delayed" + MatchEnd},
	{"english -ing", "delaying", []int64{8, 6, 5}, ""},
	{"english noun plural", "refund", []int64{7, 6}, MatchStart + "refunds" + MatchEnd},
	{"exact phrase is not stemmed", `"orders were delayed"`, []int64{5}, MatchStart + "orders were delayed" + MatchEnd},
	{"exact phrase other form", `"order were delayed"`, []int64{}, ""},
	{"exact phrase folds ё", `"счет за интернет"`, []int64{1}, MatchStart + "Счёт за интернет" + MatchEnd},
	{"exact phrase keeps the case form", `"счет за интернета"`, []int64{}, ""},
	{"exact single word is exact", `"интернета"`, []int64{2}, ""},
	{"prefix", "интерн*", []int64{2, 1}, MatchStart + "интернета" + MatchEnd},
	{"prefix folds ё", "прише*", []int64{1}, MatchStart + "пришёл" + MatchEnd},
	{"AND of forms", "счета интернета", []int64{2, 1}, ""},
	{"OR", "Verspätungen OR refunds", []int64{7, 6, 4, 3}, ""},
	{"exclusion", "order -refund", []int64{5}, ""},
	{"exclusion of a phrase", `delayed -"flight was"`, []int64{6, 5}, ""},
	{"exclusion alone selects nothing", "-order", []int64{}, ""},
}

func saveStemTexts(t *testing.T, s *Store) {
	t.Helper()
	a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	for i, text := range stemTexts {
		mustSave(t, s, a.ID, item(fmt.Sprint("m", i+1), fmt.Sprint("th", i+1), inbox.DirectionIn, i, text))
	}
}

func checkStemCases(t *testing.T, s *Store) {
	t.Helper()
	for _, tt := range stemCases {
		t.Run(tt.name, func(t *testing.T) {
			hits, err := s.Search(context.Background(), SearchQuery{Text: tt.query})
			if err != nil {
				t.Fatal(err)
			}
			if got := hitIDs(hits); !slices.Equal(got, tt.want) {
				t.Fatalf("Search(%q) = %v; want %v", tt.query, got, tt.want)
			}
			if tt.snippet != "" && !strings.Contains(hits[0].Snippet, tt.snippet) {
				t.Fatalf("Search(%q) snippet %q; want it to hold %q", tt.query, hits[0].Snippet, tt.snippet)
			}
		})
	}
}

func hitIDs(hits []SearchHit) []int64 {
	out := []int64{}
	for _, h := range hits {
		out = append(out, h.MessageID)
	}
	return out
}

func TestSearchWordForms(t *testing.T) {
	s := openTest(t)
	saveStemTexts(t, s)
	checkStemCases(t, s)
}

// TestSearchSnippetWindow checks that a match deep in a long message is shown
// in its context, cut on both sides.
func TestSearchSnippetWindow(t *testing.T) {
	s := openTest(t)
	a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	text := strings.Repeat("word ", 40) + "Verspätungen " + strings.Repeat("more ", 40)
	mustSave(t, s, a.ID, item("long", "th", inbox.DirectionIn, 0, text))
	hits, err := s.Search(context.Background(), SearchQuery{Text: "Verspätung"})
	if err != nil || len(hits) != 1 {
		t.Fatalf("hits %v, %v", hits, err)
	}
	want := "…" + strings.Repeat("word ", 12) + MatchStart + "Verspätungen" + MatchEnd + strings.Repeat(" more", 11) + "…"
	if hits[0].Snippet != want {
		t.Fatalf("snippet %q; want %q", hits[0].Snippet, want)
	}
}

// TestSearchIndexFollowsEdits checks the triggers: a changed text is found by
// its new words only, and a deleted message is gone, with the index intact.
func TestSearchIndexFollowsEdits(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	saveStemTexts(t, s)
	if _, err := s.db.ExecContext(ctx, `UPDATE messages SET text = 'Счета за телефон', stems = 'rсчет rза rтелефон' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM messages WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string][]int64{"интернет": {}, "телефона": {1}, "счет": {9, 1}} {
		hits, err := s.Search(ctx, SearchQuery{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if got := hitIDs(hits); !slices.Equal(got, want) {
			t.Errorf("Search(%q) = %v; want %v", q, got, want)
		}
	}
	if testOnPostgres() {
		return // FTS5's own integrity check; the tsvector is a generated column
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')`); err != nil {
		t.Fatalf("index integrity: %v", err)
	}
}

// stemsStep is the index of the migration that adds the stemmed index.
func stemsStep(t *testing.T) int {
	for i, m := range sqliteMigrations() {
		if m.sql == schemaSearchStems {
			return i
		}
	}
	t.Fatal("no schemaSearchStems step")
	return 0
}

// TestUpgradeStemsExistingMessages builds a database as the version before
// the stemmed index left it, with messages in the old index, opens it with
// this Stormdesk and checks that old messages are found by their word forms
// and that the rebuilt index is consistent.
func TestUpgradeStemsExistingMessages(t *testing.T) {
	sqliteOnly(t, "upgrade from an old SQLite schema and FTS5 rebuild")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	old := stemsStep(t)
	if err := runMigrations(ctx, raw, sqliteVersion{}, sqliteMigrations()[:old], 0, time.Now); err != nil {
		t.Fatalf("build version %d: %v", old, err)
	}
	tx, err := raw.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	must := func(q string, args ...any) {
		t.Helper()
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	must(`INSERT INTO accounts (id, channel, name, created_at) VALUES (1, 'telegram', 'acme-tg', 0)`)
	// More messages than one fill batch, so the batching is exercised.
	n := stemsFillBatch + len(stemTexts) + 5
	base := t0.UnixMilli()
	for i := 1; i <= n; i++ {
		text := fmt.Sprintf("filler %d", i)
		if i <= len(stemTexts) {
			text = stemTexts[i-1]
		}
		must(`INSERT INTO conversations (id, account_id, channel, thread_key, kind, message_count, first_message_at, last_message_at, last_in_at)
			VALUES (?, 1, 'telegram', ?, 'dm', 1, ?, ?, ?)`, i, fmt.Sprint("th", i), base+int64(i), base+int64(i), base+int64(i))
		must(`INSERT INTO messages (id, conversation_id, account_id, external_id, direction, kind, text, sent_at)
			VALUES (?, ?, 1, ?, 'in', 'dm', ?, ?)`, i, i, fmt.Sprint("m", i), text, base+int64(i))
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	// The old index finds only the exact word.
	var cnt int
	if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'интернет'`).Scan(&cnt); err != nil || cnt != 1 {
		t.Fatalf("old index: %d hits, %v", cnt, err)
	}
	raw.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open version %d: %v", old, err)
	}
	defer s.Close()
	checkStemCases(t, s)
	var empty int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM messages WHERE stems = ''`).Scan(&empty); err != nil || empty != 0 {
		t.Fatalf("%d messages without stems, %v", empty, err)
	}
	if hits, err := s.Search(ctx, SearchQuery{Text: fmt.Sprint(n)}); err != nil || len(hits) != 1 || hits[0].MessageID != int64(n) {
		t.Fatalf("last filler message: %v, %v", hits, err)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')`); err != nil {
		t.Fatalf("index integrity: %v", err)
	}
}

func TestFTSMatch(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"-refund", ""},
		// счет is its own stem: also looked up among the words.
		{"счёт", `(stems : "rсчет" OR {subject text} : "счет")`},
		// счета stems to счет, so a message with "счета" holds rсчет.
		{"счета", `(stems : "rсчет" OR {subject text} : "счет")`},
		// Both stemmers give refund, its own stem for both: any message.
		{"refunds", `(stems : ("erefund" OR "drefund") OR {subject text} : "refund")`},
		// Both stemmers keep kind; kinder is its own English stem, and kind
		// its own German one: each among the words of messages stemmed that
		// way only, so an English "kind" is not found.
		{"kinder", `(stems : ("ekinder" OR "dkind") OR ({subject text} : "kinder" AND stems : ("le" OR "lu")) OR ({subject text} : "kind" AND stems : ("ld" OR "lu")))`},
		// делать stems to дела, which stems to дел: no word is left out as дела.
		{"делать", `stems : "rдела"`},
		{`"Счёт за" deliv*`, `{subject text} : "счет за" AND {subject text} : "deliv" *`},
		{"счет OR интернет", `((stems : "rсчет" OR {subject text} : "счет") OR (stems : "rинтернет" OR {subject text} : "интернет"))`},
		{`счет -интернет -"за"`, `((stems : "rсчет" OR {subject text} : "счет")) NOT ((stems : "rинтернет" OR {subject text} : "интернет") OR {subject text} : "за")`},
	}
	an := textsearch.NewAnalyzer()
	for _, tt := range tests {
		if got := ftsMatch(an.Parse(tt.in)); got != tt.want {
			t.Errorf("ftsMatch(%q) = %s; want %s", tt.in, got, tt.want)
		}
	}
}

// TestSearchFindsWhatFullStemsFind checks that leaving out the stems that
// are the word itself (textsearch.Document) changes no search result: for
// every word of a mixed-language vocabulary, Search finds exactly the
// messages that an index of every word's stems finds, built beside it from
// the same messages as the index was before stems were left out.
func TestSearchFindsWhatFullStemsFind(t *testing.T) {
	sqliteOnly(t, "the reference index of all stems is an FTS5 table")
	ctx := context.Background()
	s := openTest(t)
	a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	// Words whose English and German stems differ (kinder, order), stems that
	// stem again (делать, universe), diacritics and sharp s, other scripts.
	extra := strings.Fields(`kinder Kind kinds news new orders ord делать дела дел стали стал счёт счета
		schön schon große grosse Straße strasse café cafe cafés naïve naive müde mude résumé resume
		rôle role roles über uber Ärger arger fiancée fiancee coöperate cooperate universe univers
		12345 日本語`)
	vocab := [][]string{benchdata.WordsEN, benchdata.WordsRU, benchdata.WordsDE, slices.Concat(benchdata.WordsEN, benchdata.WordsDE, extra), extra}
	r := rand.New(rand.NewPCG(15, 15))
	pick := func(words []string, n int) string {
		out := make([]string, n)
		for i := range out {
			out[i] = words[r.IntN(len(words))]
		}
		return strings.Join(out, " ")
	}
	const n = 600
	var items []inbox.Item
	for i := range n {
		words := vocab[r.IntN(len(vocab))]
		it := item(fmt.Sprint("m", i), fmt.Sprint("th", i), inbox.DirectionIn, i, pick(words, 3+r.IntN(10)))
		if r.IntN(5) == 0 {
			it.Subject = pick(words, 1+r.IntN(3))
		}
		items = append(items, it)
	}
	mustSave(t, s, a.ID, items...)

	// The reference: every stem of every word, as the index held them.
	if _, err := s.db.ExecContext(ctx, `CREATE VIRTUAL TABLE ref_stems USING fts5 (stems, tokenize = 'unicode61 remove_diacritics 2')`); err != nil {
		t.Fatal(err)
	}
	an := textsearch.NewAnalyzer()
	rows, err := s.db.QueryContext(ctx, `SELECT id, subject, text, stems FROM messages`)
	if err != nil {
		t.Fatal(err)
	}
	type msg struct {
		id                   int64
		subject, text, stems string
	}
	var msgs []msg
	for rows.Next() {
		var m msg
		if err := rows.Scan(&m.id, &m.subject, &m.text, &m.stems); err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, m)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var full, kept int
	for _, m := range msgs {
		lang := textsearch.DetectLang(m.subject, m.text)
		var stems []string
		for _, part := range []string{m.subject, m.text} {
			for _, sp := range textsearch.Words(part) {
				stems = append(stems, an.Stems(lang, textsearch.Fold(part[sp.Start:sp.End]))...)
			}
		}
		slices.Sort(stems)
		full += len(slices.Compact(slices.Clone(stems)))
		kept += len(strings.Fields(m.stems))
		if _, err := s.db.ExecContext(ctx, `INSERT INTO ref_stems (rowid, stems) VALUES (?, ?)`, m.id, strings.Join(stems, " ")); err != nil {
			t.Fatal(err)
		}
	}
	if kept*3 > full*2 {
		t.Fatalf("the index keeps %d stems of %d: the words that are their own stem should be left out", kept, full)
	}

	queries := slices.Concat(benchdata.WordsEN, benchdata.WordsRU, benchdata.WordsDE, extra)
	slices.Sort(queries)
	queries = slices.Compact(queries)
	for _, q := range queries {
		parsed := an.Parse(q)
		if len(parsed.Groups) != 1 || parsed.Groups[0][0].Kind != textsearch.Word {
			continue // order-status is a phrase, not stemmed
		}
		var want []int64
		rows, err := s.db.QueryContext(ctx, `SELECT rowid FROM ref_stems WHERE ref_stems MATCH ? ORDER BY rowid DESC`,
			ftsStems+" : "+ftsAny(parsed.Groups[0][0].Stems))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			want = append(want, id)
		}
		rows.Close()
		got := []int64{}
		for before := int64(0); ; {
			hits, err := s.Search(ctx, SearchQuery{Text: q, Limit: MaxSearchLimit, BeforeID: before})
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, hitIDs(hits)...)
			if len(hits) < MaxSearchLimit {
				break
			}
			before = hits[len(hits)-1].MessageID
		}
		if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("Search(%q) = %d hits %v; every stem finds %d: %v", q, len(got), got, len(want), want)
		}
	}
}
