package workspace

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/crisis"
	"github.com/stormdesk/stormdesk/backend/listening/query"
	"github.com/stormdesk/stormdesk/backend/store"
)

// ListeningAnalyticsRequest selects what the Listening part of the analytics
// page shows: the period as in AnalyticsRequest and the topics (none: all).
type ListeningAnalyticsRequest struct {
	Days     int     `json:"days"`
	From     string  `json:"from"`
	To       string  `json:"to"`
	TimeZone string  `json:"timeZone"`
	TopicIDs []int64 `json:"topicIds"`
}

func (r ListeningAnalyticsRequest) period() AnalyticsRequest {
	return AnalyticsRequest{Days: r.Days, From: r.From, To: r.To, TimeZone: r.TimeZone}
}

// TopicShare is a topic's mentions of the period and its share of voice: its
// part of all topics' mentions (a mention two topics matched counts for both).
type TopicShare struct {
	Topic    store.TopicVolume `json:"topic"`
	Share    float64           `json:"share"` // 0 to 1
	Selected bool              `json:"selected"`
}

// ListeningAnalytics is the Listening part of the analytics page.
type ListeningAnalytics struct {
	From     time.Time `json:"from" ts_type:"string"`
	To       time.Time `json:"to" ts_type:"string"` // exclusive
	TimeZone string    `json:"timeZone"`
	// Mentions counts the selected topics' mentions once each.
	Mentions int            `json:"mentions"`
	Days     []DaySentiment `json:"days"`
	// Topics has every topic; BrandShare is the brand topics' part of all
	// topics' mentions (share of voice against the competitor topics).
	Topics     []TopicShare            `json:"topics"`
	BrandShare float64                 `json:"brandShare"`
	Sources    []store.SourceCount     `json:"sources"`
	Authors    []store.AuthorReach     `json:"authors"`
	Engagement store.MentionEngagement `json:"engagement"`
	Terms      []crisis.TermScore      `json:"terms"`
	Phrases    []string                `json:"phrases"`
}

const topAuthorsN = 10

// ListeningAnalytics computes the Listening part of the analytics page as of now.
func (w *Workspace) ListeningAnalytics(ctx context.Context, req ListeningAnalyticsRequest, now time.Time) (ListeningAnalytics, error) {
	f, err := w.analyticsFilter(ctx, req.period(), now)
	if err != nil {
		return ListeningAnalytics{}, err
	}
	lf := store.ListeningStatsFilter{From: f.From, To: f.To, TopicIDs: req.TopicIDs, Loc: f.Loc}
	st, err := w.Store.ListeningStats(ctx, lf, topAuthorsN)
	if err != nil {
		return ListeningAnalytics{}, fmt.Errorf("listening analytics: %w", err)
	}
	out := ListeningAnalytics{From: f.From, To: f.To, TimeZone: f.Loc.String(), Mentions: st.Mentions,
		Sources: st.Sources, Authors: st.Authors, Engagement: st.Engagement}
	out.Days = make([]DaySentiment, len(st.Days))
	for i, d := range st.Days {
		out.Days[i] = DaySentiment(d)
	}
	all, brand := 0, 0
	for _, t := range st.Topics {
		all += t.Mentions
		if t.Kind == store.TopicBrand {
			brand += t.Mentions
		}
	}
	out.Topics = make([]TopicShare, len(st.Topics))
	for i, t := range st.Topics {
		out.Topics[i] = TopicShare{Topic: t, Selected: len(req.TopicIDs) == 0 || slices.Contains(req.TopicIDs, t.ID)}
		if all > 0 {
			out.Topics[i].Share = float64(t.Mentions) / float64(all)
		}
	}
	if all > 0 {
		out.BrandShare = float64(brand) / float64(all)
	}
	if out.Terms, out.Phrases, err = w.listeningTerms(ctx, lf, st.Topics); err != nil {
		return ListeningAnalytics{}, fmt.Errorf("listening analytics: %w", err)
	}
	return out, nil
}

// listeningTerms ranks the words of the selected topics' newest mentions
// against the period's other mentions, as burst alerts explain a spike,
// leaving out the topics' names and the words their queries look for (every
// mention holds them, so they say nothing).
func (w *Workspace) listeningTerms(ctx context.Context, f store.ListeningStatsFilter, topics []store.TopicVolume) ([]crisis.TermScore, []string, error) {
	texts, err := w.Store.ListeningTexts(ctx, f, true, termSampleMax)
	if err != nil {
		return nil, nil, err
	}
	bg, err := w.Store.ListeningTexts(ctx, f, false, termSampleMax)
	if err != nil {
		return nil, nil, err
	}
	stored, err := w.Store.ListeningTopics(ctx)
	if err != nil {
		return nil, nil, err
	}
	var exclude []string
	for _, t := range stored {
		exclude = append(exclude, t.Name)
		if q, err := query.Parse(t.Query); err == nil {
			exclude = append(exclude, q.Terms()...)
		}
	}
	terms, phrases := rankTerms(texts, bg, exclude)
	return terms, phrases, nil
}

// ListeningCSVKinds are the exports ExportListeningCSV knows.
var ListeningCSVKinds = []string{"days", "share", "sources", "authors", "terms"}

// ExportListeningCSV writes one part of the Listening analytics as CSV: days
// (mentions per day by tonality), share (per topic with its share of voice),
// sources, authors (by reach) or terms.
func (w *Workspace) ExportListeningCSV(ctx context.Context, out io.Writer, kind string, req ListeningAnalyticsRequest, now time.Time) error {
	if !slices.Contains(ListeningCSVKinds, kind) {
		return fmt.Errorf("listening export: unknown kind %q (want one of %s)", kind, strings.Join(ListeningCSVKinds, ", "))
	}
	a, err := w.ListeningAnalytics(ctx, req, now)
	if err != nil {
		return err
	}
	itoa, i64 := strconv.Itoa, func(v int64) string { return strconv.FormatInt(v, 10) }
	var rows [][]string
	switch kind {
	case "days":
		rows = sentimentRows(a.Days)
	case "share":
		rows = append(rows, []string{"topic", "kind", "mentions", "negative", "neutral", "positive", "share_pct"})
		for _, ts := range a.Topics {
			t := ts.Topic
			rows = append(rows, []string{t.Name, t.Kind, itoa(t.Mentions), itoa(t.Negative), itoa(t.Neutral), itoa(t.Positive),
				strconv.FormatFloat(100*ts.Share, 'f', 1, 64)})
		}
	case "sources":
		rows = append(rows, []string{"source", "mentions"})
		for _, s := range a.Sources {
			rows = append(rows, []string{s.Source, itoa(s.Mentions)})
		}
	case "authors":
		rows = append(rows, []string{"source", "author", "url", "mentions", "reach"})
		for _, au := range a.Authors {
			rows = append(rows, []string{au.Source, au.Author, au.AuthorURL, itoa(au.Mentions), i64(au.Reach)})
		}
	case "terms":
		rows = append(rows, []string{"kind", "term", "count"})
		for _, t := range a.Terms {
			rows = append(rows, []string{"term", t.Term, itoa(t.Count)})
		}
		for _, p := range a.Phrases {
			rows = append(rows, []string{"phrase", p, ""})
		}
	}
	return writeCSV(out, "listening export "+kind, rows)
}

// SaveListeningCSV writes one export to path as SaveAnalyticsCSV does.
func (w *Workspace) SaveListeningCSV(ctx context.Context, path, kind string, req ListeningAnalyticsRequest, now time.Time) error {
	return saveCSV(path, func(out io.Writer) error { return w.ExportListeningCSV(ctx, out, kind, req, now) })
}

// Engagement is the discussion depth of the brand's own channels in a
// period: the total first, then per channel. The inbox stores no reactions
// (no connector reads them), so replies are the team's messages.
type Engagement struct {
	From     time.Time                 `json:"from" ts_type:"string"`
	To       time.Time                 `json:"to" ts_type:"string"`
	Channels []store.ConversationDepth `json:"channels"`
}

// ConversationEngagement computes Engagement for an analytics request.
func (w *Workspace) ConversationEngagement(ctx context.Context, req AnalyticsRequest, now time.Time) (Engagement, error) {
	f, err := w.analyticsFilter(ctx, req, now)
	if err != nil {
		return Engagement{}, err
	}
	d, err := w.Store.ConversationDepths(ctx, f)
	if err != nil {
		return Engagement{}, fmt.Errorf("engagement: %w", err)
	}
	return Engagement{From: f.From, To: f.To, Channels: d}, nil
}
