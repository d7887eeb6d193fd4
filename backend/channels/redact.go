package channels

import "strings"

// Redact hides credentials in a transport error's text before it reaches an
// error value or a log: each non-empty secret becomes "<token>" (Telegram
// puts the bot token in the URL path), and URL queries become "?…" (VK's
// long-poll key and YouTube's API key travel there).
func Redact(s string, secrets ...string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "<token>")
		}
	}
	i := strings.Index(s, "?")
	if i < 0 {
		return s
	}
	if j := strings.IndexAny(s[i:], "\": "); j >= 0 {
		return s[:i] + "?…" + s[i+j:]
	}
	return s[:i] + "?…"
}
