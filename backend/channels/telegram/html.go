package telegram

import "strings"

// htmlEscaper replaces the characters Telegram's HTML parse mode reserves.
// Telegram knows only &lt; &gt; &amp; &quot; and numeric entities, so the
// standard library's &#39; style is avoided for the quote.
var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// EscapeHTML makes s literal text in a message sent with ParseMode "HTML":
// whatever markup a user's text contains is shown, never interpreted.
func EscapeHTML(s string) string { return htmlEscaper.Replace(s) }
