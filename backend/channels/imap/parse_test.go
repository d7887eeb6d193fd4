package imap

import (
	"encoding/base64"
	"fmt"
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
			if stored := storedHTML(t, it); tt.htmlHasNot != "" && strings.Contains(stored, tt.htmlHasNot) {
				t.Errorf("stored HTML = %q still has %q", stored, tt.htmlHasNot)
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
	if stored := storedHTML(t, it); !it.AllowRemoteImages || !strings.Contains(stored, "http://x/y.png") {
		t.Errorf("remote image removed although allowed: %q", stored)
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

func TestRepairHeader(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"wrapped line joins the header before it",
			"Subject: my order\nhas not arrived\nFrom: a@example.com\n\nbody\n",
			"Subject: my order\r\n has not arrived\r\nFrom: a@example.com\r\n\r\nbody\n"},
		{"punctuation-only line is dropped", "From: a@example.com\n?\nSubject: x\n\nbody", "From: a@example.com\r\nSubject: x\r\n\r\nbody"},
		{"continuation before any header is dropped", " stray\nFrom: a@example.com\n\nbody", "From: a@example.com\r\n\r\nbody"},
		{"folded lines stay folded", "Subject: a\n\tb\n\nbody", "Subject: a\r\n\tb\r\n\r\nbody"},
		{"space before the colon is a header", "Subject : a\n\n", "Subject : a\r\n\r\n"},
		{"no empty line: all header, no body", "From: a@example.com\r\nSubject: x", "From: a@example.com\r\nSubject: x\r\n\r\n"},
		{"body keeps what looks like headers", "From: a@example.com\n\nNot: a header\n?\n", "From: a@example.com\r\n\r\nNot: a header\n?\n"},
	}
	for _, tt := range tests {
		if got, ok := repairHeader([]byte(tt.in)); string(got) != tt.want || !ok {
			t.Errorf("%s: repairHeader(%q) = %q, %v; want %q", tt.name, tt.in, got, ok, tt.want)
		}
	}
	if _, ok := repairHeader([]byte("just text\n\nbody")); ok {
		t.Error("repairHeader finds a header in plain text")
	}
}

func TestParseKeepsWhatHasNoHeader(t *testing.T) {
	it := ParseMessage([]byte("\x00\xff garbage without header"), "", false)
	if it.Text != "\x00\ufffd garbage without header" || !slices.Contains(it.Flags, inbox.FlagBadMIME) || !slices.Contains(it.Flags, inbox.FlagInvalidUTF8) {
		t.Errorf("Text %q flags %v: want the raw text kept, repaired and flagged", it.Text, it.Flags)
	}
	if !strings.HasPrefix(it.ExternalID, "sha256:") || !it.SentAt.IsZero() {
		t.Errorf("ExternalID %q SentAt %v", it.ExternalID, it.SentAt)
	}
}

func TestParseUnusableMessageIDFallsBackToHash(t *testing.T) {
	long := "<" + strings.Repeat("x", 600) + "@example.com>"
	raw := []byte("From: a@example.com\r\nMessage-ID: " + long + "\r\nReferences: " + long + " <ok@example.com> <\xff@example.com>\r\n\r\nbody")
	it := ParseMessage(raw, "", false)
	if !strings.HasPrefix(it.ExternalID, "sha256:") {
		t.Errorf("ExternalID %q: a Message-ID ingest would reject must give way to the content hash", it.ExternalID)
	}
	if !slices.Equal(it.References, []string{"ok@example.com"}) || it.ThreadKey != "ok@example.com" {
		t.Errorf("References %q ThreadKey %q, want only the usable reference", it.References, it.ThreadKey)
	}
}

func TestInlineImageLimits(t *testing.T) {
	png := func(size int) []byte {
		b := make([]byte, size)
		copy(b, "\x89PNG\r\n\x1a\n")
		return b
	}
	part := func(cid, ct string, body []byte) string {
		return "--b\r\nContent-Type: " + ct + "\r\nContent-Id: <" + cid + ">\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
			base64.StdEncoding.EncodeToString(body) + "\r\n"
	}
	html := `<img src="cid:small"><img src="CID:Small"><img src="cid:big"><img src="cid:bmp">`
	for i := range 7 {
		html += fmt.Sprintf(`<img src="cid:q%d">`, i)
	}
	raw := "From: a@example.com\r\nContent-Type: multipart/related; boundary=b\r\n\r\n--b\r\nContent-Type: text/html\r\n\r\n" + html + "\r\n" +
		part("small", "image/png", png(100)) +
		// 200 KiB is a data: URI of 267 KiB: more than ingest keeps.
		part("big", "image/png", png(200<<10)) +
		part("bmp", "image/bmp", append([]byte("BM"), make([]byte, 100)...))
	for i := range 7 { // data: URIs of 80 KiB: six fit in ingest's 512 KiB of HTML, the seventh does not
		raw += part(fmt.Sprintf("q%d", i), "image/png", png(60<<10))
	}
	raw += "--b--\r\n"
	it := ParseMessage([]byte(raw), "", false)
	if n := strings.Count(it.HTML, `src="data:image/png;base64,`); n != 8 {
		t.Errorf("%d data: images, want 8 (small twice, q0-q5)", n)
	}
	for _, kept := range []string{`src="cid:big"`, `src="cid:bmp"`, `src="cid:q6"`} {
		if !strings.Contains(it.HTML, kept) {
			t.Errorf("HTML lacks %s: too large, wrong type or over the total stays a cid: reference", kept)
		}
	}
	if len(it.HTML) > maxHTMLBytes {
		t.Errorf("HTML of %d bytes: ingest would cut it", len(it.HTML))
	}
	if len(it.Attachments) != 10 || it.Attachments[1].Size != 200<<10 {
		t.Errorf("attachments %+v: every image part stays listed with its size", it.Attachments)
	}
}

func TestParseAuthorFallbacks(t *testing.T) {
	tests := []struct {
		name, header string
		want         inbox.Author
	}{
		{"From with an address wins", "From: Ann <ann@example.com>\r\nSender: list@example.com\r\n",
			inbox.Author{Channel: inbox.ChannelMail, ExternalID: "ann@example.com", Handle: "ann@example.com", DisplayName: "Ann"}},
		{"Sender's address, From's name", "From: Customer Service\r\nSender: CS@Example.com\r\nReply-To: other@example.com\r\n",
			inbox.Author{Channel: inbox.ChannelMail, ExternalID: "cs@example.com", Handle: "CS@Example.com", DisplayName: "Customer Service"}},
		{"Reply-To when From and Sender have no address", "From: <>\r\nSender: nobody\r\nReply-To: \"Help Desk\" <help@example.com>\r\n",
			inbox.Author{Channel: inbox.ChannelMail, ExternalID: "help@example.com", Handle: "help@example.com", DisplayName: "Help Desk"}},
		{"no address anywhere: the From text", "From: Mail  Delivery System\r\n",
			inbox.Author{Channel: inbox.ChannelMail, ExternalID: "mail delivery system", Handle: "Mail Delivery System", DisplayName: "Mail Delivery System"}},
		{"no sender at all", "Subject: x\r\n", inbox.Author{}},
	}
	for _, tt := range tests {
		it := ParseMessage([]byte(tt.header+"Message-ID: <a@example.com>\r\n\r\nbody"), "", false)
		if it.Author != tt.want {
			t.Errorf("%s: Author %+v, want %+v", tt.name, it.Author, tt.want)
		}
	}
}
