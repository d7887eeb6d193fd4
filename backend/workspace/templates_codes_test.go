package workspace

import (
	"context"
	"reflect"
	"testing"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/drafts"
)

var berDesk = channels.TemplateMedia{Latitude: 52.3667, Longitude: 13.5033, Name: "BER Terminal 1", Address: "Melli-Beese-Ring 1, Schönefeld"}

// DraftTemplate asks a COPY_CODE button's code (at most 15 characters),
// an OTP button's code (the body's {{1}} too) and a location header's
// place (coordinates in range, a name and an address), each refusal coded.
func TestDraftTemplateCodesAndLocation(t *testing.T) {
	e := tplSetup(t)
	ctx := context.Background()
	sale := func(code string) drafts.ReplyTemplate {
		return drafts.ReplyTemplate{Name: "spring_sale", Language: "en_US", Body: []string{"Olga"}, Buttons: []channels.TemplateButton{{Index: 0, Text: code}}}
	}
	otp := func(body, code string) drafts.ReplyTemplate {
		return drafts.ReplyTemplate{Name: "login_code", Language: "en_US", Body: []string{body}, Buttons: []channels.TemplateButton{{Index: 0, Text: code}}}
	}
	place := func(mod func(*channels.TemplateMedia)) drafts.ReplyTemplate {
		m := berDesk
		mod(&m)
		return drafts.ReplyTemplate{Name: "store_map", Language: "en_US", Media: m}
	}
	for _, tc := range []struct {
		name string
		tpl  drafts.ReplyTemplate
		code string
	}{
		{"copy code missing", drafts.ReplyTemplate{Name: "spring_sale", Language: "en_US", Body: []string{"Olga"}}, apperr.CodeTemplateParams},
		{"copy code blank", sale(" "), apperr.CodeTemplateParams},
		{"copy code of 16 characters", sale("SPRING2026SALE20"), apperr.CodeTemplateCopyCode},
		{"one-time code missing", drafts.ReplyTemplate{Name: "login_code", Language: "en_US", Body: []string{"482913"}}, apperr.CodeTemplateParams},
		{"one-time code differs from the body", otp("482913", "111111"), apperr.CodeTemplateParams},
		{"latitude above 90", place(func(m *channels.TemplateMedia) { m.Latitude = 90.5 }), apperr.CodeTemplateLocation},
		{"longitude below -180", place(func(m *channels.TemplateMedia) { m.Longitude = -180.01 }), apperr.CodeTemplateLocation},
		{"place without name", place(func(m *channels.TemplateMedia) { m.Name = " " }), apperr.CodeTemplateLocation},
		{"place without address", place(func(m *channels.TemplateMedia) { m.Address = "" }), apperr.CodeTemplateLocation},
		{"place with a link", place(func(m *channels.TemplateMedia) { m.Link = "https://cdn.example/map.png" }), apperr.CodeTemplateParams},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.c.DraftTemplate(ctx, e.conv, tplAgent, tc.tpl)
			ae := apperr.Classify(err)
			if ae.Code != tc.code || ae.Params["template"] != tc.tpl.Name || ae.Params["channel"] != "whatsapp" {
				t.Fatalf("code %q params %v (%v), want %q", ae.Code, ae.Params, err, tc.code)
			}
			if tc.code == apperr.CodeTemplateCopyCode && ae.Params["max"] != "15" {
				t.Fatalf("params %v, want max 15", ae.Params)
			}
		})
	}

	// The button's sub_type comes from the template, whatever the page sent.
	s := sale(" SPRING20 ")
	s.Buttons[0].Type = "url"
	r, err := e.c.DraftTemplate(ctx, e.conv, tplAgent, s)
	if err != nil {
		t.Fatal(err)
	}
	if want := []channels.TemplateButton{{Index: 0, Type: "copy_code", Text: "SPRING20"}}; !reflect.DeepEqual(r.Template.Buttons, want) ||
		r.Text != "Hello Olga, 20% off your next flight.\n[Copy offer code] SPRING20" {
		t.Fatalf("copy code reply %q %+v", r.Text, r.Template.Buttons)
	}
	if stored := e.reply(t, r.ID); !reflect.DeepEqual(stored.Template.Buttons, r.Template.Buttons) {
		t.Fatalf("stored buttons %+v", stored.Template.Buttons)
	}
	// A place on the equator and the prime meridian is a place.
	p := place(func(m *channels.TemplateMedia) { m.Latitude, m.Longitude, m.Name = 0, 0, " Null Island " })
	p.Media.Format = "image"
	r, err = e.c.DraftTemplate(ctx, e.conv, tplAgent, p)
	if err != nil {
		t.Fatal(err)
	}
	want := channels.TemplateMedia{Format: "location", Name: "Null Island", Address: berDesk.Address}
	if r.Template.Media != want || r.Text != "[location] Null Island, Melli-Beese-Ring 1, Schönefeld (0, 0)\nOur store." {
		t.Fatalf("location reply %q %+v", r.Text, r.Template.Media)
	}
	if stored := e.reply(t, r.ID); stored.Template.Media != want {
		t.Fatalf("stored place %+v", stored.Template.Media)
	}
}
