package workspace

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/drafts"
)

// DraftTemplate asks for every URL button value and a media header's link
// (a public https URL; a document also a file name), each refusal coded.
func TestDraftTemplateButtonsAndMedia(t *testing.T) {
	e := tplSetup(t)
	ctx := context.Background()
	track := func(b ...channels.TemplateButton) drafts.ReplyTemplate {
		return drafts.ReplyTemplate{Name: "track_order", Language: "en_US", Body: []string{"Olga"}, Buttons: b}
	}
	pass := func(link, file string) drafts.ReplyTemplate {
		return drafts.ReplyTemplate{Name: "boarding_pass", Language: "en_US", Media: channels.TemplateMedia{Link: link, Filename: file}}
	}
	for _, tc := range []struct {
		name string
		tpl  drafts.ReplyTemplate
		code string
	}{
		{"button value missing", track(), apperr.CodeTemplateParams},
		{"button value blank", track(channels.TemplateButton{Index: 1, Text: "  "}), apperr.CodeTemplateParams},
		{"value for the quick reply", track(channels.TemplateButton{Index: 0, Text: "AB12"}), apperr.CodeTemplateParams},
		{"two button values", track(channels.TemplateButton{Index: 1, Text: "AB12"}, channels.TemplateButton{Index: 1, Text: "CD34"}), apperr.CodeTemplateParams},
		{"media on a text template", drafts.ReplyTemplate{Name: "track_order", Language: "en_US", Body: []string{"Olga"},
			Buttons: []channels.TemplateButton{{Index: 1, Text: "AB12"}}, Media: channels.TemplateMedia{Link: "https://cdn.example/a.png"}}, apperr.CodeTemplateParams},
		{"no link", pass("", "pass.pdf"), apperr.CodeTemplateMediaLink},
		{"http link", pass("http://cdn.example/pass.pdf", "pass.pdf"), apperr.CodeTemplateMediaLink},
		{"relative link", pass("/pass.pdf", "pass.pdf"), apperr.CodeTemplateMediaLink},
		{"credentials in the link", pass("https://me:pw@cdn.example/pass.pdf", "pass.pdf"), apperr.CodeTemplateMediaLink},
		{"document without file name", pass("https://cdn.example/pass.pdf", " "), apperr.CodeTemplateMediaLink},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.c.DraftTemplate(ctx, e.conv, tplAgent, tc.tpl)
			ae := apperr.Classify(err)
			if ae.Code != tc.code || ae.Params["template"] != tc.tpl.Name || ae.Params["channel"] != "whatsapp" {
				t.Fatalf("code %q params %v (%v), want %q", ae.Code, ae.Params, err, tc.code)
			}
		})
	}

	r, err := e.c.DraftTemplate(ctx, e.conv, tplAgent, track(channels.TemplateButton{Index: 1, Text: " AB12 "}))
	if err != nil {
		t.Fatal(err)
	}
	if r.Text != "Hello Olga, your order has shipped.\n[Track] https://aurora.example/track/AB12" ||
		!reflect.DeepEqual(r.Template.Buttons, []channels.TemplateButton{{Index: 1, Type: "url", Text: "AB12"}}) || r.Template.Media != (channels.TemplateMedia{}) {
		t.Fatalf("button template reply %q %+v", r.Text, r.Template)
	}
	// The format comes from the template, whatever the page sent.
	p := pass(" https://cdn.example/pass.pdf ", "Boarding pass.pdf")
	p.Media.Format = "image"
	r, err = e.c.DraftTemplate(ctx, e.conv, tplAgent, p)
	if err != nil {
		t.Fatal(err)
	}
	want := channels.TemplateMedia{Format: "document", Link: "https://cdn.example/pass.pdf", Filename: "Boarding pass.pdf"}
	if r.Template.Media != want || r.Text != "[document] https://cdn.example/pass.pdf\nYour boarding pass." {
		t.Fatalf("media template reply %q %+v", r.Text, r.Template)
	}
	if stored := e.reply(t, r.ID); stored.Template.Media != want {
		t.Fatalf("stored media %+v", stored.Template.Media)
	}
}

// Template replies with a URL button value, a document header, a copy
// code, a one-time code and a place go out once each, in the shape the Cloud API documents, and a later pass
// sends nothing more.
func TestOutboxSendsButtonAndMediaTemplatesOnce(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		tpl  drafts.ReplyTemplate
		want string
	}{
		{"url button", drafts.ReplyTemplate{Name: "track_order", Language: "en_US", Body: []string{"Olga"}, Buttons: []channels.TemplateButton{{Index: 1, Text: "AB12"}}},
			`{"name":"track_order","language":{"code":"en_US"},"components":[
				{"type":"body","parameters":[{"type":"text","text":"Olga"}]},
				{"type":"button","sub_type":"url","index":"1","parameters":[{"type":"text","text":"AB12"}]}]}`},
		{"document header", drafts.ReplyTemplate{Name: "boarding_pass", Language: "en_US", Media: channels.TemplateMedia{Link: "https://cdn.example/pass.pdf", Filename: "pass.pdf"}},
			`{"name":"boarding_pass","language":{"code":"en_US"},"components":[
				{"type":"header","parameters":[{"type":"document","document":{"link":"https://cdn.example/pass.pdf","filename":"pass.pdf"}}]}]}`},
		{"copy code", drafts.ReplyTemplate{Name: "spring_sale", Language: "en_US", Body: []string{"Olga"}, Buttons: []channels.TemplateButton{{Index: 0, Text: "SPRING20"}}},
			`{"name":"spring_sale","language":{"code":"en_US"},"components":[
				{"type":"body","parameters":[{"type":"text","text":"Olga"}]},
				{"type":"button","sub_type":"copy_code","index":"0","parameters":[{"type":"coupon_code","coupon_code":"SPRING20"}]}]}`},
		{"one-time code", drafts.ReplyTemplate{Name: "login_code", Language: "en_US", Body: []string{"482913"}, Buttons: []channels.TemplateButton{{Index: 0, Text: "482913"}}},
			`{"name":"login_code","language":{"code":"en_US"},"components":[
				{"type":"body","parameters":[{"type":"text","text":"482913"}]},
				{"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"482913"}]}]}`},
		{"location header", drafts.ReplyTemplate{Name: "store_map", Language: "en_US", Media: berDesk},
			`{"name":"store_map","language":{"code":"en_US"},"components":[
				{"type":"header","parameters":[{"type":"location","location":{"latitude":52.3667,"longitude":13.5033,"name":"BER Terminal 1","address":"Melli-Beese-Ring 1, Schönefeld"}}]}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := tplSetup(t)
			r := e.queuedTemplate(t, tc.tpl)
			ob := e.c.Outbox()
			if sent, _, err := ob.RunOnce(ctx, time.Now()); sent != 1 || err != nil {
				t.Fatalf("sent %d, %v", sent, err)
			}
			if sent, _, err := ob.RunOnce(ctx, time.Now().Add(time.Hour)); sent != 0 || err != nil {
				t.Fatalf("a later pass sent %d (%v)", sent, err)
			}
			got := e.templatesSent()
			if len(got) != 1 {
				t.Fatalf("Meta accepted %d template messages, want 1", len(got))
			}
			if same, err := got[0].SameTemplate(tc.want); err != nil || !same {
				t.Fatalf("sent %s\nwant %s", got[0].Template, tc.want)
			}
			if final := e.reply(t, r.ID); final.State != drafts.StateSent || final.ExternalID != got[0].ID {
				t.Fatalf("reply %s, external id %q, want sent as %q", final.State, final.ExternalID, got[0].ID)
			}
		})
	}
}
