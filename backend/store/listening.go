package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
)

// schemaListening holds brand listening (docs/listening.md): topics (named
// queries), the configured sources with their limits and last error, a
// cursor per source and topic, and the mentions found. A mention belongs to
// every topic that matched it and to every source it was seen on (the same
// link or near-identical text from two sources is one mention).
//
// Secrets of sources (tokens, app passwords) are not here: they live where
// channel accounts keep theirs (the OS keyring, or the team server's sealed
// secrets), under secrets.Key("listening-<id>", what).
const schemaListening = `
CREATE TABLE listening_topics (
	id         INTEGER PRIMARY KEY,
	name       TEXT    NOT NULL UNIQUE,
	query      TEXT    NOT NULL,
	kind       TEXT    NOT NULL DEFAULT 'brand' CHECK (kind IN ('brand', 'competitor')),
	enabled    INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL
);

CREATE TABLE listening_sources (
	id                INTEGER PRIMARY KEY,
	kind              TEXT    NOT NULL,
	name              TEXT    NOT NULL UNIQUE,
	settings          TEXT    NOT NULL DEFAULT '{}',
	enabled           INTEGER NOT NULL DEFAULT 1,
	remaining         INTEGER NOT NULL DEFAULT -1,
	reset_at          INTEGER,
	next_poll         INTEGER,
	polled_at         INTEGER,
	error_code        TEXT    NOT NULL DEFAULT '',
	error_params      TEXT    NOT NULL DEFAULT '{}',
	error_detail      TEXT    NOT NULL DEFAULT '',
	created_at        INTEGER NOT NULL
);

CREATE TABLE listening_cursors (
	source_id  INTEGER NOT NULL REFERENCES listening_sources (id) ON DELETE CASCADE,
	topic_id   INTEGER NOT NULL REFERENCES listening_topics (id) ON DELETE CASCADE,
	cursor     TEXT    NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (source_id, topic_id)
);

CREATE TABLE listening_mentions (
	id              INTEGER PRIMARY KEY,
	source          TEXT    NOT NULL,
	external_id     TEXT    NOT NULL,
	url             TEXT    NOT NULL DEFAULT '',
	link_key        TEXT    NOT NULL DEFAULT '',
	author          TEXT    NOT NULL DEFAULT '',
	author_id       TEXT    NOT NULL DEFAULT '',
	author_url      TEXT    NOT NULL DEFAULT '',
	reach           INTEGER NOT NULL DEFAULT 0,
	title           TEXT    NOT NULL DEFAULT '',
	text            TEXT    NOT NULL DEFAULT '',
	lang            TEXT    NOT NULL DEFAULT '',
	published       INTEGER NOT NULL,
	replies         INTEGER NOT NULL DEFAULT -1,
	reactions       INTEGER NOT NULL DEFAULT -1,
	sentiment       TEXT    NOT NULL DEFAULT '',
	score           REAL    NOT NULL DEFAULT 0,
	corrected       INTEGER NOT NULL DEFAULT 0,
	reply_channel   TEXT    NOT NULL DEFAULT '',
	reply_thread    TEXT    NOT NULL DEFAULT '',
	reply_to        TEXT    NOT NULL DEFAULT '',
	conversation_id INTEGER REFERENCES conversations (id) ON DELETE SET NULL,
	found_at        INTEGER NOT NULL,
	UNIQUE (source, external_id)
);
-- A page's driving index (see ListeningMentions) carries the filters checked
-- after it, so rows it rejects are never read from the table.
CREATE INDEX listening_mentions_newest    ON listening_mentions (published, id);
CREATE INDEX listening_mentions_source    ON listening_mentions (source, published, id, lang, sentiment);
CREATE INDEX listening_mentions_lang      ON listening_mentions (lang, published, id, sentiment);
CREATE INDEX listening_mentions_sentiment ON listening_mentions (sentiment, published, id);
CREATE INDEX listening_mentions_link      ON listening_mentions (link_key);

-- The mention's published, source, lang and sentiment are copied here, so a
-- topic's page with a filter seeks one index instead of joining every row.
CREATE TABLE listening_mention_topics (
	topic_id   INTEGER NOT NULL REFERENCES listening_topics (id) ON DELETE CASCADE,
	mention_id INTEGER NOT NULL REFERENCES listening_mentions (id) ON DELETE CASCADE,
	published  INTEGER NOT NULL,
	source     TEXT    NOT NULL,
	lang       TEXT    NOT NULL,
	sentiment  TEXT    NOT NULL,
	PRIMARY KEY (topic_id, mention_id)
);
CREATE INDEX listening_mention_topics_newest    ON listening_mention_topics (topic_id, published, mention_id);
CREATE INDEX listening_mention_topics_source    ON listening_mention_topics (topic_id, source, published, mention_id, lang, sentiment);
CREATE INDEX listening_mention_topics_lang      ON listening_mention_topics (topic_id, lang, published, mention_id, sentiment);
CREATE INDEX listening_mention_topics_sentiment ON listening_mention_topics (topic_id, sentiment, published, mention_id);
CREATE INDEX listening_mention_topics_mention   ON listening_mention_topics (mention_id);

CREATE TABLE listening_mention_sources (
	mention_id  INTEGER NOT NULL REFERENCES listening_mentions (id) ON DELETE CASCADE,
	source      TEXT    NOT NULL,
	external_id TEXT    NOT NULL,
	url         TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (source, external_id)
);
CREATE INDEX listening_mention_sources_mention ON listening_mention_sources (mention_id);
`

// pgSchemaListening is schemaListening on PostgreSQL.
// (The replacer tries its pairs in order at each position, so a key is not
// taken for a plain INTEGER.)
var pgSchemaListening = strings.NewReplacer(
	"INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
	"INTEGER", "BIGINT",
	"REAL", "DOUBLE PRECISION",
).Replace(schemaListening)

// Topic kinds.
const (
	TopicBrand      = "brand"
	TopicCompetitor = "competitor"
)

// ListeningTopic is a named query whose matches are collected.
type ListeningTopic struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Query     string    `json:"query"`
	Kind      string    `json:"kind"`
	Enabled   bool      `json:"enabled"`
	CreatedAt time.Time `json:"createdAt" ts_type:"string"`
}

// ListeningSource is one configured place to search (a Mastodon instance, a
// feed URL, a Reddit app) and what it last said about its limits.
type ListeningSource struct {
	ID       int64  `json:"id"`
	Kind     string `json:"kind"` // one of listening.Source*
	Name     string `json:"name"`
	Settings string `json:"settings"` // JSON the source's package reads; never a secret
	Enabled  bool   `json:"enabled"`
	// Remaining calls or quota units; -1 unknown.
	Remaining int        `json:"remaining"`
	ResetAt   *time.Time `json:"resetAt" ts_type:"string | null"`
	NextPoll  *time.Time `json:"nextPoll" ts_type:"string | null"`
	PolledAt  *time.Time `json:"polledAt" ts_type:"string | null"`
	// The last poll's error as apperr has it ("" when the last poll worked):
	// the window words it in the user's language.
	ErrorCode   string            `json:"errorCode"`
	ErrorParams map[string]string `json:"errorParams"`
	ErrorDetail string            `json:"errorDetail"`
	CreatedAt   time.Time         `json:"createdAt" ts_type:"string"`
}

// MentionSource is one place a mention was seen.
type MentionSource struct {
	Source string `json:"source"`
	URL    string `json:"url"`
}

// ListeningMention is a stored mention with its tonality, topics and sources.
type ListeningMention struct {
	ID         int64     `json:"id"`
	Source     string    `json:"source"` // where it was first seen
	ExternalID string    `json:"externalId"`
	URL        string    `json:"url"`
	Author     string    `json:"author"`
	AuthorID   string    `json:"authorId"`
	AuthorURL  string    `json:"authorUrl"`
	Reach      int64     `json:"reach"`
	Title      string    `json:"title"`
	Text       string    `json:"text"`
	Lang       string    `json:"lang"`
	Published  time.Time `json:"published" ts_type:"string"`
	Replies    int       `json:"replies"`
	Reactions  int       `json:"reactions"`
	// ReplyChannel is "" when the mention cannot be answered.
	ReplyChannel   inbox.ChannelKind `json:"replyChannel"`
	ReplyThread    string            `json:"replyThread"`
	ReplyTo        string            `json:"replyTo"`
	Sentiment      inbox.Sentiment   `json:"sentiment"`
	Score          float64           `json:"score"`
	Corrected      bool              `json:"corrected"`
	ConversationID int64             `json:"conversationId"` // 0: not turned into one
	FoundAt        time.Time         `json:"foundAt" ts_type:"string"`
	Sources        []MentionSource   `json:"sources"`
	TopicIDs       []int64           `json:"topicIds"`
}

// Ref is how the mention is answered, nil when it cannot be.
func (m ListeningMention) Ref() *listening.ReplyRef {
	if m.ReplyChannel == "" {
		return nil
	}
	return &listening.ReplyRef{Channel: m.ReplyChannel, ThreadKey: m.ReplyThread, InReplyTo: m.ReplyTo}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// SaveListeningTopic creates the topic (ID 0) or updates it. The caller
// validates the query (query.Parse); the store keeps its text.
func (s *Store) SaveListeningTopic(ctx context.Context, t ListeningTopic) (ListeningTopic, error) {
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" {
		return ListeningTopic{}, errors.New("store: save listening topic: empty name")
	}
	if t.Kind == "" {
		t.Kind = TopicBrand
	}
	if t.Kind != TopicBrand && t.Kind != TopicCompetitor {
		return ListeningTopic{}, fmt.Errorf("store: save listening topic %q: kind %q is not brand or competitor", t.Name, t.Kind)
	}
	what := fmt.Sprintf("store: save listening topic %q", t.Name)
	if t.ID == 0 {
		if t.CreatedAt.IsZero() {
			t.CreatedAt = s.now()
		}
		err := s.db.QueryRowContext(ctx, `
			INSERT INTO listening_topics (name, query, kind, enabled, created_at) VALUES (?, ?, ?, ?, ?)
			RETURNING id`, t.Name, t.Query, t.Kind, boolInt(t.Enabled), ms(t.CreatedAt)).Scan(&t.ID)
		if err != nil {
			return ListeningTopic{}, fmt.Errorf("%s: %w", what, err)
		}
		return t, nil
	}
	r, err := s.db.ExecContext(ctx, `UPDATE listening_topics SET name = ?, query = ?, kind = ?, enabled = ? WHERE id = ?`,
		t.Name, t.Query, t.Kind, boolInt(t.Enabled), t.ID)
	if err := affectedOne(r, err, what); err != nil {
		return ListeningTopic{}, err
	}
	return s.ListeningTopic(ctx, t.ID)
}

const topicColumns = `id, name, query, kind, enabled, created_at`

func scanTopic(r scanner) (ListeningTopic, error) {
	var t ListeningTopic
	var enabled int
	var created int64
	if err := r.Scan(&t.ID, &t.Name, &t.Query, &t.Kind, &enabled, &created); err != nil {
		return ListeningTopic{}, err
	}
	t.Enabled, t.CreatedAt = enabled != 0, fromMS(created)
	return t, nil
}

// ListeningTopic returns one topic, or an error wrapping ErrNotFound.
func (s *Store) ListeningTopic(ctx context.Context, id int64) (ListeningTopic, error) {
	return readOne(ctx, s.db, fmt.Sprintf("store: listening topic %d", id), scanTopic,
		`SELECT `+topicColumns+` FROM listening_topics WHERE id = ?`, id)
}

// ListeningTopics returns every topic by name.
func (s *Store) ListeningTopics(ctx context.Context) ([]ListeningTopic, error) {
	return readAll(ctx, s.db, "store: listening topics", scanTopic, `SELECT `+topicColumns+` FROM listening_topics ORDER BY name, id`)
}

// readOne scans the one row of q, or answers an error wrapping ErrNotFound.
func readOne[T any](ctx context.Context, db querier, what string, scan func(scanner) (T, error), q string, args ...any) (T, error) {
	v, err := scan(db.QueryRowContext(ctx, q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	if err != nil {
		return v, fmt.Errorf("%s: %w", what, err)
	}
	return v, nil
}

// readAll scans every row of q (an empty slice when there are none).
func readAll[T any](ctx context.Context, db querier, what string, scan func(scanner) (T, error), q string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// DeleteListeningTopic deletes a topic, its cursors and its links to
// mentions; mentions no other topic holds go too.
func (s *Store) DeleteListeningTopic(ctx context.Context, id int64) error {
	what := fmt.Sprintf("store: delete listening topic %d", id)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer tx.Rollback()
	// The orphans are found before the links cascade away.
	if _, err := tx.ExecContext(ctx, `
		DELETE FROM listening_mentions WHERE id IN (
			SELECT t.mention_id FROM listening_mention_topics t WHERE t.topic_id = ?
			  AND NOT EXISTS (SELECT 1 FROM listening_mention_topics o WHERE o.mention_id = t.mention_id AND o.topic_id <> t.topic_id))`, id); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	r, err := tx.ExecContext(ctx, `DELETE FROM listening_topics WHERE id = ?`, id)
	if err := affectedOne(r, err, what); err != nil {
		return err
	}
	// Every mention the topic shared with another changes its topic set:
	// each set's rows move to the set without the topic, instead of a
	// recount of every mention that held the writer for minutes.
	if err := moveTopicRollups(ctx, tx, s.d, id); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// SaveListeningSource creates the source (ID 0) or updates its name,
// settings and whether it is enabled; the poll state is the poller's.
func (s *Store) SaveListeningSource(ctx context.Context, src ListeningSource) (ListeningSource, error) {
	src.Name = strings.TrimSpace(src.Name)
	if src.Name == "" || src.Kind == "" {
		return ListeningSource{}, fmt.Errorf("store: save listening source %q of kind %q: name and kind are required", src.Name, src.Kind)
	}
	if src.Settings == "" {
		src.Settings = "{}"
	}
	if !json.Valid([]byte(src.Settings)) {
		return ListeningSource{}, fmt.Errorf("store: save listening source %q: settings are not JSON", src.Name)
	}
	what := fmt.Sprintf("store: save listening source %q", src.Name)
	if src.ID == 0 {
		err := s.db.QueryRowContext(ctx, `
			INSERT INTO listening_sources (kind, name, settings, enabled, created_at) VALUES (?, ?, ?, ?, ?)
			RETURNING id`, src.Kind, src.Name, src.Settings, boolInt(src.Enabled), ms(s.now())).Scan(&src.ID)
		if err != nil {
			return ListeningSource{}, fmt.Errorf("%s: %w", what, err)
		}
	} else {
		r, err := s.db.ExecContext(ctx, `UPDATE listening_sources SET name = ?, settings = ?, enabled = ? WHERE id = ?`,
			src.Name, src.Settings, boolInt(src.Enabled), src.ID)
		if err := affectedOne(r, err, what); err != nil {
			return ListeningSource{}, err
		}
	}
	return s.ListeningSource(ctx, src.ID)
}

const sourceColumns = `id, kind, name, settings, enabled, remaining, reset_at, next_poll, polled_at,
	error_code, error_params, error_detail, created_at`

func scanSource(r scanner) (ListeningSource, error) {
	var src ListeningSource
	var enabled int
	var reset, next, polled sql.NullInt64
	var params string
	var created int64
	if err := r.Scan(&src.ID, &src.Kind, &src.Name, &src.Settings, &enabled, &src.Remaining, &reset, &next, &polled,
		&src.ErrorCode, &params, &src.ErrorDetail, &created); err != nil {
		return ListeningSource{}, err
	}
	src.Enabled, src.CreatedAt = enabled != 0, fromMS(created)
	src.ResetAt, src.NextPoll, src.PolledAt = nullMS(reset), nullMS(next), nullMS(polled)
	src.ErrorParams = map[string]string{}
	if err := json.Unmarshal([]byte(params), &src.ErrorParams); err != nil {
		return ListeningSource{}, fmt.Errorf("error parameters: %w", err)
	}
	return src, nil
}

// ListeningSource returns one source, or an error wrapping ErrNotFound.
func (s *Store) ListeningSource(ctx context.Context, id int64) (ListeningSource, error) {
	return readOne(ctx, s.db, fmt.Sprintf("store: listening source %d", id), scanSource,
		`SELECT `+sourceColumns+` FROM listening_sources WHERE id = ?`, id)
}

// ListeningSources returns every configured source by name.
func (s *Store) ListeningSources(ctx context.Context) ([]ListeningSource, error) {
	return readAll(ctx, s.db, "store: listening sources", scanSource, `SELECT `+sourceColumns+` FROM listening_sources ORDER BY name, id`)
}

// DeleteListeningSource deletes a source and its cursors; the mentions it
// found stay.
func (s *Store) DeleteListeningSource(ctx context.Context, id int64) error {
	r, err := s.db.ExecContext(ctx, `DELETE FROM listening_sources WHERE id = ?`, id)
	return affectedOne(r, err, fmt.Sprintf("store: delete listening source %d", id))
}

// ListeningCursor returns where the source stopped for the topic ("" before
// its first poll).
func (s *Store) ListeningCursor(ctx context.Context, sourceID, topicID int64) (string, error) {
	var c string
	err := s.db.QueryRowContext(ctx, `SELECT cursor FROM listening_cursors WHERE source_id = ? AND topic_id = ?`, sourceID, topicID).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: listening cursor of source %d, topic %d: %w", sourceID, topicID, err)
	}
	return c, nil
}

// ListeningError is a poll's failure as the window shows it.
type ListeningError struct {
	Code   string
	Params map[string]string
	Detail string
}

// SetListeningSourceError records that a poll of the source failed at at
// (zero: now) and when to try again (zero: the poller's own pace). The
// cursors stay where they were.
func (s *Store) SetListeningSourceError(ctx context.Context, sourceID int64, e ListeningError, at, nextPoll time.Time) error {
	params, err := json.Marshal(nonNilParams(e.Params))
	if err != nil {
		return fmt.Errorf("store: listening source %d error: %w", sourceID, err)
	}
	r, err := s.db.ExecContext(ctx, `
		UPDATE listening_sources SET error_code = ?, error_params = ?, error_detail = ?, next_poll = ?, polled_at = ?
		WHERE id = ?`, e.Code, string(params), e.Detail, nullTimeMS(nextPoll), ms(s.orNow(at)), sourceID)
	return affectedOne(r, err, fmt.Sprintf("store: listening source %d error", sourceID))
}

func nonNilParams(p map[string]string) map[string]string {
	if p == nil {
		return map[string]string{}
	}
	return p
}

// orNow is t, or the store's clock when t is zero.
func (s *Store) orNow(t time.Time) time.Time {
	if t.IsZero() {
		return s.now()
	}
	return t
}

// nullTimeMS stores a zero time as NULL.
func nullTimeMS(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ms(t)
}

// ScoredMention is a mention the poller matched and scored, ready to store.
type ScoredMention struct {
	listening.Mention
	LinkKey   string // listening.DedupeKey of the mention; "" when it has no link
	Sentiment inbox.Sentiment
	Score     float64
	// SameAs is a stored mention the poller found near-identical (0: none):
	// this one is stored as another source of it.
	SameAs int64
}

// ListeningBatch is what one Search answer leaves in the store: its
// mentions for the topic, what the source deleted, and the cursor and
// limits, all in one transaction, so a crash before it fetches the page again
// and a crash after it does not fetch it twice.
type ListeningBatch struct {
	SourceID int64 // 0: no configured source (demo data): no cursor or limits
	TopicID  int64
	// PolledAt is when the source was asked (the poller's clock); zero: now.
	PolledAt time.Time
	Cursor   string
	Limits   listening.Limits
	Mentions []ScoredMention
	Deleted  []string // external ids on the source (the Kind of SourceID)
	// DeletedSource is the source name Deleted refers to.
	DeletedSource string
}

// StoredMentions is what a batch changed.
type StoredMentions struct {
	// IDs has the stored id of each batch mention, in order (new or merged).
	IDs []int64
	// New counts mentions stored for the first time; Merged those found on
	// another source already (same link or SameAs).
	New, Merged, Deleted int
}

// SaveListeningBatch stores a batch (see ListeningBatch). A mention already
// stored from the same source keeps its tonality if a person corrected it
// and otherwise takes the new text, engagement and score; one with a link key
// or SameAs of a stored mention from another source becomes another source of
// that mention.
func (s *Store) SaveListeningBatch(ctx context.Context, b ListeningBatch) (StoredMentions, error) {
	what := fmt.Sprintf("store: save listening batch of source %d, topic %d", b.SourceID, b.TopicID)
	var out StoredMentions
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return out, fmt.Errorf("%s: %w", what, err)
	}
	defer tx.Rollback()
	roll := newRollupTx(s.d, tx)
	now := ms(s.orNow(b.PolledAt))
	for _, m := range b.Mentions {
		id, how, err := saveMention(ctx, tx, roll, m, now)
		if err != nil {
			return out, fmt.Errorf("%s: mention %s/%s: %w", what, m.Source, m.ExternalID, err)
		}
		switch how {
		case mentionNew:
			out.New++
		case mentionMerged:
			out.Merged++
		}
		out.IDs = append(out.IDs, id)
		if b.TopicID != 0 {
			if err := roll.touch(ctx, id); err != nil {
				return out, fmt.Errorf("%s: link topic: %w", what, err)
			}
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO listening_mention_topics (topic_id, mention_id, published, source, lang, sentiment)
				SELECT CAST(? AS BIGINT), id, published, source, lang, sentiment FROM listening_mentions WHERE id = ?
				ON CONFLICT DO NOTHING`, b.TopicID, id); err != nil {
				return out, fmt.Errorf("%s: link topic: %w", what, err)
			}
		}
	}
	for _, ext := range b.Deleted {
		n, err := deleteMentionSource(ctx, tx, roll, b.DeletedSource, ext)
		if err != nil {
			return out, fmt.Errorf("%s: delete %s/%s: %w", what, b.DeletedSource, ext, err)
		}
		out.Deleted += n
	}
	if err := roll.finish(ctx); err != nil {
		return out, fmt.Errorf("%s: %w", what, err)
	}
	if b.SourceID != 0 {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO listening_cursors (source_id, topic_id, cursor, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (source_id, topic_id) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
			b.SourceID, b.TopicID, b.Cursor, now); err != nil {
			return out, fmt.Errorf("%s: cursor: %w", what, err)
		}
		r, err := tx.ExecContext(ctx, `
			UPDATE listening_sources SET remaining = ?, reset_at = ?, next_poll = ?, polled_at = ?,
				error_code = '', error_params = '{}', error_detail = ''
			WHERE id = ?`, b.Limits.Remaining, nullTimeMS(b.Limits.Reset), nullTimeMS(b.Limits.NextPoll), now, b.SourceID)
		if err := affectedOne(r, err, what); err != nil {
			return out, err
		}
	}
	if err := tx.Commit(); err != nil {
		return out, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// What saveMention did with a mention.
const (
	mentionRefreshed = iota // seen on this source before
	mentionNew
	mentionMerged // another sighting of a stored mention
)

// saveMention stores one mention or merges it into the stored one it
// duplicates, answering its id and which it did.
func saveMention(ctx context.Context, tx *sql.Tx, roll *rollupTx, m ScoredMention, now int64) (int64, int, error) {
	var id int64
	// Seen on this source before: refresh what may change, keep a person's tonality.
	err := tx.QueryRowContext(ctx, `SELECT mention_id FROM listening_mention_sources WHERE source = ? AND external_id = ?`,
		m.Source, m.ExternalID).Scan(&id)
	if err == nil {
		if err := roll.touch(ctx, id); err != nil {
			return 0, 0, err
		}
		_, err = tx.ExecContext(ctx, `
			UPDATE listening_mentions SET text = ?, title = ?, replies = ?, reactions = ?, reach = ?,
				sentiment = CASE WHEN corrected = 1 THEN sentiment ELSE ? END,
				score = CASE WHEN corrected = 1 THEN score ELSE ? END
			WHERE id = ? AND source = ? AND external_id = ?`,
			m.Text, m.Title, m.Replies, m.Reactions, m.Reach, m.Sentiment, m.Score, id, m.Source, m.ExternalID)
		if err == nil {
			err = syncTopicFilters(ctx, tx, id)
		}
		return id, mentionRefreshed, err
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, 0, err
	}
	// Another source's copy: the same link, or what the poller found near-identical.
	dup := m.SameAs
	if dup == 0 && m.LinkKey != "" {
		err := tx.QueryRowContext(ctx, `SELECT id FROM listening_mentions WHERE link_key = ? ORDER BY id LIMIT 1`, m.LinkKey).Scan(&dup)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, 0, err
		}
	}
	if dup != 0 {
		if err := roll.touch(ctx, dup); err != nil {
			return 0, 0, err
		}
		r, err := tx.ExecContext(ctx, `
			INSERT INTO listening_mention_sources (mention_id, source, external_id, url)
			SELECT id, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT) FROM listening_mentions WHERE id = ?`, m.Source, m.ExternalID, m.URL, dup)
		if err != nil {
			return 0, 0, err
		}
		if n, _ := r.RowsAffected(); n == 1 {
			return dup, mentionMerged, nil
		}
		// The duplicate was deleted meanwhile: store this one on its own.
	}
	var rc, rt, rr string
	if m.ReplyTo != nil {
		rc, rt, rr = string(m.ReplyTo.Channel), m.ReplyTo.ThreadKey, m.ReplyTo.InReplyTo
	}
	published := m.Published
	if published.IsZero() {
		published = fromMS(now)
	}
	err = tx.QueryRowContext(ctx, `
		INSERT INTO listening_mentions (source, external_id, url, link_key, author, author_id, author_url, reach,
			title, text, lang, published, replies, reactions, sentiment, score, reply_channel, reply_thread, reply_to, found_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		m.Source, m.ExternalID, m.URL, m.LinkKey, m.Author, m.AuthorID, m.AuthorURL, m.Reach,
		m.Title, m.Text, m.Lang, ms(published), m.Replies, m.Reactions, m.Sentiment, m.Score, rc, rt, rr, now).Scan(&id)
	if err != nil {
		return 0, 0, err
	}
	if err := roll.touch(ctx, id); err != nil { // new: it counted nothing before
		return 0, 0, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO listening_mention_sources (mention_id, source, external_id, url) VALUES (?, ?, ?, ?)`,
		id, m.Source, m.ExternalID, m.URL); err != nil {
		return 0, 0, err
	}
	return id, mentionNew, nil
}

// syncTopicFilters copies a mention's tonality to its topic rows.
func syncTopicFilters(ctx context.Context, q querier, id int64) error {
	_, err := q.ExecContext(ctx, `
		UPDATE listening_mention_topics SET sentiment = (SELECT sentiment FROM listening_mentions WHERE id = ?)
		WHERE mention_id = ?`, id, id)
	return err
}

// deleteMentionSource forgets that a mention was seen on source as ext; a
// mention seen nowhere any more is deleted. It answers how many mentions went.
func deleteMentionSource(ctx context.Context, tx *sql.Tx, roll *rollupTx, source, ext string) (int, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT mention_id FROM listening_mention_sources WHERE source = ? AND external_id = ?`,
		source, ext).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if err := roll.touch(ctx, id); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM listening_mention_sources WHERE source = ? AND external_id = ?`, source, ext); err != nil {
		return 0, err
	}
	r, err := tx.ExecContext(ctx, `
		DELETE FROM listening_mentions WHERE id = ?
		  AND NOT EXISTS (SELECT 1 FROM listening_mention_sources WHERE mention_id = ?)`, id, id)
	if err != nil {
		return 0, err
	}
	n, err := r.RowsAffected()
	return int(n), err
}

// ListeningFilter narrows the mention stream; empty fields filter nothing.
type ListeningFilter struct {
	TopicID   int64           `json:"topicId"`
	Source    string          `json:"source"`
	Sentiment inbox.Sentiment `json:"sentiment"`
	Lang      string          `json:"lang"`
	// Limit is the page size: DefaultListeningPage when 0, at most MaxListeningPage.
	Limit int `json:"limit"`
}

// Page sizes of the mention stream.
const (
	DefaultListeningPage = 50
	MaxListeningPage     = 200
)

// ListeningPage is one page of mentions, newest published first; Next is
// the cursor of the following page ("" at the end).
type ListeningPage struct {
	Mentions []ListeningMention `json:"mentions"`
	Next     string             `json:"next"`
}

// orderListening names the mention stream's keyset cursors.
const orderListening Order = "published"

const mentionColumns = `m.id, m.source, m.external_id, m.url, m.author, m.author_id, m.author_url, m.reach,
	m.title, m.text, m.lang, m.published, m.replies, m.reactions, m.reply_channel, m.reply_thread, m.reply_to,
	m.sentiment, m.score, m.corrected, m.conversation_id, m.found_at`

func scanMention(r scanner) (ListeningMention, error) {
	var m ListeningMention
	var published, found int64
	var corrected int
	var conv sql.NullInt64
	if err := r.Scan(&m.ID, &m.Source, &m.ExternalID, &m.URL, &m.Author, &m.AuthorID, &m.AuthorURL, &m.Reach,
		&m.Title, &m.Text, &m.Lang, &published, &m.Replies, &m.Reactions, &m.ReplyChannel, &m.ReplyThread, &m.ReplyTo,
		&m.Sentiment, &m.Score, &corrected, &conv, &found); err != nil {
		return ListeningMention{}, err
	}
	m.Published, m.FoundAt, m.Corrected, m.ConversationID = fromMS(published), fromMS(found), corrected != 0, conv.Int64
	m.Sources, m.TopicIDs = []MentionSource{}, []int64{}
	return m, nil
}

// ListeningMentions returns one page of the mention stream. Paging is keyset
// on (published, id): pass Next as the cursor with the same filter. A
// mention seen on two sources is filtered by the source it was first seen on.
func (s *Store) ListeningMentions(ctx context.Context, f ListeningFilter, cur string) (ListeningPage, error) {
	const what = "store: listening mentions"
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultListeningPage
	}
	limit = min(limit, MaxListeningPage)
	q, args, err := s.listeningPageQuery(f, cur, limit)
	if err != nil {
		return ListeningPage{}, fmt.Errorf("%s: %w", what, err)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return ListeningPage{}, fmt.Errorf("%s: %w", what, err)
	}
	page := ListeningPage{Mentions: []ListeningMention{}}
	for rows.Next() {
		m, err := scanMention(rows)
		if err != nil {
			rows.Close()
			return ListeningPage{}, fmt.Errorf("%s: %w", what, err)
		}
		page.Mentions = append(page.Mentions, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return ListeningPage{}, fmt.Errorf("%s: %w", what, err)
	}
	if len(page.Mentions) > limit {
		page.Mentions = page.Mentions[:limit]
		last := page.Mentions[limit-1]
		page.Next = encodeCursor(orderListening, cursor{k: ms(last.Published), id: last.ID})
	}
	if err := s.fillMentionLinks(ctx, page.Mentions); err != nil {
		return ListeningPage{}, fmt.Errorf("%s: %w", what, err)
	}
	return page, nil
}

// listeningPageQuery is the SQL of one page of ListeningMentions (limit+1
// rows, to know whether a next page exists).
func (s *Store) listeningPageQuery(f ListeningFilter, cur string, limit int) (string, []any, error) {
	var where []string
	var args []any
	// The index whose prefix is exactly the filter (schemaListeningPages)
	// drives the page, within the topic when there is one (its rows carry
	// copies of the mention's filter columns), so every row read is returned.
	from, key, id, col := `listening_mentions m`, `m.published`, `m.id`, `m.`
	table := "listening_mentions"
	if f.TopicID != 0 {
		from = `listening_mention_topics t%s JOIN listening_mentions m ON m.id = t.mention_id`
		key, id, col = `t.published`, `t.mention_id`, `t.`
		table = "listening_mention_topics"
		where, args = append(where, `t.topic_id = ?`), append(args, f.TopicID)
	} else {
		from += `%s`
	}
	index := listeningPageIndex(table, f)
	from = fmt.Sprintf(from, s.d.indexedBy(index))
	if f.Source != "" {
		where, args = append(where, col+`source = ?`), append(args, f.Source)
	}
	if f.Lang != "" {
		where, args = append(where, col+`lang = ?`), append(args, f.Lang)
	}
	if f.Sentiment != "" {
		where, args = append(where, col+`sentiment = ?`), append(args, f.Sentiment)
	}
	if cur != "" {
		c, err := decodeCursor(cur, orderListening)
		if err != nil {
			return "", nil, err
		}
		// A row value, which both engines seek in the index; the OR form
		// would read every newer row again on each page.
		where = append(where, `(`+key+`, `+id+`) < (?, ?)`)
		args = append(args, c.k, c.id)
	}
	q := `SELECT ` + mentionColumns + ` FROM ` + from
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += ` ORDER BY ` + key + ` DESC, ` + id + ` DESC LIMIT ?`
	args = append(args, limit+1)
	return q, args, nil
}

// fillMentionLinks reads the sources and topics of a page's mentions in one
// query (two took half a Mentions page's CPU: each statement is compiled,
// planned and run, and the sources were sorted in SQL). Go orders them.
func (s *Store) fillMentionLinks(ctx context.Context, ms []ListeningMention) error {
	if len(ms) == 0 {
		return nil
	}
	at := make(map[int64]int, len(ms))
	ids := make([]any, 0, 2*len(ms))
	for i, m := range ms {
		at[m.ID] = i
		ids = append(ids, m.ID)
	}
	ids = append(ids, ids...)
	in := `(?` + strings.Repeat(`, ?`, len(ms)-1) + `)`
	rows, err := s.db.QueryContext(ctx, `
		SELECT mention_id, 0, source, external_id, url FROM listening_mention_sources WHERE mention_id IN `+in+`
		UNION ALL
		SELECT mention_id, topic_id, '', '', '' FROM listening_mention_topics WHERE mention_id IN `+in, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	type seen struct {
		at       int
		src, ext string
		url      string
	}
	var srcs []seen
	for rows.Next() {
		var id, topic int64
		var f seen
		if err := rows.Scan(&id, &topic, &f.src, &f.ext, &f.url); err != nil {
			return err
		}
		f.at = at[id]
		if topic != 0 {
			ms[f.at].TopicIDs = append(ms[f.at].TopicIDs, topic)
			continue
		}
		srcs = append(srcs, f)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	slices.SortFunc(srcs, func(a, b seen) int {
		return cmp.Or(cmp.Compare(a.at, b.at), strings.Compare(a.src, b.src), strings.Compare(a.ext, b.ext))
	})
	for _, f := range srcs {
		ms[f.at].Sources = append(ms[f.at].Sources, MentionSource{Source: f.src, URL: f.url})
	}
	for i := range ms {
		slices.Sort(ms[i].TopicIDs)
	}
	return nil
}

// ListeningMention returns one mention with its sources and topics, or an
// error wrapping ErrNotFound.
func (s *Store) ListeningMention(ctx context.Context, id int64) (ListeningMention, error) {
	what := fmt.Sprintf("store: listening mention %d", id)
	m, err := readOne(ctx, s.db, what, scanMention, `SELECT `+mentionColumns+` FROM listening_mentions m WHERE m.id = ?`, id)
	if err != nil {
		return ListeningMention{}, err
	}
	ms := []ListeningMention{m}
	if err := s.fillMentionLinks(ctx, ms); err != nil {
		return ListeningMention{}, fmt.Errorf("%s: %w", what, err)
	}
	return ms[0], nil
}

// RecentListeningMentions returns up to limit mentions published at or
// after since, newest first, without their sources and topics (the
// poller's near-duplicate index and the topic preview read them).
func (s *Store) RecentListeningMentions(ctx context.Context, since time.Time, limit int) ([]ListeningMention, error) {
	return readAll(ctx, s.db, "store: recent listening mentions", scanMention,
		`SELECT `+mentionColumns+` FROM listening_mentions m`+s.d.indexedBy("listening_mentions_newest")+`
		WHERE m.published >= ? ORDER BY m.published DESC, m.id DESC LIMIT ?`, ms(since), limit)
}

// CorrectListeningTonality sets a mention's tonality as a person judged it;
// later polls of the same post keep it.
func (s *Store) CorrectListeningTonality(ctx context.Context, id int64, label inbox.Sentiment) error {
	if label == inbox.SentimentUnknown || !label.Valid() {
		return fmt.Errorf("store: correct tonality of mention %d: %q is not negative, neutral or positive", id, label)
	}
	what := fmt.Sprintf("store: correct tonality of mention %d", id)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer tx.Rollback()
	roll := newRollupTx(s.d, tx)
	if err := roll.touch(ctx, id); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	r, err := tx.ExecContext(ctx, `UPDATE listening_mentions SET sentiment = ?, corrected = 1 WHERE id = ?`, label, id)
	if err := affectedOne(r, err, what); err != nil {
		return err
	}
	if err := syncTopicFilters(ctx, tx, id); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := roll.finish(ctx); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// SetListeningConversation records the inbox conversation a mention was
// turned into.
func (s *Store) SetListeningConversation(ctx context.Context, id, conversationID int64) error {
	r, err := s.db.ExecContext(ctx, `UPDATE listening_mentions SET conversation_id = ? WHERE id = ?`, conversationID, id)
	return affectedOne(r, err, fmt.Sprintf("store: conversation of mention %d", id))
}
