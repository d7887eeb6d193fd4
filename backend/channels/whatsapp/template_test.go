package whatsapp_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/graph/graphfake"
)

func templateReply() channels.Reply {
	r := reply("Booking AB12\nHello Olga, your refund of €120 is on its way.")
	r.Template = &channels.Template{Name: "refund_update", Language: "en_US", Header: []string{"AB12"}, Body: []string{"Olga", "€120"}}
	return r
}

func TestReplyTemplateSendsTheApprovedValues(t *testing.T) {
	c, fake, _, _ := setup(t)
	s, err := c.ReplyTemplate(context.Background(), templateReply())
	if err != nil {
		t.Fatal(err)
	}
	sent := fake.Sent()
	if len(sent) != 1 || sent[0].ID != s.ExternalID || sent[0].Type != "template" || sent[0].Text != "refund_update" ||
		sent[0].Language != "en_US" || strings.Join(sent[0].Params, "|") != "AB12|Olga|€120" {
		t.Fatalf("sent %+v (answer %+v)", sent, s)
	}
}

// Meta's template refusals are the shared errors, whatever the wording.
func TestReplyTemplateRefusals(t *testing.T) {
	for _, tc := range []struct {
		name string
		tpl  channels.Template
		want error
	}{
		{"a value short", channels.Template{Name: "refund_update", Language: "en_US", Header: []string{"AB12"}, Body: []string{"Olga"}}, channels.ErrTemplateParams},
		{"not in that language", channels.Template{Name: "refund_update", Language: "de", Header: []string{"AB12"}, Body: []string{"Olga", "€1"}}, channels.ErrTemplateMissing},
		{"not approved", channels.Template{Name: "summer_sale", Language: "en_US"}, channels.ErrTemplateMissing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, fake, _, _ := setup(t)
			r := templateReply()
			r.Template = &tc.tpl
			_, err := c.ReplyTemplate(context.Background(), r)
			if !errors.Is(err, tc.want) || len(fake.Sent()) != 0 {
				t.Fatalf("err %v, want %v; sent %+v", err, tc.want, fake.Sent())
			}
		})
	}
}

// A connection that breaks after the request left may have sent the
// message: the error says the outcome is unknown. One that never connected
// did not send anything.
func TestSendOutcomeAfterATransportError(t *testing.T) {
	c, fake, _, _ := setup(t)
	fake.Fail("POST messages", graphfake.Failure{Drop: graphfake.DropAfter})
	_, err := c.ReplyTemplate(context.Background(), templateReply())
	if !errors.Is(err, channels.ErrOutcomeUnknown) || len(fake.Sent()) != 1 {
		t.Fatalf("dropped after sending: %v (sent %d)", err, len(fake.Sent()))
	}
	fake.Close()
	_, err = c.ReplyTemplate(context.Background(), templateReply())
	if err == nil || errors.Is(err, channels.ErrOutcomeUnknown) || !errors.Is(err, channels.ErrTransport) {
		t.Fatalf("server gone: %v", err)
	}
}
