package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// ListeningStatsFilter selects the mentions listening analytics cover: those
// published in [From, To) matched by one of TopicIDs (empty: any topic). Loc
// is the zone of the day buckets (nil means UTC).
type ListeningStatsFilter struct {
	From, To time.Time
	TopicIDs []int64
	Loc      *time.Location
}

func (f ListeningStatsFilter) check(what string) (*time.Location, error) {
	return AnalyticsFilter{From: f.From, To: f.To, Loc: f.Loc}.check(what)
}

// selected is a subquery of the ids of the filter's mentions. It reads the
// topic rows, which carry the mention's published time, so a period seeks
// the topics' index instead of every mention.
func (f ListeningStatsFilter) selected() (string, []any) {
	q := "SELECT mt.mention_id FROM listening_mention_topics mt WHERE mt.published >= ? AND mt.published < ?"
	args := []any{ms(f.From), ms(f.To)}
	if len(f.TopicIDs) > 0 {
		q += " AND mt.topic_id IN (" + placeholders(len(f.TopicIDs)) + ")"
		args = append(args, toAny(f.TopicIDs)...)
	}
	return q, args
}

// ListeningStats is what the analytics page shows about the mentions of a
// period. A mention matched by two selected topics counts once, except in
// Topics, which counts per topic.
type ListeningStats struct {
	// Days lists every local day of the period in order, empty days included.
	Days     []DaySentiment
	Mentions int
	// Topics has every topic (selected or not) with its mentions of the
	// period: share of voice compares brand topics with competitor topics.
	Topics  []TopicVolume
	Sources []SourceCount
	Authors []AuthorReach
	// Engagement sums reactions and replies over the mentions whose source
	// reports them (-1 in the store: not reported).
	Engagement MentionEngagement
}

// TopicVolume is one topic's mentions of a period by tonality.
type TopicVolume struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Mentions int    `json:"mentions"`
	Negative int    `json:"negative"`
	Neutral  int    `json:"neutral"`
	Positive int    `json:"positive"`
}

// SourceCount is how many mentions were seen on a source; a mention seen on
// two sources counts for both.
type SourceCount struct {
	Source   string `json:"source"`
	Mentions int    `json:"mentions"`
}

// AuthorReach is one author's mentions and the widest reach any of them had.
type AuthorReach struct {
	Source    string `json:"source"`
	Author    string `json:"author"`
	AuthorURL string `json:"authorUrl"`
	Mentions  int    `json:"mentions"`
	Reach     int64  `json:"reach"`
}

// MentionEngagement sums what sources report about the mentions' reactions
// and replies. Reporting counts the mentions whose source reports either.
type MentionEngagement struct {
	Reporting int   `json:"reporting"`
	Reactions int64 `json:"reactions"`
	Replies   int64 `json:"replies"`
}

// ListeningStats counts the filter's mentions per local day and tonality,
// per topic, per source, per author (the topAuthors widest reaching) and their
// engagement. The whole hours of the period are read from the rollups
// (listening_rollup.go); the part of an hour at either end, and an hour a
// half-hour zone's midnight cuts in two, from the mentions. The answer is the
// one listeningStatsRaw computes from the mentions alone.
func (s *Store) ListeningStats(ctx context.Context, f ListeningStatsFilter, topAuthors int) (ListeningStats, error) {
	loc, err := f.check("listening stats")
	if err != nil {
		return ListeningStats{}, err
	}
	h0, h1 := (ms(f.From)+hourMS-1)/hourMS, ms(f.To)/hourMS
	if h0 >= h1 {
		return s.listeningStatsRaw(ctx, f, topAuthors)
	}
	acc, err := s.newStatsAcc(ctx, f, loc)
	if err != nil {
		return ListeningStats{}, err
	}
	var edges []ListeningStatsFilter
	if ms(f.From) < h0*hourMS {
		edges = append(edges, f.during(f.From, time.UnixMilli(h0*hourMS)))
	}
	if h1*hourMS < ms(f.To) {
		edges = append(edges, f.during(time.UnixMilli(h1*hourMS), f.To))
	}
	for _, e := range edges {
		if err := s.rawStats(ctx, e, acc); err != nil {
			return ListeningStats{}, err
		}
	}
	if err := s.rolledStats(ctx, f, h0, h1, acc); err != nil {
		return ListeningStats{}, err
	}
	// Top authors: the rollup's rows of the whole hours and the ends'
	// mentions, grouped together, so the ranking sees each author's sums.
	sel := rollupSets(f)
	q := `SELECT r.source, r.author, r.url, r.mentions, r.reach FROM listening_rollup_authors r
		WHERE r.hour >= ? AND r.hour < ?` + sel.where
	args := append([]any{h0, h1}, sel.args...)
	for _, e := range edges {
		esel, eargs := e.selected()
		q += ` UNION ALL SELECT m.source, m.author, m.author_url, 1, m.reach FROM listening_mentions m
			WHERE m.id IN (` + esel + `) AND m.author <> ''`
		args = append(args, eargs...)
	}
	if err := s.topAuthors(ctx, acc.out, `SELECT source, author, max(url), sum(mentions) AS n, max(reach) AS reach FROM (`+q+`) a
		GROUP BY source, author ORDER BY reach DESC, n DESC, author, source LIMIT ?`, append(args, topAuthors)); err != nil {
		return ListeningStats{}, err
	}
	return acc.done(), nil
}

// during is the filter over [from, to).
func (f ListeningStatsFilter) during(from, to time.Time) ListeningStatsFilter {
	f.From, f.To = from, to
	return f
}

// setSelection narrows rollup rows r to the filter's topics' sets.
type setSelection struct {
	where string
	args  []any
}

func rollupSets(f ListeningStatsFilter) setSelection {
	if len(f.TopicIDs) == 0 {
		return setSelection{}
	}
	return setSelection{
		where: ` AND r.set_id IN (SELECT set_id FROM listening_topic_set_members WHERE topic_id IN (` + placeholders(len(f.TopicIDs)) + `))`,
		args:  toAny(f.TopicIDs),
	}
}

// statsAcc sums the parts of a period's analytics.
type statsAcc struct {
	out     *ListeningStats
	loc     *time.Location
	dayIdx  map[string]int
	topics  map[int64]int // index in out.Topics
	sources map[string]int
}

func (s *Store) newStatsAcc(ctx context.Context, f ListeningStatsFilter, loc *time.Location) (*statsAcc, error) {
	out := &ListeningStats{Days: periodDays(f.From, f.To, loc), Topics: []TopicVolume{}, Sources: []SourceCount{}, Authors: []AuthorReach{}}
	acc := &statsAcc{out: out, loc: loc, dayIdx: make(map[string]int, len(out.Days)), topics: map[int64]int{}, sources: map[string]int{}}
	for i, d := range out.Days {
		acc.dayIdx[d.Day] = i
	}
	err := s.each(ctx, func(scan func(...any) error) error {
		var t TopicVolume
		if err := scan(&t.ID, &t.Name, &t.Kind); err != nil {
			return err
		}
		acc.topics[t.ID] = len(out.Topics)
		out.Topics = append(out.Topics, t)
		return nil
	}, `SELECT id, name, kind FROM listening_topics ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: listening stats: topics: %w", err)
	}
	return acc, nil
}

// day adds n mentions of a tonality to the local day of the time t (ms).
func (a *statsAcc) day(t int64, sent inbox.Sentiment, n int) {
	i, ok := a.dayIdx[time.UnixMilli(t).In(a.loc).Format(time.DateOnly)]
	if !ok { // a bucket starting before From in local time; From lies inside it
		i = 0
	}
	a.out.Days[i].add(sent, n)
	a.out.Mentions += n
}

func (a *statsAcc) topic(id int64, sent inbox.Sentiment, n int) {
	i, ok := a.topics[id]
	if !ok {
		return
	}
	t := &a.out.Topics[i]
	t.Mentions += n
	if c := tonalityCounter(sent, &t.Negative, &t.Neutral, &t.Positive); c != nil {
		*c += n
	}
}

// scanSource adds a row of (source, mentions).
func (a *statsAcc) scanSource(scan func(...any) error) error {
	var src string
	var n int
	if err := scan(&src, &n); err != nil {
		return err
	}
	a.sources[src] += n
	return nil
}

// scanEngagement adds a row of (reporting, reactions, replies).
func (a *statsAcc) scanEngagement(scan func(...any) error) error {
	var e MentionEngagement
	if err := scan(&e.Reporting, &e.Reactions, &e.Replies); err != nil {
		return err
	}
	a.out.Engagement.Reporting += e.Reporting
	a.out.Engagement.Reactions += e.Reactions
	a.out.Engagement.Replies += e.Replies
	return nil
}

// done orders the sources as SQL did: most mentions first, then by name.
func (a *statsAcc) done() ListeningStats {
	for src, n := range a.sources {
		a.out.Sources = append(a.out.Sources, SourceCount{Source: src, Mentions: n})
	}
	slices.SortFunc(a.out.Sources, func(x, y SourceCount) int {
		if x.Mentions != y.Mentions {
			return y.Mentions - x.Mentions
		}
		return strings.Compare(x.Source, y.Source)
	})
	return *a.out
}

// rolledStats adds the rollups' counts of the whole hours [h0, h1).
func (s *Store) rolledStats(ctx context.Context, f ListeningStatsFilter, h0, h1 int64, acc *statsAcc) error {
	fail := func(part string, err error) error {
		return fmt.Errorf("store: listening stats: rollup %s: %w", part, err)
	}
	sel := rollupSets(f)
	args := append([]any{h0, h1}, sel.args...)
	// An hour cut by a local midnight is counted from its mentions, in the
	// quarter hours SQL buckets them in, as the raw path does.
	cut := map[int64]bool{}
	for h := h0; h < h1; h++ {
		first := time.UnixMilli(h * hourMS).In(acc.loc)
		last := time.UnixMilli((h+1)*hourMS - 1).In(acc.loc)
		if first.YearDay() != last.YearDay() {
			cut[h] = true
		}
	}
	err := s.each(ctx, func(scan func(...any) error) error {
		var hour int64
		var sent inbox.Sentiment
		var n int
		if err := scan(&hour, &sent, &n); err != nil {
			return err
		}
		if !cut[hour] {
			acc.day(hour*hourMS, sent, n)
		}
		return nil
	}, `SELECT r.hour, r.sentiment, CAST(sum(r.mentions) AS BIGINT) FROM listening_rollup r
		WHERE r.hour >= ? AND r.hour < ?`+sel.where+` GROUP BY r.hour, r.sentiment`, args...)
	if err != nil {
		return fail("days", err)
	}
	for h := range cut {
		if err := s.rawDays(ctx, f.during(time.UnixMilli(h*hourMS), time.UnixMilli((h+1)*hourMS)), acc); err != nil {
			return err
		}
	}
	err = s.each(ctx, func(scan func(...any) error) error {
		var id int64
		var sent inbox.Sentiment
		var n int
		if err := scan(&id, &sent, &n); err != nil {
			return err
		}
		acc.topic(id, sent, n)
		return nil
	}, `SELECT mb.topic_id, r.sentiment, CAST(sum(r.mentions) AS BIGINT) FROM listening_rollup r
		JOIN listening_topic_set_members mb ON mb.set_id = r.set_id
		WHERE r.hour >= ? AND r.hour < ? GROUP BY mb.topic_id, r.sentiment`, h0, h1)
	if err != nil {
		return fail("topics", err)
	}
	err = s.each(ctx, acc.scanSource, `SELECT r.source, CAST(sum(r.mentions) AS BIGINT) FROM listening_rollup_sources r
		WHERE r.hour >= ? AND r.hour < ?`+sel.where+` GROUP BY r.source`, args...)
	if err != nil {
		return fail("sources", err)
	}
	err = s.each(ctx, acc.scanEngagement, `SELECT CAST(coalesce(sum(r.reporting), 0) AS BIGINT), CAST(coalesce(sum(r.reactions), 0) AS BIGINT),
			CAST(coalesce(sum(r.replies), 0) AS BIGINT)
		FROM listening_rollup r WHERE r.hour >= ? AND r.hour < ?`+sel.where, args...)
	if err != nil {
		return fail("engagement", err)
	}
	return nil
}

// listeningStatsRaw computes ListeningStats from the mentions themselves,
// as before the rollups: the ends of a period use it, and the tests compare
// the rollups' answers with it.
func (s *Store) listeningStatsRaw(ctx context.Context, f ListeningStatsFilter, topAuthors int) (ListeningStats, error) {
	loc, err := f.check("listening stats")
	if err != nil {
		return ListeningStats{}, err
	}
	acc, err := s.newStatsAcc(ctx, f, loc)
	if err != nil {
		return ListeningStats{}, err
	}
	if err := s.rawStats(ctx, f, acc); err != nil {
		return ListeningStats{}, err
	}
	sel, selArgs := f.selected()
	if err := s.topAuthors(ctx, acc.out, `SELECT m.source, m.author, max(m.author_url), count(*) AS n, max(m.reach) AS reach FROM listening_mentions m
		WHERE m.id IN (`+sel+`) AND m.author <> ''
		GROUP BY m.source, m.author ORDER BY reach DESC, n DESC, m.author, m.source LIMIT ?`, append(selArgs, topAuthors)); err != nil {
		return ListeningStats{}, err
	}
	return acc.done(), nil
}

func (s *Store) topAuthors(ctx context.Context, out *ListeningStats, q string, args []any) error {
	err := s.each(ctx, func(scan func(...any) error) error {
		var a AuthorReach
		if err := scan(&a.Source, &a.Author, &a.AuthorURL, &a.Mentions, &a.Reach); err != nil {
			return err
		}
		out.Authors = append(out.Authors, a)
		return nil
	}, q, args...)
	if err != nil {
		return fmt.Errorf("store: listening stats: authors: %w", err)
	}
	return nil
}

// rawDays adds the filter's mentions per quarter hour and tonality.
func (s *Store) rawDays(ctx context.Context, f ListeningStatsFilter, acc *statsAcc) error {
	sel, selArgs := f.selected()
	err := s.each(ctx, func(scan func(...any) error) error {
		var bucket int64
		var sent inbox.Sentiment
		var n int
		if err := scan(&bucket, &sent, &n); err != nil {
			return err
		}
		acc.day(bucket*bucketMS, sent, n)
		return nil
	}, `SELECT m.published / ?, m.sentiment, count(*) FROM listening_mentions m WHERE m.id IN (`+sel+`) GROUP BY 1, 2`,
		append([]any{bucketMS}, selArgs...)...)
	if err != nil {
		return fmt.Errorf("store: listening stats: days: %w", err)
	}
	return nil
}

// rawStats adds the filter's mentions' days, topics, sources and
// engagement, counted from the mentions: every query aggregates in SQL.
func (s *Store) rawStats(ctx context.Context, f ListeningStatsFilter, acc *statsAcc) error {
	fail := func(part string, err error) error {
		return fmt.Errorf("store: listening stats: %s: %w", part, err)
	}
	if err := s.rawDays(ctx, f, acc); err != nil {
		return err
	}
	sel, selArgs := f.selected()
	err := s.each(ctx, func(scan func(...any) error) error {
		var id int64
		var n, neg, neu, pos int
		if err := scan(&id, &n, &neg, &neu, &pos); err != nil {
			return err
		}
		if i, ok := acc.topics[id]; ok {
			t := &acc.out.Topics[i]
			t.Mentions, t.Negative, t.Neutral, t.Positive = t.Mentions+n, t.Negative+neg, t.Neutral+neu, t.Positive+pos
		}
		return nil
	}, `SELECT mt.topic_id, count(*),
			CAST(coalesce(sum(CASE WHEN mt.sentiment = 'negative' THEN 1 ELSE 0 END), 0) AS BIGINT),
			CAST(coalesce(sum(CASE WHEN mt.sentiment = 'neutral' THEN 1 ELSE 0 END), 0) AS BIGINT),
			CAST(coalesce(sum(CASE WHEN mt.sentiment = 'positive' THEN 1 ELSE 0 END), 0) AS BIGINT)
		FROM listening_mention_topics mt WHERE mt.published >= ? AND mt.published < ?
		GROUP BY mt.topic_id`, ms(f.From), ms(f.To))
	if err != nil {
		return fail("topics", err)
	}
	err = s.each(ctx, acc.scanSource, `SELECT s.source, count(DISTINCT s.mention_id) FROM listening_mention_sources s
		WHERE s.mention_id IN (`+sel+`) GROUP BY s.source`, selArgs...)
	if err != nil {
		return fail("sources", err)
	}
	err = s.each(ctx, acc.scanEngagement, `SELECT CAST(coalesce(sum(CASE WHEN m.reactions >= 0 OR m.replies >= 0 THEN 1 ELSE 0 END), 0) AS BIGINT),
			CAST(coalesce(sum(CASE WHEN m.reactions > 0 THEN m.reactions ELSE 0 END), 0) AS BIGINT),
			CAST(coalesce(sum(CASE WHEN m.replies > 0 THEN m.replies ELSE 0 END), 0) AS BIGINT)
		FROM listening_mentions m WHERE m.id IN (`+sel+`)`, selArgs...)
	if err != nil {
		return fail("engagement", err)
	}
	return nil
}

// ListeningTexts returns the title and text of up to limit mentions of the
// period, newest first: of the filter's topics (inside), or of the period's
// other mentions (the background top terms are ranked against).
//
// Both reads are bounded, not proportional to the period's mentions (an
// `IN`/`NOT IN` of every topic row of the period took seconds at 1M):
// inside merges each selected topic's newest limit rows (exact: the newest
// limit of the union are among them; with no topic selected, the newest
// mentions any topic holds). The background looks only at the period's
// newest textsWindow×limit mentions, a capped recent window: where fewer of
// those are outside the topics, it returns fewer texts than exist.
func (s *Store) ListeningTexts(ctx context.Context, f ListeningStatsFilter, inside bool, limit int) ([]string, error) {
	if _, err := f.check("listening texts"); err != nil {
		return nil, err
	}
	period := []any{ms(f.From), ms(f.To)}
	var q string
	var args []any
	topicIn, topicArgs := "", []any(nil)
	if len(f.TopicIDs) > 0 {
		topicIn, topicArgs = ` AND t.topic_id IN (`+placeholders(len(f.TopicIDs))+`)`, toAny(f.TopicIDs)
	}
	switch {
	case inside && len(f.TopicIDs) > 0:
		var parts []string
		for _, id := range f.TopicIDs {
			parts = append(parts, `SELECT * FROM (SELECT t.mention_id, t.published FROM listening_mention_topics t
				WHERE t.topic_id = ? AND t.published >= ? AND t.published < ?
				ORDER BY t.published DESC, t.mention_id DESC LIMIT ?) p`)
			args = append(args, id, ms(f.From), ms(f.To), limit)
		}
		q = `SELECT m.title, m.text FROM listening_mentions m
			WHERE m.id IN (SELECT u.mention_id FROM (` + strings.Join(parts, " UNION ") + `) u
				ORDER BY u.published DESC, u.mention_id DESC LIMIT ?)`
		args = append(args, limit)
	case inside:
		q = `SELECT m.title, m.text FROM listening_mentions m` + s.d.indexedBy("listening_mentions_newest") + `
			WHERE m.published >= ? AND m.published < ?
			  AND EXISTS (SELECT 1 FROM listening_mention_topics t WHERE t.mention_id = m.id)`
		args = period
	default:
		q = `SELECT m.title, m.text FROM (SELECT w.* FROM listening_mentions w` + s.d.indexedBy("listening_mentions_newest") + `
				WHERE w.published >= ? AND w.published < ? ORDER BY w.published DESC, w.id DESC LIMIT ?) m
			WHERE NOT EXISTS (SELECT 1 FROM listening_mention_topics t WHERE t.mention_id = m.id` + topicIn + `)`
		args = append(append(period, textsWindow*limit), topicArgs...)
	}
	var out []string
	err := s.each(ctx, func(scan func(...any) error) error {
		var title, text string
		if err := scan(&title, &text); err != nil {
			return err
		}
		if title != "" {
			text = title + "\n" + text
		}
		out = append(out, text)
		return nil
	}, q+` ORDER BY m.published DESC, m.id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: listening texts: %w", err)
	}
	return out, nil
}

// textsWindow times the texts asked for is how many of the period's newest
// mentions the background of top terms is looked for in.
const textsWindow = 25

// ConversationDepth is how deep the discussions of the brand's own channels
// went in a period: per conversation with a message in it, its messages of
// the period and their distinct authors (the customer, others in a public
// thread, the team's agents).
type ConversationDepth struct {
	Channel       inbox.ChannelKind `json:"channel"` // "" in the total
	Conversations int               `json:"conversations"`
	Messages      int               `json:"messages"`
	// Replies counts the team's messages (outbound).
	Replies int `json:"replies"`
	// Participants sums each conversation's distinct authors.
	Participants    int `json:"participants"`
	MaxMessages     int `json:"maxMessages"`
	MaxParticipants int `json:"maxParticipants"`
	// ByMessages counts conversations by their messages: 1, 2, 3–5, 6–10, 11 or more.
	ByMessages [5]int `json:"byMessages"`
}

// depthBucket is the ByMessages index of a conversation with n messages.
func depthBucket(n int) int {
	switch {
	case n <= 1:
		return 0
	case n == 2:
		return 1
	case n <= 5:
		return 2
	case n <= 10:
		return 3
	}
	return 4
}

func (d *ConversationDepth) add(n, p, r, convs int) {
	d.Conversations += convs
	d.Messages += n * convs
	d.Participants += p * convs
	d.Replies += r * convs
	d.MaxMessages = max(d.MaxMessages, n)
	d.MaxParticipants = max(d.MaxParticipants, p)
	d.ByMessages[depthBucket(n)] += convs
}

// ConversationDepths returns the discussion depth of the filter's period and
// account: the total first, then one row per channel (by name). SQL groups
// the conversations by their (messages, participants, replies) shape, so the
// rows read back are few however many conversations there are.
func (s *Store) ConversationDepths(ctx context.Context, f AnalyticsFilter) ([]ConversationDepth, error) {
	if _, err := f.check("conversation depth"); err != nil {
		return nil, err
	}
	where, args := analyticsWhere(f)
	total := ConversationDepth{}
	var byChannel []ConversationDepth
	idx := map[inbox.ChannelKind]int{}
	err := s.each(ctx, func(scan func(...any) error) error {
		var ch inbox.ChannelKind
		var n, p, r, convs int
		if err := scan(&ch, &n, &p, &r, &convs); err != nil {
			return err
		}
		i, ok := idx[ch]
		if !ok {
			i = len(byChannel)
			idx[ch] = i
			byChannel = append(byChannel, ConversationDepth{Channel: ch})
		}
		byChannel[i].add(n, p, r, convs)
		total.add(n, p, r, convs)
		return nil
	}, `SELECT a.channel, d.n, d.p, d.r, count(*) FROM (
			SELECT m.account_id, count(*) AS n, count(DISTINCT m.author_id) AS p,
				CAST(sum(CASE WHEN m.direction = 'out' THEN 1 ELSE 0 END) AS BIGINT) AS r
			FROM messages m WHERE `+where+`
			GROUP BY m.conversation_id, m.account_id) d
		JOIN accounts a ON a.id = d.account_id
		GROUP BY a.channel, d.n, d.p, d.r ORDER BY a.channel`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: conversation depth: %w", err)
	}
	return append([]ConversationDepth{total}, byChannel...), nil
}

// periodDays lists every local day of [from, to) in loc, empty.
func periodDays(from, to time.Time, loc *time.Location) []DaySentiment {
	var out []DaySentiment
	for d := from.In(loc); d.Before(to); d = nextDay(d) {
		key := d.Format(time.DateOnly)
		if len(out) == 0 || out[len(out)-1].Day != key {
			out = append(out, DaySentiment{Day: key})
		}
	}
	return out
}

func (d *DaySentiment) add(sent inbox.Sentiment, n int) {
	if c := tonalityCounter(sent, &d.Negative, &d.Neutral, &d.Positive); c != nil {
		*c += n
	} else {
		d.Unscored += n
	}
}

// tonalityCounter picks the counter of sent among a row's negative, neutral
// and positive counts; nil when the mention is not scored.
func tonalityCounter(sent inbox.Sentiment, neg, neu, pos *int) *int {
	switch sent {
	case inbox.SentimentNegative:
		return neg
	case inbox.SentimentNeutral:
		return neu
	case inbox.SentimentPositive:
		return pos
	}
	return nil
}

// each runs a query and calls row for every row with its Scan.
func (s *Store) each(ctx context.Context, row func(scan func(...any) error) error, q string, args ...any) error {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}
