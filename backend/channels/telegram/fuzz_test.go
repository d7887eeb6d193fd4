package telegram

import (
	"encoding/json"
	"log/slog"
	"strconv"
	"testing"

	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// FuzzBatch gives the mapping of a getUpdates answer arbitrary updates,
// seeded with those the fake serves: whatever they hold, the batch has items
// ingest can store under ids that are the same when Telegram sends the same
// updates again, and a cursor past every update it saw.
func FuzzBatch(f *testing.F) {
	f.Add(channeltest.Testdata(f, "updates.json"))
	f.Add([]byte(`[{"update_id":5,"message":{"message_id":1,"chat":{"id":7,"type":"private"},"text":"no date, no sender"}},{"update_id":6,"edited_message":{"message_id":1,"chat":{"id":7,"type":"group"},"date":1767225600,"edit_date":-1,"caption":"x","reply_to_message":null}}]`))
	f.Add([]byte(`[{"update_id":9,"message":"not an object"},{"update_id":"ten"},null,{"update_id":11,"channel_post":{"message_id":3,"chat":{"id":-100,"type":"channel"},"date":99999999999999,"photo":[],"document":{"file_id":"d"}}}]`))
	c, err := New(Config{Token: "7000001:AAH-fuzz", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var raw []json.RawMessage
		if json.Unmarshal(body, &raw) != nil {
			return // the client refuses the answer before Fetch maps it
		}
		const offset = 100
		b := c.batch(raw, "100", offset)
		channeltest.CheckItems(t, inbox.ChannelTelegram, b.Items)
		if n, err := strconv.ParseInt(b.Cursor, 10, 64); err != nil || n < offset {
			t.Errorf("cursor %q is not an offset at or past %d", b.Cursor, offset)
		}
		if len(b.Items)+b.Skipped != len(raw) {
			t.Errorf("%d items and %d skipped of %d updates", len(b.Items), b.Skipped, len(raw))
		}
		channeltest.SameItems(t, b.Items, c.batch(raw, "100", offset).Items)
	})
}

// Found by FuzzBatch: an update without a date (0 once decoded) was dated
// 1970-01-01, which ingest took for a real date.
func TestBatchUndatedMessage(t *testing.T) {
	c, err := New(Config{Token: "7000001:AAH-test", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	b := c.batch([]json.RawMessage{json.RawMessage(`{"update_id":5,"message":{"message_id":1,"chat":{"id":7,"type":"private"},"text":"hi"}}`)}, "", 0)
	if len(b.Items) != 1 || !b.Items[0].SentAt.IsZero() {
		t.Fatalf("items %+v, want one without a date", b.Items)
	}
}
