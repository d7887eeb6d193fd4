package store

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// TestSaveItemsTagsAndDedupeInOneStatement checks, on both engines, what
// SaveItems' batch-wide tag insert and dedupe lookup (one statement each on
// PostgreSQL, save_pg.go) must keep: a tag repeated inside a batch or
// already stored is one row, a tag row carries its conversation's final
// columns, and a batch sent again stores nothing, also when it is larger
// than one statement's former list of 500 ids.
func TestSaveItemsTagsAndDedupeInOneStatement(t *testing.T) {
	s := openTest(t)
	a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)

	tagged := func(it inbox.Item, tags ...string) inbox.Item { it.Tags = tags; return it }
	first := []inbox.Item{
		tagged(item("1", "a", inbox.DirectionIn, 0, "x"), "refund", "vip", "refund"),
		tagged(item("2", "a", inbox.DirectionIn, 1, "y"), "refund", " vip "),
		tagged(item("3", "b", inbox.DirectionIn, 2, "z"), "delay"),
		item("4", "c", inbox.DirectionIn, 3, "w"),
	}
	// Enough untagged messages that the dedupe crosses several 500-id lists.
	for i := range 1200 {
		first = append(first, item(fmt.Sprintf("bulk-%d", i), fmt.Sprintf("t%d", i%40), inbox.DirectionIn, 10+i, "bulk"))
	}
	if res := mustSave(t, s, a.ID, first...); res.Inserted != len(first) || res.Duplicates != 0 {
		t.Fatalf("first save = %+v, want %d inserted", res, len(first))
	}
	// A later batch: a new message with a stored tag and a new one in an existing
	// conversation (it also moves the conversation's last message), and a repeat.
	second := []inbox.Item{
		tagged(item("5", "b", inbox.DirectionOut, 20, "answer"), "delay", "urgent"),
		tagged(item("1", "a", inbox.DirectionIn, 0, "x"), "other"), // duplicate: its tags are not applied
	}
	if res := mustSave(t, s, a.ID, second...); res.Inserted != 1 || res.Duplicates != 1 {
		t.Fatalf("second save = %+v, want 1 inserted, 1 duplicate", res)
	}
	if res := mustSave(t, s, a.ID, first...); res.Inserted != 0 || res.Duplicates != len(first) {
		t.Fatalf("saving the first batch again = %+v, want all %d duplicates", res, len(first))
	}

	ca, cb := convByThread(t, s, "a"), convByThread(t, s, "b")
	want := []string{
		fmt.Sprintf("%d/delay", cb.ID), fmt.Sprintf("%d/refund", ca.ID),
		fmt.Sprintf("%d/urgent", cb.ID), fmt.Sprintf("%d/vip", ca.ID),
	}
	rows, err := s.db.Query(`SELECT t.conversation_id, t.tag,
		t.status = c.status AND t.account_id = c.account_id AND t.sentiment = c.sentiment
		AND t.assignee = c.assignee AND t.last_message_at = c.last_message_at AND t.sla_key = c.sla_key
		FROM conversation_tags t JOIN conversations c ON c.id = t.conversation_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var id int64
		var tag string
		var same bool
		if err := rows.Scan(&id, &tag, &same); err != nil {
			t.Fatal(err)
		}
		if !same {
			t.Errorf("tag %q of conversation %d does not carry the conversation's final columns", tag, id)
		}
		got = append(got, fmt.Sprintf("%d/%s", id, tag))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("tag rows = %v, want %v", got, want)
	}
	var msgs int
	if err := s.db.QueryRow(`SELECT count(*) FROM messages`).Scan(&msgs); err != nil || msgs != len(first)+1 {
		t.Fatalf("messages = %d (%v), want %d", msgs, err, len(first)+1)
	}
}
