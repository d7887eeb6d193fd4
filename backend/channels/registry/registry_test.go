package registry

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

func TestValidateAndLimits(t *testing.T) {
	tests := []struct {
		channel  inbox.ChannelKind
		settings string
		bad      string // substring of the error, "" = valid
	}{
		{inbox.ChannelMail, `{"host":"imap.example.org","port":993,"tls":"imaps","username":"u","from":"a@example.org","smtpHost":"smtp.example.org","smtpPort":465,"smtpTls":"tls"}`, ""},
		{inbox.ChannelMail, `{"host":"imap.example.org","port":143,"tls":"plain","username":"u"}`, "loopback"},
		{inbox.ChannelMail, `{"hots":"x"}`, "unknown field"},
		{inbox.ChannelTelegram, `{}`, ""},
		{inbox.ChannelMastodon, `{"baseUrl":"https://mastodon.example"}`, ""},
		{inbox.ChannelVK, `{"groupId":123}`, ""},
		{inbox.ChannelYouTube, `{"channelId":"UC123"}`, ""},
		{inbox.ChannelBluesky, `{"identifier":"acme.bsky.social"}`, ""},
		{inbox.ChannelBluesky, `{}`, "handle is required"},
		{inbox.ChannelReddit, `{"clientId":"app","username":"acme","userAgent":"desktop:x:1.0 (by /u/acme)"}`, ""},
		{inbox.ChannelReddit, `{"clientId":"app","username":"acme"}`, "User-Agent"},
		{inbox.ChannelReddit, `{"username":"acme","userAgent":"desktop:x:1.0 (by /u/acme)"}`, "client id"},
		{inbox.ChannelImport, `{}`, "no connector"},
	}
	for _, tt := range tests {
		t.Run(string(tt.channel)+tt.bad, func(t *testing.T) {
			err := Validate(tt.channel, json.RawMessage(tt.settings))
			if tt.bad == "" && err != nil || tt.bad != "" && (err == nil || !strings.Contains(err.Error(), tt.bad)) {
				t.Fatalf("Validate = %v, want %q", err, tt.bad)
			}
		})
	}
	lim := LimitsFor(inbox.Account{Name: "bot", Channel: inbox.ChannelTelegram}, json.RawMessage(`{}`))
	if lim.DeleteWindow != 48*time.Hour || lim.MaxTextLength == 0 {
		t.Fatalf("telegram limits = %+v", lim)
	}
	if got := LimitsFor(inbox.Account{Name: "x", Channel: inbox.ChannelImport}, json.RawMessage(`{}`)); got.MaxTextLength != 0 || got.DeleteWindow != 0 {
		t.Fatalf("import limits = %+v", got)
	}
	for _, c := range Channels() {
		if len(c.Secrets) == 0 || c.Channel == inbox.ChannelImport {
			t.Fatalf("channel info %+v", c)
		}
	}
}

// TestKindsListEachChannelOnce guards the table: a channel listed twice
// would make the second entry dead, one missing would have no connector.
func TestKindsListEachChannelOnce(t *testing.T) {
	seen := map[inbox.ChannelKind]bool{}
	for _, k := range kinds(Deps{}) {
		if seen[k.channel] {
			t.Errorf("channel %s listed twice", k.channel)
		}
		seen[k.channel] = true
	}
	for _, ch := range inbox.ChannelKinds {
		if ch != inbox.ChannelImport && !seen[ch] {
			t.Errorf("channel %s has no connector", ch)
		}
	}
}
