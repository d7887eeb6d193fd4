package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// schemaLoginAttempts counts login and join attempts for the whole team,
// whichever server instance is asked: one token bucket per key (a member's
// name, a client address), refilled with time. Kept in memory, n instances
// behind a load balancer would give a guesser n times the attempts.
const schemaLoginAttempts = `
CREATE TABLE login_attempts (
	key     TEXT             PRIMARY KEY,
	tokens  DOUBLE PRECISION NOT NULL,
	at      BIGINT           NOT NULL,
	full_at BIGINT           NOT NULL
);
CREATE INDEX login_attempts_full ON login_attempts (full_at);
`

// AttemptLimit bounds attempts per key in the store: Burst attempts at once,
// then one more every Refill. Keys of different limits must not collide
// (prefix them: "name:ann", "addr:192.0.2.1"). Safe for concurrent use by
// any number of instances on one database: each take is one statement.
type AttemptLimit struct {
	Store  *Store
	Burst  int
	Refill time.Duration

	mu       sync.Mutex
	prunedAt time.Time
}

// attemptPruneEvery is how often one limit deletes the buckets that have
// refilled (they hold nothing a fresh bucket would not).
const attemptPruneEvery = time.Minute

// Allow takes one attempt from key's bucket, or answers false and how long
// until the bucket holds one.
func (l *AttemptLimit) Allow(ctx context.Context, key string) (bool, time.Duration, error) {
	s := l.Store
	now := s.now()
	l.prune(ctx, now)
	burst, refill := float64(l.Burst), float64(l.Refill.Milliseconds())
	// What the stored bucket holds now: refilled since it was last taken
	// from (never drained by an instance whose clock is behind), at most Burst.
	const refilled = `(CASE WHEN ?4 > login_attempts.at
		THEN login_attempts.tokens + (?4 - login_attempts.at) / CAST(?3 AS DOUBLE PRECISION)
		ELSE login_attempts.tokens END)`
	capped := `(CASE WHEN ` + refilled + ` > CAST(?2 AS DOUBLE PRECISION) THEN CAST(?2 AS DOUBLE PRECISION) ELSE ` + refilled + ` END)`
	// One statement takes the attempt or leaves the bucket alone, so two
	// instances taking the last attempt at once cannot both get it.
	// full_at is when the bucket will have refilled: pruning needs no limit's sizes.
	q := `INSERT INTO login_attempts (key, tokens, at, full_at)
		VALUES (?1, CAST(?2 AS DOUBLE PRECISION) - 1, ?4, CAST(?4 AS BIGINT) + CAST(?5 AS BIGINT))
		ON CONFLICT (key) DO UPDATE SET tokens = ` + capped + ` - 1, at = ?4,
			full_at = ?4 + CAST((CAST(?2 AS DOUBLE PRECISION) - ` + capped + ` + 1) * CAST(?3 AS DOUBLE PRECISION) AS BIGINT)
		WHERE ` + capped + ` >= 1
		RETURNING tokens`
	var left float64
	err := s.db.QueryRowContext(ctx, q, key, burst, refill, ms(now), l.Refill.Milliseconds()).Scan(&left)
	if err == nil {
		return true, 0, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return false, 0, fmt.Errorf("store: take an attempt of %s: %w", keyKind(key), err)
	}
	var tokens float64
	var at int64
	if err := s.db.QueryRowContext(ctx, `SELECT tokens, at FROM login_attempts WHERE key = ?`, key).Scan(&tokens, &at); err != nil {
		return false, 0, fmt.Errorf("store: read the attempts of %s: %w", keyKind(key), err)
	}
	if d := float64(ms(now) - at); d > 0 {
		tokens = min(burst, tokens+d/refill)
	}
	return false, time.Duration(max(1-tokens, 0) * float64(l.Refill)), nil
}

// Reset forgets key's attempts (a successful login forgives its name's misses).
func (l *AttemptLimit) Reset(ctx context.Context, key string) error {
	if _, err := l.Store.db.ExecContext(ctx, `DELETE FROM login_attempts WHERE key = ?`, key); err != nil {
		return fmt.Errorf("store: reset the attempts of %s: %w", keyKind(key), err)
	}
	return nil
}

// prune deletes, at most once per attemptPruneEvery, the buckets that have
// refilled: without it every name and address ever tried would stay. A
// failure is left to the next prune.
func (l *AttemptLimit) prune(ctx context.Context, now time.Time) {
	l.mu.Lock()
	due := now.Sub(l.prunedAt) >= attemptPruneEvery
	if due {
		l.prunedAt = now
	}
	l.mu.Unlock()
	if !due {
		return
	}
	_, _ = l.Store.db.ExecContext(ctx, `DELETE FROM login_attempts WHERE full_at <= ?`, ms(now))
}

// keyKind names a key in an error without the key itself: a login name or
// an address does not belong in the logs.
func keyKind(key string) string {
	if kind, _, ok := strings.Cut(key, ":"); ok {
		return kind
	}
	return "a key"
}
