package imap

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/ingest"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/testutil/dovecot"
)

// malformedCase is one fixture under testdata/malformed and every field the
// mail channel must make of it.
type malformedCase struct {
	file       string
	externalID string
	subject    string
	authorID   string // also the handle, in the case written
	handle     string
	name       string
	sentAt     time.Time // zero: the Date header is missing or unreadable
	flags      []string
	text       string   // the plain text, line endings as LF; "" when the message is HTML
	htmlHas    []string // HTML must contain each
	htmlHasNot []string
	attachment []inbox.Attachment
}

func utcAt(y int, mo time.Month, d, h, mi int) time.Time {
	return time.Date(y, mo, d, h, mi, 0, 0, time.UTC)
}

const plainBody = "Hello, this is the body.\n"

// plain is a text/plain fixture whose sender is written as its address.
func plain(file, id, subject, addr, name string, sentAt time.Time) malformedCase {
	return malformedCase{file: file, externalID: id, subject: subject, authorID: addr, handle: addr, name: name, sentAt: sentAt, text: plainBody}
}

func malformedCases() []malformedCase {
	return []malformedCase{
		plain("future-2043.eml", "future-2043@example.se", "Clock from the future", "anna@example.se", "Anna Berg", utcAt(2043, 3, 13, 8, 0)),
		plain("year-0001.eml", "year-0001@example.fr", "Year one", "paul@example.fr", "Paul Roy", utcAt(2001, 1, 1, 8, 15)),
		plain("year-0002.eml", "year-0002@example.fr", "Year two", "paul@example.fr", "Paul Roy", utcAt(2002, 1, 8, 9, 0)),
		plain("year-0000.eml", "year-0000@example.org", "Year zero", "zero@example.org", "Zero Year", utcAt(2000, 1, 1, 0, 0)),
		plain("two-digit-year.eml", "two-digit@example.net", "Two digit year", "old@example.net", "Old Client", utcAt(2002, 1, 7, 17, 15)),
		plain("two-digit-year-99.eml", "two-digit-99@example.net", "Last of the century", "old@example.net", "Old Client", utcAt(2000, 1, 1, 4, 59)),
		plain("no-date.eml", "no-date@example.com", "No date at all", "nora@example.com", "Nora Date", time.Time{}),
		plain("garbage-date.eml", "garbage-date@example.com", "Unreadable date", "gary@example.com", "Gary Bage", time.Time{}),
		{file: "wrapped-header-line.eml", externalID: "wrapped@example.com", subject: "My order 4711 has still not arrived after three weeks",
			authorID: "kim@example.com", handle: "kim@example.com", name: "Kim Lee", sentAt: utcAt(2025, 6, 4, 6, 30),
			flags: []string{inbox.FlagBadMIME}, text: "Where is my parcel?\n"},
		{file: "stray-question-line.eml", externalID: "stray@example.es", subject: "Factura pendiente",
			authorID: "maria@example.es", handle: "maria@example.es", name: "Lopez, Maria", sentAt: utcAt(2025, 6, 5, 9, 0),
			flags: []string{inbox.FlagBadMIME}, text: "La factura sigue pendiente.\n"},
		plain("from-leading-dot.eml", "leading-dot@example.com", "Leading dot", ".ward@example.com", "houston", utcAt(2025, 6, 3, 14, 0)),
		plain("from-comment-form.eml", "comment-form@example.com", "Comment form", ".jane@example.com", "Jane Doe", utcAt(2025, 6, 3, 9, 0)),
		plain("from-broken-quote.eml", "broken-quote@example.com", "Broken quote", "tom.miller@example.com", "Miller, Tom", utcAt(2025, 6, 3, 9, 0)),
		plain("from-missing-bracket.eml", "missing-bracket@example.com", "Missing bracket", "sam@example.com", "Sam Ortiz", utcAt(2025, 6, 3, 9, 0)),
		plain("from-gateway.eml", "gateway@example.de", "Gateway sender", "joerg@example.de", "Jörg Müller", utcAt(2025, 6, 3, 7, 0)),
		plain("from-sender-only.eml", "sender-only@example.com", "Sender fallback", "cs@example.com", "Customer Service", utcAt(2025, 6, 3, 9, 0)),
		plain("from-reply-to-only.eml", "reply-to-only@example.com", "Reply-To fallback", "help@example.com", "undisclosed", utcAt(2025, 6, 3, 9, 0)),
		{file: "cid-inline-image.eml", externalID: "cid-inline@shop.example", subject: "With logo",
			authorID: "news@shop.example", handle: "news@shop.example", name: "Shop", sentAt: utcAt(2025, 6, 4, 12, 0),
			htmlHas: []string{
				`<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==">`,
				// A part that claims image/png but is not one stays a cid: reference, which the sanitizer drops.
				`src="cid:fake@shop.example"`,
			},
			htmlHasNot: []string{"cid:logo", "tracker.example", "<script"},
			attachment: []inbox.Attachment{{Name: "logo.png", ContentType: "image/png", Size: 70}, {ContentType: "image/png", Size: 25}}},
	}
}

// checkMalformed compares every field the mail channel sets.
func checkMalformed(t *testing.T, tc malformedCase, it inbox.Item) {
	t.Helper()
	if it.ExternalID != tc.externalID || it.ThreadKey != tc.externalID {
		t.Errorf("ExternalID %q ThreadKey %q, want %q", it.ExternalID, it.ThreadKey, tc.externalID)
	}
	if it.Kind != inbox.KindMail || it.Direction != inbox.DirectionIn {
		t.Errorf("kind %s direction %s", it.Kind, it.Direction)
	}
	if it.Subject != tc.subject {
		t.Errorf("Subject %q, want %q", it.Subject, tc.subject)
	}
	want := inbox.Author{Channel: inbox.ChannelMail, ExternalID: tc.authorID, Handle: tc.handle, DisplayName: tc.name}
	if it.Author != want {
		t.Errorf("Author %+v, want %+v", it.Author, want)
	}
	if !it.SentAt.Equal(tc.sentAt) {
		t.Errorf("SentAt %v, want %v", it.SentAt, tc.sentAt)
	}
	if it.ClaimedAt != nil {
		t.Errorf("ClaimedAt %v: ingest sets it, not the connector", *it.ClaimedAt)
	}
	if !slices.Equal(it.Flags, tc.flags) {
		t.Errorf("Flags %v, want %v", it.Flags, tc.flags)
	}
	if got := strings.ReplaceAll(it.Text, "\r\n", "\n"); got != tc.text {
		t.Errorf("Text %q, want %q", got, tc.text)
	}
	for _, s := range tc.htmlHas {
		if !strings.Contains(it.HTML, s) {
			t.Errorf("HTML %q lacks %q", it.HTML, s)
		}
	}
	stored := storedHTML(t, it)
	for _, s := range tc.htmlHasNot {
		if strings.Contains(stored, s) {
			t.Errorf("stored HTML %q still has %q", stored, s)
		}
	}
	if len(tc.htmlHas) == 0 && it.HTML != "" {
		t.Errorf("HTML %q, want none", it.HTML)
	}
	if !slices.Equal(it.Attachments, tc.attachment) {
		t.Errorf("Attachments %+v, want %+v", it.Attachments, tc.attachment)
	}
	if len(it.References) != 0 {
		t.Errorf("References %v, want none", it.References)
	}
}

func TestParseMalformedFixtures(t *testing.T) {
	for _, tc := range malformedCases() {
		t.Run(tc.file, func(t *testing.T) {
			raw := readFixture(t, filepath.Join("malformed", tc.file))
			it := ParseMessage(raw, "support@example.test", false)
			checkMalformed(t, tc, it)
			if !it.ReceivedAt.IsZero() {
				t.Errorf("ReceivedAt %v from parsing alone; only the server knows it", it.ReceivedAt)
			}
		})
	}
}

// malformedServer serves the malformed fixtures (and copies, when given) from
// a real Dovecot, each with its own delivery time: a maildir file's mtime is
// its INTERNALDATE. It returns the delivery time by Message-ID.
func malformedServer(t *testing.T, cases []malformedCase, copies ...string) (*dovecot.Server, map[string]time.Time) {
	t.Helper()
	s := dovecot.New(t)
	cur := filepath.Join(s.Home, "Maildir", "cur")
	received := map[string]time.Time{}
	base := time.Date(2025, 6, 10, 12, 0, 0, 0, time.UTC)
	files := []string{}
	for _, tc := range cases {
		files = append(files, tc.file)
	}
	for i, file := range append(files, copies...) {
		raw := readFixture(t, filepath.Join("malformed", file))
		path := filepath.Join(cur, fmt.Sprintf("%d.M%dP1.corpus:2,", base.Unix(), i))
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		at := base.Add(time.Duration(i) * 7 * time.Minute)
		if err := os.Chtimes(path, at, at); err != nil {
			t.Fatal(err)
		}
		if i < len(cases) {
			received[cases[i].externalID] = at
		}
	}
	s.Start()
	return s, received
}

// TestSyncMalformedCorpus checks that every malformed fixture arrives from a
// real Dovecot with every field right and its delivery time as ReceivedAt.
func TestSyncMalformedCorpus(t *testing.T) {
	cases := malformedCases()
	s, received := malformedServer(t, cases)
	c := connector(t, s, func(c *Config) { c.ChunkSize = 5 }) // several batches
	items, cursor := syncAll(t, c, "", nil)
	if len(items) != len(cases) {
		t.Fatalf("synced %d items, the server holds %d", len(items), len(cases))
	}
	byID := map[string]inbox.Item{}
	for _, it := range items {
		byID[it.ExternalID] = it
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			it, ok := byID[tc.externalID]
			if !ok {
				t.Fatalf("%s not synced", tc.externalID)
			}
			checkMalformed(t, tc, it)
			if want := received[tc.externalID]; !it.ReceivedAt.Equal(want) || it.ReceivedAt.Location() != time.UTC {
				t.Errorf("ReceivedAt %v, want the delivery time %v in UTC", it.ReceivedAt, want)
			}
			checkIngested(t, tc, it)
		})
	}
	r, err := c.Sync(context.Background(), cursor)
	if err != nil || len(r.Items) != 0 || r.Skipped != 0 || r.Progress.Fetched != len(cases) {
		t.Fatalf("second sync: %d items, %d skipped, progress %+v, err %v", len(r.Items), r.Skipped, r.Progress, err)
	}
}

// storedHTML is the HTML as ingest stores it: its sanitizer, not the connector,
// removes remote images and dangling cid: references.
func storedHTML(t *testing.T, it inbox.Item) string {
	t.Helper()
	n, err := ingest.NewNormalizer(time.Now).Normalize(inbox.ChannelMail, it)
	if err != nil {
		t.Fatalf("ingest rejects it: %v", err)
	}
	return n.HTML
}

// checkIngested checks the contract with ingest: a missing or future date is
// flagged and replaced by the delivery time, the sender's claim kept; an
// inlined image survives the sanitizer.
func checkIngested(t *testing.T, tc malformedCase, it inbox.Item) {
	t.Helper()
	n, err := ingest.NewNormalizer(time.Now).Normalize(inbox.ChannelMail, it)
	if err != nil {
		t.Fatalf("ingest rejects it: %v", err)
	}
	suspicious := tc.sentAt.IsZero() || tc.sentAt.After(time.Now())
	if slices.Contains(n.Flags, inbox.FlagSuspiciousDate) != suspicious {
		t.Errorf("ingest flags %v, suspicious-date wanted: %v", n.Flags, suspicious)
	}
	switch {
	case !suspicious:
		if !n.SentAt.Equal(tc.sentAt) || n.ClaimedAt != nil {
			t.Errorf("ingest SentAt %v ClaimedAt %v, want the sender's %v", n.SentAt, n.ClaimedAt, tc.sentAt)
		}
	case !n.SentAt.Equal(it.ReceivedAt):
		t.Errorf("ingest SentAt %v, want the delivery time %v", n.SentAt, it.ReceivedAt)
	case tc.sentAt.IsZero() != (n.ClaimedAt == nil) || (n.ClaimedAt != nil && !n.ClaimedAt.Equal(tc.sentAt)):
		t.Errorf("ingest ClaimedAt %v, want the sender's %v", n.ClaimedAt, tc.sentAt)
	}
	if len(tc.htmlHas) > 0 && (!strings.Contains(n.HTML, `src="data:image/png;base64,`) || strings.Contains(n.HTML, "cid:")) {
		t.Errorf("sanitized HTML %q: want the inlined image kept and cid: references gone", n.HTML)
	}
}

// TestMalformedCorpusIsStoredAndCounted runs the app's own sync path (ingest
// into a fresh store) over the malformed fixtures plus a second copy of one:
// nothing is rejected, and the sync state's fetched counter, which 'account
// list' shows, is the same number the sync reports as fetched.
func TestMalformedCorpusIsStoredAndCounted(t *testing.T) {
	cases := malformedCases()
	s, _ := malformedServer(t, cases, cases[0].file)
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "corpus.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	acct := inbox.Account{Channel: inbox.ChannelMail, Name: "corpus", Brand: "Acme", Handle: s.User}
	c := connector(t, s, func(c *Config) { c.ChunkSize = 100 }) // the copy and its original in one batch
	res, err := ingest.New(st, nil).Sync(ctx, st, acct, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rejections) != 0 {
		t.Errorf("rejected %+v: a message the server holds is always stored", res.Rejections)
	}
	if res.Received != len(cases)+1 || res.Inserted != len(cases) || res.Duplicates != 1 {
		t.Errorf("received %d, inserted %d, duplicates %d; want %d, %d, 1", res.Received, res.Inserted, res.Duplicates, len(cases)+1, len(cases))
	}
	a, err := st.AccountByName(ctx, acct.Name)
	if err != nil {
		t.Fatal(err)
	}
	state, err := st.SyncStateOf(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if state.Fetched != int64(res.Received) {
		t.Errorf("sync state counts %d fetched, the sync reported %d", state.Fetched, res.Received)
	}
}
