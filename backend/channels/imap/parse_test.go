package imap

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file        string
		externalID  string
		threadKey   string
		refs        []string
		subject     string
		author      string
		textHas     string
		htmlHas     string
		htmlHasNot  string
		flags       []string
		attachments []inbox.Attachment
	}{
		{file: "koi8r.eml", externalID: "koi8@example.ru", threadKey: "koi8@example.ru", subject: "Жалоба", author: "Иван", textHas: "Привет! Заказ не пришёл."},
		{file: "cp1251-8bit-header.eml", externalID: "cp1251@example.ru", threadKey: "root@example.test",
			refs: []string{"root@example.test", "mid@example.test"}, subject: "Возврат", author: "Olga",
			textHas: "Добрый день, где мой возврат?", htmlHas: `src="cid:logo"`, htmlHasNot: "tracker.example"},
		{file: "broken-multipart.eml", externalID: "broken@example.de", threadKey: "broken@example.de", subject: "Kaputt", author: "Max",
			textHas: "Die Lieferung ist beschädigt.", flags: []string{inbox.FlagBadMIME},
			attachments: []inbox.Attachment{{Name: "rechnung.pdf", ContentType: "application/pdf", Size: 48}}},
		{file: "no-message-id.eml", subject: "no id here", textHas: "hello without id", flags: []string{inbox.FlagBadCharset}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			raw := readFixture(t, tt.file)
			it := ParseMessage(raw, "support@example.test", false)
			if tt.externalID != "" && it.ExternalID != tt.externalID {
				t.Errorf("ExternalID = %q, want %q", it.ExternalID, tt.externalID)
			}
			if tt.externalID == "" {
				if !strings.HasPrefix(it.ExternalID, "sha256:") || it.ThreadKey != it.ExternalID {
					t.Errorf("no Message-ID: ExternalID %q ThreadKey %q, want a content hash for both", it.ExternalID, it.ThreadKey)
				}
				// CRLF vs LF delivery must not change the id.
				lf := ParseMessage([]byte(strings.ReplaceAll(string(raw), "\r\n", "\n")), "", false)
				if lf.ExternalID != it.ExternalID {
					t.Errorf("hash differs by line endings: %q vs %q", lf.ExternalID, it.ExternalID)
				}
			} else if it.ThreadKey != tt.threadKey {
				t.Errorf("ThreadKey = %q, want %q", it.ThreadKey, tt.threadKey)
			}
			if !slices.Equal(it.References, tt.refs) {
				t.Errorf("References = %q, want %q", it.References, tt.refs)
			}
			if it.Subject != tt.subject {
				t.Errorf("Subject = %q, want %q", it.Subject, tt.subject)
			}
			if tt.author != "" && it.Author.DisplayName != tt.author {
				t.Errorf("author = %q, want %q", it.Author.DisplayName, tt.author)
			}
			if !strings.Contains(it.Text, tt.textHas) {
				t.Errorf("Text = %q, want it to contain %q", it.Text, tt.textHas)
			}
			if tt.htmlHas != "" && !strings.Contains(it.HTML, tt.htmlHas) {
				t.Errorf("HTML = %q, want %q", it.HTML, tt.htmlHas)
			}
			if tt.htmlHasNot != "" && strings.Contains(it.HTML, tt.htmlHasNot) {
				t.Errorf("HTML = %q still has %q", it.HTML, tt.htmlHasNot)
			}
			for _, f := range tt.flags {
				if !slices.Contains(it.Flags, f) {
					t.Errorf("Flags = %v, want %s", it.Flags, f)
				}
			}
			if len(tt.flags) == 0 && len(it.Flags) > 0 {
				t.Errorf("unexpected flags %v", it.Flags)
			}
			if !slices.Equal(it.Attachments, tt.attachments) {
				t.Errorf("Attachments = %+v, want %+v", it.Attachments, tt.attachments)
			}
			if it.Direction != inbox.DirectionIn || it.SentAt.IsZero() {
				t.Errorf("direction %s sentAt %v", it.Direction, it.SentAt)
			}
		})
	}
}

func TestParseOutboundAndRemoteImagesAllowed(t *testing.T) {
	raw := []byte("From: Support <Support@Example.test>\r\nSubject: hi\r\nMessage-ID: <a@b>\r\nContent-Type: text/html\r\n\r\n<img src=\"http://x/y.png\">")
	it := ParseMessage(raw, "support@example.test", true)
	if it.Direction != inbox.DirectionOut {
		t.Errorf("direction %s, want out", it.Direction)
	}
	if !strings.Contains(it.HTML, "http://x/y.png") {
		t.Errorf("remote image removed although allowed: %q", it.HTML)
	}
}

func TestMessageIDs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"<A@Example.COM>", []string{"A@example.com"}},
		{" <a@b>\r\n\t<c@d> <bad", []string{"a@b", "c@d"}},
		{"x@y", []string{"x@y"}},
		{"", nil},
		{"<>", nil},
	}
	for _, tt := range tests {
		if got := messageIDs(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("messageIDs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNewRefusesPlaintextOffLoopback(t *testing.T) {
	tests := []struct {
		cfg Config
		ok  bool
	}{
		{Config{Host: "mail.example.com", Username: "u", TLS: TLSPlain}, false},
		{Config{Host: "127.0.0.1", Username: "u", TLS: TLSPlain}, true},
		{Config{Host: "mail.example.com", Username: "u", TLS: TLSStartTLS, SMTP: SMTPConfig{Host: "smtp.example.com", TLS: TLSPlain}}, false},
		{Config{Host: "mail.example.com", Username: "u", TLS: "ssl3"}, false},
		{Config{Host: "mail.example.com", Username: "u"}, true},
	}
	for _, tt := range tests {
		_, err := New(tt.cfg)
		if (err == nil) != tt.ok {
			t.Errorf("New(%+v) error = %v, want ok=%v", tt.cfg, err, tt.ok)
		}
	}
}
