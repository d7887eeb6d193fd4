package store

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"sync"
	"time"
)

// Several server instances may share one PostgreSQL database. Work that must
// happen once per team (syncing one account, the SLA sweep, the crisis
// monitor, ...) is guarded by session-level advisory locks, each held on a
// connection of its own for as long as the work runs: when the instance dies,
// PostgreSQL ends its sessions and the locks are free for another instance.
// On SQLite the database belongs to one process and every lock is granted.

// Advisory lock classes (the first key of pg_try_advisory_lock(int, int));
// the two-integer keys never collide with the one-bigint key of the schema
// lock (pgSchemaLock). "sd" in ASCII, then a number.
const (
	lockClassSync   int32 = 0x73640001 // second key: the account id
	lockClassLeader int32 = 0x73640002 // second key: a hash of the loop's name
	lockClassSave   int32 = 0x73640003 // transaction lock: one save batch per account at a time
)

// defaultLockCheck is how often a held lock's connection is checked.
const defaultLockCheck = 10 * time.Second

// Lock is a held advisory lock. Lost is closed when the lock can no longer be
// vouched for (its connection failed): the holder must stop the guarded work
// at once, since another instance may take the lock. Release gives it back.
type Lock struct {
	conn *sql.Conn // nil on SQLite
	key  [2]int32
	name string

	lost      chan struct{}
	stop      chan struct{}
	done      chan struct{}
	lostOnce  sync.Once
	closeOnce sync.Once
}

// Lost is closed when the lock is lost (never on SQLite).
func (l *Lock) Lost() <-chan struct{} { return l.lost }

// Release gives the lock back and closes its connection; it may be called
// more than once, and after the lock was lost.
func (l *Lock) Release() {
	l.closeOnce.Do(func() {
		close(l.stop)
		if l.conn == nil {
			return
		}
		<-l.done
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		// The connection is closed below either way (the lock pool keeps no
		// idle connections), which ends the session and with it the lock;
		// unlocking first just frees it without waiting for that.
		_, _ = l.conn.ExecContext(ctx, `SELECT pg_advisory_unlock(?, ?)`, l.key[0], l.key[1])
		_ = l.conn.Close()
	})
}

// SetLockCheck sets how often held locks check their connection (default
// 10 s); a lock whose connection fails is reported lost within about this
// long. Set it before taking locks.
func (s *Store) SetLockCheck(d time.Duration) {
	if d > 0 {
		s.lockCheck.Store(int64(d))
	}
}

// TryLockAccount takes the lock that makes one instance the syncer of an
// account; ok is false when another instance holds it.
func (s *Store) TryLockAccount(ctx context.Context, accountID int64) (*Lock, bool, error) {
	return s.tryLock(ctx, fmt.Sprintf("sync of account %d", accountID), lockClassSync, fold32(accountID))
}

// TryLockLoop takes the lock that makes one instance the runner of a
// once-per-team loop (the SLA sweep, the crisis monitor, ...), named by name.
func (s *Store) TryLockLoop(ctx context.Context, name string) (*Lock, bool, error) {
	h := fnv.New32a()
	h.Write([]byte(name))
	return s.tryLock(ctx, "loop "+name, lockClassLeader, int32(h.Sum32()))
}

// fold32 maps an id to the lock's second key; ids that differ in fewer than
// 32 bits never collide.
func fold32(id int64) int32 { return int32(id ^ id>>32) }

func (s *Store) tryLock(ctx context.Context, name string, class, obj int32) (*Lock, bool, error) {
	l := &Lock{key: [2]int32{class, obj}, name: name, lost: make(chan struct{}), stop: make(chan struct{}), done: make(chan struct{})}
	if !s.d.pg {
		close(l.done)
		return l, true, nil
	}
	conn, err := s.locks.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("store: lock %s: %w", name, err)
	}
	var ok bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(?, ?)`, class, obj).Scan(&ok); err != nil {
		_ = conn.Close()
		return nil, false, fmt.Errorf("store: lock %s: %w", name, err)
	}
	if !ok {
		_ = conn.Close()
		return nil, false, nil
	}
	l.conn = conn
	go l.watch(time.Duration(s.lockCheck.Load()))
	return l, true, nil
}

// watch checks the lock's connection every interval until Release; a failed
// check marks the lock lost. A session that answers still holds its locks:
// a pinned connection never reconnects behind our back.
func (l *Lock) watch(every time.Duration) {
	defer close(l.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), every)
		var held bool
		err := l.conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'
			AND pid = pg_backend_pid() AND classid = ?::oid AND objid = ?::oid AND objsubid = 2 AND granted)`,
			int64(uint32(l.key[0])), int64(uint32(l.key[1]))).Scan(&held)
		cancel()
		if err != nil || !held {
			l.lostOnce.Do(func() { close(l.lost) })
			return
		}
	}
}
