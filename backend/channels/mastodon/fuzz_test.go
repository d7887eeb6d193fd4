package mastodon

import (
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// FuzzStatusItem gives the mapping of statuses (mentions, direct messages,
// their context) arbitrary ones, seeded with the fixture the fake serves:
// HTML content, content warnings, replies and attachments become items
// ingest can store under the id a refetch gives again.
func FuzzStatusItem(f *testing.F) {
	f.Add(channeltest.Testdata(f, "statuses.json"))
	f.Add([]byte(`[{"id":"7","created_at":null,"in_reply_to_id":"","visibility":"direct","spoiler_text":"cw","content":"<p>a<br>b</p><p><a href=\"x\">&#xD800;&amp;</a><li>c","account":{"id":"","acct":"","followers_count":-4},"media_attachments":[{"url":"/","type":"image"},{"url":"https://files.example/a%2F.png"}]}]`))
	c, err := New(Config{BaseURL: "https://mastodon.example", Token: "t", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		f.Fatal(err)
	}
	me := Account{ID: "1", Acct: "acme"}
	f.Fuzz(func(t *testing.T, body []byte) {
		var ss []Status
		if json.Unmarshal(body, &ss) != nil {
			return // the client refuses the answer before it is mapped
		}
		var items, again []inbox.Item
		for _, s := range ss {
			it, ok := c.statusItem(me, s, "")
			if ok != (s.ID != "") {
				t.Errorf("status %q mapped: %v", s.ID, ok)
			}
			if ok {
				it2, _ := c.statusItem(me, s, "")
				items, again = append(items, it), append(again, it2)
			}
		}
		channeltest.CheckItems(t, inbox.ChannelMastodon, items)
		channeltest.SameItems(t, items, again)
		clear(c.known) // what the connector remembers for replies; not what is tested
	})
}
