package store

// pgSearchOneIndex (PostgreSQL step 16, issue 16; step 15 is the WhatsApp
// delivery statuses) folds the two search columns into one, `search`, with one GIN
// index, and takes the foreign-key checks of messages off the import path.
//
// One column: the words of subject and text keep the default weight D and
// their positions (phrases need them); the stems follow with weight A, so a
// lexeme that is both a word and a stem is one index entry whose positions
// say which it is. A query names the weight ('refund':A for a stem,
// 'refund':D for a word), which the GIN index cannot check and rechecks on
// the row. What that buys:
//   - import: each row's lexemes go into one GIN index, not two (the two were
//     16.6 % of the inserting backend, most of it their pending-list cleanup);
//   - search: "its stems or its own word" of every term is one index key, so
//     an AND whose words are found in different columns (a stem of one, the
//     word of the other: `задержка рейса`) is one scan with a key per word,
//     which skips through the longer posting list, instead of two whole
//     bitmaps ANDed.
//
// The stems go after the words because tsvector concatenation shifts the
// right side's positions: the words keep exactly the positions search_words
// had. A lexeme keeps at most 256 positions, so in a message that has one
// word more than 256 times the same lexeme's stem position may be lost; the
// word still matches.
//
// Foreign keys: messages referenced conversations, accounts and authors, and
// PostgreSQL 15 checks such a key with one query per key per inserted row
// (21.7 % of the inserting backend). Every writer of messages keeps them
// itself: SaveItems inserts a message only into the conversation it found or
// created and the author it upserted in the same transaction, for the account
// it holds the advisory lock of; import-local copies conversations and
// authors before their messages, in one transaction; and no code deletes a
// conversation, an account or an author (an account is marked removed).
// The keys that point at messages (replies, notes, ...) stay.
//
// The step rewrites every message once (the new column from the two old
// ones, no text is parsed again) and builds the new index; ANALYZE gives the
// planner the new column's statistics, which the search's first window is
// sized by.
const pgSearchOneIndex = `
DROP TRIGGER messages_search_columns ON messages;
DROP TRIGGER messages_search_columns_update ON messages;
DROP INDEX messages_search_stems;
DROP INDEX messages_search_words;
ALTER TABLE messages ADD COLUMN search tsvector;
UPDATE messages SET search = search_words || setweight(search_stems, 'A');
ALTER TABLE messages DROP COLUMN search_stems, DROP COLUMN search_words;
CREATE INDEX messages_search_gin ON messages USING gin (search);

CREATE OR REPLACE FUNCTION messages_search_columns() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.search := to_tsvector('simple', stormdesk_fold(NEW.subject)) || to_tsvector('simple', stormdesk_fold(NEW.text))
		|| setweight(to_tsvector('simple', stormdesk_unaccent(NEW.stems)), 'A');
	RETURN NEW;
END $$;
CREATE TRIGGER messages_search_columns BEFORE INSERT ON messages
FOR EACH ROW WHEN (NEW.search IS NULL) EXECUTE FUNCTION messages_search_columns();
CREATE TRIGGER messages_search_columns_update BEFORE UPDATE OF subject, text, stems ON messages
FOR EACH ROW WHEN (NEW.subject IS DISTINCT FROM OLD.subject OR NEW.text IS DISTINCT FROM OLD.text OR NEW.stems IS DISTINCT FROM OLD.stems)
EXECUTE FUNCTION messages_search_columns();

ALTER TABLE messages
	DROP CONSTRAINT IF EXISTS messages_conversation_id_fkey,
	DROP CONSTRAINT IF EXISTS messages_account_id_fkey,
	DROP CONSTRAINT IF EXISTS messages_author_id_fkey;

ANALYZE messages;
`
