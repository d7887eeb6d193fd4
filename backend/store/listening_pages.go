package store

import "strings"

// schemaListeningPages (SQLite 31, PostgreSQL 17) gives every filter
// combination the Mentions screen offers an index whose prefix is exactly
// its equality filters followed by the page order (published, id), on the
// mention table and on the topic rows. A page then reads the LIMIT rows it
// returns and no others: with one index per leading filter and the rest
// checked on its rows, a rare combination (a topic's German negative YouTube
// mentions, 1 row in 700) read thousands of index entries per page, 27–40 ms
// at p99 over 1M mentions.
//
// The single-filter indexes lose the columns they carried for the checks.
const schemaListeningPages = `
DROP INDEX listening_mentions_source;
DROP INDEX listening_mentions_lang;
DROP INDEX listening_mentions_sentiment;
CREATE INDEX listening_mentions_source                ON listening_mentions (source, published, id);
CREATE INDEX listening_mentions_lang                  ON listening_mentions (lang, published, id);
CREATE INDEX listening_mentions_sentiment             ON listening_mentions (sentiment, published, id);
CREATE INDEX listening_mentions_source_lang           ON listening_mentions (source, lang, published, id);
CREATE INDEX listening_mentions_source_sentiment      ON listening_mentions (source, sentiment, published, id);
CREATE INDEX listening_mentions_lang_sentiment        ON listening_mentions (lang, sentiment, published, id);
CREATE INDEX listening_mentions_source_lang_sentiment ON listening_mentions (source, lang, sentiment, published, id);

DROP INDEX listening_mention_topics_source;
DROP INDEX listening_mention_topics_lang;
DROP INDEX listening_mention_topics_sentiment;
CREATE INDEX listening_mention_topics_source                ON listening_mention_topics (topic_id, source, published, mention_id);
CREATE INDEX listening_mention_topics_lang                  ON listening_mention_topics (topic_id, lang, published, mention_id);
CREATE INDEX listening_mention_topics_sentiment             ON listening_mention_topics (topic_id, sentiment, published, mention_id);
CREATE INDEX listening_mention_topics_source_lang           ON listening_mention_topics (topic_id, source, lang, published, mention_id);
CREATE INDEX listening_mention_topics_source_sentiment      ON listening_mention_topics (topic_id, source, sentiment, published, mention_id);
CREATE INDEX listening_mention_topics_lang_sentiment        ON listening_mention_topics (topic_id, lang, sentiment, published, mention_id);
CREATE INDEX listening_mention_topics_source_lang_sentiment ON listening_mention_topics (topic_id, source, lang, sentiment, published, mention_id);
`

// listeningPageIndex names the index that matches the filter exactly
// (schemaListeningPages): the table's prefix and the filters present, in
// the order source, lang, sentiment; "newest" without any.
func listeningPageIndex(table string, f ListeningFilter) string {
	var parts []string
	if f.Source != "" {
		parts = append(parts, "source")
	}
	if f.Lang != "" {
		parts = append(parts, "lang")
	}
	if f.Sentiment != "" {
		parts = append(parts, "sentiment")
	}
	if len(parts) == 0 {
		return table + "_newest"
	}
	return table + "_" + strings.Join(parts, "_")
}
