package mastodon

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// PlainText is plainText for other packages that read statuses (brand
// listening).
func PlainText(content string) string { return plainText(content) }

// plainText turns a status' HTML content into text: paragraphs become blank
// lines, <br> a newline, links their full URL (Mastodon hides parts of long
// URLs in "invisible" spans, which are kept), entities decoded. Text is kept
// byte for byte otherwise, so emoji and right-to-left marks survive.
func plainText(content string) string {
	z := html.NewTokenizer(strings.NewReader(content))
	var b strings.Builder
	paragraphs := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(b.String())
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Br:
				b.WriteByte('\n')
			case atom.P:
				if paragraphs > 0 {
					b.WriteString("\n\n")
				}
				paragraphs++
			case atom.Li:
				b.WriteString("\n• ")
			}
		}
	}
}
