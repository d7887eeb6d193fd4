package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// ErrImportRunning is returned when another import into the same team store
// is under way: two at once could both add a row that has no key of its own.
var ErrImportRunning = errors.New("another import-local into this store is running")

// pgImportLock is the advisory lock key an import holds on a PostgreSQL
// target ("sdimport" in ASCII).
const pgImportLock = 0x7364696d706f7274

// ErrImportConflict is returned when the target holds data of another
// workspace that cannot be merged with the source's (an account of the same
// name on another channel, a reply id in another conversation).
var ErrImportConflict = errors.New("the team store holds conflicting data")

// ImportLocalOptions tunes ImportLocal.
type ImportLocalOptions struct {
	// Batch is how many rows are read and written at a time (default 500).
	Batch int
	// Progress, if set, is told after each batch how many rows of a table
	// have been read so far.
	Progress func(table string, read int64)
}

// ImportTable is what ImportLocal did with one table.
type ImportTable struct {
	Table string
	Read  int64 // rows in the source
	Added int64 // rows the target did not have yet
}

// ImportLocalResult lists the tables in the order they were copied.
type ImportLocalResult struct {
	Tables []ImportTable
	// Accounts are the source's accounts; their secrets are not in the
	// store (a desktop keeps them in the OS keyring).
	Accounts []ImportedAccount
	// Sources are the source's listening sources; their secrets are not in
	// the store either, and are kept under the source's id.
	Sources []ImportedSource
	// Recounted is how many conversations the server had already, with
	// fewer messages, whose counters and SLA state were computed again from
	// the merged messages.
	Recounted int64
}

// ImportedAccount names an account ImportLocal copied (or found).
type ImportedAccount struct {
	Name    string
	Channel inbox.ChannelKind
}

// ImportLocal copies a single-person store (src, a SQLite file) into s (the
// team's PostgreSQL store), table by table, in batches, without holding a
// table in memory (only the id maps of accounts, authors and conversations).
// It is idempotent: rows are matched on their stable keys (account name,
// author and message external ids, conversation thread keys, reply, KB and
// canned reply ids, setting keys; rows without a key of their own, such as
// audit entries and notes, on all their columns), so running it again, or
// after a run that failed half-way, adds only what is missing. A row the
// target already has is left as the target has it.
//
// A conversation the server had already gets the desktop's messages it
// lacked, and then its counters and SLA state are computed again (recount).
//
// Not copied: sealed secrets (a desktop keeps its secrets in the OS keyring).
func (s *Store) ImportLocal(ctx context.Context, src *Store, opts ImportLocalOptions) (ImportLocalResult, error) {
	if opts.Batch <= 0 {
		opts.Batch = 500
	}
	if src.d.pg || !s.d.pg {
		return ImportLocalResult{}, errors.New("store: import: copies a single-person SQLite store into a PostgreSQL team store")
	}
	im := &localImport{dst: s, src: src, opts: opts,
		accounts: map[int64]int64{}, authors: map[int64]int64{}, convs: map[int64]int64{}, replaced: map[string]int64{},
		topics: map[int64]int64{}, sources: map[int64]int64{}, mentions: map[int64]int64{}}
	unlock, err := s.lockImport(ctx)
	if err != nil {
		return ImportLocalResult{}, err
	}
	defer unlock()
	if err := im.checkVersions(ctx); err != nil {
		return ImportLocalResult{}, err
	}
	if err := im.checkAccounts(ctx); err != nil {
		return ImportLocalResult{}, err
	}
	for _, step := range []struct {
		table string
		run   func(context.Context) (int64, error)
	}{
		{"accounts", im.copyAccounts},
		{"authors", im.copyAuthors},
		{"conversations", im.copyConversations},
		{"conversation_tags", im.copyTags},
		{"messages", im.copyMessages},
		{"sync_state", im.copySyncState},
		{"conversation_events", im.copyEvents},
		{"conversation_notes", im.copyNotes},
		{"conversation_snoozes", im.copySnoozes},
		{"triage_undo", im.copyUndo},
		{"replies", im.copyReplies},
		{"reply_audit", im.copyAudit},
		{"reply_prompts", im.copyPrompts},
		{"sla_policies", im.copyPolicies},
		{"kb_entries", im.copyKB},
		{"canned_replies", im.copyCanned},
		{"sentiment_corrections", im.copyCorrections},
		{"crisis_events", im.copyCrisisEvents},
		{"crisis_alerts", im.copyCrisisAlerts},
		{"crisis_scan", im.copyCrisisScan},
		{"author_moderation", im.copyModeration},
		{"saved_views", im.copyViews},
		{"listening_topics", im.copyListeningTopics},
		{"listening_sources", im.copyListeningSources},
		{"listening_cursors", im.copyListeningCursors},
		{"listening_mentions", im.copyListeningMentions},
		{"listening_mention_topics", im.copyListeningMentionTopics},
		{"listening_mention_sources", im.copyListeningMentionSources},
		// after the topics: rules and ledger keys name them by id
		{"settings", im.copySettings},
	} {
		before, err := s.countRows(ctx, step.table)
		if err != nil {
			return im.res, err
		}
		read, runErr := step.run(ctx)
		// What a failed step committed before it failed is counted too (with
		// a context of its own: the failure may be the caller's context).
		after, err := s.countRows(context.WithoutCancel(ctx), step.table)
		if err != nil {
			return im.res, err
		}
		im.res.Tables = append(im.res.Tables, ImportTable{Table: step.table, Read: read, Added: after - before + im.replaced[step.table]})
		if runErr != nil {
			return im.res, fmt.Errorf("import %s: %w", step.table, runErr)
		}
	}
	// The copied mentions are counted into listening analytics' rollups.
	if err := s.RebuildListeningRollups(ctx); err != nil {
		return im.res, fmt.Errorf("import: %w", err)
	}
	// Last: the SLA state depends on the messages, the status events, the
	// tags and the policies copied before.
	n, err := im.recount(ctx)
	im.res.Recounted = n
	if err != nil {
		return im.res, fmt.Errorf("import: %w", err)
	}
	return im.res, nil
}

// lockImport takes the import's session advisory lock on a connection of
// its own, held until unlock (or until the process dies, when PostgreSQL
// ends the session and so the lock).
func (s *Store) lockImport(ctx context.Context) (unlock func(), err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: import lock: %w", err)
	}
	var got bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(?)`, int64(pgImportLock)).Scan(&got); err != nil {
		conn.Close()
		return nil, fmt.Errorf("store: import lock: %w", err)
	}
	if !got {
		conn.Close()
		return nil, fmt.Errorf("store: import: %w", ErrImportRunning)
	}
	return func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(?)`, int64(pgImportLock))
		conn.Close()
	}, nil
}

func (s *Store) countRows(ctx context.Context, table string) (int64, error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count %s: %w", table, err)
	}
	return n, nil
}

type localImport struct {
	dst, src *Store
	opts     ImportLocalOptions
	res      ImportLocalResult
	// local id -> target id
	accounts, authors, convs  map[int64]int64
	topics, sources, mentions map[int64]int64
	// replaced counts rows a step overwrote (the target's default SLA
	// policies): they are added data that no row count shows.
	replaced map[string]int64
}

// checkVersions refuses a source from a newer Stormdesk. Open already
// refuses to open one; this keeps ImportLocal safe for a source store that
// was opened before another process migrated its file further.
func (im *localImport) checkVersions(ctx context.Context) error {
	sv, err := im.src.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if want := len(im.src.migrations()); sv > want {
		return fmt.Errorf("store: import: the source's schema version %d is newer than this Stormdesk (%d); upgrade Stormdesk first: %w", sv, want, ErrNewerSchema)
	}
	return nil
}

// checkAccounts refuses before anything is written when an account name is
// taken in the target by an account of another channel: conversations and
// messages would be filed under the wrong channel.
func (im *localImport) checkAccounts(ctx context.Context) error {
	rows, err := im.src.db.QueryContext(ctx, `SELECT name, channel FROM accounts ORDER BY id`)
	if err != nil {
		return fmt.Errorf("store: import: read accounts: %w", err)
	}
	type acc struct{ name, channel string }
	var accs []acc
	for rows.Next() {
		var a acc
		if err := rows.Scan(&a.name, &a.channel); err != nil {
			rows.Close()
			return fmt.Errorf("store: import: read accounts: %w", err)
		}
		accs = append(accs, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: import: read accounts: %w", err)
	}
	var conflicts []string
	for _, a := range accs {
		var ch string
		err := im.dst.db.QueryRowContext(ctx, `SELECT channel FROM accounts WHERE name = ?`, a.name).Scan(&ch)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("store: import: account %s: %w", a.name, err)
		}
		if ch != a.channel {
			conflicts = append(conflicts, fmt.Sprintf("%s (%s here, %s on the server)", a.name, a.channel, ch))
		}
	}
	if len(conflicts) > 0 {
		return fmt.Errorf("store: import: accounts with the same name on another channel: %s; rename one of them first: %w",
			strings.Join(conflicts, ", "), ErrImportConflict)
	}
	return nil
}

// page reads the source in keyset pages: query selects the key first, then
// the values, and has two parameters (the last key, the page size). fn gets
// each page, keys included; it returns how many rows were read.
func (im *localImport) page(ctx context.Context, table, query string, first any, fn func(rows [][]any) error) (int64, error) {
	var read int64
	last := first
	for {
		rows, err := im.src.db.QueryContext(ctx, query, last, im.opts.Batch)
		if err != nil {
			return read, fmt.Errorf("read source: %w", err)
		}
		var batch [][]any
		for rows.Next() {
			vals, err := scanAny(rows)
			if err != nil {
				rows.Close()
				return read, fmt.Errorf("read source: %w", err)
			}
			batch = append(batch, vals)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return read, fmt.Errorf("read source: %w", err)
		}
		if len(batch) == 0 {
			return read, nil
		}
		last = batch[len(batch)-1][0]
		if err := fn(batch); err != nil {
			return read, err
		}
		read += int64(len(batch))
		if im.opts.Progress != nil {
			im.opts.Progress(table, read)
		}
		if len(batch) < im.opts.Batch {
			return read, nil
		}
	}
}

// inTx runs fn in one target transaction.
func (im *localImport) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := im.dst.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// insertMany writes rows with one multi-row INSERT; tail follows VALUES
// (ON CONFLICT ...).
func insertMany(ctx context.Context, q querier, table string, cols []string, rows [][]any, tail string) (sql.Result, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", table, strings.Join(cols, ", "))
	args := make([]any, 0, len(rows)*len(cols))
	for i, r := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
		args = append(args, r...)
	}
	b.WriteString(" " + tail)
	return q.ExecContext(ctx, b.String(), args...)
}

// scanAny reads the current row as the driver's values.
func scanAny(rows *sql.Rows) ([]any, error) {
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	return vals, rows.Scan(ptrs...)
}

// insertMissing writes each row that the target does not hold already with
// the same values in every column: the tables without a key of their own
// (audit entries, notes, events). Identical rows in the source (same
// everything, to the millisecond) are kept once.
func (im *localImport) insertMissing(ctx context.Context, table string, cols []string, rows [][]any) error {
	conds := make([]string, len(cols))
	for i, c := range cols {
		conds[i] = c + " IS NOT DISTINCT FROM ?" // NULLs match too
	}
	exists := fmt.Sprintf(`SELECT 1 FROM %s WHERE %s LIMIT 1`, table, strings.Join(conds, " AND "))
	ins := fmt.Sprintf(`INSERT INTO %s (%s) VALUES (%s)`, table, strings.Join(cols, ", "),
		strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", "))
	return im.inTx(ctx, func(tx *sql.Tx) error {
		for _, r := range rows {
			var one int
			err := tx.QueryRowContext(ctx, exists, r...).Scan(&one)
			if err == nil {
				continue
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if _, err := tx.ExecContext(ctx, ins, r...); err != nil {
				return err
			}
		}
		return nil
	})
}

// mapID replaces the local id at r[i] by the target's; a NULL stays NULL.
func mapID(r []any, i int, m map[int64]int64, what string) error {
	if r[i] == nil {
		return nil
	}
	local, ok := asInt64(r[i])
	if !ok {
		return fmt.Errorf("%s id %v: not an integer", what, r[i])
	}
	id, ok := m[local]
	if !ok {
		return fmt.Errorf("%s %d of the source has no counterpart in the target", what, local)
	}
	r[i] = id
	return nil
}

func asInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int32:
		return int64(x), true
	case int:
		return int64(x), true
	}
	return 0, false
}
