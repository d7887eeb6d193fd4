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
