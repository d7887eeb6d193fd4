package vk

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

func fuzzConnector(f *testing.F) *Connector {
	c, err := New(Config{GroupID: 777, Token: "community-token"})
	if err != nil {
		f.Fatal(err)
	}
	return c
}

// FuzzLongPoll gives the mapping of a Bots Long Poll answer arbitrary
// updates, seeded with the fixture's events: every update is an item ingest
// can store under the id a replay gives again, or is counted as skipped.
func FuzzLongPoll(f *testing.F) {
	f.Add([]byte(`{"ts":"5","updates":` + string(channeltest.Testdata(f, "updates.json")) + `}`))
	f.Add([]byte(`{"ts":6,"updates":[{"type":"wall_reply_new","object":{"id":3,"post_id":1,"owner_id":-777,"from_id":5,"text":"undated"}},{"type":"message_reply","object":{"id":0,"peer_id":2000000001,"date":-5,"conversation_message_id":9}},{"type":"message_new","object":null}]}`))
	c := fuzzConnector(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		var resp LongPollResponse
		if json.Unmarshal(body, &resp) != nil {
			return // poll refuses the answer before it is mapped
		}
		b := c.batch(resp.Updates)
		channeltest.CheckItems(t, inbox.ChannelVK, b.Items)
		if len(b.Items)+b.Skipped != len(resp.Updates) {
			t.Errorf("%d items and %d skipped of %d updates", len(b.Items), b.Skipped, len(resp.Updates))
		}
		channeltest.SameItems(t, b.Items, c.batch(resp.Updates).Items)
	})
}

// FuzzComments does the same for wall.getComments answers, which backfill
// maps with their threads and their authors' names.
func FuzzComments(f *testing.F) {
	f.Add([]byte(`{"count":2,"items":[{"id":10,"from_id":42,"date":1767225600,"text":"Где мой заказ?","thread":{"count":1,"items":[{"id":11,"from_id":-777,"date":1767225700,"text":"Уже ищем","reply_to_comment":10}]}},{"id":12,"from_id":43,"text":"no date"}],"profiles":[{"id":42,"first_name":"Анна","last_name":"К."}],"groups":[{"id":777,"name":"Acme"}]}`))
	f.Add([]byte(`{"items":[{"id":0,"date":0,"thread":null},{"id":-1,"date":99999999999,"from_id":-9223372036854775808}],"profiles":null}`))
	c := fuzzConnector(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		var res WallComments
		if json.Unmarshal(body, &res) != nil {
			return
		}
		items := c.commentItems(res, -777, 5)
		channeltest.CheckItems(t, inbox.ChannelVK, items)
		for _, it := range items {
			if strings.HasSuffix(it.ExternalID, "_0") || strings.Contains(it.ExternalID, "_-") {
				t.Fatalf("a comment without an id became %q, which every other such comment shares", it.ExternalID)
			}
		}
		channeltest.SameItems(t, items, c.commentItems(res, -777, 5))
	})
}
