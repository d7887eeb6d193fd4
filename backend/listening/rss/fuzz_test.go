package rss

import (
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary bytes to the parser: it must never panic, and
// whatever it reads must be valid UTF-8 with only http(s) links.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"rss2.xml", "google-alerts.xml", "rdf.xml"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "application/xml")
	}
	f.Add([]byte(`<rss><channel><item><title>a<b>b</title><link>../x</link></item>`), "text/xml; charset=windows-1251")
	f.Add([]byte("\xFF\xFE<\x00f\x00e\x00e\x00d\x00>\x00"), "")
	base, _ := url.Parse("https://feeds.example/a/feed.xml")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		feed, err := Parse(body, contentType, base, now)
		if err != nil {
			return
		}
		for _, e := range feed.Entries {
			for _, s := range []string{e.ID, e.Title, e.Text, e.Author, e.Link} {
				if !utf8.ValidString(s) {
					t.Fatalf("invalid UTF-8 %q", s)
				}
			}
			if e.Link != "" {
				u, err := url.Parse(e.Link)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
					t.Fatalf("link %q", e.Link)
				}
			}
		}
	})
}
