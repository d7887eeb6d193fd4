package workspace

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/store"
)

// bananaFeed answers every Search with one new mention, "acme banana banana".
type bananaFeed struct{ n *int }

func (bananaFeed) Name() string { return listening.SourceRSS }
func (f bananaFeed) Search(context.Context, listening.Request) (listening.Page, error) {
	*f.n++
	return listening.Page{Mentions: []listening.Mention{{Source: listening.SourceRSS, ExternalID: fmt.Sprint("b", *f.n),
		URL: fmt.Sprintf("https://feed.example/%d", *f.n), Text: "acme banana banana " + fmt.Sprint(*f.n), Lang: "en",
		Published: time.Now().Add(-time.Minute), Replies: -1, Reactions: -1}}}, nil
}

// A model imported by another process (the CLI's `sentiment import`, which
// opens the same database) scores the running app's next listening poll,
// without a restart; the inbox's pipeline takes it up too.
func TestListeningPollerPicksUpImportedModel(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ws.db")
	app, err := Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Close() })
	sec := &memSecrets{m: map[string]string{}}
	if _, err := app.SaveListeningSource(ctx, ListeningSourceInput{Kind: listening.SourceRSS, Name: "feed", Enabled: true,
		Settings: `{"url":"https://feed.example/rss"}`}, sec); err != nil {
		t.Fatal(err)
	}
	if _, err := app.SaveListeningTopic(ctx, store.ListeningTopic{Name: "Acme", Query: "acme", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	n := 0
	kinds := map[string]ListeningKind{listening.SourceRSS: {Open: func(string, json.RawMessage, map[string]string) (listening.Source, error) {
		return bananaFeed{&n}, nil
	}}}
	p, err := app.NewListeningPoller(sec, kinds, nil)
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Now()
	poll := func() inbox.Sentiment {
		t.Helper()
		clock = clock.Add(time.Hour) // past the source's next poll
		p.Now = func() time.Time { return clock }
		if _, err := p.PollOnce(ctx); err != nil {
			t.Fatal(err)
		}
		page, err := app.Store.ListeningMentions(ctx, store.ListeningFilter{}, "")
		if err != nil || len(page.Mentions) != n {
			t.Fatalf("after poll %d: %d mentions, %v", n, len(page.Mentions), err)
		}
		for _, m := range page.Mentions {
			if m.ExternalID == fmt.Sprint("b", n) {
				return m.Sentiment
			}
		}
		t.Fatalf("mention b%d not stored", n)
		return ""
	}
	if got := poll(); got == inbox.SentimentNegative {
		t.Fatal("precondition: the shipped model already calls banana negative")
	}

	cli, err := Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cli.ImportSentimentModel(ctx, bytes.NewReader(researchLike(t))); err != nil {
		t.Fatal(err)
	}
	cli.Close()

	if got := poll(); got != inbox.SentimentNegative {
		t.Fatalf("the next poll after an import elsewhere scored %q, want the imported model's negative", got)
	}
	if got := app.Pipeline.Scorer().Score("banana banana").Label; got != inbox.SentimentNegative {
		t.Errorf("the inbox pipeline still scores with the old model: %s", got)
	}
	// Reset elsewhere: back to the shipped model on the next poll.
	cli, err = Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cli.ResetSentimentModel(ctx); err != nil {
		t.Fatal(err)
	}
	cli.Close()
	if got := poll(); got == inbox.SentimentNegative {
		t.Error("a reset elsewhere was not picked up")
	}
}
