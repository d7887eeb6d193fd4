package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/sla"
)

// snippetRunes is how much of the newest message a conversation keeps as its snippet.
const snippetRunes = 140

// convState is a conversation's derived state while a batch is applied.
type convState struct {
	id          int64
	isNew       bool
	threadKey   string
	kind        inbox.MessageKind
	subject     string
	status      inbox.Status
	authorID    sql.NullInt64
	snippet     string
	sentiment   inbox.Sentiment
	sentimentAt sql.NullInt64
	negative    int
	count       int
	first, last int64
	lastIn      sql.NullInt64
	lastOut     sql.NullInt64
	waiting     sql.NullInt64
	sla         slaRow
	// historyUntil is the newest message that was history when stored (see
	// sla.Conversation.HistoryUntil); NULL when none was. The mark only grows:
	// a message that arrived in time never becomes history later.
	historyUntil sql.NullInt64

	loaded    convState0  // indexed columns as loaded, to update only what changed
	recompute bool        // waiting_since must be recomputed from all messages
	newest    *inbox.Item // newest item of the batch if it is the conversation's newest message
	items     []int       // indexes into the batch's fresh items
	tags      []string
}

// convState0 holds the indexed columns of a conversation as loaded.
type convState0 struct {
	status    inbox.Status
	sentiment inbox.Sentiment
	last      int64
	sla       slaRow
}

// loadConversations fills the stored state of the threads that exist; the
// others keep id 0.
func (b *batch) loadConversations(convs []*convState) error {
	return chunks(len(convs), chunkLookup, func(lo, hi int) error {
		byKey := make(map[string]*convState, hi-lo)
		args := make([]any, 0, hi-lo+1)
		args = append(args, b.accountID)
		for _, c := range convs[lo:hi] {
			byKey[c.threadKey] = c
			args = append(args, c.threadKey)
		}
		st, err := b.multi(sqlConversationStates, hi-lo, 0)
		if err != nil {
			return err
		}
		rows, err := st.QueryContext(b.ctx, args...)
		if err != nil {
			return fmt.Errorf("load conversations: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var key string
			var s convState
			if err := rows.Scan(&key, &s.id, &s.kind, &s.subject, &s.status, &s.authorID, &s.snippet,
				&s.sentiment, &s.sentimentAt, &s.negative, &s.count, &s.first, &s.last,
				&s.lastIn, &s.lastOut, &s.waiting, &s.sla.due, &s.sla.warn, &s.sla.state, &s.sla.policy); err != nil {
				return fmt.Errorf("load conversations: %w", err)
			}
			c := byKey[key]
			if c == nil {
				return fmt.Errorf("load conversations: unexpected thread %q", key)
			}
			s.threadKey, s.items, s.tags = c.threadKey, c.items, c.tags
			s.loaded = convState0{status: s.status, sentiment: s.sentiment, last: s.last, sla: s.sla}
			*c = s
		}
		return rows.Err()
	})
}

func (b *batch) insertConversations(convs []*convState) error {
	if b.d.pg {
		return chunks(len(convs), chunkMessagesPG, func(lo, hi int) error { return b.insertConversationsPG(convs[lo:hi]) })
	}
	return chunks(len(convs), chunkConvs, func(lo, hi int) error {
		st, err := b.multi(sqlInsertConversations, hi-lo, 23)
		if err != nil {
			return err
		}
		args := make([]any, 0, 23*(hi-lo))
		for _, c := range convs[lo:hi] {
			args = append(args, b.accountID, b.channel, c.threadKey, c.kind, c.subject, c.status,
				c.authorID, c.snippet, c.sentiment, c.sentimentAt, c.negative, c.count, c.first, c.last,
				c.lastIn, c.lastOut, c.waiting, c.sla.due, slaKey(c.sla.due), c.sla.warn, c.sla.state, c.sla.policy,
				c.historyUntil)
		}
		rows, err := st.QueryContext(b.ctx, args...)
		if err != nil {
			return fmt.Errorf("create conversations: %w", err)
		}
		return assignCreatedIDs(rows, convs[lo:hi])
	})
}

// assignCreatedIDs sets the ids of convs from the (id, thread_key) rows an
// insert of them returned, and closes rows.
func assignCreatedIDs(rows *sql.Rows, convs []*convState) error {
	defer rows.Close()
	byKey := make(map[string]*convState, len(convs))
	for _, c := range convs {
		byKey[c.threadKey] = c
	}
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			return fmt.Errorf("create conversations: %w", err)
		}
		if c := byKey[key]; c != nil {
			c.id = id
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("create conversations: %w", err)
	}
	for _, c := range convs {
		if c.id == 0 {
			return fmt.Errorf("create conversation for thread %q: no id returned", c.threadKey)
		}
	}
	return nil
}

// apply folds one new message into the conversation state.
func (c *convState) apply(f *fresh) {
	it, t := f.it, f.t
	if c.count == 0 || t >= c.last {
		c.last = t
		c.newest = it
	}
	if c.count == 0 || t < c.first {
		c.first = t
	}
	c.count++
	if c.subject == "" {
		c.subject = it.Subject
	}
	if it.Direction == inbox.DirectionIn {
		if it.Sentiment == inbox.SentimentNegative {
			c.negative++
		}
		if !c.authorID.Valid && f.authorID != 0 {
			c.authorID = sql.NullInt64{Int64: f.authorID, Valid: true}
		}
		if it.Sentiment != inbox.SentimentUnknown && (!c.sentimentAt.Valid || t >= c.sentimentAt.Int64) {
			c.sentiment = it.Sentiment
			c.sentimentAt = sql.NullInt64{Int64: t, Valid: true}
		}
		if !c.lastIn.Valid || t > c.lastIn.Int64 {
			c.lastIn = sql.NullInt64{Int64: t, Valid: true}
		}
		if !c.lastOut.Valid || t > c.lastOut.Int64 {
			// Unanswered: it starts (or keeps) the clock and brings the conversation back.
			if !c.waiting.Valid || t < c.waiting.Int64 {
				c.waiting = sql.NullInt64{Int64: t, Valid: true}
			}
			c.status = inbox.StatusOpen
		}
		return
	}
	if !c.lastOut.Valid || t > c.lastOut.Int64 {
		c.lastOut = sql.NullInt64{Int64: t, Valid: true}
		if c.waiting.Valid && c.waiting.Int64 <= t {
			if c.lastIn.Valid && c.lastIn.Int64 > t {
				c.recompute = true // some inbound messages came after this reply
			} else {
				c.waiting = sql.NullInt64{}
			}
		}
	}
}

// noSLA is the sla_key of a conversation without deadline: it sorts last.
const noSLA = math.MaxInt64

// slaKey returns the sla_key stored for a deadline.
func slaKey(due sql.NullInt64) int64 {
	if due.Valid {
		return due.Int64
	}
	return noSLA
}

// finish derives the snippet.
func (c *convState) finish() {
	if c.newest != nil {
		c.snippet = snippet(c.newest.Text, c.newest.Subject)
	}
}

// historyKey is the context key of AsHistory.
type historyKey struct{}

// AsHistory returns a context under which SaveItems stores every item as
// history: it starts no SLA clock, however recent (stormdesk import --historical).
func AsHistory(ctx context.Context) context.Context {
	return context.WithValue(ctx, historyKey{}, true)
}

func historyForced(ctx context.Context) bool {
	v, _ := ctx.Value(historyKey{}).(bool)
	return v
}

// liveKey is the context key of AsLive.
type liveKey struct{}

// AsLive returns a context under which SaveItems stores every item as having
// arrived when it was sent, as if the app had been running then: the history
// horizon, which is for past data arriving late (an import, a first sync's
// backfill), makes none of it history. The demo data set simulates such a
// running inbox, so its unanswered conversations have running SLA clocks.
func AsLive(ctx context.Context) context.Context {
	return context.WithValue(ctx, liveKey{}, true)
}

func arrivedLive(ctx context.Context) bool {
	v, _ := ctx.Value(liveKey{}).(bool)
	return v
}

// markHistory raises c.historyUntil to the newest of the batch's messages that
// are history: all of them under AsHistory, otherwise those older than the
// policy set's horizon now that they arrive (an import of past data, a first
// sync's backfill). A message that arrives in time keeps its clock even once
// it is old, so a breach never turns into history later.
func (b *batch) markHistory(c *convState, fr []fresh) {
	forced := historyForced(b.ctx)
	if !forced && arrivedLive(b.ctx) {
		return
	}
	cutoff := ms(b.now.Add(-b.eng.HistoryHorizon()))
	for _, i := range c.items {
		if t := fr[i].t; (forced || t < cutoff) && (!c.historyUntil.Valid || t > c.historyUntil.Int64) {
			c.historyUntil = sql.NullInt64{Int64: t, Valid: true}
		}
	}
}

// evaluateNew computes a new conversation's SLA from the batch alone: all its
// messages are in it and it has no events yet.
func (b *batch) evaluateNew(c *convState, fr []fresh) {
	b.markHistory(c, fr)
	conv := sla.Conversation{Channel: b.channel, Kind: c.kind, Tags: c.tags, Status: c.status, Crisis: b.crisis,
		Events: make([]sla.Event, 0, len(c.items))}
	if c.historyUntil.Valid {
		conv.HistoryUntil = fromMS(c.historyUntil.Int64)
	}
	if c.authorID.Valid {
		f := b.facts[c.authorID.Int64]
		conv.AuthorReach, conv.VIP = f.reach, f.vip
	}
	for _, i := range c.items { // in time order
		ev := sla.Event{Kind: sla.EventInbound, At: fromMS(fr[i].t)}
		if fr[i].it.Direction == inbox.DirectionOut {
			ev.Kind = sla.EventOutbound
		}
		conv.Events = append(conv.Events, ev)
	}
	c.sla = rowOf(b.eng.Evaluate(conv, b.now))
}

// loadExisting loads the SLA inputs of the batch's existing conversations.
func (b *batch) loadExisting(order []*convState) (map[int64]*slaConv, error) {
	var ids []int64
	for _, c := range order {
		if !c.isNew {
			ids = append(ids, c.id)
		}
	}
	out := make(map[int64]*slaConv, len(ids))
	err := chunks(len(ids), chunkLookup, func(lo, hi int) error {
		where, args := idsWhere(ids[lo:hi])
		convs, err := loadSLA(b.ctx, b.d, b.tx, where, args, false)
		if err != nil {
			return fmt.Errorf("SLA inputs: %w", err)
		}
		for _, c := range convs {
			out[c.id] = c
		}
		return nil
	})
	return out, err
}

// evaluateExisting computes an existing conversation's SLA from its stored history
// (which includes this batch's messages) and the batch's new facts.
func (b *batch) evaluateExisting(c *convState, h *slaConv, fr []fresh) {
	if h == nil { // cannot happen: the row was loaded in the same transaction
		return
	}
	conv := h.conv
	if !conv.HistoryUntil.IsZero() {
		c.historyUntil = sql.NullInt64{Int64: ms(conv.HistoryUntil), Valid: true}
	}
	b.markHistory(c, fr)
	if c.historyUntil.Valid {
		conv.HistoryUntil = fromMS(c.historyUntil.Int64)
	}
	conv.Status = c.status
	for _, tag := range c.tags { // stored after this step
		if !slices.ContainsFunc(conv.Tags, func(t string) bool { return t == tag }) {
			conv.Tags = append(conv.Tags, tag)
		}
	}
	if c.authorID.Valid {
		if f, ok := b.facts[c.authorID.Int64]; ok {
			conv.AuthorReach, conv.VIP = f.reach, f.vip
		}
	}
	c.sla = rowOf(b.eng.Evaluate(conv, b.now))
}

// Bits of an UPDATE's optional (indexed) columns.
const (
	updStatus uint8 = 1 << iota
	updSentiment
	updLast
	updSLA
)

// updateConversation writes the state back, naming indexed columns only when
// they changed so SQLite leaves the other indexes alone.
func (b *batch) updateConversation(c *convState) error {
	var mask uint8
	if c.status != c.loaded.status {
		mask |= updStatus
	}
	if c.sentiment != c.loaded.sentiment {
		mask |= updSentiment
	}
	if c.last != c.loaded.last {
		mask |= updLast
	}
	if c.sla.due != c.loaded.sla.due {
		mask |= updSLA
	}
	q := `UPDATE conversations SET subject = ?, author_id = ?, snippet = ?, sentiment_at = ?,
			negative_count = ?, message_count = ?, first_message_at = ?, last_in_at = ?,
			last_out_at = ?, waiting_since = ?, sla_warn_at = ?, sla_state = ?, sla_policy = ?,
			history_until = coalesce(?, history_until)`
	if mask&updStatus != 0 {
		q += ", status = ?"
	}
	if mask&updSentiment != 0 {
		q += ", sentiment = ?"
	}
	if mask&updLast != 0 {
		q += ", last_message_at = ?"
	}
	if mask&updSLA != 0 {
		q += ", sla_due_at = ?, sla_key = ?"
	}
	st, err := b.stmt(q + " WHERE id = ?")
	if err != nil {
		return err
	}
	args := []any{c.subject, c.authorID, c.snippet, c.sentimentAt, c.negative, c.count, c.first,
		c.lastIn, c.lastOut, c.waiting, c.sla.warn, c.sla.state, c.sla.policy, c.historyUntil}
	if mask&updStatus != 0 {
		args = append(args, c.status)
	}
	if mask&updSentiment != 0 {
		args = append(args, c.sentiment)
	}
	if mask&updLast != 0 {
		args = append(args, c.last)
	}
	if mask&updSLA != 0 {
		args = append(args, c.sla.due, slaKey(c.sla.due))
	}
	args = append(args, c.id)
	if _, err := st.ExecContext(b.ctx, args...); err != nil {
		return fmt.Errorf("update conversation %d: %w", c.id, err)
	}
	return nil
}

// snippet returns the start of text (or of subject when text is empty) with
// whitespace collapsed, at most snippetRunes runes.
func snippet(text, subject string) string {
	if strings.TrimSpace(text) == "" {
		text = subject
	}
	var sb strings.Builder
	n, space := 0, false
	for _, r := range text {
		if n >= snippetRunes {
			break
		}
		if unicode.IsSpace(r) {
			space = n > 0
			continue
		}
		if space {
			sb.WriteByte(' ')
			n++
			space = false
			if n >= snippetRunes {
				break
			}
		}
		sb.WriteRune(r) // invalid UTF-8 arrives here as U+FFFD
		n++
	}
	return strings.TrimRight(sb.String(), " ")
}
