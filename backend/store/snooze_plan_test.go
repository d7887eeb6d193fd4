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
		text := sqlitePlan(t, s, query, args...)
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

// sqlitePlan returns the details of SQLite's EXPLAIN QUERY PLAN of query, a
// line each.
func sqlitePlan(t *testing.T, s *Store, query string, args ...any) string {
	t.Helper()
	rows, err := s.db.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatalf("explain %s: %v", query, err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "\n")
}
