package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

const accountColumns = `id, channel, name, brand, handle, created_at`

// EnsureAccount returns the account named a.Name, creating it first if it does
// not exist. An existing account keeps its stored brand and handle; asking for
// an existing name on a different channel is an error.
func (s *Store) EnsureAccount(ctx context.Context, a inbox.Account) (inbox.Account, error) {
	a.Name = strings.TrimSpace(a.Name)
	if a.Name == "" {
		return inbox.Account{}, errors.New("store: ensure account: empty name")
	}
	if !a.Channel.Valid() {
		return inbox.Account{}, fmt.Errorf("store: ensure account %q: unknown channel %q", a.Name, a.Channel)
	}
	created := a.CreatedAt
	if created.IsZero() {
		created = time.Now()
	}
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO accounts (channel, name, brand, handle, created_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (name) DO NOTHING`,
		a.Channel, a.Name, a.Brand, a.Handle, ms(created))
	if err != nil {
		return inbox.Account{}, fmt.Errorf("store: ensure account %q: %w", a.Name, err)
	}
	got, err := s.AccountByName(ctx, a.Name)
	if err != nil {
		return inbox.Account{}, err
	}
	if got.Channel != a.Channel {
		return inbox.Account{}, fmt.Errorf("store: ensure account %q: it exists on channel %s, not %s", a.Name, got.Channel, a.Channel)
	}
	return got, nil
}

// Accounts returns every account ordered by name.
func (s *Store) Accounts(ctx context.Context) ([]inbox.Account, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: list accounts: %w", err)
	}
	defer rows.Close()
	out := []inbox.Account{}
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list accounts: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list accounts: %w", err)
	}
	return out, nil
}

// AccountByName returns the account with the given name, or an error wrapping ErrNotFound.
func (s *Store) AccountByName(ctx context.Context, name string) (inbox.Account, error) {
	return s.accountWhere(ctx, "name = ?", name, strconv.Quote(name))
}

// AccountByID returns the account with the given id, or an error wrapping ErrNotFound.
func (s *Store) AccountByID(ctx context.Context, id int64) (inbox.Account, error) {
	return s.accountWhere(ctx, "id = ?", id, strconv.FormatInt(id, 10))
}

// accountWhere returns the one account where cond (one placeholder, arg)
// holds; label names it in errors.
func (s *Store) accountWhere(ctx context.Context, cond string, arg any, label string) (inbox.Account, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE `+cond, arg)
	a, err := scanAccount(row)
	if errors.Is(err, sql.ErrNoRows) {
		return inbox.Account{}, fmt.Errorf("store: account %s: %w", label, ErrNotFound)
	}
	if err != nil {
		return inbox.Account{}, fmt.Errorf("store: account %s: %w", label, err)
	}
	return a, nil
}

// accountChannel returns the channel of account id, or an error wrapping ErrNotFound.
func accountChannel(ctx context.Context, q querier, id int64) (inbox.ChannelKind, error) {
	var ch inbox.ChannelKind
	err := q.QueryRowContext(ctx, `SELECT channel FROM accounts WHERE id = ?`, id).Scan(&ch)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("account %d: %w", id, ErrNotFound)
	}
	return ch, err
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func scanAccount(r scanner) (inbox.Account, error) {
	var a inbox.Account
	var created int64
	if err := r.Scan(&a.ID, &a.Channel, &a.Name, &a.Brand, &a.Handle, &created); err != nil {
		return inbox.Account{}, err
	}
	a.CreatedAt = fromMS(created)
	return a, nil
}

// AccountState is whether an account is in use.
type AccountState string

const (
	// AccountActive accounts are synced and send replies.
	AccountActive AccountState = "active"
	// AccountDisabled accounts keep their settings, secrets and data, but
	// nothing is synced or sent through them until they are enabled again.
	AccountDisabled AccountState = "disabled"
	// AccountRemoved accounts have no settings or secrets any more; the row
	// stays because their conversations (and the replies' append-only audit
	// trail) stay, read-only. Saving an account of the same name again
	// reconnects them.
	AccountRemoved AccountState = "removed"
)

// schemaAccountState lets an account be disabled or removed (see AccountState).
const schemaAccountState = `
ALTER TABLE accounts ADD COLUMN state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'disabled', 'removed'));
`

// AccountStateOf returns an account's state, or an error wrapping ErrNotFound.
func (s *Store) AccountStateOf(ctx context.Context, accountID int64) (AccountState, error) {
	var st AccountState
	err := s.db.QueryRowContext(ctx, `SELECT state FROM accounts WHERE id = ?`, accountID).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("store: state of account %d: %w", accountID, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("store: state of account %d: %w", accountID, err)
	}
	return st, nil
}

// AccountActiveByID reports whether an account is active: the sync scheduler
// asks before every run, so an account disabled or removed by another process
// (the command line) stops syncing too.
func (s *Store) AccountActiveByID(ctx context.Context, accountID int64) (bool, error) {
	st, err := s.AccountStateOf(ctx, accountID)
	return st == AccountActive, err
}

// AccountStates returns the state of every account by id.
func (s *Store) AccountStates(ctx context.Context) (map[int64]AccountState, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, state FROM accounts`)
	if err != nil {
		return nil, fmt.Errorf("store: account states: %w", err)
	}
	defer rows.Close()
	out := map[int64]AccountState{}
	for rows.Next() {
		var id int64
		var st AccountState
		if err := rows.Scan(&id, &st); err != nil {
			return nil, fmt.Errorf("store: account states: %w", err)
		}
		out[id] = st
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: account states: %w", err)
	}
	return out, nil
}

// SetAccountState moves an account between active and disabled, or back to
// active after a removal (when it is saved again). Removing goes through
// RemoveAccount, which also drops what belonged to the connection.
func (s *Store) SetAccountState(ctx context.Context, accountID int64, st AccountState) error {
	if st != AccountActive && st != AccountDisabled {
		return fmt.Errorf("store: set state of account %d: %q is not active or disabled", accountID, st)
	}
	r, err := s.db.ExecContext(ctx, `UPDATE accounts SET state = ? WHERE id = ?`, st, accountID)
	return affectedOne(r, err, fmt.Sprintf("store: set state of account %d", accountID))
}

// RemoveAccount marks an account removed and forgets its connection: the
// settings and the sync cursor (a later account of the same name starts a
// fresh sync; dedupe keeps what is stored). Its conversations, messages and
// replies stay; replies still waiting to be sent are left to the outbox, which
// fails them with account-removed when it gets to them.
func (s *Store) RemoveAccount(ctx context.Context, accountID int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: remove account %d: %w", accountID, err)
	}
	defer tx.Rollback()
	r, err := tx.ExecContext(ctx, `UPDATE accounts SET state = 'removed', config = '{}' WHERE id = ?`, accountID)
	if err := affectedOne(r, err, fmt.Sprintf("store: remove account %d", accountID)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sync_state WHERE account_id = ?`, accountID); err != nil {
		return fmt.Errorf("store: remove account %d: sync state: %w", accountID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: remove account %d: %w", accountID, err)
	}
	return nil
}
