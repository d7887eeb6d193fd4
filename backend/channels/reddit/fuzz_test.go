package reddit

import (
	"encoding/json"
	"testing"

	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// FuzzItem gives the mapping of inbox listings arbitrary things, seeded
// with a comment reply, a mention and a private message as Reddit lists
// them: what is mapped is an item ingest can store under the id a refetch
// gives again, and what is not is counted by Fetch as skipped.
func FuzzItem(f *testing.F) {
	f.Add([]byte(`{"kind":"Listing","data":{"after":null,"before":null,"children":[
		{"kind":"t1","data":{"id":"k1","name":"t1_k1","author":"maria_k","author_fullname":"t2_m","body":"Still broken 😤 &amp; no answer","parent_id":"t1_p","context":"/r/acme/comments/abc12/update/k1/?context=3","type":"comment_reply","subreddit":"acme","created_utc":1764763200.0}},
		{"kind":"t1","data":{"id":"k2","name":"t1_k2","author":"omar","body":"u/acme help","context":"/r/acme/comments/abc13/x/k2/","type":"username_mention","created_utc":1764763300}},
		{"kind":"t4","data":{"id":"m1","name":"t4_m1","author":"olga","subject":"Order 42","body":"Где заказ?","first_message_name":null,"created_utc":1764763400}}]}}`))
	f.Add([]byte(`{"kind":"Listing","data":{"children":[{"kind":"t1","data":{"name":"t1_x","created_utc":12.5,"link_id":"t3_y"}},{"kind":"t4","data":{"name":"t4_z","created_utc":1e300,"first_message_name":""}},{"kind":"t3","data":{"name":"t3_q","created_utc":5}}]}}`))
	c, err := New(Config{Username: "acme", ClientID: "id", Secret: "s", Password: "p", UserAgent: "linux:stormdesk-fuzz:1 (by /u/acme)"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var l Listing
		if json.Unmarshal(body, &l) != nil || l.Data == nil {
			return // the inbox call refuses the answer before it is mapped
		}
		var items, again []inbox.Item
		for _, th := range l.Data.Children {
			if it, ok := c.item(th); ok {
				it2, _ := c.item(th)
				items, again = append(items, it), append(again, it2)
			}
		}
		channeltest.CheckItems(t, Kind, items)
		channeltest.SameItems(t, items, again)
	})
}
