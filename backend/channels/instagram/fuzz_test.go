package instagram

import (
	"testing"

	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/channels/graph"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// FuzzItems gives the mappings of a media's comments (with their replies)
// and a conversation's messages arbitrary Graph pages, seeded with what
// Graph answers: everything mapped is an item ingest can store under the id
// a refetch gives again, and only what has no id is refused.
func FuzzItems(f *testing.F) {
	f.Add([]byte(`{"data":[{"id":"170","text":"Где мой чемодан? 😡","timestamp":"2026-12-03T12:00:00+0000","username":"mia","from":{"id":"88","username":"mia"},"replies":{"data":[{"id":"180","text":"@mia sorry!","timestamp":"2026-12-03T12:05:00+0000","from":{"id":"17841400","username":"acme.air"}}]}}]}`),
		[]byte(`{"data":[{"id":"aWdf1","message":"Hi","created_time":"2026-12-03T12:00:00+0000","from":{"id":"5501","username":"mia"}},{"id":"aWdf2","created_time":1764763300,"from":{"id":"17841400"},"attachments":{"data":[{"id":"a","mime_type":"video/mp4","video_data":{"url":"https://lookaside.example/v"}}]}}]}`))
	f.Add([]byte(`{"data":[{"id":"171","timestamp":0,"from":null,"replies":{"data":[{"text":"no id"},null]}},{"timestamp":"9999-12-31T23:59:59+0000"}]}`), []byte(`{"data":[{"id":"m","created_time":"0"},{}]}`))
	c := &Connector{}
	ig := User{ID: "17841400", Username: "acme.air"}
	person := graph.Participant{ID: "5501", Username: "mia"}
	f.Fuzz(func(t *testing.T, comments, messages []byte) {
		cms, ok1 := channeltest.GraphData[Comment](comments)
		ms, ok2 := channeltest.GraphData[graph.Message](messages)
		if !ok1 || !ok2 {
			return // the client refuses the page before it is mapped
		}
		var items, again []inbox.Item
		for _, cm := range cms {
			channeltest.Twice(t, cm.ID, func() (inbox.Item, bool) { return c.commentItem(ig, cm, "") }, &items, &again)
			if cm.Replies != nil {
				for _, r := range cm.Replies.Data {
					channeltest.Twice(t, r.ID, func() (inbox.Item, bool) { return c.commentItem(ig, r, cm.ID) }, &items, &again)
				}
			}
		}
		for _, m := range ms {
			channeltest.Twice(t, m.ID, func() (inbox.Item, bool) { return c.messageItem(ig, person, m) }, &items, &again)
		}
		channeltest.CheckItems(t, inbox.ChannelInstagram, items)
		channeltest.SameItems(t, items, again)
	})
}
