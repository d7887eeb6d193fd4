package forward

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/channels/telegram/telegramfake"
)

// Whatever a mention holds, the Telegram text parses as Telegram parses it,
// stays within the limit, is valid UTF-8, and shows the author and the
// text literally; the only links are the ones made from http(s) URLs.
func FuzzTelegramText(f *testing.F) {
	f.Add("<b>evil</b>", `<a href="javascript:x">hi</a> &amp; &#0; <`, "https://x.example/?a=1&b=<2>")
	f.Add("\xff\xfe", "😡\x00\n\t<tg-spoiler>", "javascript:alert(1)")
	f.Add(strings.Repeat("&", 200), strings.Repeat("<i>", 2000), `https://x.example/"><b>`)
	f.Fuzz(func(t *testing.T, author, text, link string) {
		var top []Mention
		for range 30 {
			top = append(top, Mention{Source: "vk", Author: author, Text: text, Link: link})
		}
		a := Alert{ID: "a", Topic: author, Since: time.Unix(0, 0), Window: time.Hour, Terms: []string{text}, Samples: top[:3]}
		for _, m := range []message{
			digestMessage(Rule{Lang: "de"}, Digest{Topic: text, Day: "2026-12-02", BySource: map[string]int{author: 1}, TopNegative: top}),
			alertMessage(Rule{Lang: "ru"}, a, time.UTC),
		} {
			msg := m.telegramText(TelegramLimit)
			if !utf8.ValidString(msg) {
				t.Fatalf("not UTF-8: %q", msg)
			}
			if n := tgLen(msg); n > TelegramLimit {
				t.Fatalf("%d units", n)
			}
			shown, err := telegramfake.ParseHTML(msg)
			if err != nil {
				t.Fatalf("Telegram would refuse it: %v\n%s", err, msg)
			}
			if name := cut(oneLine(author), maxNameRunes); name != "" && !strings.Contains(shown, name) {
				t.Fatalf("author %q not shown literally in\n%s", name, shown)
			}
			if strings.Count(msg, "<a href=") > 0 && safeLink(link) == "" {
				t.Fatalf("link %q made clickable", link)
			}
		}
	})
}

func TestSafeLink(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://x.example/a?b=1", "https://x.example/a?b=1"},
		{"  http://x.example/  ", "http://x.example/"},
		{"javascript:alert(1)", ""},
		{"https:///no-host", ""},
		// A query in another encoding: the bytes stay, percent-encoded.
		{"http://x.example/?q=\xff\xfe", "http://x.example/?q=%FF%FE"},
		{"http://x.example/Ü?q=\xe9t\xe9", "http://x.example/%C3%9C?q=%E9t%E9"},
	} {
		got := safeLink(tc.in)
		if got != tc.want || !utf8.ValidString(got) {
			t.Errorf("safeLink(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
