package store

import (
	"strings"
	"testing"
	"time"
)

// TestRecomputeSLADueUsesTheFlipIndex: the minute's sweep finds its
// conversations through conversations_sla_flip, not by reading every open
// conversation, which is what it exists to avoid.
func TestRecomputeSLADueUsesTheFlipIndex(t *testing.T) {
	sqliteOnly(t, "reads SQLite's EXPLAIN QUERY PLAN (PostgreSQL's choice depends on its statistics; docs/benchmarks.md)")
	s := openTest(t)
	triageFixture(t, s, 3)
	where, args := s.dueWhere(time.Now())
	query := loadSLASQL(s.d, where+` AND `+dueID+` > ? ORDER BY `+dueID+` LIMIT ?`, false)
	if plan := sqlitePlan(t, s, query, append(args, 0, 4096)...); !strings.Contains(plan, "SEARCH c USING INDEX conversations_sla_flip") {
		t.Errorf("the due sweep does not read conversations_sla_flip:\n%s", plan)
	}
}
