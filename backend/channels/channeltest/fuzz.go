package channeltest

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/ingest"
)

// CheckItems asserts what the rest of Stormdesk relies on in whatever items a
// connector made of a platform's answer or webhook, however broken the
// answer was: an external id and a thread key (dedupe and threading key on
// them), valid UTF-8 in every text an agent sees, text within MaxText, and a
// date that is either the platform's or zero. A zero SentAt is the
// documented "no date" that ingest flags and replaces by the receive time;
// a missing Unix timestamp read as 0 would instead be stored, unflagged, as
// 1970-01-01, and sort the message to the end of the inbox. Each item must
// also pass ingest's Normalize, which refuses unknown kinds and directions.
func CheckItems(t testing.TB, ch inbox.ChannelKind, items []inbox.Item) {
	t.Helper()
	// A fixed clock, so a failure replays the same way on another day.
	norm := ingest.NewNormalizer(func() time.Time { return time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC) })
	for i, it := range items {
		// Only an id the platform left out is the connector's to catch; one of
		// blanks is the platform's, and ingest rejects it visibly.
		if it.ExternalID == "" {
			t.Errorf("item %d has no external id: %+v", i, it)
		}
		if it.ThreadKey == "" {
			t.Errorf("item %d (%q) has no thread key", i, it.ExternalID)
		}
		texts := map[string]string{
			"ExternalID": it.ExternalID, "ThreadKey": it.ThreadKey, "Subject": it.Subject, "Text": it.Text, "HTML": it.HTML,
			"Author.ExternalID": it.Author.ExternalID, "Author.Handle": it.Author.Handle, "Author.DisplayName": it.Author.DisplayName,
		}
		for j, r := range it.References {
			texts["References"+strings.Repeat("'", j)] = r
		}
		for name, s := range texts {
			if !utf8.ValidString(s) {
				t.Errorf("item %d (%q): %s is not UTF-8: %q", i, it.ExternalID, name, s)
			}
		}
		if len(it.Text) > channels.MaxText {
			t.Errorf("item %d (%q): text of %d bytes, over MaxText", i, it.ExternalID, len(it.Text))
		}
		// Exactly the epoch is what a missing (0) timestamp decodes to; a
		// few milliseconds after it is an absurd date, which ingest flags.
		if it.SentAt.Equal(time.Unix(0, 0)) {
			t.Errorf("item %d (%q): SentAt is the Unix epoch: a missing date must be zero", i, it.ExternalID)
		}
		if strings.TrimSpace(it.ExternalID) != "" && utf8.ValidString(it.ExternalID) && len(it.ExternalID) <= 512 {
			if _, err := norm.Normalize(ch, it); err != nil {
				t.Errorf("item %d (%q): ingest rejects it: %v", i, it.ExternalID, err)
			}
		}
	}
}

// SameItems fails unless two conversions of the same input gave the same
// items under the same external ids and thread keys: a replayed answer or
// webhook is recognised as already stored only by them.
func SameItems(t testing.TB, a, b []inbox.Item) {
	t.Helper()
	key := func(items []inbox.Item) []string {
		out := make([]string, 0, 2*len(items))
		for _, it := range items {
			out = append(out, it.ExternalID, it.ThreadKey)
		}
		return out
	}
	if ka, kb := key(a), key(b); !slices.Equal(ka, kb) {
		t.Errorf("the same input gave different ids and thread keys:\n%q\n%q", ka, kb)
	}
}

// Twice runs a mapping that refuses input without an id (ok false) two
// times, failing the test unless it refused exactly when id is empty, and
// appends what it made to items and again, for CheckItems and SameItems.
func Twice(t testing.TB, id string, mapping func() (inbox.Item, bool), items, again *[]inbox.Item) {
	t.Helper()
	it, ok := mapping()
	if ok != (id != "") {
		t.Errorf("input with id %q mapped: %v", id, ok)
	}
	if ok {
		it2, _ := mapping()
		*items, *again = append(*items, it), append(*again, it2)
	}
}

// GraphData reads a Graph API page ({"data": [...]}) of T as the Meta
// clients do; ok is false when they would refuse the page.
func GraphData[T any](page []byte) (data []T, ok bool) {
	var p struct{ Data []T }
	if json.Unmarshal(page, &p) != nil {
		return nil, false
	}
	return p.Data, true
}
