package workspace

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/crisis"
	"github.com/stormdesk/stormdesk/backend/csvsafe"
	"github.com/stormdesk/stormdesk/backend/sla"
	"github.com/stormdesk/stormdesk/backend/store"
)

// AnalyticsRequest selects what the analytics page shows: the last Days local days
// (today included), or the local days From to To (both included) when they are
// given, of one account or all, bucketed in TimeZone.
type AnalyticsRequest struct {
	Days      int    `json:"days"`      // 1 to 366; unused with From and To
	From      string `json:"from"`      // YYYY-MM-DD, first day of a custom range
	To        string `json:"to"`        // YYYY-MM-DD, last day of a custom range (included)
	AccountID int64  `json:"accountId"` // 0: every account
	TimeZone  string `json:"timeZone"`  // IANA name; empty means UTC
}

// maxAnalyticsDays bounds a period, so one request stays a bounded amount of work.
const maxAnalyticsDays = 366

// Analytics is everything the analytics page shows for one request.
type Analytics struct {
	From     time.Time `json:"from" ts_type:"string"`
	To       time.Time `json:"to" ts_type:"string"` // exclusive: local midnight after today
	TimeZone string    `json:"timeZone"`
	// Heatmap[d][h] counts inbound messages on weekday d (0 = Monday) at local hour h.
	Heatmap    [][]int        `json:"heatmap"`
	HeatmapMax int            `json:"heatmapMax"`
	Inbound    int            `json:"inbound"`
	Sentiment  []DaySentiment `json:"sentiment"`
	// Total, ByChannel, ByAgent and ByWeek are the SLA report of the conversations
	// opened in the period.
	Total     ResponseRow   `json:"total"`
	ByChannel []ResponseRow `json:"byChannel"`
	ByAgent   []ResponseRow `json:"byAgent"`
	ByWeek    []ResponseRow `json:"byWeek"`
	// Breaches counts missed targets (a conversation can miss several).
	Breaches        int                `json:"breaches"`
	TopTags         []store.TagCount   `json:"topTags"`
	NegativeTerms   []crisis.TermScore `json:"negativeTerms"`
	NegativePhrases []string           `json:"negativePhrases"`
}

// DaySentiment counts one local day's inbound messages by sentiment.
type DaySentiment struct {
	Day      string `json:"day"` // YYYY-MM-DD
	Negative int    `json:"negative"`
	Neutral  int    `json:"neutral"`
	Positive int    `json:"positive"`
	Unscored int    `json:"unscored"`
}

// ResponseRow is one group of the SLA report with durations in whole seconds.
type ResponseRow struct {
	Dimension          string  `json:"dimension"` // "all", "channel", "agent" or "week"
	Key                string  `json:"key"`
	Conversations      int     `json:"conversations"`
	FirstResponseCount int     `json:"firstResponseCount"`
	FirstResponseP50   int64   `json:"firstResponseP50"`
	FirstResponseP90   int64   `json:"firstResponseP90"`
	ResolutionCount    int     `json:"resolutionCount"`
	ResolutionP50      int64   `json:"resolutionP50"`
	ResolutionP90      int64   `json:"resolutionP90"`
	WithSLA            int     `json:"withSla"`
	WithinSLA          int     `json:"withinSla"`
	WithinPct          float64 `json:"withinPct"`
	Breached           int     `json:"breached"`
	Warnings           int     `json:"warnings"`
}

func responseRow(g sla.Group) ResponseRow {
	s := func(d time.Duration) int64 { return int64(d / time.Second) }
	return ResponseRow{Dimension: g.Dimension, Key: g.Key, Conversations: g.Conversations,
		FirstResponseCount: g.FirstResponse.Count, FirstResponseP50: s(g.FirstResponse.P50), FirstResponseP90: s(g.FirstResponse.P90),
		ResolutionCount: g.Resolution.Count, ResolutionP50: s(g.Resolution.P50), ResolutionP90: s(g.Resolution.P90),
		WithSLA: g.WithSLA, WithinSLA: g.WithinSLA, WithinPct: g.WithinPct(), Breached: g.Breached(), Warnings: g.Warnings}
}

func responseRows(gs []sla.Group) []ResponseRow {
	out := make([]ResponseRow, 0, len(gs))
	for _, g := range gs {
		out = append(out, responseRow(g))
	}
	return out
}

// Sizes of the topic lists and of the samples the negative terms are drawn from.
const (
	topTagsN      = 10
	topTermsN     = 15
	topPhrasesN   = 8
	termSampleMax = 2000
)

// analyticsFilter checks a request and resolves it against now.
func (w *Workspace) analyticsFilter(ctx context.Context, req AnalyticsRequest, now time.Time) (store.AnalyticsFilter, error) {
	custom := req.From != "" || req.To != ""
	if !custom && (req.Days < 1 || req.Days > maxAnalyticsDays) {
		return store.AnalyticsFilter{}, fmt.Errorf("analytics: the range must be 1 to %d days, not %d", maxAnalyticsDays, req.Days)
	}
	loc, err := analyticsZone(req.TimeZone)
	if err != nil {
		return store.AnalyticsFilter{}, err
	}
	if err := w.checkAnalyticsAccount(ctx, req.AccountID); err != nil {
		return store.AnalyticsFilter{}, err
	}
	if custom {
		from, err := localDay(req.From, loc)
		if err != nil {
			return store.AnalyticsFilter{}, fmt.Errorf("analytics: first day: %w", err)
		}
		last, err := localDay(req.To, loc)
		if err != nil {
			return store.AnalyticsFilter{}, fmt.Errorf("analytics: last day: %w", err)
		}
		if last.Before(from) {
			return store.AnalyticsFilter{}, fmt.Errorf("analytics: the last day %s is before the first day %s", req.To, req.From)
		}
		to := last.AddDate(0, 0, 1)
		if to.After(from.AddDate(0, 0, maxAnalyticsDays)) {
			return store.AnalyticsFilter{}, fmt.Errorf("analytics: %s to %s is longer than %d days", req.From, req.To, maxAnalyticsDays)
		}
		return store.AnalyticsFilter{From: from, To: to, AccountID: req.AccountID, Loc: loc}, nil
	}
	y, m, d := now.In(loc).Date()
	to := time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	return store.AnalyticsFilter{From: to.AddDate(0, 0, -req.Days), To: to, AccountID: req.AccountID, Loc: loc}, nil
}

// localDay is local midnight of a YYYY-MM-DD date in loc.
func localDay(s string, loc *time.Location) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD)", s)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc), nil
}

// analyticsZone loads an IANA zone; empty means UTC.
func analyticsZone(tz string) (*time.Location, error) {
	name := strings.TrimSpace(tz)
	if name == "" {
		name = "UTC"
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		return nil, fmt.Errorf("analytics: %q is not a known time zone (want an IANA name such as Europe/Berlin)", tz)
	}
	return loc, nil
}

// checkAnalyticsAccount fails for an account id (0: every account) that does not exist.
func (w *Workspace) checkAnalyticsAccount(ctx context.Context, accountID int64) error {
	if accountID != 0 {
		accounts, err := w.Store.Accounts(ctx)
		if err != nil {
			return fmt.Errorf("analytics: %w", err)
		}
		found := false
		for _, a := range accounts {
			found = found || a.ID == accountID
		}
		if !found {
			return fmt.Errorf("analytics: there is no account %d", accountID)
		}
	}
	return nil
}

// DataSpan is the local days an account's (or every account's) inbound
// messages cover: First and Last as YYYY-MM-DD, both empty when there are none.
type DataSpan struct {
	First string `json:"first"`
	Last  string `json:"last"`
}

// AnalyticsSpan returns the days the inbound data of one account (0: all)
// covers in a time zone, so the page can open on imported history.
func (w *Workspace) AnalyticsSpan(ctx context.Context, accountID int64, timeZone string) (DataSpan, error) {
	loc, err := analyticsZone(timeZone)
	if err != nil {
		return DataSpan{}, err
	}
	if err := w.checkAnalyticsAccount(ctx, accountID); err != nil {
		return DataSpan{}, err
	}
	first, last, ok, err := w.Store.InboundSpan(ctx, accountID)
	if err != nil {
		return DataSpan{}, fmt.Errorf("analytics: %w", err)
	}
	if !ok {
		return DataSpan{}, nil
	}
	return DataSpan{First: first.In(loc).Format(time.DateOnly), Last: last.In(loc).Format(time.DateOnly)}, nil
}

// Analytics computes the analytics page for req as of now.
func (w *Workspace) Analytics(ctx context.Context, req AnalyticsRequest, now time.Time) (Analytics, error) {
	f, err := w.analyticsFilter(ctx, req, now)
	if err != nil {
		return Analytics{}, err
	}
	out := Analytics{From: f.From, To: f.To, TimeZone: f.Loc.String()}
	// The SLA report is the slowest part (it replays every conversation); it runs
	// on its own read connection beside the aggregate queries.
	var rep sla.Report
	var repErr error
	repDone := make(chan struct{})
	go func() {
		defer close(repDone)
		rep, repErr = w.Store.SLAReportFor(ctx, f)
	}()
	defer func() { <-repDone }()
	act, err := w.Store.InboundActivity(ctx, f)
	if err != nil {
		return Analytics{}, fmt.Errorf("analytics: %w", err)
	}
	out.Inbound = act.Inbound
	out.Heatmap = make([][]int, 7)
	for d := range act.Heatmap {
		out.Heatmap[d] = act.Heatmap[d][:]
		for _, n := range act.Heatmap[d] {
			out.HeatmapMax = max(out.HeatmapMax, n)
		}
	}
	out.Sentiment = make([]DaySentiment, len(act.Days))
	for i, d := range act.Days {
		out.Sentiment[i] = DaySentiment(d)
	}
	if out.TopTags, err = w.Store.TopTags(ctx, f, topTagsN); err != nil {
		return Analytics{}, fmt.Errorf("analytics: %w", err)
	}
	if out.TopTags == nil {
		out.TopTags = []store.TagCount{}
	}
	if out.NegativeTerms, out.NegativePhrases, err = w.negativeTerms(ctx, f); err != nil {
		return Analytics{}, fmt.Errorf("analytics: %w", err)
	}
	<-repDone
	if repErr != nil {
		return Analytics{}, fmt.Errorf("analytics: %w", repErr)
	}
	out.Total = responseRow(rep.Total)
	out.ByChannel, out.ByAgent, out.ByWeek = responseRows(rep.ByChannel), responseRows(rep.ByAgent), responseRows(rep.ByWeek)
	out.Breaches = len(rep.Breaches)
	return out, nil
}

// negativeTerms ranks the words of the newest negative messages against the
// other inbound messages of the period, as burst alerts explain a spike.
func (w *Workspace) negativeTerms(ctx context.Context, f store.AnalyticsFilter) ([]crisis.TermScore, []string, error) {
	neg, err := w.Store.InboundTexts(ctx, f, true, termSampleMax)
	if err != nil {
		return nil, nil, err
	}
	bg, err := w.Store.InboundTexts(ctx, f, false, termSampleMax)
	if err != nil {
		return nil, nil, err
	}
	var names []string
	accs, err := w.Store.Accounts(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, a := range accs {
		names = append(names, ownNames(a)...)
	}
	terms, phrases := rankTerms(neg, bg, names)
	return terms, phrases, nil
}

// rankTerms picks with the log-odds ranking the words that set texts apart
// from background; the page lists them by how many texts hold them, as its
// counts say.
func rankTerms(texts, background, exclude []string) ([]crisis.TermScore, []string) {
	terms, phrases := crisis.TopTerms(texts, background, topTermsN, topPhrasesN, exclude)
	if terms == nil {
		terms = []crisis.TermScore{}
	}
	slices.SortStableFunc(terms, func(a, b crisis.TermScore) int { return b.Count - a.Count })
	if phrases == nil {
		phrases = []string{}
	}
	return terms, phrases
}

// AnalyticsCSVKinds are the exports ExportAnalyticsCSV knows.
var AnalyticsCSVKinds = []string{"heatmap", "response-times", "sentiment", "topics", "sla", "breaches"}

var weekdayNames = [7]string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// ExportAnalyticsCSV writes one part of the analytics page as CSV: heatmap
// (weekday, hour, messages), response-times (p50/p90 in seconds per channel and
// ISO week), sentiment (per day), topics (tags, negative terms and phrases), sla
// (the full SLA report, agents included) or breaches.
func (w *Workspace) ExportAnalyticsCSV(ctx context.Context, out io.Writer, kind string, req AnalyticsRequest, now time.Time) error {
	known := false
	for _, k := range AnalyticsCSVKinds {
		known = known || k == kind
	}
	if !known {
		return fmt.Errorf("analytics export: unknown kind %q (want one of %s)", kind, strings.Join(AnalyticsCSVKinds, ", "))
	}
	f, err := w.analyticsFilter(ctx, req, now)
	if err != nil {
		return err
	}
	switch kind {
	case "sla", "breaches":
		rep, err := w.Store.SLAReportFor(ctx, f)
		if err != nil {
			return fmt.Errorf("analytics export: %w", err)
		}
		if kind == "sla" {
			return sla.WriteCSV(out, rep)
		}
		return sla.WriteBreachesCSV(out, rep)
	}
	a, err := w.Analytics(ctx, req, now)
	if err != nil {
		return err
	}
	var rows [][]string
	itoa := strconv.Itoa
	switch kind {
	case "heatmap":
		rows = append(rows, []string{"weekday", "hour", "messages"})
		for d, hours := range a.Heatmap {
			for h, n := range hours {
				rows = append(rows, []string{weekdayNames[d], itoa(h), itoa(n)})
			}
		}
	case "response-times":
		rows = append(rows, []string{"dimension", "key", "conversations", "first_response_count", "first_response_p50_s",
			"first_response_p90_s", "resolution_count", "resolution_p50_s", "resolution_p90_s", "within_sla_pct", "breached", "warnings"})
		all := slices.Concat([]ResponseRow{a.Total}, a.ByChannel, a.ByAgent, a.ByWeek)
		for _, r := range all {
			i64 := func(v int64) string { return strconv.FormatInt(v, 10) }
			rows = append(rows, []string{r.Dimension, r.Key, itoa(r.Conversations), itoa(r.FirstResponseCount),
				i64(r.FirstResponseP50), i64(r.FirstResponseP90), itoa(r.ResolutionCount), i64(r.ResolutionP50),
				i64(r.ResolutionP90), strconv.FormatFloat(r.WithinPct, 'f', 1, 64), itoa(r.Breached), itoa(r.Warnings)})
		}
	case "sentiment":
		rows = sentimentRows(a.Sentiment)
	case "topics":
		rows = append(rows, []string{"kind", "term", "count"})
		for _, t := range a.TopTags {
			rows = append(rows, []string{"tag", t.Tag, itoa(t.Count)})
		}
		for _, t := range a.NegativeTerms {
			rows = append(rows, []string{"negative-term", t.Term, itoa(t.Count)})
		}
		for _, p := range a.NegativePhrases {
			rows = append(rows, []string{"negative-phrase", p, ""})
		}
	}
	return writeCSV(out, "analytics export "+kind, rows)
}

// sentimentRows is the CSV of per-day counts by tonality.
func sentimentRows(days []DaySentiment) [][]string {
	itoa := strconv.Itoa
	rows := [][]string{{"day", "negative", "neutral", "positive", "unscored"}}
	for _, d := range days {
		rows = append(rows, []string{d.Day, itoa(d.Negative), itoa(d.Neutral), itoa(d.Positive), itoa(d.Unscored)})
	}
	return rows
}

// writeCSV writes rows with every cell kept from running as a spreadsheet
// formula (csvsafe): names and terms come from customers and the web.
func writeCSV(out io.Writer, what string, rows [][]string) error {
	for _, r := range rows {
		csvsafe.Row(r)
	}
	if err := csv.NewWriter(out).WriteAll(rows); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// SaveAnalyticsCSV writes one export to path as UTF-8 with a BOM (so
// spreadsheet programs read Cyrillic and umlauts), through a temporary file
// in the same folder, so a failed export never leaves half a file behind.
func (w *Workspace) SaveAnalyticsCSV(ctx context.Context, path, kind string, req AnalyticsRequest, now time.Time) error {
	return saveCSV(path, func(out io.Writer) error { return w.ExportAnalyticsCSV(ctx, out, kind, req, now) })
}

// saveCSV writes what export writes to path (see SaveAnalyticsCSV).
func saveCSV(path string, export func(io.Writer) error) error {
	var b bytes.Buffer
	b.WriteString("\ufeff")
	if err := export(&b); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".stormdesk-export-*")
	if err != nil {
		return fmt.Errorf("analytics export: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("analytics export to %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("analytics export to %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("analytics export to %s: %w", path, err)
	}
	return nil
}
