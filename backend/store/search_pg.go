package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/stormdesk/stormdesk/backend/textsearch"
)

// Search on PostgreSQL answers the same query syntax with the same hits as
// FTS5 on SQLite. Stemming is not PostgreSQL's: messages keep the tagged
// stems Go computed for their language (backend/textsearch: English, Russian
// and German Snowball stemmers, ё folded as е), and two generated tsvector
// columns, each with a GIN index, index them with the 'simple' configuration,
// which only lower-cases:
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

// pgSearch answers Search on PostgreSQL: the same hits, newest first, as one
// ORDER BY id DESC LIMIT query would give, found window by window.
//
// GIN indexes return their matches in no order. Over the whole table
// `ORDER BY m.id DESC LIMIT 50` leaves PostgreSQL two plans, both slow at 1M
// messages for an AND or a phrase: walk messages_pkey backward testing every
// row's tsvectors (11,000 rows for 50 hits of "refund money"), or AND the
// terms' GIN bitmaps and fetch and sort every match in the table. A window
// of ids (lo, hi] lets it AND those bitmaps with a messages_pkey range and
// fetch only the matches inside it. The windows go from the newest id down,
// each wider than the last by the density of matches seen so far, until the
// limit is filled or the table is covered; the first one's width comes from
// the planner's estimate of the matches (pgFirstWindow).
func (s *Store) pgSearch(ctx context.Context, an *textsearch.Analyzer, parsed textsearch.Query, q SearchQuery, limit int) ([]SearchHit, error) {
	query, args := pgSearchSQL(parsed)
	if q.Channel != "" {
		query += ` AND c.channel = ?`
		args = append(args, q.Channel)
	}
	bounds, bargs := `SELECT min(id), max(id) FROM messages`, []any{}
	if q.BeforeID > 0 {
		bounds += ` WHERE id < ?`
		bargs = append(bargs, q.BeforeID)
	}
	var lo, hi sql.NullInt64
	if err := s.db.QueryRowContext(ctx, bounds, bargs...).Scan(&lo, &hi); err != nil {
		return nil, fmt.Errorf("store: search %q: id range: %w", q.Text, err)
	}
	hits := []SearchHit{}
	if !hi.Valid {
		return hits, nil
	}
	width := s.searchWindow
	if width <= 0 {
		var err error
		if width, err = s.pgFirstWindow(ctx, query, args, hi.Int64-lo.Int64+1, limit); err != nil {
			return nil, fmt.Errorf("store: search %q: %w", q.Text, err)
		}
	}
	query += ` AND m.id > ? AND m.id <= ? ORDER BY m.id DESC LIMIT ?`
	for top := hi.Int64; top >= lo.Int64 && len(hits) < limit; {
		bottom := lo.Int64 - 1
		if width < top-bottom {
			bottom = top - width
		}
		var err error
		hits, err = searchHits(ctx, s.db, an, parsed, q.Text, query, slices.Concat(args, []any{bottom, top, limit - len(hits)}), hits)
		if err != nil {
			return nil, err
		}
		top = bottom
		width = nextWindow(width, hi.Int64-top, len(hits), limit)
	}
	return hits, nil
}

// nextWindow is the width of the window after one of width, once spanned ids
// gave found of limit hits: twice what the density so far says the rest
// needs, and at least twice the last one, so a search takes a few windows at
// most. Without any hit yet, eight times the last.
func nextWindow(width, spanned int64, found, limit int) int64 {
	const widest = 1 << 60 // no overflow, whatever the ids
	if found == 0 {
		return min(width*8, widest)
	}
	return min(max(2*width, 2*int64(limit-found)*spanned/int64(found)), widest)
}

// pgFirstWindow is the width of the first window: twice the ids that should
// hold limit hits, by the planner's estimate of the matches among span ids
// (its statistics of the tsvector columns' words; an AND counted as
// independent words). Not below limit ids, nor above the span.
func (s *Store) pgFirstWindow(ctx context.Context, query string, args []any, span int64, limit int) (int64, error) {
	var plan []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		} `json:"Plan"`
	}
	var out []byte
	if err := s.db.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) `+query, args...).Scan(&out); err != nil {
		return 0, fmt.Errorf("estimate: %w", err)
	}
	if err := json.Unmarshal(out, &plan); err != nil || len(plan) == 0 {
		return 0, fmt.Errorf("estimate: %s: %v", out, err)
	}
	rows := max(plan[0].Plan.Rows, 1)
	return max(int64(limit), min(span, int64(2*float64(limit)*float64(span)/rows))), nil
}
