package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// recount recomputes what a conversation keeps about its messages (counts,
// first and last times, the waiting clock, sentiment, snippet, history mark)
// and then its SLA state, for each conversation of the import whose stored
// message count no longer matches its messages: one the server had synced
// before and to which the desktop added messages. A conversation the server
// did not have arrives with the desktop's counters, which match, and is left
// alone; so is a second run's, since the first one fixed them. Each chunk is
// one transaction holding the save lock of its accounts, so a sync saving
// into the same conversations on another instance takes turns with it.
// The status stays the server's: reopening a conversation a person closed
// is a sync's decision, not a move's.
func (im *localImport) recount(ctx context.Context) (int64, error) {
	ids := make([]int64, 0, len(im.convs))
	local := make(map[int64]int64, len(im.convs))
	for l, t := range im.convs {
		ids = append(ids, t)
		local[t] = l
	}
	slices.Sort(ids)
	var n int64
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), im.opts.Batch)]
		ids = ids[len(chunk):]
		var stale []int64
		err := im.inTx(ctx, func(tx *sql.Tx) error {
			var err error
			if stale, err = staleCounts(ctx, tx, chunk); err != nil || len(stale) == 0 {
				return err
			}
			if err := lockSaves(ctx, tx, stale); err != nil {
				return err
			}
			// Read again under the locks: a save may have fixed some meanwhile.
			if stale, err = staleCounts(ctx, tx, stale); err != nil || len(stale) == 0 {
				return err
			}
			if err := im.recountConversations(ctx, tx, stale, local); err != nil {
				return err
			}
			return im.dst.refresh(ctx, tx, im.dst.now(), false, stale...)
		})
		if err != nil {
			return n, fmt.Errorf("recount conversations: %w", err)
		}
		n += int64(len(stale))
	}
	if err := im.recountAccounts(ctx); err != nil {
		return n, err
	}
	return n, nil
}

// staleCounts returns the conversations of ids whose message count differs
// from their messages.
func staleCounts(ctx context.Context, tx *sql.Tx, ids []int64) ([]int64, error) {
	return queryIDs(ctx, tx, `SELECT c.id FROM conversations c WHERE c.id = ANY(?::bigint[])
		AND c.message_count <> (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) ORDER BY c.id`, []any{ids})
}

// lockSaves takes the save lock (lockClassSave) of the accounts of ids, in
// account order; a save batch holds one account's, so the two cannot deadlock.
func lockSaves(ctx context.Context, tx *sql.Tx, ids []int64) error {
	accounts, err := queryIDs(ctx, tx, `SELECT DISTINCT account_id FROM conversations WHERE id = ANY(?::bigint[]) ORDER BY account_id`, []any{ids})
	if err != nil {
		return err
	}
	for _, a := range accounts {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?, ?)`, lockClassSave, fold32(a)); err != nil {
			return fmt.Errorf("lock saves of account %d: %w", a, err)
		}
	}
	return nil
}

// recountConversations derives the message columns of ids from their
// messages, as the save batch keeps them (convState.apply).
func (im *localImport) recountConversations(ctx context.Context, tx *sql.Tx, ids []int64, local map[int64]int64) error {
	steps := []struct{ what, sql string }{
		{"counts and times", `
			UPDATE conversations c SET message_count = x.n, negative_count = x.neg,
				first_message_at = x.first, last_message_at = x.last, last_in_at = x.last_in, last_out_at = x.last_out
			FROM (SELECT conversation_id, count(*) AS n,
					count(*) FILTER (WHERE direction = 'in' AND sentiment = 'negative') AS neg,
					min(sent_at) AS first, max(sent_at) AS last,
					max(sent_at) FILTER (WHERE direction = 'in') AS last_in,
					max(sent_at) FILTER (WHERE direction = 'out') AS last_out
				FROM messages WHERE conversation_id = ANY(?::bigint[]) GROUP BY conversation_id) x
			WHERE c.id = x.conversation_id`},
		// A second statement: waiting_since depends on the new last_out_at.
		{"waiting since", `
			UPDATE conversations c SET waiting_since = (
				SELECT min(m.sent_at) FROM messages m
				WHERE m.conversation_id = c.id AND m.direction = 'in' AND (c.last_out_at IS NULL OR m.sent_at > c.last_out_at))
			WHERE c.id = ANY(?::bigint[])`},
		{"sentiment", `
			UPDATE conversations c SET sentiment = x.sentiment, sentiment_at = x.sent_at
			FROM (SELECT DISTINCT ON (conversation_id) conversation_id, sentiment, sent_at FROM messages
				WHERE conversation_id = ANY(?::bigint[]) AND direction = 'in' AND sentiment <> ''
				ORDER BY conversation_id, sent_at DESC, id DESC) x
			WHERE c.id = x.conversation_id`},
	}
	for _, st := range steps {
		if _, err := tx.ExecContext(ctx, st.sql, ids); err != nil {
			return fmt.Errorf("%s: %w", st.what, err)
		}
	}
	if err := recountSnippets(ctx, tx, ids); err != nil {
		return err
	}
	return im.mergeHistory(ctx, tx, ids, local)
}

// recountSnippets sets each conversation's snippet from its newest message.
func recountSnippets(ctx context.Context, tx *sql.Tx, ids []int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT ON (conversation_id) conversation_id, text, subject FROM messages
		WHERE conversation_id = ANY(?::bigint[]) ORDER BY conversation_id, sent_at DESC, id DESC`, ids)
	if err != nil {
		return fmt.Errorf("snippets: %w", err)
	}
	snips := map[int64]string{}
	for rows.Next() {
		var id int64
		var text, subject string
		if err := rows.Scan(&id, &text, &subject); err != nil {
			rows.Close()
			return fmt.Errorf("snippets: %w", err)
		}
		snips[id] = snippet(text, subject)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("snippets: %w", err)
	}
	for id, s := range snips {
		if _, err := tx.ExecContext(ctx, `UPDATE conversations SET snippet = ? WHERE id = ?`, s, id); err != nil {
			return fmt.Errorf("snippet of conversation %d: %w", id, err)
		}
	}
	return nil
}

// mergeHistory raises each conversation's history mark to the desktop's:
// messages that were history on the desktop (an import of old data) must
// not start SLA clocks on the server.
func (im *localImport) mergeHistory(ctx context.Context, tx *sql.Tx, ids []int64, local map[int64]int64) error {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = local[id]
	}
	rows, err := im.src.db.QueryContext(ctx, `SELECT id, history_until FROM conversations
		WHERE history_until IS NOT NULL AND id IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")+`)`, args...)
	if err != nil {
		return fmt.Errorf("read source history marks: %w", err)
	}
	marks := map[int64]int64{}
	for rows.Next() {
		var id, until int64
		if err := rows.Scan(&id, &until); err != nil {
			rows.Close()
			return fmt.Errorf("read source history marks: %w", err)
		}
		marks[im.convs[id]] = until
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read source history marks: %w", err)
	}
	for id, until := range marks {
		if _, err := tx.ExecContext(ctx, `UPDATE conversations SET history_until = ?
			WHERE id = ? AND (history_until IS NULL OR history_until < ?)`, until, id, until); err != nil {
			return fmt.Errorf("history mark of conversation %d: %w", id, err)
		}
	}
	return nil
}

// recountAccounts sets the message count of the import's accounts to their
// messages: the copy kept the server's count for an account it had, and the
// desktop's for one it did not, and neither counts the other's messages.
func (im *localImport) recountAccounts(ctx context.Context) error {
	ids := make([]int64, 0, len(im.accounts))
	for _, t := range im.accounts {
		ids = append(ids, t)
	}
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	if _, err := im.dst.db.ExecContext(ctx, `UPDATE accounts a SET message_count = x.n
		FROM (SELECT acc.id, (SELECT count(*) FROM messages m WHERE m.account_id = acc.id) AS n
			FROM accounts acc WHERE acc.id = ANY(?::bigint[])) x
		WHERE a.id = x.id AND a.message_count <> x.n`, ids); err != nil {
		return fmt.Errorf("recount accounts: %w", err)
	}
	return nil
}

// copyUndo copies the triage undo entries, their conversation ids rewritten
// to the server's, so the desktop's last bulk action can still be undone
// (within the hour an entry is kept) after the move.
func (im *localImport) copyUndo(ctx context.Context) (int64, error) {
	return im.copyTable(ctx, tableCopy{table: "triage_undo",
		cols: []string{"created_at", "agent", "prior"},
		check: func(_ context.Context, rows [][]any) error {
			for _, r := range rows {
				var raw []byte
				switch v := r[2].(type) {
				case string:
					raw = []byte(v)
				case []byte:
					raw = v
				default:
					return fmt.Errorf("triage undo entry: prior state %T is not text", r[2])
				}
				var prior []priorState
				if err := json.Unmarshal(raw, &prior); err != nil {
					return fmt.Errorf("triage undo entry: %w", err)
				}
				for i := range prior {
					id, ok := im.convs[prior[i].ID]
					if !ok {
						return fmt.Errorf("triage undo entry: conversation %d of the source has no counterpart in the target", prior[i].ID)
					}
					prior[i].ID = id
				}
				out, err := json.Marshal(prior)
				if err != nil {
					return err
				}
				r[2] = string(out)
			}
			return nil
		}})
}
