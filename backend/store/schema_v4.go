package store

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
