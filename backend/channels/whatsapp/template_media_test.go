package whatsapp_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/graph"
	"github.com/stormdesk/stormdesk/backend/channels/whatsapp"
	"github.com/stormdesk/stormdesk/backend/channels/whatsapp/whatsappfake"
)

// Templates with URL button variables and media headers, as Meta lists them.
var (
	trackOrder = whatsappfake.Template{Name: "track_order", Language: "en", Category: "UTILITY", Components: []whatsappfake.Component{
		{Type: "BODY", Text: "Hello {{1}}, your order has shipped."},
		{Type: "BUTTONS", Buttons: []whatsappfake.Button{
			{Type: "QUICK_REPLY", Text: "Stop updates"},
			{Type: "URL", Text: "Track", URL: "https://aurora.example/track/{{1}}"},
			{Type: "PHONE_NUMBER", Text: "Call us", PhoneNumber: "+4930123456"},
			{Type: "URL", Text: "Help", URL: "https://aurora.example/help"},
		}},
	}}
	boardingPass = whatsappfake.Template{Name: "boarding_pass", Language: "en", Category: "UTILITY", Components: []whatsappfake.Component{
		{Type: "HEADER", Format: "DOCUMENT"},
		{Type: "BODY", Text: "Your boarding pass for {{1}}."},
	}}
	gateImage = whatsappfake.Template{Name: "gate_map", Language: "en", Category: "UTILITY", Components: []whatsappfake.Component{
		{Type: "HEADER", Format: "IMAGE"},
		{Type: "BODY", Text: "Your gate is marked on the map."},
	}}
	safetyVideo = whatsappfake.Template{Name: "safety_video", Language: "en", Category: "UTILITY", Components: []whatsappfake.Component{
		{Type: "HEADER", Format: "VIDEO"},
		{Type: "BODY", Text: "Watch before your flight."},
		{Type: "BUTTONS", Buttons: []whatsappfake.Button{{Type: "URL", Text: "Check in", URL: "https://aurora.example/checkin/{{1}}"}}},
	}}
)

func mediaSetup(t *testing.T) (*whatsapp.Connector, *whatsappfake.Server, map[string]whatsapp.Template) {
	t.Helper()
	return templatesSetup(t, trackOrder, boardingPass, gateImage, safetyVideo, springSale, loginCode, checkinDesk, catalogTpl, flowTpl)
}

// templatesSetup is a connector whose fake lists tpls, and the templates
// as the connector lists them, by name.
func templatesSetup(t *testing.T, tpls ...whatsappfake.Template) (*whatsapp.Connector, *whatsappfake.Server, map[string]whatsapp.Template) {
	t.Helper()
	c, fake, _, _ := setup(t)
	for _, tpl := range tpls {
		fake.AddTemplate(tpl)
	}
	ts, err := c.Templates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]whatsapp.Template{}
	for _, tpl := range ts {
		byName[tpl.Name] = tpl
	}
	return c, fake, byName
}

// What a listed template asks for: only URL buttons with a variable, at
// their index among all buttons; a media header by its format.
func TestTemplateButtonVarsAndMediaFormat(t *testing.T) {
	_, _, ts := mediaSetup(t)
	if got := ts["track_order"].ButtonVars(); !reflect.DeepEqual(got, []whatsapp.ButtonVar{{Index: 1, Type: whatsapp.ButtonURL, Text: "Track", URL: "https://aurora.example/track/{{1}}"}}) {
		t.Errorf("track_order button vars %+v", got)
	}
	for name, want := range map[string]string{"track_order": "", "boarding_pass": "document", "gate_map": "image", "safety_video": "video", "refund_update": ""} {
		if got := ts[name].MediaFormat(); got != want {
			t.Errorf("%s media format %q, want %q", name, got, want)
		}
	}
	if ts["boarding_pass"].HeaderVars() != 0 {
		t.Errorf("a document header counted as text variables")
	}
}

// The template object the fake receives is the Cloud API's documented
// shape: a media header by link, one button component per URL variable
// with its index as a string.
func TestTemplateSendBodies(t *testing.T) {
	for _, tc := range []struct {
		name string
		send whatsapp.TemplateSend
		want string
	}{
		{"url button", whatsapp.TemplateSend{Name: "track_order", Language: "en", Body: []string{"Olga"},
			Buttons: []channels.TemplateButton{{Index: 1, Text: "AB12?lang=de"}}},
			`{"name":"track_order","language":{"code":"en"},"components":[
				{"type":"body","parameters":[{"type":"text","text":"Olga"}]},
				{"type":"button","sub_type":"url","index":"1","parameters":[{"type":"text","text":"AB12?lang=de"}]}]}`},
		{"document header", whatsapp.TemplateSend{Name: "boarding_pass", Language: "en", Body: []string{"AU 123"},
			Media: channels.TemplateMedia{Format: "document", Link: "https://cdn.aurora.example/bp/AB12.pdf", Filename: "Boarding pass AB12.pdf"}},
			`{"name":"boarding_pass","language":{"code":"en"},"components":[
				{"type":"header","parameters":[{"type":"document","document":{"link":"https://cdn.aurora.example/bp/AB12.pdf","filename":"Boarding pass AB12.pdf"}}]},
				{"type":"body","parameters":[{"type":"text","text":"AU 123"}]}]}`},
		{"image header", whatsapp.TemplateSend{Name: "gate_map", Language: "en",
			Media: channels.TemplateMedia{Format: "image", Link: "https://cdn.aurora.example/gates/B.png"}},
			`{"name":"gate_map","language":{"code":"en"},"components":[
				{"type":"header","parameters":[{"type":"image","image":{"link":"https://cdn.aurora.example/gates/B.png"}}]}]}`},
		{"video header and button", whatsapp.TemplateSend{Name: "safety_video", Language: "en",
			Media:   channels.TemplateMedia{Format: "video", Link: "https://cdn.aurora.example/safety.mp4"},
			Buttons: []channels.TemplateButton{{Index: 0, Text: "AB12"}}},
			`{"name":"safety_video","language":{"code":"en"},"components":[
				{"type":"header","parameters":[{"type":"video","video":{"link":"https://cdn.aurora.example/safety.mp4"}}]},
				{"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"AB12"}]}]}`},
		{"copy code and url", whatsapp.TemplateSend{Name: "spring_sale", Language: "en", Body: []string{"Olga"},
			Buttons: []channels.TemplateButton{{Index: 1, Type: "copy_code", Text: "SPRING20"}, {Index: 2, Type: "url", Text: "AB12"}}},
			`{"name":"spring_sale","language":{"code":"en"},"components":[
				{"type":"body","parameters":[{"type":"text","text":"Olga"}]},
				{"type":"button","sub_type":"copy_code","index":"1","parameters":[{"type":"coupon_code","coupon_code":"SPRING20"}]},
				{"type":"button","sub_type":"url","index":"2","parameters":[{"type":"text","text":"AB12"}]}]}`},
		{"one-time code", whatsapp.TemplateSend{Name: "login_code", Language: "en", Body: []string{"482913"},
			Buttons: []channels.TemplateButton{{Index: 0, Type: "url", Text: "482913"}}},
			`{"name":"login_code","language":{"code":"en"},"components":[
				{"type":"body","parameters":[{"type":"text","text":"482913"}]},
				{"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"482913"}]}]}`},
		{"location header", whatsapp.TemplateSend{Name: "checkin_desk", Language: "en", Body: []string{"Olga"}, Media: desk},
			`{"name":"checkin_desk","language":{"code":"en"},"components":[
				{"type":"header","parameters":[{"type":"location","location":{"latitude":52.3667,"longitude":13.5033,"name":"BER Terminal 1","address":"Melli-Beese-Ring 1, 12529 Schönefeld"}}]},
				{"type":"body","parameters":[{"type":"text","text":"Olga"}]}]}`},
		{"location on the equator", whatsapp.TemplateSend{Name: "checkin_desk", Language: "en", Body: []string{"Olga"},
			Media: channels.TemplateMedia{Format: "location", Name: "Null Island", Address: "Gulf of Guinea"}},
			`{"name":"checkin_desk","language":{"code":"en"},"components":[
				{"type":"header","parameters":[{"type":"location","location":{"latitude":0,"longitude":0,"name":"Null Island","address":"Gulf of Guinea"}}]},
				{"type":"body","parameters":[{"type":"text","text":"Olga"}]}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, fake, ts := mediaSetup(t)
			s, err := c.SendTemplate(context.Background(), whatsapp.ThreadKey(olga), ts[tc.send.Name], tc.send)
			if err != nil {
				t.Fatal(err)
			}
			sent := fake.Sent()
			if len(sent) != 1 || sent[0].ID != s.ExternalID || sent[0].Text != tc.send.Name {
				t.Fatalf("sent %+v", sent)
			}
			if same, err := sent[0].SameTemplate(tc.want); err != nil || !same {
				t.Fatalf("template sent\n%s\nwant\n%s", sent[0].Template, tc.want)
			}
		})
	}
}

// A stored reply goes out as stored (ReplyTemplate does not check it
// against the template): the fake refuses what Meta refuses, with Meta's
// codes in its error envelope, and nothing counts as sent.
func TestTemplateButtonAndMediaRefusals(t *testing.T) {
	link := channels.TemplateMedia{Format: "image", Link: "https://cdn.aurora.example/gates/B.png"}
	body := []string{"Olga"}
	for _, tc := range []struct {
		name string
		tpl  channels.Template
		code int
	}{
		{"button value missing", channels.Template{Name: "track_order", Language: "en", Body: []string{"Olga"}}, 132000},
		{"value for a quick reply", channels.Template{Name: "track_order", Language: "en", Body: []string{"Olga"},
			Buttons: []channels.TemplateButton{{Index: 1, Text: "AB12"}, {Index: 0, Text: "x"}}}, 132000},
		{"value for a url without variable", channels.Template{Name: "track_order", Language: "en", Body: []string{"Olga"},
			Buttons: []channels.TemplateButton{{Index: 1, Text: "AB12"}, {Index: 3, Text: "x"}}}, 132000},
		{"media header missing", channels.Template{Name: "boarding_pass", Language: "en", Body: []string{"AU 123"}}, 132000},
		{"media header as text", channels.Template{Name: "gate_map", Language: "en", Header: []string{"https://cdn.aurora.example/gates/B.png"}}, 132012},
		{"image for a video header", channels.Template{Name: "safety_video", Language: "en", Media: link,
			Buttons: []channels.TemplateButton{{Index: 0, Text: "AB12"}}}, 132012},
		{"image for a document header", channels.Template{Name: "boarding_pass", Language: "en", Body: []string{"AU 123"}, Media: link}, 132012},
		{"copy code missing", channels.Template{Name: "spring_sale", Language: "en", Body: body,
			Buttons: []channels.TemplateButton{{Index: 2, Text: "AB12"}}}, 132000},
		{"copy code sent as url", channels.Template{Name: "spring_sale", Language: "en", Body: body,
			Buttons: []channels.TemplateButton{{Index: 1, Text: "SPRING20"}, {Index: 2, Text: "AB12"}}}, 132012},
		{"url sent as copy code", channels.Template{Name: "spring_sale", Language: "en", Body: body,
			Buttons: []channels.TemplateButton{{Index: 1, Type: "copy_code", Text: "SPRING20"}, {Index: 2, Type: "copy_code", Text: "AB12"}}}, 132012},
		{"copy code too long", channels.Template{Name: "spring_sale", Language: "en", Body: body,
			Buttons: []channels.TemplateButton{{Index: 1, Type: "copy_code", Text: "SPRING2026SALE20"}, {Index: 2, Text: "AB12"}}}, 131009},
		{"otp button missing", channels.Template{Name: "login_code", Language: "en", Body: []string{"482913"}}, 132000},
		{"otp body missing", channels.Template{Name: "login_code", Language: "en",
			Buttons: []channels.TemplateButton{{Index: 0, Text: "482913"}}}, 132000},
		{"location missing", channels.Template{Name: "checkin_desk", Language: "en", Body: body}, 132000},
		{"location as image", channels.Template{Name: "checkin_desk", Language: "en", Body: body,
			Media: channels.TemplateMedia{Format: "image", Link: "https://cdn.aurora.example/map.png"}}, 132012},
		{"location without address", channels.Template{Name: "checkin_desk", Language: "en", Body: body,
			Media: channels.TemplateMedia{Format: "location", Latitude: 52.3, Longitude: 13.5, Name: "BER"}}, 132000},
		{"latitude out of range", channels.Template{Name: "checkin_desk", Language: "en", Body: body,
			Media: channels.TemplateMedia{Format: "location", Latitude: 95, Longitude: 13.5, Name: "BER", Address: "x"}}, 131009},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, fake, _ := mediaSetup(t)
			r := reply("x")
			r.Template = &tc.tpl
			_, err := c.ReplyTemplate(context.Background(), r)
			var ge *graph.Error
			// 131009, a value out of Meta's range, is not a count or format mismatch.
			if (tc.code != 131009 && !errors.Is(err, channels.ErrTemplateParams)) || !errors.As(err, &ge) || ge.Code != tc.code || ge.FBTraceID == "" {
				t.Fatalf("err %v, want Meta's %d as template-params with its fbtrace_id", err, tc.code)
			}
			if len(fake.Sent()) != 0 {
				t.Fatalf("a refused template counts as sent: %+v", fake.Sent())
			}
		})
	}
}

// SendTemplate checks the values against the template before Meta sees
// them, so the same mistakes are said in our words and nothing is sent.
func TestSendTemplateChecksButtonsAndMedia(t *testing.T) {
	for _, tc := range []struct {
		name string
		send whatsapp.TemplateSend
	}{
		{"button value missing", whatsapp.TemplateSend{Name: "track_order", Language: "en", Body: []string{"Olga"}}},
		{"button value at the wrong index", whatsapp.TemplateSend{Name: "track_order", Language: "en", Body: []string{"Olga"},
			Buttons: []channels.TemplateButton{{Index: 0, Text: "AB12"}}}},
		{"no media link", whatsapp.TemplateSend{Name: "boarding_pass", Language: "en", Body: []string{"AU 123"}}},
		{"wrong media format", whatsapp.TemplateSend{Name: "boarding_pass", Language: "en", Body: []string{"AU 123"},
			Media: channels.TemplateMedia{Format: "image", Link: "https://cdn.aurora.example/a.png"}}},
		{"media for a text template", whatsapp.TemplateSend{Name: "track_order", Language: "en", Body: []string{"Olga"},
			Buttons: []channels.TemplateButton{{Index: 1, Text: "AB12"}}, Media: channels.TemplateMedia{Format: "image", Link: "https://cdn.aurora.example/a.png"}}},
		{"copy code as url", whatsapp.TemplateSend{Name: "spring_sale", Language: "en", Body: []string{"Olga"},
			Buttons: []channels.TemplateButton{{Index: 1, Text: "SPRING20"}, {Index: 2, Text: "AB12"}}}},
		{"copy code of 16 characters", whatsapp.TemplateSend{Name: "spring_sale", Language: "en", Body: []string{"Olga"},
			Buttons: []channels.TemplateButton{{Index: 1, Type: "copy_code", Text: "SPRING2026SALE20"}, {Index: 2, Text: "AB12"}}}},
		{"otp code not the body's", whatsapp.TemplateSend{Name: "login_code", Language: "en", Body: []string{"482913"},
			Buttons: []channels.TemplateButton{{Index: 0, Text: "111111"}}}},
		{"otp as copy code", whatsapp.TemplateSend{Name: "login_code", Language: "en", Body: []string{"482913"},
			Buttons: []channels.TemplateButton{{Index: 0, Type: "copy_code", Text: "482913"}}}},
		{"no place", whatsapp.TemplateSend{Name: "checkin_desk", Language: "en", Body: []string{"Olga"}}},
		{"longitude out of range", whatsapp.TemplateSend{Name: "checkin_desk", Language: "en", Body: []string{"Olga"},
			Media: channels.TemplateMedia{Format: "location", Latitude: 52, Longitude: -181, Name: "BER", Address: "x"}}},
		{"place without name", whatsapp.TemplateSend{Name: "checkin_desk", Language: "en", Body: []string{"Olga"},
			Media: channels.TemplateMedia{Format: "location", Latitude: 52, Longitude: 13, Address: "x"}}},
		{"location with a link", whatsapp.TemplateSend{Name: "checkin_desk", Language: "en", Body: []string{"Olga"},
			Media: channels.TemplateMedia{Format: "location", Link: "https://x.example/a", Latitude: 52, Longitude: 13, Name: "BER", Address: "x"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, fake, ts := mediaSetup(t)
			_, err := c.SendTemplate(context.Background(), whatsapp.ThreadKey(olga), ts[tc.send.Name], tc.send)
			var ge *graph.Error
			if !errors.Is(err, channels.ErrTemplateParams) || errors.As(err, &ge) || len(fake.Sent()) != 0 {
				t.Fatalf("err %v (sent %d), want our own template-params before any send", err, len(fake.Sent()))
			}
		})
	}
}

// The copy approvers read names the media link and where each URL button leads.
func TestRenderSendShowsLinks(t *testing.T) {
	_, _, ts := mediaSetup(t)
	got := ts["safety_video"].RenderSend(whatsapp.TemplateSend{Media: channels.TemplateMedia{Format: "video", Link: "https://cdn.aurora.example/safety.mp4"},
		Buttons: []channels.TemplateButton{{Index: 0, Text: "AB12"}}})
	want := []string{"[video] https://cdn.aurora.example/safety.mp4", "Watch before your flight.", "[Check in] https://aurora.example/checkin/AB12"}
	if !slices.Equal(strings.Split(got, "\n"), want) {
		t.Fatalf("render %q", got)
	}
}
