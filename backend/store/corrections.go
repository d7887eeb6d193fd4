package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Correction is a sentiment label a manager set by hand.
type Correction struct {
	MessageID     int64           `json:"messageId"`
	Text          string          `json:"text"`
	Label         inbox.Sentiment `json:"label"`
	PreviousLabel inbox.Sentiment `json:"previousLabel"`
	CorrectedBy   string          `json:"correctedBy"`
	CorrectedAt   time.Time       `json:"correctedAt"`
}

// CorrectSentiment sets an inbound message's label by hand, records the
// correction for retraining, and updates its conversation's sentiment and
// negative count, in one transaction.
func (s *Store) CorrectSentiment(ctx context.Context, messageID int64, label inbox.Sentiment, by string, at time.Time) error {
	if label == inbox.SentimentUnknown || !label.Valid() {
		return fmt.Errorf("store: correct message %d: label must be negative, neutral or positive, not %q", messageID, label)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: correct message %d: %w", messageID, err)
	}
	defer tx.Rollback()
	var conv int64
	var text, subject string
	var dir inbox.Direction
	var prev inbox.Sentiment
	err = tx.QueryRowContext(ctx, `SELECT conversation_id, text, subject, direction, sentiment FROM messages WHERE id = ?`, messageID).
		Scan(&conv, &text, &subject, &dir, &prev)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: correct message %d: %w", messageID, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("store: correct message %d: %w", messageID, err)
	}
	if dir != inbox.DirectionIn {
		return fmt.Errorf("store: correct message %d: only customers' messages have a sentiment to correct", messageID)
	}
	if text == "" {
		text = subject
	}
	score := map[inbox.Sentiment]float64{inbox.SentimentNegative: -1, inbox.SentimentNeutral: 0, inbox.SentimentPositive: 1}[label]
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO sentiment_corrections (message_id, text, label, previous_label, corrected_by, corrected_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (message_id) DO UPDATE SET label = excluded.label, corrected_by = excluded.corrected_by, corrected_at = excluded.corrected_at`,
		messageID, text, label, prev, by, ms(at)); err != nil {
		return fmt.Errorf("store: correct message %d: %w", messageID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE messages SET sentiment = ?, sentiment_score = ? WHERE id = ?`, label, score, messageID); err != nil {
		return fmt.Errorf("store: correct message %d: %w", messageID, err)
	}
	if err := refreshConversationSentiment(ctx, tx, conv); err != nil {
		return fmt.Errorf("store: correct message %d: %w", messageID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: correct message %d: %w", messageID, err)
	}
	return nil
}

// SentimentCorrections returns every correction, oldest first.
func (s *Store) SentimentCorrections(ctx context.Context) ([]Correction, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT message_id, text, label, previous_label, corrected_by, corrected_at FROM sentiment_corrections ORDER BY corrected_at, message_id`)
	if err != nil {
		return nil, fmt.Errorf("store: sentiment corrections: %w", err)
	}
	defer rows.Close()
	var out []Correction
	for rows.Next() {
		var c Correction
		var at int64
		if err := rows.Scan(&c.MessageID, &c.Text, &c.Label, &c.PreviousLabel, &c.CorrectedBy, &at); err != nil {
			return nil, fmt.Errorf("store: sentiment corrections: %w", err)
		}
		c.CorrectedAt = fromMS(at)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: sentiment corrections: %w", err)
	}
	return out, nil
}
