package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/sla"
)

// AnalyticsFilter selects the messages and conversations the analytics cover:
// [From, To), optionally one account. Loc is the zone of the weekday, hour, day
// and ISO-week buckets (nil means UTC).
type AnalyticsFilter struct {
	From, To  time.Time
	AccountID int64 // 0: every account
	Loc       *time.Location
}

func (f AnalyticsFilter) check(what string) (*time.Location, error) {
	if !f.From.Before(f.To) {
		return nil, fmt.Errorf("store: %s: the period %s to %s is empty", what, f.From.Format(time.RFC3339), f.To.Format(time.RFC3339))
	}
	if f.Loc == nil {
		return time.UTC, nil
	}
	return f.Loc, nil
}

// Activity is the inbound traffic of a period: a weekday × hour heatmap and
// per-day counts by sentiment, both in the filter's zone.
type Activity struct {
	// Heatmap[d][h] counts inbound messages sent on weekday d (0 = Monday) at hour h.
	Heatmap [7][24]int
	// Days lists every local day of the period in order, empty days included.
	Days []DaySentiment
	// Inbound is the number of inbound messages in the period.
	Inbound int
}

// DaySentiment counts one local day's inbound messages by sentiment label.
type DaySentiment struct {
	Day      string // YYYY-MM-DD in the filter's zone
	Negative int
	Neutral  int
	Positive int
	Unscored int
}

// bucketMS is the width of the buckets SQL counts in. Every zone's UTC offset is a
// multiple of 15 minutes (India +5:30, Nepal +5:45), so a bucket never straddles a
// local hour boundary; Go folds buckets into local hours and days, which gets DST
// right without SQLite knowing about zones.
const bucketMS = 15 * 60 * 1000

// InboundActivity counts the inbound messages of the period per 15-minute bucket
// and sentiment in one aggregate query, and folds the buckets into local weekday ×
// hour cells and days. The rows returned are at most 4 × 24 × 3 per day, however
// many messages there are.
func (s *Store) InboundActivity(ctx context.Context, f AnalyticsFilter) (Activity, error) {
	loc, err := f.check("inbound activity")
	if err != nil {
		return Activity{}, err
	}
	where, args := analyticsWhere(f)
	rows, err := s.db.QueryContext(ctx, `
		SELECT m.sent_at / ?, m.sentiment, count(*) FROM messages m
		WHERE m.direction = 'in' AND `+where+`
		GROUP BY 1, 2`, append([]any{bucketMS}, args...)...)
	if err != nil {
		return Activity{}, fmt.Errorf("store: inbound activity: %w", err)
	}
	defer rows.Close()
	var out Activity
	dayIdx := map[string]int{}
	for d := f.From.In(loc); d.Before(f.To); d = nextDay(d) {
		key := d.Format(time.DateOnly)
		if _, ok := dayIdx[key]; !ok {
			dayIdx[key] = len(out.Days)
			out.Days = append(out.Days, DaySentiment{Day: key})
		}
	}
	for rows.Next() {
		var bucket int64
		var sent inbox.Sentiment
		var n int
		if err := rows.Scan(&bucket, &sent, &n); err != nil {
			return Activity{}, fmt.Errorf("store: inbound activity: %w", err)
		}
		t := time.UnixMilli(bucket * bucketMS).In(loc)
		out.Heatmap[(int(t.Weekday())+6)%7][t.Hour()] += n
		out.Inbound += n
		i, ok := dayIdx[t.Format(time.DateOnly)]
		if !ok { // a bucket starting before From in local time; From lies inside it
			i = 0
		}
		out.Days[i].add(sent, n)
	}
	if err := rows.Err(); err != nil {
		return Activity{}, fmt.Errorf("store: inbound activity: %w", err)
	}
	return out, nil
}

// nextDay returns local midnight of the day after t's day. AddDate on a date keeps
// days whole across DST changes, where adding 24h would not.
func nextDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, t.Location())
}

// analyticsWhere selects messages (alias m) of the filter's period and account.
func analyticsWhere(f AnalyticsFilter) (string, []any) {
	where := "m.sent_at >= ? AND m.sent_at < ?"
	args := []any{ms(f.From), ms(f.To)}
	if f.AccountID != 0 {
		where += " AND m.account_id = ?"
		args = append(args, f.AccountID)
	}
	return where, args
}

// TopTags returns the n tags on most conversations that had a customer message in
// the period, most frequent first, ties by name.
func (s *Store) TopTags(ctx context.Context, f AnalyticsFilter, n int) ([]TagCount, error) {
	if _, err := f.check("top tags"); err != nil {
		return nil, err
	}
	where, args := convWhere(f)
	rows, err := s.db.QueryContext(ctx, `
		SELECT t.tag, count(*) AS n FROM conversation_tags t JOIN conversations c ON c.id = t.conversation_id
		WHERE `+where+`
		GROUP BY t.tag ORDER BY n DESC, t.tag LIMIT ?`, append(args, n)...)
	if err != nil {
		return nil, fmt.Errorf("store: top tags: %w", err)
	}
	defer rows.Close()
	var out []TagCount
	for rows.Next() {
		var tc TagCount
		if err := rows.Scan(&tc.Tag, &tc.Count); err != nil {
			return nil, fmt.Errorf("store: top tags: %w", err)
		}
		out = append(out, tc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: top tags: %w", err)
	}
	return out, nil
}

// convWhere selects conversations (alias c) with a customer message that may lie
// in the period: the first inbound message is in [first_message_at, last_in_at].
func convWhere(f AnalyticsFilter) (string, []any) {
	where := "c.first_message_at < ? AND c.last_in_at >= ?"
	args := []any{ms(f.To), ms(f.From)}
	if f.AccountID != 0 {
		where += " AND c.account_id = ?"
		args = append(args, f.AccountID)
	}
	return where, args
}

// InboundTexts returns the texts of up to limit inbound messages of the period,
// newest first: the negative ones, or with negative false all the others (the
// background term extraction compares them with).
func (s *Store) InboundTexts(ctx context.Context, f AnalyticsFilter, negative bool, limit int) ([]string, error) {
	if _, err := f.check("inbound texts"); err != nil {
		return nil, err
	}
	where, args := analyticsWhere(f)
	op := "="
	if !negative {
		op = "<>"
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT m.text FROM messages m
		WHERE m.direction = 'in' AND m.sentiment `+op+` 'negative' AND `+where+`
		ORDER BY m.sent_at DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: inbound texts: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, fmt.Errorf("store: inbound texts: %w", err)
		}
		if strings.TrimSpace(t) != "" {
			out = append(out, t)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: inbound texts: %w", err)
	}
	return out, nil
}

// SLAReportFor is SLAReport with an account filter and warnings: it evaluates the
// conversations opened (first customer message) in the period under the saved
// policies, judges those still open at the current time, and marks near misses
// (sla.Engine.Warned). Weeks are ISO weeks of the filter's zone.
func (s *Store) SLAReportFor(ctx context.Context, f AnalyticsFilter) (sla.Report, error) {
	loc, err := f.check("SLA report")
	if err != nil {
		return sla.Report{}, err
	}
	where, args := convWhere(f)
	convs, err := loadSLA(ctx, s.d, s.db, where, args, true)
	if err != nil {
		return sla.Report{}, fmt.Errorf("store: SLA report: %w", err)
	}
	eng, now := s.engine(), s.now()
	inputs := make([]sla.ReportInput, 0, len(convs))
	for _, c := range convs {
		res := eng.Evaluate(c.conv, now)
		inputs = append(inputs, sla.ReportInput{ConversationID: c.id, Channel: c.conv.Channel,
			Agent: strings.TrimSpace(c.assignee), Result: res, Warned: eng.Warned(res)})
	}
	return sla.BuildReport(inputs, f.From.In(loc), f.To.In(loc)), nil
}

// InboundSpan returns when the first and the last inbound message of one
// account (0: every account) were sent; ok is false when there are none. The
// analytics page opens on this span when the data is older than its default
// period (imported history).
func (s *Store) InboundSpan(ctx context.Context, accountID int64) (first, last time.Time, ok bool, err error) {
	q := `SELECT min(sent_at), max(sent_at) FROM messages WHERE direction = 'in'`
	var args []any
	if accountID != 0 {
		// The (account_id, external_id) index keeps this to the account's rows.
		q += ` AND account_id = ?`
		args = append(args, accountID)
	}
	var lo, hi sql.NullInt64
	if err := s.db.QueryRowContext(ctx, q, args...).Scan(&lo, &hi); err != nil {
		return time.Time{}, time.Time{}, false, fmt.Errorf("store: inbound span: %w", err)
	}
	if !lo.Valid || !hi.Valid {
		return time.Time{}, time.Time{}, false, nil
	}
	return fromMS(lo.Int64), fromMS(hi.Int64), true, nil
}
