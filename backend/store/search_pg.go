package store

import (
	"strings"

	"github.com/stormdesk/stormdesk/backend/textsearch"
)

// Search on PostgreSQL answers the same query syntax with the same hits as
// FTS5 on SQLite. Stemming is not PostgreSQL's: messages keep the tagged
// stems Go computed for their language (backend/textsearch: English, Russian
// and German Snowball stemmers, ё folded as е), and two tsvector columns,
// each with a GIN index, index them with the 'simple' configuration, which
// only lower-cases. They were generated columns; SaveItems now writes them
// from strings folded in Go exactly as these functions fold (pgfold.go,
// pgSearchWrittenByGo), and a trigger computes them for other writers:
//
//   - search_stems: the stems column without Latin diacritics
//     (stormdesk_unaccent, as FTS5's remove_diacritics), matched by single words;
//   - search_words: subject and text folded by stormdesk_fold (lower case,
//     Latin diacritics and ё removed by unaccent, non-word characters as
//     spaces), matched by "phrases" and prefix* terms.
//
// The stems and words of the query pass through the same functions, so both
// sides are folded alike. A language configuration
// ('russian', 'german') would stem differently from the SQLite index and from
// the snippets, which Go highlights.
const pgSearchSchema = `
CREATE EXTENSION IF NOT EXISTS unaccent;

-- IMMUTABLE needs the dictionary named: unaccent(text) alone depends on search_path.
CREATE FUNCTION stormdesk_unaccent(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT lower(unaccent('unaccent'::regdictionary, t))
$$;
CREATE FUNCTION stormdesk_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT regexp_replace(stormdesk_unaccent(t), '[^[:alnum:]]+', ' ', 'g')
$$;

ALTER TABLE messages
	ADD COLUMN search_stems tsvector GENERATED ALWAYS AS (to_tsvector('simple', stormdesk_unaccent(stems))) STORED,
	ADD COLUMN search_words tsvector GENERATED ALWAYS AS
		(to_tsvector('simple', stormdesk_fold(subject)) || to_tsvector('simple', stormdesk_fold(text))) STORED;
CREATE INDEX messages_search_stems ON messages USING gin (search_stems);
CREATE INDEX messages_search_words ON messages USING gin (search_words);
`

// pgSearchQualified redefines the search functions with every name
// qualified by its schema, so they work under any search_path. pg_restore
// runs with an empty one and computes the generated tsvector columns while it
// loads the messages; with the names of pgSearchSchema unqualified that load
// failed ('text search dictionary "unaccent" does not exist'), so a pg_dump
// of a team store could not be restored. The results are the same, so the
// stored columns stay valid and nothing is rewritten.
const pgSearchQualified = `
DO $$
DECLARE
	ext text := (SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
		WHERE e.extname = 'unaccent');
	own text := (SELECT quote_ident(n.nspname) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE p.proname = 'stormdesk_unaccent');
BEGIN
	EXECUTE format($f$CREATE OR REPLACE FUNCTION %1$s.stormdesk_unaccent(t text) RETURNS text
		LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
		$b$SELECT pg_catalog.lower(%2$s.unaccent(%3$L::regdictionary, t))$b$ $f$, own, ext, ext || '.unaccent');
	EXECUTE format($f$CREATE OR REPLACE FUNCTION %1$s.stormdesk_fold(t text) RETURNS text
		LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
		$b$SELECT pg_catalog.regexp_replace(%1$s.stormdesk_unaccent(t), '[^[:alnum:]]+', ' ', 'g')$b$ $f$, own);
END $$;
`

// pgSearchSQL is the search query of a non-empty parsed query on
// PostgreSQL, up to its WHERE conditions, and its arguments. Terms become
// tsquery matches ANDed and ORed as in ftsMatch; user text only ever reaches
// PostgreSQL as bound parameters.
func pgSearchSQL(q textsearch.Query) (string, []any) {
	var args []any
	groups := make([]string, 0, len(q.Groups))
	for _, g := range q.Groups {
		alts := make([]string, len(g))
		for i, t := range g {
			alts[i] = pgTerm(t, &args)
		}
		groups = append(groups, "("+strings.Join(alts, " OR ")+")")
	}
	where := strings.Join(groups, " AND ")
	if len(q.Excluded) > 0 {
		neg := make([]string, len(q.Excluded))
		for i, t := range q.Excluded {
			neg[i] = pgTerm(t, &args)
		}
		where += " AND NOT (" + strings.Join(neg, " OR ") + ")"
	}
	return `
		SELECT m.id, m.text,
		       m.conversation_id, c.channel, m.subject, c.subject, m.sent_at, m.sentiment, m.flags, ` + authorColumns("a") + `
		FROM messages m
		JOIN conversations c ON c.id = m.conversation_id
		LEFT JOIN authors a ON a.id = m.author_id
		WHERE (` + where + `)`, args
}

// pgTerm is the match of one term.
func pgTerm(t textsearch.Term, args *[]any) string {
	switch t.Kind {
	case textsearch.Word:
		lex := make([]string, len(t.Stems))
		for i, s := range t.Stems {
			lex[i] = tsLexeme(s)
		}
		*args = append(*args, strings.Join(lex, " | "))
		alts := []string{`m.search_stems @@ to_tsquery('simple', stormdesk_unaccent(?))`}
		// As ftsTerm: a stem that is its own word is not among a message's
		// stems, so it is looked up among the words, with the stemmer's
		// token where the stemmer matters.
		for _, o := range t.Own {
			*args = append(*args, o.Word)
			alt := `m.search_words @@ phraseto_tsquery('simple', stormdesk_fold(?))`
			if o.Stemmers != nil {
				tok := make([]string, len(o.Stemmers))
				for i, s := range o.Stemmers {
					tok[i] = tsLexeme(s)
				}
				*args = append(*args, strings.Join(tok, " | "))
				alt = "(" + alt + ` AND m.search_stems @@ to_tsquery('simple', stormdesk_unaccent(?)))`
			}
			alts = append(alts, alt)
		}
		if len(alts) == 1 {
			return alts[0]
		}
		return "(" + strings.Join(alts, " OR ") + ")"
	case textsearch.Prefix:
		last := t.Words[len(t.Words)-1]
		prefix := `to_tsquery('simple', quote_literal(stormdesk_fold(?)) || ':*')`
		if len(t.Words) == 1 {
			*args = append(*args, last)
			return `m.search_words @@ ` + prefix
		}
		*args = append(*args, strings.Join(t.Words[:len(t.Words)-1], " "), last)
		return `m.search_words @@ tsquery_phrase(phraseto_tsquery('simple', stormdesk_fold(?)), ` + prefix + `)`
	default:
		*args = append(*args, strings.Join(t.Words, " "))
		return `m.search_words @@ phraseto_tsquery('simple', stormdesk_fold(?))`
	}
}

// tsLexeme quotes s as one tsquery lexeme.
func tsLexeme(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	return `'` + strings.ReplaceAll(s, `'`, `''`) + `'`
}
