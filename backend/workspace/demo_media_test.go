package workspace

import (
	"bytes"
	"context"
	"errors"
	"sort"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

// The seeded demo lists, on each Meta channel, the conversations whose newest
// message is a voice note or a document without words with those attachments
// (the list names them), and saving a demo attachment says it is not
// available rather than trying a platform. Both engines.
func TestDemoMediaInTheListAndUnavailable(t *testing.T) {
	ctx := context.Background()
	ws := openAtDSN(t, sharedDSN(t))
	if _, err := ws.SeedDemoIfEmpty(ctx, time.Now(), "me"); err != nil {
		t.Fatal(err)
	}
	for _, ch := range []inbox.ChannelKind{inbox.ChannelFacebook, inbox.ChannelInstagram, inbox.ChannelWhatsApp} {
		var kinds []string
		var media []inbox.Conversation
		q := store.InboxQuery{Channel: ch, Limit: 500}
		for {
			p, err := ws.Store.Conversations(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range p.Items {
				if (c.Snippet == "") != (len(c.SnippetAttachments) > 0) {
					t.Errorf("%s conversation %d: snippet %q with attachments %+v", ch, c.ID, c.Snippet, c.SnippetAttachments)
				}
				for _, a := range c.SnippetAttachments {
					kinds = append(kinds, a.Kind)
					media = append(media, c)
				}
			}
			if p.Next == "" {
				break
			}
			q.Cursor = p.Next
		}
		sort.Strings(kinds)
		if len(kinds) != 2 || kinds[0] != "audio" || kinds[1] != "document" {
			t.Fatalf("%s: listed attachments of wordless newest messages %v, want audio and document", ch, kinds)
		}
		_, msgs, err := ws.Thread(ctx, media[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		m := msgs[len(msgs)-1]
		if len(m.Attachments) != 1 || m.Text != "" {
			t.Fatalf("%s: newest message %+v", ch, m)
		}
		_, _, err = ws.FetchAttachment(ctx, &memSecrets{m: map[string]string{}}, m.ID, 0, &bytes.Buffer{})
		if !errors.Is(err, channels.ErrMediaUnavailable) || apperr.Classify(err).Code != apperr.CodeMediaUnavailable {
			t.Errorf("%s: saving a demo attachment: %v, want media-unavailable", ch, err)
		}
	}
}
