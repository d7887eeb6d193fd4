package store

import (
	"context"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// TestSnoozeFilterKeepsThePagePlan: leaving snoozed conversations out of a
// page is a primary-key lookup in the snooze table per index entry; no range
// visits the conversations table or scans the snoozes.
func TestSnoozeFilterKeepsThePagePlan(t *testing.T) {
	sqliteOnly(t, "reads SQLite's EXPLAIN QUERY PLAN")
	ctx := context.Background()
	s := openTest(t)
	triageFixture(t, s, 3)
	none := ""
	for _, q := range []InboxQuery{
		{Status: inbox.StatusOpen},
		{},
		{Tag: "vip", Order: OrderSLA},
		{Assignee: &none, Sentiment: inbox.SentimentNegative},
	} {
		spec, _ := specOf(q.Order)
		var accounts []int64
		query, args := pageQuery(dialect{}, spec, q, accounts, nil, 50, ms(testNow))
		rows, err := s.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		text := strings.Join(plan, "\n")
		if !strings.Contains(text, "SEARCH z USING INTEGER PRIMARY KEY") {
			t.Errorf("%+v: the snooze check is not a primary-key lookup:\n%s", q, text)
		}
		for _, bad := range []string{"SCAN z", "SCAN conversations\n", "SCAN c\n"} {
			if strings.Contains(text+"\n", bad) {
				t.Errorf("%+v: plan has %q:\n%s", q, strings.TrimSpace(bad), text)
			}
		}
	}
}
