package store

import (
	"context"
	"slices"
	"testing"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// A conversation whose newest message has no words carries that message's
// attachments for the list to name; one with words, or whose media message is
// older than a worded one, carries none. Both the page and the single read agree.
func TestSnippetAttachments(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	acc := mustAccount(t, s, "acme-wa", inbox.ChannelWhatsApp)
	photo := inbox.Attachment{Name: "", ContentType: "image/jpeg", Size: 1200, Kind: "image"}
	pdf := inbox.Attachment{Name: "boarding-pass.pdf", ContentType: "application/pdf", Size: 900, Kind: "document"}

	voice := item("v1", "voice", inbox.DirectionIn, 1, "")
	voice.Attachments = []inbox.Attachment{{ContentType: "audio/ogg", Kind: "audio"}}
	captioned := item("p1", "caption", inbox.DirectionIn, 2, "my suitcase arrived broken")
	captioned.Attachments = []inbox.Attachment{photo}
	older := item("d1", "later-words", inbox.DirectionIn, 3, "")
	older.Attachments = []inbox.Attachment{pdf}
	words := item("d2", "later-words", inbox.DirectionIn, 4, "did you get it?")
	docThenWords := item("d3", "words-then-doc", inbox.DirectionIn, 5, "here it is")
	doc := item("d4", "words-then-doc", inbox.DirectionIn, 6, "  ")
	doc.Attachments = []inbox.Attachment{pdf, photo}
	mustSave(t, s, acc.ID, voice, captioned, older, words, docThenWords, doc)

	want := map[string][]inbox.Attachment{
		"voice":          voice.Attachments,
		"caption":        {},
		"later-words":    {},
		"words-then-doc": {pdf, photo},
	}
	page, err := s.Conversations(ctx, InboxQuery{AccountID: acc.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != len(want) {
		t.Fatalf("got %d conversations, want %d", len(page.Items), len(want))
	}
	for _, c := range page.Items {
		w, ok := want[c.ThreadKey]
		if !ok {
			t.Fatalf("unexpected conversation %q", c.ThreadKey)
		}
		one := convByThread(t, s, c.ThreadKey)
		for _, got := range [][]inbox.Attachment{c.SnippetAttachments, one.SnippetAttachments} {
			if got == nil {
				t.Errorf("%s: SnippetAttachments is nil, want a list (sent as [] not null)", c.ThreadKey)
			}
			if !slices.Equal(got, w) {
				t.Errorf("%s: SnippetAttachments = %+v, want %+v (snippet %q)", c.ThreadKey, got, w, c.Snippet)
			}
		}
		if (c.Snippet == "") != (len(w) > 0) {
			t.Errorf("%s: snippet %q with attachments %+v", c.ThreadKey, c.Snippet, w)
		}
	}
}
