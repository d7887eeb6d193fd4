package ingest

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func item(id, text string) inbox.Item {
	return inbox.Item{ExternalID: id, Text: text, SentAt: testNow.Add(-time.Hour)}
}

func TestNormalizeRejects(t *testing.T) {
	n := NewNormalizer(func() time.Time { return testNow })
	tests := []struct {
		name string
		it   inbox.Item
		want string
	}{
		{"no id", item("  ", "hi"), "no external id"},
		{"no time", inbox.Item{ExternalID: "1", Text: "hi"}, "has no time"},
		{"future", inbox.Item{ExternalID: "1", Text: "hi", SentAt: testNow.Add(48 * time.Hour)}, "in the future"},
		{"bad kind", inbox.Item{ExternalID: "1", Text: "hi", SentAt: testNow, Kind: "fax"}, "unknown kind"},
		{"bad direction", inbox.Item{ExternalID: "1", Text: "hi", SentAt: testNow, Direction: "sideways"}, "unknown direction"},
		{"id not utf8", item("a\xffb", "hi"), "not UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := n.Normalize(inbox.ChannelImport, tt.it)
			if !errors.Is(err, ErrRejected) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want ErrRejected containing %q", err, tt.want)
			}
		})
	}
}

func TestNormalizeRepairs(t *testing.T) {
	n := NewNormalizer(func() time.Time { return testNow })
	tests := []struct {
		name      string
		channel   inbox.ChannelKind
		it        inbox.Item
		text      string
		flags     []string
		kind      inbox.MessageKind
		threadKey string
	}{
		{"plain", inbox.ChannelVK, item("1", "  hello  "), "hello", nil, inbox.KindComment, "1"},
		{"mail default kind", inbox.ChannelMail, item("m1", "x"), "x", nil, inbox.KindMail, "m1"},
		{"invalid utf8 kept with marker", inbox.ChannelImport, item("2", "caf\xe9 late"), "caf\uFFFD late", []string{inbox.FlagInvalidUTF8}, inbox.KindComment, "2"},
		{"controls dropped, CRLF folded", inbox.ChannelImport, item("3", "a\x00b\r\nc\x1b"), "ab\nc", nil, inbox.KindComment, "3"},
		{"empty text marked", inbox.ChannelImport, item("4", "   "), "", []string{inbox.FlagNoText}, inbox.KindComment, "4"},
		{"emoji and RTL kept exactly", inbox.ChannelTelegram, item("5", "😡 שלום мир Größe"), "😡 שלום мир Größe", nil, inbox.KindComment, "5"},
		{"thread key kept", inbox.ChannelImport, inbox.Item{ExternalID: "6", ThreadKey: " post-9 ", Text: "t", SentAt: testNow}, "t", nil, inbox.KindComment, "post-9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := n.Normalize(tt.channel, tt.it)
			if err != nil {
				t.Fatal(err)
			}
			if got.Text != tt.text || !slices.Equal(got.Flags, tt.flags) || got.Kind != tt.kind || got.ThreadKey != tt.threadKey {
				t.Fatalf("got text %q flags %v kind %s thread %q; want %q %v %s %q", got.Text, got.Flags, got.Kind, got.ThreadKey, tt.text, tt.flags, tt.kind, tt.threadKey)
			}
			if got.Direction != inbox.DirectionIn || got.SentAt.Location() != time.UTC {
				t.Fatalf("direction %q, location %v", got.Direction, got.SentAt.Location())
			}
		})
	}
}

func TestNormalizeTruncatesOnRuneBoundary(t *testing.T) {
	n := NewNormalizer(func() time.Time { return testNow })
	got, err := n.Normalize(inbox.ChannelImport, item("big", strings.Repeat("ж", maxTextBytes)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Text) > maxTextBytes || !strings.HasPrefix(strings.Repeat("ж", maxTextBytes), got.Text) || !slices.Contains(got.Flags, inbox.FlagTruncated) {
		t.Fatalf("len %d, flags %v", len(got.Text), got.Flags)
	}
}

func TestNormalizeSanitizesHTML(t *testing.T) {
	n := NewNormalizer(func() time.Time { return testNow })
	it := item("h", "")
	it.HTML = `<p onclick="steal()">Hi <b>there</b></p><script>alert(1)</script><iframe src="https://x"></iframe><a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)>`
	got, err := n.Normalize(inbox.ChannelMail, it)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "onclick", "onerror", "javascript:", "<iframe"} {
		if strings.Contains(strings.ToLower(got.HTML), bad) {
			t.Errorf("sanitized HTML still contains %q: %s", bad, got.HTML)
		}
	}
	if !strings.Contains(got.HTML, "<b>there</b>") {
		t.Errorf("formatting lost: %s", got.HTML)
	}
	if slices.Contains(got.Flags, inbox.FlagNoText) {
		t.Errorf("HTML-only message marked as having no text")
	}
}

func TestNormalizeAuthorAndTags(t *testing.T) {
	n := NewNormalizer(func() time.Time { return testNow })
	it := item("a", "x")
	it.Author = inbox.Author{Handle: " @anna ", Reach: -5}
	it.Tags = []string{"Billing", "billing", " late  delivery ", ""}
	got, err := n.Normalize(inbox.ChannelMastodon, it)
	if err != nil {
		t.Fatal(err)
	}
	if got.Author.ExternalID != "@anna" || got.Author.Handle != "@anna" || got.Author.Channel != inbox.ChannelMastodon || got.Author.Reach != 0 {
		t.Errorf("author = %+v", got.Author)
	}
	if !slices.Equal(got.Tags, []string{"billing", "late-delivery"}) {
		t.Errorf("tags = %v", got.Tags)
	}
	anon, _ := n.Normalize(inbox.ChannelImport, item("b", "x"))
	if anon.Author.ExternalID != "unknown" {
		t.Errorf("author without id = %+v", anon.Author)
	}
}

func TestScoringTextIsBoundedOnAWordBoundary(t *testing.T) {
	long := strings.Repeat("ужасный сервис ", 500)
	got := scoringText(long)
	if len(got) > maxScoredBytes || !(strings.HasSuffix(got, " сервис") || strings.HasSuffix(got, " ужасный")) || !utf8.ValidString(got) {
		t.Fatalf("scoringText gave %d bytes ending %q", len(got), got[len(got)-12:])
	}
	if short := "всё хорошо"; scoringText(short) != short {
		t.Fatal("a short text was changed")
	}
}
