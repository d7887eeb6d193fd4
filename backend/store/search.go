package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/stormdesk/stormdesk/backend/inbox"
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

// maxSearchTerms bounds how many terms a query may have; the rest is ignored.
const maxSearchTerms = 32

// SearchQuery is a full-text search over message text and subjects.
//
// Text syntax: words are ANDed; "quoted phrases" match as phrases; a trailing *
// makes a word a prefix (deliv* matches delivery); OR between two terms matches
// either (OR binds tighter than the implicit AND: a b OR c = a AND (b OR c)).
// Everything else (other operators, punctuation, unbalanced quotes) is treated
// as plain text and can never cause a syntax error.
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
	SentAt         time.Time         `json:"sentAt"`
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
	match := ftsQuery(q.Text)
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
	query := `
		SELECT messages_fts.rowid, snippet(messages_fts, -1, char(2), char(3), '…', 24),
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

	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: search %q: %w", q.Text, err)
	}
	defer rows.Close()
	hits := []SearchHit{}
	for rows.Next() {
		var h SearchHit
		var msgSubject, convSubject, flags string
		var sent int64
		dst := []any{&h.MessageID, &h.Snippet, &h.ConversationID, &h.Channel, &msgSubject, &convSubject, &sent, &h.Sentiment, &flags}
		adst, adone := authorDest(&h.Author)
		if err := rows.Scan(append(dst, adst...)...); err != nil {
			return nil, fmt.Errorf("store: search %q: %w", q.Text, err)
		}
		adone()
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
		return nil, fmt.Errorf("store: search %q: %w", q.Text, err)
	}
	return hits, nil
}

// ftsQuery turns user text into a safe FTS5 query: every term is a quoted
// string, so no user character is ever read as FTS5 syntax. It returns ""
// when the text has nothing searchable.
func ftsQuery(text string) string {
	type term struct {
		s      string // FTS5 string, quoted
		prefix bool
	}
	var groups [][]term // ANDed groups of ORed terms
	joinNext := false   // the previous token was OR
	nterms := 0
	add := func(words string, prefix bool) {
		if !searchable(words) || nterms >= maxSearchTerms {
			return
		}
		nterms++
		t := term{s: `"` + strings.ReplaceAll(words, `"`, `""`) + `"`, prefix: prefix}
		if joinNext && len(groups) > 0 {
			groups[len(groups)-1] = append(groups[len(groups)-1], t)
		} else {
			groups = append(groups, []term{t})
		}
		joinNext = false
	}

	rs := []rune(strings.ToValidUTF8(text, " "))
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
			i++
		case r == '"':
			// A phrase runs to the closing quote, or to the end if there is none.
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			add(cleanWords(rs[i+1:j]), false)
			i = j + 1
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && !unicode.IsControl(rs[j]) && rs[j] != '"' {
				j++
			}
			word := string(rs[i:j])
			i = j
			switch word {
			case "OR":
				joinNext = len(groups) > 0
				continue
			case "AND":
				joinNext = false
				continue
			}
			prefix := strings.HasSuffix(word, "*")
			add(cleanWords([]rune(strings.TrimRight(word, "*"))), prefix)
		}
	}

	parts := make([]string, 0, len(groups))
	for _, g := range groups {
		alts := make([]string, len(g))
		for i, t := range g {
			alts[i] = t.s
			if t.prefix {
				alts[i] += " *"
			}
		}
		if len(alts) == 1 {
			parts = append(parts, alts[0])
		} else {
			parts = append(parts, "("+strings.Join(alts, " OR ")+")")
		}
	}
	return strings.Join(parts, " AND ")
}

// cleanWords keeps letters, digits and combining marks, turning every other
// character into a space, as the unicode61 tokenizer would.
func cleanWords(rs []rune) string {
	out := make([]rune, 0, len(rs))
	for _, r := range rs {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r) || unicode.Is(unicode.M, r) {
			out = append(out, r)
		} else {
			out = append(out, ' ')
		}
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// searchable reports whether s holds a letter or digit the tokenizer will index.
func searchable(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return true
		}
	}
	return false
}
