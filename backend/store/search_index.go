package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/textsearch"
)

// schemaSearchStems lets search match word forms (see backend/textsearch):
// messages keep the distinct stems of their words, computed in Go when they
// are stored, and the full-text index gets them as a third column. Its
// subject and text columns now come from a view that writes ё as е, so
// phrases and prefixes match either spelling too.
//
// The step's SQL only drops the old index and adds the column; fillSearchStems
// stems the stored messages and then builds the new index over them in one
// pass, which is far cheaper than updating an index row per message.
const schemaSearchStems = `
DROP TRIGGER IF EXISTS messages_fts_insert;
DROP TRIGGER IF EXISTS messages_fts_delete;
DROP TRIGGER IF EXISTS messages_fts_update;
DROP TABLE IF EXISTS messages_fts;
ALTER TABLE messages ADD COLUMN stems TEXT NOT NULL DEFAULT '';
`

// searchIndexSQL creates the stemmed full-text index and the triggers that
// keep it; fillSearchStems runs it once the stems are stored.
const searchIndexSQL = `
CREATE VIEW messages_search AS
SELECT id,
       replace(replace(subject, 'ё', 'е'), 'Ё', 'Е') AS subject,
       replace(replace(text, 'ё', 'е'), 'Ё', 'Е') AS text,
       stems
FROM messages;

CREATE VIRTUAL TABLE messages_fts USING fts5 (
	subject, text, stems,
	-- columnsize = 0: no per-document size table; results are ordered by
	-- rowid, never ranked with bm25 over all matches
	content = 'messages_search', content_rowid = 'id', columnsize = 0,
	tokenize = 'unicode61 remove_diacritics 2'
);

-- The external-content index follows the messages table through the view;
-- the values given here must be the view's, or a delete would miss.
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
	INSERT INTO messages_fts (rowid, subject, text, stems)
	VALUES (NEW.id, replace(replace(NEW.subject, 'ё', 'е'), 'Ё', 'Е'), replace(replace(NEW.text, 'ё', 'е'), 'Ё', 'Е'), NEW.stems);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
	INSERT INTO messages_fts (messages_fts, rowid, subject, text, stems)
	VALUES ('delete', OLD.id, replace(replace(OLD.subject, 'ё', 'е'), 'Ё', 'Е'), replace(replace(OLD.text, 'ё', 'е'), 'Ё', 'Е'), OLD.stems);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF subject, text, stems ON messages BEGIN
	INSERT INTO messages_fts (messages_fts, rowid, subject, text, stems)
	VALUES ('delete', OLD.id, replace(replace(OLD.subject, 'ё', 'е'), 'Ё', 'Е'), replace(replace(OLD.text, 'ё', 'е'), 'Ё', 'Е'), OLD.stems);
	INSERT INTO messages_fts (rowid, subject, text, stems)
	VALUES (NEW.id, replace(replace(NEW.subject, 'ё', 'е'), 'Ё', 'Е'), replace(replace(NEW.text, 'ё', 'е'), 'Ё', 'Е'), NEW.stems);
END;
`

// messageStems is the stems column of a message.
func messageStems(an *textsearch.Analyzer, subject, text string) string {
	return an.Document(textsearch.DetectLang(subject, text), subject, text)
}

// aheadStems is the stems column of a batch's messages, computed on a
// goroutine of its own while the transaction does its SQL work (authors,
// conversations, the inserts of earlier chunks): SQLite writes on one core,
// and stemming and language detection would otherwise add to its time.
//
// On PostgreSQL the goroutine also folds what the search columns index
// (pgfold.go), so the server gets ready strings.
type aheadStems struct {
	stems []string
	pg    []pgSearchText  // on PostgreSQL, by message
	ready []chan struct{} // ready[k] is closed once chunk k is stemmed
	chunk int
}

// pgSearchText is a message's search column on PostgreSQL: the tsvector
// built in Go (pgvector.go), or, where the builder declines, the strings the
// server makes it from: its stems as stormdesk_unaccent, its subject and
// text as stormdesk_fold make them.
type pgSearchText struct {
	vector               string
	built                bool
	stems, subject, text string
}

// stemAhead starts stemming the messages of fr, chunk messages at a time in
// order. The goroutine only reads the items' subjects and texts and ends
// after the last chunk, whether or not they are used.
func stemAhead(fr []fresh, chunk int, pg bool) *aheadStems {
	a := &aheadStems{stems: make([]string, len(fr)), ready: make([]chan struct{}, (len(fr)+chunk-1)/chunk), chunk: chunk}
	if pg {
		a.pg = make([]pgSearchText, len(fr))
	}
	texts := make([][2]string, len(fr))
	for i := range fr {
		texts[i] = [2]string{fr[i].it.Subject, fr[i].it.Text}
		if i%chunk == 0 {
			a.ready[i/chunk] = make(chan struct{})
		}
	}
	go func() {
		an := textsearch.NewAnalyzer()
		var vb pgVectorBuilder
		subjFolded := ""
		for i, t := range texts {
			a.stems[i] = messageStems(an, t[0], t[1])
			if a.pg != nil {
				// A thread's messages mostly repeat the subject before them.
				if i == 0 || t[0] != texts[i-1][0] {
					subjFolded = pgFoldWords(t[0])
				}
				st := pgSearchText{stems: pgFoldCase(a.stems[i]), subject: subjFolded, text: pgFoldWords(t[1])}
				if st.vector, st.built = vb.build(st.subject, st.text, st.stems); st.built {
					st.stems, st.subject, st.text = "", "", ""
				}
				a.pg[i] = st
			}
			if i == len(texts)-1 || (i+1)%chunk == 0 {
				close(a.ready[i/chunk])
			}
		}
	}()
	return a
}

// get returns the stems of message i, waiting until they are computed.
func (a *aheadStems) get(i int) string {
	<-a.ready[i/a.chunk]
	return a.stems[i]
}

// search returns the folded search text of message i (PostgreSQL), waiting
// until it is computed.
func (a *aheadStems) search(i int) pgSearchText {
	<-a.ready[i/a.chunk]
	return a.pg[i]
}

// stemsFillBatch is how many messages fillSearchStems reads and writes at once.
const stemsFillBatch = 2000

// fillSearchStems stems every stored message, in batches of ids so memory
// stays flat at millions of messages, then creates the index and builds it
// from the view in one pass.
func fillSearchStems(ctx context.Context, q querier, _ time.Time) error {
	an := textsearch.NewAnalyzer()
	type row struct {
		id            int64
		subject, text string
	}
	rows := make([]row, 0, stemsFillBatch)
	for after := int64(0); ; {
		rows = rows[:0]
		rs, err := q.QueryContext(ctx, `SELECT id, subject, text FROM messages WHERE id > ? ORDER BY id LIMIT ?`, after, stemsFillBatch)
		if err != nil {
			return fmt.Errorf("stem messages: %w", err)
		}
		for rs.Next() {
			var r row
			if err := rs.Scan(&r.id, &r.subject, &r.text); err != nil {
				rs.Close()
				return fmt.Errorf("stem messages: %w", err)
			}
			rows = append(rows, r)
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return fmt.Errorf("stem messages: %w", err)
		}
		if len(rows) == 0 {
			break
		}
		// One multi-row UPDATE per chunk: a VALUES list joined on id.
		if err := chunks(len(rows), 400, func(lo, hi int) error {
			args := make([]any, 0, 2*(hi-lo))
			for _, r := range rows[lo:hi] {
				args = append(args, r.id, messageStems(an, r.subject, r.text))
			}
			values := strings.TrimSuffix(strings.Repeat("(?, ?), ", hi-lo), ", ")
			_, err := q.ExecContext(ctx, `WITH s (id, stems) AS (VALUES `+values+`)
				UPDATE messages SET stems = s.stems FROM s WHERE messages.id = s.id`, args...)
			return err
		}); err != nil {
			return fmt.Errorf("stem messages: %w", err)
		}
		after = rows[len(rows)-1].id
	}
	if _, err := q.ExecContext(ctx, searchIndexSQL); err != nil {
		return fmt.Errorf("create search index: %w", err)
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')`); err != nil {
		return fmt.Errorf("build search index: %w", err)
	}
	return nil
}
