package store

import (
	"context"
	"fmt"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
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
// changed. A replayed status changes nothing. A status without a plausible
// time (inbox.PlausibleDate) is dated when it is recorded.
func (s *Store) RecordDelivery(ctx context.Context, accountID int64, ds []Delivery) (int, error) {
	changed := 0
	for _, d := range ds {
		rank, ok := deliveryRank[d.Status]
		if !ok || d.ExternalID == "" {
			return changed, fmt.Errorf("store: delivery status %q of message %q: unknown status or no id", d.Status, d.ExternalID)
		}
		at := d.At
		if now := s.now(); !inbox.PlausibleDate(at, now) {
			// A receipt without a time (or with a broken one) was still
			// received: shown as "read 1 Jan 1970" it would say nothing true.
			at = now
		}
		res, err := s.db.ExecContext(ctx, `INSERT INTO delivery_status (account_id, external_id, status, rank, error_code, error, at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (account_id, external_id) DO UPDATE SET status = excluded.status, rank = excluded.rank,
				error_code = excluded.error_code, error = excluded.error, at = excluded.at
			WHERE excluded.rank > delivery_status.rank`,
			accountID, d.ExternalID, d.Status, rank, d.ErrorCode, d.Error, ms(at))
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

// SentUpTo lists the platform ids of the replies the business sent in the
// account's conversation threadKey at or before upTo: what a Messenger or
// Instagram watermark ("every message sent before this time") covers. With
// throughID (Instagram names the newest message seen, not a time), upTo is
// that reply's send time; nothing when no sent reply has that id. Send
// times are ours, taken when Meta answered the send, so a watermark equal
// to Meta's own stamp of the newest message may miss it by the answer's
// latency: the next receipt covers it.
func (s *Store) SentUpTo(ctx context.Context, accountID int64, threadKey string, upTo time.Time, throughID string) ([]string, error) {
	if throughID != "" {
		var at int64
		err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(sent_at), 0) FROM replies
			WHERE account_id = ? AND sent_external_id = ? AND sent_at IS NOT NULL`, accountID, throughID).Scan(&at)
		if err != nil {
			return nil, fmt.Errorf("store: replies sent through %s: %w", throughID, err)
		}
		if at == 0 {
			return nil, nil
		}
		upTo = time.UnixMilli(at)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT r.sent_external_id FROM replies r JOIN conversations c ON c.id = r.conversation_id
		WHERE c.account_id = ? AND c.thread_key = ? AND r.sent_external_id <> '' AND r.sent_at IS NOT NULL AND r.sent_at <= ?
		ORDER BY r.sent_at, r.id`, accountID, threadKey, ms(upTo))
	if err != nil {
		return nil, fmt.Errorf("store: replies sent in %s up to %s: %w", threadKey, upTo.Format(time.RFC3339), err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: replies sent in %s: %w", threadKey, err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: replies sent in %s: %w", threadKey, err)
	}
	return out, nil
}
