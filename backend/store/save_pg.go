package store

import (
	"cmp"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// chunkMessagesPG is how many messages one PostgreSQL insert carries. The
// stemming goroutine (stemAhead) works on the next chunk while the server
// inserts this one, so a chunk is far smaller than a whole import batch.
const chunkMessagesPG = 1000

// pgInsertMessagesUnnest inserts a chunk of messages as one statement whose
// parameters are one array per column (unnest): a fixed text the server
// parses and plans once per chunk, and 19 parameters instead of a VALUES
// list of 100 rows × 20 placeholders per statement, each of which cost a
// parse, a plan of the list and an executor start, and, in Go, a
// database/sql conversion per value. The search columns are made from the
// tsvector Go built (pgvector.go: words then stems in one column,
// pgSearchOneIndex), which the server only reads; where Go declined, from
// the strings folded in Go (pgSearchWrittenByGo), which the server splits
// into words.
// Rows are inserted in array order (ORDER BY the ordinality), so ids
// ascend with the batch as they do on SQLite.
const pgInsertMessagesUnnest = `
	INSERT INTO messages (conversation_id, account_id, external_id, direction, kind, author_id,
		subject, text, html, sent_at, sentiment, sentiment_score, flags, attachments, sentiment_confidence,
		claimed_at, stems, search)
	SELECT u.conv, ?, u.ext, u.dir, u.kind, u.author,
		u.subject, u.text, u.html, u.sent_at, u.sentiment, u.score, u.flags, u.attachments, u.confidence,
		u.claimed_at, u.stems,
		COALESCE(u.vector::tsvector,
			to_tsvector('simple', u.fsubject) || to_tsvector('simple', u.ftext) || setweight(to_tsvector('simple', u.fstems), 'A'))
	FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[],
		?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::float8[], ?::text[], ?::text[], ?::float8[],
		?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
		WITH ORDINALITY AS u(conv, ext, dir, kind, author,
			subject, text, html, sent_at, sentiment, score, flags, attachments, confidence,
			claimed_at, stems, fstems, fsubject, ftext, vector, ord)
	ORDER BY u.ord`

// pgMessageColumns holds one chunk's messages column by column, NULLs as nil pointers.
type pgMessageColumns struct {
	conv, sentAt                                    []int64
	author, claimedAt                               []*int64
	ext, dir, kind, subject, text, html, sentiment  []string
	flags, attachments, stems, fstems, fsubj, ftext []string
	vector                                          []*string
	score                                           []float64
	confidence                                      []*float64
}

func newPGMessageColumns(n int) *pgMessageColumns {
	s := func() []string { return make([]string, 0, n) }
	return &pgMessageColumns{
		conv: make([]int64, 0, n), sentAt: make([]int64, 0, n),
		author: make([]*int64, 0, n), claimedAt: make([]*int64, 0, n),
		ext: s(), dir: s(), kind: s(), subject: s(), text: s(), html: s(), sentiment: s(),
		flags: s(), attachments: s(), stems: s(), fstems: s(), fsubj: s(), ftext: s(),
		vector: make([]*string, 0, n),
		score:  make([]float64, 0, n), confidence: make([]*float64, 0, n),
	}
}

// insertMessagesPG inserts fr[lo:hi] with pgInsertMessagesUnnest.
func (b *batch) insertMessagesPG(fr []fresh, stems *aheadStems, lo, hi int) error {
	c := newPGMessageColumns(hi - lo)
	for i := lo; i < hi; i++ {
		f := &fr[i]
		it := f.it
		var author, claimed *int64
		if f.authorID != 0 {
			author = &f.authorID
		}
		if it.ClaimedAt != nil {
			v := ms(*it.ClaimedAt)
			claimed = &v
		}
		c.conv = append(c.conv, f.conv.id)
		c.ext = append(c.ext, it.ExternalID)
		c.dir = append(c.dir, string(it.Direction))
		c.kind = append(c.kind, string(it.Kind))
		c.author = append(c.author, author)
		c.subject = append(c.subject, it.Subject)
		c.text = append(c.text, it.Text)
		c.html = append(c.html, it.HTML)
		c.sentAt = append(c.sentAt, f.t)
		c.sentiment = append(c.sentiment, string(it.Sentiment))
		c.score = append(c.score, it.SentimentScore)
		c.flags = append(c.flags, strings.Join(it.Flags, flagSep))
		c.attachments = append(c.attachments, attachmentsJSON(it.Attachments))
		c.confidence = append(c.confidence, it.SentimentConfidence)
		c.claimedAt = append(c.claimedAt, claimed)
		c.stems = append(c.stems, stems.get(i))
		t := stems.search(i)
		c.fstems = append(c.fstems, t.stems)
		c.fsubj = append(c.fsubj, t.subject)
		c.ftext = append(c.ftext, t.text)
		if t.built {
			c.vector = append(c.vector, &t.vector)
		} else {
			c.vector = append(c.vector, nil)
		}
	}
	st, err := b.stmt(pgInsertMessagesUnnest)
	if err != nil {
		return err
	}
	if _, err := st.ExecContext(b.ctx, b.accountID, c.conv, c.ext, c.dir, c.kind, c.author,
		c.subject, c.text, c.html, c.sentAt, c.sentiment, c.score, c.flags, c.attachments, c.confidence,
		c.claimedAt, c.stems, c.fstems, c.fsubj, c.ftext, c.vector); err != nil {
		return fmt.Errorf("insert messages %d..%d: %w", lo, hi, err)
	}
	return nil
}

// pgExistingMessages is the dedupe lookup of a whole batch in one statement:
// the external ids as one array parameter, found through the
// (account_id, external_id) unique index. The IN lists of 500 placeholders
// it replaces were ten statements, each prepared per batch, per 5,000 items.
const pgExistingMessages = `SELECT external_id FROM messages WHERE account_id = ? AND external_id = ANY(?::text[])`

// existingMessagesPG returns which of the items' external ids are already stored.
func (b *batch) existingMessagesPG(items []*inbox.Item) (map[string]struct{}, error) {
	stored := map[string]struct{}{}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ExternalID
	}
	st, err := b.stmt(pgExistingMessages)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(b.ctx, b.accountID, ids)
	if err != nil {
		return nil, fmt.Errorf("dedupe: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ext string
		if err := rows.Scan(&ext); err != nil {
			return nil, fmt.Errorf("dedupe: %w", err)
		}
		stored[ext] = struct{}{}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("dedupe: %w", err)
	}
	return stored, nil
}

// pgInsertTags adds a batch's tags in one statement: pairs of conversation
// id and tag as two arrays, each row copying the conversation's final
// columns as sqlInsertTag does for one. One statement per tag was the most
// frequent round trip of an import (6,115 per 100,000 messages of the
// benchmark's data against 100 message inserts). The pairs are sorted, so
// two batches never take the same index entries in opposite orders.
const pgInsertTags = `
	INSERT INTO conversation_tags
		(conversation_id, tag, status, account_id, sentiment, assignee, last_message_at, sla_key)
	SELECT c.id, t.tag, c.status, c.account_id, c.sentiment, c.assignee, c.last_message_at, c.sla_key
	FROM unnest(?::bigint[], ?::text[]) WITH ORDINALITY AS t(conv, tag, ord)
	JOIN conversations c ON c.id = t.conv
	ORDER BY t.ord
	ON CONFLICT DO NOTHING`

// insertTagsPG stores the tags of the batch's conversations with pgInsertTags.
func (b *batch) insertTagsPG(order []*convState) error {
	type pair struct {
		conv int64
		tag  string
	}
	var pairs []pair
	for _, c := range order {
		for _, tag := range c.tags {
			pairs = append(pairs, pair{c.id, tag})
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	slices.SortFunc(pairs, func(x, y pair) int {
		return cmp.Or(cmp.Compare(x.conv, y.conv), strings.Compare(x.tag, y.tag))
	})
	pairs = slices.Compact(pairs)
	convs := make([]int64, len(pairs))
	tags := make([]string, len(pairs))
	for i, p := range pairs {
		convs[i], tags[i] = p.conv, p.tag
	}
	st, err := b.stmt(pgInsertTags)
	if err != nil {
		return err
	}
	if _, err := st.ExecContext(b.ctx, convs, tags); err != nil {
		return fmt.Errorf("tags of %d conversations: %w", len(order), err)
	}
	return nil
}

// pgInsertConversations creates a batch's new conversations as one
// statement over one array per column, like pgInsertMessagesUnnest: the
// VALUES lists of 50 rows × 23 placeholders it replaces were 16 statements
// per 5,000 imported messages of the benchmark's data, each parsed and
// planned. Rows go in array order, so ids ascend with the batch as before.
const pgInsertConversations = `
	INSERT INTO conversations (account_id, channel, thread_key, kind, subject, status, author_id,
		snippet, sentiment, sentiment_at, negative_count, message_count, first_message_at,
		last_message_at, last_in_at, last_out_at, waiting_since, sla_due_at, sla_key,
		sla_warn_at, sla_state, sla_policy, history_until)
	SELECT ?, ?, u.thread_key, u.kind, u.subject, u.status, u.author_id,
		u.snippet, u.sentiment, u.sentiment_at, u.negative_count, u.message_count, u.first_message_at,
		u.last_message_at, u.last_in_at, u.last_out_at, u.waiting_since, u.sla_due_at, u.sla_key,
		u.sla_warn_at, u.sla_state, u.sla_policy, u.history_until
	FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[],
		?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],
		?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],
		?::bigint[], ?::text[], ?::text[], ?::bigint[])
		WITH ORDINALITY AS u(thread_key, kind, subject, status, author_id,
			snippet, sentiment, sentiment_at, negative_count, message_count, first_message_at,
			last_message_at, last_in_at, last_out_at, waiting_since, sla_due_at, sla_key,
			sla_warn_at, sla_state, sla_policy, history_until, ord)
	ORDER BY u.ord
	RETURNING id, thread_key`

// insertConversationsPG creates convs with pgInsertConversations and sets their ids.
func (b *batch) insertConversationsPG(convs []*convState) error {
	n := len(convs)
	str := func() []string { return make([]string, 0, n) }
	num := func() []int64 { return make([]int64, 0, n) }
	opt := func() []*int64 { return make([]*int64, 0, n) }
	nullable := func(v sql.NullInt64) *int64 {
		if !v.Valid {
			return nil
		}
		return &v.Int64
	}
	key, kind, subject, status, snip, sentiment, slaState, slaPolicy := str(), str(), str(), str(), str(), str(), str(), str()
	negative, count, first, last, slaKeys := num(), num(), num(), num(), num()
	author, sentimentAt, lastIn, lastOut, waiting, due, warn, history := opt(), opt(), opt(), opt(), opt(), opt(), opt(), opt()
	for _, c := range convs {
		key = append(key, c.threadKey)
		kind = append(kind, string(c.kind))
		subject = append(subject, c.subject)
		status = append(status, string(c.status))
		author = append(author, nullable(c.authorID))
		snip = append(snip, c.snippet)
		sentiment = append(sentiment, string(c.sentiment))
		sentimentAt = append(sentimentAt, nullable(c.sentimentAt))
		negative = append(negative, int64(c.negative))
		count = append(count, int64(c.count))
		first = append(first, c.first)
		last = append(last, c.last)
		lastIn = append(lastIn, nullable(c.lastIn))
		lastOut = append(lastOut, nullable(c.lastOut))
		waiting = append(waiting, nullable(c.waiting))
		due = append(due, nullable(c.sla.due))
		slaKeys = append(slaKeys, slaKey(c.sla.due))
		warn = append(warn, nullable(c.sla.warn))
		slaState = append(slaState, c.sla.state)
		slaPolicy = append(slaPolicy, c.sla.policy)
		history = append(history, nullable(c.historyUntil))
	}
	st, err := b.stmt(pgInsertConversations)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(b.ctx, b.accountID, string(b.channel), key, kind, subject, status, author,
		snip, sentiment, sentimentAt, negative, count, first, last, lastIn, lastOut, waiting, due, slaKeys,
		warn, slaState, slaPolicy, history)
	if err != nil {
		return fmt.Errorf("create conversations: %w", err)
	}
	return assignCreatedIDs(rows, convs)
}
