package store

import (
	"fmt"
	"strings"
)

// A reply that failed to send stays failed until a person retries it (it is
// queued again) or writes a newer reply instead; until then the conversation
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
