package facebook

import (
	"testing"

	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/channels/graph"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// FuzzItems gives the mappings of a post's comments and a Messenger
// conversation's messages arbitrary Graph pages, seeded with what Graph
// answers: everything mapped is an item ingest can store under the id a
// refetch gives again.
func FuzzItems(f *testing.F) {
	f.Add([]byte(`{"data":[{"id":"5_70","message":"Мой багаж потерян 😡","created_time":"2026-12-03T12:00:00+0000","from":{"id":"502","name":"Ivan P."}},{"id":"5_77","message":"Same","created_time":"2026-12-03T12:05:00+0000","parent":{"id":"5_70"}},{"id":"5_78","message":"Thanks","created_time":"2026-12-03T12:10:00+0000","from":{"id":"1001","name":"Aurora"},"parent":{"id":"1001_5"}}],"paging":{"cursors":{"after":"x"}}}`),
		[]byte(`{"data":[{"id":"m_1","message":"Hi","created_time":"2026-12-03T12:00:00+0000","from":{"id":"9002","name":"Olga"},"to":{"data":[{"id":"1001"}]}},{"id":"m_2","created_time":1764763300,"from":{"id":"1001"},"attachments":{"data":[{"id":"a","mime_type":"image/jpeg","name":"p.jpg","size":12,"image_data":{"url":"https://scontent.example/p.jpg"}}]}}]}`))
	f.Add([]byte(`{"data":[{"id":"5_1","created_time":0,"from":null,"parent":{"id":""}},{"created_time":"9999-12-31T23:59:59+0000"}]}`), []byte(`{"data":[{"id":"m_3","created_time":"0"},{"message":"no id"}]}`))
	c := &Connector{cfg: Config{PageConfig: graph.PageConfig{PageID: "1001"}}}
	person := graph.Participant{ID: "9002", Name: "Olga"}
	f.Fuzz(func(t *testing.T, comments, messages []byte) {
		cms, ok1 := channeltest.GraphData[Comment](comments)
		ms, ok2 := channeltest.GraphData[graph.Message](messages)
		if !ok1 || !ok2 {
			return // the client refuses the page before it is mapped
		}
		var items, again []inbox.Item
		for _, cm := range cms {
			channeltest.Twice(t, cm.ID, func() (inbox.Item, bool) { return c.commentItem("1001_5", cm) }, &items, &again)
		}
		for _, m := range ms {
			channeltest.Twice(t, m.ID, func() (inbox.Item, bool) { return c.messageItem(person, m) }, &items, &again)
		}
		channeltest.CheckItems(t, inbox.ChannelFacebook, items)
		channeltest.SameItems(t, items, again)
	})
}
