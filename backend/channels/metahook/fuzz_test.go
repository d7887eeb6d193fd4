package metahook

import (
	"testing"

	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// FuzzParse feeds arbitrary bodies to the webhook parser of each platform,
// seeded with the payloads Meta documents (those of the tests above). A body
// the parser refuses gives an error and nothing else; one it accepts gives
// items ingest can store under a stable id, and deliveries that name what
// they concern.
func FuzzParse(f *testing.F) {
	wa := func(msgs string) string {
		return `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"phone_number_id":"55"},"contacts":[{"profile":{"name":"Olga"},"wa_id":"49151"}],"messages":[` + msgs + `]}}]}]}`
	}
	seeds := []struct {
		ch   uint8
		body string
	}{
		{0, wa(`{"from":"49151","id":"wamid.1","timestamp":"1764763200","type":"image","image":{"caption":"my ticket","mime_type":"image/jpeg","sha256":"q83vEjRWeJA=","id":"1481"}},{"from":"49151","id":"wamid.3","timestamp":"1764763202","type":"interactive","context":{"id":"wamid.out"},"interactive":{"type":"button_reply","button_reply":{"id":"b","title":"Yes"}}},{"from":"49151","id":"wamid.4","timestamp":"1764763203","type":"reaction","reaction":{"message_id":"wamid.out","emoji":"👍"}}`)},
		{0, `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"55"},"statuses":[{"id":"wamid.out","status":"failed","timestamp":"1764763200","recipient_id":"49151","errors":[{"code":131047,"title":"Re-engagement message","error_data":{"details":"More than 24 hours"}}]}]}}]}]}`},
		{1, `{"object":"page","entry":[{"id":"1001","time":1764763200,"changes":[{"field":"feed","value":{"item":"comment","verb":"add","post_id":"1001_5","comment_id":"5_77","parent_id":"5_70","message":"Same here","created_time":1764763190,"from":{"id":"502","name":"Ivan P."}}}]}]}`},
		{1, `{"object":"page","entry":[{"id":"1001","time":1,"messaging":[{"sender":{"id":"9002"},"recipient":{"id":"1001"},"timestamp":1764763200123,"message":{"mid":"m_1","text":"My bag is lost","attachments":[{"type":"image","payload":{"url":"https://scontent.xx.fbcdn.net/v/t1/123_456_n.jpg?oh=1&oe=2"}}]}},{"sender":{"id":"1001"},"recipient":{"id":"9002"},"timestamp":1764763300000,"message":{"mid":"m_2","text":"Sorry!","is_echo":true}}]}]}`},
		{1, `{"object":"page","entry":[{"id":"1001","time":1458668856463,"messaging":[{"sender":{"id":"9002"},"recipient":{"id":"1001"},"timestamp":1458668856463,"delivery":{"mids":["mid.1","mid.2"],"watermark":1458668856253}},{"sender":{"id":"9002"},"recipient":{"id":"1001"},"timestamp":1458668856463,"read":{"watermark":1458668856253}}]}]}`},
		{2, `{"object":"instagram","entry":[{"id":"17841400","time":1764763200,"changes":[{"field":"comments","value":{"id":"180","text":"Me too","parent_id":"170","from":{"id":"88","username":"mia"},"media":{"id":"m1"}}}]}]}`},
		{2, `{"object":"instagram","entry":[{"id":"17841400","time":1569262486134,"messaging":[{"sender":{"id":"88"},"recipient":{"id":"17841400"},"timestamp":1569262486134,"read":{"mid":"aWdfZAG1"}}]}]}`},
		{1, `{"object":"page","entry":[{"id":"1001","changes":[{"field":"feed","value":{"item":"comment","verb":"add","comment_id":"5_78","message":"no dates at all"}}],"messaging":[{"sender":{"id":"9002"},"recipient":{"id":"1001"},"message":{"mid":"m_3","text":"undated"}}]}]}`},
		{0, wa(`{"from":"49151","id":"wamid.9","type":"text","text":{"body":"no timestamp"}},{"from":"49151","id":"wamid.10","timestamp":"0","type":"text","text":{"body":"zero"}}`)},
	}
	for _, s := range seeds {
		f.Add(s.ch, []byte(s.body))
	}
	kinds := []inbox.ChannelKind{inbox.ChannelWhatsApp, inbox.ChannelFacebook, inbox.ChannelInstagram}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		ch := kinds[int(which)%len(kinds)]
		ev, err := parse(ch, body)
		if err != nil {
			if ev != nil {
				t.Fatalf("error %v with events %+v", err, ev)
			}
			return
		}
		again, err := parse(ch, body)
		if err != nil {
			t.Fatalf("second parse failed: %v", err)
		}
		for id, pt := range ev {
			channeltest.CheckItems(t, ch, pt.items)
			channeltest.SameItems(t, pt.items, again[id].items)
			for i, d := range pt.deliveries {
				if d.ExternalID == "" && d.ThreadKey == "" {
					t.Errorf("delivery %d names neither a message nor a thread: %+v", i, d)
				}
			}
		}
	})
}
