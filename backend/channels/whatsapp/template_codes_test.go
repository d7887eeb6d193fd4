package whatsapp_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/graph"
	"github.com/stormdesk/stormdesk/backend/channels/whatsapp"
	"github.com/stormdesk/stormdesk/backend/channels/whatsapp/whatsappfake"
)

// Templates with a COPY_CODE button, an OTP button and a LOCATION header,
// as Meta lists them, and ones the composer cannot fill.
var (
	springSale = whatsappfake.Template{Name: "spring_sale", Language: "en", Category: "MARKETING", Components: []whatsappfake.Component{
		{Type: "BODY", Text: "Hello {{1}}, 20% off your next flight."},
		{Type: "BUTTONS", Buttons: []whatsappfake.Button{
			{Type: "QUICK_REPLY", Text: "Not interested"},
			{Type: "COPY_CODE", Text: "Copy offer code"},
			{Type: "URL", Text: "Book", URL: "https://aurora.example/book/{{1}}"},
		}},
	}}
	loginCode = whatsappfake.Template{Name: "login_code", Language: "en", Category: "AUTHENTICATION", Components: []whatsappfake.Component{
		{Type: "BODY", Text: "*{{1}}* is your verification code."},
		{Type: "FOOTER", Text: "This code expires in 10 minutes."},
		{Type: "BUTTONS", Buttons: []whatsappfake.Button{{Type: "OTP", OTPType: "COPY_CODE", Text: "Copy code"}}},
	}}
	checkinDesk = whatsappfake.Template{Name: "checkin_desk", Language: "en", Category: "UTILITY", Components: []whatsappfake.Component{
		{Type: "HEADER", Format: "LOCATION"},
		{Type: "BODY", Text: "Hello {{1}}, your check-in desk is here."},
	}}
	catalogTpl = whatsappfake.Template{Name: "menu", Language: "en", Category: "MARKETING", Components: []whatsappfake.Component{
		{Type: "BODY", Text: "Our menu."},
		{Type: "BUTTONS", Buttons: []whatsappfake.Button{{Type: "CATALOG", Text: "View catalog"}}},
	}}
	flowTpl = whatsappfake.Template{Name: "survey", Language: "en", Category: "MARKETING", Components: []whatsappfake.Component{
		{Type: "BODY", Text: "Tell us."},
		{Type: "BUTTONS", Buttons: []whatsappfake.Button{{Type: "FLOW", Text: "Start"}}},
	}}
)

var desk = channels.TemplateMedia{Format: "location", Latitude: 52.3667, Longitude: 13.5033, Name: "BER Terminal 1", Address: "Melli-Beese-Ring 1, 12529 Schönefeld"}

func codesSetup(t *testing.T) (*whatsapp.Connector, *whatsappfake.Server, map[string]whatsapp.Template) {
	t.Helper()
	c, fake, _, _ := setup(t)
	for _, tpl := range []whatsappfake.Template{springSale, loginCode, checkinDesk, catalogTpl, flowTpl} {
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

// What each template asks: copy code and OTP buttons by their index, a
// location header as a format; catalog and flow buttons make a template
// one the composer cannot fill.
func TestTemplateCodesAndLocationVars(t *testing.T) {
	_, _, ts := codesSetup(t)
	for _, tc := range []struct {
		name     string
		vars     []whatsapp.ButtonVar
		media    string
		fillable bool
	}{
		{"spring_sale", []whatsapp.ButtonVar{{Index: 1, Type: whatsapp.ButtonCopyCode, Text: "Copy offer code"},
			{Index: 2, Type: whatsapp.ButtonURL, Text: "Book", URL: "https://aurora.example/book/{{1}}"}}, "", true},
		{"login_code", []whatsapp.ButtonVar{{Index: 0, Type: whatsapp.ButtonOTP, Text: "Copy code"}}, "", true},
		{"checkin_desk", nil, "location", true},
		{"menu", nil, "", false},
		{"survey", nil, "", false},
	} {
		tpl := ts[tc.name]
		if got := tpl.ButtonVars(); !slices.Equal(got, tc.vars) {
			t.Errorf("%s button vars %+v, want %+v", tc.name, got, tc.vars)
		}
		if got := tpl.MediaFormat(); got != tc.media {
			t.Errorf("%s media %q, want %q", tc.name, got, tc.media)
		}
		if got := tpl.Fillable(); got != tc.fillable {
			t.Errorf("%s fillable %v, want %v", tc.name, got, tc.fillable)
		}
	}
}

// The template objects the fake receives are the Cloud API's documented
// shapes: a coupon_code under sub_type copy_code, the one-time code as a
// url parameter and the body's {{1}}, a location header's place.
func TestTemplateCodeAndLocationSendBodies(t *testing.T) {
	for _, tc := range []struct {
		name string
		send whatsapp.TemplateSend
		want string
	}{
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
			c, fake, ts := codesSetup(t)
			s, err := c.SendTemplate(context.Background(), whatsapp.ThreadKey(olga), ts[tc.send.Name], tc.send)
			if err != nil {
				t.Fatal(err)
			}
			sent := fake.Sent()
			if len(sent) != 1 || sent[0].ID != s.ExternalID {
				t.Fatalf("sent %+v", sent)
			}
			if same, err := sent[0].SameTemplate(tc.want); err != nil || !same {
				t.Fatalf("template sent\n%s\nwant\n%s", sent[0].Template, tc.want)
			}
		})
	}
}

// A stored reply goes out as stored; the fake refuses what Meta refuses.
func TestTemplateCodeAndLocationRefusals(t *testing.T) {
	body := []string{"Olga"}
	for _, tc := range []struct {
		name string
		tpl  channels.Template
		code int
	}{
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
			c, fake, _ := codesSetup(t)
			r := reply("x")
			r.Template = &tc.tpl
			_, err := c.ReplyTemplate(context.Background(), r)
			var ge *graph.Error
			if !errors.As(err, &ge) || ge.Code != tc.code || ge.FBTraceID == "" {
				t.Fatalf("err %v, want Meta's %d with its fbtrace_id", err, tc.code)
			}
			if tc.code != 131009 && !errors.Is(err, channels.ErrTemplateParams) {
				t.Fatalf("err %v is not template-params", err)
			}
			if len(fake.Sent()) != 0 {
				t.Fatalf("a refused template counts as sent: %+v", fake.Sent())
			}
		})
	}
}

// SendTemplate says the same mistakes in our words before any send.
func TestSendTemplateChecksCodesAndLocation(t *testing.T) {
	for _, tc := range []struct {
		name string
		send whatsapp.TemplateSend
	}{
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
			c, fake, ts := codesSetup(t)
			_, err := c.SendTemplate(context.Background(), whatsapp.ThreadKey(olga), ts[tc.send.Name], tc.send)
			var ge *graph.Error
			if !errors.Is(err, channels.ErrTemplateParams) || errors.As(err, &ge) || len(fake.Sent()) != 0 {
				t.Fatalf("err %v (sent %d), want our own template-params before any send", err, len(fake.Sent()))
			}
		})
	}
}

// The copy approvers read names the place and each code.
func TestRenderSendShowsCodesAndPlace(t *testing.T) {
	_, _, ts := codesSetup(t)
	for _, tc := range []struct {
		tpl  string
		send whatsapp.TemplateSend
		want []string
	}{
		{"spring_sale", whatsapp.TemplateSend{Body: []string{"Olga"},
			Buttons: []channels.TemplateButton{{Index: 1, Type: "copy_code", Text: "SPRING20"}, {Index: 2, Text: "AB12"}}},
			[]string{"Hello Olga, 20% off your next flight.", "[Copy offer code] SPRING20", "[Book] https://aurora.example/book/AB12"}},
		{"checkin_desk", whatsapp.TemplateSend{Body: []string{"Olga"}, Media: desk},
			[]string{"[location] BER Terminal 1, Melli-Beese-Ring 1, 12529 Schönefeld (52.3667, 13.5033)", "Hello Olga, your check-in desk is here."}},
	} {
		if got := ts[tc.tpl].RenderSend(tc.send); !slices.Equal(strings.Split(got, "\n"), tc.want) {
			t.Errorf("%s render %q", tc.tpl, got)
		}
	}
}
