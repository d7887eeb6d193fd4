package benchdata

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Store is what Populate needs of a store (backend/store.Store has it).
type Store interface {
	EnsureAccount(ctx context.Context, a inbox.Account) (inbox.Account, error)
	SetStatus(ctx context.Context, id int64, st inbox.Status) error
	SetAssignee(ctx context.Context, id int64, assignee string) error
}

// SaveFunc stores one batch of items of an account (Store.SaveItems without
// its result, which lives in the store package that imports this one).
type SaveFunc func(ctx context.Context, accountID int64, items []inbox.Item) error

// Import creates the dataset's accounts in s and saves every batch of
// batchSize items through save, in Batches order. It returns the stored accounts.
func (d *Data) Import(ctx context.Context, s Store, save SaveFunc, batchSize int) ([]inbox.Account, error) {
	accts := make([]inbox.Account, len(d.Accounts))
	for i, a := range d.Accounts {
		var err error
		if accts[i], err = s.EnsureAccount(ctx, a.Account); err != nil {
			return nil, fmt.Errorf("benchdata: account %s: %w", a.Account.Name, err)
		}
	}
	for _, b := range d.Batches(batchSize) {
		if err := save(ctx, accts[b.Account].ID, b.Items); err != nil {
			return nil, fmt.Errorf("benchdata: save %d items of %s: %w", len(b.Items), accts[b.Account].Name, err)
		}
	}
	return accts, nil
}

// Triage gives the imported conversations realistic statuses and assignees
// through the store's API: answered conversations 70 % closed and 30 %
// pending, waiting ones 80 % open; half of all assigned to one of 5 agents.
// db reads the conversations of the same database (any engine: the query is
// plain SQL). It returns the number of conversations.
func Triage(ctx context.Context, s Store, db *sql.DB) (int, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, last_out_at IS NOT NULL AND last_out_at >= last_message_at FROM conversations ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("benchdata: list conversations: %w", err)
	}
	type conv struct {
		id       int64
		answered bool
	}
	var convs []conv
	for rows.Next() {
		var c conv
		if err := rows.Scan(&c.id, &c.answered); err != nil {
			rows.Close()
			return 0, fmt.Errorf("benchdata: list conversations: %w", err)
		}
		convs = append(convs, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("benchdata: list conversations: %w", err)
	}
	r := rand.New(rand.NewPCG(9, 9))
	people := []string{"ann", "bob", "chen", "dmitri", "eva"}
	for _, c := range convs {
		st := inbox.StatusOpen
		switch p := r.IntN(100); {
		case c.answered && p < 70, !c.answered && p < 10:
			st = inbox.StatusClosed
		case c.answered, p < 20:
			st = inbox.StatusPending
		}
		if st != inbox.StatusOpen {
			if err := s.SetStatus(ctx, c.id, st); err != nil {
				return 0, fmt.Errorf("benchdata: status of %d: %w", c.id, err)
			}
		}
		if p := r.IntN(10); p < 5 {
			if err := s.SetAssignee(ctx, c.id, people[p]); err != nil {
				return 0, fmt.Errorf("benchdata: assignee of %d: %w", c.id, err)
			}
		}
	}
	return len(convs), nil
}
