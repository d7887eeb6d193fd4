package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// A reply that failed to send stays failed until a person retries it (it is
// queued again), discards it (drafts.StateDiscarded) or writes a newer reply instead; until then the conversation
// carries a mark in every list and is in the "Failed to send" view, also
// after it was closed, so a failure is not forgotten with the conversation.

// schemaFailedReplies indexes the failed replies, which are few, so the
// "Failed to send" view reads them without walking every reply.
const schemaFailedReplies = `CREATE INDEX replies_failed ON replies (updated_at) WHERE state = 'failed';`

// newestReplyFailed is the condition "the newest reply of the conversation
// with id col failed"; ties on created_at (one clock tick) go to the later
// row. It reads the replies_conversation index backwards, one row; with
// "c.id" it is the FailedSend column of conversationColumns.
func newestReplyFailed(col string) string {
	return `((SELECT nr.state = 'failed' FROM replies nr WHERE nr.conversation_id = ` + col +
		` ORDER BY nr.created_at DESC, nr.rowid DESC LIMIT 1) IS TRUE)`
}

// failedPageQuery builds the SQL of a page of the "Failed to send" view:
// conversations whose newest reply failed, the newest failure first. It is
// driven by the failed replies, which are few, so the filters are plain
// conditions on the conversations they join. Snoozed conversations are
// included: a failure outranks a snooze.
func failedPageQuery(q InboxQuery, accounts []int64, after *cursor, limit int) (string, []any) {
	filters, args := joinedFilters(q, accounts)
	where := append([]string{"r.state = 'failed'", newestReplyFailed("r.conversation_id")}, filters...)
	if after != nil {
		where = append(where, "(r.updated_at, c.id) < (?, ?)")
		args = append(args, after.k, after.id)
	}
	orderBy := func(k, id string) string { return " ORDER BY " + k + " DESC, " + id + " DESC" }
	page := fmt.Sprintf("SELECT c.id AS id, r.updated_at AS k FROM replies r JOIN conversations c ON c.id = r.conversation_id WHERE %s%s LIMIT ?",
		strings.Join(where, " AND "), orderBy("k", "id"))
	return pageOf(page, orderBy), append(args, limit+1)
}

// schemaReplyDiscarded lets replies.state hold drafts.StateDiscarded. SQLite
// cannot alter a CHECK constraint; rewriting the table's stored definition is
// SQLite's documented way to change one that every stored row already meets
// (https://www.sqlite.org/lang_altertable.html#otheralter), and widening the
// list of states is such a change. bumpSchemaVersion then makes every
// connection read the new definition.
const schemaReplyDiscarded = `
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, '''sent'', ''failed'')', '''sent'', ''failed'', ''discarded'')')
	WHERE type = 'table' AND name = 'replies';
PRAGMA writable_schema = OFF;`

// bumpSchemaVersion increments PRAGMA schema_version after a step rewrote a
// stored definition, as SQLite's procedure for it requires.
func bumpSchemaVersion(ctx context.Context, q querier, _ time.Time) error {
	var v int64
	if err := q.QueryRowContext(ctx, "PRAGMA schema_version").Scan(&v); err != nil {
		return fmt.Errorf("read schema_version: %w", err)
	}
	if _, err := q.ExecContext(ctx, fmt.Sprintf("PRAGMA schema_version = %d", v+1)); err != nil {
		return fmt.Errorf("bump schema_version: %w", err)
	}
	return nil
}
