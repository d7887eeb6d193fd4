package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/textsearch"
)

// Markers around matched words in SearchHit.Snippet; the UI turns them into <mark>.
const (
	MatchStart = "\x02"
	MatchEnd   = "\x03"
)

// Search result limits.
const (
	DefaultSearchLimit = 50
	MaxSearchLimit     = 200
)

// snippetWords is how many words a hit's snippet shows around its matches.
const snippetWords = 24

// SearchQuery is a full-text search over message text and subjects.
//
// Text syntax (see textsearch.Parse): words are ANDed and match any form of
// the word (stemmed in English, Russian and German); "quoted phrases" match
// the exact words; a trailing * makes a word a prefix (deliv* matches
// delivery); OR between two terms matches either (OR binds tighter than the
// implicit AND: a b OR c = a AND (b OR c)); a leading - excludes a word or
// phrase. Case, ё/е and Latin diacritics never matter. Everything else (other
// operators, punctuation, unbalanced quotes) is treated as plain text and can
// never cause a syntax error.
type SearchQuery struct {
	Text     string            `json:"text"`
	Limit    int               `json:"limit"`    // 0 = 50, at most 200
	Channel  inbox.ChannelKind `json:"channel"`  // "" = any
	BeforeID int64             `json:"beforeId"` // keyset: only message ids below this; 0 = from the newest
}

// SearchHit is one matching message.
type SearchHit struct {
	MessageID      int64             `json:"messageId"`
	ConversationID int64             `json:"conversationId"`
	Channel        inbox.ChannelKind `json:"channel"`
	Author         inbox.Author      `json:"author"`
	Subject        string            `json:"subject"` // the message's subject, else its conversation's
	Snippet        string            `json:"snippet"` // matches wrapped in MatchStart and MatchEnd
	SentAt         time.Time         `json:"sentAt" ts_type:"string"`
	Sentiment      inbox.Sentiment   `json:"sentiment"`
	// SuspiciousDate marks a message whose own date could not be trusted
	// (flagged suspicious-date, or stored out of range and shown clamped).
	SuspiciousDate bool `json:"suspiciousDate"`
}

// Search returns the newest messages matching q.Text, newest first (by message
// id, not relevance: ranking every match does not scale). Pass the last hit's
// MessageID as BeforeID for the next page. Text without searchable words
// returns no hits and no error.
func (s *Store) Search(ctx context.Context, q SearchQuery) ([]SearchHit, error) {
	an := textsearch.NewAnalyzer()
	parsed := an.Parse(q.Text)
	match := ftsMatch(parsed)
	if match == "" {
		return []SearchHit{}, nil
	}
	if q.Channel != "" && !q.Channel.Valid() {
		return nil, fmt.Errorf("store: search: unknown channel %q", q.Channel)
	}
	limit := q.Limit
	switch {
	case limit <= 0:
		limit = DefaultSearchLimit
	case limit > MaxSearchLimit:
		limit = MaxSearchLimit
	}
	if s.d.pg {
		return s.pgSearch(ctx, an, parsed, q, limit)
	}
	query := `
		SELECT messages_fts.rowid, m.text,
		       m.conversation_id, c.channel, m.subject, c.subject, m.sent_at, m.sentiment, m.flags, ` + authorColumns("a") + `
		FROM messages_fts
		JOIN messages m ON m.id = messages_fts.rowid
		JOIN conversations c ON c.id = m.conversation_id
		LEFT JOIN authors a ON a.id = m.author_id
		WHERE messages_fts MATCH ?`
	args := []any{match}
	if q.BeforeID > 0 {
		query += ` AND messages_fts.rowid < ?`
		args = append(args, q.BeforeID)
	}
	if q.Channel != "" {
		query += ` AND c.channel = ?`
		args = append(args, q.Channel)
	}
	query += ` ORDER BY messages_fts.rowid DESC LIMIT ?`
	args = append(args, limit)
	return searchHits(ctx, s.db, an, parsed, q.Text, query, args, nil)
}

// searchHits runs a search query whose columns are those of pgSearchPage and
// appends its hits to hits.
func searchHits(ctx context.Context, db querier, an *textsearch.Analyzer, parsed textsearch.Query, label, query string, args []any, hits []SearchHit) ([]SearchHit, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: search %q: %w", label, err)
	}
	defer rows.Close()
	if hits == nil {
		hits = []SearchHit{}
	}
	for rows.Next() {
		var h SearchHit
		var text, msgSubject, convSubject, flags string
		var sent int64
		dst := []any{&h.MessageID, &text, &h.ConversationID, &h.Channel, &msgSubject, &convSubject, &sent, &h.Sentiment, &flags}
		adst, adone := authorDest(&h.Author)
		if err := rows.Scan(append(dst, adst...)...); err != nil {
			return nil, fmt.Errorf("store: search %q: %w", label, err)
		}
		adone()
		h.Snippet = hitSnippet(an, parsed, msgSubject, text)
		h.Subject = msgSubject
		if h.Subject == "" {
			h.Subject = convSubject
		}
		fl := splitList(flags, flagSep)
		h.SentAt, _ = readSentAt(sent, sql.NullInt64{}, &fl)
		h.SuspiciousDate = slices.Contains(fl, inbox.FlagSuspiciousDate)
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: search %q: %w", label, err)
	}
	return hits, nil
}

// Column filters of the index (see searchIndexSQL): single words are looked
// up among the stems, phrases and prefixes among the (ё-folded) words.
const (
	ftsStems = "stems"
	ftsWords = "{subject text}"
)

// ftsMatch writes a parsed query as an FTS5 query. Every term is a quoted
// string, so no user character is ever read as FTS5 syntax. It returns ""
// when nothing can match (no positive term).
func ftsMatch(q textsearch.Query) string {
	if q.Empty() {
		return ""
	}
	parts := make([]string, 0, len(q.Groups))
	for _, g := range q.Groups {
		alts := make([]string, len(g))
		for i, t := range g {
			alts[i] = ftsTerm(t)
		}
		if len(alts) == 1 {
			parts = append(parts, alts[0])
		} else {
			parts = append(parts, "("+strings.Join(alts, " OR ")+")")
		}
	}
	match := strings.Join(parts, " AND ")
	if len(q.Excluded) > 0 {
		neg := make([]string, len(q.Excluded))
		for i, t := range q.Excluded {
			neg[i] = ftsTerm(t)
		}
		match = "(" + match + ") NOT (" + strings.Join(neg, " OR ") + ")"
	}
	return match
}

// ftsTerm is one term with its column filter. A word is looked up by its
// stems, and by those of its stems that are their own stem among the words
// too: a message's stems leave such a word out (see textsearch.Document).
// Where the stemmer matters (an English and a German stem), the message must
// also hold the token of a stemmer that gives that stem.
func ftsTerm(t textsearch.Term) string {
	switch t.Kind {
	case textsearch.Word:
		alts := []string{ftsStems + " : " + ftsAny(t.Stems)}
		for _, o := range t.Own {
			alt := ftsWords + " : " + ftsString(o.Word)
			if o.Stemmers != nil {
				alt = "(" + alt + " AND " + ftsStems + " : " + ftsAny(o.Stemmers) + ")"
			}
			alts = append(alts, alt)
		}
		if len(alts) == 1 {
			return alts[0]
		}
		return "(" + strings.Join(alts, " OR ") + ")"
	case textsearch.Prefix:
		return ftsWords + " : " + ftsString(strings.Join(t.Words, " ")) + " *"
	default:
		return ftsWords + " : " + ftsString(strings.Join(t.Words, " "))
	}
}

// ftsAny matches any of the tokens.
func ftsAny(tokens []string) string {
	quoted := make([]string, len(tokens))
	for i, s := range tokens {
		quoted[i] = ftsString(s)
	}
	if len(quoted) == 1 {
		return quoted[0]
	}
	return "(" + strings.Join(quoted, " OR ") + ")"
}

// ftsString quotes s as an FTS5 string.
func ftsString(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// hitSnippet shows where a hit matched: in its text, or in its own subject
// when only that matched; matches are wrapped in MatchStart and MatchEnd.
func hitSnippet(an *textsearch.Analyzer, q textsearch.Query, subject, text string) string {
	lang := textsearch.DetectLang(subject, text)
	marks := textsearch.Marks{Start: MatchStart, End: MatchEnd, Ellipsis: "…"}
	snip, n := an.Snippet(q, lang, text, snippetWords, marks)
	if n == 0 && subject != "" {
		if s, ns := an.Snippet(q, lang, subject, snippetWords, marks); ns > 0 {
			return s
		}
	}
	return snip
}
