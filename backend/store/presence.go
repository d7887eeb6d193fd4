package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// schemaPresence (issue 17, presence; SQLite step 27 in the team's plan)
// holds who has which conversation open, and who is typing a reply in it,
// in the database rather than in an instance's memory, so the pages of every
// instance of a team server see the same. Conversation 0 is "the app is
// open": its rows are the members online. A row lives as long as its member's
// page keeps sending heartbeats (PresenceTTL).
const schemaPresence = `
CREATE TABLE presence (
	member          TEXT    NOT NULL,
	conversation_id INTEGER NOT NULL,
	typing          INTEGER NOT NULL DEFAULT 0,
	typing_at       INTEGER NOT NULL DEFAULT 0,
	seen_at         INTEGER NOT NULL,
	PRIMARY KEY (member, conversation_id)
);
CREATE INDEX presence_conversation ON presence (conversation_id, member);
`

// pgSchemaPresence is schemaPresence on PostgreSQL (step 12 in the team's plan).
const pgSchemaPresence = `
CREATE TABLE presence (
	member          TEXT    NOT NULL,
	conversation_id BIGINT  NOT NULL,
	typing          INTEGER NOT NULL DEFAULT 0, -- 0 or 1, as every flag on both engines
	typing_at       BIGINT  NOT NULL DEFAULT 0,
	seen_at         BIGINT  NOT NULL,
	PRIMARY KEY (member, conversation_id)
);
CREATE INDEX presence_conversation ON presence (conversation_id, member);
`

// How long presence lasts without a heartbeat. Pages beat every 10 s while a
// thread is open (and at once when typing starts or stops), so a viewer
// survives two lost beats; typing lapses quickly because a stale "is typing"
// misleads more than a missing one; the app-open row outlives a thread's.
const (
	ViewingTTL = 30 * time.Second
	TypingTTL  = 6 * time.Second
	OnlineTTL  = 45 * time.Second
)

// Viewer is a member with a conversation open.
type Viewer struct {
	Name   string `json:"name"`
	Typing bool   `json:"typing"`
}

// ConversationViewers is who has one conversation open (conversation 0: the
// members online).
type ConversationViewers struct {
	ConversationID int64    `json:"conversationId"`
	Viewers        []Viewer `json:"viewers"`
}

// presenceState is one row as the pages see it at a moment: present at all,
// and typing.
type presenceState struct{ live, typing bool }

func ttlOf(conversationID int64) time.Duration {
	if conversationID == 0 {
		return OnlineTTL
	}
	return ViewingTTL
}

// Heartbeat records that member has conversationID open (0: only the app),
// typing a reply or not, and that the member is online. It answers the
// conversations whose viewers, as the pages show them, changed (0 when the
// member came online): a beat that only renews a row changes nothing, so its
// caller announces nothing.
func (s *Store) Heartbeat(ctx context.Context, member string, conversationID int64, typing bool) ([]int64, error) {
	member = strings.TrimSpace(member)
	if member == "" {
		return nil, fmt.Errorf("store: presence heartbeat: the member is empty")
	}
	what := fmt.Sprintf("store: presence heartbeat of %q in conversation %d", member, conversationID)
	now := s.now()
	var changed []int64
	err := s.inTx(ctx, what, func(tx *sql.Tx) error {
		changed = changed[:0]
		ids := []int64{0}
		if conversationID != 0 {
			ids = append(ids, conversationID)
		}
		for _, id := range ids {
			typingHere := typing && id == conversationID && id != 0
			before, err := presenceAt(ctx, tx, member, id, now)
			if err != nil {
				return err
			}
			typingAt := int64(0)
			if typingHere {
				typingAt = ms(now)
			}
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO presence (member, conversation_id, typing, typing_at, seen_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (member, conversation_id) DO UPDATE SET seen_at = excluded.seen_at,
					typing = excluded.typing, typing_at = excluded.typing_at`,
				member, id, flag(typingHere), typingAt, ms(now)); err != nil {
				return err
			}
			if before != (presenceState{live: true, typing: typingHere}) {
				changed = append(changed, id)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return changed, nil
}

// presenceAt reads member's row for a conversation as it stands at now.
func presenceAt(ctx context.Context, tx *sql.Tx, member string, conversationID int64, now time.Time) (presenceState, error) {
	var typing, typingAt, seenAt int64
	err := tx.QueryRowContext(ctx, `SELECT typing, typing_at, seen_at FROM presence WHERE member = ? AND conversation_id = ?`,
		member, conversationID).Scan(&typing, &typingAt, &seenAt)
	if errors.Is(err, sql.ErrNoRows) {
		return presenceState{}, nil
	}
	if err != nil {
		return presenceState{}, err
	}
	live := seenAt >= ms(now.Add(-ttlOf(conversationID)))
	return presenceState{live: live, typing: live && typing == 1 && typingAt >= ms(now.Add(-TypingTTL))}, nil
}

// LeavePresence records that member closed conversationID (0: the app, which
// closes every conversation of theirs). It answers the conversations whose
// viewers changed.
func (s *Store) LeavePresence(ctx context.Context, member string, conversationID int64) ([]int64, error) {
	q := `DELETE FROM presence WHERE member = ? AND conversation_id = ? RETURNING conversation_id`
	args := []any{member, conversationID}
	if conversationID == 0 {
		q = `DELETE FROM presence WHERE member = ? RETURNING conversation_id`
		args = args[:1]
	}
	changed, err := s.returnedIDs(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: leave conversation %d as %q: %w", conversationID, member, err)
	}
	return changed, nil
}

// ExpirePresence removes the rows whose heartbeats stopped and ends typing
// that was not renewed, answering the conversations whose viewers changed.
// Reads already leave out a row past its time; the sweep (every second) is
// what tells the pages. Each row is removed by one caller, so several
// instances sweeping at once announce each change once.
func (s *Store) ExpirePresence(ctx context.Context) ([]int64, error) {
	now := s.now()
	changed, err := s.returnedIDs(ctx, `
		DELETE FROM presence WHERE (conversation_id <> 0 AND seen_at < ?) OR (conversation_id = 0 AND seen_at < ?)
		RETURNING conversation_id`, ms(now.Add(-ViewingTTL)), ms(now.Add(-OnlineTTL)))
	if err != nil {
		return nil, fmt.Errorf("store: expire presence: %w", err)
	}
	stopped, err := s.returnedIDs(ctx, `UPDATE presence SET typing = 0 WHERE typing = 1 AND typing_at < ? RETURNING conversation_id`,
		ms(now.Add(-TypingTTL)))
	if err != nil {
		return nil, fmt.Errorf("store: expire typing: %w", err)
	}
	changed = append(changed, stopped...)
	return sortedIDs(changed), nil
}

// returnedIDs runs a DELETE or UPDATE ... RETURNING conversation_id and
// answers each conversation once, ascending.
func (s *Store) returnedIDs(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return sortedIDs(ids), nil
}

// sortedIDs is ids once each, ascending.
func sortedIDs(ids []int64) []int64 {
	out := uniqueIDs(ids)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Presence answers who has each of the given conversations open now (no ids:
// every conversation with a viewer, and 0 with the members online), in
// conversation order, members by name. A conversation nobody has open is
// answered with no viewers, so a caller announcing a change can send the
// empty list.
func (s *Store) Presence(ctx context.Context, conversationIDs ...int64) ([]ConversationViewers, error) {
	now := s.now()
	q := `SELECT conversation_id, member, typing, typing_at FROM presence
		WHERE ((conversation_id <> 0 AND seen_at >= ?) OR (conversation_id = 0 AND seen_at >= ?))`
	args := []any{ms(now.Add(-ViewingTTL)), ms(now.Add(-OnlineTTL))}
	if len(conversationIDs) > 0 {
		q += ` AND conversation_id IN (?` + strings.Repeat(", ?", len(conversationIDs)-1) + `)`
		for _, id := range conversationIDs {
			args = append(args, id)
		}
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY conversation_id, member`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: presence: %w", err)
	}
	defer rows.Close()
	viewers := map[int64][]Viewer{}
	for _, id := range conversationIDs {
		viewers[id] = []Viewer{}
	}
	typingSince := ms(now.Add(-TypingTTL))
	for rows.Next() {
		var id, typing, typingAt int64
		var v Viewer
		if err := rows.Scan(&id, &v.Name, &typing, &typingAt); err != nil {
			return nil, fmt.Errorf("store: presence: %w", err)
		}
		v.Typing = typing == 1 && typingAt >= typingSince
		viewers[id] = append(viewers[id], v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: presence: %w", err)
	}
	out := make([]ConversationViewers, 0, len(viewers))
	for id, vs := range viewers {
		out = append(out, ConversationViewers{ConversationID: id, Viewers: vs})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ConversationID < out[j].ConversationID })
	return out, nil
}

// OnlineMembers answers the names of the members whose app is open, by name.
func (s *Store) OnlineMembers(ctx context.Context) ([]string, error) {
	p, err := s.Presence(ctx, 0)
	if err != nil {
		return nil, err
	}
	names := []string{}
	for _, v := range p[0].Viewers {
		names = append(names, v.Name)
	}
	return names, nil
}

func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}
