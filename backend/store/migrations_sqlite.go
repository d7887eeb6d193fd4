package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/sla"
)

// migrations are the steps Open runs on the store's engine.
func (s *Store) migrations() []migration {
	if s.d.pg {
		return postgresMigrations()
	}
	return sqliteMigrations()
}

// sqliteMigrations is the SQLite schema history; step i brings a database to
// user_version i+1 (see migration).
func sqliteMigrations() []migration {
	return []migration{
		{sql: schemaV1},
		{sql: schemaV2},
		{sql: schemaV3, staleSLA: true},
		{sql: schemaV4},
		{sql: schemaV5},
		{sql: schemaV6},
		{sql: schemaV7},
		{sql: schemaV8},
		{sql: schemaV9},
		{sql: schemaV10, fill: func(ctx context.Context, q querier, _ time.Time) error { return backfillStanding(ctx, q) }},
		{sql: schemaV11, fill: repairDates, staleSLA: true},
		{sql: schemaInboxTriage},
		{sql: schemaCrisisAlerts},
		{sql: schemaHistoryUntil, fill: markPastHistory, staleSLA: true},
		{sql: schemaAccountState},
		{sql: schemaSearchStems, fill: fillSearchStems},
		{sql: schemaFailedReplies},
		{sql: schemaReplyDiscarded, fill: bumpSchemaVersion},
		{sql: schemaSealedSecrets},
		{sql: schemaEvents},
		{sql: schemaMembers},
		{sql: schemaSettings},
		{sql: schemaLiveState},
		{sql: schemaMemberLogin},
		{sql: schemaInvites},
		// Issue 17: note mentions.
		{sql: schemaNoteMentions},
		{sql: schemaPresence},
		// Issue 16: login and join attempts counted for the whole team.
		{sql: schemaLoginAttempts},
		// Issue 19: brand listening.
		{sql: schemaListening},
		// Issue 20: delivery statuses of sent messages (WhatsApp webhooks).
		{sql: schemaDeliveryStatus},
		// Issue 19: an exact index for every filter of the Mentions page.
		{sql: schemaListeningPages},
		// Issue 19: listening analytics read hourly rollups (listening_rollup.go).
		{sql: schemaListeningRollup, fill: fillListeningRollups(dialect{})},
		// Issue 20: WhatsApp template replies.
		{sql: schemaReplyTemplate},
		// Issue 16: the SLA sweep reads only the states time changes.
		{sql: schemaSLAFlip},
	}
}

// sqliteVersion keeps the schema version in the file header, where every
// SQLite tool can read it without knowing our tables. Its errors are the
// driver's own: Open maps them to ErrCorrupt, and the callers add context.
type sqliteVersion struct{}

func (sqliteVersion) readVersion(ctx context.Context, q querier) (int, error) {
	var v int
	err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

func (sqliteVersion) writeVersion(ctx context.Context, q querier, v int) error {
	// PRAGMA takes no bound parameters; v is an int.
	_, err := q.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v))
	return err
}

// SchemaVersion returns the database's schema version (SQLite: PRAGMA
// user_version; PostgreSQL: the schema_version row).
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var vk versionKeeper = sqliteVersion{}
	if s.d.pg {
		vk = pgVersion{}
	}
	v, err := vk.readVersion(ctx, s.db)
	if err != nil {
		return 0, fmt.Errorf("store: read schema version: %w", err)
	}
	return v, nil
}

// schemaV1 is the first schema.
//
// The inbox indexes come in pairs, one per order (newest: last_message_at;
// sla: sla_key), led by the filter the query builder drives the query with
// (status, account, assignee, sentiment; tags live in conversation_tags) and
// ending with the other filter columns so a filtered walk never visits the
// table. conversation_tags repeats those columns, kept in step by a trigger.
const schemaV1 = `
CREATE TABLE accounts (
	id            INTEGER PRIMARY KEY,
	channel       TEXT    NOT NULL,
	name          TEXT    NOT NULL UNIQUE,
	brand         TEXT    NOT NULL DEFAULT '',
	handle        TEXT    NOT NULL DEFAULT '',
	created_at    INTEGER NOT NULL,
	message_count INTEGER NOT NULL DEFAULT 0 -- kept by SaveItems, for Stats
);

CREATE TABLE authors (
	id           INTEGER PRIMARY KEY,
	channel      TEXT    NOT NULL,
	external_id  TEXT    NOT NULL,
	handle       TEXT    NOT NULL DEFAULT '',
	display_name TEXT    NOT NULL DEFAULT '',
	reach        INTEGER NOT NULL DEFAULT 0,
	notes        TEXT    NOT NULL DEFAULT '',
	seen_at      INTEGER NOT NULL DEFAULT 0, -- sent_at of the newest message the profile came from
	UNIQUE (channel, external_id)
);

CREATE TABLE conversations (
	id               INTEGER PRIMARY KEY,
	account_id       INTEGER NOT NULL REFERENCES accounts (id),
	channel          TEXT    NOT NULL,
	thread_key       TEXT    NOT NULL,
	kind             TEXT    NOT NULL,
	subject          TEXT    NOT NULL DEFAULT '',
	status           TEXT    NOT NULL DEFAULT 'open',
	assignee         TEXT    NOT NULL DEFAULT '',
	priority         INTEGER NOT NULL DEFAULT 0,
	author_id        INTEGER REFERENCES authors (id),
	snippet          TEXT    NOT NULL DEFAULT '',
	sentiment        TEXT    NOT NULL DEFAULT '',
	sentiment_at     INTEGER, -- sent_at of the inbound message the label came from
	negative_count   INTEGER NOT NULL DEFAULT 0,
	message_count    INTEGER NOT NULL DEFAULT 0,
	first_message_at INTEGER NOT NULL,
	last_message_at  INTEGER NOT NULL,
	last_in_at       INTEGER,
	last_out_at      INTEGER,
	waiting_since    INTEGER, -- oldest inbound message not followed by an outbound one
	sla_due_at       INTEGER,
	-- sla_due_at with NULL as +inf, the SLA sort key (a plain column: SQLite does not
	-- treat indexes on generated columns as covering)
	sla_key          INTEGER NOT NULL DEFAULT 9223372036854775807
	                 CHECK (sla_key = coalesce(sla_due_at, 9223372036854775807)),
	UNIQUE (account_id, thread_key)
);

CREATE INDEX conversations_status_newest    ON conversations (status, last_message_at, id, account_id, sentiment, assignee);
CREATE INDEX conversations_status_sla       ON conversations (status, sla_key, id, account_id, sentiment, assignee);
CREATE INDEX conversations_account_newest   ON conversations (account_id, status, last_message_at, id, sentiment, assignee);
CREATE INDEX conversations_account_sla      ON conversations (account_id, status, sla_key, id, sentiment, assignee);
CREATE INDEX conversations_assignee_newest  ON conversations (assignee, status, last_message_at, id, account_id, sentiment);
CREATE INDEX conversations_assignee_sla     ON conversations (assignee, status, sla_key, id, account_id, sentiment);
CREATE INDEX conversations_sentiment_newest ON conversations (sentiment, status, last_message_at, id, account_id, assignee);
CREATE INDEX conversations_sentiment_sla    ON conversations (sentiment, status, sla_key, id, account_id, assignee);

CREATE TABLE conversation_tags (
	conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
	tag             TEXT    NOT NULL,
	status          TEXT    NOT NULL,
	account_id      INTEGER NOT NULL,
	sentiment       TEXT    NOT NULL,
	assignee        TEXT    NOT NULL,
	last_message_at INTEGER NOT NULL,
	sla_key         INTEGER NOT NULL,
	PRIMARY KEY (conversation_id, tag)
) WITHOUT ROWID;

CREATE INDEX conversation_tags_newest ON conversation_tags (tag, status, last_message_at, conversation_id, account_id, sentiment, assignee);
CREATE INDEX conversation_tags_sla    ON conversation_tags (tag, status, sla_key, conversation_id, account_id, sentiment, assignee);

CREATE TRIGGER conversations_sync_tags
AFTER UPDATE OF status, account_id, sentiment, assignee, last_message_at, sla_key ON conversations
BEGIN
	UPDATE conversation_tags
	SET status = NEW.status, account_id = NEW.account_id, sentiment = NEW.sentiment,
	    assignee = NEW.assignee, last_message_at = NEW.last_message_at, sla_key = NEW.sla_key
	WHERE conversation_id = NEW.id;
END;

CREATE TABLE messages (
	id              INTEGER PRIMARY KEY,
	conversation_id INTEGER NOT NULL REFERENCES conversations (id),
	account_id      INTEGER NOT NULL REFERENCES accounts (id),
	external_id     TEXT    NOT NULL,
	direction       TEXT    NOT NULL,
	kind            TEXT    NOT NULL,
	author_id       INTEGER REFERENCES authors (id),
	subject         TEXT    NOT NULL DEFAULT '',
	text            TEXT    NOT NULL DEFAULT '',
	html            TEXT    NOT NULL DEFAULT '',
	sent_at         INTEGER NOT NULL,
	sentiment       TEXT    NOT NULL DEFAULT '',
	sentiment_score REAL    NOT NULL DEFAULT 0,
	flags           TEXT    NOT NULL DEFAULT '',
	UNIQUE (account_id, external_id)
);

CREATE INDEX messages_thread ON messages (conversation_id, sent_at, id);

CREATE VIRTUAL TABLE messages_fts USING fts5 (
	subject, text,
	-- columnsize = 0: no per-document size table; results are ordered by
	-- rowid, never ranked with bm25 over all matches
	content = 'messages', content_rowid = 'id', columnsize = 0,
	tokenize = 'unicode61 remove_diacritics 2'
);

-- The external-content index follows the messages table.
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
	INSERT INTO messages_fts (rowid, subject, text) VALUES (NEW.id, NEW.subject, NEW.text);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
	INSERT INTO messages_fts (messages_fts, rowid, subject, text) VALUES ('delete', OLD.id, OLD.subject, OLD.text);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF subject, text ON messages BEGIN
	INSERT INTO messages_fts (messages_fts, rowid, subject, text) VALUES ('delete', OLD.id, OLD.subject, OLD.text);
	INSERT INTO messages_fts (rowid, subject, text) VALUES (NEW.id, NEW.subject, NEW.text);
END;
`

// schemaV2 adds what channel sync needs: per-account connector settings (no
// secrets: those live in the OS keyring), a sync cursor stored in the same
// transaction as the items it covers, and attachment descriptions.
const schemaV2 = `
ALTER TABLE accounts ADD COLUMN config TEXT NOT NULL DEFAULT '{}';
ALTER TABLE messages ADD COLUMN attachments TEXT NOT NULL DEFAULT '';

CREATE TABLE sync_state (
	account_id INTEGER PRIMARY KEY REFERENCES accounts (id),
	cursor     TEXT    NOT NULL DEFAULT '',
	synced_at  INTEGER NOT NULL DEFAULT 0,
	fetched    INTEGER NOT NULL DEFAULT 0,
	skipped    INTEGER NOT NULL DEFAULT 0,
	last_error TEXT    NOT NULL DEFAULT ''
);
`

// schemaV3 stores what the SLA engine (backend/sla) needs and produces: the policy
// set as one JSON document, the status and policy changes it replays, the state
// next to the deadline, VIP authors and accounts in crisis mode.
//
// messages_thread gains direction so the SLA sweep reads every conversation's
// inbound/outbound times from the index alone, without visiting message rows.
const schemaV3 = `
CREATE TABLE sla_policies (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	json       TEXT    NOT NULL,
	updated_at INTEGER NOT NULL
);

CREATE TABLE conversation_events (
	conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
	at              INTEGER NOT NULL,
	kind            TEXT    NOT NULL CHECK (kind IN ('status', 'policy')),
	status          TEXT    NOT NULL DEFAULT '',
	policy          TEXT    NOT NULL DEFAULT '',
	agent           TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX conversation_events_conv ON conversation_events (conversation_id, at);

ALTER TABLE conversations ADD COLUMN sla_state TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN sla_warn_at INTEGER;
ALTER TABLE conversations ADD COLUMN sla_policy TEXT NOT NULL DEFAULT '';
ALTER TABLE authors ADD COLUMN vip INTEGER NOT NULL DEFAULT 0;
-- crisis mode since (Unix ms); NULL when off
ALTER TABLE accounts ADD COLUMN crisis_since INTEGER;

DROP INDEX messages_thread;
CREATE INDEX messages_thread ON messages (conversation_id, sent_at, id, direction);
`

// schemaV4 stores drafted replies on their way through approval and the
// outbox (see docs/drafting.md), their append-only audit trail, the prompts
// sent to the model (kept locally, never the API key), the knowledge base and
// canned replies.
//
// idempotency_key is NULL until a reply is first queued; UNIQUE allows many
// NULLs. attempt_open is 1 from the moment the outbox claims a send until it
// records the outcome: a row still open after a crash has an unknown outcome,
// not an unsent one. JSON columns hold arrays or objects encoded by the store.
const schemaV4 = `
CREATE TABLE replies (
	id               TEXT    PRIMARY KEY,
	conversation_id  INTEGER NOT NULL REFERENCES conversations (id),
	account_id       INTEGER NOT NULL REFERENCES accounts (id),
	idempotency_key  TEXT    UNIQUE,
	state            TEXT    NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'rejected', 'queued', 'sent', 'failed')),
	author           TEXT    NOT NULL,
	approver         TEXT    NOT NULL DEFAULT '',
	text             TEXT    NOT NULL DEFAULT '',
	draft_text       TEXT    NOT NULL DEFAULT '',
	lang             TEXT    NOT NULL DEFAULT '',
	source           TEXT    NOT NULL DEFAULT '',
	ai_assisted      INTEGER NOT NULL DEFAULT 0,
	citations        TEXT    NOT NULL DEFAULT '[]',
	problems         TEXT    NOT NULL DEFAULT '[]',
	injection        TEXT    NOT NULL DEFAULT '[]',
	approval         TEXT    NOT NULL DEFAULT '{}',
	crisis           INTEGER NOT NULL DEFAULT 0,
	reject_comment   TEXT    NOT NULL DEFAULT '',
	attempts         INTEGER NOT NULL DEFAULT 0,
	attempt_open     INTEGER NOT NULL DEFAULT 0,
	next_attempt_at  INTEGER,
	last_attempt_at  INTEGER,
	last_error       TEXT    NOT NULL DEFAULT '', -- the last retryable error, while still queued
	sent_external_id TEXT    NOT NULL DEFAULT '',
	sent_at          INTEGER,
	fail_reason      TEXT    NOT NULL DEFAULT '',
	created_at       INTEGER NOT NULL,
	updated_at       INTEGER NOT NULL
);
CREATE INDEX replies_conversation ON replies (conversation_id, created_at);
CREATE INDEX replies_outbox ON replies (next_attempt_at) WHERE state = 'queued';

CREATE TABLE reply_audit (
	id         INTEGER PRIMARY KEY,
	reply_id   TEXT    NOT NULL REFERENCES replies (id),
	at         INTEGER NOT NULL,
	actor      TEXT    NOT NULL,
	role       TEXT    NOT NULL,
	action     TEXT    NOT NULL,
	from_state TEXT    NOT NULL DEFAULT '',
	to_state   TEXT    NOT NULL,
	comment    TEXT    NOT NULL DEFAULT '',
	diff       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX reply_audit_reply ON reply_audit (reply_id, id);
CREATE TRIGGER reply_audit_no_update BEFORE UPDATE ON reply_audit BEGIN
	SELECT RAISE(ABORT, 'reply_audit is append-only');
END;
CREATE TRIGGER reply_audit_no_delete BEFORE DELETE ON reply_audit BEGIN
	SELECT RAISE(ABORT, 'reply_audit is append-only');
END;

CREATE TABLE reply_prompts (
	id            INTEGER PRIMARY KEY,
	reply_id      TEXT    NOT NULL REFERENCES replies (id),
	model         TEXT    NOT NULL DEFAULT '',
	prompt        TEXT    NOT NULL DEFAULT '[]',
	usage         TEXT    NOT NULL DEFAULT '{}',
	finish_reason TEXT    NOT NULL DEFAULT '',
	created_at    INTEGER NOT NULL
);
CREATE INDEX reply_prompts_reply ON reply_prompts (reply_id, id);

CREATE TABLE kb_entries (
	id         TEXT    PRIMARY KEY,
	brand      TEXT    NOT NULL DEFAULT '', -- '' = every brand
	title      TEXT    NOT NULL,
	text       TEXT    NOT NULL,
	lang       TEXT    NOT NULL DEFAULT '', -- '' = any language
	updated_at INTEGER NOT NULL
);
CREATE INDEX kb_entries_brand ON kb_entries (brand, title);

CREATE TABLE canned_replies (
	id         TEXT    PRIMARY KEY,
	title      TEXT    NOT NULL,
	lang       TEXT    NOT NULL DEFAULT '',
	body       TEXT    NOT NULL,
	tags       TEXT    NOT NULL DEFAULT '[]',
	updated_at INTEGER NOT NULL
);
`

// schemaV5 lets mail replies without In-Reply-To/References find their thread
// by subject (see ThreadKeyBySubject).
const schemaV5 = `
CREATE INDEX conversations_subject ON conversations (account_id, subject) WHERE kind = 'mail';
`

// schemaV6 keeps the sentiment labels managers corrected, the training data of
// the retrained model (see backend/sentiment Retrain).
const schemaV6 = `
CREATE TABLE sentiment_corrections (
	message_id     INTEGER PRIMARY KEY REFERENCES messages (id),
	text           TEXT    NOT NULL,
	label          TEXT    NOT NULL,
	previous_label TEXT    NOT NULL,
	corrected_by   TEXT    NOT NULL,
	corrected_at   INTEGER NOT NULL
);
`

// schemaV7 keeps the timeline of a crisis: when crisis mode was opened and
// closed, the alerts, statements, replies and notes recorded while it was on
// (volume is computed from messages when read, not stored).
const schemaV7 = `
CREATE TABLE crisis_events (
	id         INTEGER PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	at         INTEGER NOT NULL,
	kind       TEXT    NOT NULL CHECK (kind IN ('opened', 'closed', 'alert', 'statement', 'reply', 'volume', 'note')),
	text       TEXT    NOT NULL DEFAULT '',
	ref        TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX crisis_events_account ON crisis_events (account_id, at, id);
`

// schemaV8 keeps the etiquette ladder's record (backend/moderation): the
// warnings, temporary blocks, bans and lifts given to an author, by whom and
// why. It is Stormdesk's own record; no platform is told. conversations_author
// serves an author's history (and the VIP recompute) without a table scan.
const schemaV8 = `
CREATE TABLE author_moderation (
	id         INTEGER PRIMARY KEY,
	author_id  INTEGER NOT NULL REFERENCES authors (id),
	account_id INTEGER REFERENCES accounts (id), -- the brand account it was given in; NULL if none
	kind       TEXT    NOT NULL CHECK (kind IN ('warning', 'block', 'ban', 'lift')),
	reason     TEXT    NOT NULL DEFAULT '',
	until      INTEGER, -- end of a temporary block (Unix ms)
	actor      TEXT    NOT NULL DEFAULT '',
	at         INTEGER NOT NULL,
	CHECK ((kind = 'block') = (until IS NOT NULL))
);
CREATE INDEX author_moderation_author ON author_moderation (author_id, at, id);

CREATE INDEX conversations_author ON conversations (author_id, last_message_at);
`

// schemaV9 keeps where a message's sentiment label came from and how sure
// the offline model was, so an optional LLM pass can relabel the messages
// the model was unsure about (see UncertainMessages) and never a label a
// manager set. Old rows keep a NULL confidence: nobody knows it, and they
// are not sent to the LLM.
//
// The triggers make a correction (store/corrections.go) mark its message
// 'manager' in the same transaction, whatever code path wrote it.
const schemaV9 = `
ALTER TABLE messages ADD COLUMN sentiment_confidence REAL;
ALTER TABLE messages ADD COLUMN sentiment_source TEXT NOT NULL DEFAULT 'model'
	CHECK (sentiment_source IN ('model', 'llm', 'manager'));

UPDATE messages SET sentiment_source = 'manager' WHERE id IN (SELECT message_id FROM sentiment_corrections);

CREATE TRIGGER sentiment_corrections_source_insert AFTER INSERT ON sentiment_corrections BEGIN
	UPDATE messages SET sentiment_source = 'manager' WHERE id = NEW.message_id;
END;
CREATE TRIGGER sentiment_corrections_source_update AFTER UPDATE ON sentiment_corrections BEGIN
	UPDATE messages SET sentiment_source = 'manager' WHERE id = NEW.message_id;
END;

-- UncertainMessages: a range over the model's confidence among its own inbound labels.
CREATE INDEX messages_uncertain ON messages (sentiment_confidence, sent_at)
	WHERE direction = 'in' AND sentiment_source = 'model' AND sentiment_confidence IS NOT NULL;
`

// schemaV10 copies an author's current ban and block onto the author row, kept
// by AddModeration, so the inbox list can mark them without reading the record.
// Existing records are folded in by backfillStanding after the migration.
const schemaV10 = `
ALTER TABLE authors ADD COLUMN banned INTEGER NOT NULL DEFAULT 0;
ALTER TABLE authors ADD COLUMN blocked_until INTEGER; -- end of the running block (Unix ms)
`

// backfillStanding folds records written before schemaV10 into the author rows.
func backfillStanding(ctx context.Context, q querier) error {
	rows, err := q.QueryContext(ctx, `SELECT author_id, max(at) FROM author_moderation GROUP BY author_id`)
	if err != nil {
		return fmt.Errorf("backfill standing: %w", err)
	}
	type last struct{ id, at int64 }
	var all []last
	for rows.Next() {
		var l last
		if err := rows.Scan(&l.id, &l.at); err != nil {
			rows.Close()
			return fmt.Errorf("backfill standing: %w", err)
		}
		all = append(all, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("backfill standing: %w", err)
	}
	for _, l := range all {
		if err := writeStanding(ctx, q, l.id, fromMS(l.at)); err != nil {
			return fmt.Errorf("backfill standing: %w", err)
		}
	}
	return nil
}

// schemaV11 keeps the date a sender claimed when ingest could not trust it
// (see inbox.Message.ClaimedAt); repairDates fixes the rows older versions
// stored with such dates.
const schemaV11 = `
ALTER TABLE messages ADD COLUMN claimed_at INTEGER;
`

// repairDates brings every stored message time into [1970, now+24h], the
// range ingest now keeps: a time out of it made the inbox, search and thread
// holding the row fail to marshal, and sorted its conversation first or last
// forever. The message keeps its old time as claimed_at (when a time can show
// it) and the suspicious-date flag; it moves to the epoch when it was before
// it, and to now when it was in the future, as nothing says when it really
// arrived. The conversations holding such messages get their times
// recomputed from their messages (the inbox indexes and conversation_tags
// follow by trigger); their deadlines are recomputed after the migration.
func repairDates(ctx context.Context, q querier, now time.Time) error {
	nowMS := ms(now)
	hi := min(nowMS+(24*time.Hour).Milliseconds(), maxReadMS)
	const flagged = `instr(',' || flags || ',', ',suspicious-date,') > 0`
	const outOfRange = `NOT BETWEEN 0 AND :hi`
	steps := []struct{ what, sql string }{
		{"messages", `
			UPDATE messages SET
				claimed_at = CASE WHEN sent_at BETWEEN :minClaim AND :maxRead THEN sent_at END,
				sent_at = CASE WHEN sent_at < 0 THEN 0 ELSE :now END,
				flags = CASE WHEN flags = '' THEN 'suspicious-date' WHEN ` + flagged + ` THEN flags
				             ELSE flags || ',suspicious-date' END
			WHERE sent_at ` + outOfRange},
		{"select conversations", `
			CREATE TEMP TABLE repair_conversations AS
			SELECT id FROM conversations
			WHERE id IN (SELECT conversation_id FROM messages WHERE ` + flagged + `)
			   OR first_message_at ` + outOfRange + ` OR last_message_at ` + outOfRange + `
			   OR last_in_at ` + outOfRange + ` OR last_out_at ` + outOfRange + `
			   OR waiting_since ` + outOfRange + ` OR sentiment_at ` + outOfRange},
		{"conversation times", `
			UPDATE conversations SET
				first_message_at = coalesce((SELECT min(sent_at) FROM messages m WHERE m.conversation_id = conversations.id),
				                            min(max(first_message_at, 0), :now)),
				last_message_at = coalesce((SELECT max(sent_at) FROM messages m WHERE m.conversation_id = conversations.id),
				                           min(max(last_message_at, 0), :now)),
				last_in_at = (SELECT max(sent_at) FROM messages m WHERE m.conversation_id = conversations.id AND m.direction = 'in'),
				last_out_at = (SELECT max(sent_at) FROM messages m WHERE m.conversation_id = conversations.id AND m.direction = 'out'),
				sentiment_at = min(max(sentiment_at, 0), :now)
			WHERE id IN (SELECT id FROM temp.repair_conversations)`},
		// A second statement: UPDATE reads the old row, and waiting_since depends on the new last_out_at.
		{"waiting since", `
			UPDATE conversations SET waiting_since = (
				SELECT min(m.sent_at) FROM messages m
				WHERE m.conversation_id = conversations.id AND m.direction = 'in'
				  AND (conversations.last_out_at IS NULL OR m.sent_at > conversations.last_out_at))
			WHERE id IN (SELECT id FROM temp.repair_conversations)`},
		{"drop selection", `DROP TABLE temp.repair_conversations`},
		{"deadlines", `
			UPDATE conversations SET
				sla_due_at = min(max(sla_due_at, 0), :maxRead),
				sla_key = coalesce(min(max(sla_due_at, 0), :maxRead), 9223372036854775807),
				sla_warn_at = min(max(sla_warn_at, 0), :maxRead)
			WHERE sla_due_at NOT BETWEEN 0 AND :maxRead OR sla_warn_at NOT BETWEEN 0 AND :maxRead`},
		{"authors", `UPDATE authors SET seen_at = min(max(seen_at, 0), :now) WHERE seen_at ` + outOfRange},
	}
	args := []any{sql.Named("now", nowMS), sql.Named("hi", hi), sql.Named("maxRead", int64(maxReadMS)),
		sql.Named("minClaim", time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli())}
	for _, st := range steps {
		if _, err := q.ExecContext(ctx, st.sql, usedArgs(st.sql, args)...); err != nil {
			return fmt.Errorf("repair dates: %s: %w", st.what, err)
		}
	}
	return nil
}

// usedArgs keeps the named arguments a statement names; SQLite rejects others.
func usedArgs(query string, args []any) []any {
	var out []any
	for _, a := range args {
		if na, ok := a.(sql.NamedArg); ok && strings.Contains(query, ":"+na.Name) {
			out = append(out, a)
		}
	}
	return out
}

// schemaInboxTriage keeps what an agent adds to the inbox beside the
// conversations themselves: internal notes, snoozes (a conversation leaves the
// open views until a time, or until the customer writes again), saved views
// (a named set of filters) and the prior state of recent triage actions, so an
// action can be undone. A snooze is a row, not a status: the SLA clocks and
// the status history stay what they are while it lasts.
const schemaInboxTriage = `
CREATE TABLE conversation_notes (
	id              INTEGER PRIMARY KEY,
	conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
	author          TEXT    NOT NULL,
	body            TEXT    NOT NULL,
	created_at      INTEGER NOT NULL
);
CREATE INDEX conversation_notes_thread ON conversation_notes (conversation_id, created_at, id);

CREATE TABLE conversation_snoozes (
	conversation_id INTEGER PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
	until           INTEGER NOT NULL,
	snoozed_at      INTEGER NOT NULL,
	snoozed_by      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX conversation_snoozes_until ON conversation_snoozes (until);

-- The customer writing again ends a snooze early.
CREATE TRIGGER conversation_snoozes_wake_on_inbound AFTER INSERT ON messages
WHEN NEW.direction = 'in' BEGIN
	DELETE FROM conversation_snoozes WHERE conversation_id = NEW.conversation_id;
END;

CREATE TABLE saved_views (
	id         INTEGER PRIMARY KEY,
	name       TEXT    NOT NULL UNIQUE COLLATE NOCASE,
	filters    TEXT    NOT NULL,
	created_at INTEGER NOT NULL
);

CREATE TABLE triage_undo (
	id         INTEGER PRIMARY KEY,
	created_at INTEGER NOT NULL,
	agent      TEXT    NOT NULL DEFAULT '',
	prior      TEXT    NOT NULL
);
`

// schemaHistoryUntil marks imported history per conversation: its messages sent
// at or before history_until (Unix ms; NULL: none) were older than the SLA
// history horizon when they were stored, or imported with --historical, and
// start no SLA clock (sla.Conversation.HistoryUntil).
const schemaHistoryUntil = `
ALTER TABLE conversations ADD COLUMN history_until INTEGER;
`

// markPastHistory marks what older versions stored as history: a message sent
// more than the default horizon before its account was created cannot have
// arrived in time, because nothing arrives before its account exists. Their
// "Overdue 4,298d" deadlines are recomputed after the migration.
func markPastHistory(ctx context.Context, q querier, _ time.Time) error {
	if _, err := q.ExecContext(ctx, `
		UPDATE conversations SET history_until = (
			SELECT max(m.sent_at) FROM messages m
			WHERE m.conversation_id = conversations.id
			  AND m.sent_at < (SELECT a.created_at FROM accounts a WHERE a.id = conversations.account_id) - ?)`,
		sla.DefaultHistoryHorizon.Milliseconds()); err != nil {
		return fmt.Errorf("mark past history: %w", err)
	}
	return nil
}
