package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// SentimentSource says who set a message's label.
type SentimentSource string

// Sentiment sources (the CHECK of messages.sentiment_source).
const (
	SourceModel   SentimentSource = "model"   // the offline model at ingest, or the importer's own label
	SourceLLM     SentimentSource = "llm"     // the optional LLM classification
	SourceManager SentimentSource = "manager" // a manager's correction; nothing overrides it
)

// UncertainMessage is an inbound message the offline model labelled with low confidence.
type UncertainMessage struct {
	ID         int64           `json:"id"`
	Text       string          `json:"text"`
	Label      inbox.Sentiment `json:"label"`
	Confidence float64         `json:"confidence"`
}

// UncertainMessages returns up to limit inbound messages with text whose
// label the offline model gave with confidence below below, newest first.
// Messages labelled by the LLM or a manager, and those without a known
// confidence, are never returned.
func (s *Store) UncertainMessages(ctx context.Context, below float64, limit int) ([]UncertainMessage, error) {
	if limit <= 0 {
		return []UncertainMessage{}, nil
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT id, CASE WHEN text != '' THEN text ELSE subject END, sentiment, sentiment_confidence
		FROM messages`+s.d.indexedBy("messages_uncertain")+`
		WHERE direction = 'in' AND sentiment_source = 'model' AND sentiment_confidence IS NOT NULL
		  AND sentiment_confidence < ? AND (trim(text) != '' OR trim(subject) != '')
		ORDER BY sent_at DESC, id DESC LIMIT ?`, below, limit)
	if err != nil {
		return nil, fmt.Errorf("store: uncertain messages below %.2f: %w", below, err)
	}
	defer rows.Close()
	out := []UncertainMessage{}
	for rows.Next() {
		var m UncertainMessage
		if err := rows.Scan(&m.ID, &m.Text, &m.Label, &m.Confidence); err != nil {
			return nil, fmt.Errorf("store: uncertain messages: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: uncertain messages: %w", err)
	}
	return out, nil
}

// LLMLabel is the LLM's label for one message.
type LLMLabel struct {
	MessageID  int64
	Label      inbox.Sentiment
	Confidence float64 // 0..1
}

// LLMLabelResult counts what SetLLMSentiments changed.
type LLMLabelResult struct {
	Updated    int `json:"updated"`    // messages now labelled by the LLM
	Relabelled int `json:"relabelled"` // of those, how many got a different label
	Skipped    int `json:"skipped"`    // corrected by a manager, outbound or gone: left alone
}

// SetLLMSentiment stores the LLM's label for one inbound message and updates
// its conversation's sentiment and negative count like a correction does. A
// label a manager set wins: such a message is left alone (ok false).
func (s *Store) SetLLMSentiment(ctx context.Context, messageID int64, label inbox.Sentiment, confidence float64) (bool, error) {
	r, err := s.SetLLMSentiments(ctx, []LLMLabel{{MessageID: messageID, Label: label, Confidence: confidence}})
	return r.Updated == 1, err
}

// SetLLMSentiments stores a batch of LLM labels in one transaction: all are
// validated first, so a bad one writes nothing. Messages a manager corrected
// are skipped, as are outbound and missing ones.
func (s *Store) SetLLMSentiments(ctx context.Context, labels []LLMLabel) (LLMLabelResult, error) {
	var res LLMLabelResult
	for _, l := range labels {
		if l.Label == inbox.SentimentUnknown || !l.Label.Valid() {
			return res, fmt.Errorf("store: LLM label of message %d: must be negative, neutral or positive, not %q", l.MessageID, l.Label)
		}
		if math.IsNaN(l.Confidence) || l.Confidence < 0 || l.Confidence > 1 {
			return res, fmt.Errorf("store: LLM label of message %d: confidence %v is outside 0..1", l.MessageID, l.Confidence)
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("store: LLM labels: %w", err)
	}
	defer tx.Rollback()
	convs := map[int64]bool{}
	for _, l := range labels {
		var conv int64
		var prev inbox.Sentiment
		// The correction check repeats the trigger's rule so a manager wins
		// even over a row written before schema v9 marked sources.
		err := tx.QueryRowContext(ctx, `
			SELECT conversation_id, sentiment FROM messages m
			WHERE id = ? AND direction = 'in' AND sentiment_source != 'manager'
			  AND NOT EXISTS (SELECT 1 FROM sentiment_corrections c WHERE c.message_id = m.id)`, l.MessageID).Scan(&conv, &prev)
		if err == sql.ErrNoRows {
			res.Skipped++
			continue
		}
		if err != nil {
			return LLMLabelResult{}, fmt.Errorf("store: LLM label of message %d: %w", l.MessageID, err)
		}
		score := map[inbox.Sentiment]float64{inbox.SentimentNegative: -l.Confidence, inbox.SentimentPositive: l.Confidence}[l.Label]
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET sentiment = ?, sentiment_score = ?, sentiment_confidence = ?, sentiment_source = 'llm'
			WHERE id = ?`, l.Label, score, l.Confidence, l.MessageID); err != nil {
			return LLMLabelResult{}, fmt.Errorf("store: LLM label of message %d: %w", l.MessageID, err)
		}
		res.Updated++
		if prev != l.Label {
			res.Relabelled++
			convs[conv] = true
		}
	}
	for conv := range convs {
		if err := refreshConversationSentiment(ctx, tx, conv); err != nil {
			return LLMLabelResult{}, fmt.Errorf("store: LLM labels: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return LLMLabelResult{}, fmt.Errorf("store: LLM labels: %w", err)
	}
	return res, nil
}

// refreshConversationSentiment recomputes a conversation's negative count and
// its sentiment (the newest labelled inbound message's) after a label changed,
// by a manager's correction or by the LLM.
func refreshConversationSentiment(ctx context.Context, tx *sql.Tx, conv int64) error {
	if _, err := tx.ExecContext(ctx, `
		UPDATE conversations SET
			negative_count = (SELECT count(*) FROM messages WHERE conversation_id = ?1 AND direction = 'in' AND sentiment = 'negative'),
			sentiment = coalesce((SELECT sentiment FROM messages WHERE conversation_id = ?1 AND direction = 'in' AND sentiment != ''
			                      ORDER BY sent_at DESC, id DESC LIMIT 1), '')
		WHERE id = ?1`, conv); err != nil {
		return fmt.Errorf("conversation %d sentiment: %w", conv, err)
	}
	return nil
}

// MessageSentiment returns a message's label, who set it and the confidence
// stored with it (nil when unknown).
func (s *Store) MessageSentiment(ctx context.Context, messageID int64) (inbox.Sentiment, SentimentSource, *float64, error) {
	var label inbox.Sentiment
	var src SentimentSource
	var conf sql.NullFloat64
	err := s.db.QueryRowContext(ctx, `SELECT sentiment, sentiment_source, sentiment_confidence FROM messages WHERE id = ?`, messageID).Scan(&label, &src, &conf)
	if err == sql.ErrNoRows {
		return "", "", nil, fmt.Errorf("store: sentiment of message %d: %w", messageID, ErrNotFound)
	}
	if err != nil {
		return "", "", nil, fmt.Errorf("store: sentiment of message %d: %w", messageID, err)
	}
	if !conf.Valid {
		return label, src, nil, nil
	}
	return label, src, &conf.Float64, nil
}

// sentimentConfidence is the stored value of an item's confidence: NULL when
// the label came with the item rather than from the model.
func sentimentConfidence(it *inbox.Item) any {
	if it.SentimentConfidence == nil {
		return nil
	}
	return *it.SentimentConfidence
}
