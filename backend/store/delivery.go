package store

import (
	"context"
	"fmt"
	"time"
)

// schemaDeliveryStatus (SQLite 30, PostgreSQL 15) keeps the delivery status
// a platform reported for a message the business sent (WhatsApp webhooks:
// sent, delivered, read, failed). It is keyed on the platform's message id
// rather than a column of replies: Meta may report "sent" before the outbox
// has recorded the reply as sent, and a status must not be lost then.
const schemaDeliveryStatus = `
CREATE TABLE delivery_status (
	account_id  BIGINT  NOT NULL REFERENCES accounts (id),
	external_id TEXT    NOT NULL,
	status      TEXT    NOT NULL,
	rank        INTEGER NOT NULL,
	error_code  INTEGER NOT NULL DEFAULT 0,
	error       TEXT    NOT NULL DEFAULT '',
	at          BIGINT  NOT NULL,
	PRIMARY KEY (account_id, external_id)
);
`

// Delivery statuses, in the order a message passes them.
const (
	DeliverySent      = "sent"
	DeliveryDelivered = "delivered"
	DeliveryRead      = "read"
	DeliveryFailed    = "failed"
)

// deliveryRank orders statuses: webhooks arrive in any order and may be
// replayed, and a later "delivered" must not undo a "read". A failure
// outranks all: Meta reports it after "sent" when the message could not be
// delivered.
var deliveryRank = map[string]int{DeliverySent: 1, DeliveryDelivered: 2, DeliveryRead: 3, DeliveryFailed: 4}

// Delivery is one delivery status of a sent message.
type Delivery struct {
	ExternalID string    `json:"externalId"`
	Status     string    `json:"status"`
	At         time.Time `json:"at" ts_type:"string"`
	ErrorCode  int       `json:"errorCode"`
	Error      string    `json:"error"` // the platform's words for a failure
}

// RecordDelivery stores statuses of an account's sent messages, each only
// when it is further along than the one stored, and reports how many
// changed. A replayed status changes nothing.
func (s *Store) RecordDelivery(ctx context.Context, accountID int64, ds []Delivery) (int, error) {
	changed := 0
	for _, d := range ds {
		rank, ok := deliveryRank[d.Status]
		if !ok || d.ExternalID == "" {
			return changed, fmt.Errorf("store: delivery status %q of message %q: unknown status or no id", d.Status, d.ExternalID)
		}
		res, err := s.db.ExecContext(ctx, `INSERT INTO delivery_status (account_id, external_id, status, rank, error_code, error, at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (account_id, external_id) DO UPDATE SET status = excluded.status, rank = excluded.rank,
				error_code = excluded.error_code, error = excluded.error, at = excluded.at
			WHERE excluded.rank > delivery_status.rank`,
			accountID, d.ExternalID, d.Status, rank, d.ErrorCode, d.Error, ms(d.At))
		if err != nil {
			return changed, fmt.Errorf("store: delivery status of message %s: %w", d.ExternalID, err)
		}
		if n, err := res.RowsAffected(); err == nil && n > 0 {
			changed++
		}
	}
	return changed, nil
}

// ReplyDeliveries gives the delivery status of each sent reply of a
// conversation that has one, by reply id.
func (s *Store) ReplyDeliveries(ctx context.Context, conversationID int64) (map[string]Delivery, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT r.id, d.external_id, d.status, d.at, d.error_code, d.error
		FROM replies r JOIN delivery_status d ON d.account_id = r.account_id AND d.external_id = r.sent_external_id
		WHERE r.conversation_id = ? AND r.sent_external_id <> ''`, conversationID)
	if err != nil {
		return nil, fmt.Errorf("store: deliveries of conversation %d: %w", conversationID, err)
	}
	defer rows.Close()
	out := map[string]Delivery{}
	for rows.Next() {
		var id string
		var d Delivery
		var at int64
		if err := rows.Scan(&id, &d.ExternalID, &d.Status, &at, &d.ErrorCode, &d.Error); err != nil {
			return nil, fmt.Errorf("store: deliveries of conversation %d: %w", conversationID, err)
		}
		d.At = time.UnixMilli(at).UTC()
		out[id] = d
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: deliveries of conversation %d: %w", conversationID, err)
	}
	return out, nil
}
