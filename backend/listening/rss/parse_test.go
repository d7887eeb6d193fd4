package rss

import (
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

var now = time.Date(2026, 11, 3, 12, 0, 0, 0, time.UTC)

func parseFile(t *testing.T, name, feedURL string) Feed {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(feedURL)
	f, err := Parse(b, "application/xml", u, now)
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return f
}

func TestParseFormats(t *testing.T) {
	rss := parseFile(t, "rss2.xml", "https://reviews.example.ru/feed")
	if rss.Format != "rss" || rss.Title != "Отзывы о технике" || rss.Lang != "ru" || rss.TTL != 30*time.Minute || len(rss.Entries) != 4 {
		t.Fatalf("rss feed = %+v", rss)
	}
	atom := parseFile(t, "google-alerts.xml", "https://www.google.com/alerts/feeds/0/1")
	rdf := parseFile(t, "rdf.xml", "https://slashy.example.org/index.rdf")
	if atom.Format != "atom" || atom.Title != "Google Alert - Acme" || rdf.Format != "rdf" || rdf.Lang != "en" {
		t.Fatalf("atom %q %q, rdf %q %q", atom.Format, atom.Title, rdf.Format, rdf.Lang)
	}
	want := []Entry{
		{ID: "42", Link: "https://reviews.example.ru/reviews/2", Title: "Acme & задержки доставки", Text: "Заказ Acme ждала две недели.\nБольше не закажу.",
			Author: "Ольга П.", Lang: "ru", Published: time.Date(2026, 11, 3, 5, 15, 0, 0, time.UTC)},
		{ID: "https://reviews.example.ru/reviews/1", Link: "https://reviews.example.ru/reviews/1", Title: "Acme X2: обзор", Text: "Полный текст: Acme X2 хорош.\nБатарея держит день.",
			Author: "Максим", Lang: "ru", Published: time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)},
		{Link: "https://reviews.example.ru/reviews/0", Title: "Старая запись", Text: "дата сломана", Lang: "ru"},
		{Title: "Без даты", Text: "нет ссылки и даты", Lang: "ru"},
		{ID: "tag:google.com,2013:googlealerts/feed:10098765432101234567", Link: "https://news.example.com/2026/11/acme-recall",
			Title: "Acme recalls 40,000 chargers over overheating", Text: "Acme said on Tuesday it would recall chargers · sold since May...",
			Published: time.Date(2026, 11, 3, 7, 10, 5, 0, time.UTC)},
		{ID: "tag:blog.example.de,2026:post-7", Link: "https://blog.example.de/2026/acme-verspaetung.html", Title: "Verspätung bei Acme",
			Text: "Die Lieferung kam drei Wochen zu spät.\nSchade.", Author: "Jörg", AuthorURL: "https://blog.example.de/authors/joerg", Lang: "de",
			Published: time.Date(2026, 11, 2, 17, 0, 0, 0, time.UTC)},
		{ID: "https://slashy.example.org/story/26/11/03/acme-outage", Link: "https://slashy.example.org/story/26/11/03/acme-outage",
			Title: "Acme cloud outage enters day two", Text: "Customers report delays everywhere.", Author: "timothy", Lang: "en",
			Published: time.Date(2026, 11, 3, 12, 0, 0, 0, time.UTC)},
	}
	got := append(append(rss.Entries, atom.Entries...), rdf.Entries...)
	for i := range want {
		if i >= len(got) {
			t.Fatalf("only %d entries", len(got))
		}
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("entry %d =\n%#v\nwant\n%#v", i, got[i], want[i])
		}
	}
}

func TestParseCharsets(t *testing.T) {
	const doc = `<?xml version="1.0" encoding="%s"?><rss version="2.0"><channel><title>t</title><item><title>Задержка Acme — Verspätung</title><link>https://e.example/1</link></item></channel></rss>`
	cp1251, _ := charmap.Windows1251.NewEncoder().String(strings.Replace(doc, "Verspätung", "Verspaetung", 1))
	latin1, _ := charmap.ISO8859_1.NewEncoder().String(strings.NewReplacer("Задержка Acme — ", "Acme ", "%s", "ISO-8859-1").Replace(doc))
	for _, c := range []struct {
		name, body, contentType, title string
	}{
		{"utf-8 as declared", strings.Replace(doc, "%s", "UTF-8", 1), "", "Задержка Acme — Verspätung"},
		{"utf-8 declared windows-1251", strings.Replace(doc, "%s", "windows-1251", 1), "", "Задержка Acme — Verspätung"},
		{"utf-8 with a BOM, header says latin-1", "\xEF\xBB\xBF" + strings.Replace(doc, "%s", "UTF-8", 1), "text/xml; charset=ISO-8859-1", "Задержка Acme — Verspätung"},
		{"real windows-1251", strings.Replace(cp1251, "%s", "windows-1251", 1), "", "Задержка Acme — Verspaetung"},
		{"windows-1251 named only in the header", strings.Replace(cp1251, "%s", "bogus-charset", 1), "application/rss+xml; charset=windows-1251", "Задержка Acme — Verspaetung"},
		{"latin-1", latin1, "", "Acme Verspätung"},
	} {
		f, err := Parse([]byte(c.body), c.contentType, nil, now)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if len(f.Entries) != 1 || f.Entries[0].Title != c.title {
			t.Errorf("%s: entries %+v, want title %q", c.name, f.Entries, c.title)
		}
	}
}

func TestParseBrokenFeeds(t *testing.T) {
	for _, c := range []struct {
		name, body string
		entries    int
		err        string
	}{
		{"truncated after an item", `<rss><channel><item><title>one</title><link>https://e.example/1</link></item><item><title>two`, 2, ""},
		{"HTML tags unescaped in a title", `<rss><channel><item><title>Acme <b>fails</title><description>x<br>y</description></item></channel></rss>`, 1, ""},
		{"undefined entity and stray ampersand", `<rss><channel><item><title>A &copy; B &foo; C & D</title></item></channel></rss>`, 1, ""},
		{"a web page", `<!DOCTYPE html><html><head><title>Shop</title></head><body>hi</body></html>`, 0, "web page"},
		{"not XML", `{"items": []}`, 0, "not readable XML"},
		{"empty", ``, 0, "empty"},
		{"another XML document", `<svg xmlns="http://www.w3.org/2000/svg"></svg>`, 0, "<svg>"},
		{"broken before any item", `<rss><channel><title>x</ti`, 0, "broken XML"},
	} {
		f, err := Parse([]byte(c.body), "", nil, now)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.err)
		case c.err == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case len(f.Entries) != c.entries:
			t.Errorf("%s: %d entries %+v, want %d", c.name, len(f.Entries), f.Entries, c.entries)
		}
		for _, e := range f.Entries {
			if !utf8.ValidString(e.Title + e.Text) {
				t.Errorf("%s: invalid UTF-8 in %+v", c.name, e)
			}
		}
	}
	f, _ := Parse([]byte(`<rss><channel><item><title>Acme <b>fails</title><description>x<br>y</description></item></channel></rss>`), "", nil, now)
	if e := f.Entries[0]; e.Title != "Acme fails" || e.Text != "x\ny" {
		t.Errorf("unescaped HTML read as %q / %q", e.Title, e.Text)
	}
	f, _ = Parse([]byte(`<rss><channel><item><title>A &copy; B &foo; C & D</title></item></channel></rss>`), "", nil, now)
	if got := f.Entries[0].Title; got != "A © B &foo; C & D" {
		t.Errorf("entities read as %q", got)
	}
}

func TestParseDates(t *testing.T) {
	p := parser{now: now}
	for in, want := range map[string]time.Time{
		"Tue, 03 Nov 2026 08:15:00 +0300": time.Date(2026, 11, 3, 5, 15, 0, 0, time.UTC),
		"Mon, 2 Nov 2026 10:00:00 GMT":    time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC),
		"Mon, 02 Nov 2026 10:00:00 UT":    time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC),
		"2026-11-02T10:00:00.123Z":        time.Date(2026, 11, 2, 10, 0, 0, 123e6, time.UTC),
		"2026-11-02T10:00:00":             time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC),
		" 2026-11-02 ":                    time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC),
		"Thu, 01 Jan 1970 00:00:00 GMT":   {},
		"Fri, 01 Jan 2100 00:00:00 GMT":   {},
		"gestern":                         {},
		"2026-11-06T11:00:00Z":            {}, // more than two days ahead
		"Wed, 04 Nov 2026 11:00:00 +0000": time.Date(2026, 11, 4, 11, 0, 0, 0, time.UTC),
	} {
		if got := p.date(in); !got.Equal(want) {
			t.Errorf("date(%q) = %v, want %v", in, got, want)
		}
	}
}
