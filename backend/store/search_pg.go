package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/textsearch"
)

// Search on PostgreSQL answers the same query syntax with the same hits as
// FTS5 on SQLite. Stemming is not PostgreSQL's: messages keep the tagged
// stems Go computed for their language (backend/textsearch: English, Russian
// and German Snowball stemmers, ё folded as е), and tsvector columns with a
// GIN index index them with the 'simple' configuration, which only
// lower-cases. Since pgSearchOneIndex the two below are one column,
// `search`: the words with weight D, then the stems with weight A. They were generated columns; SaveItems now writes them
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
// PostgreSQL, up to its WHERE conditions, and its arguments: the matching
// messages (a channel's limit is the caller's condition on m.account_id,
// pgChannelAccounts). Terms become
// tsquery matches ANDed and ORed as in ftsMatch; user text only ever reaches
// PostgreSQL as bound parameters.
//
// Every match is on the one search column (pgSearchOneIndex): a stem is a
// lexeme of weight A, a word one of weight D. Each group of the query (a
// term, or terms ORed) is one tsquery that ORs every way its terms match
// ("its stems, or its own word among the words"), and the groups are ANDed
// as `m.search @@ g1 AND m.search @@ g2`: PostgreSQL gives both conditions
// to one scan of the GIN index, which skips through the longer posting
// lists by the shortest. With two columns an AND whose words were found in
// different columns built the whole bitmap of each side (80,000 rows for
// "money") and ANDed them. The groups are ANDed in SQL, not with the tsquery
// operator &&, because && drops an operand that has no lexemes where the SQL
// AND of its false match fails, as FTS5 does.
//
// With walk, the query is written for the backward walk of messages_pkey
// as a single word's is (below), whatever its terms: pgSearch walks when the
// matches are dense (pgWalkDensity).
//
// An own word's stemmer token (see pgTermAlts) is left out of the group's
// tsquery and tested on the rows it found, in a condition no index answers
// (`IS TRUE`): a token is in most messages of its language (352,000 of 1M
// for 'ld' | 'lu').
func pgSearchSQL(q textsearch.Query, walk bool) (string, []any) {
	var args []any
	var conds []string
	windowed := pgWindowed(q) && !walk
	for _, g := range q.Groups {
		var alts []pgAlt
		for _, t := range g {
			alts = append(alts, pgTermAlts(t)...)
		}
		if !windowed {
			// A single word, prefix or OR is found by the backward walk of
			// messages_pkey, which tests every row: the exact condition alone.
			// With the group's tsquery beside a filter no index answers, the
			// planner estimated 78 of 11,736 rows for "voucher" and sorted all
			// of them (1.5 s).
			conds = append(conds, pgAny(alts, &args, false))
			continue
		}
		ors := make([]string, len(alts))
		tagged := false
		for i, a := range alts {
			ors[i] = a.match.sql
			args = append(args, a.match.args...)
			tagged = tagged || a.tag != nil
		}
		conds = append(conds, `m.search @@ (`+strings.Join(ors, " || ")+`)`)
		if tagged {
			conds = append(conds, pgAny(alts, &args, true)+` IS TRUE`)
		}
	}
	where := strings.Join(conds, " AND ")
	if len(q.Excluded) > 0 {
		var neg []pgAlt
		for _, t := range q.Excluded {
			neg = append(neg, pgTermAlts(t)...)
		}
		where += " AND NOT " + pgAny(neg, &args, true)
	}
	return `
		SELECT m.id, m.text, m.conversation_id, m.subject, m.sent_at, m.sentiment, m.flags, m.author_id
		FROM messages m
		WHERE (` + where + `)`, args
}

// pgSearchPage wraps the messages query of pgSearchSQL, completed with its
// ORDER BY and LIMIT, with what a hit shows: the conversation's channel and
// subject and the author. Joined after the LIMIT, they are read for the hits
// only: joined inside, a wide window's matches overestimated (2,310 rows
// expected, 230 found) made the planner hash every author of the table
// (172,704 rows, 60 ms) for 46 hits.
func pgSearchPage(messages string) string {
	return `
		SELECT m.id, m.text, m.conversation_id, c.channel, m.subject, c.subject, m.sent_at, m.sentiment, m.flags, ` + authorColumns("a") + `
		FROM (` + messages + `) m
		JOIN conversations c ON c.id = m.conversation_id
		LEFT JOIN authors a ON a.id = m.author_id
		ORDER BY m.id DESC`
}

// pgMatch is one tsquery expression with its arguments; pgAlt is one way a
// term matches: a tsquery, and the stemmer token an own word also needs.
type (
	pgMatch struct {
		sql  string
		args []any
	}
	pgAlt struct {
		match pgMatch
		tag   *pgMatch
	}
)

// pgAny writes the OR of alts as SQL conditions on the search column,
// appending their arguments to args. Unless plain, a tag is tested with
// `IS TRUE`, which no index answers, so the planner never builds the bitmap
// of a stemmer token found in most messages of its language.
func pgAny(alts []pgAlt, args *[]any, plain bool) string {
	ors := make([]string, len(alts))
	for i, a := range alts {
		ors[i] = `m.search @@ ` + a.match.sql
		*args = append(*args, a.match.args...)
		if a.tag != nil {
			tag := `m.search @@ ` + a.tag.sql
			if !plain {
				tag = "(" + tag + ") IS TRUE"
			}
			ors[i] = "(" + ors[i] + ` AND ` + tag + ")"
			*args = append(*args, a.tag.args...)
		}
	}
	return "(" + strings.Join(ors, " OR ") + ")"
}

// pgTermAlts are the ways one term matches, any of them enough.
func pgTermAlts(t textsearch.Term) []pgAlt {
	switch t.Kind {
	case textsearch.Word:
		lex := make([]string, len(t.Stems))
		for i, s := range t.Stems {
			lex[i] = tsLexeme(s) + ":A"
		}
		alts := []pgAlt{{match: pgStems(strings.Join(lex, " | "))}}
		// As ftsTerm: a stem that is its own word is not among a message's
		// stems, so it is looked up among the words, with the stemmer's
		// token where the stemmer matters.
		for _, o := range t.Own {
			alt := pgAlt{match: pgWords(o.Word)}
			if o.Stemmers != nil {
				tok := make([]string, len(o.Stemmers))
				for i, s := range o.Stemmers {
					tok[i] = tsLexeme(s) + ":A"
				}
				tag := pgStems(strings.Join(tok, " | "))
				alt.tag = &tag
			}
			alts = append(alts, alt)
		}
		return alts
	case textsearch.Prefix:
		last := t.Words[len(t.Words)-1]
		prefix := pgMatch{`to_tsquery('simple', quote_literal(stormdesk_fold(?)) || ':*D')`, []any{last}}
		if len(t.Words) == 1 {
			return []pgAlt{{match: prefix}}
		}
		phrase := pgWords(strings.Join(t.Words[:len(t.Words)-1], " "))
		return []pgAlt{{match: pgMatch{`tsquery_phrase(` + phrase.sql + `, ` + prefix.sql + `)`, slices.Concat(phrase.args, prefix.args)}}}
	default:
		return []pgAlt{{match: pgWords(strings.Join(t.Words, " "))}}
	}
}

// pgStems matches any of the tsquery lexemes (weight A) among the stems.
// stormdesk_unaccent lower-cases the weight letters too, which tsquery
// reads either way.
func pgStems(lexemes string) pgMatch {
	return pgMatch{`to_tsquery('simple', stormdesk_unaccent(?))`, []any{lexemes}}
}

// pgWords matches text as a phrase of words (weight D): the words of
// stormdesk_fold(text), folded here as the server folds them (pgfold.go),
// each quoted and joined by <->. to_tsquery gives each quoted word the
// lexemes phraseto_tsquery would, since a folded word is a run of letters
// and digits; phraseto_tsquery itself has no way to name a weight.
func pgWords(text string) pgMatch {
	words := strings.Fields(pgFoldWords(text))
	for i, w := range words {
		words[i] = tsLexeme(w) + ":D"
	}
	return pgMatch{`to_tsquery('simple', ?)`, []any{strings.Join(words, " <-> ")}}
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
// the planner's estimate of the matches (pgFirstWindow). When that estimate
// says the matches are dense (pgWalkDensity), the search walks
// messages_pkey backward instead, as a single word's does.
//
// The windows run in one read-only transaction with two planner settings
// (SET LOCAL, so they end with it). enable_indexscan off: inside a window
// the planner still prefers the backward walk of messages_pkey when it
// expects few rows to test, and an AND's matches are underestimated (its
// words counted as independent), so it tested 10,000 rows of a window for 46
// hits; with plain index scans off it can only read messages through bitmaps
// (and conversations and authors by bitmaps of their keys, one row each).
// plan_cache_mode force_custom_plan: pgx prepares statements, and a generic
// plan, made without the window's bounds or the words, cannot tell a window
// of 100 ids from one of the whole table. And no parallel workers: a window
// holds about limit hits, and starting workers for it cost more than they
// saved on the team server's few cores, which other requests share.
func (s *Store) pgSearch(ctx context.Context, an *textsearch.Analyzer, parsed textsearch.Query, q SearchQuery, limit int) ([]SearchHit, error) {
	// A channel's share of all messages, for the first window's estimate
	// of the matches, which counts the whole table.
	chShare := 1.0
	var accounts []int64
	if q.Channel != "" {
		var err error
		if accounts, chShare, err = pgChannelAccounts(ctx, s.db, q.Channel); err != nil {
			return nil, fmt.Errorf("store: search %q: %w", q.Text, err)
		}
		if len(accounts) == 0 {
			return []SearchHit{}, nil
		}
	}
	// The query for windows and the one for the backward walk, with the
	// page's limits.
	build := func(walk bool) (string, []any) {
		query, args := pgSearchSQL(parsed, walk)
		if q.BeforeID > 0 {
			query += ` AND m.id < ?`
			args = append(args, q.BeforeID)
		}
		if q.Channel != "" {
			query += ` AND m.account_id = ANY(?)`
			args = append(args, accounts)
		}
		return query, args
	}
	if !pgWindowed(parsed) && s.searchWindow == 0 {
		query, args := build(true)
		page := pgSearchPage(query + ` ORDER BY m.id DESC LIMIT ?`)
		return searchHits(ctx, s.db, an, parsed, q.Text, page, append(args, limit), nil)
	}
	query, args := build(false)
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("store: search %q: %w", q.Text, err)
	}
	defer tx.Rollback()
	hits := []SearchHit{}
	now := time.Now()
	key := pgRestKey{text: q.Text, channel: q.Channel}
	scan, kept := pgSearchScan{}, false
	if q.BeforeID > 0 {
		key.before = q.BeforeID
		scan, kept = s.searchMemory.get(key, now)
	}
	for kept && len(hits) < limit && len(scan.rest) > 0 {
		// The matches the last page's window found below it, read afresh
		// (again if one is gone: the windows go on only below them all).
		n := min(limit-len(hits), len(scan.rest))
		hits, err = searchHits(ctx, tx, an, parsed, q.Text, pgSearchPage(pgSearchByID), []any{scan.rest[:n]}, hits)
		if err != nil {
			return nil, err
		}
		scan.rest = scan.rest[n:]
	}
	if !kept {
		// The newest id of all too: the first window's estimate is of
		// matches in the whole table (pgFirstWindow).
		bounds, bargs := `SELECT min(id), max(id), (SELECT max(id) FROM messages) FROM messages`, []any{}
		if q.BeforeID > 0 {
			bounds += ` WHERE id < ?`
			bargs = append(bargs, q.BeforeID)
		}
		var lo, hi, newest sql.NullInt64
		if err := tx.QueryRowContext(ctx, bounds, bargs...).Scan(&lo, &hi, &newest); err != nil {
			return nil, fmt.Errorf("store: search %q: id range: %w", q.Text, err)
		}
		if !hi.Valid {
			return hits, nil
		}
		scan = pgSearchScan{hi: hi.Int64, lo: lo.Int64, top: hi.Int64, width: s.searchWindow, walk: s.searchWalkFirst,
			settled: newest.Int64 - s.searchSettle}
		if scan.width <= 0 {
			all := newest.Int64 - lo.Int64 + 1
			d, known := pgDensity{}, false
			if q.BeforeID == 0 {
				d, known = s.searchMemory.density(pgDensityKey{q.Text, q.Channel}, now)
			}
			if known {
				scan.walk = d.walk
				scan.width = pgFirstWindow(d.perID*float64(all), hi.Int64-lo.Int64+1, all, limit)
			} else {
				matches, err := pgEstimate(ctx, tx, query, args)
				if err != nil {
					return nil, fmt.Errorf("store: search %q: %w", q.Text, err)
				}
				matches *= chShare
				scan.walk = matches >= pgWalkDensity*float64(all)
				scan.width = pgFirstWindow(matches*pgPhraseShare(parsed), hi.Int64-lo.Int64+1, all, limit)
			}
		}
	} else if len(hits) < limit {
		// Where the scan stopped: a first window sized by the density of
		// its matches so far.
		scan.width = scan.nextWidth(limit - len(hits))
	}
	if len(hits) < limit && scan.top >= scan.lo {
		if err := s.pgSearchWindows(ctx, tx, an, parsed, q.Text, query, args, build, &scan, &hits, limit); err != nil {
			return nil, err
		}
	}
	if spanned := scan.hi - max(scan.top, scan.lo-1); spanned > 0 && s.searchWindow == 0 && q.BeforeID == 0 {
		s.searchMemory.learn(pgDensityKey{q.Text, q.Channel}, pgDensity{perID: float64(scan.found) / float64(spanned), walk: scan.walk}, now)
	}
	if len(hits) == limit && hits[limit-1].MessageID <= scan.settled {
		key.before = hits[limit-1].MessageID
		s.searchMemory.put(key, scan, now)
	}
	return hits, tx.Commit()
}

// pgSearchByID reads the rows of a kept scan's matches (pgSearchScan.rest)
// for pgSearchPage.
const pgSearchByID = `
		SELECT m.id, m.text, m.conversation_id, m.subject, m.sent_at, m.sentiment, m.flags, m.author_id
		FROM messages m WHERE m.id = ANY(?)`

// pgSearchWindows adds to hits, up to limit, the matches below scan.top,
// window by window (see pgSearch), and leaves in scan where it stopped and
// the matches its last window found beyond the limit.
func (s *Store) pgSearchWindows(ctx context.Context, tx *sql.Tx, an *textsearch.Analyzer, parsed textsearch.Query, label, query string, args []any,
	build func(walk bool) (string, []any), scan *pgSearchScan, hits *[]SearchHit, limit int) error {
	if _, err := tx.ExecContext(ctx, `SET LOCAL enable_indexscan = off; SET LOCAL plan_cache_mode = force_custom_plan;
		SET LOCAL max_parallel_workers_per_gather = 0`); err != nil {
		return fmt.Errorf("store: search %q: planner settings: %w", label, err)
	}
	const window = ` AND m.id > ? AND m.id <= ? ORDER BY m.id DESC LIMIT ?`
	page := pgSearchPage(query + window)
	start, want, got := scan.top, limit-len(*hits), 0
	walk := scan.walk
	for scan.top >= scan.lo && got < want {
		bottom := scan.lo - 1
		if scan.width < scan.top-bottom {
			bottom = scan.top - scan.width
		}
		// A bitmap window reads and tests every match in it, so it keeps
		// up to a page more for the next page; a walk stops at the limit.
		wpage, wargs, fetch := page, args, want-got+limit
		if walk {
			// Dense matches: the first window walks messages_pkey backward
			// and stops at the limit, as a single word's search does.
			if _, err := tx.ExecContext(ctx, `SET LOCAL enable_indexscan = on`); err != nil {
				return fmt.Errorf("store: search %q: planner settings: %w", label, err)
			}
			var walkQuery string
			walkQuery, wargs = build(true)
			wpage, fetch = pgSearchPage(walkQuery+window), want-got
		}
		before := len(*hits)
		all, err := searchHits(ctx, tx, an, parsed, label, wpage, slices.Concat(wargs, []any{bottom, scan.top, fetch}), *hits)
		if err != nil {
			return err
		}
		n := len(all) - before
		if n == fetch {
			// The window may hold more: the scan stops at its last row.
			scan.top = all[len(all)-1].MessageID - 1
		} else {
			scan.top = bottom
		}
		got += n
		scan.found += n
		if len(all) > limit {
			for _, h := range all[limit:] {
				scan.rest = append(scan.rest, h.MessageID)
			}
			all = all[:limit]
		}
		*hits = all
		if walk {
			if _, err := tx.ExecContext(ctx, `SET LOCAL enable_indexscan = off`); err != nil {
				return fmt.Errorf("store: search %q: planner settings: %w", label, err)
			}
			walk = false
		}
		scan.width = nextWindow(scan.width, start-scan.top, got, want)
	}
	return nil
}

// nextWidth is the width of the first window of a kept scan's next page,
// which needs want more matches: twice the ids the density of its matches
// so far says they take, as pgFirstWindow, and eight times the last window
// when it found none.
func (sc *pgSearchScan) nextWidth(want int) int64 {
	if sc.found == 0 {
		return nextWindow(sc.width, 0, 0, want)
	}
	return max(int64(want), int64(2*float64(want)*float64(sc.hi-sc.top)/float64(sc.found)))
}

// pgWalkDensity is the share of all messages an AND or a phrase must be
// estimated to match (the planner's estimate, a phrase counted as the AND of
// its words) for its first window to walk messages_pkey backward, testing
// each row until the limit, instead of ANDing bitmaps: at one in two hundred,
// 50 hits are among the newest 10,000 rows, where a window's bitmap scans the
// search index for every word, and common words have long posting lists. By
// windows, the phrase "my order" (17,196 of 1M messages; 'my' and 'order'
// together in 153,209) took 78-103 ms, "the flight" 43-45 ms, the AND
// "flight delayed" (9,100 matches) 13-25 ms; walked, 5-11, 8-9 and 8-10 ms.
// Sparser ANDs ("refund money", 3,300 expected) were slower walked. The
// window still bounds the walk when the estimate is far too high.
const pgWalkDensity = 0.005

// pgSearchWindowIndex (PostgreSQL 20) lets a search window's id range
// narrow the GIN index's matches before the table is read. Without it a
// window wider than a few thousand ids was a filter on the rows fetched:
// its range, as a bitmap of messages_pkey, costs more to build than it
// saves, so PostgreSQL read every match in the table and dropped those
// outside (1,421 rows for "Lieferung Paket" in a window that held 442, all
// 5,849 rows with both words of "still waiting" in one that held 77). A
// BRIN index sums up each 16 pages of messages by their smallest and
// largest id, which follow the order rows were written in, so any range is
// a bitmap of a few page ranges, read from 168 kB at 1M messages.
//
// PostgreSQL ANDs the cheaper bitmap into the other, and a BRIN bitmap
// first makes every page lossy: each row of a page with a match is tested
// (27,000 rows for the phrase's 1,900 pages, 21 ms against 11 alone). At 16
// pages per range a quiet server costs the BRIN scan above a rare word's GIN
// scan, so the GIN's exact matches come first; while messages arrive the
// GIN index's pending list raises its cost and the BRIN comes first. Fewer
// pages either way (docs/benchmarks.md). Ranges written since the last
// VACUUM are not summed up and are always read: autosummarize would sum
// them sooner, but it asks autovacuum once per range and logs each request
// it cannot queue, thousands during an import.
const pgSearchWindowIndex = `
CREATE INDEX messages_id_brin ON messages USING brin (id) WITH (pages_per_range = 16);
`

// pgWindowed says whether a query is searched by windows: an AND of terms, or
// a phrase. A query of one word, prefix or OR of them is not: its matches are
// dense enough that the backward walk of messages_pkey finds the newest 50
// within a few thousand rows (p99 at most 12 ms at 1M, quiet), while a
// window would build the GIN bitmap of every match of a common word.
func pgWindowed(q textsearch.Query) bool {
	if len(q.Groups) > 1 {
		return true
	}
	for _, g := range q.Groups {
		for _, t := range g {
			if t.Kind == textsearch.Phrase || len(t.Words) > 1 {
				return true
			}
		}
	}
	return false
}

// nextWindow is the width of the window after one of width, once spanned ids
// gave found of limit hits: twice what the density so far says the rest
// needs, and at least twice the last one, so a search takes a few windows at
// most. Without any hit yet, eight times the last.
func nextWindow(width, spanned int64, found, limit int) int64 {
	const widest = 1 << 59 // no overflow below, whatever the ids
	if found == 0 {
		return min(width*8, widest)
	}
	need := min(2*float64(limit-found)*float64(spanned)/float64(found), widest)
	return min(max(2*width, int64(need)), widest)
}

// pgFirstWindow is the width of the first window: twice the ids that should
// hold limit hits, by matches, the estimated matches among all ids (see
// pgEstimate; times pgPhraseShare and a channel's share of the messages).
// The estimate counts the whole table: the search index does not see the id
// range of a page below BeforeID. Not below limit ids, nor above the span ids
// searched.
func pgFirstWindow(matches float64, span, all int64, limit int) int64 {
	return max(int64(limit), int64(min(float64(span), 2*float64(limit)*float64(all)/max(matches, 1))))
}

// pgEstimate is the planner's estimate of the matches of a search query in
// the whole table (pgEstimatedMatches), the filters on the rows the search
// index found counted as keeping them all.
func pgEstimate(ctx context.Context, db querier, query string, args []any) (float64, error) {
	var out []byte
	if err := db.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) `+query, args...).Scan(&out); err != nil {
		return 0, fmt.Errorf("estimate: %w", err)
	}
	rows, err := pgEstimatedMatches(out)
	if err != nil {
		return 0, fmt.Errorf("estimate: %w", err)
	}
	return rows, nil
}

// pgPhraseShare is the share of the planner's estimate that a query with a
// phrase matches. PostgreSQL estimates a phrase as the AND of its words,
// and the words next to each other are fewer than the words anywhere in the
// same message: on the benchmark's 1M messages the estimate was 4.6 to 12
// times the phrase's matches ("still waiting" 3,259 expected, 290 found),
// so the first window held 8 of 50 hits and a second one, with a second scan
// of the search index, followed. A quarter: where the words mostly stand
// together, a window up to four times too wide reads a few hundred more
// rows, which costs less than that second scan.
func pgPhraseShare(q textsearch.Query) float64 {
	for _, g := range q.Groups {
		phrases := len(g) > 0
		for _, t := range g {
			phrases = phrases && len(t.Words) > 1
		}
		if phrases {
			return 0.25
		}
	}
	return 1
}

// pgChannelAccounts returns the accounts of a channel and the share of all
// messages that are theirs (by the accounts' message counts; 1 when none
// are counted). A channel's search keeps the messages of these accounts: a
// conversation's channel is its account's (SaveItems takes it from the
// account, and an account's channel never changes), so the messages need no
// join with their conversations. With the join each match a window found
// looked its conversation up (1,472 lookups in one window of "refund money"
// on Mastodon), and the planner, which counts the channel and the words as
// independent, took 11 % of the matches to be Mastodon's where 1.2 % were.
func pgChannelAccounts(ctx context.Context, db querier, ch inbox.ChannelKind) ([]int64, float64, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, channel = ?, message_count FROM accounts`, ch)
	if err != nil {
		return nil, 0, fmt.Errorf("accounts of %s: %w", ch, err)
	}
	defer rows.Close()
	var ids []int64
	var theirs, all int64
	for rows.Next() {
		var id, n int64
		var in bool
		if err := rows.Scan(&id, &in, &n); err != nil {
			return nil, 0, fmt.Errorf("accounts of %s: %w", ch, err)
		}
		all += n
		if in {
			ids = append(ids, id)
			theirs += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("accounts of %s: %w", ch, err)
	}
	if theirs == 0 {
		return ids, 1, nil
	}
	return ids, float64(theirs) / float64(all), nil
}

// pgEstimatedMatches reads the planner's estimate of a search's matches
// from its plan (EXPLAIN (FORMAT JSON)), at least 1: the plan's rows, with
// the filter on the rows the search index found counted as keeping them
// all. That filter is the stemmer-token test (pgAny's `IS TRUE`), which the
// planner cannot see into and counts as keeping a few percent; it keeps
// nearly all. Taken as planned, "flight delayed" expected 829 of 1M where
// 9,100 match, so the first window spanned 116,000 ids and read 1,058 rows
// for 50 hits. What lies above the table scan still counts.
// The index's own estimate counts an AND's words as independent and a
// phrase as the AND of its words, so it errs the other way, and nextWindow
// widens a window that was too narrow.
func pgEstimatedMatches(plan []byte) (float64, error) {
	var nodes []struct {
		Plan pgPlanNode `json:"Plan"`
	}
	if err := json.Unmarshal(plan, &nodes); err != nil || len(nodes) == 0 {
		return 0, fmt.Errorf("unreadable plan %.200s: %v", plan, err)
	}
	top := &nodes[0].Plan
	rows := top.Rows
	if path := top.path(pgSearchIndex); len(path) > 0 {
		scan := path[len(path)-1]
		// The nearest table scan above the index scan applies the filter.
		for i := len(path) - 2; i >= 0; i-- {
			if path[i].Relation != "" {
				rows = rows * scan.Rows / max(path[i].Rows, 1)
				break
			}
		}
	}
	return max(rows, 1), nil
}

// pgSearchIndex is the GIN index of the search column (pgSearchOneIndex).
const pgSearchIndex = "messages_search_gin"

// pgPlanNode is what pgEstimatedMatches reads of a node of EXPLAIN (FORMAT
// JSON).
type pgPlanNode struct {
	Rows     float64      `json:"Plan Rows"`
	Index    string       `json:"Index Name"`
	Relation string       `json:"Relation Name"`
	Plans    []pgPlanNode `json:"Plans"`
}

// path returns the nodes from n down to the first node, depth first, that
// scans the index named, or nil when none does.
func (n *pgPlanNode) path(index string) []*pgPlanNode {
	if n.Index == index {
		return []*pgPlanNode{n}
	}
	for i := range n.Plans {
		if p := n.Plans[i].path(index); p != nil {
			return append([]*pgPlanNode{n}, p...)
		}
	}
	return nil
}
