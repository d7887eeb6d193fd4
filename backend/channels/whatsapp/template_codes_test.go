package whatsapp_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/channels"
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

// What each template asks: copy code and OTP buttons by their index, a
// location header as a format; catalog and flow buttons make a template
// one the composer cannot fill.
func TestTemplateCodesAndLocationVars(t *testing.T) {
	_, _, ts := mediaSetup(t)
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

// The copy approvers read names the place and each code.
func TestRenderSendShowsCodesAndPlace(t *testing.T) {
	_, _, ts := mediaSetup(t)
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
