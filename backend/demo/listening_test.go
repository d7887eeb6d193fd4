package demo

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/listening/query"
)

// TestListeningDemo: every demo mention matches its topic's query as the
// poller would match it, the brand's come from at least four sources in
// three languages with every tonality, and the data is deterministic.
func TestListeningDemo(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	topics := Listening(now, 1)
	if len(topics) != 2 || topics[0].Kind != "brand" || topics[1].Kind != "competitor" {
		t.Fatalf("topics = %d, want the brand and a competitor", len(topics))
	}
	for _, tp := range topics {
		q, err := query.Parse(tp.Query)
		if err != nil {
			t.Fatalf("topic %s: %v", tp.Name, err)
		}
		sources, langs, tones := map[string]bool{}, map[string]bool{}, map[inbox.Sentiment]bool{}
		ids := map[string]bool{}
		for _, m := range tp.Mentions {
			if !q.Match(query.Doc{Text: m.Text, Title: m.Title, Lang: m.Lang, Source: m.Source}) {
				t.Fatalf("topic %s: %q does not match its query %s", tp.Name, m.Text, tp.Query)
			}
			if m.Published.After(now) || m.Published.Before(now.Add(-Span)) || m.URL == "" || ids[m.Source+m.ExternalID] {
				t.Fatalf("topic %s: mention %+v out of span, without a link or repeated", tp.Name, m.Mention)
			}
			ids[m.Source+m.ExternalID] = true
			if err := answerableAsTheSource(m.Mention); err != nil {
				t.Fatalf("topic %s: %v", tp.Name, err)
			}
			sources[m.Source], langs[m.Lang], tones[m.Sentiment] = true, true, true
		}
		if len(sources) < 4 || len(langs) != 3 || len(tones) != 3 {
			t.Fatalf("topic %s: %d mentions from %v in %v with %v", tp.Name, len(tp.Mentions), sources, langs, tones)
		}
	}
	if len(topics[0].Mentions) <= len(topics[1].Mentions) {
		t.Fatal("the competitor has as many mentions as the brand")
	}
	if !reflect.DeepEqual(topics, Listening(now, 1)) {
		t.Fatal("the same seed gave other mentions")
	}
}

// answerableAsTheSource checks a demo mention's reply reference against the
// form the real source gives on each platform, so the demo's mentions can be
// turned into conversations and answered by the channel's connector.
func answerableAsTheSource(m listening.Mention) error {
	want := map[string]struct {
		channel inbox.ChannelKind
		thread  string // the thread key's form: prefix + the answered id
	}{
		listening.SourceMastodon: {inbox.ChannelMastodon, "status:"},
		listening.SourceBluesky:  {inbox.ChannelBluesky, "post:"},
		listening.SourceReddit:   {inbox.ChannelReddit, "link:"},
	}
	w, ok := want[m.Source]
	if !ok {
		return nil
	}
	r := m.ReplyTo
	switch {
	case r == nil:
		return fmt.Errorf("%s mention %s cannot be answered", m.Source, m.ExternalID)
	case r.Channel != w.channel || r.ThreadKey != w.thread+m.ExternalID || r.InReplyTo != m.ExternalID:
		return fmt.Errorf("%s mention %s answers %+v", m.Source, m.ExternalID, *r)
	case m.Source == listening.SourceBluesky && !strings.HasPrefix(m.ExternalID, "at://did:"):
		return fmt.Errorf("bluesky mention id %s is no at:// URI", m.ExternalID)
	case m.Source == listening.SourceReddit && !strings.HasPrefix(m.ExternalID, "t3_"):
		return fmt.Errorf("reddit mention id %s is no post fullname", m.ExternalID)
	}
	return nil
}
