package ingest

import (
	"errors"
	"reflect"
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
		{"media without words is not empty", inbox.ChannelWhatsApp, inbox.Item{ExternalID: "4a", Text: "", SentAt: testNow,
			Attachments: []inbox.Attachment{{Kind: "audio", ContentType: "audio/ogg", Ref: "1483"}}}, "", nil, inbox.KindComment, "4a"},
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

// TestNormalizeDates: no date, however wrong, loses a message. A date outside
// (1970, now+24h] is kept as the claim and replaced by the receipt time, or
// by now when that is unusable too.
func TestNormalizeDates(t *testing.T) {
	n := NewNormalizer(func() time.Time { return testNow })
	received := testNow.Add(-10 * time.Minute)
	year0 := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
	berlin := time.FixedZone("CET", 3600)
	tests := []struct {
		name       string
		sent, recv time.Time
		wantSent   time.Time
		wantClaim  *time.Time
		suspicious bool
	}{
		{"sane date kept", testNow.Add(-time.Hour), received, testNow.Add(-time.Hour), nil, false},
		{"a day ahead is clock skew, kept", testNow.Add(23 * time.Hour), time.Time{}, testNow.Add(23 * time.Hour), nil, false},
		{"the epoch is a zero sent for a missing date", time.Unix(0, 0), received, received, ptr(time.Unix(0, 0).UTC()), true},
		{"zone converted to UTC", time.Date(2026, 2, 1, 10, 0, 0, 0, berlin), received, time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC), nil, false},
		{"missing date: receipt time", time.Time{}, received, received, nil, true},
		{"missing date, no receipt: now", time.Time{}, time.Time{}, testNow, nil, true},
		{"future: receipt time, claim kept", testNow.Add(48 * time.Hour), received, received, ptr(testNow.Add(48 * time.Hour)), true},
		{"before the epoch", time.Unix(-1, 0), received, received, ptr(time.Unix(-1, 0).UTC()), true},
		{"year 1", time.Date(1, 3, 5, 0, 0, 0, 0, time.UTC), received, received, ptr(time.Date(1, 3, 5, 0, 0, 0, 0, time.UTC)), true},
		{"year 0 cannot be shown: no claim", year0, received, received, nil, true},
		{"year 0 east of UTC is year -1", time.Date(0, 1, 1, 0, 0, 0, 0, berlin), received, received, nil, true},
		{"year 10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), received, received, nil, true},
		{"absurd receipt too: now", time.Unix(-5e11, 0), time.Unix(-5, 0), testNow, nil, true},
		{"future receipt: now", testNow.Add(72 * time.Hour), testNow.Add(72 * time.Hour), testNow, ptr(testNow.Add(72 * time.Hour)), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := item("d", "x")
			it.SentAt, it.ReceivedAt = tt.sent, tt.recv
			got, err := n.Normalize(inbox.ChannelMail, it)
			if err != nil {
				t.Fatalf("rejected: %v", err)
			}
			if !got.SentAt.Equal(tt.wantSent) || got.SentAt.Location() != time.UTC {
				t.Errorf("SentAt = %v, want %v in UTC", got.SentAt, tt.wantSent)
			}
			if (got.ClaimedAt == nil) != (tt.wantClaim == nil) || (got.ClaimedAt != nil && !got.ClaimedAt.Equal(*tt.wantClaim)) {
				t.Errorf("ClaimedAt = %v, want %v", got.ClaimedAt, tt.wantClaim)
			}
			if slices.Contains(got.Flags, inbox.FlagSuspiciousDate) != tt.suspicious {
				t.Errorf("flags = %v, suspicious-date want %v", got.Flags, tt.suspicious)
			}
			again, err := n.Normalize(inbox.ChannelMail, got)
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Errorf("normalizing again changed the item: %+v -> %+v (%v)", got, again, err)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestNormalizeStripsRemoteImagesOnEveryChannel: the importer's and the
// social channels' HTML goes through the same sanitizer as mail.
func TestNormalizeStripsRemoteImagesOnEveryChannel(t *testing.T) {
	n := NewNormalizer(func() time.Time { return testNow })
	for _, ch := range inbox.ChannelKinds {
		for _, allow := range []bool{false, true} {
			it := item("h", "")
			it.HTML = `<p>Hi</p><img src="https://tracker.example/p.gif"><img src="` + pixel + `">`
			it.AllowRemoteImages = allow
			got, err := n.Normalize(ch, it)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(got.HTML, "tracker.example") != allow || !strings.Contains(got.HTML, pixel) {
				t.Errorf("%s, allow remote %v: %s", ch, allow, got.HTML)
			}
		}
	}
}

// FuzzNormalize: any item either is rejected with ErrRejected or comes out
// valid UTF-8, dated in the sane range, with safe HTML, and unchanged by a
// second pass. Seeds are in testdata/fuzz/FuzzNormalize.
func FuzzNormalize(f *testing.F) {
	f.Add("m1", "hello", "Re: x", "<p>hi</p>", testNow.Unix()-60, int64(0), false)
	f.Add("m2", "x", "", `<img src="https://t.example/p.gif">`, int64(-62167219200), testNow.Unix(), false)
	n := NewNormalizer(func() time.Time { return testNow })
	f.Fuzz(func(t *testing.T, id, text, subject, h string, sent, received int64, allowRemote bool) {
		it := inbox.Item{ExternalID: id, Text: text, Subject: subject, HTML: h, AllowRemoteImages: allowRemote,
			Author: inbox.Author{Handle: subject, DisplayName: text}, Tags: []string{text}, References: []string{subject}}
		if sent != 0 { // 0 stands for a missing date
			it.SentAt = time.Unix(sent, 0)
		}
		if received != 0 {
			it.ReceivedAt = time.Unix(received, 0)
		}
		got, err := n.Normalize(inbox.ChannelImport, it)
		if err != nil {
			if !errors.Is(err, ErrRejected) {
				t.Fatalf("error does not wrap ErrRejected: %v", err)
			}
			return
		}
		for _, s := range append([]string{got.ExternalID, got.ThreadKey, got.Text, got.Subject, got.HTML,
			got.Author.ExternalID, got.Author.Handle, got.Author.DisplayName}, append(got.Tags, got.References...)...) {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in output %q", s)
			}
		}
		if got.SentAt.Unix() <= 0 || got.SentAt.After(testNow.Add(inbox.FutureSkew)) || got.SentAt.Location() != time.UTC {
			t.Fatalf("SentAt %v out of range", got.SentAt)
		}
		if got.ClaimedAt != nil && (!representable(*got.ClaimedAt) || !slices.Contains(got.Flags, inbox.FlagSuspiciousDate)) {
			t.Fatalf("claimed %v with flags %v", got.ClaimedAt, got.Flags)
		}
		if err := unsafeHTML(got.HTML, allowRemote); err != nil {
			t.Fatalf("HTML %q: %v", got.HTML, err)
		}
		again, err := n.Normalize(inbox.ChannelImport, got)
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Fatalf("normalizing again changed the item:\n%+v\n%+v\n%v", got, again, err)
		}
	})
}
