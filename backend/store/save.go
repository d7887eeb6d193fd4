package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/sla"
)

// SaveResult reports what SaveItems stored.
type SaveResult struct {
	Inserted      int `json:"inserted"`      // messages stored
	Duplicates    int `json:"duplicates"`    // items whose external id was already stored (or repeated in the batch)
	Conversations int `json:"conversations"` // conversations created
}

// flagSep joins a message's flags in the flags column.
const flagSep = ","

// SaveItems stores normalized items of one account in a single transaction.
//
// An item whose (account, external id) is already stored, or repeated earlier
// in the batch, counts as a duplicate and changes nothing. Items are grouped
// into conversations by thread key; counters, snippet, sentiment, tags, status
// and the SLA deadline (under the saved policies, see backend/sla) of each
// touched conversation are updated once per batch. Items may come in any time order. An inbound message that is
// newer than the conversation's last outbound message reopens a pending or
// closed conversation. Invalid items (no external id or thread key, unknown
// kind, direction or sentiment, zero time) fail the whole batch.
func (s *Store) SaveItems(ctx context.Context, accountID int64, items []inbox.Item) (SaveResult, error) {
	if len(items) == 0 {
		return SaveResult{}, nil
	}
	return s.saveItems(ctx, accountID, items, nil)
}

// SaveBatch stores items like SaveItems and, in the same transaction, the sync
// state that covers them: either both are stored or neither, so a crash
// between fetch and store refetches instead of skipping messages.
func (s *Store) SaveBatch(ctx context.Context, accountID int64, items []inbox.Item, st SyncState) (SaveResult, error) {
	return s.saveItems(ctx, accountID, items, func(tx *sql.Tx) error { return putSyncState(ctx, tx, accountID, st, len(items)) })
}

func (s *Store) saveItems(ctx context.Context, accountID int64, items []inbox.Item, also func(*sql.Tx) error) (SaveResult, error) {
	var res SaveResult
	for i := range items {
		if err := validateItem(&items[i]); err != nil {
			return res, fmt.Errorf("store: save items for account %d: item %d (%q): %w", accountID, i, items[i].ExternalID, err)
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("store: save items for account %d: %w", accountID, err)
	}
	defer tx.Rollback()
	if s.d.pg {
		// The batch reads conversation rows and writes counts and SLA states
		// computed from them. Syncs of one account run on one instance (its
		// sync lock), but the outbox's sent replies and imports save into
		// the same conversations from any instance: saves of one account
		// take turns, so none writes back a count another has moved on.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?, ?)`, lockClassSave, fold32(accountID)); err != nil {
			return res, fmt.Errorf("store: save items for account %d: lock: %w", accountID, err)
		}
	}

	eng, err := s.engineIn(ctx, tx) // after the lock: a policy save it waited for is visible
	if err != nil {
		return res, fmt.Errorf("store: save items for account %d: %w", accountID, err)
	}
	b, err := newBatch(ctx, s.d, tx, accountID, eng, s.now())
	if err != nil {
		return res, fmt.Errorf("store: save items for account %d: %w", accountID, err)
	}
	defer b.close()
	if len(items) > 0 {
		if err := b.save(items, &res); err != nil {
			return SaveResult{}, fmt.Errorf("store: save items for account %d: %w", accountID, err)
		}
	}
	if also != nil {
		if err := also(tx); err != nil {
			return SaveResult{}, fmt.Errorf("store: save items for account %d: %w", accountID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return SaveResult{}, fmt.Errorf("store: save items for account %d: commit: %w", accountID, err)
	}
	return res, nil
}

func validateItem(it *inbox.Item) error {
	switch {
	case it.ExternalID == "":
		return errors.New("empty external id")
	case it.ThreadKey == "":
		return errors.New("empty thread key")
	case !it.Kind.Valid():
		return fmt.Errorf("unknown kind %q", it.Kind)
	case it.Direction != inbox.DirectionIn && it.Direction != inbox.DirectionOut:
		return fmt.Errorf("unknown direction %q", it.Direction)
	case !it.Sentiment.Valid():
		return fmt.Errorf("unknown sentiment %q", it.Sentiment)
	case it.SentAt.IsZero():
		return errors.New("zero sent time")
	// Compared as times: Unix milliseconds wrap for dates Go can hold but int64 ms cannot.
	case it.SentAt.Before(time.UnixMilli(minReadMS)) || it.SentAt.After(time.UnixMilli(maxReadMS)):
		// ingest.Normalizer replaces such dates (suspicious-date); a row
		// outside the readable range would be shown clamped and misordered.
		return fmt.Errorf("sent time %s outside 1970..9999 (normalize the item first)", it.SentAt.UTC().Format(time.RFC3339))
	case it.ClaimedAt != nil && (it.ClaimedAt.UTC().Year() < 1 || it.ClaimedAt.UTC().Year() > 9999):
		return fmt.Errorf("claimed time outside years 1..9999")
	}
	return nil
}

// Statements of one SaveItems transaction. Those with "(%s)" take a row or
// value list and are prepared once per batch for each list length used.
const (
	sqlExistingMessages = `SELECT external_id FROM messages WHERE account_id = ? AND external_id IN (%s)`

	sqlUpsertAuthors = `
		INSERT INTO authors (channel, external_id, handle, display_name, reach, seen_at)
		VALUES %s
		ON CONFLICT (channel, external_id) DO UPDATE SET
			handle = CASE WHEN excluded.handle <> '' AND (excluded.seen_at >= authors.seen_at OR authors.handle = '')
				THEN excluded.handle ELSE authors.handle END,
			display_name = CASE WHEN excluded.display_name <> '' AND (excluded.seen_at >= authors.seen_at OR authors.display_name = '')
				THEN excluded.display_name ELSE authors.display_name END,
			reach = CASE WHEN excluded.reach > 0 AND (excluded.seen_at >= authors.seen_at OR authors.reach = 0)
				THEN excluded.reach ELSE authors.reach END,
			seen_at = CASE WHEN excluded.seen_at > authors.seen_at THEN excluded.seen_at ELSE authors.seen_at END
		RETURNING id, external_id, reach, vip`

	sqlConversationStates = `
		SELECT thread_key, id, kind, subject, status, author_id, snippet, sentiment, sentiment_at,
		       negative_count, message_count, first_message_at, last_message_at,
		       last_in_at, last_out_at, waiting_since, sla_due_at, sla_warn_at, sla_state, sla_policy
		FROM conversations WHERE account_id = ? AND thread_key IN (%s)`

	sqlInsertConversations = `
		INSERT INTO conversations (account_id, channel, thread_key, kind, subject, status, author_id,
			snippet, sentiment, sentiment_at, negative_count, message_count, first_message_at,
			last_message_at, last_in_at, last_out_at, waiting_since, sla_due_at, sla_key,
			sla_warn_at, sla_state, sla_policy, history_until)
		VALUES %s
		RETURNING id, thread_key`

	// The messages_fts row is written by the messages_fts_insert trigger;
	// stems are the words' stems it indexes (see search_index.go).
	sqlInsertMessages = `
		INSERT INTO messages (conversation_id, account_id, external_id, direction, kind, author_id,
			subject, text, html, sent_at, sentiment, sentiment_score, flags, attachments, sentiment_confidence,
			claimed_at, stems)
		VALUES %s`

	sqlWaitingSince = `
		SELECT min(sent_at) FROM messages
		WHERE conversation_id = ? AND direction = 'in' AND sent_at > ?`

	sqlInsertTag = `
		INSERT INTO conversation_tags
			(conversation_id, tag, status, account_id, sentiment, assignee, last_message_at, sla_key)
		SELECT id, ?, status, account_id, sentiment, assignee, last_message_at, sla_key
		FROM conversations WHERE id = ?
		ON CONFLICT DO NOTHING`
)

// Rows per multi-row statement; columns × rows stays far below SQLite's 32766 variables.
const (
	chunkLookup   = 500
	chunkAuthors  = 100
	chunkConvs    = 50
	chunkMessages = 100
)

// batch holds the prepared statements and caches of one SaveItems call.
type batch struct {
	ctx       context.Context
	tx        *sql.Tx
	d         dialect
	accountID int64
	channel   inbox.ChannelKind

	stmts   map[string]*sql.Stmt // by SQL text
	authors map[string]int64     // author external id -> id
	facts   map[int64]authorFacts

	eng    *sla.Engine
	now    time.Time
	crisis bool // the account is in crisis mode
}

func newBatch(ctx context.Context, d dialect, tx *sql.Tx, accountID int64, eng *sla.Engine, now time.Time) (*batch, error) {
	ch, err := accountChannel(ctx, tx, accountID)
	if err != nil {
		return nil, err
	}
	var crisis bool
	if err := tx.QueryRowContext(ctx, `SELECT crisis_since IS NOT NULL FROM accounts WHERE id = ?`, accountID).Scan(&crisis); err != nil {
		return nil, fmt.Errorf("account %d: crisis mode: %w", accountID, err)
	}
	return &batch{ctx: ctx, d: d, tx: tx, accountID: accountID, channel: ch,
		stmts: map[string]*sql.Stmt{}, authors: map[string]int64{}, facts: map[int64]authorFacts{},
		eng: eng, now: now, crisis: crisis}, nil
}

func (b *batch) close() {
	for _, st := range b.stmts {
		st.Close()
	}
}

// stmt returns the statement for query, prepared once per batch.
func (b *batch) stmt(query string) (*sql.Stmt, error) {
	if st, ok := b.stmts[query]; ok {
		return st, nil
	}
	st, err := b.tx.PrepareContext(b.ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	b.stmts[query] = st
	return st, nil
}

// multi returns a statement whose %s is filled with n placeholders (rowWidth
// 0: a plain list "?, ?") or n rows of rowWidth placeholders.
func (b *batch) multi(query string, n, rowWidth int) (*sql.Stmt, error) {
	var list string
	if rowWidth == 0 {
		list = placeholders(n)
	} else {
		row := "(" + placeholders(rowWidth) + ")"
		list = strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
	}
	return b.stmt(fmt.Sprintf(query, list))
}

// chunks calls fn for consecutive [lo, hi) ranges of at most size of n items.
func chunks(n, size int, fn func(lo, hi int) error) error {
	for lo := 0; lo < n; lo += size {
		if err := fn(lo, min(lo+size, n)); err != nil {
			return err
		}
	}
	return nil
}

// fresh is an item that is not a duplicate, with its resolved ids.
type fresh struct {
	it       *inbox.Item
	t        int64
	authorID int64
	conv     *convState
}

func (b *batch) save(items []inbox.Item, res *SaveResult) error {
	// 1. Dedupe within the batch, then against the database.
	seen := make(map[string]struct{}, len(items))
	candidates := make([]*inbox.Item, 0, len(items))
	for i := range items {
		it := &items[i]
		if _, dup := seen[it.ExternalID]; dup {
			res.Duplicates++
			continue
		}
		seen[it.ExternalID] = struct{}{}
		candidates = append(candidates, it)
	}
	stored, err := b.existingMessages(candidates)
	if err != nil {
		return err
	}
	fr := make([]fresh, 0, len(candidates))
	for _, it := range candidates {
		if _, dup := stored[it.ExternalID]; dup {
			res.Duplicates++
			continue
		}
		fr = append(fr, fresh{it: it, t: ms(it.SentAt)})
	}
	if len(fr) == 0 {
		return nil
	}
	stems := stemAhead(fr, chunkMessages, b.d.pg)

	// 2. Authors: one upsert per distinct author, with its newest non-empty profile.
	if err := b.saveAuthors(fr); err != nil {
		return err
	}

	// 3. Conversations: group by thread, load the existing ones.
	convs := map[string]*convState{}
	var order []*convState
	for i := range fr {
		f := &fr[i]
		c, ok := convs[f.it.ThreadKey]
		if !ok {
			c = &convState{threadKey: f.it.ThreadKey}
			convs[f.it.ThreadKey] = c
			order = append(order, c)
		}
		c.items = append(c.items, i)
		f.conv = c
		for _, tag := range f.it.Tags {
			if tag = strings.TrimSpace(tag); tag != "" && !strings.Contains(tag, tagSep) {
				c.tags = append(c.tags, tag)
			}
		}
	}
	// Fold each thread's items in time order, so the result does not depend on
	// the order of items inside the batch.
	for _, c := range order {
		slices.SortStableFunc(c.items, func(x, y int) int { return cmp.Compare(fr[x].t, fr[y].t) })
	}
	if err := b.loadConversations(order); err != nil {
		return err
	}

	// 4. New conversations are created with their final state; kind and
	// subject come from their earliest item.
	var created []*convState
	for _, c := range order {
		if c.id != 0 {
			continue
		}
		first := fr[c.items[0]].it
		c.isNew, c.kind, c.subject, c.status = true, first.Kind, first.Subject, inbox.StatusOpen
		for _, i := range c.items {
			c.apply(&fr[i])
		}
		if c.recompute {
			c.waiting = sql.NullInt64{}
			for _, i := range c.items {
				f := &fr[i]
				if f.it.Direction == inbox.DirectionIn && f.t > c.lastOut.Int64 && (!c.waiting.Valid || f.t < c.waiting.Int64) {
					c.waiting = sql.NullInt64{Int64: f.t, Valid: true}
				}
			}
		}
		c.finish()
		b.evaluateNew(c, fr)
		created = append(created, c)
	}
	if err := b.insertConversations(created); err != nil {
		return err
	}
	res.Conversations = len(created)

	// 5. Messages (and, by trigger, their full-text rows).
	if err := b.insertMessages(fr, stems); err != nil {
		return err
	}
	res.Inserted = len(fr)
	if _, err := b.tx.ExecContext(b.ctx, `UPDATE accounts SET message_count = message_count + ? WHERE id = ?`, len(fr), b.accountID); err != nil {
		return fmt.Errorf("count messages: %w", err)
	}

	// 6. Existing conversations: fold the new messages in, one UPDATE each. Their
	// SLA inputs (all message times, events, tags) are loaded once for the batch,
	// now that the new messages are stored.
	hist, err := b.loadExisting(order)
	if err != nil {
		return err
	}
	for _, c := range order {
		if c.isNew {
			continue
		}
		for _, i := range c.items {
			c.apply(&fr[i])
		}
		if c.recompute {
			st, err := b.stmt(sqlWaitingSince)
			if err != nil {
				return err
			}
			c.waiting = sql.NullInt64{}
			if err := st.QueryRowContext(b.ctx, c.id, c.lastOut.Int64).Scan(&c.waiting); err != nil {
				return fmt.Errorf("conversation %d: waiting since: %w", c.id, err)
			}
		}
		c.finish()
		b.evaluateExisting(c, hist[c.id], fr)
		if err := b.updateConversation(c); err != nil {
			return err
		}
	}

	// 7. Tags, after the conversation rows hold their final values.
	if b.d.pg {
		return b.insertTagsPG(order)
	}
	for _, c := range order {
		for _, tag := range c.tags {
			st, err := b.stmt(sqlInsertTag)
			if err != nil {
				return err
			}
			if _, err := st.ExecContext(b.ctx, tag, c.id); err != nil {
				return fmt.Errorf("conversation %d: tag %q: %w", c.id, tag, err)
			}
		}
	}
	return nil
}

// existingMessages returns which of the items' external ids are already stored.
func (b *batch) existingMessages(items []*inbox.Item) (map[string]struct{}, error) {
	if b.d.pg {
		return b.existingMessagesPG(items)
	}
	stored := map[string]struct{}{}
	err := chunks(len(items), chunkLookup, func(lo, hi int) error {
		st, err := b.multi(sqlExistingMessages, hi-lo, 0)
		if err != nil {
			return err
		}
		args := make([]any, 0, hi-lo+1)
		args = append(args, b.accountID)
		for _, it := range items[lo:hi] {
			args = append(args, it.ExternalID)
		}
		rows, err := st.QueryContext(b.ctx, args...)
		if err != nil {
			return fmt.Errorf("dedupe: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var ext string
			if err := rows.Scan(&ext); err != nil {
				return fmt.Errorf("dedupe: %w", err)
			}
			stored[ext] = struct{}{}
		}
		return rows.Err()
	})
	return stored, err
}

func (b *batch) insertMessages(fr []fresh, stems *aheadStems) error {
	if b.d.pg {
		return chunks(len(fr), chunkMessagesPG, func(lo, hi int) error { return b.insertMessagesPG(fr, stems, lo, hi) })
	}
	return chunks(len(fr), chunkMessages, func(lo, hi int) error {
		const width = 17
		st, err := b.multi(sqlInsertMessages, hi-lo, width)
		if err != nil {
			return err
		}
		args := make([]any, 0, width*(hi-lo))
		for i := lo; i < hi; i++ {
			f := &fr[i]
			it := f.it
			var author sql.NullInt64
			if f.authorID != 0 {
				author = sql.NullInt64{Int64: f.authorID, Valid: true}
			}
			args = append(args, f.conv.id, b.accountID, it.ExternalID, it.Direction, it.Kind, author,
				it.Subject, it.Text, it.HTML, f.t, it.Sentiment, it.SentimentScore, strings.Join(it.Flags, flagSep),
				attachmentsJSON(it.Attachments), sentimentConfidence(it), claimedAt(it.ClaimedAt),
				stems.get(i))
		}
		if _, err := st.ExecContext(b.ctx, args...); err != nil {
			return fmt.Errorf("insert messages: %w", err)
		}
		return nil
	})
}

// claimedAt is the claimed_at column of a message: NULL when the sender's date was trusted.
func claimedAt(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: ms(*t), Valid: true}
}
