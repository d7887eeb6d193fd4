package store

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// PostgreSQL's search columns are written from strings folded here, in Go,
// exactly as the server's stormdesk_unaccent and stormdesk_fold fold the
// query (search_pg.go): computing them per row on the server (unaccent and
// a regular expression in SQL functions PostgreSQL does not inline) was half
// the cost of an imported row. The tables (pgfold_tables.go) are generated
// from the server's own results for every character, and the tests compare
// both over every character and many strings; they are those of
// PostgreSQL 15's unaccent rules and glibc's UTF-8 character classes, the
// setup of Debian's packages.

// pgUnaccentRune is what unaccent makes of r, whose UTF-8 is s.
func pgUnaccentRune(r rune, s string) string {
	if u, ok := pgUnaccentTable[r]; ok {
		return u
	}
	return s
}

// pgLower is lower() of one character.
func pgLower(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	if l, ok := pgLowerTable[r]; ok {
		return l
	}
	return unicode.ToLower(r)
}

// pgIsAlnum reports whether the server's [[:alnum:]] takes r.
func pgIsAlnum(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	i := sort.Search(len(pgAlnumRanges), func(i int) bool { return pgAlnumRanges[i][1] >= r })
	return i < len(pgAlnumRanges) && pgAlnumRanges[i][0] <= r
}

// pgFoldCase is stormdesk_unaccent(s): Latin diacritics removed (and ё as
// е) by unaccent, then lower case.
func pgFoldCase(s string) string {
	return pgFold(s, false)
}

// pgFoldWords is stormdesk_fold(s): pgFoldCase, then every run of
// characters that are not letters or digits as one space.
func pgFoldWords(s string) string {
	return pgFold(s, true)
}

func pgFold(s string, words bool) string {
	var b strings.Builder
	b.Grow(len(s))
	gap := false // the last character written is a space standing for non-word characters
	put := func(r rune) {
		r = pgLower(r)
		if words && !pgIsAlnum(r) {
			if !gap {
				b.WriteByte(' ')
				gap = true
			}
			return
		}
		gap = false
		b.WriteRune(r)
	}
	for _, r := range s {
		if r < utf8.RuneSelf {
			put(r)
			continue
		}
		u, ok := pgUnaccentTable[r]
		if !ok {
			put(r)
			continue
		}
		for _, ur := range u {
			put(ur)
		}
	}
	return b.String()
}

// pgSearchWrittenByGo makes the search columns plain tsvector columns that
// SaveItems writes from strings folded in Go (pgfold.go), and wakes snoozed
// conversations once per INSERT statement instead of once per row.
//
// The generated columns computed stormdesk_unaccent and stormdesk_fold for
// every stored row, about half the server's time per imported message. DROP
// EXPRESSION keeps the stored values, which are what Go's folding gives, so
// existing rows and the GIN indexes stay as they are: the step rewrites
// nothing. Inserts that do not name the columns (import-local, any other
// writer) and updates of subject, text or stems still get them computed by
// the server, from the same functions the query side uses.
//
// The per-row snooze trigger ran a DELETE for every inbound row; the
// statement trigger runs one per INSERT over its new rows (the transition
// table).
const pgSearchWrittenByGo = `
ALTER TABLE messages
	ALTER COLUMN search_stems DROP EXPRESSION,
	ALTER COLUMN search_words DROP EXPRESSION;

CREATE FUNCTION messages_search_columns() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.search_stems := to_tsvector('simple', stormdesk_unaccent(NEW.stems));
	NEW.search_words := to_tsvector('simple', stormdesk_fold(NEW.subject)) || to_tsvector('simple', stormdesk_fold(NEW.text));
	RETURN NEW;
END $$;
CREATE TRIGGER messages_search_columns BEFORE INSERT ON messages
FOR EACH ROW WHEN (NEW.search_stems IS NULL OR NEW.search_words IS NULL) EXECUTE FUNCTION messages_search_columns();
CREATE TRIGGER messages_search_columns_update BEFORE UPDATE OF subject, text, stems ON messages
FOR EACH ROW WHEN (NEW.subject IS DISTINCT FROM OLD.subject OR NEW.text IS DISTINCT FROM OLD.text OR NEW.stems IS DISTINCT FROM OLD.stems)
EXECUTE FUNCTION messages_search_columns();

DROP TRIGGER conversation_snoozes_wake_on_inbound ON messages;
DROP FUNCTION conversation_snoozes_wake_on_inbound();
CREATE FUNCTION conversation_snoozes_wake_on_inbound() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM conversation_snoozes
	WHERE conversation_id IN (SELECT conversation_id FROM new_messages WHERE direction = 'in');
	RETURN NULL;
END $$;
CREATE TRIGGER conversation_snoozes_wake_on_inbound AFTER INSERT ON messages
REFERENCING NEW TABLE AS new_messages
FOR EACH STATEMENT EXECUTE FUNCTION conversation_snoozes_wake_on_inbound();
`
