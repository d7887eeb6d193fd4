package imap

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/ingest"
)

// FuzzParseMessage feeds arbitrary bytes to ParseMessage; the committed
// corpus under testdata/fuzz/FuzzParseMessage holds every fixture and the
// malformed forms seen in real mail. ParseMessage must not panic and must
// return an item ingest can store: valid UTF-8 everywhere, an id within
// ingest's limit, a thread key, and no remote image left in the HTML ingest stores.
func FuzzParseMessage(f *testing.F) {
	f.Fuzz(func(t *testing.T, raw []byte) {
		it := ParseMessage(raw, "support@example.test", false)
		fields := map[string]string{
			"ExternalID": it.ExternalID, "ThreadKey": it.ThreadKey, "Subject": it.Subject, "Text": it.Text, "HTML": it.HTML,
			"Author.ExternalID": it.Author.ExternalID, "Author.Handle": it.Author.Handle, "Author.DisplayName": it.Author.DisplayName,
		}
		for i, r := range it.References {
			fields["References["+string(rune('0'+i%10))+"]"] = r
		}
		for _, a := range it.Attachments {
			fields["Attachment.Name"] += a.Name
			fields["Attachment.ContentType"] += a.ContentType
		}
		for name, v := range fields {
			if !utf8.ValidString(v) {
				t.Errorf("%s is not UTF-8: %q", name, v)
			}
		}
		if it.ExternalID == "" || len(it.ExternalID) > maxIDBytes || it.ThreadKey == "" || len(it.ThreadKey) > maxIDBytes {
			t.Errorf("ExternalID %q / ThreadKey %q: empty or over %d bytes", it.ExternalID, it.ThreadKey, maxIDBytes)
		}
		for _, r := range it.References {
			if r == "" || len(r) > maxIDBytes {
				t.Errorf("reference %q empty or over %d bytes", r, maxIDBytes)
			}
		}
		if it.AllowRemoteImages {
			t.Error("remote images allowed although the account does not allow them")
		}
		stored := it.HTML
		if n, err := ingest.NewNormalizer(time.Now).Normalize(inbox.ChannelMail, it); err == nil {
			stored = n.HTML
		} else {
			t.Errorf("ingest rejects the parsed item: %v", err)
		}
		z := html.NewTokenizer(strings.NewReader(stored))
		for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
			for _, a := range z.Token().Attr {
				switch v := strings.ToLower(strings.TrimSpace(a.Val)); a.Key {
				case "src", "srcset", "background", "poster":
					if !strings.HasPrefix(v, "cid:") && !strings.HasPrefix(v, "data:") {
						t.Errorf("remote %s=%q kept in %q", a.Key, a.Val, stored)
					}
				}
			}
		}
		if !it.SentAt.IsZero() && (it.SentAt.Year() < 1000 || it.SentAt.Year() > 9999) {
			t.Errorf("SentAt %v outside years 1000-9999", it.SentAt)
		}
		if again := ParseMessage(raw, "support@example.test", false); again.ExternalID != it.ExternalID {
			t.Errorf("ExternalID differs between two parses: %q, %q", it.ExternalID, again.ExternalID)
		}
	})
}
