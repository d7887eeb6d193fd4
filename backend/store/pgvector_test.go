package store

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/textsearch"
)

// pgVectorsOnServer returns the server's search column for each (subject,
// text, stems), folded as SaveItems folds them, in tsvector's text form.
func pgVectorsOnServer(t *testing.T, q querier, rows [][3]string) []string {
	t.Helper()
	subj, text, stems := make([]string, len(rows)), make([]string, len(rows)), make([]string, len(rows))
	for i, r := range rows {
		subj[i], text[i], stems[i] = r[0], r[1], r[2]
	}
	return queryStrings(t, q, `
		SELECT (to_tsvector('simple', u.s) || to_tsvector('simple', u.t) || setweight(to_tsvector('simple', u.st), 'A'))::text
		FROM unnest(?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS u(s, t, st, ord) ORDER BY u.ord`, subj, text, stems)
}

// pgVectorsAgree checks, for every row the builder does not decline, that
// its literal read back by the server equals the server's own value.
func pgVectorsAgree(t *testing.T, q querier, rows [][3]string) (built int, bad []string) {
	t.Helper()
	server := pgVectorsOnServer(t, q, rows)
	var v pgVectorBuilder
	var lits []string
	var idx []int
	for i, r := range rows {
		lit, ok := v.build(r[0], r[1], r[2])
		if !ok {
			continue
		}
		lits = append(lits, lit)
		idx = append(idx, i)
	}
	read := queryStrings(t, q, `SELECT l::tsvector::text FROM unnest(?::text[]) WITH ORDINALITY AS u(l, ord) ORDER BY u.ord`, lits)
	for k, got := range read {
		if i := idx[k]; got != server[i] {
			bad = append(bad, fmt.Sprintf("%q/%q/%q: Go %s, server %s", rows[i][0], rows[i][1], rows[i][2], got, server[i]))
		}
	}
	return len(lits), bad
}

// Every word character, alone, between letters and between digits, is one
// token of the server's parser whose lexeme is the folded word, as the
// builder writes it.
func TestPGSearchVectorEveryCharacter(t *testing.T) {
	db := pgFoldDB(t)
	seen := map[rune]bool{}
	var rows [][3]string
	for _, c := range pgCharFolds(t, db) {
		r := pgLower(c.r)
		if seen[r] || !pgIsAlnum(r) {
			continue
		}
		seen[r] = true
		s := string(r)
		rows = append(rows, [3]string{s, "a" + s + "a", "1" + s + "1"}, [3]string{"x" + s, s + "9", s + "e1"})
	}
	built, bad := pgVectorsAgree(t, db, rows)
	if len(bad) > 0 {
		t.Fatalf("%d of %d differ, first: %s", len(bad), built, strings.Join(bad[:min(20, len(bad))], "\n"))
	}
	if built != len(rows) {
		t.Fatalf("built %d of %d", built, len(rows))
	}
}

// Whole folded messages: Russian, German, English, numbers, odd Unicode,
// repeated words and long texts, hand-picked and random; and short words of
// digits, e and letters, where the parser reads numbers (1e5 is one token,
// 7e3a two).
func TestPGSearchVectorMatchesServer(t *testing.T) {
	db := pgFoldDB(t)
	texts := []string{
		"", " ", "Hello, World!", "refund refund refund my money", "Ёлки-палки, ЁЖИК и ёж 2024",
		"Lieferung: Paket verspätet!!! Größe Straße", "1e5 12e3 0123 1.5 v2.0 a1b2 2b 7e3a 90er", "naïve café résumé ﬁnance Ⅻ ①②",
		"٣ ४ ໕ digits 日本語のテキスト 한국어", "x² H₂O ½", "İstanbul ıi ǅemal", strings.Repeat("spam ", 300),
		strings.Repeat("word", 600), strings.Repeat("a b c d e f g h ", 2100),
	}
	rng := rand.New(rand.NewPCG(16, 3))
	pool := []rune("aZéÉёЁßẞӧ-_.,!?0123456789eEÆæœŒøØåÅįĮłŁñÑçÇşŞğĞıİǅǈ½“”\t😀ﬁⅫ①٣日한αΣ\u0301\u00a0²₂   ")
	for range 3000 {
		texts = append(texts, pgRandomText(rng, pool, 80))
	}
	numbers := []rune("0123456789eeeaé日ж ")
	for range 3000 {
		texts = append(texts, pgRandomText(rng, numbers, 30))
	}
	an := textsearch.NewAnalyzer()
	var rows [][3]string
	for i, s := range texts {
		subj := texts[(i*7)%len(texts)]
		rows = append(rows, [3]string{pgFoldWords(subj), pgFoldWords(s), pgFoldCase(messageStems(an, subj, s))})
	}
	if _, bad := pgVectorsAgree(t, db, rows); len(bad) > 0 {
		t.Fatalf("%d differ, first: %s", len(bad), strings.Join(bad[:min(10, len(bad))], "\n"))
	}
}

// Messages as people write them are built in Go, not declined.
func TestPGSearchVectorBuildsEverydayText(t *testing.T) {
	db := pgFoldDB(t)
	words := strings.Fields(`Where is my refund? The flight was delayed 3 hours, gate A12, booking XK7Q2.
		Lieferung verspätet, Paket beschädigt: Größe 42, Bestellnummer 100234 — bitte um Rückerstattung!
		Задержка рейса SU1402 на 5 часов, где мои деньги? Ёлки, верните багаж. 2024-05-01 12:30 €50 $20 10% 1st 2nd 90er`)
	rng := rand.New(rand.NewPCG(16, 4))
	an := textsearch.NewAnalyzer()
	var rows [][3]string
	for range 2000 {
		var subj, text []string
		for range rng.IntN(6) {
			subj = append(subj, words[rng.IntN(len(words))])
		}
		for range 1 + rng.IntN(40) {
			text = append(text, words[rng.IntN(len(words))])
		}
		s, x := strings.Join(subj, " "), strings.Join(text, " ")
		rows = append(rows, [3]string{pgFoldWords(s), pgFoldWords(x), pgFoldCase(messageStems(an, s, x))})
	}
	built, bad := pgVectorsAgree(t, db, rows)
	if len(bad) > 0 {
		t.Fatalf("%d differ, first: %s", len(bad), strings.Join(bad[:min(10, len(bad))], "\n"))
	}
	if built < len(rows)*9/10 {
		t.Fatalf("built %d of %d: the builder declines everyday text too often", built, len(rows))
	}
}

func pgRandomText(rng *rand.Rand, pool []rune, n int) string {
	var b strings.Builder
	for range rng.IntN(n) {
		b.WriteRune(pool[rng.IntN(len(pool))])
	}
	return b.String()
}

// On PostgreSQL the stemming goroutine hands the insert a built vector for
// everyday messages, and the folded strings only where the builder declined.
func TestStemAheadBuildsVectors(t *testing.T) {
	texts := []inbox.Item{
		{Subject: "Refund", Text: "Where is my refund? Flight SU1402 delayed 5 hours."},
		{Subject: "Refund", Text: "Lieferung verspätet, Größe 42."},
		{Subject: "", Text: "Задержка рейса, где мои деньги?"},
		{Subject: "", Text: "Formula 7e3a in the report"},
	}
	fr := make([]fresh, len(texts))
	for i := range texts {
		fr[i].it = &texts[i]
	}
	a := stemAhead(fr, 2, true)
	for i := range texts {
		st := a.search(i)
		wantBuilt := i != 3
		if st.built != wantBuilt {
			t.Fatalf("message %d: built %v, want %v", i, st.built, wantBuilt)
		}
		if st.built && (st.vector == "" || st.text != "") {
			t.Fatalf("message %d: built, vector %q, folded text %q: want the vector alone", i, st.vector, st.text)
		}
		if !st.built && st.text != pgFoldWords(texts[i].Text) {
			t.Fatalf("message %d: declined, folded text %q", i, st.text)
		}
	}
}
