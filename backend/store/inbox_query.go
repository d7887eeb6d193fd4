package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Order is the sort order of an inbox page.
type Order string

// Inbox orders.
const (
	// OrderSLA sorts by SLA deadline, soonest first, conversations without one last, then by id.
	OrderSLA Order = "sla"
	// OrderNewest sorts by last message time, newest first, then by id descending.
	OrderNewest Order = "newest"
)

// Page size limits of Conversations.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// InboxQuery selects and orders conversations. Empty fields do not filter.
type InboxQuery struct {
	Status    inbox.Status      `json:"status"`    // "" = any
	Channel   inbox.ChannelKind `json:"channel"`   // "" = any
	AccountID int64             `json:"accountId"` // 0 = any
	Tag       string            `json:"tag"`       // "" = any
	Sentiment inbox.Sentiment   `json:"sentiment"` // "" = any (unscored cannot be selected)
	Assignee  *string           `json:"assignee"`  // nil = any; pointer to "" = unassigned
	Order     Order             `json:"order"`     // "" = OrderNewest
	Cursor    string            `json:"cursor"`    // Page.Next of the previous page; "" = first page
	Limit     int               `json:"limit"`     // 1..500; 0 = 50; larger values are capped
	// Snoozed lists only snoozed conversations; without it they are left out
	// of every page until their snooze ends (see snooze.go).
	Snoozed bool `json:"snoozed"`
	// FailedSend lists only conversations whose newest reply failed to send,
	// the newest failure first, whatever Order says (see failed.go).
	FailedSend bool `json:"failedSend"`
}

// Page is one page of conversations and the cursor of the next one.
type Page struct {
	Items []inbox.Conversation `json:"items"`
	Next  string               `json:"next"` // "" at the end
}

// orderSpec describes an order: its sort column and direction.
type orderSpec struct {
	name Order
	key  string // sort column in conversations and conversation_tags
	desc bool
}

func specOf(o Order) (orderSpec, error) {
	switch o {
	case OrderNewest, "":
		return orderSpec{name: OrderNewest, key: "last_message_at", desc: true}, nil
	case OrderSLA:
		return orderSpec{name: OrderSLA, key: "sla_key"}, nil
	}
	return orderSpec{}, fmt.Errorf("unknown order %q (want %q or %q)", o, OrderSLA, OrderNewest)
}

// cursor is a keyset position: the sort key and id of the last row of a page.
type cursor struct {
	k, id int64
}

func encodeCursor(o Order, c cursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%s:%d:%d", o, c.k, c.id)))
}

func decodeCursor(s string, o Order) (cursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, fmt.Errorf("%w: not base64", ErrBadCursor)
	}
	parts := strings.Split(string(raw), ":")
	if len(parts) != 3 {
		return cursor{}, fmt.Errorf("%w: malformed", ErrBadCursor)
	}
	if Order(parts[0]) != o {
		return cursor{}, fmt.Errorf("%w: it belongs to order %q, the query orders by %q", ErrBadCursor, parts[0], o)
	}
	k, err1 := strconv.ParseInt(parts[1], 10, 64)
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil {
		return cursor{}, fmt.Errorf("%w: malformed", ErrBadCursor)
	}
	return cursor{k: k, id: id}, nil
}

// maxFanout bounds how many index ranges one page query merges.
const maxFanout = 36

// Conversations returns one page of the inbox. Paging is keyset only: pass
// Page.Next as the next query's Cursor with the same filters and order. A
// cursor from another order is an error wrapping ErrBadCursor.
//
// The query builder picks one "driving" index whose leading columns are
// equality filters (tag, a named assignee, account or channel, sentiment,
// unassigned, status, in that preference) and reads one keyset range per
// combination of their values, e.g. one per status when no status is asked
// for, merging the ranges with UNION ALL. The remaining filters are checked on
// columns the index carries, so no range ever visits the table.
func (s *Store) Conversations(ctx context.Context, q InboxQuery) (Page, error) {
	p, err := s.conversations(ctx, q)
	if err != nil {
		return Page{}, fmt.Errorf("store: inbox page: %w", err)
	}
	return p, nil
}

func (s *Store) conversations(ctx context.Context, q InboxQuery) (Page, error) {
	spec, err := specOf(q.Order)
	if err != nil {
		return Page{}, err
	}
	limit := q.Limit
	switch {
	case limit <= 0:
		limit = DefaultPageSize
	case limit > MaxPageSize:
		limit = MaxPageSize
	}
	if q.Status != "" && !q.Status.Valid() {
		return Page{}, fmt.Errorf("unknown status %q", q.Status)
	}
	if q.Channel != "" && !q.Channel.Valid() {
		return Page{}, fmt.Errorf("unknown channel %q", q.Channel)
	}
	if !q.Sentiment.Valid() {
		return Page{}, fmt.Errorf("unknown sentiment %q", q.Sentiment)
	}
	var after *cursor
	if q.Cursor != "" {
		c, err := decodeCursor(q.Cursor, spec.name)
		if err != nil {
			return Page{}, err
		}
		after = &c
	}

	// Channel and account filters both become a set of account ids (nil = any).
	var accounts []int64
	if q.Channel != "" {
		if accounts, err = s.accountIDs(ctx, q.Channel); err != nil {
			return Page{}, err
		}
	}
	if q.AccountID != 0 {
		if q.Channel != "" && !slices.Contains(accounts, q.AccountID) {
			accounts = []int64{}
		} else {
			accounts = []int64{q.AccountID}
		}
	}
	if accounts != nil && len(accounts) == 0 {
		return Page{Items: []inbox.Conversation{}}, nil
	}

	now := ms(s.now())
	query, args := pageQuery(s.d, spec, q, accounts, after, limit, now)
	if q.Snoozed {
		query, args = snoozedPageQuery(spec, q, accounts, after, limit, now)
	}
	if q.FailedSend {
		query, args = failedPageQuery(q, accounts, after, limit)
	}
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return Page{}, err
	}
	defer rows.Close()
	out := Page{Items: make([]inbox.Conversation, 0, limit+1)}
	var last cursor
	for rows.Next() {
		var k int64
		c, err := scanConversation(prefixScanner{rows, &k})
		if err != nil {
			return Page{}, err
		}
		if len(out.Items) == limit {
			out.Next = encodeCursor(spec.name, last)
			break
		}
		out.Items = append(out.Items, c)
		last = cursor{k: k, id: c.ID}
	}
	if err := rows.Err(); err != nil {
		return Page{}, err
	}
	return out, nil
}

// pageQuery builds the SQL of one inbox page: limit+1 rows after the cursor.
// accounts is nil when neither channel nor account filters; conversations
// snoozed past now are left out.
func pageQuery(d dialect, spec orderSpec, q InboxQuery, accounts []int64, after *cursor, limit int, now int64) (string, []any) {
	statuses := []any{string(inbox.StatusOpen), string(inbox.StatusPending), string(inbox.StatusClosed)}
	if q.Status != "" {
		statuses = []any{string(q.Status)}
	}
	filters := map[string][]any{"status": statuses}
	if accounts != nil {
		filters["account_id"] = toAny(accounts)
	}
	if q.Sentiment != "" {
		filters["sentiment"] = []any{string(q.Sentiment)}
	}
	if q.Assignee != nil {
		filters["assignee"] = []any{strings.TrimSpace(*q.Assignee)}
	}

	// Choose the driving index: table, its id column, and the equality prefix.
	table, idCol, index := "conversations", "id", ""
	prefix := []string{"status"}
	switch {
	case strings.TrimSpace(q.Tag) != "":
		table, idCol, prefix = "conversation_tags", "conversation_id", []string{"tag", "status"}
		filters["tag"] = []any{strings.TrimSpace(q.Tag)}
		index = "conversation_tags_" + string(spec.name)
	case q.Assignee != nil && strings.TrimSpace(*q.Assignee) != "":
		prefix = []string{"assignee", "status"}
	case accounts != nil && len(accounts)*len(statuses) <= maxFanout:
		prefix = []string{"account_id", "status"}
	case q.Sentiment != "":
		prefix = []string{"sentiment", "status"}
	case q.Assignee != nil:
		prefix = []string{"assignee", "status"}
	}
	if index == "" {
		index = "conversations_" + strings.TrimSuffix(prefix[0], "_id") + "_" + string(spec.name)
	}

	// Filters not in the prefix are checked on the index's trailing columns.
	var rest []string
	var restArgs []any
	for _, col := range []string{"account_id", "sentiment", "assignee"} {
		vals, ok := filters[col]
		if !ok || slices.Contains(prefix, col) {
			continue
		}
		rest = append(rest, col+" IN ("+placeholders(len(vals))+")")
		restArgs = append(restArgs, vals...)
	}

	dir, cmp := "", ">"
	if spec.desc {
		dir, cmp = " DESC", "<"
	}
	orderBy := func(k, id string) string { return " ORDER BY " + k + dir + ", " + id + dir }

	// One keyset range per combination of prefix values. SQLite seeks a row
	// value (k, id) > (?, ?) only on k when id is the rowid, which would scan
	// every tie (all conversations without SLA share one key), so on
	// conversations the range after a cursor is split into the ties (k = ? AND
	// id > ?) and the rest (k > ?), both exact index seeks.
	var subs []string
	var args []any
	emit := func(eqArgs []any, keyset string, keyArgs []any, order string) {
		var sb strings.Builder
		fmt.Fprintf(&sb, "SELECT %s AS id, %s AS k FROM %s%s WHERE ", idCol, spec.key, table, d.indexedBy(index))
		for j, col := range prefix {
			if j > 0 {
				sb.WriteString(" AND ")
			}
			sb.WriteString(col + " = ?")
		}
		args = append(args, eqArgs...)
		if keyset != "" {
			sb.WriteString(" AND " + keyset)
			args = append(args, keyArgs...)
		}
		for _, r := range rest {
			sb.WriteString(" AND " + r)
		}
		args = append(args, restArgs...)
		// A lookup by primary key on the id the index carries: still no table visit.
		fmt.Fprintf(&sb, " AND NOT EXISTS (SELECT 1 FROM conversation_snoozes z WHERE z.conversation_id = %s.%s AND z.until > ?)", table, idCol)
		args = append(args, now)
		sb.WriteString(order + " LIMIT ?")
		args = append(args, limit+1)
		subs = append(subs, sb.String())
	}
	var expand func(i int, eqArgs []any)
	expand = func(i int, eqArgs []any) {
		if i < len(prefix) {
			for _, v := range filters[prefix[i]] {
				expand(i+1, append(slices.Clone(eqArgs), v))
			}
			return
		}
		switch {
		case after == nil:
			emit(eqArgs, "", nil, orderBy(spec.key, idCol))
		case table == "conversations":
			emit(eqArgs, fmt.Sprintf("%s = ? AND %s %s ?", spec.key, idCol, cmp), []any{after.k, after.id}, " ORDER BY "+idCol+dir)
			emit(eqArgs, fmt.Sprintf("%s %s ?", spec.key, cmp), []any{after.k}, orderBy(spec.key, idCol))
		default:
			emit(eqArgs, fmt.Sprintf("(%s, %s) %s (?, ?)", spec.key, idCol, cmp), []any{after.k, after.id}, orderBy(spec.key, idCol))
		}
	}
	expand(0, nil)

	page := subs[0]
	if len(subs) > 1 {
		page = "SELECT id, k FROM (SELECT * FROM (" + strings.Join(subs, ") AS r UNION ALL SELECT * FROM (") + ") AS r) AS u" +
			orderBy("k", "id") + " LIMIT ?"
		args = append(args, limit+1)
	}
	return pageOf(page, orderBy), args
}

// pageOf wraps the query of a page's (id, k) rows into the query of its conversations.
func pageOf(page string, orderBy func(k, id string) string) string {
	return "WITH page (id, k) AS MATERIALIZED (" + page + ")\nSELECT page.k, " + conversationColumns() + `
		FROM page CROSS JOIN conversations c LEFT JOIN authors a ON a.id = c.author_id
		WHERE c.id = page.id` + orderBy("page.k", "page.id")
}

// joinedFilters are q's filters as plain conditions on conversations c, for
// pages driven by a small table joined to them rather than by an inbox index.
func joinedFilters(q InboxQuery, accounts []int64) ([]string, []any) {
	var where []string
	var args []any
	if q.Status != "" {
		where, args = append(where, "c.status = ?"), append(args, string(q.Status))
	}
	if accounts != nil {
		where, args = append(where, "c.account_id IN ("+placeholders(len(accounts))+")"), append(args, toAny(accounts)...)
	}
	if q.Sentiment != "" {
		where, args = append(where, "c.sentiment = ?"), append(args, string(q.Sentiment))
	}
	if q.Assignee != nil {
		where, args = append(where, "c.assignee = ?"), append(args, strings.TrimSpace(*q.Assignee))
	}
	if tag := strings.TrimSpace(q.Tag); tag != "" {
		where = append(where, "EXISTS (SELECT 1 FROM conversation_tags t WHERE t.conversation_id = c.id AND t.tag = ?)")
		args = append(args, tag)
	}
	return where, args
}

// snoozedPageQuery builds the SQL of a page of snoozed conversations. It is
// driven by the snooze table, which holds few rows, so the filters are
// plain conditions on the conversations they join.
func snoozedPageQuery(spec orderSpec, q InboxQuery, accounts []int64, after *cursor, limit int, now int64) (string, []any) {
	where, args := joinedFilters(q, accounts)
	where, args = append(where, "z.until > ?"), append(args, now)
	dir, cmp := "", ">"
	if spec.desc {
		dir, cmp = " DESC", "<"
	}
	if after != nil {
		where = append(where, fmt.Sprintf("(c.%s, c.id) %s (?, ?)", spec.key, cmp))
		args = append(args, after.k, after.id)
	}
	orderBy := func(k, id string) string { return " ORDER BY " + k + dir + ", " + id + dir }
	page := fmt.Sprintf("SELECT c.id AS id, c.%s AS k FROM conversation_snoozes z JOIN conversations c ON c.id = z.conversation_id WHERE %s%s LIMIT ?",
		spec.key, strings.Join(where, " AND "), orderBy("k", "id"))
	return pageOf(page, orderBy), append(args, limit+1)
}

// prefixScanner scans one leading column into k before the rest.
type prefixScanner struct {
	r scanner
	k *int64
}

func (p prefixScanner) Scan(dest ...any) error { return p.r.Scan(append([]any{p.k}, dest...)...) }

// accountIDs returns the ids of the accounts on a channel.
func (s *Store) accountIDs(ctx context.Context, ch inbox.ChannelKind) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM accounts WHERE channel = ? ORDER BY id`, ch)
	if err != nil {
		return nil, fmt.Errorf("accounts of channel %s: %w", ch, err)
	}
	defer rows.Close()
	ids := []int64{} // never nil: nil means "no account filter" to the caller
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("accounts of channel %s: %w", ch, err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func toAny[T any](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}
