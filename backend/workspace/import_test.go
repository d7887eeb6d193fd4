package workspace

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels/fileimport"
	"github.com/stormdesk/stormdesk/backend/store"
)

// TestImportSummarisesAndSkipsBadRows: the window's import and the command
// line share this path; its summary counts what was stored, what was
// already there and which line was skipped and why, and progress ends at
// the rows read.
func TestImportSummarisesAndSkipsBadRows(t *testing.T) {
	ws := openWS(t)
	ctx := context.Background()
	now := time.Now()
	recent := now.Add(-time.Hour).UTC().Format(time.RFC3339)
	csv := "id,text,time,direction\n" +
		"a1,Where is my parcel?," + recent + ",in\n" +
		"a2,It is on its way.," + recent + ",out\n" +
		"a3,wrong,field,count,here\n" +
		",no id," + recent + ",in\n"
	opts := func(progress func(int)) ImportOptions {
		return ImportOptions{Name: "shop.csv", Now: now, Progress: progress,
			Mapping: fileimport.Mapping{ID: "id", Text: "text", Time: "time", Direction: "direction"}}
	}
	var last int
	res, err := ws.Import(ctx, strings.NewReader(csv), opts(func(n int) { last = n }))
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 4 || res.Imported != 2 || res.Duplicates != 0 || res.Skipped != 2 || len(res.SkippedRows) != 2 {
		t.Fatalf("first import %+v", res)
	}
	if res.SkippedRows[0].Line != 4 || res.SkippedRows[1].Line != 5 {
		t.Errorf("skipped rows %+v, want lines 4 and 5", res.SkippedRows)
	}
	if last != 4 {
		t.Errorf("last progress %d rows, want 4", last)
	}
	again, err := ws.Import(ctx, strings.NewReader(csv), opts(nil))
	if err != nil {
		t.Fatal(err)
	}
	if again.Imported != 0 || again.Duplicates != 2 {
		t.Errorf("second import %+v, want the two rows as duplicates", again)
	}
	if again.Warnings == nil || again.SkippedRows == nil {
		t.Error("lists must be empty, not nil, for the window")
	}
}

// TestImportHistoricalStartsNoClock: the form's historical option is the
// command line's --historical: a recent row gets no SLA clock.
func TestImportHistoricalStartsNoClock(t *testing.T) {
	ws := openWS(t)
	ctx := context.Background()
	now := time.Now()
	row := func(id string) string {
		return "id,text,time\n" + id + ",hello," + now.Add(-time.Hour).UTC().Format(time.RFC3339) + "\n"
	}
	for _, c := range []struct {
		name       string
		historical bool
		want       string
	}{{"live", false, "ok"}, {"past", true, "historical"}} {
		_, err := ws.Import(ctx, strings.NewReader(row(c.name)), ImportOptions{Name: c.name + ".csv", Now: now, Historical: c.historical,
			Mapping: fileimport.Mapping{ID: "id", Text: "text", Time: "time"}})
		if err != nil {
			t.Fatal(err)
		}
	}
	page, err := ws.Store.Conversations(ctx, store.InboxQuery{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, c := range page.Items {
		states[c.ThreadKey] = c.SLAState
	}
	if states["past"] != "historical" || states["live"] == "historical" || states["live"] == "" {
		t.Errorf("SLA states by thread %v: want past historical and live on a clock", states)
	}
}

// TestImportUnreadableFileIsCoded: a file without the mapped columns is an
// error the window words (import-unreadable), naming the columns it has.
func TestImportUnreadableFileIsCoded(t *testing.T) {
	ws := openWS(t)
	_, err := ws.Import(context.Background(), strings.NewReader("tweet_id,body\n1,hi\n"),
		ImportOptions{Name: "tweets.csv", Mapping: fileimport.Mapping{ID: "id", Text: "text"}})
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.CodeImportUnreadable || ae.Params["file"] != "tweets.csv" {
		t.Fatalf("err %v, want import-unreadable for tweets.csv", err)
	}
	if !strings.Contains(err.Error(), `"tweet_id"`) {
		t.Errorf("detail %q does not list the file's columns", err)
	}
	if _, err := ws.Import(context.Background(), strings.NewReader(""), ImportOptions{Name: "x.txt", Format: "xml"}); apperr.Classify(err).Code != apperr.CodeInvalidInput {
		t.Errorf("unknown format: %v, want invalid-input", err)
	}
}

// TestAnalyticsOnImportedHistory: imported history runs no clock, yet
// Analytics counts its conversations and, where the file marks replies
// (direction out), their first response times; SLA counts stay empty.
func TestAnalyticsOnImportedHistory(t *testing.T) {
	ws := openWS(t)
	ctx := context.Background()
	csv := "id,thread,time,direction,text\n" +
		"t1,a,2015-02-24 10:00:00,in,my bag is lost\n" +
		"t2,a,2015-02-24 10:30:00,out,sorry - we are on it\n" +
		"t3,b,2015-02-24 11:00:00,in,flight delayed again\n" +
		"t4,b,2015-02-24 12:30:00,out,we apologise for the delay\n" +
		"t5,c,2015-02-25 09:00:00,in,nobody answered this one\n"
	_, err := ws.Import(ctx, strings.NewReader(csv), ImportOptions{Name: "airline.csv", Now: time.Now(),
		Mapping: fileimport.Mapping{ID: "id", Text: "text", Time: "time", Thread: "thread", Direction: "direction"}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := ws.Analytics(ctx, AnalyticsRequest{From: "2015-02-20", To: "2015-02-28"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tot := a.Total
	if tot.Conversations != 3 || tot.FirstResponseCount != 2 {
		t.Fatalf("total %+v: want 3 conversations, 2 with a first response", tot)
	}
	if tot.FirstResponseP50 < 30*60 || tot.FirstResponseP90 < tot.FirstResponseP50 || tot.FirstResponseP90 > 90*60 {
		t.Errorf("first response p50 %ds p90 %ds: want between the 30 and 90 minutes of the file", tot.FirstResponseP50, tot.FirstResponseP90)
	}
	if tot.WithSLA != 0 || tot.Breached != 0 {
		t.Errorf("history counted against SLA targets: %+v", tot)
	}
}
