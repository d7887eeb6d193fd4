package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// schemaEvents is the team's event log: every change announced to the
// window, numbered, so a server instance or desktop that was away reads what
// it missed from its last sequence number on (backend/teamevents).
// AUTOINCREMENT keeps a pruned sequence number from being handed out again:
// plain rowids restart below the largest deleted one once the table is empty.
const schemaEvents = `
CREATE TABLE events (
	seq     INTEGER PRIMARY KEY AUTOINCREMENT,
	name    TEXT    NOT NULL,
	payload TEXT    NOT NULL, -- the event's data, a JSON array
	at      INTEGER NOT NULL
);
CREATE INDEX events_at ON events (at);
`

// pgSchemaEvents is schemaEvents on PostgreSQL; an identity never reuses a value.
const pgSchemaEvents = `
CREATE TABLE events (
	seq     BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name    TEXT    NOT NULL,
	payload TEXT    NOT NULL, -- the event's data, a JSON array
	at      BIGINT  NOT NULL
);
CREATE INDEX events_at ON events (at);
`

// EventsChannel is the PostgreSQL notification channel AppendEvent notifies
// on; the payload is the new event's sequence number, nothing else.
const EventsChannel = "stormdesk_events"

// pgEventsLock is the advisory lock key that serializes appends to the
// events table ("stmevent" in ASCII).
const pgEventsLock = 0x73746d6576656e74

// Event is one entry of the event log.
type Event struct {
	Seq     int64
	Name    string
	Payload json.RawMessage // JSON, as given to AppendEvent
	At      time.Time
}

// AppendEvent records an event and returns its sequence number. On
// PostgreSQL it also notifies EventsChannel with that number, in the same
// transaction, so listeners hear of it only once it is readable.
//
// Ordering: on PostgreSQL an identity value is taken when the row is
// inserted, not when its transaction commits, so without care a reader that
// has seen seq N could later see N-1 commit, and a reader that moves its
// high-water mark past N would skip it. Appends therefore run one at a time
// under a transaction-level advisory lock, taken before the sequence value:
// the lock is released only after the commit is visible, so sequence order is
// commit order, and a reader that reads "seq > last seen" in order misses
// nothing. Gaps (an append that rolled back) are harmless: nothing waits for
// them. The cost is that appends across every instance are serialized; each
// holds the lock for one insert and one notify, far below the rate at which
// the app announces changes. The alternative, re-reading a window behind the
// high-water mark and deduplicating, keeps appends parallel but gives every
// reader (each desktop's replay included) a window whose right size depends
// on how long a transaction may stay open. SQLite writes one transaction at a
// time already (BEGIN IMMEDIATE), so there the order holds by itself.
func (s *Store) AppendEvent(ctx context.Context, name string, payload []byte) (int64, error) {
	if !json.Valid(payload) {
		return 0, fmt.Errorf("store: append event %s: payload is not JSON", name)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("store: append event %s: %w", name, err)
	}
	defer tx.Rollback()
	if s.d.pg {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(pgEventsLock)); err != nil {
			return 0, fmt.Errorf("store: append event %s: lock: %w", name, err)
		}
	}
	var seq int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO events (name, payload, at) VALUES (?, ?, ?) RETURNING seq`,
		name, string(payload), ms(s.now())).Scan(&seq); err != nil {
		return 0, fmt.Errorf("store: append event %s: %w", name, err)
	}
	if s.d.pg {
		if _, err := tx.ExecContext(ctx, `SELECT pg_notify(?, ?)`, EventsChannel, strconv.FormatInt(seq, 10)); err != nil {
			return 0, fmt.Errorf("store: append event %s: notify: %w", name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("store: append event %s: commit: %w", name, err)
	}
	return seq, nil
}

// EventsAfter returns up to limit events with a sequence number above after,
// in order.
func (s *Store) EventsAfter(ctx context.Context, after int64, limit int) ([]Event, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("store: events after %d: limit %d is not positive", after, limit)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT seq, name, payload, at FROM events WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: events after %d: %w", after, err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var (
			e       Event
			payload string
			at      int64
		)
		if err := rows.Scan(&e.Seq, &e.Name, &payload, &at); err != nil {
			return nil, fmt.Errorf("store: events after %d: %w", after, err)
		}
		e.Payload = json.RawMessage(payload)
		e.At = fromMS(at)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: events after %d: %w", after, err)
	}
	return out, nil
}

// EventsPrunedSetting is the settings key holding the largest sequence number
// PruneEvents deleted: events numbered at or below it may be gone, so a
// reader resuming from before it has missed some (see EventsPrunedThrough).
const EventsPrunedSetting = "events-pruned-through"

// LatestEventSeq returns the largest sequence number handed out as far as the
// table tells: the largest stored, or the largest pruned when the table was
// pruned empty, 0 when there was never any.
func (s *Store) LatestEventSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM events`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("store: latest event: %w", err)
	}
	pruned, err := s.EventsPrunedThrough(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: latest event: %w", err)
	}
	return max(seq, pruned), nil
}

// EventsPrunedThrough returns the largest sequence number PruneEvents has
// deleted, 0 when none was. A reader whose last seen number is below it may
// have missed events for good; at or above it, everything after its number is
// still in the table. Sequence numbers have gaps (appends that rolled back),
// so the oldest stored number alone could not tell a pruned event from a gap.
func (s *Store) EventsPrunedThrough(ctx context.Context) (int64, error) {
	v, err := s.Setting(ctx, EventsPrunedSetting)
	if errors.Is(err, ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: events pruned through: %w", err)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("store: events pruned through: setting %q is %q: %w", EventsPrunedSetting, v, err)
	}
	return n, nil
}

// PruneEvents deletes the events recorded before before and returns how
// many. It deletes by sequence number (through the newest event recorded
// before before) and raises EventsPrunedThrough to that number in the same
// transaction, so a reader never sees the events gone without the mark that
// says so. Instances prune concurrently: the mark only ever rises.
func (s *Store) PruneEvents(ctx context.Context, before time.Time) (int64, error) {
	wrap := func(err error) error {
		return fmt.Errorf("store: prune events before %s: %w", before.UTC().Format(time.RFC3339), err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, wrap(err)
	}
	defer tx.Rollback()
	var through sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(seq) FROM events WHERE at < ?`, ms(before)).Scan(&through); err != nil {
		return 0, wrap(err)
	}
	if !through.Valid {
		return 0, nil
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM events WHERE seq <= ?`, through.Int64)
	if err != nil {
		return 0, wrap(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, wrap(err)
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
		WHERE CAST(settings.value AS BIGINT) < CAST(excluded.value AS BIGINT)`,
		EventsPrunedSetting, strconv.FormatInt(through.Int64, 10), ms(s.now())); err != nil {
		return 0, wrap(fmt.Errorf("record the mark: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return 0, wrap(err)
	}
	return n, nil
}
