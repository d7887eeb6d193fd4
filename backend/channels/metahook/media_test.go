package metahook

import (
	"reflect"
	"slices"
	"testing"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Media messages become attachments with what fetches them later (the
// WhatsApp media id and hash, the Messenger/Instagram URL); a message with
// media is not flagged no-text, one with neither words nor media is.
func TestWebhookMediaBecomesAttachments(t *testing.T) {
	wa := func(msg string) string {
		return `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"phone_number_id":"55"},"contacts":[{"profile":{"name":"Olga"},"wa_id":"49151"}],"messages":[` + msg + `]}}]}]}`
	}
	page := func(object, id, msg string) string {
		return `{"object":"` + object + `","entry":[{"id":"` + id + `","time":1,"messaging":[{"sender":{"id":"9002"},"recipient":{"id":"` + id + `"},"timestamp":1764763200123,"message":` + msg + `}]}]}`
	}
	cases := []struct {
		name     string
		ch       inbox.ChannelKind
		body, id string
		text     string
		want     []inbox.Attachment
		noText   bool
	}{
		{"whatsapp image with caption", inbox.ChannelWhatsApp,
			wa(`{"from":"49151","id":"wamid.1","timestamp":"1764763200","type":"image","image":{"caption":"my ticket","mime_type":"image/jpeg","sha256":"q83vEjRWeJA=","id":"1481"}}`), "55",
			"my ticket", []inbox.Attachment{{ContentType: "image/jpeg", Kind: "image", Ref: "1481", SHA256: "q83vEjRWeJA="}}, false},
		{"whatsapp document keeps its file name", inbox.ChannelWhatsApp,
			wa(`{"from":"49151","id":"wamid.2","timestamp":"1764763200","type":"document","document":{"caption":"receipt","filename":"receipt.pdf","mime_type":"application/pdf","sha256":"abc","id":"1482"}}`), "55",
			"receipt", []inbox.Attachment{{Name: "receipt.pdf", ContentType: "application/pdf", Kind: "document", Ref: "1482", SHA256: "abc"}}, false},
		{"whatsapp voice note", inbox.ChannelWhatsApp,
			wa(`{"from":"49151","id":"wamid.3","timestamp":"1764763200","type":"audio","audio":{"mime_type":"audio/ogg; codecs=opus","sha256":"d","id":"1483","voice":true}}`), "55",
			"", []inbox.Attachment{{ContentType: "audio/ogg; codecs=opus", Kind: "audio", Ref: "1483", SHA256: "d"}}, false},
		{"whatsapp sticker", inbox.ChannelWhatsApp,
			wa(`{"from":"49151","id":"wamid.4","timestamp":"1764763200","type":"sticker","sticker":{"mime_type":"image/webp","sha256":"e","id":"1484","animated":false}}`), "55",
			"", []inbox.Attachment{{ContentType: "image/webp", Kind: "sticker", Ref: "1484", SHA256: "e"}}, false},
		{"whatsapp location has nothing to show", inbox.ChannelWhatsApp,
			wa(`{"from":"49151","id":"wamid.5","timestamp":"1764763200","type":"location","location":{"latitude":52.5,"longitude":13.4}}`), "55",
			"", nil, true},
		{"messenger image and file", inbox.ChannelFacebook,
			page("page", "1001", `{"mid":"m_1","attachments":[{"type":"image","payload":{"url":"https://scontent.xx.fbcdn.net/v/t1/123_456_n.jpg?oh=1&oe=2"}},{"type":"file","payload":{"url":"https://cdn.fbsbx.com/v/t59/boarding.pdf?_nc=1"}}]}`), "1001",
			"", []inbox.Attachment{{Name: "123_456_n.jpg", Kind: "image", Ref: "https://scontent.xx.fbcdn.net/v/t1/123_456_n.jpg?oh=1&oe=2"},
				{Name: "boarding.pdf", Kind: "file", Ref: "https://cdn.fbsbx.com/v/t59/boarding.pdf?_nc=1"}}, false},
		{"messenger fallback link is not media", inbox.ChannelFacebook,
			page("page", "1001", `{"mid":"m_2","attachments":[{"type":"fallback","payload":{"url":"https://example.com/x","title":"A link"}}]}`), "1001",
			"", nil, true},
		{"instagram video with text", inbox.ChannelInstagram,
			page("instagram", "17841400", `{"mid":"m_3","text":"look","attachments":[{"type":"video","payload":{"url":"https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=9&signature=s"}}]}`), "17841400",
			"look", []inbox.Attachment{{Kind: "video", Ref: "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=9&signature=s"}}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := parse(tc.ch, []byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			pt := ev[tc.id]
			if pt == nil || len(pt.items) != 1 {
				t.Fatalf("events %+v", ev)
			}
			it := pt.items[0]
			if it.Text != tc.text || !reflect.DeepEqual(it.Attachments, tc.want) {
				t.Errorf("text %q attachments %+v, want %q %+v", it.Text, it.Attachments, tc.text, tc.want)
			}
			if got := slices.Contains(it.Flags, inbox.FlagNoText); got != tc.noText {
				t.Errorf("no-text flag %v, want %v (flags %v)", got, tc.noText, it.Flags)
			}
		})
	}
}
