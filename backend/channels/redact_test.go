package channels

import (
	"net/url"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	tests := []struct {
		in      string
		secrets []string
		want    string
	}{
		{`Get "https://lp.vk.com/wh1?act=a_check&key=SECRET&ts=5": dial tcp: refused`, nil, `Get "https://lp.vk.com/wh1?…": dial tcp: refused`},
		{`Get https://www.googleapis.com/youtube/v3/channels?key=K`, nil, `Get https://www.googleapis.com/youtube/v3/channels?…`},
		{`Post "http://127.0.0.1:9/bot7:AAH-x/getMe": EOF`, []string{"7:AAH-x"}, `Post "http://127.0.0.1:9/bot<token>/getMe": EOF`},
		{"no url here", []string{""}, "no url here"},
		// Every query, not only the first; a colon inside one does not end it.
		{`Get "https://a.example/x?key=A1": redirect to "https://b.example/y?key=B2:c3": EOF`, nil,
			`Get "https://a.example/x?…": redirect to "https://b.example/y?…": EOF`},
		{`Get https://h.example/p?token=a:b:c failed`, nil, `Get https://h.example/p?… failed`},
		// A secret inside another is not left half readable; escaped forms go too.
		{`Post "http://h/botab:CD/x" and ab:CDEF`, []string{"ab:CD", "ab:CDEF"}, `Post "http://h/bot<token>/x" and <token>`},
		{`Post "http://h/p/a%2Fb%2Bc/x": EOF`, []string{"a/b+c"}, `Post "http://h/p/<token>/x": EOF`},
	}
	for _, tt := range tests {
		if got := Redact(tt.in, tt.secrets...); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzRedact: a token-like secret (letters, digits and -_.:~) never survives
// Redact, as written or URL-escaped, wherever it sits in the text, and
// nothing of a URL's query after its '?' does.
func FuzzRedact(f *testing.F) {
	f.Add(`Post "http://127.0.0.1:9/bot`, "7:AAH-x_long", `/getMe": EOF`, "key=abc")
	f.Add(`Get https://www.googleapis.com/youtube/v3/channels?`, "K3yK3yK3y", ` refused`, "a:b")
	f.Add("", "secret-secret", "secret", "")
	f.Fuzz(func(t *testing.T, before, secret, after, query string) {
		if len(secret) < 6 || strings.Trim(secret, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:~") != "" {
			return
		}
		got := Redact(before+secret+after, secret)
		for _, form := range []string{secret, url.PathEscape(secret), url.QueryEscape(secret)} {
			if strings.Contains(got, form) {
				t.Fatalf("Redact(%q, %q) = %q: the secret is still there", before+secret+after, secret, got)
			}
		}
		if query == "" || strings.ContainsAny(query, "\" \t\n\r?") || strings.Contains(query, ": ") || strings.HasSuffix(query, ":") {
			return
		}
		got = Redact(`Get "https://h.example/p?` + query + `": EOF`)
		if want := `Get "https://h.example/p?…": EOF`; got != want {
			t.Fatalf("Redact of a query %q = %q, want %q", query, got, want)
		}
	})
}
