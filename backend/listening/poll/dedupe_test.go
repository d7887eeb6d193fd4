package poll

import (
	"context"
	"testing"

	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/store"
)

// TestPollDedupeAcrossSourcesAndDeletes: the same link from Reddit and
// Hacker News, and a cross-post with near-identical text on Bluesky, are one
// mention with three sources; another Bluesky post stays its own; a
// source's deletion removes only its own sighting; after a restart the
// store's recent mentions are recognised too. (Sources are polled in
// the order of their names; the fixture names them in the order given.)
func TestPollDedupeAcrossSourcesAndDeletes(t *testing.T) {
	text := "Acme raises prices again for every plan, customers are leaving in droves"
	r1 := post("reddit", "t3_x", text)
	r1.URL = "https://www.blog.example/acme-prices/?utm_source=reddit"
	h1 := post("hn", "77", "Acme raises prices (blog.example)")
	h1.URL = "https://blog.example/acme-prices"
	b1 := post("bluesky", "at://did/app.bsky.feed.post/1", text+"!")
	b1.URL = "https://bsky.app/profile/did/post/1"
	b2 := post("bluesky", "at://did/app.bsky.feed.post/2", "Acme support answered within minutes today, well done")
	b2.URL = "https://bsky.app/profile/did/post/2"
	reddit := &scripted{name: listening.SourceReddit, pages: map[string]listening.Page{"": {Mentions: []listening.Mention{r1}, Cursor: "r"}}}
	hn := &scripted{name: listening.SourceHN, pages: map[string]listening.Page{"": {Mentions: []listening.Mention{h1}, Cursor: "h"}}}
	bsky := &scripted{name: listening.SourceBluesky, pages: map[string]listening.Page{"": {Mentions: []listening.Mention{b1, b2}, Cursor: "b"}}}
	f := newFixture(t, "acme", reddit, hn, bsky)
	f.poll(t)
	ms := f.mentions(t)
	if len(ms) != 2 {
		for _, m := range ms {
			t.Logf("%s/%s sources %+v", m.Source, m.ExternalID, m.Sources)
		}
		t.Fatalf("%d mentions, want the cross-posted one and the other bluesky post", len(ms))
	}
	var merged store.ListeningMention
	for _, m := range ms {
		if len(m.Sources) > len(merged.Sources) {
			merged = m
		}
	}
	if len(merged.Sources) != 3 {
		t.Fatalf("merged mention sources = %+v, want reddit, hn and bluesky", merged.Sources)
	}

	// Reddit removes its post: the mention stays with its other sources.
	reddit.pages["r"] = listening.Page{Deleted: []string{"t3_x"}, Cursor: "r2"}
	f.now = f.now.Add(DefaultEvery)
	if r := f.poll(t); r.Deleted != 0 {
		t.Fatalf("round = %+v: a mention still on two sources was deleted", r)
	}
	m, err := f.st.ListeningMention(context.Background(), merged.ID)
	if err != nil || len(m.Sources) != 2 {
		t.Fatalf("after reddit's deletion: %+v, %v", m.Sources, err)
	}

	// After a restart the index is seeded from the store: another cross-post
	// of the same text still joins the mention.
	f.p.dups = nil
	b3 := post("bluesky", "at://did/app.bsky.feed.post/3", text+" #acme")
	bsky.pages["b"] = listening.Page{Mentions: []listening.Mention{b3}, Cursor: "b2"}
	f.now = f.now.Add(DefaultEvery)
	f.poll(t)
	if m, err = f.st.ListeningMention(context.Background(), merged.ID); err != nil || len(m.Sources) != 3 {
		t.Fatalf("a cross-post after a restart: sources %+v, %v", m.Sources, err)
	}
}
