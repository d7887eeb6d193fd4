package channels

import (
	"cmp"
	"net/url"
	"slices"
	"strings"
)

// Redact hides credentials in a transport error's text before it reaches an
// error value or a log: each non-empty secret, as written and as a URL
// escapes it, becomes "<token>" (Telegram puts the bot token in the URL
// path), and every URL query becomes "?…" (VK's long-poll key and YouTube's
// API key travel there). A query runs to a quote, white space or ": " (where
// Go's transport errors go on after the URL).
func Redact(s string, secrets ...string) string {
	var forms []string
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		forms = append(forms, sec, url.PathEscape(sec), url.QueryEscape(sec))
	}
	// Longest first: a secret that holds a shorter one must not be cut in
	// two and half of it left readable.
	slices.SortFunc(forms, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	for _, f := range forms {
		s = strings.ReplaceAll(s, f, "<token>")
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '?')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString("?…")
		s = s[i+1:]
		s = s[queryEnd(s):]
	}
}

// queryEnd is where a query that starts s ends.
func queryEnd(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"', ' ', '\t', '\n', '\r':
			return i
		case ':':
			if i+1 < len(s) && s[i+1] == ' ' {
				return i
			}
		}
	}
	return len(s)
}
