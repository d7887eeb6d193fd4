package workspace

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/listening/hn/hnfake"
	"github.com/stormdesk/stormdesk/backend/listening/rss/rssfake"
	"github.com/stormdesk/stormdesk/backend/store"
)

// TestListeningPollsRealSources: the app's own list of sources
// (ListeningKinds) opens real clients from stored settings, and the poller
// brings what the Hacker News and RSS fakes serve into the store: only posts
// the topic's query matches, with tonality, each once however often it polls.
func TestListeningPollsRealSources(t *testing.T) {
	ctx := context.Background()
	ws := openWS(t)
	sec := &memSecrets{m: map[string]string{}}
	recent := time.Now().Add(-30 * time.Minute).UTC().Truncate(time.Second)

	hn := hnfake.New()
	t.Cleanup(hn.Close)
	hn.Add(
		hnfake.Item{ID: 41, Story: true, Author: "dang", Title: "Acme Air cancels every flight out of Boston", URL: "https://status.acme.example", Created: recent, Points: 120, Comments: 45},
		hnfake.Item{ID: 42, Author: "tptacek", Text: "Acme Air lost my bag again, the worst airline I have flown with", Created: recent.Add(time.Minute), StoryID: 41, StoryTitle: "Acme Air cancels every flight out of Boston"},
		hnfake.Item{ID: 43, Author: "pg", Text: "Unrelated: a pizza oven in Rust", Created: recent.Add(2 * time.Minute), StoryID: 40},
	)
	feeds := rssfake.New()
	t.Cleanup(feeds.Close)
	item := func(guid, title string, at time.Time) string {
		return fmt.Sprintf("<item><guid>%s</guid><link>https://news.example/%s</link><title>%s</title><pubDate>%s</pubDate></item>", guid, guid, title, at.Format(time.RFC1123Z))
	}
	feeds.SetFeed("/alerts", rssfake.Feed{Body: `<?xml version="1.0"?><rss version="2.0"><channel><title>Alerts</title><link>https://news.example/</link>` +
		item("acme-review", "Acme Air review: friendly crew, great legroom", recent) +
		item("weather", "Storm warning for the east coast", recent) + `</channel></rss>`})

	for _, in := range []ListeningSourceInput{
		{Kind: listening.SourceHN, Name: "Hacker News", Enabled: true, Settings: fmt.Sprintf(`{"baseUrl": %q}`, hn.URL)},
		{Kind: listening.SourceRSS, Name: "News alerts", Enabled: true, Settings: fmt.Sprintf(`{"url": %q}`, feeds.URL+"/alerts")},
	} {
		if _, err := ws.SaveListeningSource(ctx, in, sec); err != nil {
			t.Fatal(err)
		}
	}
	topic, err := ws.SaveListeningTopic(ctx, store.ListeningTopic{Name: "Acme", Query: `"acme air"`, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	p, err := ws.NewListeningPoller(sec, ws.ListeningKinds(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Later rounds find nothing new: the cursors were stored with the mentions.
	clock := time.Now()
	p.Now = func() time.Time { return clock }
	for range 3 {
		if _, err := p.PollOnce(ctx); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(time.Hour)
	}
	sources, err := ws.Store.ListeningSources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sources {
		if s.ErrorCode != "" {
			t.Fatalf("source %s: error %s", s.Name, s.ErrorCode)
		}
	}
	page, err := ws.Store.ListeningMentions(ctx, store.ListeningFilter{TopicID: topic.ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range page.Mentions {
		got = append(got, m.Source+":"+m.ExternalID)
		if m.Sentiment == "" {
			t.Errorf("mention %s has no tonality", m.ExternalID)
		}
	}
	slices.Sort(got)
	// A bare guid is an id under the feed's address.
	want := []string{"hn:41", "hn:42", "rss:" + feeds.URL + "/alerts#acme-review"}
	if !slices.Equal(got, want) {
		t.Fatalf("stored mentions %v; want %v (the topic's matches, once each)", got, want)
	}
}
