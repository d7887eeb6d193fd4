package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// SyncState is where a connector left off for one account.
type SyncState struct {
	Cursor   string    `json:"cursor"`
	SyncedAt time.Time `json:"syncedAt"`
	// Fetched counts items received from the platform over the account's life; given to
	// SaveBatch it is the batch's own count, which includes items ingest rejected.
	Fetched   int64  `json:"fetched"`
	Skipped   int64  `json:"skipped"` // updates the connector did not understand
	LastError string `json:"lastError"`
}

// SyncStateOf returns an account's sync state; a never-synced account has the zero state.
func (s *Store) SyncStateOf(ctx context.Context, accountID int64) (SyncState, error) {
	var st SyncState
	var synced int64
	err := s.db.QueryRowContext(ctx, `SELECT cursor, synced_at, fetched, skipped, last_error FROM sync_state WHERE account_id = ?`, accountID).
		Scan(&st.Cursor, &synced, &st.Fetched, &st.Skipped, &st.LastError)
	if errors.Is(err, sql.ErrNoRows) {
		return SyncState{}, nil
	}
	if err != nil {
		return SyncState{}, fmt.Errorf("store: sync state of account %d: %w", accountID, err)
	}
	if synced != 0 {
		st.SyncedAt = fromMS(synced)
	}
	return st, nil
}

// SetSyncError records why the last sync of an account failed ("" clears it), keeping the cursor.
func (s *Store) SetSyncError(ctx context.Context, accountID int64, msg string) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO sync_state (account_id, last_error) VALUES (?, ?)
		ON CONFLICT (account_id) DO UPDATE SET last_error = excluded.last_error`, accountID, msg)
	if err != nil {
		return fmt.Errorf("store: record sync error of account %d: %w", accountID, err)
	}
	return nil
}

// putSyncState stores the cursor after n more fetched items; Skipped adds up.
func putSyncState(ctx context.Context, tx *sql.Tx, accountID int64, st SyncState, n int) error {
	if st.Fetched > int64(n) {
		n = int(st.Fetched)
	}
	synced := st.SyncedAt
	if synced.IsZero() {
		synced = time.Now()
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO sync_state (account_id, cursor, synced_at, fetched, skipped, last_error)
		VALUES (?1, ?2, ?3, ?4, ?5, '')
		ON CONFLICT (account_id) DO UPDATE SET cursor = ?2, synced_at = ?3,
			fetched = sync_state.fetched + ?4, skipped = sync_state.skipped + ?5, last_error = ''`,
		accountID, st.Cursor, ms(synced), n, st.Skipped)
	if err != nil {
		return fmt.Errorf("store sync cursor: %w", err)
	}
	return nil
}

// ThreadKeysOf maps each of the account's stored messages among externalIDs
// to the thread key of its conversation, so replies can join the thread they
// answer. Ids that are not stored are absent from the map.
func (s *Store) ThreadKeysOf(ctx context.Context, accountID int64, externalIDs []string) (map[string]string, error) {
	found := make(map[string]string)
	const chunk = 500 // well under SQLite's bound-parameter limit
	for lo := 0; lo < len(externalIDs); lo += chunk {
		ids := externalIDs[lo:min(lo+chunk, len(externalIDs))]
		args := make([]any, 0, len(ids)+1)
		args = append(args, accountID)
		for _, id := range ids {
			args = append(args, id)
		}
		rows, err := s.db.QueryContext(ctx, `
			SELECT m.external_id, c.thread_key FROM messages m JOIN conversations c ON c.id = m.conversation_id
			WHERE m.account_id = ? AND m.external_id IN (?`+strings.Repeat(",?", len(ids)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: threads of referenced messages: %w", err)
		}
		for rows.Next() {
			var ext, k string
			if err := rows.Scan(&ext, &k); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: threads of referenced messages: %w", err)
			}
			found[ext] = k
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("store: threads of referenced messages: %w", err)
		}
	}
	return found, nil
}

func attachmentsJSON(a []inbox.Attachment) string {
	if len(a) == 0 {
		return ""
	}
	b, err := json.Marshal(a)
	if err != nil { // plain structs of strings and ints always marshal
		return ""
	}
	return string(b)
}

func parseAttachments(s string) ([]inbox.Attachment, error) {
	if s == "" {
		return nil, nil
	}
	var a []inbox.Attachment
	if err := json.Unmarshal([]byte(s), &a); err != nil {
		return nil, fmt.Errorf("attachments: %w", err)
	}
	return a, nil
}

// ThreadKeyBySubject finds the newest mail conversation of the account with
// exactly this subject, started by the same author, active since since; ok is
// false when there is none. It is the fallback for replies whose mail client
// sent no In-Reply-To or References.
func (s *Store) ThreadKeyBySubject(ctx context.Context, accountID int64, subject, authorExternalID string, since time.Time) (string, bool, error) {
	var key string
	err := s.db.QueryRowContext(ctx, `
		SELECT c.thread_key FROM conversations c JOIN authors a ON a.id = c.author_id
		WHERE c.account_id = ? AND c.subject = ? AND c.kind = 'mail' AND a.external_id = ? AND c.last_message_at >= ?
		ORDER BY c.last_message_at DESC LIMIT 1`, accountID, subject, authorExternalID, ms(since)).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("store: thread by subject: %w", err)
	}
	return key, true, nil
}
