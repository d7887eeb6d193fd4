package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/sla"
)

// SetClock replaces the clock used for SLA evaluation and recorded events (status
// and policy changes); headless commands pass their own, tests a fixed one. nil
// restores time.Now. Call it before the store is shared.
func (s *Store) SetClock(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	s.now = now
}

// engine returns the SLA engine of the saved policy set.
func (s *Store) engine() *sla.Engine { return s.slaEng.Load() }

// loadPolicies reads the saved policy set (storing the defaults on first use) and
// builds the engine. A stored set that no longer validates leaves the defaults in
// force; SLAPolicies reports the problem so the user can fix and save it.
func (s *Store) loadPolicies(ctx context.Context) error {
	raw, err := s.rawPolicies(ctx, s.db)
	if err != nil {
		return err
	}
	var at int64
	if err := s.db.QueryRowContext(ctx, `SELECT updated_at FROM sla_policies WHERE id = 1`).Scan(&at); err != nil {
		return fmt.Errorf("store: SLA policies: %w", err)
	}
	return s.usePolicies(raw, at)
}

// usePolicies builds the engine of a stored policy set (the defaults when it
// no longer validates) and makes it the store's.
func (s *Store) usePolicies(raw []byte, at int64) error {
	set, err := sla.ParsePolicySet(raw)
	if err != nil {
		set = sla.DefaultPolicies()
	}
	eng, err := sla.NewEngine(set)
	if err != nil {
		return fmt.Errorf("store: SLA policies: %w", err)
	}
	s.slaEng.Store(eng)
	s.slaAt.Store(at)
	return nil
}

// engineIn returns the engine of the policy set stored as q sees it: another
// server instance (or, on SQLite, another process such as `stormdesk import`)
// may have saved policies since this store built its engine. The stored
// set's updated_at tells, and a changed set is loaded. Callers that lock rows
// read it after the locks: whatever policy save they waited for is then visible.
func (s *Store) engineIn(ctx context.Context, q querier) (*sla.Engine, error) {
	var at int64
	err := q.QueryRowContext(ctx, `SELECT updated_at FROM sla_policies WHERE id = 1`).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && at == s.slaAt.Load()) {
		return s.engine(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("SLA policies: %w", err)
	}
	var raw string
	if err := q.QueryRowContext(ctx, `SELECT json, updated_at FROM sla_policies WHERE id = 1`).Scan(&raw, &at); err != nil {
		return nil, fmt.Errorf("SLA policies: %w", err)
	}
	if err := s.usePolicies([]byte(raw), at); err != nil {
		return nil, err
	}
	return s.engine(), nil
}

// lockForRecompute locks, on PostgreSQL, what a recompute that a person
// started (a policy saved, crisis mode switched, an author marked VIP) is
// about to read and rewrite, in the order the save batch takes its locks so
// the two cannot deadlock: first the save lock of every account concerned
// (the ids the query accounts returns, in order; "" for the accounts of the
// conversations matching where), then the matching conversation rows
// FOR UPDATE in id order. A save of one of those accounts on another
// instance then either committed before (and the recompute reads its
// messages) or waits for the recompute (and reads its result); a triage
// step on a locked row waits too. The sweep skips locked rows. SQLite's
// write transaction holds the whole database already.
func (s *Store) lockForRecompute(ctx context.Context, tx *sql.Tx, accounts string, accArgs []any, where string, args []any) error {
	if !s.d.pg {
		return nil
	}
	if accounts == "" {
		accounts, accArgs = `SELECT DISTINCT c.account_id FROM conversations c WHERE `+where+` ORDER BY 1`, args
	}
	held := map[int64]bool{}
	for {
		// Read again after locking: a save that committed meanwhile may have
		// started a conversation of another account that now matches.
		ids, err := queryIDs(ctx, tx, accounts, accArgs)
		if err != nil {
			return fmt.Errorf("accounts to lock: %w", err)
		}
		n := 0
		for _, id := range ids {
			if held[id] {
				continue
			}
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?, ?)`, lockClassSave, fold32(id)); err != nil {
				return fmt.Errorf("lock account %d: %w", id, err)
			}
			held[id] = true
			n++
		}
		if n == 0 {
			break
		}
	}
	// The rows alone, in a statement of their own: the recompute's read that
	// follows is a new statement, so it sees all that the lock waited for.
	if _, err := queryIDs(ctx, tx, `SELECT c.id FROM conversations c WHERE `+where+` ORDER BY c.id FOR UPDATE`, args); err != nil {
		return fmt.Errorf("lock conversations: %w", err)
	}
	return nil
}

// lockConversations is lockForRecompute for the conversations a triage step
// changes and then refreshes: taken before the step's first write, so the
// step never holds a row while it waits for an account (a save waits for
// nothing of the step's while it holds the account).
func (s *Store) lockConversations(ctx context.Context, tx *sql.Tx, ids []int64) error {
	if !s.d.pg || len(ids) == 0 {
		return nil
	}
	where, args := idsWhere(ids)
	return s.lockForRecompute(ctx, tx, "", nil, where, args)
}

// queryIDs runs a query of one integer column and returns its values.
func queryIDs(ctx context.Context, q querier, query string, args []any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// rawPolicies returns the stored policy JSON, seeding the defaults when none is stored.
func (s *Store) rawPolicies(ctx context.Context, q querier) ([]byte, error) {
	var raw string
	err := q.QueryRowContext(ctx, `SELECT json FROM sla_policies WHERE id = 1`).Scan(&raw)
	if err == nil {
		return []byte(raw), nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: read SLA policies: %w", err)
	}
	def, err := json.Marshal(sla.DefaultPolicies())
	if err != nil {
		return nil, fmt.Errorf("store: seed SLA policies: %w", err)
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO sla_policies (id, json, updated_at) VALUES (1, ?, ?) ON CONFLICT DO NOTHING`,
		string(def), ms(s.now())); err != nil {
		return nil, fmt.Errorf("store: seed SLA policies: %w", err)
	}
	return def, nil
}

// SLAPolicies returns the saved SLA policy set; a new database holds sla.DefaultPolicies().
func (s *Store) SLAPolicies(ctx context.Context) (sla.PolicySet, error) {
	raw, err := s.rawPolicies(ctx, s.db)
	if err != nil {
		return sla.PolicySet{}, err
	}
	set, err := sla.ParsePolicySet(raw)
	if err != nil {
		return sla.PolicySet{}, fmt.Errorf("store: saved SLA policies (the defaults apply until they are fixed): %w", err)
	}
	return set, nil
}

// SaveSLAPolicies validates a policy set given as JSON, stores it and recomputes
// the deadlines of every open and pending conversation under it, all in one
// transaction. An invalid set is rejected with every problem the engine found,
// one per line, and changes nothing.
func (s *Store) SaveSLAPolicies(ctx context.Context, raw []byte) error {
	set, err := sla.ParsePolicySet(raw)
	if err != nil {
		return fmt.Errorf("store: save SLA policies: %w", err)
	}
	eng, err := sla.NewEngine(set)
	if err != nil {
		return fmt.Errorf("store: save SLA policies: %w", err)
	}
	norm, err := json.Marshal(set) // canonical form: durations as "1h0m0s"
	if err != nil {
		return fmt.Errorf("store: save SLA policies: %w", err)
	}
	now := s.now()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: save SLA policies: %w", err)
	}
	defer tx.Rollback()
	// Every account: a save into an account without open conversations
	// would otherwise start one under the old policies meanwhile.
	if err := s.lockForRecompute(ctx, tx, `SELECT id FROM accounts ORDER BY id`, nil, s.d.whereActive(), nil); err != nil {
		return fmt.Errorf("store: save SLA policies: %w", err)
	}
	// updated_at is the set's version (engineIn): it moves on with every
	// save, even two within one millisecond.
	at := ms(now)
	var prev int64
	err = tx.QueryRowContext(ctx, `SELECT updated_at FROM sla_policies WHERE id = 1`+s.d.forUpdate()).Scan(&prev)
	switch {
	case err == nil:
		at = max(at, prev+1)
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("store: save SLA policies: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO sla_policies (id, json, updated_at) VALUES (1, ?1, ?2)
		ON CONFLICT (id) DO UPDATE SET json = ?1, updated_at = ?2`, string(norm), at); err != nil {
		return fmt.Errorf("store: save SLA policies: %w", err)
	}
	if _, err := recomputeWhere(ctx, s.d, tx, eng, now, s.d.whereActive(), nil, nil); err != nil {
		return fmt.Errorf("store: save SLA policies: %w", err)
	}
	// Swapped while this transaction still holds the write lock, so no writer can
	// evaluate with the old engine after the new deadlines are committed.
	old, oldAt := s.slaEng.Swap(eng), s.slaAt.Swap(at)
	if err := tx.Commit(); err != nil {
		s.slaEng.Store(old)
		s.slaAt.Store(oldAt)
		return fmt.Errorf("store: save SLA policies: commit: %w", err)
	}
	return nil
}

// RecomputeSLA re-evaluates every open and pending conversation at now and writes
// the rows whose deadline, warning time, state or policy changed. The workspace
// runs it when it starts and every few minutes (SLASweep), for what changes a
// deadline without a write that recomputes it: an author's reach, saved with a
// message of another conversation, that crosses a policy's minimum.
//
// It works in chunks of recomputeChunk conversations, one transaction each, so
// the write lock is held for tens of milliseconds at a time and a sync or a
// manager's click never waits for the whole sweep. A conversation that changes
// between chunks is recomputed by that change itself, so chunks need not agree
// on one snapshot.
func (s *Store) RecomputeSLA(ctx context.Context, now time.Time) (changed int, err error) {
	return s.recomputeChunks(ctx, now, s.d.whereActive(), nil, "c.id")
}

// RecomputeSLADue re-evaluates only the open and pending conversations whose
// stored state time has passed by now: an ok one past its warning time, a
// warning one past its deadline. Between the writes that recompute a
// conversation (its messages, status, tags, priority, the author's VIP mark,
// crisis mode, the policies) these are the only changes time makes, so the
// sweep every minute reads a few rows through conversations_sla_flip instead
// of the history of every open conversation (200,000 at 1M messages, about
// 8 s of PostgreSQL's time a minute under load; docs/benchmarks.md).
func (s *Store) RecomputeSLADue(ctx context.Context, now time.Time) (changed int, err error) {
	where, args := s.dueWhere(now)
	return s.recomputeChunks(ctx, now, where, args, dueID)
}

// dueID is the conversation id as RecomputeSLADue's chunks compare and order
// it: the unary plus keeps SQLite from walking the primary key from the last
// chunk's id, in the order the chunks need, testing every conversation,
// instead of reading the flip index and sorting its few rows.
const dueID = "+c.id"

// dueWhere selects the conversations RecomputeSLADue recomputes at now.
func (s *Store) dueWhere(now time.Time) (string, []any) {
	return s.d.whereActive() + ` AND c.sla_state IN ('ok', 'warning') AND ` + slaFlip + ` <= ?`, []any{ms(now)}
}

// slaFlip is when a conversation's stored state next changes with time
// alone: the warning time while ok, the deadline while warning (a state
// turns breached once now is after it, so a conversation due exactly now is
// read again a minute later). conversations_sla_flip indexes it.
const slaFlip = `(CASE c.sla_state WHEN 'ok' THEN c.sla_warn_at WHEN 'warning' THEN c.sla_due_at END)`

// schemaSLAFlip (SQLite 34, PostgreSQL 21) indexes slaFlip for
// RecomputeSLADue, on the conversations whose clock runs: a few per cent of
// the open ones in a working inbox.
const schemaSLAFlip = `
CREATE INDEX conversations_sla_flip ON conversations
	((CASE sla_state WHEN 'ok' THEN sla_warn_at WHEN 'warning' THEN sla_due_at END))
	WHERE sla_state IN ('ok', 'warning');
`

// recomputeChunks recomputes the conversations matching where (over alias c,
// with args) in chunks of s.sweepChunk, by ascending id, which the chunks
// compare as the expression id.
func (s *Store) recomputeChunks(ctx context.Context, now time.Time, where string, args []any, id string) (changed int, err error) {
	var after int64
	for {
		n, last, err := s.recomputeChunk(ctx, now, where, args, id, after)
		changed += n
		if err != nil {
			return changed, fmt.Errorf("store: recompute SLA after conversation %d: %w", after, err)
		}
		if last == 0 {
			return changed, nil
		}
		after = last
	}
}

// sweepChunk is the number of conversations of one RecomputeSLA transaction.
const sweepChunk = 4096

// recomputeChunk recomputes the conversations matching where whose id (as
// the expression id) is above after, up to s.sweepChunk of them in id order,
// and returns the last id it saw (0 when none were left).
func (s *Store) recomputeChunk(ctx context.Context, now time.Time, where string, args []any, id string, after int64) (changed int, last int64, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	convs, err := loadSLA(ctx, s.d, tx, where+` AND `+id+` > ? ORDER BY `+id+` LIMIT ?`+s.d.skipLocked(),
		slices.Concat(args, []any{after, s.sweepChunk}), false)
	if err != nil {
		return 0, 0, err
	}
	if len(convs) == 0 {
		return 0, 0, nil
	}
	eng, err := s.engineIn(ctx, tx)
	if err != nil {
		return 0, 0, err
	}
	n, err := evaluateAndWrite(ctx, tx, eng, now, convs, nil)
	if err != nil {
		return 0, 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, fmt.Errorf("commit: %w", err)
	}
	return n, convs[len(convs)-1].id, nil
}

// whereActive selects the conversations whose clocks may run. The unary plus keeps
// SQLite off the status indexes: walking the table in id order reads it and the
// per-conversation subqueries (messages_thread, tags, events, all led by the
// conversation id) sequentially, where an index walk in sla_key order would jump
// around pages that do not fit the cache on a large database. PostgreSQL has no
// unary plus on text, and its planner needs no such hint.
func (d dialect) whereActive() string {
	if d.pg {
		return `c.status IN ('open', 'pending')`
	}
	return `+c.status IN ('open', 'pending')`
}

// skipLocked ends the sweep's select on PostgreSQL: the rows it evaluates
// are locked until it writes them, so a save on another instance cannot slip
// a message in between (the sweep would write a state computed without it),
// and rows a save holds are skipped rather than waited for: that save writes
// their state itself, and the sweep never waits, so it never deadlocks with one.
func (d dialect) skipLocked() string {
	if d.pg {
		return ` FOR UPDATE OF c SKIP LOCKED`
	}
	return ""
}

// slaRow is what the store keeps of a result on the conversation row.
type slaRow struct {
	due, warn     sql.NullInt64
	state, policy string
}

func rowOf(r sla.Result) slaRow {
	row := slaRow{state: string(r.State), policy: r.Policy}
	if r.DueAt != nil {
		row.due = sql.NullInt64{Int64: ms(*r.DueAt), Valid: true}
	}
	if r.WarnAt != nil {
		row.warn = sql.NullInt64{Int64: ms(*r.WarnAt), Valid: true}
	}
	return row
}

// slaConv is a conversation loaded for evaluation.
type slaConv struct {
	id        int64
	accountID int64
	assignee  string
	conv      sla.Conversation
	stored    slaRow
	hasPolicy bool // some policy event pins the policy
}

// loadSLASQL is loadSLA's query.
func loadSLASQL(d dialect, where string, withAgents bool) string {
	msgs := `(SELECT string_agg(m.sent_at || substr(m.direction, 1, 1), ',')
		FROM messages m WHERE m.conversation_id = c.id)`
	if withAgents {
		msgs = `(SELECT ` + d.jsonArrayAgg(`m.sent_at, m.direction,
			CASE m.direction WHEN 'out' THEN coalesce(nullif(a.display_name, ''), a.handle, '') ELSE '' END`) + `
		FROM messages m LEFT JOIN authors a ON a.id = m.author_id WHERE m.conversation_id = c.id)`
	}
	return `
		SELECT c.id, c.account_id, c.channel, c.kind, c.status, c.priority, c.assignee,
		       coalesce(a.reach, 0), coalesce(a.vip, 0), acc.crisis_since IS NOT NULL,
		       c.sla_due_at, c.sla_warn_at, c.sla_state, c.sla_policy, c.history_until,
		       (SELECT string_agg(t.tag, '` + tagSep + `') FROM conversation_tags t WHERE t.conversation_id = c.id),
		       ` + msgs + `,
		       (SELECT ` + d.jsonArrayAgg("e.at, e.kind, e.status, e.policy, e.agent") + `
		        FROM conversation_events e WHERE e.conversation_id = c.id)
		FROM conversations c
		LEFT JOIN authors a ON a.id = c.author_id
		JOIN accounts acc ON acc.id = c.account_id
		WHERE ` + where
}

// loadSLA loads the conversations matching where (SQL over alias c, with args)
// with their tags, message times and events. It is one query returning one row
// per conversation: the history comes as aggregates of index-only subqueries,
// which costs far less than a row per message through database/sql. withAgents
// also fills the replying agent of outbound messages (reports only: it costs a join).
func loadSLA(ctx context.Context, d dialect, q querier, where string, args []any, withAgents bool) ([]*slaConv, error) {
	rows, err := q.QueryContext(ctx, loadSLASQL(d, where, withAgents), args...)
	if err != nil {
		return nil, fmt.Errorf("load conversations: %w", err)
	}
	defer rows.Close()
	var out []*slaConv
	var tags, times sql.NullString
	var events string
	var history sql.NullInt64
	for rows.Next() {
		c := &slaConv{}
		if err := rows.Scan(&c.id, &c.accountID, &c.conv.Channel, &c.conv.Kind, &c.conv.Status, &c.conv.Priority,
			&c.assignee, &c.conv.AuthorReach, &c.conv.VIP, &c.conv.Crisis,
			&c.stored.due, &c.stored.warn, &c.stored.state, &c.stored.policy, &history, &tags, &times, &events); err != nil {
			return nil, fmt.Errorf("load conversations: %w", err)
		}
		if tags.Valid {
			c.conv.Tags = splitList(tags.String, tagSep)
		}
		if history.Valid {
			c.conv.HistoryUntil = fromMS(history.Int64)
		}
		if withAgents {
			err = parseMessagesJSON(times.String, &c.conv.Events)
		} else {
			err = parseMessageTimes(times.String, &c.conv.Events)
		}
		if err != nil {
			return nil, fmt.Errorf("load conversation %d: %w", c.id, err)
		}
		if events != "[]" {
			if c.hasPolicy, err = parseEvents(events, &c.conv.Events); err != nil {
				return nil, fmt.Errorf("load conversation %d: %w", c.id, err)
			}
		}
		sortEvents(c.conv.Events)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load conversations: %w", err)
	}
	return out, nil
}

// parseMessageTimes reads "<sent_at ms><i|o>,..." into inbound and outbound events.
func parseMessageTimes(s string, evs *[]sla.Event) error {
	if s == "" {
		return nil
	}
	*evs = slices.Grow(*evs, strings.Count(s, ",")+1)
	for part := range strings.SplitSeq(s, ",") {
		if len(part) < 2 {
			return fmt.Errorf("message time %q", part)
		}
		at, err := strconv.ParseInt(part[:len(part)-1], 10, 64)
		if err != nil {
			return fmt.Errorf("message time %q: %w", part, err)
		}
		kind := sla.EventInbound
		if part[len(part)-1] == 'o' {
			kind = sla.EventOutbound
		}
		*evs = append(*evs, sla.Event{Kind: kind, At: fromMS(at)})
	}
	return nil
}

// parseMessagesJSON reads [[sent_at, direction, agent], ...].
func parseMessagesJSON(s string, evs *[]sla.Event) error {
	if s == "" {
		return nil
	}
	var list [][3]any
	if err := json.Unmarshal([]byte(s), &list); err != nil {
		return fmt.Errorf("message times: %w", err)
	}
	for _, m := range list {
		at, _ := m[0].(float64)
		dir, _ := m[1].(string)
		agent, _ := m[2].(string)
		ev := sla.Event{Kind: sla.EventInbound, At: fromMS(int64(at))}
		if inbox.Direction(dir) == inbox.DirectionOut {
			ev.Kind, ev.Agent = sla.EventOutbound, agent
		}
		*evs = append(*evs, ev)
	}
	return nil
}

// parseEvents reads [[at, kind, status, policy, agent], ...] and reports whether a
// policy event was among them.
func parseEvents(s string, evs *[]sla.Event) (bool, error) {
	var list [][5]any
	if err := json.Unmarshal([]byte(s), &list); err != nil {
		return false, fmt.Errorf("events: %w", err)
	}
	pinned := false
	for _, e := range list {
		at, _ := e[0].(float64)
		kind, _ := e[1].(string)
		status, _ := e[2].(string)
		policy, _ := e[3].(string)
		agent, _ := e[4].(string)
		ev := sla.Event{At: fromMS(int64(at)), Agent: agent}
		switch kind {
		case "status":
			ev.Kind, ev.Status = sla.EventStatus, inbox.Status(status)
		case "policy":
			ev.Kind, ev.Policy = sla.EventPolicy, policy
			pinned = true
		default:
			continue
		}
		*evs = append(*evs, ev)
	}
	return pinned, nil
}

// sortEvents puts events in time order; at equal times messages stay before the
// status and policy changes recorded with them.
func sortEvents(evs []sla.Event) {
	if slices.IsSortedFunc(evs, cmpEvent) {
		return
	}
	slices.SortStableFunc(evs, cmpEvent)
}

func cmpEvent(a, b sla.Event) int { return a.At.Compare(b.At) }

// idsWhere returns a WHERE clause and its arguments selecting conversations by id.
func idsWhere(ids []int64) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return "c.id IN (" + placeholders(len(ids)) + ")", args
}

const sqlWriteSLA = `UPDATE conversations SET sla_due_at = ?, sla_key = ?, sla_warn_at = ?, sla_state = ?, sla_policy = ? WHERE id = ?`

// recomputeWhere evaluates the conversations matching where at now and writes the
// rows that changed. before, when set, may adjust each conversation before it is
// evaluated (record an event, override a fact).
func recomputeWhere(ctx context.Context, d dialect, q querier, eng *sla.Engine, now time.Time, where string, args []any,
	before func(*slaConv) error) (int, error) {
	convs, err := loadSLA(ctx, d, q, where, args, false)
	if err != nil {
		return 0, err
	}
	return evaluateAndWrite(ctx, q, eng, now, convs, before)
}

func evaluateAndWrite(ctx context.Context, q querier, eng *sla.Engine, now time.Time, convs []*slaConv,
	before func(*slaConv) error) (int, error) {
	var st *sql.Stmt
	defer func() {
		if st != nil {
			st.Close()
		}
	}()
	changed := 0
	for _, c := range convs {
		if before != nil {
			if err := before(c); err != nil {
				return changed, err
			}
		}
		row := rowOf(eng.Evaluate(c.conv, now))
		if row == c.stored {
			continue
		}
		if st == nil {
			var err error
			if st, err = q.PrepareContext(ctx, sqlWriteSLA); err != nil {
				return changed, fmt.Errorf("write SLA: %w", err)
			}
		}
		if _, err := st.ExecContext(ctx, row.due, slaKey(row.due), row.warn, row.state, row.policy, c.id); err != nil {
			return changed, fmt.Errorf("write SLA of conversation %d: %w", c.id, err)
		}
		c.stored = row
		changed++
	}
	return changed, nil
}

// insertEvent records a status or policy change of a conversation.
func insertEvent(ctx context.Context, q querier, id int64, at time.Time, kind, status, policy, agent string) error {
	if _, err := q.ExecContext(ctx, `INSERT INTO conversation_events (conversation_id, at, kind, status, policy, agent)
		VALUES (?, ?, ?, ?, ?, ?)`, id, ms(at), kind, status, policy, agent); err != nil {
		return fmt.Errorf("record %s event of conversation %d: %w", kind, id, err)
	}
	return nil
}

// repin keeps a fact change (tag, priority, VIP) from rewriting history once a
// conversation's policy is pinned by policy events: it records the policy the rules
// now choose from now on. Unpinned conversations follow the current facts.
func repin(ctx context.Context, q querier, eng *sla.Engine, now time.Time) func(*slaConv) error {
	return func(c *slaConv) error {
		if !c.hasPolicy {
			return nil
		}
		want := eng.Match(c.conv)
		cur := ""
		for _, ev := range c.conv.Events {
			if ev.Kind == sla.EventPolicy && !ev.At.After(now) {
				cur = ev.Policy
			}
		}
		if want == cur {
			return nil
		}
		if err := insertEvent(ctx, q, c.id, now, "policy", "", want, ""); err != nil {
			return err
		}
		c.conv.Events = append(c.conv.Events, sla.Event{Kind: sla.EventPolicy, At: now, Policy: want})
		sortEvents(c.conv.Events)
		return nil
	}
}

// inTx runs fn in a write transaction.
func (s *Store) inTx(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: commit: %w", what, err)
	}
	return nil
}

// SetCrisis switches crisis mode of an account on or off. From now on the crisis
// rules of the policy set (or, when switched off, the normal rules) apply to its
// open and pending conversations; what was measured before keeps its policy,
// because the switch is recorded as a policy event per conversation. New
// conversations of an account in crisis start under the crisis rules.
func (s *Store) SetCrisis(ctx context.Context, accountID int64, on bool) error {
	what := fmt.Sprintf("store: set crisis mode of account %d", accountID)
	now := s.now()
	active := `c.account_id = ? AND c.status IN ('open', 'pending')`
	return s.inTx(ctx, what, func(tx *sql.Tx) error {
		if err := s.lockForRecompute(ctx, tx, `SELECT id FROM accounts WHERE id = ?`, []any{accountID}, active, []any{accountID}); err != nil {
			return err
		}
		var since sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT crisis_since FROM accounts WHERE id = ?`, accountID).Scan(&since); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		if since.Valid == on {
			return nil
		}
		val := sql.NullInt64{Int64: ms(now), Valid: on}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET crisis_since = ? WHERE id = ?`, val, accountID); err != nil {
			return err
		}
		eng, err := s.engineIn(ctx, tx)
		if err != nil {
			return err
		}
		_, err = recomputeWhere(ctx, s.d, tx, eng, now, active, []any{accountID},
			func(c *slaConv) error {
				c.conv.Crisis = !on
				before := eng.Match(c.conv)
				c.conv.Crisis = on
				after := eng.Match(c.conv)
				if !c.hasPolicy && len(c.conv.Events) > 0 {
					// Pin the policy that applied so far from the start, so the switch is not retroactive.
					start := c.conv.Events[0].At
					if err := insertEvent(ctx, tx, c.id, start, "policy", "", before, ""); err != nil {
						return err
					}
					c.conv.Events = append(c.conv.Events, sla.Event{Kind: sla.EventPolicy, At: start, Policy: before})
					c.hasPolicy = true
				}
				if after == before {
					sortEvents(c.conv.Events)
					return nil
				}
				if err := insertEvent(ctx, tx, c.id, now, "policy", "", after, ""); err != nil {
					return err
				}
				c.conv.Events = append(c.conv.Events, sla.Event{Kind: sla.EventPolicy, At: now, Policy: after})
				sortEvents(c.conv.Events)
				return nil
			})
		return err
	})
}

// refresh recomputes the SLA of the given conversations inside tx, recording a
// policy event first when factsChanged and their policy is pinned.
func (s *Store) refresh(ctx context.Context, tx *sql.Tx, now time.Time, factsChanged bool, ids ...int64) error {
	where, args := idsWhere(ids)
	eng, err := s.engineIn(ctx, tx)
	if err != nil {
		return err
	}
	var before func(*slaConv) error
	if factsChanged {
		before = repin(ctx, tx, eng, now)
	}
	_, err = recomputeWhere(ctx, s.d, tx, eng, now, where, args, before)
	return err
}

// SLAReport evaluates the conversations opened (first customer message) in
// [from, to) of every account and summarises them per channel, agent and ISO
// week of loc. Conversations still open are judged at the current time.
func (s *Store) SLAReport(ctx context.Context, from, to time.Time, loc *time.Location) (sla.Report, error) {
	return s.SLAReportFor(ctx, AnalyticsFilter{From: from, To: to, Loc: loc})
}
