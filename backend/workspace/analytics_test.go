package workspace

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// demoWorkspace opens a workspace seeded with the demo data as of now.
func demoWorkspace(t *testing.T, now time.Time) *Workspace {
	t.Helper()
	ctx := context.Background()
	ws, err := Open(ctx, filepath.Join(t.TempDir(), "ws.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	ws.Store.SetClock(func() time.Time { return now })
	if _, err := ws.SeedDemoIfEmpty(ctx, now, "Ann"); err != nil {
		t.Fatal(err)
	}
	return ws
}

func TestAnalyticsOnDemoData(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 11, 15, 0, 0, 0, time.UTC)
	ws := demoWorkspace(t, now)
	req := AnalyticsRequest{Days: 30, TimeZone: "Europe/Berlin"}
	a, err := ws.Analytics(ctx, req, now)
	if err != nil {
		t.Fatal(err)
	}
	if a.Inbound == 0 || a.HeatmapMax == 0 || a.Total.Conversations == 0 {
		t.Fatalf("no activity in the demo data: inbound %d, max %d, conversations %d", a.Inbound, a.HeatmapMax, a.Total.Conversations)
	}
	if want := time.Date(2026, 3, 12, 0, 0, 0, 0, time.FixedZone("CET", 3600)); !a.To.Equal(want) || !a.From.Equal(want.AddDate(0, 0, -30)) {
		t.Errorf("range %s to %s, want the 30 days up to %s", a.From, a.To, want)
	}
	if len(a.Heatmap) != 7 || len(a.Sentiment) != 30 || a.Sentiment[29].Day != "2026-03-11" {
		t.Fatalf("heatmap %d rows, %d days ending %+v", len(a.Heatmap), len(a.Sentiment), a.Sentiment[len(a.Sentiment)-1])
	}
	cells, days := 0, 0
	for _, row := range a.Heatmap {
		for _, n := range row {
			cells += n
		}
	}
	for _, d := range a.Sentiment {
		days += d.Negative + d.Neutral + d.Positive + d.Unscored
	}
	if cells != a.Inbound || days != a.Inbound {
		t.Errorf("heatmap sums to %d, days to %d, inbound is %d", cells, days, a.Inbound)
	}
	chConvs := 0
	for _, r := range a.ByChannel {
		chConvs += r.Conversations
	}
	if chConvs != a.Total.Conversations || a.Total.Breached+a.Total.WithinSLA != a.Total.WithSLA {
		t.Errorf("channels %d of %d conversations; total %+v", chConvs, a.Total.Conversations, a.Total)
	}
	// Every conversation has one agent (or "(none)"): the agents partition the whole too.
	agentConvs := 0
	for _, r := range a.ByAgent {
		if r.Dimension != "agent" || r.Key == "" {
			t.Errorf("agent row %+v", r)
		}
		agentConvs += r.Conversations
	}
	if len(a.ByAgent) < 2 || agentConvs != a.Total.Conversations {
		t.Errorf("%d agents with %d of %d conversations", len(a.ByAgent), agentConvs, a.Total.Conversations)
	}
	if len(a.TopTags) == 0 {
		t.Error("no top tags in the demo data")
	}

	// The accounts partition the whole.
	accounts, err := ws.Store.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, acc := range accounts {
		one, err := ws.Analytics(ctx, AnalyticsRequest{Days: 30, TimeZone: "Europe/Berlin", AccountID: acc.ID}, now)
		if err != nil {
			t.Fatal(err)
		}
		sum += one.Inbound
	}
	if sum != a.Inbound {
		t.Errorf("accounts sum to %d inbound messages, all accounts %d", sum, a.Inbound)
	}

	// The heatmap export carries the same counts.
	var buf bytes.Buffer
	if err := ws.ExportAnalyticsCSV(ctx, &buf, "heatmap", req, now); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+7*24 || strings.Join(recs[0], ",") != "weekday,hour,messages" {
		t.Fatalf("heatmap csv: %d records, header %v", len(recs), recs[0])
	}
	exported := 0
	for _, r := range recs[1:] {
		n, _ := strconv.Atoi(r[2])
		exported += n
	}
	if exported != a.Inbound {
		t.Errorf("heatmap csv sums to %d, want %d", exported, a.Inbound)
	}
	for _, kind := range AnalyticsCSVKinds {
		buf.Reset()
		if err := ws.ExportAnalyticsCSV(ctx, &buf, kind, req, now); err != nil {
			t.Errorf("%s: %v", kind, err)
			continue
		}
		if lines := strings.Count(buf.String(), "\n"); lines < 2 {
			t.Errorf("%s csv has %d lines:\n%s", kind, lines, buf.String())
		}
	}
}

func TestAnalyticsRejectsBadRequests(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 11, 15, 0, 0, 0, time.UTC)
	ws := demoWorkspace(t, now)
	tests := []struct {
		name string
		kind string
		req  AnalyticsRequest
		want string
	}{
		{"no days", "heatmap", AnalyticsRequest{Days: 0}, "1 to 366 days"},
		{"too many days", "heatmap", AnalyticsRequest{Days: 400}, "1 to 366 days"},
		{"unknown zone", "heatmap", AnalyticsRequest{Days: 7, TimeZone: "Mars/Olympus"}, `"Mars/Olympus" is not a known time zone`},
		{"unknown account", "heatmap", AnalyticsRequest{Days: 7, AccountID: 9999}, "no account 9999"},
		{"unknown kind", "pie", AnalyticsRequest{Days: 7}, `unknown kind "pie"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := ws.ExportAnalyticsCSV(ctx, &buf, tt.kind, tt.req, now)
			if err == nil || !strings.Contains(err.Error(), tt.want) || buf.Len() != 0 {
				t.Errorf("err %v, output %q; want an error with %q and no output", err, buf.String(), tt.want)
			}
			if tt.kind == "heatmap" {
				if _, err := ws.Analytics(ctx, tt.req, now); err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("Analytics err %v, want %q", err, tt.want)
				}
			}
		})
	}
}

// TestAnalyticsOverACustomRangeOfImportedHistory imports February 2015 and
// reads it back: the span says where the data is, a custom range over it
// counts every message, a range outside it counts none, bad ranges are
// refused, and the words of negative messages leave out the brand and stop
// words and come by count.
func TestAnalyticsOverACustomRangeOfImportedHistory(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	ws := openWS(t)
	acc := inbox.Account{Channel: inbox.ChannelImport, Name: "acme-import", Brand: "Acme Air", Handle: "@AcmeAir"}
	items, _ := pastItems("an-")
	if _, err := ws.Pipeline.Ingest(ctx, acc, items); err != nil {
		t.Fatal(err)
	}
	span, err := ws.AnalyticsSpan(ctx, 0, "Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	if span != (DataSpan{First: "2015-02-17", Last: "2015-02-21"}) {
		t.Errorf("span %+v, want 2015-02-17 to 2015-02-21 in Berlin", span)
	}
	if a, err := ws.Analytics(ctx, AnalyticsRequest{Days: 90, TimeZone: "Europe/Berlin"}, now); err != nil || a.Inbound != 0 {
		t.Fatalf("the last 90 days hold %d messages (err %v), want none", a.Inbound, err)
	}
	a, err := ws.Analytics(ctx, AnalyticsRequest{From: span.First, To: span.Last, TimeZone: "Europe/Berlin"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if a.Inbound != len(items) || len(a.Sentiment) != 5 || a.Sentiment[0].Day != "2015-02-17" || a.Sentiment[4].Day != "2015-02-21" {
		t.Fatalf("custom range: %d inbound (want %d), days %+v", a.Inbound, len(items), a.Sentiment)
	}
	neg := 0
	for _, d := range a.Sentiment {
		neg += d.Negative
	}
	if want := 4*96/3 + 40; neg != want {
		t.Errorf("%d negatives over the range, want %d", neg, want)
	}
	if len(a.NegativeTerms) == 0 {
		t.Fatal("no words in negative messages")
	}
	for i, term := range a.NegativeTerms {
		if term.Term == "acme" || term.Term == "air" || term.Term == "acmeair" || term.Term == "the" || term.Term == "was" {
			t.Errorf("negative terms %v hold the brand or a stop word", a.NegativeTerms)
		}
		if i > 0 && term.Count > a.NegativeTerms[i-1].Count {
			t.Errorf("negative terms %v are not by count", a.NegativeTerms)
		}
	}
	// The window's save dialog writes the export where the user chose.
	path := filepath.Join(t.TempDir(), "sentiment.csv")
	if err := ws.SaveAnalyticsCSV(ctx, path, "sentiment", AnalyticsRequest{From: span.First, To: span.Last, TimeZone: "Europe/Berlin"}, now); err != nil {
		t.Fatal(err)
	}
	saved, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(saved, []byte("\ufeff")))).ReadAll()
	if !bytes.HasPrefix(saved, []byte("\ufeff")) || err != nil || len(rows) != 6 || rows[1][0] != "2015-02-17" {
		t.Errorf("saved export: BOM %v, %d rows (err %v), want a header and 5 days from 2015-02-17", bytes.HasPrefix(saved, []byte("\ufeff")), len(rows), err)
	}
	if err := ws.SaveAnalyticsCSV(ctx, filepath.Join(t.TempDir(), "none", "x.csv"), "sentiment", AnalyticsRequest{Days: 7}, now); err == nil {
		t.Error("an export into a missing folder did not fail")
	}

	one, err := ws.Analytics(ctx, AnalyticsRequest{From: "2015-02-20", To: "2015-02-20", TimeZone: "UTC"}, now)
	if err != nil || one.Inbound != 2*96+40 {
		t.Errorf("one day: %d inbound (err %v), want %d", one.Inbound, err, 2*96+40)
	}
	for _, bad := range []AnalyticsRequest{{From: "2015-02-21", To: "2015-02-17"}, {From: "2014-01-01", To: "2015-02-17"}, {From: "17.02.2015", To: "2015-02-20"}} {
		if _, err := ws.Analytics(ctx, bad, now); err == nil {
			t.Errorf("range %s to %s was accepted", bad.From, bad.To)
		}
	}
}
