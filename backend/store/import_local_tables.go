package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/stormdesk/stormdesk/backend/sla"
)

// tableCopy describes how one table moves from the source to the target.
type tableCopy struct {
	table string
	cols  []string // the same columns on both engines
	// ids maps local ids in cols[i] to the target's.
	ids map[int]map[int64]int64
	// tail follows the INSERT's VALUES (ON CONFLICT ...); empty: the table
	// has no key, and rows are matched on every column (insertMissing).
	tail string
	// natural, with into, records local id -> target id: natural indexes the
	// columns of the row's natural key in cols (the key tail's ON CONFLICT names).
	natural []int
	into    map[int64]int64
	// check inspects, or rewrites, a batch (values after mapping) before it is written.
	check func(ctx context.Context, rows [][]any) error
}

func (im *localImport) copyTable(ctx context.Context, c tableCopy) (int64, error) {
	query := fmt.Sprintf(`SELECT rowid, %s FROM %s WHERE rowid > ? ORDER BY rowid LIMIT ?`, strings.Join(c.cols, ", "), c.table)
	return im.page(ctx, c.table, query, int64(math.MinInt64), func(batch [][]any) error {
		vals := make([][]any, len(batch))
		for i, r := range batch {
			vals[i] = r[1:]
			for col, m := range c.ids {
				if err := mapID(vals[i], col, m, c.cols[col]); err != nil {
					return err
				}
			}
		}
		if c.check != nil {
			if err := c.check(ctx, vals); err != nil {
				return err
			}
		}
		if c.tail == "" {
			return im.insertMissing(ctx, c.table, c.cols, vals)
		}
		return im.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := insertMany(ctx, tx, c.table, c.cols, vals, c.tail); err != nil || c.into == nil {
				return err
			}
			got, err := c.targetIDs(ctx, tx, vals)
			if err != nil {
				return err
			}
			target := make(map[string]int64, len(got))
			for _, g := range got {
				id, ok := asInt64(g[0])
				if !ok {
					return fmt.Errorf("target id %v: not an integer", g[0])
				}
				target[naturalKey(g[1:])] = id
			}
			for i, r := range batch {
				k := make([]any, len(c.natural))
				for j, n := range c.natural {
					k[j] = vals[i][n]
				}
				id, ok := target[naturalKey(k)]
				if !ok {
					return fmt.Errorf("row %v was neither stored nor found in the target", k)
				}
				local, _ := asInt64(r[0])
				c.into[local] = id
			}
			return nil
		})
	})
}

// targetIDs reads the target's id and natural key of each row in vals,
// whether this batch stored it or it was there already. The keys go in as
// one array per column, joined through unnest: a list of row values would
// be planned as hundreds of ORs.
func (c tableCopy) targetIDs(ctx context.Context, q querier, vals [][]any) ([][]any, error) {
	keys := make([]string, len(c.natural))
	args := make([]any, len(c.natural))
	arrays := make([]string, len(c.natural))
	on := make([]string, len(c.natural))
	for i, n := range c.natural {
		keys[i] = "t." + c.cols[n]
		on[i] = fmt.Sprintf("t.%s = k.c%d", c.cols[n], i)
		if _, isInt := asInt64(vals[0][n]); isInt {
			col := make([]int64, len(vals))
			for j, v := range vals {
				col[j], _ = asInt64(v[n])
			}
			args[i], arrays[i] = col, "?::bigint[]"
			continue
		}
		col := make([]string, len(vals))
		for j, v := range vals {
			col[j] = naturalKey(v[n : n+1])
		}
		args[i], arrays[i] = col, "?::text[]"
	}
	cs := make([]string, len(c.natural))
	for i := range cs {
		cs[i] = fmt.Sprintf("c%d", i)
	}
	rows, err := q.QueryContext(ctx, fmt.Sprintf(`SELECT t.id, %s FROM %s t JOIN unnest(%s) AS k(%s) ON %s`,
		strings.Join(keys, ", "), c.table, strings.Join(arrays, ", "), strings.Join(cs, ", "), strings.Join(on, " AND ")), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		r, err := scanAny(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func naturalKey(vs []any) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		if b, ok := v.([]byte); ok {
			v = string(b)
		}
		parts[i] = fmt.Sprint(v)
	}
	return strings.Join(parts, "\x00")
}

func (im *localImport) copyAccounts(ctx context.Context) (int64, error) {
	n, err := im.copyTable(ctx, tableCopy{table: "accounts",
		cols: []string{"channel", "name", "brand", "handle", "created_at", "message_count", "config", "crisis_since", "state"},
		tail: "ON CONFLICT (name) DO NOTHING", natural: []int{1}, into: im.accounts})
	if err != nil {
		return n, err
	}
	rows, err := im.src.db.QueryContext(ctx, `SELECT name, channel FROM accounts ORDER BY name`)
	if err != nil {
		return n, err
	}
	defer rows.Close()
	for rows.Next() {
		var a ImportedAccount
		if err := rows.Scan(&a.Name, &a.Channel); err != nil {
			return n, err
		}
		im.res.Accounts = append(im.res.Accounts, a)
	}
	return n, rows.Err()
}

func (im *localImport) copyAuthors(ctx context.Context) (int64, error) {
	return im.copyTable(ctx, tableCopy{table: "authors",
		cols:    []string{"channel", "external_id", "handle", "display_name", "reach", "notes", "seen_at", "vip", "banned", "blocked_until"},
		tail:    "ON CONFLICT (channel, external_id) DO UPDATE SET channel = authors.channel RETURNING id, channel, external_id",
		natural: []int{0, 1}, into: im.authors})
}

func (im *localImport) copyConversations(ctx context.Context) (int64, error) {
	return im.copyTable(ctx, tableCopy{table: "conversations",
		cols: []string{"account_id", "channel", "thread_key", "kind", "subject", "status", "assignee", "priority", "author_id",
			"snippet", "sentiment", "sentiment_at", "negative_count", "message_count", "first_message_at", "last_message_at",
			"last_in_at", "last_out_at", "waiting_since", "sla_due_at", "sla_key", "sla_state", "sla_warn_at", "sla_policy", "history_until"},
		ids:     map[int]map[int64]int64{0: im.accounts, 8: im.authors},
		tail:    "ON CONFLICT (account_id, thread_key) DO UPDATE SET thread_key = conversations.thread_key RETURNING id, account_id, thread_key",
		natural: []int{0, 2}, into: im.convs})
}

// copyTags pages over the source's conversations and copies the tags of
// each page (conversation_tags has no rowid to page on).
func (im *localImport) copyTags(ctx context.Context) (int64, error) {
	cols := []string{"conversation_id", "tag", "status", "account_id", "sentiment", "assignee", "last_message_at", "sla_key"}
	var read int64
	_, err := im.page(ctx, "conversations (tags)", `SELECT id FROM conversations WHERE id > ? ORDER BY id LIMIT ?`, int64(math.MinInt64), func(batch [][]any) error {
		rows, err := im.src.db.QueryContext(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM conversation_tags
			WHERE conversation_id BETWEEN ? AND ? ORDER BY conversation_id, tag`, batch[0][0], batch[len(batch)-1][0])
		if err != nil {
			return fmt.Errorf("read source: %w", err)
		}
		var vals [][]any
		for rows.Next() {
			v, err := scanAny(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("read source: %w", err)
			}
			if err := mapID(v, 0, im.convs, "conversation"); err != nil {
				rows.Close()
				return err
			}
			if err := mapID(v, 3, im.accounts, "account"); err != nil {
				rows.Close()
				return err
			}
			vals = append(vals, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read source: %w", err)
		}
		read += int64(len(vals))
		return im.inTx(ctx, func(tx *sql.Tx) error {
			for len(vals) > 0 {
				n := min(len(vals), im.opts.Batch)
				if _, err := insertMany(ctx, tx, "conversation_tags", cols, vals[:n], "ON CONFLICT (conversation_id, tag) DO NOTHING"); err != nil {
					return err
				}
				vals = vals[n:]
			}
			return nil
		})
	})
	return read, err
}

func (im *localImport) copyMessages(ctx context.Context) (int64, error) {
	return im.copyTable(ctx, tableCopy{table: "messages",
		cols: []string{"conversation_id", "account_id", "external_id", "direction", "kind", "author_id", "subject", "text", "html",
			"sent_at", "sentiment", "sentiment_score", "flags", "attachments", "sentiment_confidence", "sentiment_source", "claimed_at", "stems"},
		ids:  map[int]map[int64]int64{0: im.convs, 1: im.accounts, 5: im.authors},
		tail: "ON CONFLICT (account_id, external_id) DO NOTHING"})
}

func (im *localImport) copySyncState(ctx context.Context) (int64, error) {
	return im.copyTable(ctx, tableCopy{table: "sync_state",
		cols: []string{"account_id", "cursor", "synced_at", "fetched", "skipped", "last_error"},
		ids:  map[int]map[int64]int64{0: im.accounts},
		tail: "ON CONFLICT (account_id) DO NOTHING"})
}

func (im *localImport) copyEvents(ctx context.Context) (int64, error) {
	return im.copyTable(ctx, tableCopy{table: "conversation_events",
		cols: []string{"conversation_id", "at", "kind", "status", "policy", "agent"},
		ids:  map[int]map[int64]int64{0: im.convs}})
}

func (im *localImport) copyNotes(ctx context.Context) (int64, error) {
	return im.copyTable(ctx, tableCopy{table: "conversation_notes",
		cols: []string{"conversation_id", "author", "body", "created_at"},
		ids:  map[int]map[int64]int64{0: im.convs}})
}

func (im *localImport) copySnoozes(ctx context.Context) (int64, error) {
	return im.copyTable(ctx, tableCopy{table: "conversation_snoozes",
		cols: []string{"conversation_id", "until", "snoozed_at", "snoozed_by"},
		ids:  map[int]map[int64]int64{0: im.convs},
		tail: "ON CONFLICT (conversation_id) DO NOTHING"})
}

func (im *localImport) copyReplies(ctx context.Context) (int64, error) {
	return im.copyTable(ctx, tableCopy{table: "replies",
		cols: []string{"id", "conversation_id", "account_id", "idempotency_key", "state", "author", "approver", "text", "draft_text",
			"lang", "source", "ai_assisted", "citations", "problems", "injection", "approval", "crisis", "reject_comment", "attempts",
			"attempt_open", "next_attempt_at", "last_attempt_at", "last_error", "sent_external_id", "sent_at", "fail_reason",
			"created_at", "updated_at", "template_name", "template_language", "template_params"},
		ids:   map[int]map[int64]int64{1: im.convs, 2: im.accounts},
		tail:  "ON CONFLICT (id) DO NOTHING",
		check: im.checkReplies})
}

// checkReplies refuses a reply id the target holds for another
// conversation: reply ids are random, so that is another workspace's reply
// (or a damaged store), and merging would attach one audit trail to both.
func (im *localImport) checkReplies(ctx context.Context, rows [][]any) error {
	for _, r := range rows {
		var conv int64
		err := im.dst.db.QueryRowContext(ctx, `SELECT conversation_id FROM replies WHERE id = ?`, r[0]).Scan(&conv)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return err
		}
		if want, _ := asInt64(r[1]); conv != want {
			return fmt.Errorf("reply %v is stored on the server for another conversation: %w", r[0], ErrImportConflict)
		}
	}
	return nil
}

func (im *localImport) copyAudit(ctx context.Context) (int64, error) {
	return im.copyTable(ctx, tableCopy{table: "reply_audit",
		cols: []string{"reply_id", "at", "actor", "role", "action", "from_state", "to_state", "comment", "diff"}})
}

func (im *localImport) copyPrompts(ctx context.Context) (int64, error) {
	return im.copyTable(ctx, tableCopy{table: "reply_prompts",
		cols: []string{"reply_id", "model", "prompt", "usage", "finish_reason", "created_at"}})
}

// copyPolicies gives the target the desktop's SLA policies unless the
// target has its own: there is one policy set per store, and a team store
// nobody has configured yet holds the defaults Open seeded.
func (im *localImport) copyPolicies(ctx context.Context) (int64, error) {
	var raw string
	var at int64
	err := im.src.db.QueryRowContext(ctx, `SELECT json, updated_at FROM sla_policies WHERE id = 1`).Scan(&raw, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read source: %w", err)
	}
	def, err := json.Marshal(sla.DefaultPolicies())
	if err != nil {
		return 1, err
	}
	res, err := im.dst.db.ExecContext(ctx, `INSERT INTO sla_policies (id, json, updated_at) VALUES (1, ?, ?)
		ON CONFLICT (id) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at
		WHERE sla_policies.json = ? AND sla_policies.json <> excluded.json`, raw, at, string(def))
	if err != nil {
		return 1, err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		im.replaced["sla_policies"] += n
	}
	// The target's engine computes new deadlines with what is stored now.
	return 1, im.dst.loadPolicies(ctx)
}

func (im *localImport) copyKB(ctx context.Context) (int64, error) {
	return im.copyTable(ctx, tableCopy{table: "kb_entries",
		cols: []string{"id", "brand", "title", "text", "lang", "updated_at"}, tail: "ON CONFLICT (id) DO NOTHING"})
}

func (im *localImport) copyCanned(ctx context.Context) (int64, error) {
	return im.copyTable(ctx, tableCopy{table: "canned_replies",
		cols: []string{"id", "title", "lang", "body", "tags", "updated_at"}, tail: "ON CONFLICT (id) DO NOTHING"})
}

// copyCorrections finds each corrected message in the target by its
// account and external id (message ids are not kept in memory: there may be
// millions).
func (im *localImport) copyCorrections(ctx context.Context) (int64, error) {
	cols := []string{"message_id", "text", "label", "previous_label", "corrected_by", "corrected_at"}
	return im.page(ctx, "sentiment_corrections", `SELECT c.message_id, m.account_id, m.external_id, c.text, c.label, c.previous_label, c.corrected_by, c.corrected_at
		FROM sentiment_corrections c JOIN messages m ON m.id = c.message_id
		WHERE c.message_id > ? ORDER BY c.message_id LIMIT ?`, int64(math.MinInt64), func(batch [][]any) error {
		return im.inTx(ctx, func(tx *sql.Tx) error {
			vals := make([][]any, 0, len(batch))
			for _, r := range batch {
				if err := mapID(r, 1, im.accounts, "account"); err != nil {
					return err
				}
				var id int64
				if err := tx.QueryRowContext(ctx, `SELECT id FROM messages WHERE account_id = ? AND external_id = ?`, r[1], r[2]).Scan(&id); err != nil {
					return fmt.Errorf("corrected message %v: %w", r[2], err)
				}
				vals = append(vals, append([]any{id}, r[3:]...))
			}
			_, err := insertMany(ctx, tx, "sentiment_corrections", cols, vals, "ON CONFLICT (message_id) DO NOTHING")
			return err
		})
	})
}

func (im *localImport) copyCrisisEvents(ctx context.Context) (int64, error) {
	return im.copyTable(ctx, tableCopy{table: "crisis_events",
		cols:  []string{"account_id", "at", "kind", "text", "ref"},
		ids:   map[int]map[int64]int64{0: im.accounts},
		check: im.mapNoteRefs})
}

// mapNoteRefs rewrites the message id a crisis note points at (its ref) to
// the target's id of that message.
func (im *localImport) mapNoteRefs(ctx context.Context, rows [][]any) error {
	for _, r := range rows {
		ref, _ := r[4].(string)
		if kind, _ := r[2].(string); kind != string(CrisisNote) || ref == "" {
			continue
		}
		var acc int64
		var ext string
		err := im.src.db.QueryRowContext(ctx, `SELECT account_id, external_id FROM messages WHERE id = ?`, ref).Scan(&acc, &ext)
		if errors.Is(err, sql.ErrNoRows) {
			continue // not a message id: kept as it is
		}
		if err != nil {
			return fmt.Errorf("crisis note's message %s: %w", ref, err)
		}
		var id int64
		if err := im.dst.db.QueryRowContext(ctx, `SELECT id FROM messages WHERE account_id = ? AND external_id = ?`, im.accounts[acc], ext).Scan(&id); err != nil {
			return fmt.Errorf("crisis note's message %s: %w", ext, err)
		}
		r[4] = fmt.Sprint(id)
	}
	return nil
}

func (im *localImport) copyCrisisAlerts(ctx context.Context) (int64, error) {
	return im.copyTable(ctx, tableCopy{table: "crisis_alerts",
		cols: []string{"account", "channel", "start", "detected_at", "body", "found_at"},
		tail: "ON CONFLICT (account, channel, detected_at) DO NOTHING"})
}

// copyCrisisScan carries the crisis monitor's history position over as the
// target's id of the last message the desktop had looked at, so the server
// does not scan the imported history again. A target that has a position
// of its own keeps it.
func (im *localImport) copyCrisisScan(ctx context.Context) (int64, error) {
	var acc int64
	var ext string
	err := im.src.db.QueryRowContext(ctx, `SELECT m.account_id, m.external_id FROM crisis_scan s JOIN messages m ON m.id = s.last_id WHERE s.id = 1`).Scan(&acc, &ext)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	target, ok := im.accounts[acc]
	if !ok {
		return 1, fmt.Errorf("account %d of the source has no counterpart in the target", acc)
	}
	var id int64
	if err := im.dst.db.QueryRowContext(ctx, `SELECT id FROM messages WHERE account_id = ? AND external_id = ?`, target, ext).Scan(&id); err != nil {
		return 1, fmt.Errorf("message %s: %w", ext, err)
	}
	_, err = im.dst.db.ExecContext(ctx, `INSERT INTO crisis_scan (id, last_id) VALUES (1, ?) ON CONFLICT (id) DO NOTHING`, id)
	return 1, err
}

func (im *localImport) copyModeration(ctx context.Context) (int64, error) {
	return im.copyTable(ctx, tableCopy{table: "author_moderation",
		cols: []string{"author_id", "account_id", "kind", "reason", "until", "actor", "at"},
		ids:  map[int]map[int64]int64{0: im.authors, 1: im.accounts}})
}

// copyViews keeps the server's view when a name is taken (names are unique
// ignoring case).
func (im *localImport) copyViews(ctx context.Context) (int64, error) {
	return im.copyTable(ctx, tableCopy{table: "saved_views",
		cols: []string{"name", "filters", "created_at"}, tail: "ON CONFLICT DO NOTHING"})
}

// copySettings keeps a setting the server already has.
func (im *localImport) copySettings(ctx context.Context) (int64, error) {
	return im.copyTable(ctx, tableCopy{table: "settings",
		cols: []string{"key", "value", "updated_at"}, tail: "ON CONFLICT (key) DO NOTHING", check: im.listeningSettings})
}
