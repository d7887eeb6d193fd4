package bluesky

import (
	"encoding/json"
	"testing"

	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// FuzzItem gives the mapping of listNotifications arbitrary notifications,
// seeded with a mention and a reply as the AppView answers them: what is
// mapped is an item ingest can store under the id a refetch gives again.
func FuzzItem(f *testing.F) {
	f.Add([]byte(`{"cursor":"c1","notifications":[
		{"uri":"at://did:plc:u1/app.bsky.feed.post/3k1","cid":"b1","author":{"did":"did:plc:u1","handle":"u1.bsky.social","displayName":"Ünal 🚀"},"reason":"mention","record":{"$type":"app.bsky.feed.post","text":"@acme.bsky.social where is my bag","createdAt":"2026-11-20T09:00:00.000Z"},"indexedAt":"2026-11-20T09:00:01.000Z"},
		{"uri":"at://did:plc:u2/app.bsky.feed.post/3k2","reason":"reply","record":{"text":"same","createdAt":"2026-11-20T10:00:00Z","reply":{"root":{"uri":"at://did:plc:acme/app.bsky.feed.post/3r"},"parent":{"uri":"at://did:plc:u1/app.bsky.feed.post/3k1"}}},"indexedAt":"2026-11-20T10:00:00Z"}]}`))
	f.Add([]byte(`{"notifications":[{"uri":"at://x","reason":"quote","record":{"text":"","reply":{"root":{"uri":""},"parent":{}}},"indexedAt":"9999-12-31T23:59:59Z"},{"uri":"","reason":"mention"},{"uri":"at://y","reason":"like"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var a notificationsAnswer
		if json.Unmarshal(body, &a) != nil || a.Notifications == nil {
			return // Fetch refuses the answer before it is mapped
		}
		var items, again []inbox.Item
		for _, n := range *a.Notifications {
			if it, ok := item(n); ok {
				items = append(items, it)
				it2, _ := item(n)
				again = append(again, it2)
			}
		}
		channeltest.CheckItems(t, inbox.ChannelBluesky, items)
		channeltest.SameItems(t, items, again)
	})
}
